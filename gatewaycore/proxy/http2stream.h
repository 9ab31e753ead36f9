// One HTTP/2 request stream as a proxy exchange: routed, run through its route's filter chain,
// forwarded to an HTTP/1.1 upstream from the worker's pool (gRPC routes: a stream of an HTTP/2
// upstream connection, http2streamgrpc.cpp; JSON transcoding: a gRPC call made from the REST
// request, http2streamtranscode.cpp), the response streamed back with trailers. Flow
// control is the backpressure in both directions: request DATA is acknowledged only as the
// upstream takes it, the upstream is read only while the client's window has room.
#pragma once

#include "bodybuffer.h"
#include "coarseclock.h"
#include "errorresponse.h"
#include "exchange.h"
#include "grpcweb.h"
#include "http2upstreamconnection.h"
#include "transcodereply.h"
#include "upstreamconnection.h"

#include "http/http1head.h"

#include <QByteArray>
#include <QVarLengthArray>

#include <memory>
#include <optional>
#include <span>

namespace Gatehouse {

class Http2Connection;

class Http2Stream final : public UpstreamHandler, public Http2UpstreamHandler, public FilterChainHost
{
public:
    using Clock = CoarseClock;

    Http2Stream(Http2Connection *connection, qint32 id);
    ~Http2Stream();
    Http2Stream(const Http2Stream &) = delete;
    Http2Stream &operator=(const Http2Stream &) = delete;
    // A closed stream as a new one (Http2ConnectionSet keeps them): every member back to its
    // initial value, the exchange and the buffers' capacity kept. A member added to this class
    // is reset here too.
    void reuse(Http2Connection *connection, qint32 id);

    qint32 id() const { return m_id; }

    // --- Session events (see Http2SessionHandler) ---
    void beginHeaders();
    void addHeader(QByteArrayView name, QByteArrayView value);
    void headersComplete(bool trailers, bool endStream);
    void data(QByteArrayView bytes);
    void endStream();
    // The stream is gone: the upstream is let go, filters complete. No call follows but delete.
    void closed();
    qint64 readBody(std::span<char> buffer, bool &end);

    void tick(Clock::time_point now);
    // The connection's output drained: the upstream may be read again if this stream paused it.
    void resumeUpstreamReading();

private:
    enum class Deadline { None = 1, Filter, UpstreamConnect, UpstreamResponse };
    struct FieldRef
    {
        qsizetype name;
        qsizetype nameSize;
        qsizetype value;
        qsizetype valueSize;
    };
    // Field lines copied out of nghttp2's buffers; views are built once the block is complete.
    // A call's fields (a few hundred bytes) fit without a heap block.
    struct FieldStore
    {
        static constexpr qsizetype kInlineBytes = 512;
        static constexpr qsizetype kInlineRefs = 24;
        QVarLengthArray<char, kInlineBytes> bytes;
        QVarLengthArray<FieldRef, kInlineRefs> refs;
        qint64 listBytes = 0;   // RFC 9113 §6.5.2 size, for the header list limit
        void add(QByteArrayView name, QByteArrayView value);
        void fill(Http1FieldList &list) const;
        void clear();   // a large block's heap storage goes
    };

    void startExchange();
    void route();
    void resumeFilterChain(bool rerunCurrent, FilterStatus status) override;   // FilterChainHost
    void afterFilters(FilterStatus status);
    // Body hooks (bodybuffer.h), only for routes whose chain reads bodies.
    void bufferRequestBody(qint64 limit);
    void requestBodyBuffered();
    bool collectingRequest() const { return m_requestBuffer.isActive() && !m_requestBuffered; }
    void respondHeld();
    void tooLargeResponse(qint64 limit);
    // The response head as the client gets it (after the filters' onResponseHead()).
    void submitResponseHead(int status, const Http1FieldList &upstreamFields, Http1Framing framing,
                            qint64 contentLength);
    // A held response outgrew an optional body read: its head and the bytes so far go out, the
    // rest streams.
    void streamHeldResponse();
    bool startUpstream();
    bool sendRequestHead();
    void pumpRequestBody();
    void respondError(const GatewayError &error, std::span<const Http1Field> extraFields = {});
    // `checked`: the fields policies set (the rest were checked when received, or are built).
    void submitHead(int status, std::span<const Http1Field> fields, bool hasBody,
                    Http1Writer::FieldRange checked = {});
    void appendResponseBody(QByteArrayView bytes);
    void releaseUpstream(bool reusable);
    void failUpstream(UpstreamFailure failure);
    void reset(quint32 errorCode);
    void setDeadline(Deadline kind, std::chrono::milliseconds after);
    void dropPendingBody();   // request bytes held for the upstream: acknowledged and dropped
    ClientRequest clientRequest() const;
    ClientView clientView() const;

    // UpstreamHandler
    void upstreamConnected() override;
    void upstreamHead(const Http1Head &head) override;
    void upstreamBody(QByteArrayView data) override;
    void upstreamComplete(const Http1FieldList &trailers) override;
    void upstreamFailed(UpstreamFailure failure, bool responseStarted) override;
    void upstreamDrained() override;

    // gRPC (http2streamgrpc.cpp)
    void noteGrpcRequest();   // content-type and grpc-timeout of the request head
    bool startGrpcUpstream();
    void cancelGrpcUpstream(quint32 errorCode);
    void giveBackUpstreamBytes(qint64 bytes);
    void respondGrpcError(const GatewayError &error, std::span<const Http1Field> extraFields);
    bool tickGrpc(Clock::time_point now);   // true: a deadline passed and was answered
    // gRPC-Web from an HTTP/2 client (http2streamgrpc.cpp): the body decoded and checked on its
    // way in, the response re-framed on its way out.
    bool grpcWebData(QByteArrayView bytes);   // false: answered with an error
    void ackGrpcWebBytes();                   // text mode: the client's window as the body drains

    // JSON transcoding (http2streamtranscode.cpp): a google.api.http binding of a gRPC method.
    qint64 transcodeLimit() const;   // request and response bytes a transcoded call takes
    bool startTranscodedUpstream();
    bool openTranscodedStream();
    void transcodeHead(int status, const Http1FieldList &fields, bool endStream);
    void transcodeData(QByteArrayView data);
    void transcodeComplete(const Http1FieldList &trailers);
    void transcodeFailed(UpstreamFailure failure, bool refused);
    void submitTranscodedHead(int status, qint64 contentLength);
    void endTranscodedArray(const TranscodeStatus &end);

    // REST routes whose endpoints speak HTTP/2 (http2streamrest.cpp): the exchange as a stream of
    // an HTTP/2 upstream connection, with the same filters, body hooks and errors as HTTP/1.1.
    bool startRestH2Upstream();
    void restH2Head(int status, const Http1FieldList &fields, bool endStream);
    void restH2Data(QByteArrayView data);
    void restH2Complete(const Http1FieldList &trailers);
    void restH2Failed(UpstreamFailure failure, bool refused);

    // Http2UpstreamHandler (gRPC routes, transcoded calls, REST routes over HTTP/2)
    void h2UpstreamHead(int status, const Http1FieldList &fields, bool endStream) override;
    void h2UpstreamData(QByteArrayView data) override;
    void h2UpstreamComplete(const Http1FieldList &trailers) override;
    void h2UpstreamFailed(UpstreamFailure failure, quint32 errorCode, bool refused) override;
    qint64 h2UpstreamRequestBody(std::span<char> buffer, bool &end) override;

    Http2Connection *m_connection;
    qint32 m_id;

    // The request
    FieldStore m_requestFields;
    FieldStore m_requestTrailers;
    Http1FieldList m_headers;     // regular fields (cookies joined, host from :authority)
    Http1FieldList m_trailers;
    QByteArrayView m_method;
    QByteArrayView m_pathAndQuery;
    QByteArrayView m_authority;
    HttpMethod m_methodKind = HttpMethod::Other;
    qint64 m_declaredLength = -1;    // content-length, -1 when absent
    qint64 m_receivedBytes = 0;      // DATA payload so far
    bool m_headersDone = false;
    bool m_inTrailers = false;
    bool m_requestEnded = false;     // END_STREAM from the client
    bool m_requestChunked = false;   // the body goes upstream chunked (no content-length)
    bool m_requestTerminated = false; // the upstream got the whole request
    bool m_discardBody = false;      // answered: DATA is acknowledged and dropped
    QByteArray m_pendingBody;        // DATA not yet taken by the upstream (bounded by the window)
    qsizetype m_pendingPos = 0;      // HTTP/2 upstream: bytes of m_pendingBody already taken
    qsizetype m_pendingAcked = 0;    // bytes of m_pendingBody given back to the client's window
    // A unary gRPC call keeps its message (up to 64 KiB) while its upstream stream is open: a
    // stream refused unprocessed (REFUSED_STREAM, above a GOAWAY's last stream) is sent again.
    bool m_replayable = false;
    Clock::time_point m_lastData{};

    // The exchange: an exchange starts at the complete header block and is recorded once, when
    // the stream closes.
    ProxyExchange m_exchange;
    bool m_requestBodyStarted = false;   // body bytes reached an upstream: no transparent retry
    Deadline m_deadlineKind = Deadline::None;
    Clock::time_point m_deadline{};

    // The response
    bool m_responseHeadSent = false;
    bool m_responseComplete = false;
    bool m_upstreamPaused = false;
    bool m_headRequest = false;
    QByteArray m_out;                // body bytes waiting for the client's window
    qsizetype m_outPos = 0;
    FieldStore m_responseTrailers;
    bool m_closed = false;

    // gRPC
    bool m_grpc = false;             // content-type application/grpc: errors answer as gRPC
    std::optional<Clock::time_point> m_grpcDeadline;   // from grpc-timeout
    Http2UpstreamConnection *m_h2Upstream = nullptr;   // while the upstream stream is open
    qint32 m_h2Stream = -1;
    qint64 m_h2Unconsumed = 0;       // upstream DATA bytes not yet given back to its window
    quint32 m_h2FailureCode = 0;     // the last failed attempt's code (kNotHttp2 names the cause)
    bool m_h2Rest = false;           // a REST route's exchange on m_h2Upstream
    std::optional<GrpcWebCodec> m_grpcWeb;   // content-type application/grpc-web...
    qint64 m_webUnacked = 0;         // text mode: client DATA bytes decoded, not yet acknowledged

    // JSON transcoding: the route's binding, the framed request, the response as it arrives.
    const TranscodeRoute *m_transcode = nullptr;
    QByteArray m_transcodeRequest;
    QByteArray m_transcodeBody;      // unary: the whole response; streaming: a partial message
    QByteArray m_transcodeGrpcStatus;
    QByteArray m_transcodeGrpcMessage;
    int m_transcodeHttpStatus = 0;

    // Body hooks: the request collected before the upstream is called, the response held whole.
    BodyBuffer m_requestBuffer;
    bool m_requestBuffered = false;   // the hooks ran: m_requestBuffer's bytes go upstream
    BodyBuffer m_responseBuffer;
    HeldResponseHead m_heldHead;
};

} // namespace Gatehouse
