// Rate limiting through the in-process gateway on 4 workers with local counters: exact admission
// under concurrency, API and resource tiers both enforced, the 429 answer and the RateLimit
// headers, unauthenticated callers per client address, counters kept across a reload, and the
// subscription and application tiers named by claims of tokens minted by python3-jwt.
#include "testgateway.h"
#include "testupstream.h"

#include <QTcpSocket>
#include <QTest>

using namespace Gatehouse;
using namespace Gatehouse::Test;

namespace {

// An OpenAPI document whose API and operations name throttling tiers. `operations`: path → tier
// (empty = none).
QByteArray tieredApi(const QString &title, const QString &apiTier, const QList<QPair<QString, QString>> &operations,
                     const QString &upstream)
{
    QString y = QStringLiteral("openapi: 3.0.3\ninfo:\n  title: %1\n  version: '1.0'\n"
                               "x-gatehouse-basePath: /%2\n").arg(title, title.toLower());
    if (!apiTier.isEmpty())
        y += QStringLiteral("x-gatehouse-throttling-tier: %1\n").arg(apiTier);
    y += QStringLiteral("servers:\n  - url: %1\npaths:\n").arg(upstream);
    for (const auto &[path, tier] : operations) {
        y += QStringLiteral("  %1:\n    get:\n").arg(path);
        if (!tier.isEmpty())
            y += QStringLiteral("      x-gatehouse-throttling-tier: %1\n").arg(tier);
        y += QStringLiteral("      responses:\n        '200':\n          description: ok\n");
    }
    return y.toUtf8();
}

// Sends `count` requests on as many connections at once, then reads every answer.
QList<int> concurrentStatuses(quint16 port, QByteArrayView target, int count)
{
    std::vector<std::unique_ptr<HttpConnection>> connections;
    for (int i = 0; i < count; ++i) {
        connections.push_back(std::make_unique<HttpConnection>());
        if (!connections.back()->connectTo(port))
            return {};
    }
    for (auto &c : connections)
        c->write(requestBytes("GET", target, {}, {}, true));
    QList<int> statuses;
    for (auto &c : connections)
        statuses.append(c->readResponse("GET", 30'000).status);
    return statuses;
}

// A request from another loopback source address (all of 127/8 is ours on Linux).
int statusFrom(const QString &source, quint16 port, QByteArrayView target, QByteArray *body = nullptr)
{
    QTcpSocket s;
    if (!s.bind(QHostAddress(source)))
        return -1;
    s.connectToHost(QHostAddress::LocalHost, port);
    if (!s.waitForConnected(10'000))
        return -2;
    s.write(requestBytes("GET", target, {}, {}, true));
    QByteArray all;
    waitUntil([&] {
        all += s.readAll();
        return s.state() == QAbstractSocket::UnconnectedState;
    }, 15'000);
    all += s.readAll();
    if (body)
        *body = all.mid(all.indexOf("\r\n\r\n") + 4);
    return all.startsWith("HTTP/1.1 ") ? all.mid(9, 3).toInt() : -3;
}

// An HS256 token minted by python3-jwt (an implementation we did not write).
QByteArray mintHs256(const QString &claimsPython, const QByteArray &secret)
{
    const ProcessResult r = runProcess(
        QStringLiteral("/usr/bin/python3"),
        {QStringLiteral("-c"), QStringLiteral("import sys, time, jwt\nnow = int(time.time())\n"
                                              "print(jwt.encode(%1, sys.stdin.read(), algorithm='HS256'))\n")
                                   .arg(claimsPython)},
        30'000, secret);
    if (r.exitCode != 0)
        qWarning("python3: %s", r.err.constData());
    return r.out.trimmed();
}

// A JWT-secured API without tiers of its own: only the token's claims name tiers.
QByteArray securedApi(const QString &title, const QString &upstream)
{
    return QStringLiteral("openapi: 3.0.3\ninfo: {title: %1, version: '1.0'}\nx-gatehouse-basePath: /%2\n"
                          "servers: [{url: '%3'}]\n"
                          "components: {securitySchemes: {bearer: {type: http, scheme: bearer, bearerFormat: JWT}}}\n"
                          "paths:\n  /x:\n    get: {security: [{bearer: []}], responses: {'200': {description: ok}}}\n")
        .arg(title, title.toLower(), upstream)
        .toUtf8();
}

} // namespace

class tst_RateLimit : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();

    void concurrentRequestsAreAdmittedExactly();
    void apiAndResourceTiersAreBothEnforced();
    void throttledAnswerNamesTierAndLevel();
    void admittedAnswersCarryRateLimitHeaders();
    void countersSurviveAReload();
    void unauthenticatedCallersAreLimitedPerAddress();
    void tokensNameSubscriptionAndApplicationTiers();

private:
    TestUpstream m_upstream;
    TestProject m_project;
    std::unique_ptr<GatewayUnderTest> m_gateway;
};

void tst_RateLimit::initTestCase()
{
    QVERIFY(m_project.isValid());
    QVERIFY(m_upstream.start());
    // Hour-long periods: GCRA refills one request every period / count, and nothing of a test
    // may depend on how fast a loaded machine runs it.
    QVERIFY(m_project.write(QStringLiteral("gatehouse.yaml"),
                            settingsYaml("throttling:\n"
                                         "  tiers:\n"
                                         "    Hundred: {count: 100, unit: hour}\n"
                                         "    Api10: {count: 10, unit: hour}\n"
                                         "    Res3: {count: 3, unit: hour}\n"
                                         "    Four: {count: 4, unit: hour}\n"
                                         "    Two: {count: 2, unit: hour}\n")));
    const QString upstream = m_upstream.url(QStringLiteral("/api"));
    QVERIFY(m_project.write(QStringLiteral("apis/bulk.yaml"),
                            tieredApi(QStringLiteral("Bulk"), QStringLiteral("Hundred"), {{QStringLiteral("/items"), {}}}, upstream)));
    QVERIFY(m_project.write(QStringLiteral("apis/shop.yaml"),
                            tieredApi(QStringLiteral("Shop"), QStringLiteral("Api10"),
                                      {{QStringLiteral("/limited"), QStringLiteral("Res3")}, {QStringLiteral("/open"), {}}},
                                      upstream)));
    QVERIFY(m_project.write(QStringLiteral("apis/answers.yaml"),
                            tieredApi(QStringLiteral("Answers"), {}, {{QStringLiteral("/two"), QStringLiteral("Two")}}, upstream)));
    QVERIFY(m_project.write(QStringLiteral("apis/kept.yaml"),
                            tieredApi(QStringLiteral("Kept"), QStringLiteral("Four"), {{QStringLiteral("/x"), {}}}, upstream)));
    m_gateway = std::make_unique<GatewayUnderTest>(GatewayMode::InProcess);
    QVERIFY2(m_gateway->start(m_project.path(), 4), qPrintable(m_gateway->errorString()));
}

void tst_RateLimit::cleanupTestCase()
{
    if (m_gateway)
        m_gateway->stop();
    m_upstream.stop();
}

void tst_RateLimit::concurrentRequestsAreAdmittedExactly()
{
    const QList<int> statuses = concurrentStatuses(m_gateway->httpPort(), "/bulk/items", 150);
    QCOMPARE(statuses.size(), 150);
    QCOMPARE(statuses.count(200), 100);
    QCOMPARE(statuses.count(429), 50);
    QCOMPARE(m_upstream.requests().size() >= 100, true);
}

void tst_RateLimit::apiAndResourceTiersAreBothEnforced()
{
    auto admitted = [this](QByteArrayView target, int n) {
        int ok = 0;
        for (int i = 0; i < n; ++i)
            ok += httpRequest(m_gateway->httpPort(), "GET", target).status == 200 ? 1 : 0;
        return ok;
    };
    QCOMPARE(admitted("/shop/limited", 5), 3);    // the resource tier Res3
    QCOMPARE(admitted("/shop/open", 10), 7);      // the API tier Api10 holds what is left
    QCOMPARE(admitted("/shop/limited", 2), 0);
}

void tst_RateLimit::throttledAnswerNamesTierAndLevel()
{
    for (int i = 0; i < 2; ++i)
        QCOMPARE(httpRequest(m_gateway->httpPort(), "GET", "/answers/two").status, 200);
    const HttpResponse r = httpRequest(m_gateway->httpPort(), "GET", "/answers/two");
    QCOMPARE(r.status, 429);
    QCOMPARE(r.json().value(QStringLiteral("code")).toString(), QStringLiteral("900802"));
    QCOMPARE(r.json().value(QStringLiteral("message")).toString(), QStringLiteral("Message throttled out"));
    QCOMPARE(r.json().value(QStringLiteral("description")).toString(),
             QStringLiteral("tier Two (resource level): 2/h exceeded, retry in 1800 s"));
    // Retry-After rounds up; the refill is 30 min after the first request, a few ms ago.
    QVERIFY2(r.header("Retry-After").toInt() > 1790 && r.header("Retry-After").toInt() <= 1800, r.header("Retry-After"));
    QCOMPARE(r.header("RateLimit-Policy"), QByteArray("\"Two\";q=2;w=3600"));
    QVERIFY2(r.header("RateLimit").startsWith("\"Two\";r=0;t="), r.header("RateLimit"));
    QCOMPARE(r.header("Content-Type"), QByteArray("application/json"));
}

void tst_RateLimit::admittedAnswersCarryRateLimitHeaders()
{
    // Kept's tier is used here once and in the reload test: that test accounts for this request.
    const HttpResponse r = httpRequest(m_gateway->httpPort(), "GET", "/kept/x");
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("RateLimit-Policy"), QByteArray("\"Four\";q=4;w=3600"));
    QCOMPARE(r.header("RateLimit"), QByteArray("\"Four\";r=3;t=900"));
    // The upstream's own answer is passed on: the headers come in addition.
    QVERIFY(r.json().contains(QStringLiteral("method")));
}

void tst_RateLimit::countersSurviveAReload()
{
    QCOMPARE(httpRequest(m_gateway->httpPort(), "GET", "/kept/x").status, 200);   // 2 of 4 used
    QCOMPARE(m_gateway->reload().status, 200);
    int admitted = 0;
    for (int i = 0; i < 5; ++i)
        admitted += httpRequest(m_gateway->httpPort(), "GET", "/kept/x").status == 200 ? 1 : 0;
    QCOMPARE(admitted, 2);
}

void tst_RateLimit::unauthenticatedCallersAreLimitedPerAddress()
{
    TestProject project;
    QVERIFY(project.write(QStringLiteral("gatehouse.yaml"),
                          settingsYaml("throttling:\n"
                                       "  tiers:\n"
                                       "    Two: {count: 2, unit: hour}\n"
                                       "  unauthenticatedTier: Two\n")));
    QVERIFY(project.write(QStringLiteral("apis/anon.yaml"),
                          tieredApi(QStringLiteral("Anon"), {}, {{QStringLiteral("/x"), {}}}, m_upstream.url())));
    GatewayUnderTest gateway(GatewayMode::InProcess);
    QVERIFY2(gateway.start(project.path(), 4), qPrintable(gateway.errorString()));
    const quint16 port = gateway.httpPort();
    QCOMPARE(statusFrom(QStringLiteral("127.0.0.1"), port, "/anon/x"), 200);
    QCOMPARE(statusFrom(QStringLiteral("127.0.0.1"), port, "/anon/x"), 200);
    QByteArray body;
    QCOMPARE(statusFrom(QStringLiteral("127.0.0.1"), port, "/anon/x", &body), 429);
    QVERIFY2(body.contains("\"code\":\"900806\""), body.constData());
    QVERIFY2(body.contains("unauthenticated client level"), body.constData());
    // Another address has its own counter.
    QCOMPARE(statusFrom(QStringLiteral("127.0.0.2"), port, "/anon/x"), 200);
    QCOMPARE(statusFrom(QStringLiteral("127.0.0.2"), port, "/anon/x"), 200);
    QCOMPARE(statusFrom(QStringLiteral("127.0.0.2"), port, "/anon/x"), 429);
    gateway.stop();
}

void tst_RateLimit::tokensNameSubscriptionAndApplicationTiers()
{
    const QByteArray secret = "a-test-secret-of-32-bytes-or-more!!";
    TestProject project;
    QVERIFY(project.write(QStringLiteral("gatehouse.yaml"),
                          settingsYaml("security:\n"
                                       "  issuers:\n"
                                       "    - name: partners\n"
                                       "      issuer: partners\n"
                                       "      secret: '" + secret + "'\n"
                                       "      claims: {subscriptionTier: sub_tier, applicationTier: app_tier}\n"
                                       "throttling:\n"
                                       "  tiers:\n"
                                       "    Two: {count: 2, unit: hour}\n"
                                       "    Three: {count: 3, unit: hour}\n")));
    QVERIFY(project.write(QStringLiteral("apis/maps.yaml"), securedApi(QStringLiteral("Maps"), m_upstream.url())));
    QVERIFY(project.write(QStringLiteral("apis/tiles.yaml"), securedApi(QStringLiteral("Tiles"), m_upstream.url())));
    GatewayUnderTest gateway(GatewayMode::InProcess);
    QVERIFY2(gateway.start(project.path(), 4), qPrintable(gateway.errorString()));
    const quint16 port = gateway.httpPort();
    auto token = [&](const char *application, const char *claims) {
        return mintHs256(QStringLiteral("{'iss': 'partners', 'sub': 'dev', 'azp': '%1', 'exp': now + 600%2}")
                             .arg(QLatin1StringView(application), QLatin1StringView(claims)),
                         secret);
    };
    auto call = [&](QByteArrayView target, const QByteArray &bearer) {
        return httpRequest(port, "GET", target, {{"Authorization", "Bearer " + bearer}});
    };

    // Subscription level: the caller's use of one API. 2 on Maps, then 429 with its own code;
    // the same application's subscription to Tiles counts apart.
    const QByteArray subscriber = token("shop", ", 'sub_tier': 'Two'");
    QVERIFY(!subscriber.isEmpty());
    QCOMPARE(call("/maps/x", subscriber).status, 200);
    QCOMPARE(call("/maps/x", subscriber).status, 200);
    HttpResponse r = call("/maps/x", subscriber);
    QCOMPARE(r.status, 429);
    QCOMPARE(r.json().value(QStringLiteral("code")).toString(), QStringLiteral("900804"));
    QVERIFY2(r.json().value(QStringLiteral("description")).toString().contains(QStringLiteral("subscription level")),
             r.body.constData());
    QCOMPARE(call("/tiles/x", subscriber).status, 200);
    // Another application has its own subscription.
    QCOMPARE(call("/maps/x", token("kiosk", ", 'sub_tier': 'Two'")).status, 200);

    // Application level: one quota across every API.
    const QByteArray application = token("batch", ", 'app_tier': 'Three'");
    QCOMPARE(call("/maps/x", application).status, 200);
    QCOMPARE(call("/tiles/x", application).status, 200);
    QCOMPARE(call("/maps/x", application).status, 200);
    r = call("/tiles/x", application);
    QCOMPARE(r.status, 429);
    QCOMPARE(r.json().value(QStringLiteral("code")).toString(), QStringLiteral("900803"));
    QCOMPARE(r.header("RateLimit-Policy"), QByteArray("\"Three\";q=3;w=3600"));

    // A tier the project does not define limits nothing at that level.
    const QByteArray unknown = token("misc", ", 'app_tier': 'Platinum'");
    for (int i = 0; i < 4; ++i)
        QCOMPARE(call("/maps/x", unknown).status, 200);
    gateway.stop();
}

QTEST_GUILESS_MAIN(tst_RateLimit)
#include "tst_ratelimit.moc"
