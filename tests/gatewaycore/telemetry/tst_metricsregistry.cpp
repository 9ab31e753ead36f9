// The metrics registry: shards aggregated on scrape, bounded label cardinality, concurrent
// recording and scraping, process metrics; its whole exposition checked by promtool.
#include "metricscheck.h"

#include "telemetry/metricsregistry.h"
#include "telemetry/prometheuswriter.h"

#include <QDateTime>
#include <QTest>

#include <limits>
#include <thread>

using namespace Gatehouse;
using namespace Gatehouse::Test;

class tst_MetricsRegistry : public QObject
{
    Q_OBJECT
private slots:
    void shardsAggregateIntoOneSeries();
    void countersByReasonLevelAndKind();
    void refusalsByErrorCode_data();
    void refusalsByErrorCode();
    void phasesFromNanoseconds();
    void bucketOfAnObservation_data();
    void bucketOfAnObservation();
    void labelSetsAreBounded();
    void seriesPerShardAreBounded();
    void scrapesWhileAWorkerRecords();
    void processMetricsFromProc();
    void wholeExpositionPassesPromtoolAndParses();
};

namespace {

constexpr qint64 kMs = 1'000'000;

const MetricFamily *findFamily(const QList<MetricFamily> &families, QByteArrayView name)
{
    for (const MetricFamily &f : families) {
        if (f.name == name)
            return &f;
    }
    return nullptr;
}

QByteArray label(const MetricSeries &s, QByteArrayView name)
{
    for (const auto &[n, v] : s.labels) {
        if (n == name)
            return v;
    }
    return {};
}

const MetricSeries *findSeries(const MetricFamily *f, const MetricLabels &want)
{
    if (!f)
        return nullptr;
    for (const MetricSeries &s : f->series) {
        bool match = true;
        for (const auto &[n, v] : want)
            match = match && label(s, n) == v;
        if (match)
            return &s;
    }
    return nullptr;
}

} // namespace

void tst_MetricsRegistry::shardsAggregateIntoOneSeries()
{
    MetricsRegistry registry(2);
    const quint32 pets = registry.internLabels(QStringLiteral("GET"), QStringLiteral("/pets/{id}"), QStringLiteral("Pets"));
    QCOMPARE(registry.internLabels(QStringLiteral("GET"), QStringLiteral("/pets/{id}"), QStringLiteral("Pets")), pets);
    registry.shard(0).observeServer(pets, 200, kMs / 10 * 3);   // 0.3 ms
    registry.shard(0).observeServer(pets, 200, kMs / 10 * 3);
    registry.shard(1).observeServer(pets, 200, 3 * kMs);
    registry.shard(1).observeServer(pets, 404, 20 * kMs);
    registry.shard(1).observeServer(registry.shard(1).unroutedLabels(HttpMethod::Other), 400, kMs);

    const QList<MetricFamily> families = registry.collect({});
    const MetricFamily *duration = findFamily(families, "http_server_request_duration_seconds");
    QVERIFY(duration);
    QCOMPARE(duration->series.size(), 3);
    const MetricSeries *ok = findSeries(duration, {{"http_route", "/pets/{id}"}, {"http_response_status_code", "200"}});
    QVERIFY(ok);
    QCOMPARE(label(*ok, "http_request_method"), QByteArray("GET"));
    QCOMPARE(label(*ok, "api"), QByteArray("Pets"));
    QCOMPARE(duration->bounds.at(0), 0.0005);
    QCOMPARE(ok->buckets.at(0), 2u);   // le 0.5 ms
    QCOMPARE(ok->buckets.at(2), 2u);   // le 2.5 ms
    QCOMPARE(ok->buckets.at(3), 3u);   // le 5 ms
    QCOMPARE(ok->buckets.last(), 3u);
    QCOMPARE(ok->sum, 0.0036);
    const MetricSeries *other = findSeries(duration, {{"http_request_method", "_OTHER"}});
    QVERIFY(other);
    QCOMPARE(label(*other, "http_route"), QByteArray());
    QCOMPARE(label(*other, "http_response_status_code"), QByteArray("400"));
}

void tst_MetricsRegistry::countersByReasonLevelAndKind()
{
    MetricsRegistry registry(2);
    registry.shard(0).countAuthFailure(AuthFailureReason::MissingCredentials);
    registry.shard(1).countAuthFailure(AuthFailureReason::MissingCredentials);
    registry.shard(1).countAuthFailure(AuthFailureReason::InsufficientScope);
    registry.shard(0).countRateLimited(RateLimitMetricLevel::Subscription);
    registry.shard(1).countUpstreamFailure(3);   // UpstreamFailure::Reset
    registry.shard(0).requestStarted();
    registry.shard(1).requestStarted();
    registry.shard(1).requestEnded();
    registry.countReload(true);
    registry.countReload(false);
    registry.countReload(true);
    const QList<MetricFamily> families = registry.collect({5, 3, 0, false});
    auto value = [&](QByteArrayView family, const MetricLabels &labels) {
        const MetricSeries *s = findSeries(findFamily(families, family), labels);
        return s ? s->value : -1;
    };
    QCOMPARE(value("gatehouse_auth_failures_total", {{"reason", "missing_credentials"}}), 2.0);
    QCOMPARE(value("gatehouse_auth_failures_total", {{"reason", "insufficient_scope"}}), 1.0);
    QCOMPARE(value("gatehouse_auth_failures_total", {{"reason", "invalid_credentials"}}), 0.0);
    QCOMPARE(value("gatehouse_ratelimit_rejections_total", {{"level", "subscription"}}), 1.0);
    QCOMPARE(value("gatehouse_upstream_errors_total", {{"error_type", "reset"}}), 1.0);
    QCOMPARE(value("http_server_active_requests", {}), 1.0);
    QCOMPARE(value("gatehouse_active_connections", {}), 5.0);
    QCOMPARE(value("gatehouse_config_version", {}), 3.0);
    QCOMPARE(value("gatehouse_config_reloads_total", {{"result", "success"}}), 2.0);
    QCOMPARE(value("gatehouse_config_reloads_total", {{"result", "failure"}}), 1.0);
    QCOMPARE(value("gatehouse_workers", {}), 2.0);
    QVERIFY(!findFamily(families, "gatehouse_access_log_dropped_total"));
}

void tst_MetricsRegistry::refusalsByErrorCode_data()
{
    QTest::addColumn<GatewayErrorCode>("code");
    QTest::addColumn<QByteArray>("family");
    QTest::addColumn<QByteArray>("label");
    const QByteArray auth = "gatehouse_auth_failures_total";
    const QByteArray limited = "gatehouse_ratelimit_rejections_total";
    QTest::newRow("900902 no credentials") << GatewayErrorCode::MissingCredentials << auth << QByteArray("missing_credentials");
    QTest::newRow("900901 bad credentials") << GatewayErrorCode::InvalidCredentials << auth << QByteArray("invalid_credentials");
    QTest::newRow("900908 API forbidden") << GatewayErrorCode::ApiForbidden << auth << QByteArray("forbidden");
    QTest::newRow("900910 scope missing") << GatewayErrorCode::ScopeForbidden << auth << QByteArray("insufficient_scope");
    QTest::newRow("900903 key manager down") << GatewayErrorCode::AuthServiceUnavailable << auth << QByteArray("unavailable");
    QTest::newRow("900800 API tier") << GatewayErrorCode::ApiThrottled << limited << QByteArray("api");
    QTest::newRow("900802 resource tier") << GatewayErrorCode::ResourceThrottled << limited << QByteArray("resource");
    QTest::newRow("900803 application tier") << GatewayErrorCode::ApplicationThrottled << limited << QByteArray("application");
    QTest::newRow("900804 subscription tier") << GatewayErrorCode::SubscriptionThrottled << limited << QByteArray("subscription");
    QTest::newRow("900806 per client address") << GatewayErrorCode::ClientThrottled << limited << QByteArray("client");
    QTest::newRow("a bad request counts nowhere") << GatewayErrorCode::BadRequest << QByteArray() << QByteArray();
}

void tst_MetricsRegistry::refusalsByErrorCode()
{
    QFETCH(GatewayErrorCode, code);
    QFETCH(QByteArray, family);
    QFETCH(QByteArray, label);
    MetricsRegistry registry(1);
    registry.shard(0).countRefusal(code);
    const QList<MetricFamily> families = registry.collect({});
    double total = 0;
    for (const char *name : {"gatehouse_auth_failures_total", "gatehouse_ratelimit_rejections_total"}) {
        for (const MetricSeries &s : findFamily(families, name)->series) {
            total += s.value;
            if (name == family && s.labels.first().second == label)
                QCOMPARE(s.value, 1.0);
        }
    }
    QCOMPARE(total, family.isEmpty() ? 0.0 : 1.0);
}

void tst_MetricsRegistry::phasesFromNanoseconds()
{
    MetricsRegistry registry(1);
    registry.shard(0).observePhase(Phase::Authn, 20'000);   // 20 µs
    registry.shard(0).observePhase(Phase::Authn, 2 * kMs);
    registry.shard(0).observePhase(Phase::Upstream, 30 * kMs);
    const QList<MetricFamily> families = registry.collect({});
    const MetricFamily *phases = findFamily(families, "gatehouse_phase_duration_seconds");
    QVERIFY(phases);
    QCOMPARE(phases->series.size(), kPhaseCount);
    const MetricSeries *authn = findSeries(phases, {{"phase", "authn"}});
    QVERIFY(authn);
    QCOMPARE(authn->buckets.at(0), 0u);   // le 10 µs
    QCOMPARE(authn->buckets.at(1), 1u);   // le 25 µs
    QCOMPARE(authn->buckets.last(), 2u);
    QCOMPARE(authn->sum, 0.00202);
    QCOMPARE(findSeries(phases, {{"phase", "upstream"}})->buckets.last(), 1u);
    QCOMPARE(findSeries(phases, {{"phase", "respond"}})->buckets.last(), 0u);
}

// BucketBounds::index against the definition (the first bound >= ns, linearly) for every bound,
// its neighbours, every power of two and its neighbours, and the extremes.
void tst_MetricsRegistry::bucketOfAnObservation_data()
{
    QTest::addColumn<QList<qint64>>("bounds");
    QTest::newRow("request bounds, 0.5 ms to 10 s")
        << QList<qint64>(MetricBounds::kRequestNs.begin(), MetricBounds::kRequestNs.end());
    QTest::newRow("phase bounds, 10 us to 10 s")
        << QList<qint64>(MetricBounds::kPhaseNs.begin(), MetricBounds::kPhaseNs.end());
    QTest::newRow("several bounds within one power of two") << QList<qint64>{1, 2, 5, 6, 7, 1024, 1100, 1500, 2047};
    QTest::newRow("a single bound") << QList<qint64>{1'000};
    QTest::newRow("a bound near the top of the range")
        << QList<qint64>{1, std::numeric_limits<qint64>::max() - 1};
}

void tst_MetricsRegistry::bucketOfAnObservation()
{
    QFETCH(QList<qint64>, bounds);
    const BucketBounds buckets{std::span<const qint64>(bounds.constData(), size_t(bounds.size()))};
    std::vector<qint64> values{0, -1, -1'000'000, std::numeric_limits<qint64>::min(), std::numeric_limits<qint64>::max()};
    for (const qint64 b : bounds)
        values.insert(values.end(), {b - 1, b, b + 1});
    for (int w = 0; w < 63; ++w) {
        const qint64 p = qint64(1) << w;
        values.insert(values.end(), {p - 1, p, p + 1});
    }
    for (const qint64 ns : values) {
        int expected = 0;
        while (expected < bounds.size() && bounds.at(expected) < ns)
            ++expected;
        QVERIFY2(buckets.index(ns) == expected, qPrintable(QStringLiteral("%1 ns: bucket %2, expected %3")
                                                               .arg(ns).arg(buckets.index(ns)).arg(expected)));
    }
}

void tst_MetricsRegistry::labelSetsAreBounded()
{
    MetricsRegistry registry(1);
    quint32 last = 0;
    for (int i = 0; i < MetricsRegistry::kMaxLabelSets + 10; ++i)
        last = registry.internLabels(QStringLiteral("GET"), QStringLiteral("/r/%1").arg(i), QStringLiteral("A"));
    QCOMPARE(last, 0u);   // the overflow set
    registry.shard(0).observeServer(last, 200, kMs);
    const QList<MetricFamily> families = registry.collect({});   // kept: the series points into it
    const MetricSeries *overflow = findSeries(findFamily(families, "http_server_request_duration_seconds"),
                                              {{"http_route", "_overflow"}});
    QVERIFY(overflow);
    QCOMPARE(label(*overflow, "http_response_status_code"), QByteArray("200"));
}

void tst_MetricsRegistry::seriesPerShardAreBounded()
{
    HistogramTable table(MetricBounds::kRequestNs, 4, MetricsShard::kOverflowKey);
    for (quint32 key = 1; key <= 10; ++key)
        table.observe(key, kMs);
    table.observe(2, kMs);   // an early key keeps its own series
    QMap<quint32, quint64> counts;
    table.forEach([&](quint32 key, std::span<const quint64> buckets, quint64) {
        quint64 n = 0;
        for (quint64 b : buckets)
            n += b;
        counts.insert(key, n);
    });
    QCOMPARE(counts.size(), 4);
    QCOMPARE(counts.value(2), 2u);
    QCOMPARE(counts.value(MetricsShard::kOverflowKey), 7u);
}

// The worker records while the engine scrapes (run under the tsan preset to see the absence of
// data races): totals only grow, and the last scrape has every observation.
void tst_MetricsRegistry::scrapesWhileAWorkerRecords()
{
    MetricsRegistry registry(1);
    const quint32 labels = registry.internLabels(QStringLiteral("GET"), QStringLiteral("/a"), QStringLiteral("A"));
    constexpr int kObservations = 200'000;
    std::atomic<bool> done{false};
    std::atomic<bool> scraping{false};
    std::thread worker([&] {
        // A loaded machine may run the whole loop before the scraper is scheduled: start together.
        while (!scraping.load())
            std::this_thread::yield();
        MetricsShard &shard = registry.shard(0);
        for (int i = 0; i < kObservations; ++i) {
            shard.observeServer(labels, 200 + i % 3, i);
            shard.countAccepted();
        }
        done.store(true);
    });
    quint64 previous = 0;
    auto total = [&] {
        quint64 n = 0;
        const QList<MetricFamily> families = registry.collect({});
        for (const MetricSeries &s : findFamily(families, "http_server_request_duration_seconds")->series)
            n += s.buckets.last();
        return n;
    };
    scraping.store(true);
    do {
        const quint64 n = total();
        QVERIFY(n >= previous);
        previous = n;
    } while (!done.load());
    worker.join();
    QCOMPARE(total(), quint64(kObservations));
}

void tst_MetricsRegistry::processMetricsFromProc()
{
    MetricsRegistry registry(1);
    const QList<MetricFamily> families = registry.collect({});
    auto value = [&](QByteArrayView name) {
        const MetricFamily *f = findFamily(families, name);
        return f && !f->series.isEmpty() ? f->series.first().value : -1.0;
    };
    QVERIFY(value("process_cpu_seconds_total") >= 0);
    QVERIFY(value("process_resident_memory_bytes") > 1024 * 1024);
    QVERIFY(value("process_open_fds") >= 3);
    QVERIFY(value("process_max_fds") >= value("process_open_fds"));
    const double now = double(QDateTime::currentSecsSinceEpoch());
    QVERIFY2(value("process_start_time_seconds") > now - 3600 && value("process_start_time_seconds") <= now + 1,
             qPrintable(QString::number(value("process_start_time_seconds"), 'f')));
}

void tst_MetricsRegistry::wholeExpositionPassesPromtoolAndParses()
{
    MetricsRegistry registry(2);
    const quint32 labels = registry.internLabels(QStringLiteral("POST"), QStringLiteral("/orders/{id}/items"),
                                                 QStringLiteral("Shop \"API\"\n\\v1"));
    registry.shard(0).observeServer(labels, 201, kMs);
    registry.shard(1).observeClient(0, HttpMethod::Post, 201, kMs);
    registry.shard(1).observePhase(Phase::RateLimit, 40'000);
    ScrapeInputs inputs{1, 1, 2, true};
    inputs.tracingEnabled = inputs.traceExportEnabled = true;
    inputs.traceRingDropped = 4;
    inputs.traceQueueDropped = 5;
    inputs.traceExportFailed = 6;
    inputs.traceExportedRequests = 7;
    inputs.traceExportedSpans = 28;
    inputs.traceExportRetries = 1;
    const QList<MetricFamily> families = registry.collect(inputs);
    const QByteArray text = writeExposition(families, ExpositionFormat::PrometheusText);
    if (!havePromtool())
        QSKIP("promtool (Debian package prometheus) is not installed");
    const ToolResult check = promtoolCheck(text);
    QVERIFY2(check.ok, qPrintable(QString::fromUtf8(check.out + check.err + "\n" + text)));
    if (!havePythonClient())
        QSKIP("python3-prometheus-client is not installed");
    const ToolResult parsedText = pythonParse(text, false);
    QVERIFY2(parsedText.ok, parsedText.err.constData());
    const ToolResult parsedOm = pythonParse(writeExposition(families, ExpositionFormat::OpenMetrics), true);
    QVERIFY2(parsedOm.ok, parsedOm.err.constData());
    const QJsonObject api{{QStringLiteral("api"), QStringLiteral("Shop \"API\"\n\\v1")}};
    QCOMPARE(sampleValue(parsedFamilies(parsedOm), QStringLiteral("http_server_request_duration_seconds_count"), api),
             QStringLiteral("1.0"));
    QCOMPARE(sampleValue(parsedFamilies(parsedOm), QStringLiteral("gatehouse_access_log_dropped_total")),
             QStringLiteral("2.0"));
    QCOMPARE(sampleValue(parsedFamilies(parsedOm), QStringLiteral("gatehouse_traces_dropped_total"),
                         {{QStringLiteral("reason"), QStringLiteral("queue_full")}}),
             QStringLiteral("5.0"));
    QCOMPARE(sampleValue(parsedFamilies(parsedText), QStringLiteral("gatehouse_trace_spans_exported_total")),
             QStringLiteral("28.0"));
    QCOMPARE(sampleValue(parsedFamilies(parsedText), QStringLiteral("gatehouse_phase_duration_seconds_bucket"),
                         {{QStringLiteral("phase"), QStringLiteral("ratelimit")}, {QStringLiteral("le"), QStringLiteral("5e-05")}}),
             QStringLiteral("1.0"));
}

QTEST_GUILESS_MAIN(tst_MetricsRegistry)
#include "tst_metricsregistry.moc"
