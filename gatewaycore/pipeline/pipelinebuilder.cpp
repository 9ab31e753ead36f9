// Builds each route's filter chain of a compiled config, in the request path's fixed order.
#include "pipelinebuilder.h"

#include "filterchain.h"
#include "gatewayservices.h"

#include "policies/auth/apikeyendpointfilter.h"
#include "policies/auth/authenticationfilter.h"
#include "policies/auth/scopefilter.h"
#include "policies/cors/corsfilter.h"
#include "policies/ratelimit/ratelimitfilter.h"
#include "policies/registry/policychainfilter.h"
#include "project/gatewayconfig.h"

namespace Gatehouse {

namespace {

// One stage of the request path: returns the route's filter for it, or nullptr when the route
// does not need one. Listed in execution order (DESIGN.md "One model, one chain").
using StageFactory = std::shared_ptr<const Filter> (*)(const Route &route, const GatewayConfig &config,
                                                        GatewayServices &services, Diagnostics &diagnostics);

constexpr StageFactory kStages[] = {
    &makeApiKeyEndpointFilter,   // the gateway's /apikey: HTTPS only, checked before credentials
    &makeCorsFilter,             // cors: preflights answered before credentials are asked for
    &makeAuthenticationFilter,   // authn: JWT | API key | Basic | introspection | mTLS
    &makeScopeFilter,            // authz: scopes of the operation
    &makeRateLimitFilter,        // ratelimit: API, resource, subscription, application, client tiers
    &makePolicyFilter,           // interceptor: request policies (API, operation), response policies
};

} // namespace

bool buildFilterChains(GatewayConfig &config, GatewayServices &services, Diagnostics &diagnostics)
{
    const int errorsBefore = diagnostics.errorCount();
    config.chains.clear();
    config.chains.reserve(size_t(config.routes.size()));
    for (const Route &route : std::as_const(config.routes)) {
        std::vector<std::shared_ptr<const Filter>> filters;
        for (StageFactory stage : kStages) {
            if (auto filter = stage(route, config, services, diagnostics))
                filters.push_back(std::move(filter));
        }
        config.chains.push_back(filters.empty() ? nullptr : std::make_shared<const FilterChain>(std::move(filters)));
    }
    return diagnostics.errorCount() == errorsBefore;
}

} // namespace Gatehouse
