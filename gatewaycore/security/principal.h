// Who is calling, once a credential was accepted: the identity filters, templates, Lua, the cache
// and backend-jwt read.
#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace Gatehouse {

// Immutable once built and shared: a request holds a std::shared_ptr<const Principal> (see
// RequestContext::principal), and a JWT or API key admitted from the verified-token cache shares
// the cache entry's own Principal (VerifiedToken is one) instead of copying a dozen strings, a
// list and the claims into every request. Whoever needs another identity builds a new one.
struct Principal
{
    QString method;               // "jwt", "apikey", "basic", "mtls", "introspection"
    QString issuer;               // issuer name (gatehouse.yaml) or "gatehouse" for its own keys
    QString subject;
    QString application;          // client/application id (azp, client_id ...)
    QString applicationTier;      // throttling tier names from claims (may be empty)
    QString subscriptionTier;
    QStringList scopes;
    QString tokenId;              // jti, for revocation and the trace view
    qint64 expiresAt = 0;         // seconds since the epoch; 0 = no expiry
    QJsonObject claims;           // verified claims (JWT, introspection); empty otherwise

    // The empty identity an anonymous request reads.
    static const Principal &none()
    {
        static const Principal empty;
        return empty;
    }
};

} // namespace Gatehouse
