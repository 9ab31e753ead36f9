// A route's ordered filters, and the runner that walks them for one request (with suspension).
#include "filterchain.h"

#include "editbuffers.h"
#include "requestcontext.h"

#include "telemetry/tracerecord.h"

#include <time.h>

namespace Gatehouse {

namespace {

qint64 chainClockNs()
{
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return qint64(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

} // namespace

QLatin1StringView phaseName(Phase phase)
{
    switch (phase) {
    case Phase::Cors: return QLatin1StringView("cors");
    case Phase::Authn: return QLatin1StringView("authn");
    case Phase::Authz: return QLatin1StringView("authz");
    case Phase::RateLimit: return QLatin1StringView("ratelimit");
    case Phase::Validate: return QLatin1StringView("validate");
    case Phase::Interceptor: return QLatin1StringView("interceptor");
    case Phase::Upstream: return QLatin1StringView("upstream");
    case Phase::Respond: return QLatin1StringView("respond");
    }
    return QLatin1StringView("unknown");
}

FilterChain::FilterChain(std::vector<std::shared_ptr<const Filter>> filters) : m_filters(std::move(filters))
{
    for (const auto &f : m_filters) {
        m_requestBodyLimit = combineBodyLimits(m_requestBodyLimit, f->requestBodyLimit());
        m_responseBodyLimit = combineBodyLimits(m_responseBodyLimit, f->responseBodyLimit());
        if (f->responseBodyLimit() > 0 && !f->responseBodyOptional())
            m_responseBodyOptional = false;
        if (f->responseBodyLimit() > 0 && f->readsNotModified())
            m_readsNotModified = true;
    }
}

FilterStatus FilterChainRun::start(const FilterChain *chain, RequestContext &ctx)
{
    m_chain = chain;
    m_next = 0;
    m_ran = 0;
    m_suspended = false;
    if (!chain || chain->isEmpty())
        return FilterStatus::Continue;
    return runFrom(ctx);
}

FilterStatus FilterChainRun::resume(RequestContext &ctx, bool rerun, FilterStatus status)
{
    if (!m_suspended || !m_chain)
        return FilterStatus::Continue;
    m_suspended = false;
    ctx.pending.reset();
    if (!rerun) {
        // The suspended filter decided: its span covers the wait.
        if (m_filterSpan >= 0)
            ctx.trace.closeSpan(m_filterSpan, chainClockNs(), status != FilterStatus::Continue);
        if (status != FilterStatus::Continue)
            return status == FilterStatus::Suspend ? FilterStatus::Respond : status;
        ++m_next;
    }
    return runFrom(ctx);
}

FilterStatus FilterChainRun::runFrom(RequestContext &ctx)
{
    const auto &filters = m_chain->filters();
    while (m_next < int(filters.size())) {
        const Filter &filter = *filters[size_t(m_next)];
        const qint64 t0 = chainClockNs();
        if (m_ran <= m_next) {
            m_ran = m_next + 1;
            // A rerun continues the span of the first run; -1 when the request is not sampled.
            m_filterSpan = ctx.trace.isRecording()
                               ? ctx.trace.openSpan(TraceSpanKind::Filter, filter.phase(), filter.name(), t0)
                               : -1;
        }
        ctx.trace.setCurrentSpan(m_filterSpan);   // the parent of spans the filter adds itself
        const FilterStatus status = filter.onRequest(ctx);
        ctx.trace.setCurrentSpan(-1);
        const qint64 t1 = chainClockNs();
        ctx.phaseNs[size_t(filter.phase())] += t1 - t0;
        if (status != FilterStatus::Suspend && m_filterSpan >= 0)
            ctx.trace.closeSpan(m_filterSpan, t1, status == FilterStatus::Respond);
        switch (status) {
        case FilterStatus::Continue:
            ++m_next;
            break;
        case FilterStatus::Respond:
            return FilterStatus::Respond;
        case FilterStatus::Suspend:
            if (!ctx.pending) {
                // A filter that suspends without a handle would hang the request: a bug, answered.
                ctx.respond(500, GatewayErrorCode::BadRequest, QStringLiteral("Internal error"),
                            QStringLiteral("A policy suspended the request without a way to resume it"));
                return FilterStatus::Respond;
            }
            m_suspended = true;
            return FilterStatus::Suspend;
        }
    }
    return FilterStatus::Continue;
}

void FilterChainRun::responseHead(RequestContext &ctx, int status, const Http1FieldList &fields)
{
    if (!m_chain)
        return;
    ctx.upstreamResponseHeaders = &fields;
    const auto &filters = m_chain->filters();
    for (int i = qMin(m_ran, int(filters.size())) - 1; i >= 0; --i)
        filters[size_t(i)]->onResponseHead(ctx, status);
    ctx.upstreamResponseHeaders = nullptr;
}

FilterStatus FilterChainRun::requestBody(RequestContext &ctx, QByteArray &body)
{
    if (!m_chain)
        return FilterStatus::Continue;
    const auto &filters = m_chain->filters();
    for (int i = 0; i < m_ran && i < int(filters.size()); ++i) {
        const Filter &filter = *filters[size_t(i)];
        if (filter.requestBodyLimit() <= 0)
            continue;
        const qint64 t0 = chainClockNs();
        const FilterStatus status = filter.onRequestBody(ctx, body);
        ctx.phaseNs[size_t(filter.phase())] += chainClockNs() - t0;
        if (status != FilterStatus::Continue) {
            if (status == FilterStatus::Suspend)
                ctx.respond(500, GatewayErrorCode::BadRequest, QStringLiteral("Internal error"),
                            QStringLiteral("A policy tried to suspend the request while reading its body"));
            return FilterStatus::Respond;
        }
    }
    return FilterStatus::Continue;
}

FilterStatus FilterChainRun::responseBody(RequestContext &ctx, int status, const Http1FieldList &fields,
                                          QByteArray &body)
{
    if (!m_chain)
        return FilterStatus::Continue;
    ctx.upstreamResponseHeaders = &fields;
    FilterStatus result = FilterStatus::Continue;
    const auto &filters = m_chain->filters();
    for (int i = qMin(m_ran, int(filters.size())) - 1; i >= 0 && result == FilterStatus::Continue; --i) {
        const Filter &filter = *filters[size_t(i)];
        if (filter.responseBodyLimit() <= 0 || (status == 304 && !filter.readsNotModified()))
            continue;
        const qint64 t0 = chainClockNs();
        result = filter.onResponseBody(ctx, status, body);
        ctx.phaseNs[size_t(filter.phase())] += chainClockNs() - t0;
        if (result == FilterStatus::Suspend) {
            ctx.respond(502, GatewayErrorCode::UpstreamError, QStringLiteral("Bad gateway"),
                        QStringLiteral("A policy tried to suspend the response while reading its body"));
            result = FilterStatus::Respond;
        }
    }
    ctx.upstreamResponseHeaders = nullptr;
    return result;
}

void FilterChainRun::complete(RequestContext &ctx)
{
    if (ctx.pending) {
        ctx.pending->cancel();
        ctx.pending.reset();
    }
    m_suspended = false;
    if (!m_chain)
        return;
    const auto &filters = m_chain->filters();
    for (int i = 0; i < m_ran && i < int(filters.size()); ++i)
        filters[size_t(i)]->onComplete(ctx);
    m_chain = nullptr;
    m_ran = 0;
    m_next = 0;
}

// ---------------------------------------------------------------- RequestContext

void ResumeHandle::resume(FilterStatus status)
{
    if (FilterChainHost *host = m_host) {
        m_host = nullptr;
        host->resumeFilterChain(false, status);
    }
}

void ResumeHandle::rerun()
{
    if (FilterChainHost *host = m_host) {
        m_host = nullptr;
        host->resumeFilterChain(true, FilterStatus::Continue);
    }
}

std::shared_ptr<ResumeHandle> RequestContext::suspend()
{
    pending = std::make_shared<ResumeHandle>(host);
    return pending;
}

QList<QSslCertificate> RequestContext::peerCertificates() const
{
    return certificateSource ? certificateSource(certificateSourceData) : QList<QSslCertificate>();
}

void RequestContext::reset()
{
    method = {};
    path = {};
    query = {};
    headers = nullptr;
    config = nullptr;
    route = nullptr;
    if (principal)
        principal.reset();
    principalScheme = {};
    decisions.clear();
    // The edits' buffers go to the next requests' edits. The removal lists first: they share
    // names with the added fields, which are then held by the fields alone. A list shared with a
    // copy is not walked (that would copy it, and its buffers are shared anyway).
    for (QList<QByteArray> *removed : {&removeUpstreamHeaders, &removeResponseHeaders}) {
        if (removed->isDetached()) {
            for (QByteArray &name : *removed)
                EditBuffers::keep(name);
        }
        removed->clear();
    }
    for (QList<OwnedField> *added : {&upstreamHeaders, &responseHeaders}) {
        if (added->isDetached()) {
            for (OwnedField &f : *added) {
                EditBuffers::keep(f.name);
                EditBuffers::keep(f.value);
            }
        }
        added->clear();
    }
    if (!upstreamPath.isEmpty())
        upstreamPath.clear();
    if (!upstreamQuery.isEmpty())
        upstreamQuery.clear();
    upstreamPathSet = false;
    if (!error.isUnset())   // most requests get no error
        error = GatewayError();
    requiredScopes.clear();
    credentialExpiredAt = 0;
    authRequirement = 0;
    authItem = 0;
    revalidatedResponse.reset();
    phaseNs.fill(0);
    // The trace is not reset here: the exchange begins it before the chain runs.
    if (pending) {
        pending->cancel();
        pending.reset();
    }
}

} // namespace Gatehouse
