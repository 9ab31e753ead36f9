// The interceptor stage of a route: its attached policies (API then operation request policies,
// operation then API response policies) as one filter in the chain.
#pragma once

#include "base/diagnostic.h"
#include "pipeline/filter.h"

#include <memory>
#include <vector>

namespace Gatehouse {

struct GatewayConfig;
struct Route;
class GatewayServices;

class PolicyChainFilter final : public Filter
{
public:
    PolicyChainFilter(std::vector<std::shared_ptr<const Filter>> request,
                      std::vector<std::shared_ptr<const Filter>> response);

    Phase phase() const override { return Phase::Interceptor; }
    QLatin1StringView name() const override { return QLatin1StringView("policies"); }
    // Request-list policies, then response-list ones; the first that answers stops the walk.
    // Built-in policies never suspend.
    FilterStatus onRequest(RequestContext &ctx) const override;
    // Response-list policies in order (operation's, then API's), then request-list ones last first.
    void onResponseHead(RequestContext &ctx, int status) const override;
    // Bodies: the smallest limit any attached policy declares; the hooks in the same orders as
    // onRequest() and onResponseHead(), only for the policies that need the body.
    qint64 requestBodyLimit() const override { return m_requestBodyLimit; }
    qint64 responseBodyLimit() const override { return m_responseBodyLimit; }
    bool responseBodyOptional() const override { return m_responseBodyOptional; }
    bool readsNotModified() const override { return m_readsNotModified; }
    FilterStatus onRequestBody(RequestContext &ctx, QByteArray &body) const override;
    FilterStatus onResponseBody(RequestContext &ctx, int status, QByteArray &body) const override;

private:
    std::vector<std::shared_ptr<const Filter>> m_request;
    std::vector<std::shared_ptr<const Filter>> m_response;
    qint64 m_requestBodyLimit = 0;
    qint64 m_responseBodyLimit = 0;
    bool m_responseBodyOptional = true;
    bool m_readsNotModified = false;
};

// The stage factory (pipelinebuilder.cpp): validates and builds the route's attachments; nullptr
// when it has none or when one has errors (they are in diagnostics, and the config is refused).
std::shared_ptr<const Filter> makePolicyFilter(const Route &route, const GatewayConfig &config,
                                               GatewayServices &services, Diagnostics &diagnostics);

} // namespace Gatehouse
