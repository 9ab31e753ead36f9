// The rate-limit service of GatewayServices: the stores and the current config's tiers.
#include "ratelimitservice.h"

#include "security/secretresolver.h"

namespace Gatehouse {

namespace {

QString unitSymbol(TimeUnit unit)
{
    switch (unit) {
    case TimeUnit::Second: return QStringLiteral("s");
    case TimeUnit::Minute: return QStringLiteral("min");
    case TimeUnit::Hour: return QStringLiteral("h");
    case TimeUnit::Day: return QStringLiteral("day");
    }
    return QString();
}

} // namespace

QString rateLimitLevelName(RateLimitLevel level)
{
    switch (level) {
    case RateLimitLevel::Api: return QStringLiteral("API");
    case RateLimitLevel::Resource: return QStringLiteral("resource");
    case RateLimitLevel::Subscription: return QStringLiteral("subscription");
    case RateLimitLevel::Application: return QStringLiteral("application");
    case RateLimitLevel::Client: return QStringLiteral("unauthenticated client");
    }
    return QString();
}

RateLimitTier makeRateLimitTier(const ThrottleTier &tier)
{
    RateLimitTier t;
    t.name = tier.name;
    t.limit = GcraLimit::fromTier(tier);
    t.enforce = tier.stopOnQuotaReach;
    t.periodSeconds = qint64(tier.period().count());
    t.keySuffix = '|' + tier.name.toUtf8() + ':' + QByteArray::number(tier.count) + '/'
                  + QByteArray::number(t.periodSeconds) + "s+" + QByteArray::number(tier.burst);
    t.rate = QString::number(tier.count) + u'/'
             + (tier.unitTime == 1 ? QString() : QString::number(tier.unitTime) + u' ') + unitSymbol(tier.unit);
    if (tier.burst > 0)
        t.rate += QStringLiteral(" (burst %1)").arg(tier.burst);
    t.quotedName = '"' + tier.name.toUtf8() + '"';
    t.countText = QByteArray::number(tier.count);
    t.ietfPolicy = t.quotedName + ";q=" + t.countText + ";w=" + QByteArray::number(t.periodSeconds);
    for (int level = 0; level < kRateLimitLevelCount; ++level)
        t.labels[size_t(level)] = QStringLiteral("tier %1 (%2 level)").arg(tier.name, rateLimitLevelName(RateLimitLevel(level)));
    return t;
}

RateLimitService::RateLimitService(int workerCount, RateLimitClock clock)
    : m_workerCount(qMax(1, workerCount)),
      m_local(std::make_shared<LocalRateLimitStore>(std::move(clock))),
      m_tiers(std::make_shared<const RateLimitTiers>())
{
}

void RateLimitService::configure(const ThrottlingSettings &settings, const QString &projectDir,
                                 Diagnostics &diagnostics)
{
    auto tiers = std::make_shared<RateLimitTiers>();
    for (const ThrottleTier &tier : settings.tiers) {
        if (!tier.isUnlimited())
            tiers->insert(tier.name, makeRateLimitTier(tier));
    }
    m_tiers = std::move(tiers);
    m_failureMode = settings.onStoreFailure;
    m_headers = settings.headers;

    if (!settings.isDistributed()) {
        m_redis.reset();
        return;
    }
    RedisStoreSettings redis;
    redis.host = settings.redis.host;
    redis.port = settings.redis.port;
    redis.database = settings.redis.database;
    redis.timeout = settings.storeTimeout;
    if (!settings.redisPassword.isEmpty()) {
        auto secret = resolveSecret(settings.redisPassword, projectDir);
        if (!secret) {
            diagnostics.error(settings.redisPassword.location,
                              QStringLiteral("throttling.redisPassword: %1").arg(secret.error().message));
            return;
        }
        redis.password = *secret;
    }
    if (!m_redis || !(m_redis->settings() == redis))
        m_redis = std::make_shared<RedisRateLimitStore>(std::move(redis), m_workerCount);
}

} // namespace Gatehouse
