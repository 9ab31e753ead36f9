// /apikey on the data plane's HTTPS listener: the route the compiler adds when
// security.apiKeys.httpsEndpoint is on (BuiltinRoute::ApiKeyIssue).
#pragma once

#include "pipeline/filter.h"
#include "base/diagnostic.h"

#include <memory>

namespace Gatehouse {

struct GatewayConfig;
struct Route;
class ApiKeyIssuer;
class GatewayServices;

// First in the route's chain: over plain HTTP it answers 403 before the credentials are looked at.
// Authentication (Basic, as a gatehouse.yaml user, slow hashes verified off the worker) runs next;
// then, with the body read (at most kMaxBody), the key is issued as on the admin listener
// (security/apikeyrequest.h): 200 text/plain, never cached.
class ApiKeyEndpointFilter final : public Filter
{
public:
    explicit ApiKeyEndpointFilter(std::shared_ptr<const ApiKeyIssuer> issuer) : m_issuer(std::move(issuer)) {}

    Phase phase() const override { return Phase::Authn; }
    QLatin1StringView name() const override { return QLatin1StringView("apikey-endpoint"); }
    FilterStatus onRequest(RequestContext &ctx) const override;
    qint64 requestBodyLimit() const override { return kMaxBody; }
    FilterStatus onRequestBody(RequestContext &ctx, QByteArray &body) const override;

    static constexpr qint64 kMaxBody = 16 * 1024;

private:
    std::shared_ptr<const ApiKeyIssuer> m_issuer;
};

// Pipeline stage: nullptr except for BuiltinRoute::ApiKeyIssue routes.
std::shared_ptr<const Filter> makeApiKeyEndpointFilter(const Route &route, const GatewayConfig &config,
                                                       GatewayServices &services, Diagnostics &diagnostics);

} // namespace Gatehouse
