// Proxying basics over raw sockets: paths, forwarding fields, hop-by-hop, keep-alive, pipelining,
// HEAD/204/304, chunked bodies and trailers, until-close bodies, HTTP/1.0, Expect, 404/405.
#include "testgateway.h"
#include "testupstream.h"

#include <QJsonArray>
#include <QTest>

using namespace Gatehouse;
using namespace Gatehouse::Test;

class tst_ProxyBasics : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase_data() { addGatewayModeRows(); }
    void initTestCase();
    void cleanupTestCase();

    void forwardsRequest_data();
    void forwardsRequest();
    void removesHopByHopResponseFields();
    void keepAliveReusesClientAndUpstreamConnections();
    void pipelinedRequestsAreAnsweredInOrder();
    void headAnswersWithoutBody();
    void bodilessStatuses_data();
    void bodilessStatuses();
    void chunkedRequestBodyKeepsTrailers();
    void chunkedResponseKeepsTrailers();
    void untilCloseBodyIsRechunkedForHttp11();
    void http10ClientGetsBodyThenClose();
    void http10ClientMayKeepAlive();
    void expectContinueIsAnsweredBeforeForwarding();
    void expectContinueForAnUnknownPathGetsTheErrorInstead();
    void interimResponsesOfTheUpstreamAreNotForwarded();
    void gatewayErrors_data();
    void gatewayErrors();

private:
    GatewayUnderTest &gateway() { return m_gateways.current(); }
    TestUpstream m_upstream;
    TestProject m_project;
    GatewayPair m_gateways;
};

namespace {

// "Name: value" lines of an echo (what the upstream saw).
FieldPairs echoedFields(const QJsonObject &echo, const QString &key = QStringLiteral("headers"))
{
    FieldPairs out;
    for (const QJsonValue &v : echo.value(key).toArray())
        out.append({v.toArray().at(0).toString().toLatin1(), v.toArray().at(1).toString().toLatin1()});
    return out;
}

QByteArray pattern(qint64 n)
{
    QByteArray out(n, Qt::Uninitialized);
    for (qint64 i = 0; i < n; ++i)
        out[i] = char('a' + i % 26);
    return out;
}

} // namespace

void tst_ProxyBasics::initTestCase()
{
    QVERIFY(m_project.isValid());
    QVERIFY(m_upstream.start());
    QVERIFY(m_project.write(QStringLiteral("gatehouse.yaml"), settingsYaml()));
    QVERIFY(m_project.write(QStringLiteral("apis/pets.yaml"),
                            apiYaml(QStringLiteral("Pets"), QStringLiteral("/petstore"), m_upstream.url(QStringLiteral("/api")),
                                    {QStringLiteral("/pets GET POST PUT DELETE PATCH OPTIONS"),
                                     QStringLiteral("/pets/{id} GET DELETE")})));
    QVERIFY(m_project.write(QStringLiteral("apis/items.yaml"),
                            apiYaml(QStringLiteral("Items"), {}, m_upstream.url(QStringLiteral("/v2/base")),
                                    {QStringLiteral("/items GET")})));
    QString error;
    QVERIFY2(m_gateways.start(m_project.path(), &error), qPrintable(error));
}

void tst_ProxyBasics::cleanupTestCase()
{
    m_gateways.stop();
    m_upstream.stop();
}

void tst_ProxyBasics::forwardsRequest_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<FieldPairs>("headers");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("upstreamTarget");
    QTest::addColumn<FieldPairs>("expected");   // fields the upstream must see, with these values
    QTest::addColumn<QList<QByteArray>>("absent");   // fields it must not see
    using L = QList<QByteArray>;
    const FieldPairs none;

    QTest::newRow("the base path is stripped and the server URL's path put in front")
        << QByteArray("GET") << QByteArray("/petstore/pets") << none << QByteArray()
        << QByteArray("/api/pets") << none << L{};
    QTest::newRow("the query string is passed on untouched")
        << QByteArray("GET") << QByteArray("/petstore/pets?limit=5&name=a%20b&flag") << none << QByteArray()
        << QByteArray("/api/pets?limit=5&name=a%20b&flag") << none << L{};
    QTest::newRow("a path parameter travels percent-encoded as sent")
        << QByteArray("GET") << QByteArray("/petstore/pets/a%2Fb") << none << QByteArray()
        << QByteArray("/api/pets/a%2Fb") << none << L{};
    QTest::newRow("dot segments are resolved before routing and forwarding")
        << QByteArray("GET") << QByteArray("/petstore/a/../pets") << none << QByteArray()
        << QByteArray("/api/pets") << none << L{};
    QTest::newRow("an absolute-form target goes upstream in origin form")
        << QByteArray("GET") << QByteArray("http://gateway.test/petstore/pets?x=1") << none << QByteArray()
        << QByteArray("/api/pets?x=1") << none << L{};
    QTest::newRow("an API based on its server URL's path keeps that path upstream")
        << QByteArray("GET") << QByteArray("/v2/base/items") << none << QByteArray()
        << QByteArray("/v2/base/items") << none << L{};
    QTest::newRow("Host names the upstream and the forwarding fields describe the client")
        << QByteArray("GET") << QByteArray("/petstore/pets") << none << QByteArray() << QByteArray("/api/pets")
        << FieldPairs{{"Host", "127.0.0.1:{upstreamPort}"}, {"X-Forwarded-For", "127.0.0.1"},
                      {"X-Forwarded-Proto", "http"}, {"X-Forwarded-Host", "gateway.test"}, {"Via", "1.1 gatehouse"}}
        << L{};
    QTest::newRow("an incoming X-Forwarded-For and Via are extended, not replaced")
        << QByteArray("GET") << QByteArray("/petstore/pets")
        << FieldPairs{{"X-Forwarded-For", "203.0.113.7"}, {"Via", "1.0 edge"}} << QByteArray() << QByteArray("/api/pets")
        << FieldPairs{{"X-Forwarded-For", "203.0.113.7, 127.0.0.1"}, {"Via", "1.0 edge, 1.1 gatehouse"}} << L{};
    QTest::newRow("a client's X-Forwarded-Proto and X-Forwarded-Host are replaced")
        << QByteArray("GET") << QByteArray("/petstore/pets")
        << FieldPairs{{"X-Forwarded-Proto", "https"}, {"X-Forwarded-Host", "evil.example"}} << QByteArray()
        << QByteArray("/api/pets") << FieldPairs{{"X-Forwarded-Proto", "http"}, {"X-Forwarded-Host", "gateway.test"}}
        << L{};
    QTest::newRow("hop-by-hop fields and the ones Connection names are removed")
        << QByteArray("GET") << QByteArray("/petstore/pets")
        << FieldPairs{{"Connection", "keep-alive, X-Secret"}, {"X-Secret", "s3cr3t"}, {"Keep-Alive", "timeout=5"},
                      {"TE", "trailers"}, {"Proxy-Authorization", "Basic eDp5"}, {"Proxy-Connection", "keep-alive"},
                      {"X-Kept", "yes"}}
        << QByteArray() << QByteArray("/api/pets") << FieldPairs{{"X-Kept", "yes"}}
        << L{"Connection", "X-Secret", "Keep-Alive", "TE", "Proxy-Authorization", "Proxy-Connection"};
    QTest::newRow("a POST body with Content-Length is forwarded with its length")
        << QByteArray("POST") << QByteArray("/petstore/pets") << FieldPairs{{"Content-Type", "text/plain"}}
        << QByteArray("hello, pets") << QByteArray("/api/pets")
        << FieldPairs{{"Content-Length", "11"}, {"Content-Type", "text/plain"}} << L{};
    QTest::newRow("a PATCH goes upstream as a PATCH")
        << QByteArray("PATCH") << QByteArray("/petstore/pets") << none << QByteArray("{}") << QByteArray("/api/pets")
        << none << L{};
}

void tst_ProxyBasics::forwardsRequest()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, target);
    QFETCH(FieldPairs, headers);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, upstreamTarget);
    QFETCH(FieldPairs, expected);
    QFETCH(QList<QByteArray>, absent);

    const HttpResponse r = httpRequest(gateway().httpPort(), method, target, headers, body);
    QVERIFY2(r.complete && r.status == 200, qPrintable(r.describe()));
    const QJsonObject echo = r.json();
    QCOMPARE(echo.value(QStringLiteral("method")).toString().toLatin1(), method);
    QCOMPARE(echo.value(QStringLiteral("target")).toString().toLatin1(), upstreamTarget);
    QCOMPARE(echo.value(QStringLiteral("body")).toString().toLatin1(), body);
    const FieldPairs seen = echoedFields(echo);
    for (const auto &f : expected) {
        QByteArray value = f.second;
        value.replace("{upstreamPort}", QByteArray::number(m_upstream.port()));
        QCOMPARE(fieldCount(seen, f.first), 1);
        QCOMPARE(fieldValue(seen, f.first), value);
    }
    for (const QByteArray &name : absent)
        QVERIFY2(fieldCount(seen, name) == 0, name.constData());
}

void tst_ProxyBasics::removesHopByHopResponseFields()
{
    const HttpResponse r = httpRequest(
        gateway().httpPort(), "GET", "/petstore/pets",
        {{"X-Behave", "header=Connection:X-Internal;header=X-Internal:1;header=Keep-Alive:timeout=5;"
                      "header=Proxy-Authenticate:Basic;header=X-Public:yes;header=Via:1.1 upstream"}});
    QVERIFY2(r.complete && r.status == 200, qPrintable(r.describe()));
    QCOMPARE(r.header("X-Public"), QByteArray("yes"));
    QCOMPARE(r.headerCount("X-Internal"), 0);
    QCOMPARE(r.headerCount("Keep-Alive"), 0);
    QCOMPARE(r.headerCount("Proxy-Authenticate"), 0);
    QCOMPARE(r.header("Via"), QByteArray("1.1 upstream, 1.1 gatehouse"));
}

void tst_ProxyBasics::keepAliveReusesClientAndUpstreamConnections()
{
    HttpConnection c;
    QVERIFY(c.connectTo(gateway().httpPort()));
    QList<int> upstreamConnections;
    for (int i = 0; i < 3; ++i) {
        c.write(requestBytes("GET", "/petstore/pets?round=" + QByteArray::number(i)));
        const HttpResponse r = c.readResponse();
        QVERIFY2(r.complete && r.status == 200 && !r.closed, qPrintable(r.describe()));
        upstreamConnections.append(r.json().value(QStringLiteral("connection")).toInt());
    }
    QVERIFY(c.isOpen());
    QCOMPARE(upstreamConnections.at(1), upstreamConnections.at(0));
    QCOMPARE(upstreamConnections.at(2), upstreamConnections.at(0));
}

void tst_ProxyBasics::pipelinedRequestsAreAnsweredInOrder()
{
    HttpConnection c;
    QVERIFY(c.connectTo(gateway().httpPort()));
    c.write(requestBytes("GET", "/petstore/pets?n=1", {{"X-Behave", "delay=100"}})
            + requestBytes("POST", "/petstore/pets?n=2", {}, "second")
            + requestBytes("GET", "/petstore/pets/3?n=3"));
    const QList<QByteArray> targets = {"/api/pets?n=1", "/api/pets?n=2", "/api/pets/3?n=3"};
    for (const QByteArray &t : targets) {
        const HttpResponse r = c.readResponse();
        QVERIFY2(r.complete && r.status == 200, qPrintable(r.describe()));
        QCOMPARE(r.json().value(QStringLiteral("target")).toString().toLatin1(), t);
    }
    QVERIFY(c.isOpen());
}

void tst_ProxyBasics::headAnswersWithoutBody()
{
    HttpConnection c;
    QVERIFY(c.connectTo(gateway().httpPort()));
    c.write(requestBytes("HEAD", "/petstore/pets"));
    const HttpResponse head = c.readResponse("HEAD");
    QVERIFY2(head.complete && head.status == 200, qPrintable(head.describe()));
    QVERIFY(head.body.isEmpty());
    QVERIFY(head.header("Content-Length").toInt() > 0);   // the length of what GET would send
    // No stray body bytes: the next response on the connection parses.
    c.write(requestBytes("GET", "/petstore/pets"));
    const HttpResponse next = c.readResponse();
    QVERIFY2(next.complete && next.status == 200, qPrintable(next.describe()));
    QCOMPARE(next.json().value(QStringLiteral("method")).toString(), QStringLiteral("GET"));
}

void tst_ProxyBasics::bodilessStatuses_data()
{
    QTest::addColumn<int>("status");
    QTest::newRow("204 No Content carries no body and keeps the connection") << 204;
    QTest::newRow("304 Not Modified carries no body and keeps the connection") << 304;
}

void tst_ProxyBasics::bodilessStatuses()
{
    QFETCH(int, status);
    HttpConnection c;
    QVERIFY(c.connectTo(gateway().httpPort()));
    c.write(requestBytes("GET", "/petstore/pets", {{"X-Behave", "status=" + QByteArray::number(status)}}));
    const HttpResponse r = c.readResponse();
    QVERIFY2(r.complete && r.status == status, qPrintable(r.describe()));
    QVERIFY(r.body.isEmpty());
    QCOMPARE(r.headerCount("Transfer-Encoding"), 0);
    c.write(requestBytes("GET", "/petstore/pets"));
    const HttpResponse next = c.readResponse();
    QVERIFY2(next.complete && next.status == 200, qPrintable(next.describe()));
}

void tst_ProxyBasics::chunkedRequestBodyKeepsTrailers()
{
    HttpConnection c;
    QVERIFY(c.connectTo(gateway().httpPort()));
    c.write("POST /petstore/pets HTTP/1.1\r\nHost: gateway.test\r\nTransfer-Encoding: chunked\r\n"
            "Trailer: X-Checksum\r\n\r\n"
            "6\r\nhello \r\n5;ext=1\r\nworld\r\n0\r\nX-Checksum: abc123\r\n\r\n");
    const HttpResponse r = c.readResponse();
    QVERIFY2(r.complete && r.status == 200, qPrintable(r.describe()));
    const QJsonObject echo = r.json();
    QCOMPARE(echo.value(QStringLiteral("body")).toString(), QStringLiteral("hello world"));
    QVERIFY(echo.value(QStringLiteral("chunked")).toBool());
    QCOMPARE(fieldValue(echoedFields(echo, QStringLiteral("trailers")), "X-Checksum"), QByteArray("abc123"));
}

void tst_ProxyBasics::chunkedResponseKeepsTrailers()
{
    HttpConnection c;
    QVERIFY(c.connectTo(gateway().httpPort()));
    c.write(requestBytes("GET", "/petstore/pets", {{"X-Behave", "framing=chunked;trailer=X-Digest:42"}}));
    const HttpResponse r = c.readResponse();
    QVERIFY2(r.complete && r.status == 200, qPrintable(r.describe()));
    QVERIFY(r.chunked);
    QCOMPARE(r.json().value(QStringLiteral("target")).toString(), QStringLiteral("/api/pets"));
    QCOMPARE(fieldValue(r.trailers, "X-Digest"), QByteArray("42"));
    QVERIFY(c.isOpen());
}

void tst_ProxyBasics::untilCloseBodyIsRechunkedForHttp11()
{
    HttpConnection c;
    QVERIFY(c.connectTo(gateway().httpPort()));
    c.write(requestBytes("GET", "/petstore/pets", {{"X-Behave", "framing=close;size=300000"}}));
    const HttpResponse r = c.readResponse();
    QVERIFY2(r.complete && r.status == 200, qPrintable(r.describe()));
    QVERIFY(r.chunked);
    QCOMPARE(r.body.size(), 300000);
    QVERIFY(r.body == pattern(300000));
    // The upstream connection ended; the client's did not.
    c.write(requestBytes("GET", "/petstore/pets"));
    const HttpResponse next = c.readResponse();
    QVERIFY2(next.complete && next.status == 200, qPrintable(next.describe()));
}

void tst_ProxyBasics::http10ClientGetsBodyThenClose()
{
    HttpConnection c;
    QVERIFY(c.connectTo(gateway().httpPort()));
    c.write("GET /petstore/pets HTTP/1.0\r\nX-Behave: framing=close;size=5000\r\n\r\n");
    const HttpResponse r = c.readResponse();
    QVERIFY2(r.complete && r.status == 200, qPrintable(r.describe()));
    QCOMPARE(r.version, QByteArray("HTTP/1.0"));
    QCOMPARE(r.headerCount("Transfer-Encoding"), 0);
    QVERIFY(r.body == pattern(5000));
    QVERIFY(c.waitForClosed());
}

void tst_ProxyBasics::http10ClientMayKeepAlive()
{
    HttpConnection c;
    QVERIFY(c.connectTo(gateway().httpPort()));
    for (int i = 0; i < 2; ++i) {
        c.write("GET /petstore/pets HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        const HttpResponse r = c.readResponse();
        QVERIFY2(r.complete && r.status == 200, qPrintable(r.describe()));
        QCOMPARE(r.version, QByteArray("HTTP/1.0"));
        QVERIFY(httpListContainsToken(r.header("Connection"), "keep-alive"));
    }
    QVERIFY(c.isOpen());
}

void tst_ProxyBasics::expectContinueIsAnsweredBeforeForwarding()
{
    HttpConnection c;
    QVERIFY(c.connectTo(gateway().httpPort()));
    c.write("POST /petstore/pets HTTP/1.1\r\nHost: gateway.test\r\nContent-Length: 7\r\n"
            "Expect: 100-continue\r\n\r\n");
    QTcpSocket *s = c.socket();
    QVERIFY2(waitUntil([s] { return s->bytesAvailable() >= 25; }, 10'000), "no 100 Continue before the body");
    QCOMPARE(s->peek(25), QByteArray("HTTP/1.1 100 Continue\r\n\r\n"));
    c.write("payload");
    const HttpResponse r = c.readResponse();
    QVERIFY2(r.complete && r.status == 200, qPrintable(r.describe()));
    QCOMPARE(r.interim, QList<int>{100});
    QCOMPARE(r.json().value(QStringLiteral("body")).toString(), QStringLiteral("payload"));
    QCOMPARE(fieldCount(echoedFields(r.json()), "Expect"), 0);
}

void tst_ProxyBasics::expectContinueForAnUnknownPathGetsTheErrorInstead()
{
    HttpConnection c;
    QVERIFY(c.connectTo(gateway().httpPort()));
    c.write("POST /nowhere HTTP/1.1\r\nHost: gateway.test\r\nContent-Length: 7\r\nExpect: 100-continue\r\n\r\n");
    const HttpResponse r = c.readResponse();
    QVERIFY2(r.complete && r.status == 404, qPrintable(r.describe()));
    QVERIFY(r.interim.isEmpty());
    // The body was never asked for: the connection cannot be reused and is closed.
    QVERIFY(httpListContainsToken(r.header("Connection"), "close"));
    QVERIFY(c.waitForClosed());
}

void tst_ProxyBasics::interimResponsesOfTheUpstreamAreNotForwarded()
{
    HttpConnection c;
    QVERIFY(c.connectTo(gateway().httpPort()));
    c.write(requestBytes("GET", "/petstore/pets", {{"X-Behave", "interim=103"}}));
    const HttpResponse r = c.readResponse();
    QVERIFY2(r.complete && r.status == 200, qPrintable(r.describe()));
    QVERIFY(r.interim.isEmpty());
}

void tst_ProxyBasics::gatewayErrors_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QByteArray>("allow");

    QTest::newRow("a path no API serves is 404 with a JSON body")
        << QByteArray("GET") << QByteArray("/nowhere") << 404 << QStringLiteral("900906") << QByteArray();
    QTest::newRow("a path below a base path with no operation is 404")
        << QByteArray("GET") << QByteArray("/petstore/cats") << 404 << QStringLiteral("900906") << QByteArray();
    QTest::newRow("a known path with another method is 405 with Allow")
        << QByteArray("POST") << QByteArray("/petstore/pets/7") << 405 << QStringLiteral("900907")
        << QByteArray("GET, DELETE");
    QTest::newRow("a path climbing above the root is 400")
        << QByteArray("GET") << QByteArray("/petstore/../../etc/passwd") << 400 << QStringLiteral("900400")
        << QByteArray();
}

void tst_ProxyBasics::gatewayErrors()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, target);
    QFETCH(int, status);
    QFETCH(QString, code);
    QFETCH(QByteArray, allow);

    const int before = m_upstream.requestCount();
    const HttpResponse r = httpRequest(gateway().httpPort(), method, target);
    QVERIFY2(r.complete && r.status == status, qPrintable(r.describe()));
    QCOMPARE(r.header("Content-Type"), QByteArray("application/json"));
    const QJsonObject body = r.json();
    QCOMPARE(body.value(QStringLiteral("code")).toString(), code);
    QVERIFY(!body.value(QStringLiteral("message")).toString().isEmpty());
    QVERIFY(!body.value(QStringLiteral("description")).toString().isEmpty());
    if (!allow.isEmpty()) {
        for (const QByteArray &m : allow.split(','))
            QVERIFY2(httpListContainsToken(r.header("Allow"), m.trimmed()), r.header("Allow").constData());
    }
    QCOMPARE(m_upstream.requestCount(), before);
}

QTEST_GUILESS_MAIN(tst_ProxyBasics)
#include "tst_proxybasics.moc"
