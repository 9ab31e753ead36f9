// JWT bearer tokens verified against the trusted issuers.
#include "jwtauthenticator.h"

#include "pipeline/gatewayservices.h"
#include "project/gatewayconfig.h"
#include "security/jws.h"
#include "security/revocationlist.h"
#include "security/tokenservices.h"

namespace Gatehouse {

JwtAuthenticator::JwtAuthenticator(std::shared_ptr<const TokenVerifier> verifier, QByteArray header,
                                   std::shared_ptr<const RevocationList> revocations, QStringList revocableIssuers)
    : m_verifier(std::move(verifier)), m_header(std::move(header)), m_revocations(std::move(revocations)),
      m_revocableIssuers(std::move(revocableIssuers))
{
}

AuthResult JwtAuthenticator::authenticate(RequestContext &ctx, QString &reason) const
{
    const QByteArrayView value = ctx.header(m_header);
    if (!hasBearerPrefix(value))
        return AuthResult::Missing;
    const QByteArrayView token = bearerCredential(value);
    if (token.isEmpty())
        return AuthResult::Missing;
    if (const std::optional<AuthResult> known = authenticateCached(ctx, token, reason))
        return *known;
    return authenticateToken(ctx, token, hasCompactJwsShape(token), reason);
}

std::optional<AuthResult> JwtAuthenticator::authenticateCached(RequestContext &ctx, QByteArrayView token,
                                                               QString &reason) const
{
    const std::shared_ptr<const VerifiedToken> *verified = m_verifier->cached(token, ctx.nowSeconds, ctx.workerIndex);
    if (!verified)
        return std::nullopt;
    return accept(ctx, *verified, reason);
}

AuthResult JwtAuthenticator::accept(RequestContext &ctx, const std::shared_ptr<const VerifiedToken> &token,
                                    QString &reason) const
{
    // isRevoked() first: without revoked keys it is two atomic loads, cheaper than the name compare.
    if (m_revocations && m_revocations->isRevoked(token->tokenId) && m_revocableIssuers.contains(token->issuer)) {
        reason = QStringLiteral("token '%1' has been revoked").arg(token->tokenId);
        return AuthResult::Invalid;
    }
    ctx.principal = token;   // the cache's own Principal (method "jwt"), shared, not copied
    return AuthResult::Authenticated;
}

AuthResult JwtAuthenticator::authenticateToken(RequestContext &ctx, QByteArrayView token, bool isCompactJws,
                                               QString &reason) const
{
    if (!isCompactJws) {
        reason = QStringLiteral("the bearer token is not a JWT, and no key manager is configured to introspect it");
        return AuthResult::Invalid;
    }
    std::shared_ptr<const VerifiedToken> verified;
    switch (m_verifier->verify(token, ctx.nowSeconds, ctx.workerIndex, verified, reason)) {
    case TokenCheck::Valid:
        return accept(ctx, verified, reason);
    case TokenCheck::Unavailable:
        return AuthResult::Unavailable;
    case TokenCheck::Invalid:
        if (verified)
            ctx.credentialExpiredAt = verified->expiresAt;
        break;
    }
    return AuthResult::Invalid;
}

std::shared_ptr<const JwtAuthenticator> makeBearerAuthenticator(const SecurityScheme &scheme, const Route &route,
                                                                const GatewayConfig &config,
                                                                GatewayServices &services, Diagnostics &diagnostics)
{
    (void)scheme;
    (void)diagnostics;
    const std::shared_ptr<const TokenServices> tokens = services.tokens();
    if (!tokens || config.settings.security.issuers.isEmpty())
        return nullptr;
    // Keys of the gateway's own issuer may come as bearer tokens too: revocation applies to them.
    QStringList revocable;
    if (tokens->issuer() && tokens->revocations()) {
        for (const JwtIssuer &i : config.settings.security.issuers) {
            if (i.issuer == tokens->issuer()->settings().issuer)
                revocable.append(i.name);
        }
    }
    return std::make_shared<const JwtAuthenticator>(tokens->bearerTokens(), route.authHeader.toLatin1().toLower(),
                                                    revocable.isEmpty() ? nullptr : tokens->revocations(), revocable);
}

} // namespace Gatehouse
