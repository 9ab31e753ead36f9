// MetricsHistory: rows from differences of cumulative snapshots, percentiles from histogram
// deltas, the per-API/operation filter, the 15-minute bound, CSV; checked by the model tester.
#include "metricshistory.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

#include <cmath>

using namespace Gatehouse;

namespace {

constexpr qint64 kSecondNs = 1'000'000'000;

// A histogram of `n` requests all in the bucket whose upper bound is `boundIndex`.
QList<quint64> bucket(int boundIndex, quint64 n)
{
    QList<quint64> counts(qsizetype(MetricBounds::kRequestNs.size()) + 1, 0);
    counts[boundIndex] = n;
    return counts;
}

MetricsSnapshot::RouteSeries series(const char *api, const char *method, const char *route, int status,
                                    QList<quint64> counts)
{
    MetricsSnapshot::RouteSeries s;
    s.api = api;
    s.method = method;
    s.route = route;
    s.status = status;
    s.counts = std::move(counts);
    return s;
}

// Snapshots of one run: cumulative totals at second `t`.
class Run
{
public:
    MetricsSnapshot at(int t)
    {
        MetricsSnapshot s;
        s.monotonicNs = 5 * kSecondNs + t * kSecondNs;
        s.takenAtMs = 1'700'000'000'000 + t * 1000;
        s.routes = m_routes;
        s.rateLimited = m_limited;
        for (auto &p : s.phases)
            p.counts.resize(qsizetype(MetricBounds::kPhaseNs.size()) + 1, 0);
        s.phases[size_t(Phase::Authn)].counts[0] = m_authn;
        s.phases[size_t(Phase::Authn)].sumNs = m_authn * 40'000;   // 40 µs each
        return s;
    }
    // Adds requests to a series (created on first use; kept sorted as the engine sorts them).
    void add(const char *api, const char *method, const char *route, int status, int boundIndex, quint64 n)
    {
        for (auto &r : m_routes) {
            if (r.api == api && r.method == method && r.route == route && r.status == status) {
                r.counts[boundIndex] += n;
                return;
            }
        }
        m_routes.append(series(api, method, route, status, bucket(boundIndex, n)));
        std::sort(m_routes.begin(), m_routes.end(), [](const auto &a, const auto &b) {
            return std::tie(a.api, a.route, a.method, a.status) < std::tie(b.api, b.route, b.method, b.status);
        });
    }
    void limit(quint64 n) { m_limited[size_t(RateLimitMetricLevel::Api)] += n; }
    void authn(quint64 n) { m_authn += n; }

private:
    QList<MetricsSnapshot::RouteSeries> m_routes;
    std::array<quint64, kRateLimitMetricLevels> m_limited{};
    quint64 m_authn = 0;
};

} // namespace

class tst_MetricsHistory : public QObject
{
    Q_OBJECT
private slots:
    void quantiles_data();
    void quantiles();
    void rowsAreDifferencesOfConsecutiveSnapshots();
    void filterNarrowsToOneApiOrOperation();
    void historyIsBoundedToItsCapacity();
    void newRunCountsFromZero();
    void csvHasAHeaderAndOneLinePerSecond();
};

void tst_MetricsHistory::quantiles_data()
{
    QTest::addColumn<QList<quint64>>("counts");
    QTest::addColumn<double>("q");
    QTest::addColumn<double>("expectedMs");
    const qsizetype n = qsizetype(MetricBounds::kRequestNs.size()) + 1;
    QList<quint64> firstBucket(n, 0);
    firstBucket[0] = 100;   // (0, 0.5 ms]
    QList<quint64> split(n, 0);
    split[1] = 50;   // (0.5, 1] ms
    split[4] = 50;   // (5, 10] ms
    QList<quint64> overflow(n, 0);
    overflow[n - 1] = 10;   // beyond 10 s
    QTest::newRow("the median of a bucket starting at zero is its middle") << firstBucket << 0.5 << 0.25;
    QTest::newRow("p99 of two equal halves lies in the upper half's bucket") << split << 0.99 << 9.9;
    QTest::newRow("p50 of two equal halves is the top of the lower bucket") << split << 0.5 << 1.0;
    QTest::newRow("requests beyond the last bound report the last bound") << overflow << 0.95 << 10000.0;
}

void tst_MetricsHistory::quantiles()
{
    QFETCH(QList<quint64>, counts);
    QFETCH(double, q);
    QFETCH(double, expectedMs);
    QCOMPARE(MetricsHistory::quantileMs(counts, MetricBounds::kRequestNs, q), expectedMs);
    QVERIFY(std::isnan(MetricsHistory::quantileMs(QList<quint64>(counts.size(), 0), MetricBounds::kRequestNs, q)));
}

void tst_MetricsHistory::rowsAreDifferencesOfConsecutiveSnapshots()
{
    MetricsHistory history;
    QAbstractItemModelTester tester(&history, QAbstractItemModelTester::FailureReportingMode::QtTest);
    Run run;
    run.add("Pets", "GET", "/pets", 200, 1, 40);
    history.addSnapshot(run.at(0));   // a baseline only
    QCOMPARE(history.rowCount(), 0);

    run.add("Pets", "GET", "/pets", 200, 1, 30);
    run.add("Pets", "GET", "/pets", 503, 4, 10);
    run.add("Pets", "POST", "/pets", 429, 0, 5);
    run.limit(5);
    run.authn(20);
    history.addSnapshot(run.at(1));
    QCOMPARE(history.rowCount(), 1);
    QCOMPARE(history.value(0, MetricsHistory::RequestsPerSecond), 45.0);
    QCOMPARE(history.value(0, MetricsHistory::Status2xx), 30.0);
    QCOMPARE(history.value(0, MetricsHistory::Status4xx), 5.0);
    QCOMPARE(history.value(0, MetricsHistory::Status5xx), 10.0);
    QCOMPARE(history.value(0, MetricsHistory::ErrorsPerSecond), 10.0);
    QCOMPARE(history.value(0, MetricsHistory::RateLimitedPerSecond), 5.0);
    QCOMPARE(history.value(0, MetricsHistory::FirstPhase + int(Phase::Authn)), 0.04);
    QVERIFY(std::isnan(history.value(0, MetricsHistory::FirstPhase + int(Phase::Upstream))));
    QVERIFY(history.value(0, MetricsHistory::P99Ms) > 5.0);   // the slow 503s
    QVERIFY(history.value(0, MetricsHistory::P50Ms) <= 1.0);

    // Two seconds between snapshots halve the rate.
    run.add("Pets", "GET", "/pets", 200, 1, 10);
    MetricsSnapshot later = run.at(3);
    history.addSnapshot(later);
    QCOMPARE(history.value(1, MetricsHistory::RequestsPerSecond), 5.0);
    QCOMPARE(history.index(1, MetricsHistory::RequestsPerSecond).data().toString(), QStringLiteral("5.0"));
    QCOMPARE(history.headerData(MetricsHistory::P95Ms, Qt::Horizontal).toString(), QStringLiteral("p95 (ms)"));
}

void tst_MetricsHistory::filterNarrowsToOneApiOrOperation()
{
    MetricsHistory history;
    QAbstractItemModelTester tester(&history, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy operations(&history, &MetricsHistory::operationsChanged);
    Run run;
    history.addSnapshot(run.at(0));
    run.add("Pets", "GET", "/pets", 200, 1, 10);
    run.add("Pets", "POST", "/pets", 429, 0, 4);
    run.add("Orders", "GET", "/orders", 200, 1, 6);
    run.add("Orders", "GET", "/orders", 401, 0, 3);
    run.limit(4);
    history.addSnapshot(run.at(1));
    QCOMPARE(operations.size(), 3);
    QCOMPARE(history.apis(), (QStringList{QStringLiteral("Orders"), QStringLiteral("Pets")}));
    QCOMPARE(history.value(0, MetricsHistory::RequestsPerSecond), 23.0);

    QSignalSpy changed(&history, &MetricsHistory::dataChanged);
    history.setFilter({QStringLiteral("Pets"), {}, {}});
    QCOMPARE(changed.size(), 1);
    QCOMPARE(history.value(0, MetricsHistory::RequestsPerSecond), 14.0);
    QCOMPARE(history.value(0, MetricsHistory::RateLimitedPerSecond), 4.0);   // its 429s
    QCOMPARE(history.value(0, MetricsHistory::AuthFailuresPerSecond), 0.0);  // the 401s are Orders'
    history.setFilter({QStringLiteral("Orders"), {}, {}});
    QCOMPARE(history.value(0, MetricsHistory::AuthFailuresPerSecond), 3.0);
    history.setFilter({QStringLiteral("Pets"), QStringLiteral("GET"), QStringLiteral("/pets")});
    QCOMPARE(history.value(0, MetricsHistory::RequestsPerSecond), 10.0);
    QCOMPARE(history.value(0, MetricsHistory::RateLimitedPerSecond), 0.0);
    history.setFilter({QStringLiteral("Nothing"), {}, {}});
    QCOMPARE(history.value(0, MetricsHistory::RequestsPerSecond), 0.0);
    QVERIFY(std::isnan(history.value(0, MetricsHistory::P50Ms)));   // no requests, no percentile
}

void tst_MetricsHistory::historyIsBoundedToItsCapacity()
{
    MetricsHistory history(nullptr, 10);
    QAbstractItemModelTester tester(&history, QAbstractItemModelTester::FailureReportingMode::QtTest);
    Run run;
    history.addSnapshot(run.at(0));
    for (int t = 1; t <= 25; ++t) {
        run.add("Pets", "GET", "/pets", 200, 1, quint64(t));
        history.addSnapshot(run.at(t));
    }
    QCOMPARE(history.rowCount(), 10);
    QCOMPARE(history.value(0, MetricsHistory::RequestsPerSecond), 16.0);   // seconds 16..25 remain
    QCOMPARE(history.value(9, MetricsHistory::RequestsPerSecond), 25.0);
    QCOMPARE(history.timeMs(9) - history.timeMs(0), 9000);
    QCOMPARE(MetricsHistory::kDefaultCapacity, 900);   // 15 minutes at 1 s
}

void tst_MetricsHistory::newRunCountsFromZero()
{
    MetricsHistory history;
    Run first;
    first.add("Pets", "GET", "/pets", 200, 1, 1000);
    history.addSnapshot(first.at(0));
    history.addSnapshot(first.at(1));
    QCOMPARE(history.rowCount(), 1);
    QCOMPARE(history.value(0, MetricsHistory::RequestsPerSecond), 0.0);

    history.startRun();   // the gateway restarted: a new registry counting from zero
    Run second;
    second.add("Pets", "GET", "/pets", 200, 1, 7);
    history.addSnapshot(second.at(0));
    QCOMPARE(history.rowCount(), 2);
    QCOMPARE(history.value(1, MetricsHistory::RequestsPerSecond), 7.0);

    // Counters going backwards without startRun() are a new registry too: no negative rates.
    Run third;
    third.add("Pets", "GET", "/pets", 200, 1, 3);
    history.addSnapshot(third.at(5));
    QCOMPARE(history.value(2, MetricsHistory::RequestsPerSecond), 3.0 / 5.0);
}

void tst_MetricsHistory::csvHasAHeaderAndOneLinePerSecond()
{
    MetricsHistory history;
    Run run;
    history.addSnapshot(run.at(0));
    run.add("Pets", "GET", "/pets", 200, 1, 3);
    history.addSnapshot(run.at(1));
    history.addSnapshot(run.at(2));
    const QList<QByteArray> lines = history.toCsv().trimmed().split('\n');
    QCOMPARE(lines.size(), 3);
    QVERIFY(lines.at(0).startsWith("Time,Requests/s,p50 (ms),p95 (ms),p99 (ms),1xx/s"));
    QCOMPARE(lines.at(0).count(','), MetricsHistory::ColumnCount - 1);
    QVERIFY2(lines.at(1).startsWith("2023-11-14T22:13:21.000Z,3,"), lines.at(1).constData());
    QVERIFY2(lines.at(2).startsWith("2023-11-14T22:13:22.000Z,0,,,,"), lines.at(2).constData());   // no requests: empty cells
}

QTEST_MAIN(tst_MetricsHistory)
#include "tst_metricshistory.moc"
