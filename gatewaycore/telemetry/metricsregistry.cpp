// MetricsRegistry: label tables, engine counters, and the aggregation of the shards on scrape.
#include "metricsregistry.h"

#include "processmetrics.h"

#include "proxy/upstreamendpoint.h"

#include <QMutexLocker>

#include <algorithm>
#include <map>

namespace Gatehouse {

namespace {

constexpr double kNanosPerSecond = 1e9;
const QByteArray kOverflow = QByteArrayLiteral("_overflow");

QList<double> boundsInSeconds(std::span<const qint64> boundsNs)
{
    QList<double> seconds;
    seconds.reserve(qsizetype(boundsNs.size()));
    for (qint64 ns : boundsNs)
        seconds.append(double(ns) / kNanosPerSecond);
    return seconds;
}

// Per-bucket counts summed over shards, then made cumulative for the writer.
struct Aggregate
{
    std::vector<quint64> counts;
    quint64 sumNs = 0;

    void add(std::span<const quint64> more, quint64 moreNs)
    {
        if (counts.empty())
            counts.assign(more.size(), 0);
        for (size_t i = 0; i < more.size(); ++i)
            counts[i] += more[i];
        sumNs += moreNs;
    }
    MetricSeries series(MetricLabels labels) const
    {
        MetricSeries s;
        s.labels = std::move(labels);
        quint64 running = 0;
        s.buckets.reserve(qsizetype(counts.size()));
        for (quint64 c : counts)
            s.buckets.append(running += c);
        s.sum = double(sumNs) / kNanosPerSecond;
        return s;
    }
};

MetricFamily family(const char *name, const char *help, MetricType type, const char *unit = "")
{
    MetricFamily f;
    f.name = name;
    f.help = help;
    f.type = type;
    f.unit = unit;
    return f;
}

MetricSeries sample(MetricLabels labels, double value)
{
    MetricSeries s;
    s.labels = std::move(labels);
    s.value = value;
    return s;
}

void sortSeries(MetricFamily &f)
{
    std::sort(f.series.begin(), f.series.end(),
              [](const MetricSeries &a, const MetricSeries &b) { return a.labels < b.labels; });
}

} // namespace

MetricsRegistry::MetricsRegistry(int workerCount)
{
    m_labelSets.append({kOverflow, kOverflow, kOverflow});
    for (int i = 0; i < qMax(workerCount, 1); ++i)
        m_shards.push_back(std::make_unique<MetricsShard>(this, i));
}

MetricsRegistry::~MetricsRegistry() = default;

quint32 MetricsRegistry::internLabels(const QString &method, const QString &route, const QString &api)
{
    LabelSet set{method.toUtf8(), route.toUtf8(), api.toUtf8()};
    const QByteArray key = set.method + '\n' + set.route + '\n' + set.api;
    QMutexLocker lock(&m_labelsMutex);
    if (const auto it = m_labelIds.constFind(key); it != m_labelIds.cend())
        return it.value();
    if (m_labelSets.size() >= kMaxLabelSets)
        return 0;
    const auto id = quint32(m_labelSets.size());
    m_labelSets.append(std::move(set));
    m_labelIds.insert(key, id);
    return id;
}

RouteLabelSet MetricsRegistry::labelsOf(quint32 id) const
{
    QMutexLocker lock(&m_labelsMutex);
    return m_labelSets.at(id < quint32(m_labelSets.size()) ? qsizetype(id) : 0);
}

void MetricsRegistry::describeEndpoint(const UpstreamEndpoint &endpoint)
{
    if (endpoint.id < 0 || endpoint.id >= MetricsShard::kMaxEndpointKeys)
        return;
    QMutexLocker lock(&m_labelsMutex);
    if (!m_endpoints.contains(endpoint.id))
        m_endpoints.insert(endpoint.id, {endpoint.host.toUtf8(), QByteArray::number(endpoint.port)});
}

void MetricsRegistry::countReload(bool succeeded)
{
    (succeeded ? m_reloadsSucceeded : m_reloadsFailed).fetch_add(1, std::memory_order_relaxed);
}

void MetricsRegistry::addServerFamilies(QList<MetricFamily> &families) const
{
    std::map<quint32, Aggregate> server;
    for (const auto &shard : m_shards) {
        shard->server().forEach([&](quint32 key, std::span<const quint64> counts, quint64 sumNs) {
            server[key].add(counts, sumNs);
        });
    }
    MetricFamily duration = family("http_server_request_duration_seconds",
                                   "Duration of HTTP server requests: from the complete request head "
                                   "to the last byte of the response handed to the kernel.",
                                   MetricType::Histogram, "seconds");
    duration.bounds = boundsInSeconds(MetricBounds::kRequestNs);
    {
        QMutexLocker lock(&m_labelsMutex);
        for (const auto &[key, aggregate] : server) {
            const bool overflow = key == MetricsShard::kOverflowKey;
            const quint32 id = overflow ? 0 : key >> 10;
            const LabelSet &set = m_labelSets.at(id < quint32(m_labelSets.size()) ? qsizetype(id) : 0);
            const QByteArray status = overflow ? kOverflow : QByteArray::number(key & 0x3ff);
            duration.series.append(aggregate.series({{"http_request_method", set.method},
                                                     {"http_route", set.route},
                                                     {"http_response_status_code", status},
                                                     {"api", set.api}}));
        }
    }
    sortSeries(duration);
    families.append(std::move(duration));

    MetricFamily phases = family("gatehouse_phase_duration_seconds",
                                 "Time requests spent in each phase of the gateway: the policies "
                                 "(authn, authz, ratelimit, validate, interceptor, cors), waiting for "
                                 "the upstream's response head (upstream) and sending the response (respond).",
                                 MetricType::Histogram, "seconds");
    phases.bounds = boundsInSeconds(MetricBounds::kPhaseNs);
    for (int p = 0; p < kPhaseCount; ++p) {
        Aggregate a;
        std::vector<quint64> counts(MetricBounds::kPhaseNs.size() + 1);
        for (const auto &shard : m_shards) {
            const auto &cells = shard->phases()[size_t(p)];
            for (size_t i = 0; i < counts.size(); ++i)
                counts[i] = cells[i].load(std::memory_order_relaxed);
            a.add(counts, cells[counts.size()].load(std::memory_order_relaxed));
        }
        const QLatin1StringView name = phaseName(Phase(p));
        phases.series.append(a.series({{"phase", QByteArray(name.data(), name.size())}}));
    }
    families.append(std::move(phases));
}

void MetricsRegistry::addClientFamily(QList<MetricFamily> &families) const
{
    std::map<quint32, Aggregate> client;
    for (const auto &shard : m_shards) {
        shard->client().forEach([&](quint32 key, std::span<const quint64> counts, quint64 sumNs) {
            client[key].add(counts, sumNs);
        });
    }
    MetricFamily duration = family("http_client_request_duration_seconds",
                                   "Duration of the gateway's requests to upstreams that were answered: "
                                   "from sending the request to the last byte of the response.",
                                   MetricType::Histogram, "seconds");
    duration.bounds = boundsInSeconds(MetricBounds::kRequestNs);
    QMutexLocker lock(&m_labelsMutex);
    for (const auto &[key, aggregate] : client) {
        MetricLabels labels;
        if (key == MetricsShard::kOverflowKey) {
            labels = {{"http_request_method", kOverflow}, {"server_address", kOverflow},
                      {"server_port", kOverflow}, {"http_response_status_code", kOverflow}};
        } else {
            const EndpointLabels endpoint = m_endpoints.value(int(key >> 14), {kOverflow, kOverflow});
            const QByteArrayView method = httpMethodName(HttpMethod((key >> 10) & 0xf));
            labels = {{"http_request_method", method.isEmpty() ? QByteArray("_OTHER") : method.toByteArray()},
                      {"server_address", endpoint.address},
                      {"server_port", endpoint.port},
                      {"http_response_status_code", QByteArray::number(key & 0x3ff)}};
        }
        duration.series.append(aggregate.series(std::move(labels)));
    }
    sortSeries(duration);
    families.append(std::move(duration));
}

QList<MetricFamily> MetricsRegistry::collect(const ScrapeInputs &inputs) const
{
    QList<MetricFamily> families;
    addServerFamilies(families);
    addClientFamily(families);

    quint64 aborted = 0;
    quint64 accepted = 0;
    qint64 activeRequests = 0;
    std::array<quint64, kAuthFailureReasonCount> auth{};
    std::array<quint64, kRateLimitMetricLevels> limited{};
    std::array<quint64, kUpstreamFailureKinds> upstream{};
    for (const auto &shard : m_shards) {
        aborted += shard->aborted();
        accepted += shard->accepted();
        activeRequests += shard->activeRequests();
        for (int i = 0; i < kAuthFailureReasonCount; ++i)
            auth[size_t(i)] += shard->authFailures(AuthFailureReason(i));
        for (int i = 0; i < kRateLimitMetricLevels; ++i)
            limited[size_t(i)] += shard->rateLimited(RateLimitMetricLevel(i));
        for (int i = 0; i < kUpstreamFailureKinds; ++i)
            upstream[size_t(i)] += shard->upstreamFailures(i + 1);
    }

    MetricFamily authFailures = family("gatehouse_auth_failures_total",
                                       "Requests refused by authentication or authorization, by reason.",
                                       MetricType::Counter);
    static const char *const kAuthReasons[] = {"missing_credentials", "invalid_credentials", "forbidden",
                                               "insufficient_scope", "unavailable"};
    for (int i = 0; i < kAuthFailureReasonCount; ++i)
        authFailures.series.append(sample({{"reason", kAuthReasons[i]}}, double(auth[size_t(i)])));
    families.append(std::move(authFailures));

    MetricFamily rateLimited = family("gatehouse_ratelimit_rejections_total",
                                      "Requests answered 429 by rate limiting, by the level whose limit was reached.",
                                      MetricType::Counter);
    static const char *const kLevels[] = {"api", "resource", "application", "subscription", "client"};
    for (int i = 0; i < kRateLimitMetricLevels; ++i)
        rateLimited.series.append(sample({{"level", kLevels[i]}}, double(limited[size_t(i)])));
    families.append(std::move(rateLimited));

    MetricFamily upstreamErrors = family("gatehouse_upstream_errors_total",
                                         "Failed upstream attempts (each retry counts), by kind.",
                                         MetricType::Counter);
    static const char *const kKinds[] = {"connect_failed", "connect_timeout", "reset", "timeout", "bad_response"};
    for (int i = 0; i < kUpstreamFailureKinds; ++i)
        upstreamErrors.series.append(sample({{"error_type", kKinds[i]}}, double(upstream[size_t(i)])));
    families.append(std::move(upstreamErrors));

    MetricFamily abortedFamily = family("gatehouse_requests_aborted_total",
                                        "Requests that ended without a response: the client went away first.",
                                        MetricType::Counter);
    abortedFamily.series.append(sample({}, double(aborted)));
    families.append(std::move(abortedFamily));

    MetricFamily acceptedFamily = family("gatehouse_connections_accepted_total",
                                         "Client connections accepted by the data-plane listeners.",
                                         MetricType::Counter);
    acceptedFamily.series.append(sample({}, double(accepted)));
    families.append(std::move(acceptedFamily));

    MetricFamily active = family("gatehouse_active_connections", "Open client connections.", MetricType::Gauge);
    active.series.append(sample({}, double(inputs.activeConnections)));
    families.append(std::move(active));

    MetricFamily activeReq = family("http_server_active_requests",
                                    "Requests whose head arrived and whose response is not complete yet.",
                                    MetricType::Gauge);
    activeReq.series.append(sample({}, double(activeRequests)));
    families.append(std::move(activeReq));

    MetricFamily reloads = family("gatehouse_config_reloads_total",
                                  "Configuration reloads, by result (a failed reload keeps the running config).",
                                  MetricType::Counter);
    reloads.series.append(sample({{"result", "failure"}}, double(m_reloadsFailed.load(std::memory_order_relaxed))));
    reloads.series.append(sample({{"result", "success"}}, double(m_reloadsSucceeded.load(std::memory_order_relaxed))));
    families.append(std::move(reloads));

    MetricFamily version = family("gatehouse_config_version",
                                  "Version of the running configuration (increases with every apply).",
                                  MetricType::Gauge);
    version.series.append(sample({}, double(inputs.configVersion)));
    families.append(std::move(version));

    MetricFamily workers = family("gatehouse_workers", "Data-plane worker threads.", MetricType::Gauge);
    workers.series.append(sample({}, double(m_shards.size())));
    families.append(std::move(workers));

    if (inputs.accessLogEnabled) {
        MetricFamily dropped = family("gatehouse_access_log_dropped_total",
                                      "Access log lines dropped because the writer fell behind.",
                                      MetricType::Counter);
        dropped.series.append(sample({}, double(inputs.accessLogDropped)));
        families.append(std::move(dropped));
    }
    if (inputs.tracingEnabled) {
        MetricFamily dropped = family("gatehouse_traces_dropped_total",
                                      "Sampled requests whose trace was dropped, by reason: ring_full (the "
                                      "engine fell behind a worker), queue_full (the OTLP queue was full), "
                                      "export_failed (the collector refused the batch or retries ran out).",
                                      MetricType::Counter);
        dropped.series.append(sample({{"reason", "ring_full"}}, double(inputs.traceRingDropped)));
        if (inputs.traceExportEnabled) {
            dropped.series.append(sample({{"reason", "queue_full"}}, double(inputs.traceQueueDropped)));
            dropped.series.append(sample({{"reason", "export_failed"}}, double(inputs.traceExportFailed)));
        }
        families.append(std::move(dropped));
    }
    if (inputs.traceExportEnabled) {
        MetricFamily exported = family("gatehouse_trace_spans_exported_total",
                                       "Spans the OTLP collector accepted.", MetricType::Counter);
        exported.series.append(sample({}, double(inputs.traceExportedSpans)));
        families.append(std::move(exported));
        MetricFamily requests = family("gatehouse_traces_exported_total",
                                       "Traced requests the OTLP collector accepted.", MetricType::Counter);
        requests.series.append(sample({}, double(inputs.traceExportedRequests)));
        families.append(std::move(requests));
        MetricFamily retries = family("gatehouse_trace_export_retries_total",
                                      "OTLP export requests sent again after a retryable failure.",
                                      MetricType::Counter);
        retries.series.append(sample({}, double(inputs.traceExportRetries)));
        families.append(std::move(retries));
    }
    appendProcessMetrics(families);
    return families;
}

} // namespace Gatehouse
