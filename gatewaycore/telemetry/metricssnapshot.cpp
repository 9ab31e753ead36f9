// MetricsSnapshot::take: sums the worker shards the way MetricsRegistry::collect() does, without
// formatting label strings per series.
#include "metricssnapshot.h"

#include "metricsregistry.h"

#include <QDateTime>

#include <algorithm>
#include <map>

namespace Gatehouse {

quint64 MetricsSnapshot::RouteSeries::total() const
{
    quint64 n = 0;
    for (quint64 c : counts)
        n += c;
    return n;
}

MetricsSnapshot MetricsSnapshot::take(MetricsRegistry &registry)
{
    MetricsSnapshot s;
    s.takenAtMs = QDateTime::currentMSecsSinceEpoch();
    s.monotonicNs = Gatehouse::monotonicNs();

    std::map<quint32, RouteSeries> server;
    for (int i = 0; i < registry.shardCount(); ++i) {
        const MetricsShard &shard = registry.shard(i);
        shard.server().forEach([&](quint32 key, std::span<const quint64> counts, quint64 sumNs) {
            RouteSeries &r = server[key];
            if (r.counts.isEmpty())
                r.counts.resize(qsizetype(counts.size()), 0);
            for (size_t b = 0; b < counts.size(); ++b)
                r.counts[qsizetype(b)] += counts[b];
            r.sumNs += sumNs;
        });
        for (int p = 0; p < kPhaseCount; ++p) {
            const auto &cells = shard.phases()[size_t(p)];
            PhaseSeries &out = s.phases[size_t(p)];
            const qsizetype buckets = qsizetype(MetricBounds::kPhaseNs.size()) + 1;
            if (out.counts.isEmpty())
                out.counts.resize(buckets, 0);
            for (qsizetype b = 0; b < buckets; ++b)
                out.counts[b] += cells[size_t(b)].load(std::memory_order_relaxed);
            out.sumNs += cells[size_t(buckets)].load(std::memory_order_relaxed);
        }
        for (int r = 0; r < kAuthFailureReasonCount; ++r)
            s.authFailures[size_t(r)] += shard.authFailures(AuthFailureReason(r));
        for (int l = 0; l < kRateLimitMetricLevels; ++l)
            s.rateLimited[size_t(l)] += shard.rateLimited(RateLimitMetricLevel(l));
        for (int k = 0; k < kUpstreamFailureKinds; ++k)
            s.upstreamFailures[size_t(k)] += shard.upstreamFailures(k + 1);
        s.aborted += shard.aborted();
        s.acceptedConnections += shard.accepted();
        s.activeRequests += shard.activeRequests();
    }
    s.routes.reserve(qsizetype(server.size()));
    for (auto &[key, series] : server) {
        if (key != MetricsShard::kOverflowKey) {
            const RouteLabelSet labels = registry.labelsOf(key >> 10);
            series.method = labels.method;
            series.route = labels.route;
            series.api = labels.api;
            series.status = int(key & 0x3ff);
        } else {
            series.method = series.route = series.api = QByteArrayLiteral("_overflow");
        }
        s.routes.append(std::move(series));
    }
    std::sort(s.routes.begin(), s.routes.end(), [](const RouteSeries &a, const RouteSeries &b) {
        return std::tie(a.api, a.route, a.method, a.status) < std::tie(b.api, b.route, b.method, b.status);
    });
    return s;
}

} // namespace Gatehouse
