// The authorization stage: every scope the operation requires must be granted to the caller.
#pragma once

#include "pipeline/filter.h"
#include "base/diagnostic.h"

#include <memory>

namespace Gatehouse {

struct GatewayConfig;
struct Route;
class GatewayServices;

// Reads ctx.requiredScopes (set by authentication: the met requirement's scopes plus the
// operation's x-gatehouse-scopes) against ctx.caller().scopes. All are required, as OpenAPI
// defines a requirement's scope list. Missing one: 403 with the scopes named.
class ScopeFilter final : public Filter
{
public:
    Phase phase() const override { return Phase::Authz; }
    QLatin1StringView name() const override { return QLatin1StringView("scopes"); }
    FilterStatus onRequest(RequestContext &ctx) const override;
};

// Pipeline stage: nullptr when no requirement of the route names a scope.
std::shared_ptr<const Filter> makeScopeFilter(const Route &route, const GatewayConfig &config,
                                              GatewayServices &services, Diagnostics &diagnostics);

} // namespace Gatehouse
