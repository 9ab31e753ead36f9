// Verifies JWTs from several trusted issuers: iss selects the issuer, the issuer's current keys
// verify the signature, its rules check the claims; verified tokens are cached per worker.
#pragma once

#include "constanttime.h"

#include "jwk.h"
#include "jwtclaims.h"

#include <QByteArrayView>
#include <QHash>
#include <QList>
#include <QMutex>

#include <cstring>
#include <functional>
#include <memory>
#include <vector>

namespace Gatehouse {

// One issuer's current keys. Replaced as a whole (a JWKS refresh) on the engine's thread while
// workers read: readers copy the shared pointer under a short lock and never wait on the network.
class IssuerKeys
{
public:
    using Set = std::shared_ptr<const QList<Jwk>>;
    Set current() const;
    void replace(Set keys);

private:
    mutable QMutex m_mutex;
    Set m_keys;
};

struct TrustedIssuer
{
    QString iss;                        // expected "iss"
    ClaimRules rules;                   // rules.issuerName names it in messages
    QList<JwsAlgorithm> algorithms;     // allowed when a key has no "alg"; empty = from the key type
    std::shared_ptr<IssuerKeys> keys;
    int refetchId = -1;                 // >= 0: keys come from a URL; passed to the refetch hook
};

enum class TokenCheck {
    Valid = 1,
    Invalid,       // forged, expired, untrusted issuer, unknown kid ... (`reason` says which)
    Unavailable,   // the issuer's keys have never been loaded (its JWKS URL is down)
};

// Thread-safe: verify() runs on any worker; each worker index has its own cache shard.
class TokenVerifier
{
public:
    // refetch(refetchId) is called (from a worker) when a token names a kid the issuer does not
    // have; it must only schedule work. cacheEntries bounds each worker's cache. `method` names
    // the kind of credential in the Principal of each verified token ("jwt", "apikey").
    TokenVerifier(QList<TrustedIssuer> issuers, int workerCount, int cacheEntries,
                  std::function<void(int)> refetch = {}, QString method = QStringLiteral("jwt"));

    // `now` in seconds since the epoch. On Valid, `out` is the (possibly cached) verified token;
    // on Invalid because the token expired, a token with only expiresAt set; else untouched.
    TokenCheck verify(QByteArrayView token, qint64 now, int worker, std::shared_ptr<const VerifiedToken> &out,
                      QString &reason) const;
    // The verified token when `token` is in the worker's cache and still valid at `now`, else
    // nullptr (then verify() decides). Needs no check of the token's shape first.
    const std::shared_ptr<const VerifiedToken> *cached(QByteArrayView token, qint64 now, int worker) const;

    const QList<TrustedIssuer> &issuers() const { return m_issuers; }
    static constexpr qint64 kNoExpiryCacheSeconds = 300;   // tokens without exp are re-verified after
    static constexpr qsizetype kMaxCachedTokenBytes = 4096;

private:
    TokenCheck verifyUncached(QByteArrayView token, qint64 now, VerifiedToken &out, QString &reason) const;

    // The cache is keyed by the token itself: a hash of its last bytes and its length (seeded at
    // random per process) finds the slot and a constant-time comparison of all its bytes decides.
    // A hash collision can thus never admit an unverified token, and no cryptographic digest is
    // computed per request. Tokens above kMaxCachedTokenBytes are verified every time (they bound
    // memory).
    struct TokenKey
    {
        static constexpr qsizetype kHashedBytes = 24;
        QByteArray bytes;
        friend bool operator==(const TokenKey &a, const TokenKey &b) noexcept
        {
            return constantTimeEquals(a.bytes, b.bytes);
        }
        // The last kHashedBytes bytes (three words, mixed by multiplication) and the length: a JWT
        // ends with its signature, whose bytes differ between any two tokens, so hashing all ~800
        // bytes per request bought nothing, and neither did a general-purpose hash of the last 48
        // (~65 instructions against ~15). Only verified tokens are ever inserted, so nobody can
        // pile colliding keys into it.
        friend size_t qHash(const TokenKey &key, size_t seed) noexcept
        {
            const qsizetype n = key.bytes.size();
            if (n < kHashedBytes)
                return qHash(QByteArrayView(key.bytes), seed);
            quint64 w[3];
            std::memcpy(w, key.bytes.constData() + n - kHashedBytes, sizeof w);
            quint64 h = (w[0] ^ quint64(seed) ^ quint64(n)) * 0x9E3779B97F4A7C15ULL;
            h = (h ^ (h >> 29) ^ w[1]) * 0xBF58476D1CE4E5B9ULL;
            h = (h ^ (h >> 31) ^ w[2]) * 0x94D049BB133111EBULL;
            return size_t(h ^ (h >> 32));
        }
    };
    struct Entry
    {
        std::shared_ptr<const VerifiedToken> token;
        qint64 until = 0;   // seconds since the epoch
    };
    using Shard = QHash<TokenKey, Entry>;

    QList<TrustedIssuer> m_issuers;
    int m_cacheEntries;
    std::function<void(int)> m_refetch;
    QString m_method;
    mutable std::vector<Shard> m_cache;   // one per worker: only that worker touches it
};

} // namespace Gatehouse
