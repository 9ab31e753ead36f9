// A worker's HTTP/2 client connections: adopted from the HTTP/1.1 connection that detected the
// protocol (ALPN h2, or the h2c preface), ticked, drained and counted with the others.
#pragma once

#include "bytestream.h"
#include "coarseclock.h"

#include "http/http1head.h"

#include <QObject>
#include <QSet>

#include <atomic>
#include <memory>
#include <vector>

namespace Gatehouse {

class Http2Connection;
class Http2Stream;
class Worker;

class Http2ConnectionSet : public QObject
{
    Q_OBJECT
public:
    explicit Http2ConnectionSet(Worker *worker);
    ~Http2ConnectionSet() override;

    // Takes the stream and the bytes read from it already, and starts the connection on them.
    void adopt(std::unique_ptr<ByteStream> stream, bool tls, QByteArrayView received);
    // The same after "Upgrade: h2c": `request` becomes stream 1 (copied before this returns);
    // `settings` is the decoded HTTP2-Settings field.
    void adoptUpgrade(std::unique_ptr<ByteStream> stream, QByteArrayView received,
                      QByteArrayView settings, const Http1Head &request);
    void tick(CoarseClock::time_point now);
    // GOAWAY on every connection; each closes once its streams are done.
    void drain();
    void closeAll();
    bool isEmpty() const { return m_connections.isEmpty(); }
    int count() const { return m_count.load(std::memory_order_relaxed); }   // any thread

    // Streams of this worker's connections are kept once closed and handed to the next request
    // (their exchange and buffers reused): allocating, constructing and destroying one per call
    // cost about 2,500 instructions. At most kMaxSpareStreams are kept (about 11 KiB each), and
    // those no request took between two ticks are freed: a burst's streams do not stay.
    std::unique_ptr<Http2Stream> takeStream(Http2Connection *connection, qint32 id);
    void giveBack(std::unique_ptr<Http2Stream> stream);
    static constexpr qsizetype kMaxSpareStreams = 256;

signals:
    void connectionFinished();

private:
    void onFinished(Http2Connection *connection);

    Worker *m_worker;
    QSet<Http2Connection *> m_connections;
    std::vector<std::unique_ptr<Http2Stream>> m_spareStreams;   // the last given back at the end
    qsizetype m_sparesUntouched = 0;   // the fewest spares since the last tick: none of those was taken
    std::atomic<int> m_count{0};
    bool m_draining = false;   // connections adopted from now on start with a GOAWAY
};

} // namespace Gatehouse
