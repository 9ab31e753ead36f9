// TraceRecord: one traced request as the workbench's timeline and the OTLP exporter see it.
//
// A plain value type (copyable, no pointers into the gateway, no Qt object): build lists of it,
// keep it as long as you like, hand it across threads. GatewayEngine emits them in batches
// (traceBatch) on the engine's thread, at most every 100-250 ms, only for sampled requests.
//
// Times: startUnixNs is the wall clock when the request head was complete; every span's
// startOffsetNs is relative to it, so a timeline needs no clock of its own. Durations in ns.
// Span ids and the trace id are those exported over OTLP and sent upstream in traceparent.
// Secrets never reach a record: the values of Authorization, Proxy-Authorization, Cookie,
// Set-Cookie and API-key headers read "REDACTED" (names stay, so the timeline shows they came).
#pragma once

#include "tracecontext.h"

#include "pipeline/filter.h"

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QString>

namespace Gatehouse {

// What a child span measures.
enum class TraceSpanKind : quint8 {
    Filter = 1,          // one policy or filter of the chain (name: its filter name), phase set
    UpstreamConnect,     // TCP (+ TLS) connection to the upstream; absent when pooled
    UpstreamSend,        // request head (and body) written to the upstream
    UpstreamFirstByte,   // waiting for the upstream's response head
    Upstream,            // one attempt at the upstream, parent of the three above
    Respond,             // response head to the last byte written to the client
};

struct TraceSpanRecord
{
    TraceSpanKind kind = TraceSpanKind::Filter;
    Phase phase = Phase::Authn;   // the metrics phase the span's time counts in
    QByteArray name;              // "authentication", "lua", "upstream.connect" ...
    SpanId spanId = 0;
    int parent = -1;              // index into TraceRecord::spans; -1 = the request's span
    qint64 startOffsetNs = 0;     // from TraceRecord::startUnixNs
    qint64 durationNs = 0;
    bool error = false;           // the filter answered, the attempt failed ...
};

struct TraceHeaderField
{
    QByteArray name;   // as received (HTTP/2: lowercase)
    QByteArray value;  // "REDACTED" for credentials
};

struct TraceDecisionRecord
{
    Phase phase = Phase::Authn;
    QString filter;
    bool allowed = true;
    QString detail;
    DecisionTime time = DecisionTime::None;   // what atUnixMs means (pipeline/filter.h)
    qint64 atUnixMs = 0;
};

// A body as captured (telemetry.tracing.capture): its first bytes and how many passed.
struct TraceCapturedBody
{
    QByteArray bytes;          // at most the capture's maxBodyBytes
    qint64 totalBytes = 0;     // bytes that passed in all
    bool complete = false;     // the body's end passed (else the exchange ended before it)
    bool truncated() const { return totalBytes > bytes.size(); }
    // Whether `bytes` is the whole body, as sent.
    bool isWhole() const { return complete && !truncated(); }
};

// The request and response of a traced exchange as they passed, for the workbench's Replay.
// Only when capture is on and the engine's traceBatch has a receiver; never redacted, so never
// exported: the OTLP exporter, the access log and the admin API do not see it.
struct TraceCapture
{
    bool present = false;                          // the rest is meaningless when false
    QByteArray target;                             // path and query as sent, unredacted
    QList<TraceHeaderField> requestHeaders;        // as sent, unredacted
    TraceCapturedBody requestBody;
    QList<TraceHeaderField> responseHeaders;       // the upstream's (or the gateway's answer's)
    TraceCapturedBody responseBody;                // as sent to the client
};

struct TraceRecord
{
    TraceId traceId;
    SpanId spanId = 0;            // the gateway's span for the request (OTLP kind SERVER)
    SpanId parentSpanId = 0;      // the caller's span when it sent a valid traceparent, else 0
    QByteArray traceState;        // propagated verbatim (valid tracestate of a continued trace)
    int worker = 0;

    qint64 startUnixNs = 0;
    qint64 durationNs = 0;

    QByteArray protocol;          // "HTTP/1.1", "HTTP/2"
    QByteArray method;
    QByteArray target;            // path and query as sent, query values "REDACTED"
    QByteArray route;             // route template ("/pets/{id}"), empty when unrouted
    QByteArray api;               // API title, empty when unrouted
    QString caller;               // authenticated subject, empty when anonymous
    QByteArray peer;              // client address
    int status = 0;               // 0: no response (the client went away)
    QString error;                // "900902 Missing credentials": a filter's answer, else empty
    QByteArray upstream;          // "host:port" of the last attempt, empty without one

    QList<TraceSpanRecord> spans;                 // in start order
    QList<TraceHeaderField> requestHeaders;       // redacted
    QList<TraceHeaderField> responseHeaders;      // redacted
    QList<TraceDecisionRecord> decisions;         // only when decisions were recorded
    TraceCapture capture;                         // only when capture is on (see TraceCapture)
};

// Whether a header's value is a credential and must be redacted: Authorization,
// Proxy-Authorization, Cookie, Set-Cookie, and API-key headers (X-API-Key, apikey, any name
// containing "api-key"/"apikey"/"token"/"secret"). Case-insensitive.
bool isSecretHeader(QByteArrayView name);
inline constexpr QByteArrayView kRedacted = "REDACTED";

} // namespace Gatehouse

Q_DECLARE_METATYPE(Gatehouse::TraceRecord)
