// One client connection speaking HTTP/2 (h2 after ALPN, h2c by prior knowledge): the nghttp2
// session over the connection's ByteStream, its streams as proxy exchanges, the connection's
// deadlines and a graceful GOAWAY on drain.
#pragma once

#include "bytestream.h"
#include "coarseclock.h"
#include "outputboundreading.h"

#include "http/http2session.h"

#include <QByteArray>
#include <QHostAddress>
#include <QObject>

#include <memory>
#include <unordered_map>
#include <vector>

namespace Gatehouse {

class Http2Stream;
class Worker;

class Http2Connection final : public QObject, private ByteStreamHandler, private Http2SessionHandler
{
    Q_OBJECT
public:
    using Clock = CoarseClock;

    // Takes the client's stream and the bytes read from it already (the client preface, as far
    // as it came). start() processes them.
    Http2Connection(Worker *worker, std::unique_ptr<ByteStream> stream, bool tls,
                    QByteArrayView received);
    ~Http2Connection() override;

    void start();
    // After "Upgrade: h2c" (the 101 is written already): `request` is stream 1, half-closed by
    // the client; `settings` the decoded HTTP2-Settings field.
    void startUpgraded(QByteArrayView settings, const Http1Head &request);
    // Called by the worker a few times a second: stream deadlines, header and idle timeouts.
    void tick(Clock::time_point now);
    // GOAWAY: streams in progress finish, new ones are refused; closes when none is left.
    void drain();

    // --- For the streams ---
    Worker *worker() const { return m_worker; }
    Http2ServerSession &session() { return m_session; }
    ByteStream *byteStream() const { return m_stream.get(); }
    bool isTls() const { return m_tls; }
    const QHostAddress &peer() const { return m_peer; }
    const QByteArray &peerText() const { return m_peerText; }
    quint32 maxHeaderListBytes() const { return m_limits.maxHeaderListBytes; }
    // Output is queued in the session (a response, body bytes, a window update): it is written
    // when the event loop comes round, once for everything queued meanwhile.
    void requestSend();
    // A stream paused its upstream while the client's side was full; resumed after a write.
    void waitForOutput(qint32 stream);

signals:
    void finished(Gatehouse::Http2Connection *connection);

private:
    // ByteStreamHandler
    void streamReadable() override;
    void streamWritten() override;
    void streamClosed() override;

    // Http2SessionHandler
    void http2BeginHeaders(qint32 stream) override;
    void http2Header(qint32 stream, QByteArrayView name, QByteArrayView value) override;
    void http2HeadersComplete(qint32 stream, bool trailers, bool endStream) override;
    void http2Data(qint32 stream, QByteArrayView data) override;
    void http2EndStream(qint32 stream) override;
    void http2StreamClosed(qint32 stream, quint32 errorCode) override;
    qint64 http2ReadBody(qint32 stream, std::span<char> buffer, bool &end) override;

    Http2Stream *find(qint32 stream) const;
    void processInput();
    void sendOutput();
    void resumeReadingWhenDrained();
    void afterEvent();   // deletes closed streams, closes a finished session
    void closeNow();

    Worker *m_worker;
    std::unique_ptr<ByteStream> m_stream;
    Http2Limits m_limits;
    Http2ServerSession m_session;
    QByteArray m_in;
    OutputBoundReading m_reading;
    QHostAddress m_peer;
    QByteArray m_peerText;
    bool m_tls;
    std::unordered_map<qint32, std::unique_ptr<Http2Stream>> m_streams;
    // What the last find() found: a header block's callbacks name the same stream a dozen times.
    mutable qint32 m_foundId = 0;
    mutable Http2Stream *m_found = nullptr;
    std::vector<std::unique_ptr<Http2Stream>> m_closedStreams;   // deleted after the event
    std::vector<qint32> m_waitingForOutput;
    Clock::time_point m_idleSince;       // no stream open since
    Clock::time_point m_headerBlockSince{};
    Clock::time_point m_closeBy{};       // a failed or drained session's last bytes leave by then
    bool m_headerBlockOpen = false;
    bool m_sawRequest = false;           // a complete request head arrived (header timeout)
    bool m_sendQueued = false;
    bool m_draining = false;
    bool m_closing = false;
    bool m_closed = false;
    bool m_inEvent = false;
};

} // namespace Gatehouse
