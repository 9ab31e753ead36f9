// One client connection speaking HTTP/1.1: parses requests, routes them, forwards each to an
// upstream with streaming and backpressure in both directions, and answers errors as JSON.
// gRPC-Web calls on gRPC routes go to the route's HTTP/2 upstream as gRPC (downstreamgrpcweb.cpp).
#pragma once

#include "coarseclock.h"
#include "bodybuffer.h"
#include "bytestream.h"
#include "errorresponse.h"
#include "exchange.h"
#include "grpcweb.h"
#include "http1exchangestate.h"
#include "http2upstreamconnection.h"
#include "upstreamconnection.h"

#include "http/http1parser.h"

#include <QByteArray>
#include <QHostAddress>
#include <QObject>

#include <chrono>
#include <initializer_list>
#include <memory>
#include <optional>

namespace Gatehouse {

class Worker;

class DownstreamConnection : public QObject,
                             public UpstreamHandler,
                             public Http2UpstreamHandler,
                             public ByteStreamHandler,
                             public FilterChainHost
{
    Q_OBJECT
public:
    using Clock = CoarseClock;

    // Takes the client's (connected, possibly still handshaking) stream.
    DownstreamConnection(Worker *worker, std::unique_ptr<ByteStream> stream, bool tls);
    ~DownstreamConnection() override;

    // Called by the worker a few times a second: enforces header, idle and upstream deadlines.
    void tick(Clock::time_point now);
    // Stop accepting requests: close now when idle, else after the current response.
    void drain();
    bool isIdle() const { return m_state == State::WaitingForRequest && m_inPos == m_inEnd; }

    // Idle keep-alive with nothing but the idle timeout pending: the worker may park it, and
    // tick it only when deadline() has passed (an idle connection costs a tick nothing).
    bool isParkable() const
    {
        return isIdle() && m_deadlineKind == Deadline::Idle && !m_closed && !m_draining;
    }
    Clock::time_point deadline() const { return m_deadline; }
    // Parking gives the read and write buffers and the per-request state back (16 KiB and more
    // per connection otherwise); the next request takes them again.
    void releaseIdleBuffers();

    // The worker's intrusive list of the connections it ticks, or of the parked ones.
    struct TickLinks
    {
        DownstreamConnection *prev = nullptr;
        DownstreamConnection *next = nullptr;
        bool parked = false;
    };
    TickLinks tickLinks;

signals:
    void finished(Gatehouse::DownstreamConnection *connection);

private:
    enum class State {
        WaitingForRequest = 1,   // between requests (keep-alive) or before the first
        ReadingHead,             // some bytes of a head arrived
        Forwarding,              // request routed; body (if any) streaming to the upstream
        AwaitingResponse,        // request complete; waiting for / streaming the response
        Closing,                 // flushing the last bytes, then close
    };
    enum class Deadline { None = 1, Header, Idle, Filter, UpstreamConnect, UpstreamResponse };

    // ByteStreamHandler
    void streamReadable() override;
    void streamWritten() override;
    void streamClosed() override;

    // The first bytes: HTTP/2 (ALPN h2 or the h2c preface) goes to an Http2Connection; true
    // when they are HTTP/1.1 (protocolsniff.cpp).
    bool sniffProtocol();
    void handOverToHttp2();
    // "Upgrade: h2c" (RFC 7540 §3.2) on a cleartext request without a body: answers 101 and
    // hands the connection and the request over. False: the request is served as HTTP/1.1.
    bool upgradeToHttp2();

    // Client side
    void processInput();
    void parseLoop();
    void onRequestHead();
    void onRequestBody(QByteArrayView data);
    void onRequestComplete();
    void respondError(const GatewayError &error, bool close, std::span<const Http1Field> fields = {});
    void writeToClient(QByteArrayView bytes);
    qint64 pendingOutput() const;   // bytes written to the client socket, not yet in the kernel
    void closeAfterWrite();
    void lingerWhenFlushed();   // beginLinger() once every byte of the answer is in the kernel
    void beginLinger();
    void closeNow();

    // The per-request state, borrowed from the worker's pool on first use (http1exchangestate.h).
    Http1ExchangeState &perRequest()
    {
        if (!m_perRequest) [[unlikely]]
            acquireState();
        return *m_perRequest;
    }
    void acquireState();
    Http1Parser &parser() { return perRequest().parser; }
    const Http1Parser &parser() const { return m_perRequest->parser; }   // only while one is held
    // The request's protocol version as Via names it ("1.1", "1.0"); while a request is held.
    QByteArrayView viaProtocol() const { return parser().head().version == HttpVersion::Http10 ? "1.0" : "1.1"; }
    ProxyExchange &exchange() { return perRequest().exchange; }
    const ProxyExchange &exchange() const { return m_perRequest->exchange; }   // only while one is held
    HeldResponseHead &heldHead() { return perRequest().heldHead; }
    // Bytes [m_inPos, m_inEnd) are not parsed yet.
    QByteArray &readBuffer() { return perRequest().in; }

    // Exchange (the protocol-independent part is exchange())
    void runFilters(const FilterChain *chain);
    void resumeFilterChain(bool rerunCurrent, FilterStatus status) override;   // FilterChainHost
    void afterFilters(FilterStatus status);
    void bufferRequestBody(qint64 limit);
    void requestBodyBuffered();
    void holdResponse(const Http1Head &head);
    void respondHeld();
    void tooLargeResponse(qint64 limit);
    // A held response outgrew an optional body read: its head and the bytes so far go out, the
    // rest streams. False when the head could not be written (the exchange was answered).
    bool streamHeldResponse();
    // The response head to the client: the upstream's fields with the filters' edits, framing for
    // the client's version. False when the head cannot be written.
    bool writeResponseHead(int status, QByteArrayView reason, const Http1FieldList &upstreamFields,
                           Http1Framing framing, qint64 contentLength);
    void answerFilters();   // a filter answered: ctx.error with the filters' response fields
    bool startUpstream();
    void sendRequestHead();
    void finishExchange();
    // Metrics: an exchange starts at its complete head (or at a refusal before one) and is
    // recorded once, when its response is complete or the connection gives up on it.
    void beginExchange(HttpMethod method);
    void recordExchange();
    ClientRequest clientRequest() const;
    ClientView clientView() const { return {&m_peer, m_peerText, m_tls, m_stream.get()}; }
    void failUpstream(UpstreamFailure failure);
    void setDeadline(Deadline kind, std::chrono::milliseconds after);
    void armBodyTimeout();

    // UpstreamHandler
    void upstreamConnected() override;
    void upstreamHead(const Http1Head &head) override;
    void upstreamBody(QByteArrayView data) override;
    void upstreamComplete(const Http1FieldList &trailers) override;
    void upstreamFailed(UpstreamFailure failure, bool responseStarted) override;
    void upstreamDrained() override;

    // gRPC-Web (downstreamgrpcweb.cpp)
    void noteGrpcWebRequest();          // the request head's content-type and grpc-timeout
    bool answersAsGrpcWeb() const;      // errors go out as gRPC-Web trailers-only answers
    bool startGrpcWebUpstream();
    bool grpcWebReadingStalled();       // parseLoop: the upstream cannot take more body now
    void grpcWebRequestBody(QByteArrayView data);
    void grpcWebRequestComplete();
    void respondGrpcWeb(const GatewayError &error, bool close, std::span<const Http1Field> fields);
    void writeGrpcWebBody(QByteArrayView bytes);
    void endGrpcWebResponse();
    void cancelGrpcWebUpstream();
    void giveBackGrpcWebBytes();
    bool tickGrpcWeb(Clock::time_point now);   // true: a deadline passed and was answered
    void resetGrpcWeb();

    // REST routes whose endpoints speak HTTP/2 (downstreamh2rest.cpp): the exchange as a stream of
    // an HTTP/2 upstream connection, the request body pulled as for gRPC-Web, the response framed
    // for HTTP/1.1 (chunked without a length; trailers only when the client sent TE: trailers).
    bool startRestH2Upstream();
    void h2RestRequestBody(QByteArrayView data);
    void h2RestRequestComplete();
    void restH2Head(int status, const Http1FieldList &fields, bool endStream);
    void restH2Data(QByteArrayView data);
    void restH2Complete(const Http1FieldList &trailers);
    void restH2Failed(UpstreamFailure failure, quint32 errorCode, bool refused);

    // JSON transcoding (downstreamtranscode.cpp): a google.api.http binding of a gRPC method.
    qint64 transcodeLimit() const;   // request and response bytes a transcoded call takes
    bool startTranscodedUpstream();
    bool openTranscodedStream();
    void transcodeHead(int status, const Http1FieldList &fields, bool endStream);
    void transcodeData(QByteArrayView data);
    void transcodeComplete(const Http1FieldList &trailers);
    void transcodeFailed(UpstreamFailure failure, quint32 errorCode, bool refused);

    // Http2UpstreamHandler (gRPC-Web and transcoded calls)
    void h2UpstreamHead(int status, const Http1FieldList &fields, bool endStream) override;
    void h2UpstreamData(QByteArrayView data) override;
    void h2UpstreamComplete(const Http1FieldList &trailers) override;
    void h2UpstreamFailed(UpstreamFailure failure, quint32 errorCode, bool refused) override;
    qint64 h2UpstreamRequestBody(std::span<char> buffer, bool &end) override;

    Worker *m_worker;
    std::unique_ptr<ByteStream> m_stream;
    std::unique_ptr<Http1ExchangeState> m_perRequest;   // null while idle (see perRequest())
    qsizetype m_inPos = 0;     // in readBuffer()
    qsizetype m_inEnd = 0;
    QHostAddress m_peer;
    QByteArray m_peerText;
    bool m_tls;
    State m_state = State::WaitingForRequest;
    Deadline m_deadlineKind = Deadline::None;
    Clock::time_point m_deadline{};
    Clock::time_point m_bodyDeadline{};   // limits.bodyTimeout, while the request body streams
    bool m_draining = false;
    bool m_closed = false;
    bool m_lingering = false;
    bool m_inProcessInput = false;
    bool m_readDrained = false;   // the last read found the kernel's receive queue empty
    bool m_readPaused = false;    // streamReadable() off until the connection can read again
    bool m_sniffing = true;       // no byte read yet: HTTP/1.1 or HTTP/2 is still open

    // The exchange in progress is exchange(), valid from onRequestHead to finishExchange.
    bool m_closeOnEarlyAnswer = false;   // an answer before the body was read must close
    bool m_requestComplete = false;
    bool m_requestBodyStarted = false;   // body bytes went to an upstream: no transparent retry
    bool m_requestChunked = false;
    bool m_responseChunked = false;
    bool m_responseHeadSent = false;
    bool m_keepAlive = true;
    bool m_headRequest = false;
    bool m_continueSent = false;
    // Body hooks (bodybuffer.h), only for routes whose chain reads bodies.
    BodyBuffer m_requestBuffer;       // active: the request body is collected, not streamed
    bool m_requestBuffered = false;   // the hooks ran: m_requestBuffer's bytes go upstream
    BodyBuffer m_responseBuffer;      // active: the response is held until it is complete
    bool m_exchangeHasHead = false;  // began at a complete head (not at a refusal before one)

    // gRPC-Web: the call as a stream of an HTTP/2 upstream connection.
    std::optional<GrpcWebCodec> m_grpcWeb;   // the request's content-type is gRPC-Web
    bool m_grpcWebCall = false;              // bridged to an HTTP/2 upstream stream (gRPC-Web,
                                             // transcoding, REST over HTTP/2)
    bool m_h2Rest = false;                   // ... a REST route's exchange
    bool m_h2RestTrailers = false;           // ... whose client accepts trailers (TE: trailers)
    bool m_grpcWebHasBody = false;
    bool m_grpcWebRequestEnded = false;
    bool m_grpcWebTrailersOnly = false;      // the upstream's answer was its head alone
    bool m_grpcWebResumeQueued = false;
    std::optional<Clock::time_point> m_grpcDeadline;   // from grpc-timeout
    Http2UpstreamConnection *m_h2Upstream = nullptr;   // while the upstream stream is open
    qint32 m_h2Stream = -1;
    qint64 m_h2Unconsumed = 0;       // upstream DATA not yet given back to its window
    QByteArray m_grpcPending;        // gRPC request bytes the upstream has not taken yet
    qsizetype m_grpcPendingPos = 0;

    // JSON transcoding: the route's binding, the framed request, the response as it arrives.
    const TranscodeRoute *m_transcode = nullptr;
    QByteArray m_transcodeRequest;
    QByteArray m_transcodeBody;
    QByteArray m_transcodeGrpcStatus;
    QByteArray m_transcodeGrpcMessage;
    int m_transcodeHttpStatus = 0;
};

} // namespace Gatehouse
