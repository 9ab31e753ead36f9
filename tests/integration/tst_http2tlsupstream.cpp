// REST routes to HTTP/2 upstreams over TLS (`https://` endpoints with `http2: true`), through
// gatehoused, with curl as the client over HTTP/1.1 and h2c: nghttpd with a test certificate
// (it speaks h2 only, so an answer means ALPN agreed on h2), and an upstream that speaks only
// HTTP/1.1 over TLS, answered 502 with the cause named in the answer and in the daemon's log.
#include "testclient.h"
#include "testgateway.h"
#include "testupstream.h"

#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace Gatehouse;
using namespace Gatehouse::Test;

class tst_Http2TlsUpstream : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();

    void exchanges_data();
    void exchanges();
    void http1OnlyUpstreamIsNamedInTheLog();

private:
    // curl CLIENT ARGS...: "%{http_code} %{size_download}" on stdout, the body in `body`.
    ProcessResult curl(const QString &client, QStringList args, QByteArray *body);

    QString m_curl;
    QTemporaryDir m_docs;
    QProcess m_nghttpd;
    quint16 m_nghttpdPort = 0;
    QByteArray m_file;
    TestUpstream m_http1Only;
    TestProject m_project;
    GatewayUnderTest m_gateway{GatewayMode::Daemon};
};

void tst_Http2TlsUpstream::initTestCase()
{
    m_curl = QStandardPaths::findExecutable(QStringLiteral("curl"));
    const QString nghttpd = QStandardPaths::findExecutable(QStringLiteral("nghttpd"),
                                                           {QStringLiteral("/usr/sbin"), QStringLiteral("/usr/bin")});
    const QString openssl = QStandardPaths::findExecutable(QStringLiteral("openssl"));
    if (m_curl.isEmpty() || nghttpd.isEmpty() || openssl.isEmpty())
        QSKIP("curl, openssl and nghttpd (Debian nghttp2-server) are needed");
    QVERIFY(m_docs.isValid() && m_project.isValid());
    m_file.resize(200 * 1024);
    for (qsizetype i = 0; i < m_file.size(); ++i)
        m_file[i] = char('a' + (i * 7 + i / 1021) % 26);
    QFile file(m_docs.filePath(QStringLiteral("file.txt")));
    QVERIFY(file.open(QIODevice::WriteOnly) && file.write(m_file) == m_file.size());
    file.close();
    const QString key = m_docs.filePath(QStringLiteral("key.pem"));
    const QString cert = m_docs.filePath(QStringLiteral("cert.pem"));
    const ProcessResult made = runProcess(
        openssl, {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("ec"),
                  QStringLiteral("-pkeyopt"), QStringLiteral("ec_paramgen_curve:P-256"), QStringLiteral("-nodes"),
                  QStringLiteral("-keyout"), key, QStringLiteral("-out"), cert, QStringLiteral("-days"),
                  QStringLiteral("2"), QStringLiteral("-subj"), QStringLiteral("/CN=127.0.0.1"),
                  QStringLiteral("-addext"), QStringLiteral("subjectAltName=IP:127.0.0.1")});
    QVERIFY2(made.finished && made.exitCode == 0, qPrintable(made.describe()));

    m_nghttpdPort = unusedPort();
    m_nghttpd.start(nghttpd, {QStringLiteral("-a"), QStringLiteral("127.0.0.1"), QStringLiteral("-d"), m_docs.path(),
                              QStringLiteral("--echo-upload"), QString::number(m_nghttpdPort), key, cert});
    QVERIFY(m_nghttpd.waitForStarted(10'000));
    QVERIFY(waitUntil(
        [this] {
            QTcpSocket probe;
            probe.connectToHost(QHostAddress::LocalHost, m_nghttpdPort);
            return probe.waitForConnected(200);
        },
        10'000));
    const TestUpstream::Tls tls{cert, key};
    QVERIFY(m_http1Only.start(&tls));
    m_http1Only.setDefaultBehaviour("status=200;body=http1");

    // The upstreams' certificate is trusted through upstream.caFile: verification stays on.
    QVERIFY(m_project.write(QStringLiteral("gatehouse.yaml"),
                            settingsYaml("upstream:\n  caFile: " + cert.toUtf8() + "\n  maxRetries: 1\n")));
    const auto endpoint = [](quint16 port) {
        return QStringLiteral("x-gatehouse-production-endpoints:\n  urls: [https://127.0.0.1:%1]\n  http2: true\n")
            .arg(port)
            .toUtf8();
    };
    QVERIFY(m_project.write(QStringLiteral("apis/files.yaml"),
                            apiYaml(QStringLiteral("Files"), QStringLiteral("/files"),
                                    QStringLiteral("https://127.0.0.1:%1").arg(m_nghttpdPort),
                                    {QStringLiteral("/file.txt GET HEAD"), QStringLiteral("/missing.txt GET"),
                                     QStringLiteral("/echo POST")},
                                    endpoint(m_nghttpdPort))));
    QVERIFY(m_project.write(QStringLiteral("apis/legacy.yaml"),
                            apiYaml(QStringLiteral("Legacy"), QStringLiteral("/legacy"),
                                    QStringLiteral("https://127.0.0.1:%1").arg(m_http1Only.port()),
                                    {QStringLiteral("/x GET")}, endpoint(m_http1Only.port()))));
    QVERIFY2(m_gateway.start(m_project.path(), 1), qPrintable(m_gateway.errorString()));
}

void tst_Http2TlsUpstream::cleanupTestCase()
{
    m_gateway.stop();
    m_http1Only.stop();
    m_nghttpd.kill();
    m_nghttpd.waitForFinished(5'000);
}

ProcessResult tst_Http2TlsUpstream::curl(const QString &client, QStringList args, QByteArray *body)
{
    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("body"));
    args.replaceInStrings(QStringLiteral("{gw}"), QStringLiteral("http://127.0.0.1:%1").arg(m_gateway.httpPort()));
    ProcessResult r = runProcess(m_curl, QStringList{QStringLiteral("-s"), client, QStringLiteral("--max-time"),
                                                     QStringLiteral("30"), QStringLiteral("-o"), out,
                                                     QStringLiteral("-w"), QStringLiteral("%{http_code} %{size_download}")}
                                             + args,
                                 40'000);
    QFile f(out);
    *body = f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    return r;
}

void tst_Http2TlsUpstream::exchanges_data()
{
    QTest::addColumn<QString>("client");
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QByteArray>("status");
    QTest::addColumn<QByteArray>("body");   // "{file}": the served file; "~TEXT": contains TEXT
    for (const char *client : {"--http1.1", "--http2-prior-knowledge"}) {
        const QString c = QString::fromLatin1(client);
        const char *over = c == u"--http1.1" ? "over HTTP/1.1" : "over h2c";
        QTest::addRow("a GET through an h2 upstream over TLS is answered whole %s", over)
            << c << QStringList{QStringLiteral("{gw}/files/file.txt")} << QByteArray("200") << QByteArray("{file}");
        QTest::addRow("a missing file is the TLS upstream's 404 %s", over)
            << c << QStringList{QStringLiteral("{gw}/files/missing.txt")} << QByteArray("404") << QByteArray("~404");
        QTest::addRow("a POST body is echoed by the TLS upstream %s", over)
            << c << QStringList{QStringLiteral("--data-binary"), QStringLiteral("over tls"), QStringLiteral("{gw}/files/echo")}
            << QByteArray("200") << QByteArray("over tls");
    }
    QTest::newRow("an https upstream that speaks only HTTP/1.1 is a 502 that names the cause, over h2c")
        << QStringLiteral("--http2-prior-knowledge") << QStringList{QStringLiteral("{gw}/legacy/x")}
        << QByteArray("502") << QByteArray("~does not speak HTTP/2");
    QTest::newRow("an https upstream that speaks only HTTP/1.1 is a 502 that names the cause, over HTTP/1.1")
        << QStringLiteral("--http1.1") << QStringList{QStringLiteral("{gw}/legacy/x")} << QByteArray("502")
        << QByteArray("~does not speak HTTP/2");
}

void tst_Http2TlsUpstream::exchanges()
{
    QFETCH(QString, client);
    QFETCH(QStringList, args);
    QFETCH(QByteArray, status);
    QFETCH(QByteArray, body);
    QByteArray received;
    const ProcessResult r = curl(client, args, &received);
    QVERIFY2(r.finished && r.exitCode == 0, qPrintable(r.describe()));
    QCOMPARE(r.out.split(' ').value(0), status);
    if (body == "{file}")
        QCOMPARE(received, m_file);
    else if (body.startsWith('~'))
        QVERIFY2(received.contains(body.mid(1)), received);
    else
        QCOMPARE(received, body);
}

void tst_Http2TlsUpstream::http1OnlyUpstreamIsNamedInTheLog()
{
    // The rows above called it: one warning names the endpoint and what its handshake agreed on.
    QByteArray log;
    QVERIFY(waitUntil(
        [&] {
            log = m_gateway.daemonStderr();
            return log.contains("does not speak HTTP/2");
        },
        10'000));
    const QByteArray expected = "upstream https://127.0.0.1:" + QByteArray::number(m_http1Only.port())
                                + " does not speak HTTP/2";
    QVERIFY2(log.contains(expected), log);
    QVERIFY2(log.count("does not speak HTTP/2") == 1, log);   // not one line per call
    QCOMPARE(m_http1Only.requestCount(), 0);   // nothing was sent to it as HTTP/2 or otherwise
}

QTEST_GUILESS_MAIN(tst_Http2TlsUpstream)
#include "tst_http2tlsupstream.moc"
