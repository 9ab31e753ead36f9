// Bearer tokens of OAuth2 / OpenID Connect / HTTP bearer schemes: JWTs go to the JWT validator,
// opaque tokens to introspection at the project's key managers.
#include "tokenauthenticator.h"

#include "introspectionauthenticator.h"
#include "jwtauthenticator.h"

#include "pipeline/gatewayservices.h"
#include "security/jws.h"
#include "project/gatewayconfig.h"

namespace Gatehouse {

TokenAuthenticator::TokenAuthenticator(std::shared_ptr<const JwtAuthenticator> jwt,
                                       std::shared_ptr<const Authenticator> introspection, QByteArray header)
    : m_jwt(std::move(jwt)), m_introspection(std::move(introspection)), m_header(std::move(header))
{
}

AuthResult TokenAuthenticator::authenticate(RequestContext &ctx, QString &reason) const
{
    const QByteArrayView token = IntrospectionAuthenticator::bearerToken(ctx, m_header);
    if (token.isEmpty())
        return AuthResult::Missing;
    // A JWT verified before (the usual request) needs neither the shape check nor introspection.
    if (m_jwt) {
        if (const std::optional<AuthResult> known = m_jwt->authenticateCached(ctx, token, reason))
            return *known;
    }
    // A compact JWS has exactly two dots; an opaque token (almost) never does. A JWT with no
    // issuer configured may still be known to a key manager.
    const bool looksLikeJwt = hasCompactJwsShape(token);
    if (m_jwt && (looksLikeJwt || !m_introspection))
        return m_jwt->authenticateToken(ctx, token, looksLikeJwt, reason);
    if (m_introspection)
        return m_introspection->authenticate(ctx, reason);
    reason = QStringLiteral("no JWT issuer and no key manager is configured to validate bearer tokens");
    return AuthResult::Invalid;
}

std::shared_ptr<const Authenticator> makeTokenAuthenticator(const SecurityScheme &scheme, const Route &route,
                                                            const GatewayConfig &config,
                                                            GatewayServices &services, Diagnostics &diagnostics)
{
    const QByteArray header = route.authHeader.toLatin1().toLower();
    std::shared_ptr<const JwtAuthenticator> jwt = makeBearerAuthenticator(scheme, route, config, services, diagnostics);
    std::shared_ptr<const Authenticator> introspection;
    if (auto endpoints = services.introspectionEndpoints(); endpoints && !endpoints->isEmpty()) {
        introspection = std::make_shared<const IntrospectionAuthenticator>(services.introspection(), endpoints,
                                                                           services.generation(), header);
    }
    if (!jwt && !introspection) {
        services.warnOnce(diagnostics, scheme.location,
                          QStringLiteral("security scheme '%1' takes bearer tokens, but no JWT issuer and no key "
                                         "manager is configured: requests that need it are refused")
                              .arg(scheme.name));
    }
    return std::make_shared<const TokenAuthenticator>(std::move(jwt), std::move(introspection), header);
}

} // namespace Gatehouse
