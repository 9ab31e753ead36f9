// A data-plane worker: listeners, client connections, upstream pool and config snapshot of one thread.
#include "worker.h"

#include "downstreamconnection.h"

#include "telemetry/metricsshard.h"

#include <QSslSocket>
#include <QTcpServer>
#include <QTimer>

#include <algorithm>

#include <unistd.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace Gatehouse {

namespace {

// Accepts straight into our connection objects (no pending-connection queue, no extra signal).
class Listener : public QTcpServer
{
public:
    Listener(Worker *worker, bool tls) : QTcpServer(worker), m_worker(worker), m_tls(tls) {}

protected:
    void incomingConnection(qintptr fd) override { m_worker->acceptConnection(fd, m_tls); }

private:
    Worker *m_worker;
    bool m_tls;
};

constexpr std::chrono::milliseconds kTickInterval{250};

Http1Limits limitsFrom(const Limits &l)
{
    Http1Limits h;
    h.maxRequestLineBytes = l.maxRequestLineBytes;
    h.maxHeaderBytes = l.maxHeaderBytes;
    h.maxHeaderCount = l.maxHeaderCount;
    if (l.maxBodyBytes > 0)
        h.maxBodyBytes = l.maxBodyBytes;
    return h;
}

} // namespace

Worker::Worker(int index, MetricsShard &metrics, AccessLogQueue &accessLog, QObject *parent)
    : QObject(parent), m_index(index), m_metrics(metrics), m_accessLog(accessLog), m_tick(new QTimer(this))
{
    m_pool.setParent(this);
    m_http2Pool.setParent(this);
    m_tick->setInterval(kTickInterval);
    m_tick->setTimerType(Qt::CoarseTimer);
    connect(m_tick, &QTimer::timeout, this, &Worker::onTick);
    connect(&m_http2, &Http2ConnectionSet::connectionFinished, this, [this] {
        if (m_draining)
            checkDrained();
    });
}

Worker::~Worker()
{
    const auto connections = m_connections;
    m_connections.clear();
    m_ticked = {};
    m_parked = {};
    qDeleteAll(connections);
}

void Worker::applyConfig(std::shared_ptr<const GatewayConfig> config)
{
    if (config) {
        m_requestLimits = limitsFrom(config->settings.limits);
        Http1Limits responseLimits = m_requestLimits;
        responseLimits.maxBodyBytes = std::numeric_limits<qint64>::max();
        m_pool.configure(config->settings.upstream, responseLimits);
        Http2ClientLimits h2;
        h2.maxHeaderListBytes = quint32(std::clamp<qint64>(config->settings.limits.maxHeaderBytes, 4096, 1 << 24));
        m_http2Pool.configure(config->settings.upstream, h2);
        m_metrics.bind(*config);   // label sets of its routes: a lookup per request from now on
    }
    m_config = std::move(config);
    if (!m_tick->isActive())
        m_tick->start();
}

void Worker::setServerTls(const QSslConfiguration &tlsConfig)
{
    m_serverTls = tlsConfig;
}

void Worker::addListener(int fd, bool tls)
{
    auto *listener = new Listener(this, tls);
    listener->setMaxPendingConnections(4096);
    if (!listener->setSocketDescriptor(fd)) {
        qWarning("gatehouse: worker %d cannot use listening socket %d: %s", m_index, fd,
                 qPrintable(listener->errorString()));
        delete listener;
        return;
    }
    m_listeners.append(listener);
}

void Worker::acceptConnection(qintptr fd, bool tls)
{
    // Over limits.maxConnections the connection is closed before a byte is read: the client sees
    // the connection end and may retry, and no memory goes to it.
    if (m_draining || (m_connectionLimit > 0 && activeConnections() >= m_connectionLimit)) {
        ::close(int(fd));
        return;
    }
    std::unique_ptr<ByteStream> stream;
    QSslSocket *ssl = nullptr;
    if (tls) {
        ssl = new QSslSocket;
        ssl->setSslConfiguration(m_serverTls);
        if (!ssl->setSocketDescriptor(fd, QAbstractSocket::ConnectedState, QIODevice::ReadWrite)) {
            delete ssl;
            ::close(int(fd));
            return;
        }
        stream = makeTlsStream(ssl);
    } else {
        // Plain TCP bypasses QTcpSocket: reads and writes go straight to the kernel, one system
        // call each, with no copy through Qt's buffers and no signal per event.
        stream = makePlainStream(int(fd));
        if (!stream)
            return;
    }
    auto *connection = new DownstreamConnection(this, std::move(stream), tls);
    connect(connection, &DownstreamConnection::finished, this, &Worker::onConnectionFinished);
    m_connections.insert(connection);
    append(m_ticked, connection);
    m_active.fetch_add(1, std::memory_order_relaxed);
    m_metrics.countAccepted();
    if (ssl) {
        // Handshake failures (plain HTTP on the TLS port, bad client certificates) just close.
        // With clientCertificates: request, an untrusted certificate is not a handshake failure:
        // the mutual-TLS security scheme of the route judges it (and answers 401).
        connect(ssl, &QSslSocket::sslErrors, ssl, [ssl] {
            if (ssl->peerVerifyMode() == QSslSocket::QueryPeer)
                ssl->ignoreSslErrors();
            else
                ssl->abort();
        });
        ssl->startServerEncryption();
    }
}

void Worker::onConnectionFinished(DownstreamConnection *connection)
{
    if (m_connections.remove(connection)) {
        unlink(connection->tickLinks.parked ? m_parked : m_ticked, connection);
        m_active.fetch_sub(1, std::memory_order_relaxed);
    }
    connection->deleteLater();
    if (m_draining)
        checkDrained();
}

int Worker::nextRoundRobin(int routeId)
{
    return int(m_roundRobin[routeId]++ & 0x7fffffff);
}

void Worker::unlink(TickList &list, DownstreamConnection *connection)
{
    DownstreamConnection::TickLinks &links = connection->tickLinks;
    (links.prev ? links.prev->tickLinks.next : list.head) = links.next;
    (links.next ? links.next->tickLinks.prev : list.tail) = links.prev;
    links.prev = links.next = nullptr;
}

void Worker::append(TickList &list, DownstreamConnection *connection)
{
    DownstreamConnection::TickLinks &links = connection->tickLinks;
    links.prev = list.tail;
    links.next = nullptr;
    (list.tail ? list.tail->tickLinks.next : list.head) = connection;
    list.tail = connection;
}

void Worker::park(DownstreamConnection *connection)
{
    unlink(m_ticked, connection);
    // Ordered by deadline: with one idle timeout for all, the place is the end; after a reload
    // that shortened it, a few steps back.
    DownstreamConnection *after = m_parked.tail;
    while (after && after->deadline() > connection->deadline())
        after = after->tickLinks.prev;
    DownstreamConnection::TickLinks &links = connection->tickLinks;
    links.prev = after;
    links.next = after ? after->tickLinks.next : m_parked.head;
    (links.next ? links.next->tickLinks.prev : m_parked.tail) = connection;
    (after ? after->tickLinks.next : m_parked.head) = connection;
    links.parked = true;
    connection->releaseIdleBuffers();
}

void Worker::unpark(DownstreamConnection *connection)
{
    unlink(m_parked, connection);
    connection->tickLinks.parked = false;
    append(m_ticked, connection);
}

void Worker::releaseFreedMemory(Clock::time_point now)
{
    // After a burst of requests on many connections, parking them frees their per-request state
    // (beyond what the pool keeps) all over the heap, where glibc keeps the pages resident: 8,000
    // connections that had a request at the same time would leave tens of MB behind. Give such
    // pages back once the burst has passed (a tick that freed nothing), and rarely (malloc_trim
    // walks every arena's free lists).
    const qint64 freed = m_exchangePool.takeFreedBytes();
    m_freedSinceTrim += freed;
    if (freed > 0 || m_freedSinceTrim < kTrimAfterBytes || now - m_lastTrim < kTrimInterval)
        return;
    m_freedSinceTrim = 0;
    m_lastTrim = now;
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}

void Worker::onTick()
{
    const auto now = Clock::now();
    // A connection may finish (and leave its list) while ticked: the next one is taken first.
    for (DownstreamConnection *c = m_ticked.head; c;) {
        DownstreamConnection *next = c->tickLinks.next;
        c->tick(now);
        if (m_connections.contains(c) && c->isParkable())
            park(c);
        c = next;
    }
    while (m_parked.head && m_parked.head->deadline() <= now) {
        DownstreamConnection *c = m_parked.head;
        unpark(c);
        c->tick(now);   // the idle timeout: closes it
    }
    releaseFreedMemory(now);
    m_http2.tick(now);
    m_pool.tick(now);
    m_http2Pool.tick(now);
    if (m_draining) {
        if (now >= m_drainDeadline) {
            m_http2.closeAll();
            const auto left = m_connections;
            m_connections.clear();
            m_ticked = {};
            m_parked = {};
            for (DownstreamConnection *c : left)
                delete c;   // past the bound: in-flight requests are cut
            m_active.store(0, std::memory_order_relaxed);
        }
        checkDrained();
    }
}

void Worker::drain(std::chrono::milliseconds timeout)
{
    m_draining = true;
    m_drainDeadline = Clock::now() + timeout;
    for (QTcpServer *l : std::as_const(m_listeners))
        l->close();
    qDeleteAll(m_listeners);
    m_listeners.clear();
    const auto connections = m_connections;
    for (DownstreamConnection *c : connections)
        c->drain();
    m_http2.drain();
    if (!m_tick->isActive())
        m_tick->start();
    checkDrained();
}

void Worker::checkDrained()
{
    if (!m_draining || !m_connections.isEmpty() || !m_http2.isEmpty())
        return;
    m_pool.closeAll();
    m_http2Pool.closeAll();
    m_tick->stop();
    m_draining = false;   // emit once
    emit drained(m_index);
}

} // namespace Gatehouse
