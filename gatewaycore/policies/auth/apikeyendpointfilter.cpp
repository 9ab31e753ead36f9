#include "apikeyendpointfilter.h"

#include "pipeline/gatewayservices.h"
#include "pipeline/requestcontext.h"
#include "project/gatewayconfig.h"
#include "security/apikeyissuer.h"
#include "security/apikeyrequest.h"
#include "security/tokenservices.h"

namespace Gatehouse {

FilterStatus ApiKeyEndpointFilter::onRequest(RequestContext &ctx) const
{
    if (ctx.tls)
        return FilterStatus::Continue;
    ctx.respond(403, GatewayErrorCode::ApiForbidden, QStringLiteral("HTTPS required"),
                QStringLiteral("/apikey is served on the HTTPS listener only: Basic credentials must not travel "
                               "in clear text"));
    ctx.decide(Phase::Authn, QStringLiteral("apikey-endpoint"), false,
               QStringLiteral("/apikey asked over plain HTTP"));
    return FilterStatus::Respond;
}

FilterStatus ApiKeyEndpointFilter::onRequestBody(RequestContext &ctx, QByteArray &body) const
{
    if (!ctx.principal) {   // authentication refuses first; never issue without it
        ctx.respond(401, GatewayErrorCode::MissingCredentials, QStringLiteral("Invalid credentials"),
                    QStringLiteral("/apikey needs Basic credentials of a user in gatehouse.yaml"));
        return FilterStatus::Respond;
    }
    const ApiKeyRequest request = ApiKeyRequest::parse(ctx.query, ctx.header("content-type"), body);
    const ApiKeyAnswer answer = answerApiKeyRequest(*m_issuer, ctx.principal->subject, ctx.principal->scopes,
                                                    request, ctx.nowSeconds);
    if (answer.status != 200) {
        ctx.respond(answer.status,
                    answer.status == 403 ? GatewayErrorCode::ScopeForbidden : GatewayErrorCode::BadRequest,
                    answer.message, answer.description);
        ctx.decide(Phase::Authn, QStringLiteral("apikey-endpoint"), false, answer.description);
        return FilterStatus::Respond;
    }
    ctx.error = GatewayError{200, GatewayErrorCode::BadRequest, {}, {}, QByteArrayLiteral("text/plain"), answer.key};
    ctx.responseHeaders.append({QByteArrayLiteral("cache-control"), QByteArrayLiteral("no-store")});
    ctx.decide(Phase::Authn, QStringLiteral("apikey-endpoint"), true,
               QStringLiteral("API key issued to '%1'").arg(ctx.principal->subject));
    return FilterStatus::Respond;
}

std::shared_ptr<const Filter> makeApiKeyEndpointFilter(const Route &route, const GatewayConfig &config,
                                                       GatewayServices &services, Diagnostics &diagnostics)
{
    (void)config;
    if (route.builtin != BuiltinRoute::ApiKeyIssue)
        return nullptr;
    const std::shared_ptr<const TokenServices> tokens = services.tokens();
    if (!tokens || !tokens->issuer()) {
        diagnostics.warning(route.location, QStringLiteral("/apikey on the HTTPS listener is off: the API-key "
                                                           "issuer could not be opened"));
        return nullptr;
    }
    return std::make_shared<const ApiKeyEndpointFilter>(tokens->issuer());
}

} // namespace Gatehouse
