// The server side of one HTTP/2 connection: an nghttp2 session that takes the client's bytes,
// reports streams (header fields, DATA, trailers, resets) and serializes responses, with the
// connection-level protections a gateway needs (stream and header limits, Rapid Reset, floods).
#pragma once

#include "http/http1head.h"
#include "http/http1writer.h"

#include <QByteArrayView>
#include <QtGlobal>

#include <chrono>
#include <span>

struct nghttp2_session;

namespace Gatehouse {

// What the session announces and enforces; from gatehouse.yaml's limits.
struct Http2Limits
{
    quint32 maxConcurrentStreams = 100;
    quint32 maxHeaderListBytes = 64 * 1024;     // RFC 9113 §6.5.2 size (name + value + 32 each)
    quint32 streamWindowBytes = 256 * 1024;     // per stream request body the client may send ahead
    quint32 connectionWindowBytes = 1024 * 1024;
    quint32 headerTableBytes = 4096;            // HPACK decoder table (bounds HPACK bombs)
    int maxResets = 200;                        // client RST_STREAM frames per resetWindow ...
    std::chrono::milliseconds resetWindow{10'000};   // ... beyond: GOAWAY ENHANCE_YOUR_CALM
};

// Events of the session, delivered from inside receive() (and, for bodies, send()).
// Views are valid only during the call.
class Http2SessionHandler
{
public:
    // A request's header block begins (a new stream) or its trailers begin (stream seen before).
    virtual void http2BeginHeaders(qint32 stream) = 0;
    // One field; pseudo-header fields (":method" ...) first. nghttp2 has validated them (RFC 9113
    // §8.2, §8.3): lowercase names, no connection-specific fields, "te" only "trailers".
    virtual void http2Header(qint32 stream, QByteArrayView name, QByteArrayView value) = 0;
    // The header block is complete; endStream: no body follows. Trailers end the stream too.
    virtual void http2HeadersComplete(qint32 stream, bool trailers, bool endStream) = 0;
    // Request body bytes. The session gives the connection's window back at once, the stream's
    // not by itself: call consume() once the bytes went on (the backpressure towards the client;
    // a stream that stalls holds back only its own window).
    virtual void http2Data(qint32 stream, QByteArrayView data) = 0;
    // END_STREAM on a DATA frame.
    virtual void http2EndStream(qint32 stream) = 0;
    // The stream is gone (completed, reset by either side, or the session ended). errorCode: the
    // RST_STREAM/GOAWAY code, 0 for a normal close.
    virtual void http2StreamClosed(qint32 stream, quint32 errorCode) = 0;
    // Response body bytes for `stream`, at most `buffer.size()`. Returns the number copied, or -1
    // when nothing is ready yet (the session waits for resumeData()). Sets `end` with the last
    // bytes; the body then ends, with trailers if the handler submits them in this call.
    virtual qint64 http2ReadBody(qint32 stream, std::span<char> buffer, bool &end) = 0;

protected:
    ~Http2SessionHandler() = default;
};

// Whether a connection's first bytes are the HTTP/2 client preface (RFC 9113 §3.4), a beginning
// of it (wait for more), or something else (HTTP/1.1).
enum class Http2Preface { Match = 1, Partial, NoMatch };
Http2Preface matchHttp2Preface(QByteArrayView received);
inline constexpr qsizetype kHttp2PrefaceSize = 24;

// Not thread-safe: one connection, one worker thread. Never throws.
class Http2ServerSession
{
public:
    Http2ServerSession(Http2SessionHandler *handler, const Http2Limits &limits);
    ~Http2ServerSession();
    Http2ServerSession(const Http2ServerSession &) = delete;
    Http2ServerSession &operator=(const Http2ServerSession &) = delete;

    // Queues the server's SETTINGS (the connection preface). False: out of memory.
    bool start();
    // After an HTTP/1.1 "Upgrade: h2c" (RFC 7540 §3.2), once start() ran: the client's decoded
    // HTTP2-Settings, and whether the upgrading request was HEAD. Stream 1 is then open,
    // half-closed by the client; its response goes through submitResponse(1, ...).
    bool upgrade(QByteArrayView settings, bool headRequest);

    // Processes the client's bytes (the client preface first). Returns false when the session
    // failed (protocol error, flood, Rapid Reset): a GOAWAY is queued; send it, then close.
    bool receive(QByteArrayView bytes);
    // The next bytes to write (empty when nothing is queued now); valid until the next call.
    QByteArrayView nextOutput();
    // False once both sides said GOAWAY and no stream is left, or the session failed: flush what
    // nextOutput() gives, then close.
    bool isAlive() const;
    bool wantsRead() const;
    bool failed() const { return m_failed; }

    // Response of a stream: status and fields (names are lowercased; values without CR/LF/NUL,
    // as validated by submitResponse: false when a field is invalid). Only the fields in
    // `checked` are validated: the rest must be valid already (received over HTTP/2 or HTTP/1.1,
    // whose parsers checked them, or built by the gateway). hasBody: http2ReadBody() is asked
    // for it; else the HEADERS frame ends the stream.
    bool submitResponse(qint32 stream, int status, std::span<const Http1Field> fields, bool hasBody,
                        Http1Writer::FieldRange checked = {});
    // Trailers, from inside http2ReadBody() when it sets `end`.
    bool submitTrailers(qint32 stream, std::span<const Http1Field> fields,
                        Http1Writer::FieldRange checked = {});
    void resumeData(qint32 stream);
    void resetStream(qint32 stream, quint32 errorCode);
    // Gives `bytes` of a stream's request body back to the client's stream window (the
    // connection's came back as they arrived).
    void consume(qint32 stream, qint64 bytes);
    // Graceful: GOAWAY with the last stream the gateway took; streams in progress finish.
    void shutdown();
    // GOAWAY(errorCode) naming `lastStream` as the last one processed: the peer takes the streams
    // above it as refused (RFC 9113 §6.8). For test upstreams that play a draining server.
    void goAway(qint32 lastStream, quint32 errorCode = kNoError);
    // Ends the session at once with GOAWAY(errorCode).
    void terminate(quint32 errorCode);

    // HTTP/2 error codes (RFC 9113 §7) used by the gateway.
    static constexpr quint32 kNoError = 0x0;
    static constexpr quint32 kProtocolError = 0x1;
    static constexpr quint32 kInternalError = 0x2;
    static constexpr quint32 kRefusedStream = 0x7;
    static constexpr quint32 kCancel = 0x8;
    static constexpr quint32 kEnhanceYourCalm = 0xb;

    // Static trampolines for nghttp2's callbacks (the .cpp's table); not part of the interface.
    struct Callbacks;

private:
    void countReset();

    nghttp2_session *m_session = nullptr;
    Http2SessionHandler *m_handler;
    Http2Limits m_limits;
    std::chrono::steady_clock::time_point m_resetWindowStart{};
    int m_resets = 0;
    bool m_failed = false;
    bool m_trailersSubmitted = false;   // submitTrailers() ran in the current http2ReadBody()
};

} // namespace Gatehouse
