// Rate limiting shared through a real redis-server (started here on a free loopback port): two
// gateways (in-process and gatehoused) admit exactly one limit between them; Redis killed: open
// mode keeps limiting with each gateway's own counters, closed mode answers 503; Redis back: the
// gateways reconnect by themselves; Redis frozen costs at most storeTimeout; Redis slow (each answer
// 300 ms late) under 40 concurrent requests still admits exactly the limit.
#include "testgateway.h"
#include "testredis.h"
#include "testupstream.h"

#include <QElapsedTimer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

#include <csignal>
#include <memory>
#include <vector>

using namespace Gatehouse;
using namespace Gatehouse::Test;

namespace {

QByteArray api(const QString &title, const QString &tier, const QString &upstream)
{
    return QStringLiteral("openapi: 3.0.3\ninfo:\n  title: %1\n  version: '1.0'\nx-gatehouse-basePath: /%2\n"
                          "x-gatehouse-throttling-tier: %3\nservers:\n  - url: %4\npaths:\n  /x:\n    get:\n"
                          "      responses:\n        '200':\n          description: ok\n")
        .arg(title, title.toLower(), tier, upstream)
        .toUtf8();
}

// A TCP relay in front of Redis that hands each answer to the gateway `delayMs` late, in order:
// a slow store, as opposed to a stopped one.
class SlowRelay : public QObject
{
public:
    SlowRelay(quint16 target, int delayMs) : m_target(target), m_delayMs(delayMs)
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *client = m_server.nextPendingConnection())
                relay(client);
        });
    }
    bool start() { return m_server.listen(QHostAddress::LocalHost, 0); }
    QByteArray url() const { return "redis://127.0.0.1:" + QByteArray::number(m_server.serverPort()); }

private:
    void relay(QTcpSocket *client)
    {
        client->setParent(this);
        auto *redis = new QTcpSocket(client);
        QObject::connect(client, &QTcpSocket::readyRead, redis, [client, redis] { redis->write(client->readAll()); });
        // Precise timers of one interval fire in the order they were started: the answers stay in order.
        QObject::connect(redis, &QTcpSocket::readyRead, client, [this, client, redis] {
            QTimer::singleShot(m_delayMs, Qt::PreciseTimer, client, [client, bytes = redis->readAll()] { client->write(bytes); });
        });
        QObject::connect(client, &QTcpSocket::disconnected, client, &QObject::deleteLater);
        QObject::connect(redis, &QTcpSocket::disconnected, client, &QTcpSocket::disconnectFromHost);
        redis->connectToHost(QHostAddress::LocalHost, m_target);   // writes before it connects are buffered
    }

    QTcpServer m_server;
    quint16 m_target;
    int m_delayMs;
};

} // namespace

class tst_RateLimitRedis : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();

    void twoGatewaysShareOneLimit();
    void redisDownOpenModeKeepsLimitingLocally();
    void redisDownClosedModeAnswers503();
    void redisBackTheGatewaysReconnect();
    void aHangingRedisCostsAtMostTheStoreTimeout();
    void aSlowRedisStillAdmitsExactlyTheLimitUnderLoad();

private:
    QByteArray settings(const QByteArray &failureMode) const;
    int admitted(GatewayMode mode, QByteArrayView target, int n);

    TestUpstream m_upstream;
    TestProject m_project;
    GatewayPair m_gateways;
    TestRedis m_redis;
};

QByteArray tst_RateLimitRedis::settings(const QByteArray &failureMode) const
{
    // A generous storeTimeout: a round trip slowed by a loaded machine must not fall back to
    // local counters, which would blur the shared count.
    return settingsYaml("throttling:\n"
                        "  store: " + m_redis.url() + "\n"
                        "  storeTimeout: 2s\n"
                        "  onStoreFailure: " + failureMode + "\n"
                        "  tiers:\n"
                        "    Twenty: {count: 20, unit: hour}\n"
                        "    Five: {count: 5, unit: hour}\n"
                        "    Many: {count: 1000, unit: hour}\n");
}

int tst_RateLimitRedis::admitted(GatewayMode mode, QByteArrayView target, int n)
{
    int ok = 0;
    for (int i = 0; i < n; ++i)
        ok += httpRequest(m_gateways.get(mode).httpPort(), "GET", target).status == 200 ? 1 : 0;
    return ok;
}

void tst_RateLimitRedis::initTestCase()
{
    if (!TestRedis::isInstalled())
        QSKIP("redis-server is not installed (/usr/bin/redis-server)");
    QVERIFY(m_project.isValid());
    QVERIFY(m_upstream.start());
    QVERIFY(m_redis.start());
    QVERIFY(m_project.write(QStringLiteral("gatehouse.yaml"), settings("open")));
    QVERIFY(m_project.write(QStringLiteral("apis/shared.yaml"), api(QStringLiteral("Shared"), QStringLiteral("Twenty"), m_upstream.url())));
    QVERIFY(m_project.write(QStringLiteral("apis/fallback.yaml"), api(QStringLiteral("Fallback"), QStringLiteral("Five"), m_upstream.url())));
    QVERIFY(m_project.write(QStringLiteral("apis/steady.yaml"), api(QStringLiteral("Steady"), QStringLiteral("Many"), m_upstream.url())));
    QString error;
    QVERIFY2(m_gateways.start(m_project.path(), &error), qPrintable(error));
}

void tst_RateLimitRedis::cleanupTestCase()
{
    m_gateways.stop();
    m_redis.stop();
    m_upstream.stop();
}

void tst_RateLimitRedis::twoGatewaysShareOneLimit()
{
    int total = 0;
    for (int i = 0; i < 15; ++i) {
        total += admitted(GatewayMode::InProcess, "/shared/x", 1);
        total += admitted(GatewayMode::Daemon, "/shared/x", 1);
    }
    QCOMPARE(total, 20);
    // The counter is Redis's, under a key naming the API and the tier.
    const QByteArray keys = m_redis.cli({QStringLiteral("--scan"), QStringLiteral("--pattern"), QStringLiteral("gatehouse:rl:*")});
    QVERIFY2(keys.contains("gatehouse:rl:api:Shared/1.0|Twenty:20/3600s+0"), keys.constData());
}

void tst_RateLimitRedis::redisDownOpenModeKeepsLimitingLocally()
{
    m_redis.stop();
    // Each gateway falls back to its own counters: the tier holds per gateway now.
    QCOMPARE(admitted(GatewayMode::InProcess, "/fallback/x", 8), 5);
    QCOMPARE(admitted(GatewayMode::Daemon, "/fallback/x", 8), 5);
}

void tst_RateLimitRedis::redisDownClosedModeAnswers503()
{
    QVERIFY(m_project.write(QStringLiteral("gatehouse.yaml"), settings("closed")));
    for (GatewayMode mode : {GatewayMode::InProcess, GatewayMode::Daemon}) {
        const HttpResponse reload = m_gateways.get(mode).reload();
        QVERIFY2(reload.status == 200, reload.body.constData());
        const HttpResponse r = httpRequest(m_gateways.get(mode).httpPort(), "GET", "/steady/x");
        QCOMPARE(r.status, 503);
        QCOMPARE(r.json().value(QStringLiteral("code")).toString(), QStringLiteral("900809"));
    }
}

void tst_RateLimitRedis::redisBackTheGatewaysReconnect()
{
    QElapsedTimer sinceRedisIsBack;
    sinceRedisIsBack.start();
    QVERIFY(m_redis.start());
    // Closed mode: a 200 means Redis decided. Reconnection backs off at most 500 ms; the bound
    // here is only a hang guard.
    for (GatewayMode mode : {GatewayMode::InProcess, GatewayMode::Daemon}) {
        const bool recovered = waitUntil([&] {
            // Every worker of the gateway must be back: several requests spread over them.
            int ok = 0;
            for (int i = 0; i < 4; ++i)
                ok += httpRequest(m_gateways.get(mode).httpPort(), "GET", "/steady/x").status == 200 ? 1 : 0;
            return ok == 4;
        }, 30'000);
        QVERIFY2(recovered, qPrintable(m_gateways.get(mode).name()));
        qInfo("%s serves from Redis again %lld ms after it came back", qPrintable(m_gateways.get(mode).name()),
              sinceRedisIsBack.elapsed());
    }
}

void tst_RateLimitRedis::aHangingRedisCostsAtMostTheStoreTimeout()
{
    // Stopped, not killed: connections stay open and requests get no answer at all.
    QVERIFY(m_redis.isRunning());
    ::kill(pid_t(m_redis.processId()), SIGSTOP);
    QElapsedTimer t;
    t.start();
    const HttpResponse r = httpRequest(m_gateways.get(GatewayMode::InProcess).httpPort(), "GET", "/steady/x");
    const qint64 waited = t.elapsed();
    ::kill(pid_t(m_redis.processId()), SIGCONT);
    QCOMPARE(r.status, 503);   // closed mode: the round trip timed out (storeTimeout 2 s)
    QCOMPARE(r.json().value(QStringLiteral("code")).toString(), QStringLiteral("900809"));
    qInfo("answered after %lld ms with Redis frozen (storeTimeout 2000 ms)", waited);
    QVERIFY2(waited >= 1900, "the answer must come from the timeout, not from a known-down store");
    QVERIFY(waitUntil([&] {
        return httpRequest(m_gateways.get(GatewayMode::InProcess).httpPort(), "GET", "/steady/x").status == 200;
    }, 30'000));
}

void tst_RateLimitRedis::aSlowRedisStillAdmitsExactlyTheLimitUnderLoad()
{
    // A gatehoused of its own (2 workers) whose store is Redis behind a relay that delays every
    // answer by 300 ms, well within storeTimeout (2 s): 40 requests at once on a tier of 10 get
    // exactly 10 admissions and 30 refusals, whichever worker and connection they took.
    QVERIFY(m_redis.isRunning());
    SlowRelay relay(m_redis.port(), 300);
    QVERIFY(relay.start());
    TestProject project;
    QVERIFY(project.write(QStringLiteral("gatehouse.yaml"),
                          settingsYaml("throttling:\n"
                                       "  store: " + relay.url() + "\n"
                                       "  storeTimeout: 2s\n"
                                       "  onStoreFailure: closed\n"
                                       "  tiers:\n"
                                       "    Ten: {count: 10, unit: hour}\n")));
    QVERIFY(project.write(QStringLiteral("apis/slow.yaml"), api(QStringLiteral("Slow"), QStringLiteral("Ten"), m_upstream.url())));
    GatewayUnderTest gateway(GatewayMode::Daemon);
    QVERIFY2(gateway.start(project.path(), 2), qPrintable(gateway.errorString()));

    constexpr int kRequests = 40;
    std::vector<std::unique_ptr<HttpConnection>> connections;
    for (int i = 0; i < kRequests; ++i) {
        connections.push_back(std::make_unique<HttpConnection>());
        QVERIFY(connections.back()->connectTo(gateway.httpPort()));
    }
    QElapsedTimer t;
    t.start();
    for (auto &c : connections)
        c->write(requestBytes("GET", "/slow/x"));
    QMap<int, int> statuses;
    for (auto &c : connections)
        ++statuses[c->readResponse("GET", 20'000).status];
    const qint64 elapsed = t.elapsed();
    qInfo("40 requests answered in %lld ms with each Redis answer 300 ms late", elapsed);
    QVERIFY2(elapsed >= 300, "the store's answers did not pass through the slow relay");
    QVERIFY2(statuses.value(200) == 10 && statuses.value(429) == 30,
             qPrintable(QStringLiteral("200: %1, 429: %2, 503: %3, other: %4")
                            .arg(statuses.value(200)).arg(statuses.value(429)).arg(statuses.value(503))
                            .arg(kRequests - statuses.value(200) - statuses.value(429) - statuses.value(503))));
    QCOMPARE(gateway.stop(), 0);
}

QTEST_GUILESS_MAIN(tst_RateLimitRedis)
#include "tst_ratelimitredis.moc"
