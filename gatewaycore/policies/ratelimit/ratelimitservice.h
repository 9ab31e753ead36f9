// The rate-limit service of GatewayServices: the stores (kept across reloads) and the tiers of the
// current config as GCRA sees them.
#pragma once

#include "localratelimitstore.h"
#include "redisratelimitstore.h"

#include "base/diagnostic.h"
#include "project/projectsettings.h"

#include <QHash>

#include <array>

#include <memory>

namespace Gatehouse {

enum class RateLimitLevel { Api = 0, Resource, Subscription, Application, Client };
inline constexpr int kRateLimitLevelCount = int(RateLimitLevel::Client) + 1;
QString rateLimitLevelName(RateLimitLevel level);   // "API", "resource", "subscription" ...

// A tier ready for the data path: its limit, the part of every key that names it (so that a
// counter survives a reload exactly when its tier did not change), and the texts of its answers,
// built once so that an admitted request formats nothing.
struct RateLimitTier
{
    QString name;
    GcraLimit limit;
    bool enforce = true;
    QByteArray keySuffix;    // "|Gold:5000/60s+0"
    QString rate;            // "5000/min", "10/5 min (burst 5)": for people
    qint64 periodSeconds = 0;
    QByteArray quotedName;   // "\"Gold\"", for the IETF fields
    QByteArray ietfPolicy;   // "\"Gold\";q=5000;w=60"
    QByteArray countText;    // "5000"
    std::array<QString, kRateLimitLevelCount> labels;   // "tier Gold (API level)"
};

using RateLimitTiers = QHash<QString, RateLimitTier>;   // without "Unlimited"

// Created once per engine; configure() runs on the engine's thread for every config. Filters hold
// what they were built with (shared pointers), so a reload never pulls a store from under them.
class RateLimitService
{
public:
    RateLimitService(int workerCount, RateLimitClock clock = monotonicRateLimitClock());

    // Takes the tiers and the store settings; a Redis store is replaced only when its settings
    // changed. Problems (an unreadable Redis password) become diagnostics at their location.
    void configure(const ThrottlingSettings &settings, const QString &projectDir, Diagnostics &diagnostics);

    std::shared_ptr<LocalRateLimitStore> local() const { return m_local; }
    std::shared_ptr<RedisRateLimitStore> redis() const { return m_redis; }   // nullptr: local only
    std::shared_ptr<const RateLimitTiers> tiers() const { return m_tiers; }
    StoreFailureMode failureMode() const { return m_failureMode; }
    RateLimitHeaders headers() const { return m_headers; }

private:
    int m_workerCount;
    std::shared_ptr<LocalRateLimitStore> m_local;
    std::shared_ptr<RedisRateLimitStore> m_redis;
    std::shared_ptr<const RateLimitTiers> m_tiers;
    StoreFailureMode m_failureMode = StoreFailureMode::Open;
    RateLimitHeaders m_headers = RateLimitHeaders::Ietf;
};

RateLimitTier makeRateLimitTier(const ThrottleTier &tier);

} // namespace Gatehouse
