// MetricsSnapshot: the cumulative counters of every worker shard summed into plain values at one
// instant, for consumers that chart them (the workbench) instead of scraping /metrics.
#pragma once

#include "metricsshard.h"

#include <QByteArray>
#include <QList>
#include <QMetaType>

#include <array>

namespace Gatehouse {

class MetricsRegistry;

struct MetricsSnapshot
{
    // One server series: a label set and a status code, summed over the shards.
    struct RouteSeries
    {
        QByteArray method;
        QByteArray route;   // the route template, empty for unrouted requests
        QByteArray api;     // the API's title, empty for unrouted requests
        int status = 0;     // 0 for the overflow series
        // Per bucket of MetricBounds::kRequestNs (not cumulative), the last one for +Inf.
        QList<quint64> counts;
        quint64 sumNs = 0;
        quint64 total() const;
    };
    struct PhaseSeries
    {
        QList<quint64> counts;   // per bucket of MetricBounds::kPhaseNs, the last one for +Inf
        quint64 sumNs = 0;
    };

    qint64 takenAtMs = 0;        // wall clock, ms since the epoch
    qint64 monotonicNs = 0;      // when it was taken, for rates
    quint64 configVersion = 0;
    qint64 activeConnections = 0;
    qint64 activeRequests = 0;
    QList<RouteSeries> routes;   // sorted by api, route, method, status
    std::array<PhaseSeries, kPhaseCount> phases;
    std::array<quint64, kAuthFailureReasonCount> authFailures{};
    std::array<quint64, kRateLimitMetricLevels> rateLimited{};
    std::array<quint64, kUpstreamFailureKinds> upstreamFailures{};
    quint64 aborted = 0;
    quint64 acceptedConnections = 0;

    // Cumulative counters: every value is a total since the registry was created (the engine's
    // start()), so a consumer takes differences between two snapshots of the same registry.
    // Reads the shards only (never writes them): safe while the workers run.
    static MetricsSnapshot take(MetricsRegistry &registry);
};

} // namespace Gatehouse

Q_DECLARE_METATYPE(Gatehouse::MetricsSnapshot)
