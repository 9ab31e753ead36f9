// Bearer tokens of OAuth2 / OpenID Connect / HTTP bearer schemes: JWTs go to the JWT validator,
// opaque tokens to introspection at the project's key managers.
#pragma once

#include "authenticator.h"

#include <memory>

namespace Gatehouse {

class JwtAuthenticator;

class TokenAuthenticator final : public Authenticator
{
public:
    // Either may be null (no issuer configured, no key manager configured), not both.
    TokenAuthenticator(std::shared_ptr<const JwtAuthenticator> jwt, std::shared_ptr<const Authenticator> introspection,
                       QByteArray header);
    QLatin1StringView method() const override { return QLatin1StringView("bearer"); }
    QByteArray challenge() const override { return QByteArrayLiteral("Bearer realm=\"gatehouse\""); }
    AuthResult authenticate(RequestContext &ctx, QString &reason) const override;

private:
    std::shared_ptr<const JwtAuthenticator> m_jwt;
    std::shared_ptr<const Authenticator> m_introspection;
    QByteArray m_header;
};

std::shared_ptr<const Authenticator> makeTokenAuthenticator(const SecurityScheme &scheme, const Route &route,
                                                            const GatewayConfig &config,
                                                            GatewayServices &services, Diagnostics &diagnostics);

} // namespace Gatehouse
