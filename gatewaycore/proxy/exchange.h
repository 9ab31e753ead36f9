// The part of one proxied request that does not depend on the client's HTTP version: routing, the
// filter chain and its context, the upstream path, the choice of endpoint with failover and
// retries, the request fields sent upstream, and the exchange's metrics and access-log entry.
// DownstreamConnection (HTTP/1.1) and Http2Stream own one each and keep only what their protocol
// needs: framing, flow control, deadlines and the way answers are written.
#pragma once

#include "coarseclock.h"
#include "errorresponse.h"
#include "forwarding.h"
#include "upstreamconnection.h"

#include "http/http1head.h"
#include "pipeline/filterchain.h"
#include "pipeline/requestcontext.h"
#include "project/gatewayconfig.h"
#include "telemetry/requestcapture.h"
#include "telemetry/tracecontext.h"
#include "telemetry/tracerecord.h"

#include <QByteArray>
#include <QHostAddress>

#include <array>
#include <memory>
#include <optional>

namespace Gatehouse {

class ByteStream;
class Http2UpstreamConnection;
class Worker;

// The client's connection, as views owned by the connection (valid while it lives).
struct ClientView
{
    const QHostAddress *peer = nullptr;
    QByteArrayView peerText;
    bool tls = false;
    const ByteStream *stream = nullptr;   // for the client certificate chain of a TLS connection
};

// The client's request, as views valid for the exchange.
struct ClientRequest
{
    QByteArrayView method;
    HttpMethod methodKind = HttpMethod::Other;
    QByteArrayView pathAndQuery;
    QByteArrayView host;      // Host, or :authority; empty when absent
    QByteArrayView version;   // "HTTP/1.1", "HTTP/1.0", "HTTP/2" (the access log's protocol)
    const Http1FieldList *headers = nullptr;
};

// Threading: the owning connection's worker thread only. Not copyable: the context's resume
// handles point at the host.
class ProxyExchange
{
public:
    using Clock = CoarseClock;

    ProxyExchange(Worker *worker, FilterChainHost *host);
    ~ProxyExchange();
    ProxyExchange(const ProxyExchange &) = delete;
    ProxyExchange &operator=(const ProxyExchange &) = delete;

    // --- Life of an exchange ---
    // A new exchange on the worker's current config. One still unrecorded (cut by a reset) is
    // recorded first, as aborted. `labelMethod` labels its metrics until it is routed.
    void begin(HttpMethod labelMethod);
    // Whether begin() was called and record() was not yet.
    bool isRecording() const { return m_startNs != 0; }
    // The exchange is over: filters complete, the upstream (if still lent) is aborted, the config
    // snapshot is let go. Metrics are recorded separately (record()).
    void end();

    // Another connection takes this exchange over (Http1ExchangePool), between exchanges only.
    void setHost(FilterChainHost *host) { m_host = host; }

    const std::shared_ptr<const GatewayConfig> &config() const { return m_config; }
    const Limits &limits() const;
    const Route *route() const { return m_route; }
    QByteArrayView path() const { return m_path; }     // the routed (normalised) path
    QByteArrayView query() const { return m_query; }   // "?..." or empty

    // --- Routing ---
    // Normalises the path and matches it. Returns the answer when the request cannot be routed
    // (no config, invalid path, 404, 405 with `allow` set to the Allow value).
    std::optional<GatewayError> route(QByteArrayView method, QByteArrayView pathAndQuery,
                                      QByteArray &allow);
    // The route's filter chain, or null when it has none.
    const FilterChain *chain() const;

    // --- Filters ---
    // Fills the context from the request and the connection and runs the chain from its start.
    FilterStatus startFilters(const FilterChain *chain, const ClientRequest &request, ClientView client);
    FilterStatus resumeFilters(bool rerun, FilterStatus status);
    bool filtersSuspended() const { return m_chainRun.isSuspended(); }
    // onComplete() of the filters that ran (cancels a suspended filter's resume handle). Twice is
    // harmless; the context keeps what filters decided.
    void completeFilters() { m_chainRun.complete(m_ctx); }
    // The upstream's response head for the filters' onResponseHead().
    void responseHead(int status, const Http1FieldList &fields);
    // Body hooks: the bytes of the request / response body the chain reads (0: stream it).
    qint64 requestBodyLimit() const;
    qint64 responseBodyLimit() const;
    // A response over responseBodyLimit() streams instead of being refused (FilterChain).
    bool responseBodyOptional() const;
    // A 304 with this status is held like a body for a filter that answers it itself (a cache
    // revalidating: FilterChain::readsNotModified()); response() then decides what the client gets.
    bool holdsNotModified(int status) const;
    // The whole request body for the filters' onRequestBody() (may replace it): Continue, or
    // Respond with context().error.
    FilterStatus requestBody(QByteArray &body);
    // The whole response: onResponseHead() then onResponseBody() (may replace the body and edit
    // the response fields); Continue, or Respond with context().error for the client instead.
    FilterStatus response(int status, const Http1FieldList &fields, QByteArray &body);
    // The context when a chain ran for this exchange (its edits apply), else null.
    const RequestContext *edits() const { return m_filtersRan ? &m_ctx : nullptr; }
    const RequestContext &context() const { return m_ctx; }
    // A filter answered (FilterStatus::Respond): counts the refusal; the answer is context().error
    // with context().responseHeaders.
    void countRefusal();

    // --- Upstream ---
    // Builds the path sent upstream (below the base path, or the one a rewrite policy chose,
    // plus the query) and picks the first endpoint (round robin for load-balanced routes).
    void prepareUpstream();
    // Lends a connection to the first endpoint available from the current one on and begins the
    // request on it (upstreamConnected() follows). Null with `error` set when every endpoint is
    // unavailable or the route has none.
    UpstreamConnection *acquireUpstream(UpstreamHandler *handler, HttpMethod method, GatewayError &error);
    UpstreamConnection *upstream() const { return m_upstream; }
    // For HTTP/2 upstreams (gRPC, gRPC-Web, transcoded calls, REST with `http2: true`), which lend
    // streams rather than connections: the endpoint acquireUpstream() would pick (target() from
    // then on), with the attempt counted, and a connection of the worker's HTTP/2 pool to it with
    // room for a stream. Null with `error` set as there.
    Http2UpstreamConnection *acquireHttp2Upstream(GatewayError &error);
    // Http2UpstreamConnection::openStream() refused the request (a field HTTP/2 cannot carry): the
    // attempt counts as failed; the 502 to answer with (`call`: a gRPC call, else a request).
    GatewayError http2StreamRefused(bool call);
    // Until the response head of a gRPC call: the route's endpoint timeout, else `fallback`.
    std::chrono::milliseconds callTimeout(std::chrono::milliseconds fallback) const;
    // Gives the connection back to the pool (reusable) or closes it.
    void releaseUpstream(bool reusable);
    // The upstream connection closed itself (upstreamFailed): forget it without touching it.
    void forgetUpstream() { m_upstream = nullptr; }
    // After a failed attempt: true when the request may go to the next endpoint (then the
    // endpoint advanced). Nothing reached the upstream when connecting failed: any method may go
    // elsewhere; once the request was sent only idempotent requests without a body sent are
    // retried (it may have run). Timeouts are never retried.
    bool mayRetry(UpstreamFailure failure, HttpMethod method, bool requestBodyStarted);
    const UpstreamEndpoint *target() const { return m_target; }
    // The request target sent upstream: the endpoint's path prefix and the upstream path.
    void appendUpstreamTarget(QVarLengthArray<char, 256> &target) const;
    // The client's fields as the upstream gets them: hop-by-hop fields and those its Connection
    // fields name dropped, the fields policies removed dropped, X-Forwarded-For and Via extended,
    // the policies' fields added, Host set to the endpoint's, X-Forwarded-Proto/-Host added.
    // `viaProtocol` is "1.1", "1.0" or "2". Returns whether the client sent "te: trailers".
    struct UpstreamFieldBuffers
    {
        ValueBuffer forwardedFor;
        ValueBuffer via;
        // Where the fields policies set are in `fields`: the only ones an HTTP/1.1 writer must
        // check (Http1Writer::FieldRange); the client's were checked by the parser, the gateway's are built.
        qsizetype policyFieldsBegin = 0;
        qsizetype policyFieldsEnd = 0;
    };
    // With tracing on, the client's traceparent/tracestate are replaced by the gateway's (see
    // beginTrace); the head counts as sent upstream from here (trace spans).
    bool appendUpstreamFields(FieldArray &fields, UpstreamFieldBuffers &buffers,
                              const ClientRequest &request, ClientView client,
                              QByteArrayView viaProtocol);
    // A gRPC call's fields upstream: appendUpstreamFields() without the client's content-type,
    // content-length and `dropped` (they describe a gRPC-Web or JSON exchange), then
    // `contentType` and "te: trailers".
    void appendGrpcUpstreamFields(FieldArray &fields, UpstreamFieldBuffers &buffers,
                                  const ClientRequest &request, ClientView client, QByteArrayView viaProtocol,
                                  QByteArrayView contentType, std::initializer_list<QByteArrayView> dropped = {});
    // A Host field set by a policy, which becomes the :authority of an HTTP/2 request (HTTP/2
    // carries no Host field); empty when none did.
    static QByteArrayView policyAuthority(const FieldArray &fields, const UpstreamFieldBuffers &buffers);

    // --- Tracing (telemetry.tracing; telemetry/requesttrace.h) ---
    // Reads the request's traceparent/tracestate and decides sampling: call once the head is
    // complete, before route(), so that unrouted requests are traced too.
    void beginTrace(const ClientRequest &request);
    // The client's request was sent upstream whole (its body, if any, forwarded).
    void requestSent();
    // The Server-Timing value for the response head being written now (per-phase durations so
    // far), or empty when telemetry.tracing.serverTiming is off. Valid until the next call.
    QByteArrayView serverTiming();

    // --- Capture (telemetry.tracing.capture; telemetry/requestcapture.h) ---
    // The connection hands over the request body's bytes as it reads them, the request's end,
    // and the response body's bytes as they go to the client. One branch each when capture is
    // off (it starts in beginTrace for recorded requests only).
    void captureRequestBody(QByteArrayView data) { m_capture.requestBody(data); }
    void captureRequestComplete() { m_capture.requestComplete(); }
    void captureResponseBody(QByteArrayView data) { m_capture.responseBody(data); }

    // --- Telemetry (CLOCK_MONOTONIC ns) ---
    void attemptStarted();
    // A response head arrived from the upstream: the endpoint succeeded, "upstream" ends and
    // "respond" begins.
    void upstreamResponded(int status);
    // The attempt failed: counted; the endpoint's failure counts for its circuit breaker
    // (unless the response was malformed).
    void attemptFailed(UpstreamFailure failure);
    // The upstream's response is complete: the upstream client histogram, and the end of the
    // exchange's duration.
    void upstreamCompleted(HttpMethod method);
    // The status the client gets (0: none yet); bytes sent to it (heads and bodies).
    void setResponseStatus(int status) { m_status = status; }
    // The gateway answers with `error` itself: sets the status and, for an explained request,
    // records why when no filter did (no route, a method not allowed, the upstream failed ...).
    void gatewayAnswered(const GatewayError &error);
    int responseStatus() const { return m_status; }
    void addBytesSent(qint64 bytes) { m_bytesSent += bytes; }
    // Records the exchange once (histograms, phases, access log): `request` is null for a request
    // refused before its head was complete.
    void record(const ClientRequest *request, QByteArrayView peerText);

private:
    // Whether this exchange's decisions are recorded: sampled while the trace view listens.
    bool explains() const;
    void logExchange(const ClientRequest *request, QByteArrayView peerText, qint64 nowNs);
    // The first endpoint available from the current one on becomes the target, the attempt
    // counted; null with `error` set when the route has none or every one is unavailable.
    const UpstreamEndpoint *startAttempt(GatewayError &error);
    void recordMetrics(qint64 nowNs);
    void traceAttemptStarted(bool connected);
    void traceRequestHeadSent();
    void traceAttemptEnded(bool failed);
    void traceResponseHead(const Http1FieldList &fields);
    void recordTrace(const ClientRequest *request, QByteArrayView peerText, qint64 nowNs);
    void captureGatewayAnswer(const GatewayError &error);

    Worker *m_worker;
    FilterChainHost *m_host;
    std::shared_ptr<const GatewayConfig> m_config;
    const Route *m_route = nullptr;
    QByteArray m_normalizedPath;   // the request path when it had to be normalised
    QByteArrayView m_path;
    QByteArrayView m_query;
    bool m_filtersRan = false;     // m_ctx is this exchange's (a chain ran)
    RequestContext m_ctx;
    FilterChainRun m_chainRun;
    QByteArray m_upstreamPath;     // below the base path + query (the prefix is added when sent)
    UpstreamConnection *m_upstream = nullptr;
    const UpstreamEndpoint *m_target = nullptr;   // in m_config's route: lives as long
    int m_endpointIndex = 0;
    int m_attempts = 0;

    // Timestamps are the worker loop's now (EpollEventDispatcher::loopTimeNs()): free to read, so
    // they are taken whether or not anything reads them.
    qint64 m_startNs = 0;          // 0: nothing to record
    qint64 m_attemptStartNs = 0;
    qint64 m_upstreamNs = 0;       // upstream attempts until a response head (phase "upstream")
    qint64 m_responseHeadNs = 0;   // the upstream's head arrived (phase "respond" from here)
    qint64 m_endNs = 0;            // the upstream's response completed
    quint32 m_metricLabels = 0;    // MetricsShard label set: method, route, API (also the access log's)
    bool m_metricsOn = true;       // telemetry.metrics.enabled of m_config: record into the shard
    bool m_upstreamTimed = false;  // an attempt ended: m_upstreamNs holds its time, maybe 0
    int m_status = 0;
    qint64 m_bytesSent = 0;

    // Tracing: spans of the current upstream attempt and the response (-1: none), the values
    // sent upstream and in Server-Timing (buffers reused across exchanges).
    int m_upstreamSpan = -1;
    int m_connectSpan = -1;
    int m_sendSpan = -1;
    int m_firstByteSpan = -1;
    int m_respondSpan = -1;
    qint64 m_requestSentNs = 0;
    // The traceparent of the current attempt (kTraceparentSize characters once written).
    std::array<char, kTraceparentSize> m_traceparent{};
    bool m_traceparentWritten = false;
    QByteArray m_tracestateJoined;
    QByteArray m_serverTiming;
    QList<TraceHeaderField> m_traceResponseFields;   // the upstream's, redacted (when sampled)
    bool m_traceResponseSeen = false;
    RequestCapture m_capture;   // active only for recorded requests while capture is on
};

} // namespace Gatehouse
