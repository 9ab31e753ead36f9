// The local store: exact under 4 threads hammering one key, levels decided atomically together,
// idle keys swept and memory bounded, counters kept by key.
#include "policies/ratelimit/localratelimitstore.h"

#include <QTest>
#include <QThread>

#include <atomic>

using namespace Gatehouse;

namespace {

constexpr qint64 kSecond = 1'000'000'000;

struct FakeClock
{
    std::shared_ptr<std::atomic<qint64>> now = std::make_shared<std::atomic<qint64>>(100 * kSecond);
    RateLimitClock clock() const
    {
        return [n = now] { return n->load(); };
    }
    void advance(qint64 ns) { now->fetch_add(ns); }
};

RateLimitCheck check(const QByteArray &key, qint64 count, qint64 periodNs, bool enforce = true)
{
    return {key, GcraLimit::make(count, periodNs), enforce};
}

bool admit(LocalRateLimitStore &store, std::initializer_list<RateLimitCheck> checks, int *rejected = nullptr)
{
    std::array<GcraResult, LocalRateLimitStore::kMaxChecks> results;
    const std::vector<RateLimitCheck> list(checks);
    const int r = store.acquire(list, results);
    if (rejected)
        *rejected = r;
    return r < 0;
}

} // namespace

class tst_LocalRateLimitStore : public QObject
{
    Q_OBJECT
private slots:
    void fourThreadsHammeringOneKeyAdmitExactlyTheLimit_data();
    void fourThreadsHammeringOneKeyAdmitExactlyTheLimit();
    void fourThreadsOnSeveralLevelsStayExact();
    void aRequestRejectedByOneLevelCostsTheOthersNothing();
    void anUnenforcedLevelCountsButNeverRejects();
    void keysAreIndependent();
    void idleKeysAreSweptAsTheStoreGrows();
    void busyKeysAreBoundedByEviction();
};

void tst_LocalRateLimitStore::fourThreadsHammeringOneKeyAdmitExactlyTheLimit_data()
{
    QTest::addColumn<int>("limit");
    QTest::addColumn<int>("perThread");
    QTest::newRow("100/min, 4 threads x 150") << 100 << 150;
    QTest::newRow("1000/min, 4 threads x 2000") << 1000 << 2000;
    QTest::newRow("1/min, 4 threads x 50") << 1 << 50;
}

void tst_LocalRateLimitStore::fourThreadsHammeringOneKeyAdmitExactlyTheLimit()
{
    QFETCH(int, limit);
    QFETCH(int, perThread);
    FakeClock clock;   // frozen: no refill may blur the count
    LocalRateLimitStore store(clock.clock());
    std::atomic<int> admitted{0};
    std::atomic<int> ready{0};
    QList<QThread *> threads;
    for (int t = 0; t < 4; ++t) {
        threads.append(QThread::create([&] {
            ready.fetch_add(1);
            while (ready.load() < 4) {
            }
            for (int i = 0; i < perThread; ++i) {
                if (admit(store, {check("api:Pets/1.0|T", limit, 60 * kSecond)}))
                    admitted.fetch_add(1);
            }
        }));
    }
    for (QThread *t : threads)
        t->start();
    for (QThread *t : threads) {
        QVERIFY(t->wait(60'000));
        delete t;
    }
    QCOMPARE(admitted.load(), limit);
}

void tst_LocalRateLimitStore::fourThreadsOnSeveralLevelsStayExact()
{
    // An API level shared by all threads and a resource level per pair of threads: the API limit
    // (100) is reached exactly; each resource level (40) too; never more.
    FakeClock clock;
    LocalRateLimitStore store(clock.clock());
    std::array<std::atomic<int>, 4> admitted{};
    QList<QThread *> threads;
    for (int t = 0; t < 4; ++t) {
        threads.append(QThread::create([&, t] {
            const QByteArray resource = "op:" + QByteArray::number(t / 2);
            for (int i = 0; i < 200; ++i) {
                if (admit(store, {check("api", 100, 60 * kSecond), check(resource, 40, 60 * kSecond)}))
                    admitted[size_t(t)].fetch_add(1);
            }
        }));
    }
    for (QThread *t : threads)
        t->start();
    for (QThread *t : threads) {
        QVERIFY(t->wait(60'000));
        delete t;
    }
    QCOMPARE(admitted[0] + admitted[1], 40);
    QCOMPARE(admitted[2] + admitted[3], 40);
}

void tst_LocalRateLimitStore::aRequestRejectedByOneLevelCostsTheOthersNothing()
{
    FakeClock clock;
    LocalRateLimitStore store(clock.clock());
    int rejected = -2;
    for (int i = 0; i < 3; ++i)
        QVERIFY(admit(store, {check("api", 10, kSecond * 60), check("op:a", 3, kSecond * 60)}));
    QVERIFY(!admit(store, {check("api", 10, kSecond * 60), check("op:a", 3, kSecond * 60)}, &rejected));
    QCOMPARE(rejected, 1);
    // Seven more fit the API level through another operation: the rejected one took nothing.
    int other = 0;
    for (int i = 0; i < 20; ++i)
        other += admit(store, {check("api", 10, kSecond * 60), check("op:b", 100, kSecond * 60)}) ? 1 : 0;
    QCOMPARE(other, 7);
}

void tst_LocalRateLimitStore::anUnenforcedLevelCountsButNeverRejects()
{
    FakeClock clock;
    LocalRateLimitStore store(clock.clock());
    std::array<GcraResult, LocalRateLimitStore::kMaxChecks> results;
    const RateLimitCheck c = check("report-only", 2, kSecond, false);
    for (int i = 0; i < 5; ++i)
        QCOMPARE(store.acquire({&c, 1}, results), -1);
    QVERIFY(!results[0].admitted);   // over its quota, said so, let through
    QCOMPARE(results[0].remaining, 0);
}

void tst_LocalRateLimitStore::keysAreIndependent()
{
    FakeClock clock;
    LocalRateLimitStore store(clock.clock());
    QVERIFY(admit(store, {check("ip:10.0.0.1", 1, kSecond)}));
    QVERIFY(!admit(store, {check("ip:10.0.0.1", 1, kSecond)}));
    QVERIFY(admit(store, {check("ip:10.0.0.2", 1, kSecond)}));
    clock.advance(kSecond);
    QVERIFY(admit(store, {check("ip:10.0.0.1", 1, kSecond)}));
}

void tst_LocalRateLimitStore::idleKeysAreSweptAsTheStoreGrows()
{
    FakeClock clock;
    LocalRateLimitStore store(clock.clock());
    for (int i = 0; i < 20'000; ++i)
        QVERIFY(admit(store, {check("ip:" + QByteArray::number(i), 5, kSecond)}));
    QCOMPARE(store.keyCount(), 20'000);   // all busy: none may be forgotten
    clock.advance(kSecond);               // all idle now
    for (int i = 0; i < 20'000; ++i)
        QVERIFY(admit(store, {check("new:" + QByteArray::number(i), 5, kSecond)}));
    QVERIFY2(store.keyCount() < 30'000, qPrintable(QString::number(store.keyCount())));
    QCOMPARE(store.evictions(), 0);
}

void tst_LocalRateLimitStore::busyKeysAreBoundedByEviction()
{
    FakeClock clock;
    const qsizetype maxKeys = LocalRateLimitStore::kShardCount * 16;
    LocalRateLimitStore store(clock.clock(), maxKeys);
    for (int i = 0; i < 5000; ++i)
        QVERIFY(admit(store, {check("ip:" + QByteArray::number(i), 5, 60 * kSecond)}));
    QVERIFY(store.keyCount() <= maxKeys);
    QVERIFY(store.evictions() >= 5000 - maxKeys);
}

QTEST_APPLESS_MAIN(tst_LocalRateLimitStore)
#include "tst_localratelimitstore.moc"
