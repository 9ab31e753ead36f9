// TLS on both sides: the HTTPS listener (generated key 0600, curl -k, ALPN h2 then http/1.1, plain
// HTTP dropped) and HTTPS upstreams verified against upstream.caFile (untrusted → 502).
#include "testgateway.h"
#include "testupstream.h"

#include <QFile>
#include <QSslCertificate>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace Gatehouse;
using namespace Gatehouse::Test;

class tst_Https : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase_data() { addGatewayModeRows(); }
    void initTestCase();
    void cleanupTestCase();

    void generatedKeyIsPrivate();
    void curlOverHttps();
    void alpnOffersH2AndHttp11_data();
    void alpnOffersH2AndHttp11();
    void opensslSeesHttp11();
    void answersThatCloseArriveWhole_data();
    void answersThatCloseArriveWhole();
    void plainHttpOnTheTlsPortIsDropped();
    void httpsUpstreams_data();
    void httpsUpstreams();

private:
    GatewayUnderTest &gateway() { return m_gateways.current(); }
    bool makeCertificates();
    ProcessResult openssl(const QStringList &arguments) { return runProcess(m_openssl, arguments, 60'000); }

    QString m_openssl;
    QString m_curl;
    QTemporaryDir m_pki;
    TestUpstream m_plain;
    TestUpstream m_trusted;     // certificate signed by the CA in upstream.caFile
    TestUpstream m_untrusted;   // self-signed
    TestProject m_project;
    GatewayPair m_gateways;
};

bool tst_Https::makeCertificates()
{
    const QString d = m_pki.path();
    const QStringList ec{QStringLiteral("-newkey"), QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                         QStringLiteral("ec_paramgen_curve:P-256"), QStringLiteral("-nodes")};
    QFile ext(d + QStringLiteral("/ext.cnf"));
    if (!ext.open(QIODevice::WriteOnly)
        || ext.write("subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n") < 0)
        return false;
    ext.close();
    const QList<QStringList> steps = {
        QStringList{QStringLiteral("req"), QStringLiteral("-x509")} + ec
            + QStringList{QStringLiteral("-keyout"), d + QStringLiteral("/ca.key"), QStringLiteral("-out"), d + QStringLiteral("/ca.crt"),
                          QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"), QStringLiteral("/CN=Gatehouse Test CA"),
                          QStringLiteral("-addext"), QStringLiteral("basicConstraints=critical,CA:TRUE"), QStringLiteral("-addext"),
                          QStringLiteral("keyUsage=critical,keyCertSign,cRLSign")},
        QStringList{QStringLiteral("req")} + ec
            + QStringList{QStringLiteral("-keyout"), d + QStringLiteral("/up.key"), QStringLiteral("-out"), d + QStringLiteral("/up.csr"),
                          QStringLiteral("-subj"), QStringLiteral("/CN=127.0.0.1")},
        QStringList{QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"), d + QStringLiteral("/up.csr"),
                    QStringLiteral("-CA"), d + QStringLiteral("/ca.crt"), QStringLiteral("-CAkey"), d + QStringLiteral("/ca.key"),
                    QStringLiteral("-CAcreateserial"), QStringLiteral("-out"), d + QStringLiteral("/up.crt"), QStringLiteral("-days"),
                    QStringLiteral("2"), QStringLiteral("-extfile"), d + QStringLiteral("/ext.cnf")},
        QStringList{QStringLiteral("req"), QStringLiteral("-x509")} + ec
            + QStringList{QStringLiteral("-keyout"), d + QStringLiteral("/rogue.key"), QStringLiteral("-out"), d + QStringLiteral("/rogue.crt"),
                          QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"), QStringLiteral("/CN=127.0.0.1"),
                          QStringLiteral("-addext"), QStringLiteral("subjectAltName=IP:127.0.0.1")},
    };
    for (const QStringList &step : steps) {
        const ProcessResult p = openssl(step);
        if (!p.finished || p.exitCode != 0) {
            qWarning("openssl %s: %s", qPrintable(step.join(u' ')), qPrintable(p.describe()));
            return false;
        }
    }
    return true;
}

void tst_Https::initTestCase()
{
    m_openssl = QStandardPaths::findExecutable(QStringLiteral("openssl"));
    m_curl = QStandardPaths::findExecutable(QStringLiteral("curl"));
    if (m_openssl.isEmpty())
        QSKIP("the openssl command is needed to make the test PKI");
    QVERIFY(m_pki.isValid() && m_project.isValid());
    QVERIFY(makeCertificates());
    const QString d = m_pki.path();
    const TestUpstream::Tls trusted{d + QStringLiteral("/up.crt"), d + QStringLiteral("/up.key")};
    const TestUpstream::Tls rogue{d + QStringLiteral("/rogue.crt"), d + QStringLiteral("/rogue.key")};
    QVERIFY(m_plain.start());
    QVERIFY(m_trusted.start(&trusted));
    QVERIFY(m_untrusted.start(&rogue));
    QVERIFY(m_project.write(QStringLiteral("gatehouse.yaml"),
                            settingsYaml(QStringLiteral("upstream:\n  caFile: %1/ca.crt\n  verifyTls: true\n").arg(d).toUtf8())));
    const QStringList ops{QStringLiteral("/x GET POST")};
    QVERIFY(m_project.write(QStringLiteral("apis/plain.yaml"),
                            apiYaml(QStringLiteral("Plain"), QStringLiteral("/plain"), m_plain.url(QStringLiteral("/api")), ops)));
    QVERIFY(m_project.write(QStringLiteral("apis/secure.yaml"),
                            apiYaml(QStringLiteral("Secure"), QStringLiteral("/secure"), m_trusted.url(QStringLiteral("/api")), ops)));
    QVERIFY(m_project.write(QStringLiteral("apis/untrusted.yaml"),
                            apiYaml(QStringLiteral("Untrusted"), QStringLiteral("/untrusted"), m_untrusted.url(QStringLiteral("/api")), ops)));
    QString error;
    QVERIFY2(m_gateways.start(m_project.path(), &error), qPrintable(error));
    QVERIFY(m_gateways.get(GatewayMode::InProcess).httpsPort() != 0);
    QVERIFY(m_gateways.get(GatewayMode::Daemon).httpsPort() != 0);
}

void tst_Https::cleanupTestCase()
{
    m_gateways.stop();
    for (TestUpstream *u : {&m_plain, &m_trusted, &m_untrusted})
        u->stop();
}

void tst_Https::generatedKeyIsPrivate()
{
    struct stat st{};
    QCOMPARE(::stat(QFile::encodeName(m_project.filePath(QStringLiteral("keys/tls.key"))).constData(), &st), 0);
    QCOMPARE(int(st.st_mode & 0777), 0600);
    const QList<QSslCertificate> certs = QSslCertificate::fromPath(m_project.filePath(QStringLiteral("keys/tls.crt")));
    QCOMPARE(certs.size(), 1);
    QVERIFY(certs.first().subjectAlternativeNames().values(QSsl::IpAddressEntry).contains(QStringLiteral("127.0.0.1")));
}

void tst_Https::curlOverHttps()
{
    if (m_curl.isEmpty())
        QSKIP("curl is not installed");
    const ProcessResult p = runProcess(m_curl, {QStringLiteral("-sk"), QStringLiteral("--max-time"), QStringLiteral("30"),
                                                QStringLiteral("--http1.1"), QStringLiteral("-w"),
                                                QStringLiteral("\n%{http_code} %{http_version}"),
                                                QStringLiteral("https://127.0.0.1:%1/plain/x?tls=1").arg(gateway().httpsPort())});
    QVERIFY2(p.finished && p.exitCode == 0, qPrintable(p.describe()));
    QVERIFY2(p.out.endsWith("\n200 1.1"), qPrintable(p.describe()));
    const RecordedRequest seen = m_plain.lastRequest();
    QCOMPARE(seen.target, QByteArray("/api/x?tls=1"));
    QCOMPARE(seen.header("X-Forwarded-Proto"), QByteArray("https"));
}

void tst_Https::alpnOffersH2AndHttp11_data()
{
    QTest::addColumn<QList<QByteArray>>("offered");
    QTest::addColumn<QByteArray>("selected");
    QTest::newRow("a client offering h2 and http/1.1 gets h2 (allowed by default)")
        << QList<QByteArray>{"h2", "http/1.1"} << QByteArray("h2");
    QTest::newRow("a client offering only http/1.1 gets it") << QList<QByteArray>{"http/1.1"}
                                                             << QByteArray("http/1.1");
}

void tst_Https::alpnOffersH2AndHttp11()
{
    QFETCH(QList<QByteArray>, offered);
    QFETCH(QByteArray, selected);
    HttpConnection c;
    QVERIFY(c.connectTo(gateway().httpsPort(), true, offered));
    QCOMPARE(c.negotiatedAlpn(), selected);
    if (selected != "http/1.1")
        return;   // HTTP/2 over TLS: tst_http2
    c.write(requestBytes("GET", "/plain/x"));
    const HttpResponse r = c.readResponse();
    QVERIFY2(r.complete && r.status == 200, qPrintable(r.describe()));
}

void tst_Https::opensslSeesHttp11()
{
    const ProcessResult p = openssl({QStringLiteral("s_client"), QStringLiteral("-connect"),
                                     QStringLiteral("127.0.0.1:%1").arg(gateway().httpsPort()), QStringLiteral("-alpn"),
                                     QStringLiteral("http/1.1"), QStringLiteral("-servername"), QStringLiteral("localhost")});
    QVERIFY2(p.finished, qPrintable(p.describe()));
    QVERIFY2(p.out.contains("ALPN protocol: http/1.1"), qPrintable(p.describe()));
}

void tst_Https::answersThatCloseArriveWhole_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    QTest::addColumn<int>("bodyBytes");   // -1: not checked
    QTest::newRow("an answer to Connection: close")
        << requestBytes("GET", "/plain/x", {}, {}, true) << 200 << -1;
    QTest::newRow("an answer to an HTTP/1.0 request") << QByteArray("GET /plain/x HTTP/1.0\r\n\r\n") << 200 << -1;
    QTest::newRow("an until-close body to an HTTP/1.0 client")
        << QByteArray("GET /plain/x HTTP/1.0\r\nX-Behave: framing=close;size=300000\r\n\r\n") << 200 << 300000;
    QTest::newRow("an error answered before the request body")
        << requestBytes("POST", "/nowhere", {{"Content-Length", "100000"}}) << 404 << -1;
}

void tst_Https::answersThatCloseArriveWhole()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    QFETCH(int, bodyBytes);
    HttpConnection c;
    QVERIFY(c.connectTo(gateway().httpsPort(), true));
    c.write(request);
    const HttpResponse r = c.readResponse();
    QVERIFY2(r.complete && r.status == status, qPrintable(r.describe()));
    if (bodyBytes >= 0)
        QCOMPARE(r.body.size(), bodyBytes);
    QVERIFY(c.waitForClosed());
}

void tst_Https::plainHttpOnTheTlsPortIsDropped()
{
    HttpConnection c;
    QVERIFY(c.connectTo(gateway().httpsPort()));
    c.write("GET /plain/x HTTP/1.1\r\nHost: h\r\n\r\n");
    const QByteArray answer = c.readUntilClosed(10'000);
    QVERIFY2(!c.isOpen(), "the TLS listener kept a plain-HTTP connection open");
    QVERIFY2(!answer.startsWith("HTTP/"), answer.constData());
    // Nothing leaks: the gateway serves TLS as before and counts no leftover connection.
    HttpConnection tls;
    QVERIFY(tls.connectTo(gateway().httpsPort(), true));
    tls.write(requestBytes("GET", "/plain/x", {}, {}, true));
    QCOMPARE(tls.readResponse().status, 200);
    tls.abort();
    QVERIFY(waitUntil([&] {
        return gateway().admin("GET", "/health").json().value(QStringLiteral("activeConnections")).toInt(-1) == 0;
    }, 10'000));
}

void tst_Https::httpsUpstreams_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<int>("status");
    QTest::newRow("an upstream certificate signed by upstream.caFile is trusted") << QByteArray("/secure/x") << 200;
    QTest::newRow("a self-signed upstream certificate is refused with 502") << QByteArray("/untrusted/x") << 502;
}

void tst_Https::httpsUpstreams()
{
    QFETCH(QByteArray, target);
    QFETCH(int, status);
    const int before = m_untrusted.requestCount();
    const HttpResponse r = httpRequest(gateway().httpPort(), "POST", target, {}, "over tls");
    QVERIFY2(r.complete && r.status == status, qPrintable(r.describe()));
    if (status == 200) {
        QCOMPARE(r.json().value(QStringLiteral("target")).toString(), QStringLiteral("/api/x"));
        QCOMPARE(r.json().value(QStringLiteral("body")).toString(), QStringLiteral("over tls"));
    } else {
        QCOMPARE(r.json().value(QStringLiteral("code")).toString(), QStringLiteral("101500"));
        QCOMPARE(m_untrusted.requestCount(), before);   // not a byte of the request went out
    }
}

QTEST_GUILESS_MAIN(tst_Https)
#include "tst_https.moc"
