// The Redis rate-limit store against a real redis-server: the requests of one event-loop turn
// share one script call and are decided in order, exactly, all-or-nothing per request, also
// after the server lost its script cache.
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

} // namespace

class tst_RedisRateLimitStore : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();

    void requestsOfOneTurnShareOneScriptCallAndAreDecidedInOrder();
    void aRefusedRequestConsumesNothingEvenInsideABatch();
    void nonEnforcedLevelsCountButNeverRefuse();
    void aLostScriptCacheIsReloadedForTheWholeBatch();

private:
    struct Outcome
    {
        bool completed = false;
        RedisDecision decision;
    };
    // Submits every request in this turn, then runs the loop until all are decided.
    QList<Outcome> acquireAll(const QList<QList<RateLimitCheck>> &requests);

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

QList<tst_RedisRateLimitStore::Outcome> tst_RedisRateLimitStore::acquireAll(const QList<QList<RateLimitCheck>> &requests)
{
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
        });
        insideSubmit = false;
        if (!sent)
            ++done;   // known down: decided by the caller
    }
    waitUntil([&] { return done == requests.size(); }, 30'000);
    return outcomes;
}

void tst_RedisRateLimitStore::requestsOfOneTurnShareOneScriptCallAndAreDecidedInOrder()
{
    const qint64 callsBefore = m_redis.calls("evalsha");
    QList<QList<RateLimitCheck>> requests;
    for (int i = 0; i < 300; ++i)
        requests.append({check("k:one", 100)});
    const QList<Outcome> outcomes = acquireAll(requests);

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
    // Each request counts on a wide level and a narrow one; once the narrow one refuses, the
    // wide one must not be charged for it, by the same call or a later one.
    QList<QList<RateLimitCheck>> requests;
    for (int i = 0; i < 6; ++i)
        requests.append({check("k:wide", 10), check("k:narrow", 2)});
    QList<Outcome> outcomes = acquireAll(requests);
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
    QList<QList<RateLimitCheck>> requests;
    for (int i = 0; i < 5; ++i)
        requests.append({check("k:counted", 3, false), check("k:plenty", 100)});
    const QList<Outcome> outcomes = acquireAll(requests);
    for (qsizetype i = 0; i < outcomes.size(); ++i) {
        const RedisDecision &d = outcomes.at(i).decision;
        QVERIFY(d.ok);
        QCOMPARE(d.rejected, -1);
        QCOMPARE(d.results.at(0).admitted, i < 3);   // reported as over its limit from the 4th on
        QCOMPARE(d.results.at(1).remaining, 99 - i);
    }
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
