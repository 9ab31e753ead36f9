// The backend-jwt policy: forwards the authenticated caller's identity to the upstream as a JWT
// signed with the gateway's own key (security.apiKeys, the key /apikey signs with), in a header
// (X-JWT-Assertion by default, as WSO2 API Microgateway did). Tokens are kept per caller on each
// worker until shortly before they expire, so a caller calling again costs no signature.
#pragma once

#include "pipeline/filter.h"

#include <QHash>
#include <QJsonObject>
#include <QString>

#include <memory>
#include <vector>

namespace Gatehouse {

class ApiKeyIssuer;
struct PolicyDescriptor;
struct Principal;

PolicyDescriptor backendJwtPolicy();

struct BackendJwtOptions
{
    QByteArray header = "X-JWT-Assertion";
    QString issuer;                      // iss
    QString audience;                    // aud; empty: none
    qint64 ttlSeconds = 300;             // exp = iat + ttl (never past the caller's own expiry)
    QString apiName;                     // the route's API: "api" and "apiVersion" claims
    QString apiVersion;
    QList<std::pair<QString, QString>> claimMap;   // outgoing claim ← the caller's verified claim
    int maxCachedCallers = 10000;        // per worker
};

// Built once per route; onRequest() is thread-safe (per-worker token caches).
class BackendJwtFilter final : public Filter
{
public:
    using Clock = qint64 (*)();   // seconds since the epoch

    BackendJwtFilter(BackendJwtOptions options, std::shared_ptr<const ApiKeyIssuer> signer, int workerCount,
                     Clock clock = nullptr);
    ~BackendJwtFilter() override;

    Phase phase() const override { return Phase::Interceptor; }
    QLatin1StringView name() const override { return QLatin1StringView("backend-jwt"); }
    FilterStatus onRequest(RequestContext &ctx) const override;

    // The claims forwarded for `principal` at `now` (what the token carries).
    QJsonObject claimsFor(const Principal &principal, qint64 now) const;
    // Signatures made so far on `workerIndex` (tests, the benchmark's proof of caching).
    qint64 signatures(int workerIndex) const;

private:
    struct Cached
    {
        QByteArray token;
        qint64 reuseUntil = 0;   // seconds since the epoch
    };
    struct Slot
    {
        QHash<QByteArray, Cached> tokens;
        qint64 signatures = 0;
    };
    QByteArray cacheKey(const Principal &principal) const;

    BackendJwtOptions m_options;
    std::shared_ptr<const ApiKeyIssuer> m_signer;
    Clock m_clock;
    mutable std::vector<std::unique_ptr<Slot>> m_slots;   // index = worker, touched by its thread only
};

} // namespace Gatehouse
