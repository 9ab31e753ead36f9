// The Redis rate-limit store against a real redis-server: the requests of one event-loop turn
// share one script call and are decided in order, exactly, all-or-nothing per request, also
// when requests of the same prepared checks are sent as one group, and after the server lost its
// script cache.
#include "testclient.h"
#include "testredis.h"

#include "policies/ratelimit/redisratelimitstore.h"

#include <QTest>

#include <chrono>

using namespace Gatehouse;
using namespace Gatehouse::Test;
using namespace std::chrono_literals;

namespace {

RateLimitCheck check(const QByteArray &key, qint64 perHour, bool enforce = true)
{
    RateLimitCheck c;
    c.key = RateLimitKey(key);
    c.limit = GcraLimit::make(perHour, std::chrono::nanoseconds(1h).count());
    c.enforce = enforce;
    return c;
}

// What makes two requests' checks the same (keys, limits, enforcement).
QByteArray signature(const QList<RateLimitCheck> &checks)
{
    QByteArray s;
    for (const RateLimitCheck &c : checks)
        s += c.key.bytes + ' ' + QByteArray::number(c.limit.intervalNs) + ' '
             + QByteArray::number(c.limit.toleranceNs) + (c.enforce ? " 1;" : " 0;");
    return s;
}

} // namespace

class tst_RedisRateLimitStore : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();

    void requestsOfOneTurnShareOneScriptCallAndAreDecidedInOrder_data() { preparedOrNot(); }
    void requestsOfOneTurnShareOneScriptCallAndAreDecidedInOrder();
    void aRefusedRequestConsumesNothingEvenInsideABatch_data() { preparedOrNot(); }
    void aRefusedRequestConsumesNothingEvenInsideABatch();
    void nonEnforcedLevelsCountButNeverRefuse_data() { preparedOrNot(); }
    void nonEnforcedLevelsCountButNeverRefuse();
    void groupsOfOneCallSeeTheGroupsBeforeThem();
    void aLostScriptCacheIsReloadedForTheWholeBatch();

private:
    struct Outcome
    {
        bool completed = false;
        RedisDecision decision;
    };
    static void preparedOrNot();
    // Submits every request in this turn, then runs the loop until all are decided. `prepared`:
    // with their RESP written beforehand, one RedisCommandParts per run of identical requests (so
    // that the store groups them, as it does a route's own levels), else formatted per request.
    QList<Outcome> acquireAll(const QList<QList<RateLimitCheck>> &requests, bool prepared = false);

    TestRedis m_redis;
    std::unique_ptr<RedisRateLimitStore> m_store;
    QObject m_worker;
};

void tst_RedisRateLimitStore::initTestCase()
{
    if (!TestRedis::isInstalled())
        QSKIP("redis-server is not installed (/usr/bin/redis-server)");
    QVERIFY(m_redis.start());
}

void tst_RedisRateLimitStore::init()
{
    QCOMPARE(m_redis.cli({QStringLiteral("FLUSHALL")}).trimmed(), QByteArray("OK"));
    RedisStoreSettings settings;
    settings.host = QStringLiteral("127.0.0.1");
    settings.port = m_redis.port();
    settings.timeout = 5s;   // a hang guard on a loaded machine, not a measurement
    m_store = std::make_unique<RedisRateLimitStore>(settings, 1);
    // Connected and the script loaded before anything is counted.
    QList<Outcome> warm = acquireAll({{check("warm-up", 1000)}});
    QVERIFY(warm.at(0).decision.ok);
}

void tst_RedisRateLimitStore::preparedOrNot()
{
    QTest::addColumn<bool>("prepared");
    QTest::newRow("formatted per request") << false;
    QTest::newRow("prepared, grouped") << true;
}

QList<tst_RedisRateLimitStore::Outcome> tst_RedisRateLimitStore::acquireAll(const QList<QList<RateLimitCheck>> &requests,
                                                                            bool prepared)
{
    std::vector<RedisCommandParts> parts;
    parts.reserve(size_t(requests.size()));   // the pointers below stay valid
    std::vector<const RedisCommandParts *> use(size_t(requests.size()), nullptr);
    for (qsizetype i = 0; prepared && i < requests.size(); ++i) {
        if (i > 0 && signature(requests.at(i)) == signature(requests.at(i - 1))) {
            use[size_t(i)] = use[size_t(i - 1)];
        } else {
            parts.push_back(RedisRateLimitStore::prepare(requests.at(i)));
            use[size_t(i)] = &parts.back();
        }
    }
    QList<Outcome> outcomes(requests.size());
    int done = 0;
    bool insideSubmit = false;
    for (qsizetype i = 0; i < requests.size(); ++i) {
        insideSubmit = true;
        const bool sent = m_store->acquire(0, &m_worker, requests.at(i), [&, i](const RedisDecision &d) {
            QVERIFY2(!insideSubmit, "a completion ran inside acquire()");
            outcomes[i].completed = true;
            outcomes[i].decision = d;
            ++done;
        }, use[size_t(i)]);
        insideSubmit = false;
        if (!sent)
            ++done;   // known down: decided by the caller
    }
    waitUntil([&] { return done == requests.size(); }, 30'000);
    return outcomes;
}

void tst_RedisRateLimitStore::requestsOfOneTurnShareOneScriptCallAndAreDecidedInOrder()
{
    QFETCH(bool, prepared);
    const qint64 callsBefore = m_redis.calls("evalsha");
    QList<QList<RateLimitCheck>> requests;
    for (int i = 0; i < 300; ++i)
        requests.append({check("k:one", 100)});
    const QList<Outcome> outcomes = acquireAll(requests, prepared);

    // 300 requests, at most 128 per call: three calls.
    QCOMPARE(m_redis.calls("evalsha") - callsBefore, 3);
    for (qsizetype i = 0; i < outcomes.size(); ++i) {
        const Outcome &o = outcomes.at(i);
        QVERIFY2(o.completed && o.decision.ok, qPrintable(QString::number(i)));
        QCOMPARE(o.decision.results.size(), 1);
        const GcraResult &r = o.decision.results.at(0);
        if (i < 100) {   // the first hundred, in submission order, each seeing the one before
            QCOMPARE(o.decision.rejected, -1);
            QVERIFY(r.admitted);
            QCOMPARE(r.remaining, 99 - i);
        } else {
            QCOMPARE(o.decision.rejected, 0);
            QVERIFY(!r.admitted);
            QVERIFY(r.retryAfterNs > 0);
        }
    }
    // One key, written once per call, expiring on its own.
    const qint64 ttl = m_redis.cli({QStringLiteral("PTTL"), QStringLiteral("gatehouse:rl:k:one")}).trimmed().toLongLong();
    QVERIFY2(ttl > 0 && ttl <= 3'600'000, qPrintable(QString::number(ttl)));
}

void tst_RedisRateLimitStore::aRefusedRequestConsumesNothingEvenInsideABatch()
{
    QFETCH(bool, prepared);
    // Each request counts on a wide level and a narrow one; once the narrow one refuses, the
    // wide one must not be charged for it, by the same call or a later one.
    QList<QList<RateLimitCheck>> requests;
    for (int i = 0; i < 6; ++i)
        requests.append({check("k:wide", 10), check("k:narrow", 2)});
    QList<Outcome> outcomes = acquireAll(requests, prepared);
    int admitted = 0;
    for (const Outcome &o : outcomes) {
        QVERIFY(o.decision.ok);
        if (o.decision.rejected < 0)
            ++admitted;
        else
            QCOMPARE(o.decision.rejected, 1);
    }
    QCOMPARE(admitted, 2);
    outcomes = acquireAll({{check("k:wide", 10)}});
    QCOMPARE(outcomes.at(0).decision.rejected, -1);
    QCOMPARE(outcomes.at(0).decision.results.at(0).remaining, 10 - 3);
}

void tst_RedisRateLimitStore::nonEnforcedLevelsCountButNeverRefuse()
{
    QFETCH(bool, prepared);
    QList<QList<RateLimitCheck>> requests;
    for (int i = 0; i < 5; ++i)
        requests.append({check("k:counted", 3, false), check("k:plenty", 100)});
    const QList<Outcome> outcomes = acquireAll(requests, prepared);
    for (qsizetype i = 0; i < outcomes.size(); ++i) {
        const RedisDecision &d = outcomes.at(i).decision;
        QVERIFY(d.ok);
        QCOMPARE(d.rejected, -1);
        QCOMPARE(d.results.at(0).admitted, i < 3);   // reported as over its limit from the 4th on
        QCOMPARE(d.results.at(1).remaining, 99 - i);
    }
}

void tst_RedisRateLimitStore::groupsOfOneCallSeeTheGroupsBeforeThem()
{
    // One call: a group of three on a wide and a narrow level, two requests on the wide level
    // alone (formatted per request), the first group's checks again, then the wide level until
    // it refuses. Every request sees the ones before it, across groups.
    const QList<RateLimitCheck> both{check("k:g-wide", 5), check("k:g-narrow", 2)};
    const QList<RateLimitCheck> wide{check("k:g-wide", 5)};
    const qint64 callsBefore = m_redis.calls("evalsha");
    std::vector<RedisCommandParts> parts{RedisRateLimitStore::prepare(both)};
    QList<Outcome> outcomes(8);
    int done = 0;
    const auto submit = [&](int i, const QList<RateLimitCheck> &checks, const RedisCommandParts *prepared) {
        QVERIFY(m_store->acquire(0, &m_worker, checks, [&, i](const RedisDecision &d) {
            outcomes[i].completed = true;
            outcomes[i].decision = d;
            ++done;
        }, prepared));
    };
    for (int i = 0; i < 3; ++i)
        submit(i, both, &parts[0]);
    submit(3, wide, nullptr);
    submit(4, wide, nullptr);
    submit(5, both, &parts[0]);
    submit(6, wide, nullptr);
    submit(7, wide, nullptr);
    waitUntil([&] { return done == 8; }, 30'000);
    QCOMPARE(m_redis.calls("evalsha") - callsBefore, 1);

    const int rejected[] = {-1, -1, 1, -1, -1, 1, -1, 0};
    const qint64 wideRemaining[] = {4, 3, 2, 2, 1, 0, 0, 0};   // 2: refused by its narrow level only
    for (int i = 0; i < 8; ++i) {
        const RedisDecision &d = outcomes.at(i).decision;
        QVERIFY2(d.ok, qPrintable(QString::number(i)));
        QCOMPARE(d.rejected, rejected[i]);
        if (d.results.at(0).admitted)
            QCOMPARE(d.results.at(0).remaining, wideRemaining[i]);
    }
    QVERIFY(!outcomes.at(7).decision.results.at(0).admitted);
    QVERIFY(outcomes.at(7).decision.results.at(0).retryAfterNs > 0);
    QCOMPARE(outcomes.at(2).decision.results.at(1).admitted, false);
    QCOMPARE(outcomes.at(1).decision.results.at(1).remaining, 0);
}

void tst_RedisRateLimitStore::aLostScriptCacheIsReloadedForTheWholeBatch()
{
    QCOMPARE(m_redis.cli({QStringLiteral("SCRIPT"), QStringLiteral("FLUSH")}).trimmed(), QByteArray("OK"));
    const qint64 evalBefore = m_redis.calls("eval");
    QList<QList<RateLimitCheck>> requests;
    for (int i = 0; i < 20; ++i)
        requests.append({check("k:flushed", 15)});
    const QList<Outcome> outcomes = acquireAll(requests);
    int admitted = 0;
    for (const Outcome &o : outcomes) {
        QVERIFY(o.completed && o.decision.ok);
        admitted += o.decision.rejected < 0 ? 1 : 0;
    }
    QCOMPARE(admitted, 15);
    QCOMPARE(m_redis.calls("eval") - evalBefore, 1);   // the batch, once, with the script's text
}

QTEST_GUILESS_MAIN(tst_RedisRateLimitStore)
#include "tst_redisratelimitstore.moc"
