// JWT bearer tokens (HTTP bearer, OAuth2 and OpenID Connect schemes) verified against the issuers
// of gatehouse.yaml, with a per-worker cache of verified tokens.
#pragma once

#include "authenticator.h"

#include <QStringList>

#include <memory>
#include <optional>

namespace Gatehouse {

class RevocationList;
class TokenVerifier;
struct VerifiedToken;

class JwtAuthenticator final : public Authenticator
{
public:
    // Tokens of the issuers named in `revocableIssuers` (those of gatehouse.yaml whose iss is the
    // gateway's own API-key issuer) are also checked against `revocations`: a revoked key is
    // refused whether it comes as an API key or as a bearer token.
    JwtAuthenticator(std::shared_ptr<const TokenVerifier> verifier, QByteArray header,
                     std::shared_ptr<const RevocationList> revocations = {}, QStringList revocableIssuers = {});
    QLatin1StringView method() const override { return QLatin1StringView("jwt"); }
    QByteArray challenge() const override { return QByteArrayLiteral("Bearer realm=\"gatehouse\""); }
    // "Bearer <jwt>" in the route's credential header. A bearer token that is not a compact JWS
    // is Invalid here; opaque tokens are introspection's (tokenauthenticator.h routes them).
    AuthResult authenticate(RequestContext &ctx, QString &reason) const override;
    // The same for a token already taken from the header (TokenAuthenticator does), whose compact
    // JWS shape the caller checked (`isCompactJws`): the request's header is not read twice.
    AuthResult authenticateToken(RequestContext &ctx, QByteArrayView token, bool isCompactJws, QString &reason) const;
    // A token the worker's cache holds (verified, not expired): Authenticated, or Invalid when it
    // was revoked since; nullopt when it is not cached (authenticateToken() decides then). The
    // token's shape need not be checked first: only verified JWTs are cached.
    std::optional<AuthResult> authenticateCached(RequestContext &ctx, QByteArrayView token, QString &reason) const;

private:
    AuthResult accept(RequestContext &ctx, const std::shared_ptr<const VerifiedToken> &token, QString &reason) const;

    std::shared_ptr<const TokenVerifier> m_verifier;
    QByteArray m_header;   // lowercase field name
    std::shared_ptr<const RevocationList> m_revocations;
    QStringList m_revocableIssuers;
};

// The JWT validator of a bearer scheme; nullptr (no diagnostic) when gatehouse.yaml trusts no
// issuer, so that bearer tokens go to introspection alone.
std::shared_ptr<const JwtAuthenticator> makeBearerAuthenticator(const SecurityScheme &scheme, const Route &route,
                                                                const GatewayConfig &config,
                                                                GatewayServices &services, Diagnostics &diagnostics);

} // namespace Gatehouse
