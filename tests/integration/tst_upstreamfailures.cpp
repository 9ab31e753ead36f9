// Upstream failures: refused, unresolvable, connect and response timeouts, resets, garbage, and
// what the gateway does about them: 502/503/504, failover, round robin, retries, circuit breaker.
#include "testgateway.h"
#include "testupstream.h"

#include <QElapsedTimer>
#include <QHostInfo>
#include <QStandardPaths>
#include <QTemporaryFile>
#include <QTest>

using namespace Gatehouse;
using namespace Gatehouse::Test;

class tst_UpstreamFailures : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase_data() { addGatewayModeRows(); }
    void initTestCase();
    void cleanupTestCase();

    void failuresBecomeJsonErrors_data();
    void failuresBecomeJsonErrors();
    void unresolvableHostIs502();
    void brokenResponseBodyClosesTheClient_data();
    void brokenResponseBodyClosesTheClient();
    void onlyIdempotentRequestsAreRetried_data();
    void onlyIdempotentRequestsAreRetried();
    void pooledConnectionClosedByTheUpstreamIsNotReused();
    void uploadLongerThanRequestTimeoutCompletes();
    void failoverSkipsADeadEndpoint();
    void pipelinedRequestsSurviveAFailover();
    void pipelinedRequestWaitsForTheRetriedOne();
    void roundRobinAlternatesEndpoints();
    void circuitBreakerOpensAndCloses();

private:
    GatewayUnderTest &gateway() { return m_gateways.current(); }
    // One more request to /flaky that succeeds: resets its consecutive-failure count.
    void expectFlakyRecovers();

    TestUpstream m_live;
    TestUpstream m_second;
    TestUpstream m_flaky;
    TestUpstream m_breaker;
    BlackholeListener m_blackhole;
    TestProject m_project;
    GatewayPair m_gateways;
};

void tst_UpstreamFailures::initTestCase()
{
    QVERIFY(m_project.isValid());
    for (TestUpstream *u : {&m_live, &m_second, &m_flaky, &m_breaker})
        QVERIFY(u->start());
    QVERIFY(m_blackhole.start());
    const quint16 dead = unusedPort();
    QVERIFY(m_project.write(QStringLiteral("gatehouse.yaml"),
                            settingsYaml("upstream:\n"
                                         "  connectTimeout: 500ms\n"
                                         "  requestTimeout: 1s\n"
                                         "  maxRetries: 1\n"
                                         "  circuitBreaker:\n"
                                         "    failureThreshold: 3\n"
                                         "    openDuration: 1s\n")));
    const QStringList ops = {QStringLiteral("/x GET POST PUT DELETE PATCH")};
    auto api = [&](const QString &name, const QString &url, const QByteArray &extra = {}) {
        return m_project.write(QStringLiteral("apis/%1.yaml").arg(name),
                               apiYaml(name, u'/' + name, url, ops, extra));
    };
    QVERIFY(api(QStringLiteral("refused"), QStringLiteral("http://127.0.0.1:%1/api").arg(dead)));
    QVERIFY(api(QStringLiteral("unresolvable"), QStringLiteral("http://gatehouse-test.invalid:8080/api")));
    QVERIFY(api(QStringLiteral("blackhole"), QStringLiteral("http://127.0.0.1:%1/api").arg(m_blackhole.port())));
    QVERIFY(api(QStringLiteral("flaky"), m_flaky.url(QStringLiteral("/api"))));
    QVERIFY(api(QStringLiteral("breaker"), m_breaker.url(QStringLiteral("/api"))));
    QVERIFY(api(QStringLiteral("failover"), {},
                QStringLiteral("x-gatehouse-production-endpoints:\n  type: failover\n  urls:\n"
                               "    - http://127.0.0.1:%1/api\n    - %2\n")
                    .arg(dead)
                    .arg(m_live.url(QStringLiteral("/api")))
                    .toUtf8()));
    QVERIFY(api(QStringLiteral("balanced"), {},
                QStringLiteral("x-gatehouse-production-endpoints:\n  type: load_balance\n  urls:\n"
                               "    - %1\n    - %2\n")
                    .arg(m_live.url(QStringLiteral("/one")), m_second.url(QStringLiteral("/two")))
                    .toUtf8()));
    QString error;
    // One worker: circuit-breaker counts and the round-robin position are per worker.
    QVERIFY2(m_gateways.start(m_project.path(), &error, 1), qPrintable(error));
}

void tst_UpstreamFailures::cleanupTestCase()
{
    m_gateways.stop();
    for (TestUpstream *u : {&m_live, &m_second, &m_flaky, &m_breaker})
        u->stop();
}

void tst_UpstreamFailures::expectFlakyRecovers()
{
    const HttpResponse r = httpRequest(gateway().httpPort(), "GET", "/flaky/x");
    QVERIFY2(r.complete && r.status == 200, qPrintable(r.describe()));
}

void tst_UpstreamFailures::failuresBecomeJsonErrors_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QByteArray>("behaviour");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");

    QTest::newRow("a refused connection is 502") << QByteArray("/refused/x") << QByteArray() << 502 << QStringLiteral("101500");
    QTest::newRow("an upstream that never accepts is 504 after connectTimeout")
        << QByteArray("/blackhole/x") << QByteArray() << 504 << QStringLiteral("101504");
    QTest::newRow("a response head later than requestTimeout is 504")
        << QByteArray("/flaky/x") << QByteArray("delay=4000") << 504 << QStringLiteral("101504");
    QTest::newRow("a reset before the response is 502")
        << QByteArray("/flaky/x") << QByteArray("reset=before") << 502 << QStringLiteral("101500");
    QTest::newRow("a close before the response is 502")
        << QByteArray("/flaky/x") << QByteArray("close=before") << 502 << QStringLiteral("101500");
    QTest::newRow("a response that is not HTTP is 502")
        << QByteArray("/flaky/x") << QByteArray("garbage") << 502 << QStringLiteral("101500");
    QTest::newRow("a response with both Content-Length and Transfer-Encoding is 502")
        << QByteArray("/flaky/x") << QByteArray("header=Transfer-Encoding:chunked") << 502 << QStringLiteral("101500");
    QTest::newRow("a response head beyond the header limit is 502")
        << QByteArray("/flaky/x") << QByteArray("hugeheader=100000") << 502 << QStringLiteral("101500");
}

void tst_UpstreamFailures::failuresBecomeJsonErrors()
{
    QFETCH(QByteArray, target);
    QFETCH(QByteArray, behaviour);
    QFETCH(int, status);
    QFETCH(QString, code);
    FieldPairs headers;
    if (!behaviour.isEmpty())
        headers.append({"X-Behave", behaviour});
    const HttpResponse r = httpRequest(gateway().httpPort(), "GET", target, headers);
    QVERIFY2(r.complete && r.status == status, qPrintable(r.describe()));
    QCOMPARE(r.header("Content-Type"), QByteArray("application/json"));
    QCOMPARE(r.json().value(QStringLiteral("code")).toString(), code);
    QVERIFY(!r.json().value(QStringLiteral("description")).toString().isEmpty());
    if (target.startsWith("/flaky"))
        expectFlakyRecovers();
}

void tst_UpstreamFailures::unresolvableHostIs502()
{
    QElapsedTimer t;
    t.start();
    const QHostInfo info = QHostInfo::fromName(QStringLiteral("gatehouse-test.invalid"));
    if (info.error() == QHostInfo::NoError)
        QSKIP("this machine's resolver answers for .invalid names");
    if (t.elapsed() > 400)
        QSKIP("name lookups fail slower than the 500 ms connect timeout here; 504 would be right");
    const HttpResponse r = httpRequest(gateway().httpPort(), "GET", "/unresolvable/x");
    QVERIFY2(r.complete && r.status == 502, qPrintable(r.describe()));
    QCOMPARE(r.json().value(QStringLiteral("code")).toString(), QStringLiteral("101500"));
}

void tst_UpstreamFailures::brokenResponseBodyClosesTheClient_data()
{
    QTest::addColumn<QByteArray>("behaviour");
    QTest::newRow("a reset halfway through the body cuts the client's connection")
        << QByteArray("reset=body;size=200000");
    QTest::newRow("a reset right after the head cuts the client's connection") << QByteArray("reset=head;size=200000");
    QTest::newRow("a body that stalls beyond requestTimeout cuts the client's connection")
        << QByteArray("stall=1000");
}

void tst_UpstreamFailures::brokenResponseBodyClosesTheClient()
{
    QFETCH(QByteArray, behaviour);
    HttpConnection c;
    QVERIFY(c.connectTo(gateway().httpPort()));
    c.write(requestBytes("GET", "/flaky/x", {{"X-Behave", behaviour}}));
    const HttpResponse r = c.readResponse("GET", 15'000);
    // The head went out already: the only honest signal left is closing before the body ends.
    QVERIFY2(!r.complete && r.closed && !r.timedOut, qPrintable(r.describe()));
    QCOMPARE(r.status, 200);
    QVERIFY(r.body.size() < r.header("Content-Length").toLongLong());
    expectFlakyRecovers();
}

void tst_UpstreamFailures::onlyIdempotentRequestsAreRetried_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("attempts");
    QTest::newRow("a GET is retried once") << QByteArray("GET") << QByteArray() << 2;
    QTest::newRow("a DELETE is retried once") << QByteArray("DELETE") << QByteArray() << 2;
    QTest::newRow("a PUT without a body is retried once") << QByteArray("PUT") << QByteArray() << 2;
    QTest::newRow("a PUT whose body was sent is not retried") << QByteArray("PUT") << QByteArray("{}") << 1;
    QTest::newRow("a POST is not retried") << QByteArray("POST") << QByteArray("order=1") << 1;
    QTest::newRow("a POST without a body is not retried either") << QByteArray("POST") << QByteArray() << 1;
    QTest::newRow("a PATCH is not retried") << QByteArray("PATCH") << QByteArray("{}") << 1;
}

void tst_UpstreamFailures::onlyIdempotentRequestsAreRetried()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, body);
    QFETCH(int, attempts);
    const int before = m_flaky.requestCount();
    const HttpResponse r = httpRequest(gateway().httpPort(), method, "/flaky/x", {{"X-Behave", "reset=before"}}, body);
    QVERIFY2(r.complete && r.status == 502, qPrintable(r.describe()));
    QCOMPARE(m_flaky.requestCount() - before, attempts);
    expectFlakyRecovers();
}

void tst_UpstreamFailures::pooledConnectionClosedByTheUpstreamIsNotReused()
{
    // The upstream's keep-alive timeout is shorter than the gateway's: a POST (never retried)
    // must not be sent on the connection the upstream has closed meanwhile.
    HttpConnection c;
    QVERIFY(c.connectTo(gateway().httpPort()));
    for (int i = 0; i < 3; ++i) {
        const int connections = m_flaky.connectionCount();
        c.write(requestBytes("POST", "/flaky/x", {{"X-Behave", "idleclose=100"}}, "order"));
        const HttpResponse r = c.readResponse();
        QVERIFY2(r.complete && r.status == 200, qPrintable(r.describe()));
        if (i > 0)
            QCOMPARE(m_flaky.connectionCount(), connections + 1);   // a fresh one each time
        const int open = m_flaky.openConnections();
        QVERIFY(waitUntil([&] { return m_flaky.openConnections() < open; }, 10'000));   // idle close
    }
}

void tst_UpstreamFailures::uploadLongerThanRequestTimeoutCompletes()
{
    // requestTimeout (1s here) runs from the request sent to the response head: a body that
    // keeps flowing for longer, paced by the client, is no upstream timeout.
    const QString curl = QStandardPaths::findExecutable(QStringLiteral("curl"));
    if (curl.isEmpty())
        QSKIP("curl is not installed");
    QTemporaryFile body;
    QVERIFY(body.open());
    QVERIFY(body.write(QByteArray(3 * 1024 * 1024, 'b')) == 3 * 1024 * 1024);
    body.close();
    const qint64 before = m_flaky.bodyBytesReceived();
    const ProcessResult p = runProcess(curl, {QStringLiteral("-s"), QStringLiteral("--max-time"), QStringLiteral("60"),
                                              QStringLiteral("--limit-rate"), QStringLiteral("1M"), QStringLiteral("-T"), body.fileName(),
                                              QStringLiteral("-o"), QStringLiteral("/dev/null"), QStringLiteral("-w"),
                                              QStringLiteral("%{http_code}"),
                                              QStringLiteral("http://127.0.0.1:%1/flaky/x").arg(gateway().httpPort())});
    QVERIFY2(p.finished && p.exitCode == 0, qPrintable(p.describe()));
    QCOMPARE(p.out, QByteArray("200"));
    QCOMPARE(m_flaky.bodyBytesReceived() - before, 3 * 1024 * 1024);
}

void tst_UpstreamFailures::failoverSkipsADeadEndpoint()
{
    for (const QByteArray method : {"GET", "POST", "GET"}) {
        const HttpResponse r = httpRequest(gateway().httpPort(), method, "/failover/x", {}, method == "POST" ? "b" : "");
        QVERIFY2(r.complete && r.status == 200, qPrintable(r.describe()));
        QCOMPARE(r.json().value(QStringLiteral("target")).toString(), QStringLiteral("/api/x"));
    }
}

void tst_UpstreamFailures::pipelinedRequestsSurviveAFailover()
{
    // The first endpoint refuses: each request is retried on the second while the next one is
    // already waiting in the connection's buffer.
    HttpConnection c;
    QVERIFY(c.connectTo(gateway().httpPort()));
    c.write(requestBytes("GET", "/failover/x?n=1") + requestBytes("GET", "/failover/x?n=2")
            + requestBytes("DELETE", "/failover/x?n=3"));
    for (const char *target : {"/api/x?n=1", "/api/x?n=2", "/api/x?n=3"}) {
        const HttpResponse r = c.readResponse();
        QVERIFY2(r.complete && r.status == 200, qPrintable(r.describe()));
        QCOMPARE(r.json().value(QStringLiteral("target")).toString(), QString::fromLatin1(target));
    }
    QVERIFY(c.isOpen());
}

void tst_UpstreamFailures::pipelinedRequestWaitsForTheRetriedOne()
{
    // The first GET reaches the upstream, which resets: it is retried (and fails again) while
    // the second request already waits in the connection's buffer.
    HttpConnection c;
    QVERIFY(c.connectTo(gateway().httpPort()));
    c.write(requestBytes("GET", "/flaky/x?n=1", {{"X-Behave", "reset=before"}}) + requestBytes("GET", "/flaky/x?n=2"));
    const HttpResponse first = c.readResponse();
    QVERIFY2(first.complete && first.status == 502, qPrintable(first.describe()));
    const HttpResponse second = c.readResponse();
    QVERIFY2(second.complete && second.status == 200, qPrintable(second.describe()));
    QCOMPARE(second.json().value(QStringLiteral("target")).toString(), QStringLiteral("/api/x?n=2"));
}

void tst_UpstreamFailures::roundRobinAlternatesEndpoints()
{
    const int first = m_live.requestCount(), second = m_second.requestCount();
    HttpConnection c;
    QVERIFY(c.connectTo(gateway().httpPort()));
    QStringList targets;
    for (int i = 0; i < 4; ++i) {
        c.write(requestBytes("GET", "/balanced/x"));
        const HttpResponse r = c.readResponse();
        QVERIFY2(r.complete && r.status == 200, qPrintable(r.describe()));
        targets << r.json().value(QStringLiteral("target")).toString();
    }
    QCOMPARE(m_live.requestCount() - first, 2);
    QCOMPARE(m_second.requestCount() - second, 2);
    QVERIFY2(targets.at(0) != targets.at(1) && targets.at(0) == targets.at(2) && targets.at(1) == targets.at(3),
             qPrintable(targets.join(u' ')));
}

void tst_UpstreamFailures::circuitBreakerOpensAndCloses()
{
    m_breaker.setDefaultBehaviour("reset=before");
    const int before = m_breaker.requestCount();
    // POSTs are not retried: one failure each. failureThreshold is 3.
    for (int i = 0; i < 3; ++i) {
        const HttpResponse r = httpRequest(gateway().httpPort(), "POST", "/breaker/x", {}, "b");
        QVERIFY2(r.complete && r.status == 502, qPrintable(r.describe()));
    }
    QCOMPARE(m_breaker.requestCount() - before, 3);
    const int connections = m_breaker.connectionCount();
    const HttpResponse open = httpRequest(gateway().httpPort(), "POST", "/breaker/x", {}, "b");
    QVERIFY2(open.complete && open.status == 503, qPrintable(open.describe()));
    QCOMPARE(open.json().value(QStringLiteral("code")).toString(), QStringLiteral("101503"));
    QCOMPARE(m_breaker.connectionCount(), connections);   // refused without touching the upstream

    // After openDuration (1s) a probe goes through; a success closes the circuit.
    m_breaker.setDefaultBehaviour({});
    HttpResponse probe;
    QVERIFY2(waitUntil([&] {
                 probe = httpRequest(gateway().httpPort(), "POST", "/breaker/x", {}, "b");
                 return probe.status != 503;
             }, 15'000),
             "the circuit never half-opened");
    QVERIFY2(probe.complete && probe.status == 200, qPrintable(probe.describe()));
    for (int i = 0; i < 3; ++i) {
        const HttpResponse r = httpRequest(gateway().httpPort(), "POST", "/breaker/x", {}, "b");
        QVERIFY2(r.complete && r.status == 200, qPrintable(r.describe()));
    }
}

QTEST_GUILESS_MAIN(tst_UpstreamFailures)
#include "tst_upstreamfailures.moc"
