// Everything a filter may read or decide about one exchange. Owned by the client connection,
// reset (not reallocated) for each request.
#pragma once

#include "filter.h"

#include "http/http1head.h"
#include "proxy/errorresponse.h"
#include "security/principal.h"
#include "telemetry/requesttrace.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QHostAddress>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QSslCertificate>
#include <QString>
#include <QStringList>

#include <array>
#include <memory>

namespace Gatehouse {

struct CachedResponse;
struct GatewayConfig;
struct Route;
class ResumeHandle;

// A decision a filter took, for the trace view's "explain" and the access log.
struct Decision
{
    Phase phase = Phase::Authn;
    QString filter;     // "authentication", "scopes", "ratelimit" ...
    bool allowed = true;
    QString detail;     // "scope 'write' missing: the token has 'read'"; with a time, the text
                        // before it ("token expired", "tier Bronze (API level): 10/min exceeded")
    DecisionTime time = DecisionTime::None;
    qint64 atUnixMs = 0;   // the instant `time` names (ms since the epoch), 0 without one
};

// A header field owned by the context (filters build values; views would dangle).
struct OwnedField
{
    QByteArray name;
    QByteArray value;
};

// Host side of a suspended request: implemented by the client connection.
class FilterChainHost
{
public:
    virtual void resumeFilterChain(bool rerunCurrent, FilterStatus status) = 0;

protected:
    ~FilterChainHost() = default;
};

// Given to an asynchronous filter by ctx.suspend(). Call resume() exactly once, on the worker
// thread that suspended the request; after the client went away (or the request timed out)
// isCancelled() is true and resume() does nothing, so completions never need their own checks.
class ResumeHandle
{
public:
    explicit ResumeHandle(FilterChainHost *host) : m_host(host) {}
    bool isCancelled() const { return m_host == nullptr; }
    // Continue with the next filter, or answer (Respond, with ctx.error set by the filter).
    void resume(FilterStatus status);
    // Run the suspending filter's onRequest() again (it keeps its progress in the context).
    void rerun();
    void cancel() { m_host = nullptr; }

private:
    FilterChainHost *m_host;
};

struct RequestContext
{
    // --- The request (views into the connection's buffers, valid for the exchange) ---
    QByteArrayView method;        // as sent: "GET"
    QByteArrayView path;          // normalised path
    QByteArrayView query;         // "?a=b" or empty
    const Http1FieldList *headers = nullptr;
    QHostAddress peer;
    bool tls = false;
    QObject *worker = nullptr;    // lives on the request's worker thread as long as it runs:
                                  // post completions of asynchronous work to it
    const GatewayConfig *config = nullptr;
    const Route *route = nullptr;
    int workerIndex = 0;
    qint64 startNs = 0;           // CLOCK_MONOTONIC when the head was complete
    qint64 nowSeconds = 0;        // wall clock (seconds since the epoch) at the head, for exp checks

    // The client certificate chain of a TLS connection (empty without one or without TLS).
    // Filled lazily by the connection: call peerCertificates().
    QList<QSslCertificate> peerCertificates() const;

    // --- What filters decided ---
    // Who is calling, once authentication succeeded; nullptr for an anonymous request. Immutable
    // and shared (a cached JWT's is the verified-token cache's own): set it, never modify it.
    // caller() reads an empty one for anonymous requests.
    std::shared_ptr<const Principal> principal;
    // The security scheme that admitted the caller (OpenAPI name): a view of the route's own
    // config, which outlives the exchange.
    QStringView principalScheme;
    QList<Decision> decisions;
    // Set by the exchange for sampled requests while the workbench's trace view listens
    // (TraceRing::isExplaining): only those pay for the texts of decisions that let them through.
    bool recordDecisions = false;
    QList<OwnedField> upstreamHeaders;          // added to the request sent upstream
    QList<QByteArray> removeUpstreamHeaders;    // names (any case) dropped from the request upstream
    QList<OwnedField> responseHeaders;          // added to the response (gateway's or upstream's)
    QList<QByteArray> removeResponseHeaders;    // names (any case) dropped from the upstream's response
    // The upstream's response fields, readable only during onResponseHead() (nullptr otherwise).
    const Http1FieldList *upstreamResponseHeaders = nullptr;
    // Path (below the API's base path, starting with '/') and query ("?a=b" or empty) sent upstream
    // instead of the request's, when upstreamPathSet (rewrite policies).
    QByteArray upstreamPath;
    QByteArray upstreamQuery;
    bool upstreamPathSet = false;
    GatewayError error;                         // the answer when a filter returns Respond

    QStringList requiredScopes;                 // set by authentication for authorization
    // An authenticator that refuses an expired credential leaves its exp here (seconds since the
    // epoch), so the explain view can say how long ago it expired.
    qint64 credentialExpiredAt = 0;

    // --- Filter-private progress (a suspending filter keeps where it was here) ---
    int authRequirement = 0;
    int authItem = 0;
    // The stored response a response cache asked the upstream about (If-None-Match /
    // If-Modified-Since): a 304 answers the client with it, even if the store dropped it meanwhile.
    std::shared_ptr<const CachedResponse> revalidatedResponse;

    // --- Time per phase (ns), accumulated by the chain runner ---
    std::array<qint64, kPhaseCount> phaseNs{};
    // The W3C trace context and, when sampled, the spans of this exchange (filters add theirs
    // through the chain runner; the connection adds the upstream's and the response's).
    RequestTrace trace;

    // Helpers for filters
    const Principal &caller() const { return principal ? *principal : Principal::none(); }
    QByteArrayView header(QByteArrayView name) const { return headers ? headers->value(name) : QByteArrayView(); }
    // Whether a filter asked to drop the field `name` (any case) from the request sent upstream,
    // or from the upstream's response.
    bool removesUpstreamField(QByteArrayView name) const { return namedIn(removeUpstreamHeaders, name); }
    bool removesResponseField(QByteArrayView name) const { return namedIn(removeResponseHeaders, name); }
    void respond(int status, GatewayErrorCode code, const QString &message, const QString &description)
    {
        error = {status, code, message, description};
    }
    // Records a decision for the explain view, when this request is explained (recordDecisions).
    // A filter builds the text of a decision that lets the request through only when
    // recordDecisions is set: on the request path nobody reads it otherwise.
    void decide(Phase phase, const QString &filter, bool allowed, const QString &detail,
                DecisionTime time = DecisionTime::None, qint64 atUnixMs = 0)
    {
        if (recordDecisions)
            decisions.append({phase, filter, allowed, detail, time, atUnixMs});
    }
    // Suspends the request: return FilterStatus::Suspend right after calling this.
    std::shared_ptr<ResumeHandle> suspend();

    static bool namedIn(const QList<QByteArray> &lowercaseNames, QByteArrayView name)
    {
        for (const QByteArray &lower : lowercaseNames) {
            if (httpEqualsIgnoreCase(name, lower))
                return true;
        }
        return false;
    }

    // --- Connection side (the chain runner and the connection use these) ---
    void reset();
    FilterChainHost *host = nullptr;
    std::shared_ptr<ResumeHandle> pending;      // set while suspended
    QList<QSslCertificate> (*certificateSource)(const void *) = nullptr;
    const void *certificateSourceData = nullptr;
};

} // namespace Gatehouse
