// TokenInspector: parseCompactJws + the project's TokenVerifiers + the revocation list.
#include "tokeninspection.h"

#include "security/joseencoding.h"
#include "security/jws.h"
#include "security/tokenservices.h"

namespace Gatehouse {

TokenInspection TokenInspector::inspect(QByteArrayView token, const TokenServices *services, qint64 now)
{
    TokenInspection out;
    QByteArray text = token.trimmed().toByteArray();
    if (text.startsWith("Bearer ") || text.startsWith("bearer "))
        text = text.mid(7).trimmed();
    if (text.isEmpty()) {
        out.reason = tr("Paste a JWT (three base64url parts separated by dots).");
        return out;
    }
    const auto jws = parseCompactJws(text);
    if (!jws) {
        out.reason = tr("Not a valid JWS: %1").arg(jws.error().message);
        return out;
    }
    out.header = jws->header;
    const auto claims = parseStrictJsonObject(jws->payload);
    if (!claims) {
        out.reason = tr("The payload is not a JSON object: %1").arg(claims.error().message);
        return out;
    }
    out.claims = *claims;
    if (!services) {
        out.verdict = TokenInspection::Verdict::Unavailable;
        out.reason = tr("Decoded only: no project is open to verify it against.");
        return out;
    }

    // The gateway's own keys verify its API keys; the issuers of gatehouse.yaml verify bearer
    // tokens (the own issuer may be listed there too).
    const QString iss = out.claims.value(QLatin1StringView("iss")).toString();
    const auto issuer = services->issuer();
    const bool own = issuer && services->apiKeys() && iss == issuer->settings().issuer;
    const auto verifier = own ? services->apiKeys() : services->bearerTokens();
    if (!verifier) {
        out.verdict = TokenInspection::Verdict::Invalid;
        out.reason = tr("The project trusts no issuer of JWTs (security.issuers is empty).");
        return out;
    }
    std::shared_ptr<const VerifiedToken> verified;
    QString why;
    switch (verifier->verify(text, now, 0, verified, why)) {
    case TokenCheck::Valid:
        out.issuerName = verified->issuer;
        if (own && services->revocations() && services->revocations()->isRevoked(verified->tokenId)) {
            out.verdict = TokenInspection::Verdict::Revoked;
            out.reason = tr("Signature valid (issuer '%1'), but the key %2 is revoked.")
                             .arg(verified->issuer, verified->tokenId);
        } else {
            out.verdict = TokenInspection::Verdict::Valid;
            out.reason = tr("Valid: verified by issuer '%1'.").arg(verified->issuer);
        }
        break;
    case TokenCheck::Invalid:
        out.verdict = TokenInspection::Verdict::Invalid;
        out.reason = tr("Invalid: %1.").arg(why);
        break;
    case TokenCheck::Unavailable:
        out.verdict = TokenInspection::Verdict::Unavailable;
        out.reason = tr("Cannot verify yet: %1.").arg(why);
        break;
    }
    return out;
}

} // namespace Gatehouse
