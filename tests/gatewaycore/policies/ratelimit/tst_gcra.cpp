// GCRA with a fake clock: a fresh key's burst, the steady refill, window edges, every unit, burst,
// what a rejection costs, and the numbers reported for the headers.
#include "policies/ratelimit/gcra.h"
#include "project/projectsettings.h"

#include <QTest>

using namespace Gatehouse;

namespace {

constexpr qint64 kSecond = 1'000'000'000;

ThrottleTier tier(qint64 count, TimeUnit unit, int unitTime = 1, qint64 burst = 0)
{
    ThrottleTier t;
    t.name = QStringLiteral("T");
    t.count = count;
    t.unit = unit;
    t.unitTime = unitTime;
    t.burst = burst;
    return t;
}

// Runs `requests` at times (ns, from a start well above zero) and returns how many were admitted.
struct Run
{
    GcraLimit limit;
    qint64 tat = 0;
    qint64 start = 1000 * kSecond;

    bool at(qint64 offset)
    {
        const GcraResult r = gcraDecide(limit, tat, start + offset);
        if (r.admitted)
            tat = r.tat;
        return r.admitted;
    }
    int burst(qint64 offset, int n)
    {
        int admitted = 0;
        for (int i = 0; i < n; ++i)
            admitted += at(offset) ? 1 : 0;
        return admitted;
    }
};

} // namespace

class tst_Gcra : public QObject
{
    Q_OBJECT
private slots:
    void burstFromAFreshKey_data();
    void burstFromAFreshKey();
    void refillAfterTheLimit_data();
    void refillAfterTheLimit();
    void everyUnitHasItsPeriod_data();
    void everyUnitHasItsPeriod();
    void rejectionCostsNothing();
    void reportedNumbers();
    void idleKeysAreForgettable();
    void extremeTiersStayFinite();
};

void tst_Gcra::burstFromAFreshKey_data()
{
    QTest::addColumn<qint64>("count");
    QTest::addColumn<qint64>("burst");
    QTest::addColumn<int>("sent");
    QTest::addColumn<int>("admitted");
    QTest::newRow("10/min admits 10 of 15 sent at once") << qint64(10) << qint64(0) << 15 << 10;
    QTest::newRow("100/min admits exactly 100 of 150") << qint64(100) << qint64(0) << 150 << 100;
    QTest::newRow("10/min with burst 5 admits 15 at once") << qint64(10) << qint64(5) << 30 << 15;
    QTest::newRow("1/min admits one") << qint64(1) << qint64(0) << 3 << 1;
    QTest::newRow("fewer requests than the limit are all admitted") << qint64(10) << qint64(0) << 7 << 7;
}

void tst_Gcra::burstFromAFreshKey()
{
    QFETCH(qint64, count);
    QFETCH(qint64, burst);
    QFETCH(int, sent);
    QFETCH(int, admitted);
    Run run{GcraLimit::fromTier(tier(count, TimeUnit::Minute, 1, burst))};
    QCOMPARE(run.burst(0, sent), admitted);
}

void tst_Gcra::refillAfterTheLimit_data()
{
    QTest::addColumn<qint64>("offsetMs");   // after a full burst at 0
    QTest::addColumn<int>("admitted");      // of 20 sent then
    // 10/min: one request every 6 s comes back.
    QTest::newRow("right after the burst nothing") << qint64(0) << 0;
    QTest::newRow("1 ms before the first refill nothing") << qint64(5'999) << 0;
    QTest::newRow("at 6 s exactly one") << qint64(6'000) << 1;
    QTest::newRow("at 30 s five") << qint64(30'000) << 5;
    QTest::newRow("at 59.999 s nine") << qint64(59'999) << 9;
    QTest::newRow("at one minute the whole limit again") << qint64(60'000) << 10;
    QTest::newRow("an hour later still only the limit") << qint64(3'600'000) << 10;
}

void tst_Gcra::refillAfterTheLimit()
{
    QFETCH(qint64, offsetMs);
    QFETCH(int, admitted);
    Run run{GcraLimit::fromTier(tier(10, TimeUnit::Minute))};
    QCOMPARE(run.burst(0, 10), 10);
    QCOMPARE(run.burst(offsetMs * 1'000'000, 20), admitted);
}

void tst_Gcra::everyUnitHasItsPeriod_data()
{
    QTest::addColumn<int>("unit");
    QTest::addColumn<int>("unitTime");
    QTest::addColumn<qint64>("periodSeconds");
    QTest::newRow("second") << int(TimeUnit::Second) << 1 << qint64(1);
    QTest::newRow("minute") << int(TimeUnit::Minute) << 1 << qint64(60);
    QTest::newRow("hour") << int(TimeUnit::Hour) << 1 << qint64(3600);
    QTest::newRow("day") << int(TimeUnit::Day) << 1 << qint64(86400);
    QTest::newRow("5 minutes (unitTime)") << int(TimeUnit::Minute) << 5 << qint64(300);
    QTest::newRow("30 seconds (unitTime)") << int(TimeUnit::Second) << 30 << qint64(30);
}

void tst_Gcra::everyUnitHasItsPeriod()
{
    QFETCH(int, unit);
    QFETCH(int, unitTime);
    QFETCH(qint64, periodSeconds);
    Run run{GcraLimit::fromTier(tier(4, TimeUnit(unit), unitTime))};
    QCOMPARE(run.limit.periodNs, periodSeconds * kSecond);
    QCOMPARE(run.burst(0, 8), 4);
    const qint64 interval = periodSeconds * kSecond / 4;
    QCOMPARE(run.burst(interval - 1, 4), 0);
    QCOMPARE(run.burst(interval, 4), 1);
    QCOMPARE(run.burst(interval + periodSeconds * kSecond, 8), 4);
}

void tst_Gcra::rejectionCostsNothing()
{
    Run run{GcraLimit::fromTier(tier(2, TimeUnit::Second))};
    QCOMPARE(run.burst(0, 2), 2);
    const qint64 state = run.tat;
    QCOMPARE(run.burst(kSecond / 4, 100), 0);   // hammering while limited
    QCOMPARE(run.tat, state);
    QCOMPARE(run.burst(kSecond / 2, 1), 1);     // the refill came on time anyway
}

void tst_Gcra::reportedNumbers()
{
    const GcraLimit limit = GcraLimit::fromTier(tier(10, TimeUnit::Minute));
    const qint64 now = 50 * kSecond;
    GcraResult first = gcraDecide(limit, 0, now);
    QVERIFY(first.admitted);
    QCOMPARE(first.remaining, 9);
    QCOMPARE(first.resetNs, 6 * kSecond);   // back to full once its one interval has passed
    qint64 tat = first.tat;
    for (int i = 0; i < 9; ++i)
        tat = gcraDecide(limit, tat, now).tat;
    const GcraResult last = gcraDecide(limit, tat, now);
    QVERIFY(!last.admitted);
    QCOMPARE(last.remaining, 0);
    QCOMPARE(last.retryAfterNs, 6 * kSecond);
    QCOMPARE(last.resetNs, 60 * kSecond);
    const GcraResult later = gcraDecide(limit, tat, now + 15 * kSecond);   // 2.5 intervals
    QVERIFY(later.admitted);
    QCOMPARE(later.remaining, 1);
}

void tst_Gcra::idleKeysAreForgettable()
{
    const GcraLimit limit = GcraLimit::fromTier(tier(4, TimeUnit::Second));
    const qint64 now = 10 * kSecond;
    qint64 tat = 0;
    for (int i = 0; i < 4; ++i)
        tat = gcraDecide(limit, tat, now).tat;
    QVERIFY(!gcraIsIdle(tat, now + kSecond - 1));
    QVERIFY(gcraIsIdle(tat, now + kSecond));
    // Forgetting an idle key changes no decision.
    const GcraResult kept = gcraDecide(limit, tat, now + 2 * kSecond);
    const GcraResult forgotten = gcraDecide(limit, 0, now + 2 * kSecond);
    QCOMPARE(kept.remaining, forgotten.remaining);
    QCOMPARE(kept.tat, forgotten.tat);
}

void tst_Gcra::extremeTiersStayFinite()
{
    // A billion per second is one per nanosecond; more cannot be told apart and stays at that.
    const GcraLimit fast = GcraLimit::fromTier(tier(3'000'000'000LL, TimeUnit::Second));
    QCOMPARE(fast.intervalNs, 1);
    QVERIFY(fast.toleranceNs > 0);
    // A million days overflows nanoseconds: capped, and still decides.
    const GcraLimit slow = GcraLimit::fromTier(tier(1, TimeUnit::Day, 1'000'000, 1'000'000'000'000LL));
    QVERIFY(slow.periodNs > 0 && slow.toleranceNs > 0);
    QVERIFY(gcraDecide(slow, 0, kSecond).admitted);
}

QTEST_APPLESS_MAIN(tst_Gcra)
#include "tst_gcra.moc"
