// Hostile clients through the real listener: smuggling vectors, size limits, slowloris, idle
// timeouts, path tricks. Every refusal answers 4xx/5xx, closes, and reaches no upstream.
#include "testgateway.h"
#include "testupstream.h"

#include <QTest>

using namespace Gatehouse;
using namespace Gatehouse::Test;

class tst_ProxyHostile : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase_data() { addGatewayModeRows(); }
    void initTestCase();
    void cleanupTestCase();

    void refusedAndClosed_data();
    void refusedAndClosed();
    void pathsAreNormalisedBeforeForwarding_data();
    void pathsAreNormalisedBeforeForwarding();
    void slowlorisGets408();
    void stalledBodyGets408();
    void requestsAfterConnectionCloseAreIgnored();
    void silentConnectionIsClosed_data();
    void silentConnectionIsClosed();
    void idleKeepAliveConnectionIsClosed();
    void refusalAfterAGoodRequestOnTheSameConnection();

private:
    GatewayUnderTest &gateway() { return m_gateways.current(); }
    TestUpstream m_upstream;
    TestProject m_project;
    GatewayPair m_gateways;
};

void tst_ProxyHostile::initTestCase()
{
    QVERIFY(m_project.isValid());
    QVERIFY(m_upstream.start());
    // Upstream connections end with their exchange: "none open" means everything was counted.
    m_upstream.setDefaultBehaviour("keepalive=0");
    QVERIFY(m_project.write(QStringLiteral("gatehouse.yaml"),
                            settingsYaml("limits:\n"
                                         "  maxRequestLine: 512B\n"
                                         "  maxHeaderSize: 2KiB\n"
                                         "  maxHeaderCount: 20\n"
                                         "  maxBodySize: 1MiB\n"
                                         "  headerTimeout: 1s\n"
                                         "  bodyTimeout: 1s\n"
                                         "  idleTimeout: 1s\n")));
    QVERIFY(m_project.write(QStringLiteral("apis/hostile.yaml"),
                            apiYaml(QStringLiteral("Hostile"), QStringLiteral("/hostile"), m_upstream.url(QStringLiteral("/api")),
                                    {QStringLiteral("/x GET POST PUT"), QStringLiteral("/files/* GET")})));
    QString error;
    QVERIFY2(m_gateways.start(m_project.path(), &error), qPrintable(error));
}

void tst_ProxyHostile::cleanupTestCase()
{
    m_gateways.stop();
    m_upstream.stop();
}

void tst_ProxyHostile::refusedAndClosed_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    // Refused in the body: the valid head may already be streaming upstream (which then sees a
    // reset, never a whole request). Otherwise the upstream sees nothing at all.
    QTest::addColumn<bool>("inBody");
    const QByteArray post = "POST /hostile/x HTTP/1.1\r\nHost: h\r\n";
    const QByteArray get = "GET /hostile/x HTTP/1.1\r\nHost: h\r\n";
    const QByteArray chunked = post + "Transfer-Encoding: chunked\r\n\r\n";

    QTest::newRow("Content-Length together with Transfer-Encoding (CL.TE)")
        << post + "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" << 400 << false;
    QTest::newRow("Transfer-Encoding before Content-Length (TE.CL)")
        << post + "Transfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n0\r\n\r\n" << 400 << false;
    QTest::newRow("two different Content-Length fields")
        << post + "Content-Length: 4\r\nContent-Length: 5\r\n\r\nabcde" << 400 << false;
    QTest::newRow("two equal Content-Length fields")
        << post + "Content-Length: 4\r\nContent-Length: 4\r\n\r\nabcd" << 400 << false;
    QTest::newRow("a Content-Length list")
        << post + "Content-Length: 4, 4\r\n\r\nabcd" << 400 << false;
    QTest::newRow("a signed Content-Length") << post + "Content-Length: +4\r\n\r\nabcd" << 400 << false;
    QTest::newRow("a negative Content-Length") << post + "Content-Length: -1\r\n\r\n" << 400 << false;
    QTest::newRow("a Content-Length beyond 64 bits")
        << post + "Content-Length: 99999999999999999999999\r\n\r\n" << 400 << false;
    QTest::newRow("Transfer-Encoding split over two fields")
        << post + "Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" << 400 << false;
    QTest::newRow("Transfer-Encoding with a junk coding name (xchunked)")
        << post + "Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n" << 400 << false;
    QTest::newRow("Transfer-Encoding not ending with chunked")
        << post + "Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n" << 400 << false;
    QTest::newRow("Transfer-Encoding with a space before the colon")
        << post + "Transfer-Encoding : chunked\r\n\r\n0\r\n\r\n" << 400 << false;
    QTest::newRow("Transfer-Encoding hidden behind a vertical tab")
        << post + "Transfer-Encoding:\x0b" "chunked\r\n\r\n0\r\n\r\n" << 400 << false;
    QTest::newRow("Transfer-Encoding in an HTTP/1.0 request")
        << QByteArray("POST /hostile/x HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n") << 400 << false;
    QTest::newRow("a bare LF ending the header lines")
        << QByteArray("GET /hostile/x HTTP/1.1\nHost: h\n\n") << 400 << false;
    QTest::newRow("a bare CR inside a field value") << get + "X-Split: a\rb\r\n\r\n" << 400 << false;
    QTest::newRow("an obs-fold continuation line") << get + "X-Folded: a\r\n b\r\n\r\n" << 400 << false;
    QTest::newRow("whitespace before the first field") << QByteArray("GET /hostile/x HTTP/1.1\r\n Host: h\r\n\r\n") << 400 << false;
    QTest::newRow("a space between the field name and the colon") << get + "X-Name : v\r\n\r\n" << 400 << false;
    QTest::newRow("a NUL byte in a field value") << get + QByteArray("X-Nul: a\0b\r\n\r\n", 15) << 400 << false;
    QTest::newRow("a chunk size that is not hex") << chunked + "zz\r\nhello\r\n0\r\n\r\n" << 400 << true;
    QTest::newRow("a chunk size with a 0x prefix") << chunked + "0x5\r\nhello\r\n0\r\n\r\n" << 400 << true;
    QTest::newRow("a chunk size with a space before the line end") << chunked + "5 \r\nhello\r\n0\r\n\r\n" << 400 << true;
    QTest::newRow("a chunk size beyond 64 bits") << chunked + "fffffffffffffffff1\r\nhello\r\n" << 400 << true;
    QTest::newRow("chunk data longer than its size") << chunked + "3\r\nhello\r\n0\r\n\r\n" << 400 << true;
    QTest::newRow("an HTTP/1.1 request without Host") << QByteArray("GET /hostile/x HTTP/1.1\r\n\r\n") << 400 << false;
    QTest::newRow("two Host fields") << get + "Host: other\r\n\r\n" << 400 << false;
    QTest::newRow("two spaces in the request line") << QByteArray("GET  /hostile/x HTTP/1.1\r\nHost: h\r\n\r\n") << 400 << false;
    QTest::newRow("a control byte in the request target")
        << QByteArray("GET /hostile/x\x01y HTTP/1.1\r\nHost: h\r\n\r\n") << 400 << false;
    QTest::newRow("a fragment in the request target") << QByteArray("GET /hostile/x#frag HTTP/1.1\r\nHost: h\r\n\r\n") << 400 << false;
    QTest::newRow("a request line over limits.maxRequestLine is 414")
        << "GET /hostile/x?" + QByteArray(600, 'a') + " HTTP/1.1\r\nHost: h\r\n\r\n" << 414 << false;
    QTest::newRow("header lines over limits.maxHeaderSize are 431")
        << get + "X-Big: " + QByteArray(3000, 'b') + "\r\n\r\n" << 431 << false;
    QTest::newRow("more fields than limits.maxHeaderCount is 431") << get + QByteArray("X-Many: 1\r\n").repeated(25) + "\r\n"
                                                                  << 431 << false;
    QTest::newRow("a body over limits.maxBodySize is 413 before it is read")
        << post + "Content-Length: 2000000\r\n\r\n" + QByteArray(1000, 'x') << 413 << false;
    QTest::newRow("a chunked body over limits.maxBodySize is 413")
        << chunked + "200000\r\n" + QByteArray(1000, 'x') << 413 << true;
    QTest::newRow("an unknown method is 501") << QByteArray("BREW /hostile/x HTTP/1.1\r\nHost: h\r\n\r\n") << 501 << false;
    QTest::newRow("HTTP/2.0 in an HTTP/1.1 request line is 505")
        << QByteArray("GET /hostile/x HTTP/2.0\r\nHost: h\r\n\r\n") << 505 << false;
}

void tst_ProxyHostile::refusedAndClosed()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    QFETCH(bool, inBody);
    const auto upstreamQuiet = [this] { return m_upstream.openConnections() == 0; };
    QVERIFY(waitUntil(upstreamQuiet, 10'000));
    const int heads = m_upstream.requestCount();
    const int whole = m_upstream.completedCount();
    HttpConnection c;
    QVERIFY(c.connectTo(gateway().httpPort()));
    c.write(request);
    const HttpResponse r = c.readResponse();
    QVERIFY2(r.complete, qPrintable(r.describe()));
    QCOMPARE(r.status, status);
    QCOMPARE(r.json().value(QStringLiteral("code")).toString().size(), 6);
    QVERIFY(httpListContainsToken(r.header("Connection"), "close"));
    QVERIFY2(c.waitForClosed(), "the gateway kept the connection open after refusing");
    m_upstream.sync();
    QVERIFY(waitUntil(upstreamQuiet, 10'000));
    QCOMPARE(m_upstream.completedCount(), whole);
    if (!inBody)
        QCOMPARE(m_upstream.requestCount(), heads);
}

void tst_ProxyHostile::pathsAreNormalisedBeforeForwarding_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QByteArray>("upstreamTarget");   // empty: refused with 400
    QTest::newRow("a dot-dot segment is resolved") << QByteArray("/hostile/a/../x") << QByteArray("/api/x");
    QTest::newRow("a single-dot segment is dropped") << QByteArray("/hostile/./x") << QByteArray("/api/x");
    QTest::newRow("percent-encoded dot segments are resolved like plain ones")
        << QByteArray("/hostile/files/a/%2e%2E/b") << QByteArray("/api/files/b");
    QTest::newRow("an encoded slash is not a segment boundary")
        << QByteArray("/hostile/files/a%2f..%2fb") << QByteArray("/api/files/a%2f..%2fb");
    QTest::newRow("a path climbing above the root is 400") << QByteArray("/hostile/../../x") << QByteArray();
    QTest::newRow("percent-encoded dot segments climbing above the root are 400")
        << QByteArray("/hostile/files/%2e%2e/%2E%2E/%2e%2e/etc/passwd") << QByteArray();
}

void tst_ProxyHostile::pathsAreNormalisedBeforeForwarding()
{
    QFETCH(QByteArray, target);
    QFETCH(QByteArray, upstreamTarget);
    const int before = m_upstream.requestCount();
    const HttpResponse r = httpRequest(gateway().httpPort(), "GET", target);
    if (upstreamTarget.isEmpty()) {
        QVERIFY2(r.complete && r.status == 400, qPrintable(r.describe()));
        QCOMPARE(r.json().value(QStringLiteral("code")).toString(), QStringLiteral("900400"));
        QCOMPARE(m_upstream.requestCount(), before);
        return;
    }
    QVERIFY2(r.complete && r.status == 200, qPrintable(r.describe()));
    QCOMPARE(r.json().value(QStringLiteral("target")).toString().toLatin1(), upstreamTarget);
}

void tst_ProxyHostile::slowlorisGets408()
{
    // limits.headerTimeout is 1s: a head trickled one byte per 100 ms never completes in time.
    const int before = m_upstream.requestCount();
    HttpConnection c;
    QVERIFY(c.connectTo(gateway().httpPort()));
    const QByteArray head = "GET /hostile/x HTTP/1.1\r\nHost: h\r\nX-Slow: " + QByteArray(200, 's');
    QTcpSocket *s = c.socket();
    qsizetype sent = 0;
    for (; sent < head.size() && s->bytesAvailable() == 0 && s->state() == QAbstractSocket::ConnectedState; ++sent) {
        c.write(head.mid(sent, 1));
        spin(100);
    }
    QVERIFY2(sent < head.size(), "the whole head went out without the gateway reacting");
    const HttpResponse r = c.readResponse();
    QVERIFY2(r.complete && r.status == 408, qPrintable(r.describe()));
    QVERIFY(c.waitForClosed());
    QCOMPARE(m_upstream.requestCount(), before);
}

void tst_ProxyHostile::stalledBodyGets408()
{
    // limits.bodyTimeout is 1s, upstream.requestTimeout the default minute: a body that stops
    // flowing is the client's fault and must not hold the upstream connection for that minute.
    HttpConnection c;
    QVERIFY(c.connectTo(gateway().httpPort()));
    c.write(requestBytes("POST", "/hostile/x", {{"Content-Length", "100"}}) + "only ten b");
    const HttpResponse r = c.readResponse("POST", 20'000);
    QVERIFY2(r.complete && r.status == 408, qPrintable(r.describe()));
    QVERIFY(c.waitForClosed());
    m_upstream.sync();
    QVERIFY2(waitUntil([this] { return m_upstream.openConnections() == 0; }, 10'000),
             "the upstream connection of the stalled request was kept");
}

void tst_ProxyHostile::requestsAfterConnectionCloseAreIgnored()
{
    const int before = m_upstream.completedCount();
    HttpConnection c;
    QVERIFY(c.connectTo(gateway().httpPort()));
    c.write(requestBytes("GET", "/hostile/x?n=1", {}, {}, true) + requestBytes("GET", "/hostile/x?n=2"));
    const HttpResponse r = c.readResponse();
    QVERIFY2(r.complete && r.status == 200, qPrintable(r.describe()));
    QCOMPARE(r.json().value(QStringLiteral("target")).toString(), QStringLiteral("/api/x?n=1"));
    const QByteArray rest = c.readUntilClosed(10'000);
    QVERIFY2(!c.isOpen() && rest.isEmpty(), rest.constData());
    m_upstream.sync();
    QCOMPARE(m_upstream.completedCount(), before + 1);
}

void tst_ProxyHostile::silentConnectionIsClosed_data()
{
    QTest::addColumn<bool>("tlsPort");
    QTest::newRow("a connection that never sends a byte is closed after headerTimeout") << false;
    QTest::newRow("a connection to the TLS port that never starts its handshake is closed too") << true;
}

void tst_ProxyHostile::silentConnectionIsClosed()
{
    QFETCH(bool, tlsPort);
    HttpConnection c;
    QVERIFY(c.connectTo(tlsPort ? gateway().httpsPort() : gateway().httpPort()));
    const QByteArray rest = c.readUntilClosed(10'000);
    QVERIFY2(!c.isOpen(), "a connection that never sends a byte stays open");
    QVERIFY2(rest.isEmpty() || rest.startsWith("HTTP/1.1 408"), rest.constData());
}

void tst_ProxyHostile::idleKeepAliveConnectionIsClosed()
{
    HttpConnection c;
    QVERIFY(c.connectTo(gateway().httpPort()));
    c.write(requestBytes("GET", "/hostile/x"));
    const HttpResponse r = c.readResponse();
    QVERIFY2(r.complete && r.status == 200 && !r.closed, qPrintable(r.describe()));
    // limits.idleTimeout is 1s; the hang guard is far longer.
    QVERIFY2(c.waitForClosed(10'000), "an idle keep-alive connection outlived limits.idleTimeout");
}

void tst_ProxyHostile::refusalAfterAGoodRequestOnTheSameConnection()
{
    // A smuggled second request behind a valid one: the first is served, the second refused.
    const int before = m_upstream.requestCount();
    HttpConnection c;
    QVERIFY(c.connectTo(gateway().httpPort()));
    c.write(requestBytes("GET", "/hostile/x")
            + "POST /hostile/x HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
    const HttpResponse first = c.readResponse();
    QVERIFY2(first.complete && first.status == 200, qPrintable(first.describe()));
    const HttpResponse second = c.readResponse();
    QVERIFY2(second.complete && second.status == 400, qPrintable(second.describe()));
    QVERIFY(c.waitForClosed());
    QCOMPARE(m_upstream.requestCount(), before + 1);
}

QTEST_GUILESS_MAIN(tst_ProxyHostile)
#include "tst_proxyhostile.moc"
