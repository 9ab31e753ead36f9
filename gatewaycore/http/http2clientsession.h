// The client side of one HTTP/2 connection to an upstream: an nghttp2 session that submits
// requests (bodies pulled from the caller as the peer's windows allow), reports response heads,
// DATA, trailers, resets and GOAWAY, and gives flow-control window back only when told to.
#pragma once

#include "http/http1head.h"
#include "http/http1writer.h"

#include <QByteArrayView>
#include <QVarLengthArray>
#include <QtGlobal>

#include <span>

struct nghttp2_session;

namespace Gatehouse {

// What the client session announces and enforces towards an upstream.
struct Http2ClientLimits
{
    quint32 maxConcurrentStreams = 100;         // our own cap; the peer's SETTINGS may lower it
    quint32 maxHeaderListBytes = 64 * 1024;     // RFC 9113 §6.5.2 size of a response head/trailers
    quint32 streamWindowBytes = 256 * 1024;     // response body the upstream may send ahead per stream
    quint32 connectionWindowBytes = 1024 * 1024;
    quint32 headerTableBytes = 4096;            // HPACK decoder table
};

// What a response header block is.
enum class Http2HeadKind { Interim = 1, Final, Trailers };

// Events of the session, delivered from inside receive() (request bodies: from nextOutput()).
// Views are valid only during the call. Stream ids are those submitRequest() returned.
class Http2ClientHandler
{
public:
    // A response header block (head or trailers) begins. Blocks never interleave (RFC 9113
    // §4.3): the fields until http2ResponseHeadersComplete() are this stream's.
    virtual void http2ResponseBegin(qint32 stream) { Q_UNUSED(stream); }
    // One field of a response header block; ":status" first in a head. Validated by nghttp2
    // (RFC 9113 §8.3: lowercase, no connection-specific fields).
    virtual void http2ResponseField(qint32 stream, QByteArrayView name, QByteArrayView value) = 0;
    // The block is complete: `status` for Interim and Final (0 for Trailers); endStream: nothing
    // follows on this stream.
    virtual void http2ResponseHeadersComplete(qint32 stream, Http2HeadKind kind, int status,
                                              bool endStream) = 0;
    // Response body bytes; give the window back with consume() once they went on (backpressure).
    virtual void http2ResponseData(qint32 stream, QByteArrayView data) = 0;
    // END_STREAM on a DATA frame.
    virtual void http2ResponseEnd(qint32 stream) = 0;
    // The stream is gone: errorCode 0 after a complete exchange, else the RST_STREAM code
    // (kRefusedStream for streams a GOAWAY did not take; kHeaderListTooLarge below).
    virtual void http2StreamClosed(qint32 stream, quint32 errorCode) = 0;
    // Request body bytes for `stream`, at most `buffer.size()`: the number copied, or -1 when
    // nothing is ready (the session waits for resumeRequestBody()). Sets `end` with the last bytes;
    // trailers submitted with submitTrailers() in this call follow them.
    virtual qint64 http2RequestBody(qint32 stream, std::span<char> buffer, bool &end) = 0;
    // The peer sent GOAWAY: streams above lastStream are not processed (they close with
    // kRefusedStream); no new stream may be opened.
    virtual void http2GoAway(qint32 lastStream, quint32 errorCode) = 0;

protected:
    ~Http2ClientHandler() = default;
};

// Not thread-safe: one connection, one worker thread. Never throws.
class Http2ClientSession
{
public:
    Http2ClientSession(Http2ClientHandler *handler, const Http2ClientLimits &limits);
    ~Http2ClientSession();
    Http2ClientSession(const Http2ClientSession &) = delete;
    Http2ClientSession &operator=(const Http2ClientSession &) = delete;

    // Queues the client preface and our SETTINGS. False: the session could not be created.
    bool start();

    // A request: pseudo-header values and the regular fields (names are lowercased; a field
    // nghttp2 rejects makes the call fail; connection-specific ones are dropped). Only the fields
    // in `checked` are checked: the rest must be valid already (received over HTTP/2 or
    // HTTP/1.1, whose parsers checked them, or built from such values). hasBody: the body is
    // pulled through http2RequestBody(); else HEADERS ends the stream. Returns the stream id,
    // or -1 (invalid field, no stream ids left, GOAWAY received, session failed).
    qint32 submitRequest(QByteArrayView method, QByteArrayView scheme, QByteArrayView authority,
                         QByteArrayView path, std::span<const Http1Field> fields, bool hasBody,
                         Http1Writer::FieldRange checked = {});
    // Request trailers, only from inside http2RequestBody() when it sets `end`.
    bool submitTrailers(qint32 stream, std::span<const Http1Field> fields);
    // More request body is ready for a stream whose http2RequestBody() returned -1.
    void resumeRequestBody(qint32 stream);
    // RST_STREAM(errorCode); http2StreamClosed() follows from a later receive()/nextOutput().
    void resetStream(qint32 stream, quint32 errorCode);
    // Gives `bytes` of a stream's response body back to the peer's windows: both the stream's
    // and the connection's, or one of them alone (a proxy returns the connection's at once so
    // that one slow reader does not stall the other streams, and the stream's as its reader takes
    // the bytes).
    void consume(qint32 stream, qint64 bytes);
    void consumeStream(qint32 stream, qint64 bytes);
    void consumeConnection(qint64 bytes);
    // GOAWAY(NO_ERROR): streams in progress finish, no new ones.
    void shutdown();
    void terminate(quint32 errorCode);

    // The peer's bytes. False when the session failed (protocol error, flood): close the
    // connection after flushing nextOutput().
    bool receive(QByteArrayView bytes);
    // The next bytes to write (empty when nothing is queued now); valid until the next call.
    QByteArrayView nextOutput();
    // Streams submitted and not closed yet.
    int openStreams() const { return m_openStreams; }
    // Whether another stream may be submitted now without waiting: below the peer's
    // MAX_CONCURRENT_STREAMS and our own cap, no GOAWAY, ids left.
    bool canOpenStream() const;
    // The peer's SETTINGS_MAX_CONCURRENT_STREAMS (100 assumed until its SETTINGS arrive).
    quint32 peerMaxConcurrentStreams() const;
    bool goAwayReceived() const { return m_goAway; }
    bool failed() const { return m_failed; }
    // False once the session has nothing more to read or write (both GOAWAY, no streams), or failed.
    bool isAlive() const;

    static constexpr quint32 kNoError = 0x0;
    static constexpr quint32 kProtocolError = 0x1;
    static constexpr quint32 kInternalError = 0x2;
    static constexpr quint32 kRefusedStream = 0x7;
    static constexpr quint32 kCancel = 0x8;
    static constexpr quint32 kEnhanceYourCalm = 0xb;
    // Not on the wire: reported by http2StreamClosed() for a response whose header list exceeded
    // maxHeaderListBytes (the stream was reset with INTERNAL_ERROR).
    static constexpr quint32 kHeaderListTooLarge = 0x10000;

    // Static trampolines for nghttp2's callbacks (the .cpp's table); not part of the interface.
    struct Callbacks;

private:
    nghttp2_session *m_session = nullptr;
    Http2ClientHandler *m_handler;
    Http2ClientLimits m_limits;
    qint64 m_blockBytes = 0;     // the header block being received, §6.5.2 size
    qint32 m_blockStream = 0;
    QVarLengthArray<qint32, 4> m_oversized;   // reset for their header list: kHeaderListTooLarge
    int m_blockStatus = 0;
    int m_openStreams = 0;
    bool m_goAway = false;
    bool m_failed = false;
    bool m_trailersSubmitted = false;
};

} // namespace Gatehouse
