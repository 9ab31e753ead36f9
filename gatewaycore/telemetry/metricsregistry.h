// The gateway's metrics: one MetricsShard per data-plane worker, the label sets they share, and
// the engine's own counters; collect() aggregates everything into metric families on scrape.
#pragma once

#include "metricfamily.h"
#include "metricsshard.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QMutex>
#include <QString>

#include <atomic>
#include <memory>
#include <vector>

namespace Gatehouse {

struct UpstreamEndpoint;

// The strings behind a label set id (see MetricsRegistry::internLabels).
struct RouteLabelSet
{
    QByteArray method;
    QByteArray route;
    QByteArray api;
};

// What the engine knows at scrape time and the shards do not.
struct ScrapeInputs
{
    qint64 activeConnections = 0;
    quint64 configVersion = 0;
    quint64 accessLogDropped = 0;
    bool accessLogEnabled = false;
    // Tracing (see GatewayEngine::traceBatch and OtlpExporter); families appear when enabled.
    bool tracingEnabled = false;
    bool traceExportEnabled = false;
    quint64 traceRingDropped = 0;         // traced requests a full worker ring refused
    quint64 traceQueueDropped = 0;        // refused by the exporter's full queue
    quint64 traceExportFailed = 0;        // in batches the exporter gave up on
    quint64 traceExportedRequests = 0;
    quint64 traceExportedSpans = 0;
    quint64 traceExportRetries = 0;
};

// Created by the engine for its workers and kept while it runs. Threading: shard(i) belongs to
// worker i; the label tables take a lock (config applies, a scrape); collect() and the engine
// counters run on the engine's thread.
class MetricsRegistry
{
public:
    // Bounds on label cardinality: route label sets (method, route template, API), upstream
    // endpoints (MetricsShard::kMaxEndpointKeys) and series per shard beyond these are counted
    // under "_overflow" label values.
    static constexpr int kMaxLabelSets = 4096;
    static constexpr int kMaxSeriesPerShard = 4096;

    explicit MetricsRegistry(int workerCount);
    ~MetricsRegistry();

    int shardCount() const { return int(m_shards.size()); }
    MetricsShard &shard(int worker) { return *m_shards[size_t(worker)]; }

    // Interns a label set; returns 0 (the overflow set) once kMaxLabelSets are in use.
    quint32 internLabels(const QString &method, const QString &route, const QString &api);
    // Any thread (takes the lock): the strings of a label set; the overflow set for unknown ids.
    RouteLabelSet labelsOf(quint32 id) const;
    void describeEndpoint(const UpstreamEndpoint &endpoint);

    // Engine thread.
    void countReload(bool succeeded);

    QList<MetricFamily> collect(const ScrapeInputs &inputs) const;

private:
    using LabelSet = RouteLabelSet;
    struct EndpointLabels
    {
        QByteArray address;
        QByteArray port;
    };
    void addServerFamilies(QList<MetricFamily> &families) const;
    void addClientFamily(QList<MetricFamily> &families) const;

    std::vector<std::unique_ptr<MetricsShard>> m_shards;
    mutable QMutex m_labelsMutex;
    QHash<QByteArray, quint32> m_labelIds;     // method '\n' route '\n' api
    QList<LabelSet> m_labelSets;               // by id; 0 = overflow
    QHash<int, EndpointLabels> m_endpoints;    // by UpstreamEndpoint::id
    std::atomic<quint64> m_reloadsSucceeded{0};
    std::atomic<quint64> m_reloadsFailed{0};
};

} // namespace Gatehouse
