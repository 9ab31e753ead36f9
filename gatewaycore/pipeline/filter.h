// The request path's unit of work: a filter looks at a routed request and decides whether the
// exchange continues, is answered by the gateway, or waits for something asynchronous.
#pragma once

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
};

} // namespace Gatehouse
