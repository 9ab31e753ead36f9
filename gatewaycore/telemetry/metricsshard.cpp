// MetricsShard: bucket bounds and the binding of a worker's shard to the config it serves.
#include "metricsshard.h"

#include "metricsregistry.h"

#include "project/gatewayconfig.h"

namespace Gatehouse {

namespace MetricBounds {

constexpr qint64 kMs = 1'000'000;
constexpr qint64 kUs = 1'000;

const std::array<qint64, 17> kRequestNs{
    kMs / 2, kMs, 5 * kMs / 2, 5 * kMs, 10 * kMs, 25 * kMs, 50 * kMs, 75 * kMs, 100 * kMs,
    250 * kMs, 500 * kMs, 750 * kMs, 1000 * kMs, 2500 * kMs, 5000 * kMs, 7500 * kMs, 10000 * kMs};
const std::array<qint64, 19> kPhaseNs{
    10 * kUs, 25 * kUs, 50 * kUs, 100 * kUs, 250 * kUs, 500 * kUs, kMs, 5 * kMs / 2, 5 * kMs,
    10 * kMs, 25 * kMs, 50 * kMs, 100 * kMs, 250 * kMs, 500 * kMs, 1000 * kMs, 2500 * kMs,
    5000 * kMs, 10000 * kMs};

} // namespace MetricBounds

MetricsShard::MetricsShard(MetricsRegistry *registry, int index)
    : m_registry(registry), m_index(index),
      m_server(MetricBounds::kRequestNs, MetricsRegistry::kMaxSeriesPerShard, kOverflowKey),
      m_client(MetricBounds::kRequestNs, MetricsRegistry::kMaxSeriesPerShard, kOverflowKey),
      m_phaseBuckets(MetricBounds::kPhaseNs)
{
    for (int m = int(HttpMethod::Get); m <= int(HttpMethod::Other); ++m) {
        const QByteArrayView name = httpMethodName(HttpMethod(m));
        m_unrouted[size_t(m)] = registry->internLabels(
            name.isEmpty() ? QStringLiteral("_OTHER") : QString::fromLatin1(name), {}, {});
    }
}

void MetricsShard::bind(const GatewayConfig &config)
{
    m_bound = nullptr;   // routeLabels() below interns (and describes the endpoints)
    m_routeLabels.assign(size_t(config.routes.size()), 0);
    for (const Route &route : config.routes) {
        if (route.id >= 0 && route.id < config.routes.size())
            m_routeLabels[size_t(route.id)] = routeLabels(config, route);
    }
    m_bound = &config;
}

void MetricsShard::countRefusal(GatewayErrorCode code)
{
    switch (code) {
    case GatewayErrorCode::MissingCredentials: countAuthFailure(AuthFailureReason::MissingCredentials); break;
    case GatewayErrorCode::InvalidCredentials: countAuthFailure(AuthFailureReason::InvalidCredentials); break;
    case GatewayErrorCode::ApiForbidden: countAuthFailure(AuthFailureReason::Forbidden); break;
    case GatewayErrorCode::ScopeForbidden: countAuthFailure(AuthFailureReason::InsufficientScope); break;
    case GatewayErrorCode::AuthServiceUnavailable: countAuthFailure(AuthFailureReason::Unavailable); break;
    case GatewayErrorCode::ApiThrottled: countRateLimited(RateLimitMetricLevel::Api); break;
    case GatewayErrorCode::ResourceThrottled: countRateLimited(RateLimitMetricLevel::Resource); break;
    case GatewayErrorCode::ApplicationThrottled: countRateLimited(RateLimitMetricLevel::Application); break;
    case GatewayErrorCode::SubscriptionThrottled: countRateLimited(RateLimitMetricLevel::Subscription); break;
    case GatewayErrorCode::ClientThrottled: countRateLimited(RateLimitMetricLevel::Client); break;
    default: break;
    }
}

quint32 MetricsShard::routeLabels(const GatewayConfig &config, const Route &route)
{
    if (&config == m_bound && size_t(route.id) < m_routeLabels.size())
        return m_routeLabels[size_t(route.id)];
    // A request still running on the config before the last apply: rare, so the lock is fine.
    for (const UpstreamEndpoint &endpoint : route.upstreams)
        m_registry->describeEndpoint(endpoint);
    return m_registry->internLabels(route.method, route.pathTemplate,
                                    route.api ? route.api->name : QString());
}

} // namespace Gatehouse
