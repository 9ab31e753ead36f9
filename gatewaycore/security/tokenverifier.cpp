// JWT verification across trusted issuers, with a per-worker cache of verified tokens.
#include "tokenverifier.h"

#include "joseencoding.h"
#include "jws.h"

#include <QMutexLocker>

namespace Gatehouse {

IssuerKeys::Set IssuerKeys::current() const
{
    QMutexLocker lock(&m_mutex);
    return m_keys;
}

void IssuerKeys::replace(Set keys)
{
    QMutexLocker lock(&m_mutex);
    m_keys.swap(keys);
    // the old set is released after the lock, outside the readers' way
}

TokenVerifier::TokenVerifier(QList<TrustedIssuer> issuers, int workerCount, int cacheEntries,
                             std::function<void(int)> refetch, QString method)
    : m_issuers(std::move(issuers)), m_cacheEntries(qMax(0, cacheEntries)), m_refetch(std::move(refetch)),
      m_method(std::move(method)), m_cache(size_t(qMax(1, workerCount)))
{
}

const std::shared_ptr<const VerifiedToken> *TokenVerifier::cached(QByteArrayView token, qint64 now,
                                                                  int worker) const
{
    if (m_cacheEntries == 0 || token.size() > kMaxCachedTokenBytes)
        return nullptr;
    const Shard &shard = m_cache[size_t(worker) % m_cache.size()];
    const auto it = shard.constFind(TokenKey{QByteArray::fromRawData(token.data(), token.size())});
    return it != shard.cend() && now <= it->until ? &it->token : nullptr;
}

TokenCheck TokenVerifier::verify(QByteArrayView token, qint64 now, int worker,
                                 std::shared_ptr<const VerifiedToken> &out, QString &reason) const
{
    Shard &shard = m_cache[size_t(worker) % m_cache.size()];
    const bool cacheable = m_cacheEntries > 0 && token.size() <= kMaxCachedTokenBytes;
    if (cacheable) {
        // A view of the caller's bytes for the lookup: nothing is copied unless it is inserted.
        const TokenKey probe{QByteArray::fromRawData(token.data(), token.size())};
        const auto it = shard.constFind(probe);
        if (it != shard.cend()) {
            if (now <= it->until) {
                out = it->token;
                return TokenCheck::Valid;
            }
            shard.erase(it);
        }
    }
    auto verified = std::make_shared<VerifiedToken>();
    const TokenCheck result = verifyUncached(token, now, *verified, reason);
    if (result != TokenCheck::Valid) {
        if (result == TokenCheck::Invalid && verified->expiresAt > 0)
            out = verified;   // expired: only expiresAt is set
        return result;
    }
    out = verified;
    if (cacheable) {
        if (shard.size() >= m_cacheEntries) {
            shard.removeIf([now](const Shard::iterator &it) { return it->until < now; });
            if (shard.size() >= m_cacheEntries)
                shard.clear();
        }
        // Until exp (plus the skew the issuer grants), or a bounded time for tokens without exp.
        qint64 until = now + kNoExpiryCacheSeconds;
        if (verified->expiresAt > 0) {
            qint64 skew = 0;
            for (const TrustedIssuer &i : m_issuers) {
                if (i.rules.issuerName == verified->issuer)
                    skew = i.rules.clockSkewSeconds;
            }
            until = verified->expiresAt + skew;
        }
        shard.insert(TokenKey{token.toByteArray()}, {out, until});
    }
    return TokenCheck::Valid;
}

TokenCheck TokenVerifier::verifyUncached(QByteArrayView token, qint64 now, VerifiedToken &out,
                                         QString &reason) const
{
    auto jws = parseCompactJws(token);
    if (!jws) {
        reason = jws.error().message;
        return TokenCheck::Invalid;
    }
    auto claims = parseStrictJsonObject(jws->payload);
    if (!claims) {
        reason = QStringLiteral("the token's claims are not valid: %1").arg(claims.error().message);
        return TokenCheck::Invalid;
    }
    const QJsonValue iss = claims->value(QLatin1StringView("iss"));
    if (!iss.isString()) {
        reason = QStringLiteral("token has no issuer (iss)");
        return TokenCheck::Invalid;
    }
    const TrustedIssuer *issuer = nullptr;
    for (const TrustedIssuer &i : m_issuers) {
        if (i.iss == iss.toString())
            issuer = &i;
    }
    if (!issuer) {
        reason = QStringLiteral("issuer '%1' is not trusted").arg(iss.toString().left(100));
        return TokenCheck::Invalid;
    }
    const QString &name = issuer->rules.issuerName;
    const IssuerKeys::Set keys = issuer->keys->current();
    if (!keys || keys->isEmpty()) {
        if (issuer->refetchId >= 0 && m_refetch)
            m_refetch(issuer->refetchId);
        reason = QStringLiteral("the keys of issuer '%1' are not available yet").arg(name);
        return TokenCheck::Unavailable;
    }

    QString failure;
    bool kidFound = false;
    for (const Jwk &key : *keys) {
        // kid only selects: a key without one (a PEM certificate, a secret) is a candidate for any.
        if (!jws->kid.isEmpty() && !key.kid.isEmpty() && key.kid != jws->kid)
            continue;
        kidFound = true;
        // The key decides the algorithm: its own alg, else the issuer's list and the key's type.
        JwsAlgorithm alg = jws->alg;
        if (key.alg) {
            alg = *key.alg;
        } else if (!issuer->algorithms.isEmpty() && !issuer->algorithms.contains(jws->alg)) {
            failure = QStringLiteral("issuer '%1' does not allow %2").arg(name, jwsAlgorithmName(jws->alg));
            continue;
        }
        const QString refused = verifyCompactJws(*jws, key, alg);
        if (refused.isEmpty()) {
            failure.clear();
            break;
        }
        const QString keyName = key.kid.isEmpty() ? QStringLiteral("a key") : QStringLiteral("key '%1'").arg(key.kid);
        failure = refused == u"signature does not verify"
                      ? QStringLiteral("signature does not verify with %1 of issuer '%2'").arg(keyName, name)
                      : QStringLiteral("%1 (issuer '%2')").arg(refused, name);
    }
    if (!kidFound) {
        if (issuer->refetchId >= 0 && m_refetch)
            m_refetch(issuer->refetchId);
        reason = jws->kid.isEmpty() ? QStringLiteral("issuer '%1' has no key for this token").arg(name)
                                    : QStringLiteral("key '%1' is not among the keys of issuer '%2'")
                                          .arg(jws->kid.left(64), name);
        return TokenCheck::Invalid;
    }
    if (!failure.isEmpty()) {
        reason = failure;
        return TokenCheck::Invalid;
    }
    reason = checkClaims(*claims, issuer->rules, now, out);
    if (!reason.isEmpty())
        return TokenCheck::Invalid;
    out.method = m_method;
    return TokenCheck::Valid;
}

} // namespace Gatehouse
