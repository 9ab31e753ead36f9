// What a scrape hands to the exposition writers: metric families with their series, already
// aggregated over the worker shards. Plain values, built on the engine's thread.
#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>

namespace Gatehouse {

enum class MetricType { Counter = 1, Gauge, Histogram };

// Label name and value; values may hold any bytes (the writers escape them and repair bad UTF-8).
using MetricLabels = QList<QPair<QByteArray, QByteArray>>;

struct MetricSeries
{
    MetricLabels labels;
    double value = 0;             // counters and gauges
    // Histograms: cumulative counts, one per bound of the family and a last one for +Inf (the
    // total count); sum of the observed values in the family's unit.
    QList<quint64> buckets;
    double sum = 0;
};

struct MetricFamily
{
    // The family name as Prometheus text 0.0.4 shows it: counters end in "_total"
    // ("process_cpu_seconds_total"); OpenMetrics drops the suffix from the family itself.
    QByteArray name;
    QByteArray help;
    QByteArray unit;              // "seconds", "bytes" or empty; the name ends with "_<unit>"
    MetricType type = MetricType::Counter;
    QList<double> bounds;         // histograms: upper bounds, increasing, without +Inf
    QList<MetricSeries> series;
};

} // namespace Gatehouse
