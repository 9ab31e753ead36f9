// A worker's HTTP/2 client connections.
#include "http2connectionset.h"

#include "http2connection.h"
#include "http2stream.h"
#include "worker.h"

#include <algorithm>

namespace Gatehouse {

Http2ConnectionSet::Http2ConnectionSet(Worker *worker) : m_worker(worker) {}

Http2ConnectionSet::~Http2ConnectionSet()
{
    closeAll();
}

void Http2ConnectionSet::adopt(std::unique_ptr<ByteStream> stream, bool tls, QByteArrayView received)
{
    auto *connection = new Http2Connection(m_worker, std::move(stream), tls, received);
    connect(connection, &Http2Connection::finished, this, &Http2ConnectionSet::onFinished);
    m_connections.insert(connection);
    m_count.fetch_add(1, std::memory_order_relaxed);
    connection->start();
    if (m_draining && m_connections.contains(connection))
        connection->drain();
}

void Http2ConnectionSet::adoptUpgrade(std::unique_ptr<ByteStream> stream, QByteArrayView received,
                                      QByteArrayView settings, const Http1Head &request)
{
    auto *connection = new Http2Connection(m_worker, std::move(stream), false, received);
    connect(connection, &Http2Connection::finished, this, &Http2ConnectionSet::onFinished);
    m_connections.insert(connection);
    m_count.fetch_add(1, std::memory_order_relaxed);
    connection->startUpgraded(settings, request);
    if (m_draining && m_connections.contains(connection))
        connection->drain();
}

void Http2ConnectionSet::tick(CoarseClock::time_point now)
{
    // A connection may finish while ticked: iterate over a copy.
    const auto connections = m_connections;
    for (Http2Connection *c : connections) {
        if (m_connections.contains(c))
            c->tick(now);
    }
    // The oldest spares, which no request needed since the last tick, go.
    m_spareStreams.erase(m_spareStreams.begin(), m_spareStreams.begin() + m_sparesUntouched);
    m_sparesUntouched = qsizetype(m_spareStreams.size());
}

void Http2ConnectionSet::drain()
{
    m_draining = true;
    const auto connections = m_connections;
    for (Http2Connection *c : connections) {
        if (m_connections.contains(c))
            c->drain();
    }
}

void Http2ConnectionSet::closeAll()
{
    const auto connections = std::exchange(m_connections, {});
    m_count.store(0, std::memory_order_relaxed);
    qDeleteAll(connections);
}

std::unique_ptr<Http2Stream> Http2ConnectionSet::takeStream(Http2Connection *connection, qint32 id)
{
    if (m_spareStreams.empty())
        return std::make_unique<Http2Stream>(connection, id);
    std::unique_ptr<Http2Stream> stream = std::move(m_spareStreams.back());
    m_spareStreams.pop_back();
    m_sparesUntouched = std::min(m_sparesUntouched, qsizetype(m_spareStreams.size()));
    stream->reuse(connection, id);
    return stream;
}

void Http2ConnectionSet::giveBack(std::unique_ptr<Http2Stream> stream)
{
    if (qsizetype(m_spareStreams.size()) < kMaxSpareStreams)
        m_spareStreams.push_back(std::move(stream));
}

void Http2ConnectionSet::onFinished(Http2Connection *connection)
{
    if (m_connections.remove(connection))
        m_count.fetch_sub(1, std::memory_order_relaxed);
    connection->deleteLater();
    emit connectionFinished();
}

} // namespace Gatehouse
