// The rate-limit stage: every level that names a tier is enforced, in order API (or gRPC service),
// resource (operation or gRPC method), subscription, application, and unauthenticated callers per
// client address. 429 with Retry-After and RateLimit headers; see docs/rate-limiting.md.
#pragma once

#include "ratelimitservice.h"

#include "pipeline/filter.h"

#include <QVarLengthArray>

#include <memory>

namespace Gatehouse {

struct GatewayConfig;
struct RequestContext;
struct Route;
class GatewayServices;

class RateLimitFilter final : public Filter
{
public:
    struct Options
    {
        std::shared_ptr<LocalRateLimitStore> local;
        std::shared_ptr<RedisRateLimitStore> redis;   // nullptr: local only
        std::shared_ptr<const RateLimitTiers> tiers;
        StoreFailureMode failureMode = StoreFailureMode::Open;
        RateLimitHeaders headers = RateLimitHeaders::Ietf;
        QString unauthenticatedTier;   // empty or "Unlimited": none
        bool tokenTiers = false;       // a claim mapping names application or subscription tiers
    };

    // The route's own levels (API, resource) are resolved here, once; Unlimited ones vanish.
    RateLimitFilter(const Route &route, Options options);

    Phase phase() const override { return Phase::RateLimit; }
    QLatin1StringView name() const override { return QLatin1StringView("ratelimit"); }
    FilterStatus onRequest(RequestContext &ctx) const override;

    // True when no level can ever apply to the route (the stage then adds no filter).
    bool isEmpty() const { return m_static.isEmpty() && !m_options.tokenTiers && m_clientTier == nullptr; }

private:
    struct Level
    {
        RateLimitLevel level;
        const RateLimitTier *tier;
    };
    using Checks = QVarLengthArray<RateLimitCheck, LocalRateLimitStore::kMaxChecks>;
    using Levels = QVarLengthArray<Level, LocalRateLimitStore::kMaxChecks>;

    void addStatic(RateLimitLevel level, const QString &tierName, const QByteArray &identity);
    // Whether the caller adds levels (per address, or tiers named by its token); addDynamic()
    // is called only then.
    bool hasDynamicLevels(const RequestContext &ctx) const;
    void addDynamic(RequestContext &ctx, Checks &checks, Levels &levels) const;
    FilterStatus finish(RequestContext &ctx, const Levels &levels, std::span<const GcraResult> results,
                        int rejected, const QString &note) const;
    FilterStatus decideLocally(RequestContext &ctx, const Checks &checks, const Levels &levels,
                               const QString &note) const;
    // Redis did not answer (or is known to be down): local counters or 503, as configured.
    FilterStatus withoutStore(RequestContext &ctx, const Checks &checks, const Levels &levels,
                              const QString &description) const;

    Options m_options;
    QByteArray m_apiIdentity;                 // "Pets/1.0" or the gRPC service
    Checks m_static;                          // API and resource checks, keys complete
    Levels m_staticLevels;
    RedisCommandParts m_staticRedis;          // m_static in RESP, when the store is Redis
    const RateLimitTier *m_clientTier = nullptr;
};

// Pipeline stage: nullptr when nothing limits the route.
std::shared_ptr<const Filter> makeRateLimitFilter(const Route &route, const GatewayConfig &config,
                                                  GatewayServices &services, Diagnostics &diagnostics);

} // namespace Gatehouse
