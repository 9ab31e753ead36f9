// One HTTP/2 connection to an upstream (h2c by prior knowledge, or h2 over TLS with ALPN "h2"),
// carrying many exchanges at once as streams. Owned by the worker's Http2UpstreamPool. Bodies
// stream both ways under HTTP/2 flow control; nothing buffers a whole body.
#pragma once

#include "bytestream.h"
#include "errorresponse.h"
#include "outputboundreading.h"
#include "upstreamconnection.h"   // UpstreamFailure
#include "upstreamendpoint.h"

#include "http/http2clientsession.h"

#include <QByteArray>
#include <QObject>
#include <QVarLengthArray>

#include <chrono>
#include <memory>
#include <unordered_map>

class QSslConfiguration;
class QTcpSocket;
class QTimer;

namespace Gatehouse {

class Http2UpstreamConnection;

// Implemented by the exchange that owns a stream. Callbacks run on the worker thread, from the
// connection's events; a handler may cancel its stream from inside any of them (none follows).
class Http2UpstreamHandler
{
public:
    // The final response head (interim 1xx heads are dropped). Views valid during the call.
    // endStream: the head is the whole response (gRPC's trailers-only form); h2UpstreamComplete()
    // follows at once, with no trailers.
    virtual void h2UpstreamHead(int status, const Http1FieldList &fields, bool endStream) = 0;
    // Response body bytes; give them back with Http2UpstreamConnection::consume() once they
    // went on: until then the upstream's stream window shrinks (the backpressure). The
    // connection's window comes back at once: a slow reader stalls its own stream only.
    virtual void h2UpstreamData(QByteArrayView data) = 0;
    // The response ended, with its trailers (empty when none). The stream is gone.
    virtual void h2UpstreamComplete(const Http1FieldList &trailers) = 0;
    // The stream failed: connect failure/timeout, RST_STREAM (errorCode), GOAWAY, a broken
    // connection. refused: the upstream did not process the request (REFUSED_STREAM, a GOAWAY
    // that excluded it, or no connection at all), so it may be retried. The stream is gone.
    // errorCode kNotHttp2 (with ConnectFailed): a TLS upstream that did not agree on h2.
    virtual void h2UpstreamFailed(UpstreamFailure failure, quint32 errorCode, bool refused) = 0;
    // Request body for the stream, at most buffer.size() bytes: the number copied, or -1 when none
    // is ready (call Http2UpstreamConnection::resumeRequestBody() when there is). `end` with the
    // last bytes; request trailers go with submitRequestTrailers() inside this call.
    virtual qint64 h2UpstreamRequestBody(std::span<char> buffer, bool &end) = 0;

protected:
    ~Http2UpstreamHandler() = default;
};

// Not on the wire: the error code of streams whose TLS upstream agreed by ALPN on another protocol
// than h2 (an HTTP/1.1-only server), or on none.
inline constexpr quint32 kNotHttp2 = 0x10001;

// The answer for a call whose last attempt failed with (failure, errorCode): upstreamError(), or
// for kNotHttp2 a 502 whose description names the cause and the endpoint.
GatewayError http2UpstreamError(UpstreamFailure failure, quint32 errorCode, const UpstreamEndpoint *endpoint);

class Http2UpstreamConnection final : public QObject, private ByteStreamHandler, private Http2ClientHandler
{
    Q_OBJECT
public:
    // tls: the pool's client configuration (ALPN set to "h2" here); null for h2c.
    Http2UpstreamConnection(const UpstreamTarget &target, const QSslConfiguration *tls,
                            const Http2ClientLimits &limits, std::chrono::milliseconds connectTimeout,
                            QObject *parent);
    ~Http2UpstreamConnection() override;

    const UpstreamTarget &target() const { return m_target; }
    bool isConnected() const { return m_stream != nullptr; }
    // Another stream can be opened now (peer's concurrency, no GOAWAY, not failed). While the
    // connection is still being set up, up to the assumed 100 streams.
    bool hasCapacity() const;
    int streamCount() const { return int(m_streams.size()); }
    bool isClosed() const { return m_closed; }

    // A request as a new stream: `fields` are the regular fields (connection-specific ones and
    // Host are dropped; :authority is `authority`, else the target's host). hasBody: pulled
    // through the handler. Returns the stream id, or -1 (invalid field, no capacity): the handler
    // gets no callback.
    // `checked`: the fields to validate (Http2ClientSession::submitRequest); by default all.
    qint32 openStream(Http2UpstreamHandler *handler, QByteArrayView method, QByteArrayView path,
                      std::span<const Http1Field> fields, bool hasBody, QByteArrayView authority = {},
                      Http1Writer::FieldRange checked = {});
    // RST_STREAM(errorCode) and the handler detached: no callback follows for the stream.
    void cancelStream(qint32 stream, quint32 errorCode = Http2ClientSession::kCancel);
    void resumeRequestBody(qint32 stream);
    bool submitRequestTrailers(qint32 stream, std::span<const Http1Field> fields);
    void consume(qint32 stream, qint64 bytes);   // the stream's window only
    // Graceful: GOAWAY to the upstream; closes when the last stream ends.
    void drain();
    // Closes at once; every stream's handler gets h2UpstreamFailed(Reset).
    void abort();
    // Output is queued in the session: written once the event loop comes round.
    void requestSend();

signals:
    // The connection is gone (failed, drained, or closed by the upstream); the pool deletes it later.
    void closed(Gatehouse::Http2UpstreamConnection *connection);

private:
    struct Stream
    {
        Http2UpstreamHandler *handler = nullptr;
        bool headDone = false;
        bool complete = false;
    };

    void connectToUpstream();
    void onConnected();
    void onSocketError();
    void onConnectTimeout();
    void processInput();
    void sendOutput();
    void resumeReadingWhenDrained();
    void afterEvent();
    void failAll(UpstreamFailure failure, bool refused, quint32 errorCode = 0);
    void close();
    Stream *find(qint32 stream);
    void complete(Stream &s, const Http1FieldList &trailers);
    void fillFields(Http1FieldList &list) const;

    // ByteStreamHandler
    void streamReadable() override;
    void streamWritten() override;
    void streamClosed() override;

    // Http2ClientHandler
    void http2ResponseBegin(qint32 stream) override;
    void http2ResponseField(qint32 stream, QByteArrayView name, QByteArrayView value) override;
    void http2ResponseHeadersComplete(qint32 stream, Http2HeadKind kind, int status, bool endStream) override;
    void http2ResponseData(qint32 stream, QByteArrayView data) override;
    void http2ResponseEnd(qint32 stream) override;
    void http2StreamClosed(qint32 stream, quint32 errorCode) override;
    qint64 http2RequestBody(qint32 stream, std::span<char> buffer, bool &end) override;
    void http2GoAway(qint32 lastStream, quint32 errorCode) override;

    UpstreamTarget m_target;
    Http2ClientSession m_session;
    QTcpSocket *m_socket = nullptr;          // while connecting (and TLS until wrapped)
    std::unique_ptr<ByteStream> m_stream;    // once connected
    QTimer *m_connectTimer = nullptr;
    QByteArray m_in;
    OutputBoundReading m_reading;
    std::unordered_map<qint32, Stream> m_streams;
    // What the last find() found: a response's callbacks name the same stream several times.
    qint32 m_foundId = 0;
    Stream *m_found = nullptr;
    // The header block being received (one at a time on a connection): names and values, and
    // (name at, name size, value size) triples. Kept across blocks: no allocation per response.
    QVarLengthArray<char, 1024> m_blockBytes;
    QVarLengthArray<qsizetype, 48> m_blockFields;
    bool m_sendQueued = false;
    bool m_closed = false;
    bool m_draining = false;
    bool m_sessionFailed = false;
};

} // namespace Gatehouse
