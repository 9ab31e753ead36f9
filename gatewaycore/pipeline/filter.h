// The request path's unit of work: a filter looks at a routed request and decides whether the
// exchange continues, is answered by the gateway, or waits for something asynchronous.
#pragma once

#include <QByteArray>
#include <QLatin1StringView>

namespace Gatehouse {

struct RequestContext;

// A filter steers only through this closed status; it never touches the chain.
enum class FilterStatus {
    Continue = 1,   // next filter, then the upstream
    Respond,        // answer now with ctx.error (+ ctx.responseHeaders); the chain stops
    Suspend,        // ctx.suspend() was called; the filter resumes the chain later
};

// Where a filter's time is accounted (metrics, trace spans, the workbench's explain view).
// Ordered as the request path runs them.
enum class Phase : unsigned char {
    Cors = 0,
    Authn,
    Authz,
    RateLimit,
    Validate,
    Interceptor,
    Upstream,
    Respond,
};
inline constexpr int kPhaseCount = int(Phase::Respond) + 1;
QLatin1StringView phaseName(Phase phase);   // "cors", "authn", "authz", "ratelimit", ...

// What the instant a decision carries (Decision::atUnixMs) means. The explain view says it
// relative to the moment it is read: "token expired 3 min ago", "retry in 12 s".
enum class DecisionTime : unsigned char {
    None = 1,   // the decision carries no time
    Expired,    // the credential's expiry (the detail reads "token expired")
    RetryAt,    // when the limit admits calls again (the detail names the limit exceeded)
};

// Filters are built once per compiled config (see pipelinebuilder.h) and shared by every worker
// thread: onRequest() is const and must be thread-safe. Per-request state lives in the
// RequestContext; per-worker state in structures indexed by ctx.workerIndex. Never block: work
// that waits (a network round trip) suspends the request and resumes it on the same worker thread.
class Filter
{
public:
    virtual ~Filter() = default;
    virtual Phase phase() const = 0;
    virtual QLatin1StringView name() const = 0;   // "authentication", "scopes", "ratelimit" ...
    virtual FilterStatus onRequest(RequestContext &ctx) const = 0;
    // The upstream's response head arrived (status given): edit what the client will get through
    // ctx.responseHeaders / ctx.removeResponseHeaders. Called in reverse chain order, only for
    // filters whose onRequest() ran, never for answers the gateway made itself. Default: nothing.
    virtual void onResponseHead(RequestContext &ctx, int status) const
    {
        (void)ctx;
        (void)status;
    }
    // The exchange ended (any outcome, also after Respond, an upstream failure or a client abort):
    // give back what onRequest() took (e.g. a concurrency slot). Called only for filters whose
    // onRequest() ran. Default: nothing.
    virtual void onComplete(RequestContext &ctx) const { (void)ctx; }

    // --- Bodies ---
    // A filter that reads or replaces a body says how many bytes of it it accepts (0: it does
    // not need the body). Only when some filter of a route's chain needs a body does the exchange
    // buffer it whole, up to the smallest limit its filters declare: a larger request body is
    // answered 413, a larger response body 502. Other routes stream bodies untouched.
    virtual qint64 requestBodyLimit() const { return 0; }
    virtual qint64 responseBodyLimit() const { return 0; }
    // A filter that only copies the response body (a cache storing it) may let a larger one
    // pass: when every body-reading filter of a chain says so, a response over the limit streams
    // to the client as usual (instead of 502) and no onResponseBody() runs for it.
    virtual bool responseBodyOptional() const { return false; }
    // A filter that answers an upstream 304 itself (a cache that sent the conditional request:
    // the client gets the stored response the 304 confirms). When a chain has one, the exchange
    // holds a 304 to a GET or HEAD as it holds a body and runs onResponseBody() with status 304
    // and an empty body for these filters only; Respond replaces the 304 with ctx.error (without
    // its body for a HEAD), Continue lets it through as it came.
    virtual bool readsNotModified() const { return false; }
    // The whole request body (possibly empty), after every filter's onRequest() passed and before
    // the upstream is called; in chain order, only for filters whose onRequest() ran. The filter
    // may replace `body` (the exchange sends it with a matching Content-Length) and edit the
    // request sent upstream (ctx.upstreamHeaders ...). Respond answers ctx.error instead; never
    // Suspend. Default: Continue.
    virtual FilterStatus onRequestBody(RequestContext &ctx, QByteArray &body) const
    {
        (void)ctx;
        (void)body;
        return FilterStatus::Continue;
    }
    // The upstream's whole response body, after onResponseHead() (ctx.upstreamResponseHeaders is
    // readable again here), before anything is sent to the client; in reverse chain order. The
    // filter may replace `body` and edit ctx.responseHeaders / removeResponseHeaders. Respond
    // sends ctx.error to the client instead of the upstream's response. Not called for answers
    // the gateway made itself, nor for responses without a body (HEAD, 1xx, 204, 304; a 304
    // reaches the filters that readsNotModified() only).
    virtual FilterStatus onResponseBody(RequestContext &ctx, int status, QByteArray &body) const
    {
        (void)ctx;
        (void)status;
        (void)body;
        return FilterStatus::Continue;
    }
};

// The body limit of several filters: the smallest one that is declared (0 = none declared).
inline qint64 combineBodyLimits(qint64 a, qint64 b)
{
    return a <= 0 ? b : b <= 0 ? a : (a < b ? a : b);
}

} // namespace Gatehouse
