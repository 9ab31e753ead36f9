// The interceptor stage of a route: its attached policies as one filter in the chain.
#include "policychainfilter.h"

#include "policyregistry.h"

#include "pipeline/requestcontext.h"
#include "project/gatewayconfig.h"
#include "telemetry/metricsshard.h"
#include "telemetry/tracerecord.h"

namespace Gatehouse {

PolicyChainFilter::PolicyChainFilter(std::vector<std::shared_ptr<const Filter>> request,
                                     std::vector<std::shared_ptr<const Filter>> response)
    : m_request(std::move(request)), m_response(std::move(response))
{
    for (const auto *list : {&m_request, &m_response}) {
        for (const auto &filter : *list) {
            m_requestBodyLimit = combineBodyLimits(m_requestBodyLimit, filter->requestBodyLimit());
            m_responseBodyLimit = combineBodyLimits(m_responseBodyLimit, filter->responseBodyLimit());
            if (filter->responseBodyLimit() > 0 && !filter->responseBodyOptional())
                m_responseBodyOptional = false;
            if (filter->responseBodyLimit() > 0 && filter->readsNotModified())
                m_readsNotModified = true;
        }
    }
}

FilterStatus PolicyChainFilter::onRequest(RequestContext &ctx) const
{
    const int stageSpan = ctx.trace.currentSpan();
    for (const auto *list : {&m_request, &m_response}) {
        for (const auto &filter : *list) {
            // One trace span per policy, inside the stage's span (only when recorded).
            const int span = ctx.trace.isRecording()
                                 ? ctx.trace.openSpan(TraceSpanKind::Filter, filter->phase(), filter->name(),
                                                      monotonicNs(), stageSpan)
                                 : -1;
            const FilterStatus status = filter->onRequest(ctx);
            if (span >= 0)
                ctx.trace.closeSpan(span, monotonicNs(), status == FilterStatus::Respond);
            if (status != FilterStatus::Continue)
                return status;
        }
    }
    return FilterStatus::Continue;
}

void PolicyChainFilter::onResponseHead(RequestContext &ctx, int status) const
{
    for (const auto &filter : m_response)
        filter->onResponseHead(ctx, status);
    for (auto it = m_request.rbegin(); it != m_request.rend(); ++it)
        (*it)->onResponseHead(ctx, status);
}

FilterStatus PolicyChainFilter::onRequestBody(RequestContext &ctx, QByteArray &body) const
{
    for (const auto *list : {&m_request, &m_response}) {
        for (const auto &filter : *list) {
            if (filter->requestBodyLimit() <= 0)
                continue;
            const FilterStatus status = filter->onRequestBody(ctx, body);
            if (status != FilterStatus::Continue)
                return status;
        }
    }
    return FilterStatus::Continue;
}

FilterStatus PolicyChainFilter::onResponseBody(RequestContext &ctx, int status, QByteArray &body) const
{
    auto run = [&](const std::shared_ptr<const Filter> &filter) {
        // A 304 reaches only the policies that answer it themselves (readsNotModified()).
        const bool reads = filter->responseBodyLimit() > 0 && (status != 304 || filter->readsNotModified());
        return reads ? filter->onResponseBody(ctx, status, body) : FilterStatus::Continue;
    };
    for (const auto &filter : m_response) {
        if (const FilterStatus s = run(filter); s != FilterStatus::Continue)
            return s;
    }
    for (auto it = m_request.rbegin(); it != m_request.rend(); ++it) {
        if (const FilterStatus s = run(*it); s != FilterStatus::Continue)
            return s;
    }
    return FilterStatus::Continue;
}

std::shared_ptr<const Filter> makePolicyFilter(const Route &route, const GatewayConfig &config,
                                               GatewayServices &services, Diagnostics &diagnostics)
{
    if (route.requestPolicies.isEmpty() && route.responsePolicies.isEmpty())
        return nullptr;
    const PolicyRegistry &registry = PolicyRegistry::builtin();
    bool ok = true;
    auto buildAll = [&](const QList<PolicyAttachment> &attachments) {
        std::vector<std::shared_ptr<const Filter>> filters;
        for (const PolicyAttachment &a : attachments) {
            if (auto f = registry.build(a, route, config, services, diagnostics))
                filters.push_back(std::move(f));
            else
                ok = false;
        }
        return filters;
    };
    auto request = buildAll(route.requestPolicies);
    auto response = buildAll(route.responsePolicies);
    if (!ok)
        return nullptr;
    return std::make_shared<const PolicyChainFilter>(std::move(request), std::move(response));
}

} // namespace Gatehouse
