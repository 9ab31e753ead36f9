// REST routes whose endpoints speak HTTP/2 (h2c:// URLs), through gatehoused, with curl as the client
// over HTTP/1.1 and over h2c: files served by nghttpd (nghttp2's own server; GET, HEAD, 404, uploads
// echoed), a 20 MB body up and down with the daemon's RSS flat, one upstream connection carrying
// every request, and an upstream that resets the streams (an upstream built on the gateway's own
// server session, since nghttpd cannot be asked to) answered 502.
#include "h2testupstream.h"
#include "testclient.h"
#include "testgateway.h"

#include <QCryptographicHash>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace Gatehouse;
using namespace Gatehouse::Test;

namespace {

constexpr qint64 kLargeBytes = 20 * 1000 * 1000;
constexpr qint64 kRssBoundKiB = 8 * 1024;   // growth allowed while 2 × 20 MB flow through

QByteArray pattern(qint64 size)
{
    QByteArray bytes(size, Qt::Uninitialized);
    for (qint64 i = 0; i < size; ++i)
        bytes[i] = char('a' + (i * 7 + i / 4093) % 26);
    return bytes;
}

} // namespace

class tst_Http2Rest : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();

    void exchanges_data();
    void exchanges();
    void largeBodyBothWaysKeepsMemoryFlat_data();
    void largeBodyBothWaysKeepsMemoryFlat();
    void requestsShareOneUpstreamConnection();
    void upstreamResetIsBadGateway_data();
    void upstreamResetIsBadGateway();

private:
    // curl CLIENT ARGS...: "%{http_code} %{size_download}" on stdout, the body in `body`.
    ProcessResult curl(const QString &client, QStringList args, QByteArray *body = nullptr);

    QString m_curl;
    QString m_nghttpd;
    QTemporaryDir m_docs;
    QProcess m_server;
    quint16 m_serverPort = 0;
    QByteArray m_file;
    H2TestUpstream m_resetting;
    TestProject m_project;
    GatewayUnderTest m_gateway{GatewayMode::Daemon};
};

void tst_Http2Rest::initTestCase()
{
    m_curl = QStandardPaths::findExecutable(QStringLiteral("curl"));
    m_nghttpd = QStandardPaths::findExecutable(QStringLiteral("nghttpd"), {QStringLiteral("/usr/sbin"),
                                                                           QStringLiteral("/usr/bin")});
    if (m_curl.isEmpty() || m_nghttpd.isEmpty())
        QSKIP("curl and nghttpd (Debian nghttp2-server) are needed");
    QVERIFY(m_docs.isValid() && m_project.isValid());
    m_file = pattern(300 * 1024);
    QFile file(m_docs.filePath(QStringLiteral("file.txt")));
    QVERIFY(file.open(QIODevice::WriteOnly) && file.write(m_file) == m_file.size());
    file.close();
    QFile large(m_docs.filePath(QStringLiteral("large.bin")));
    QVERIFY(large.open(QIODevice::WriteOnly) && large.write(pattern(kLargeBytes)) == kLargeBytes);
    large.close();

    m_serverPort = unusedPort();
    m_server.start(m_nghttpd, {QStringLiteral("-a"), QStringLiteral("127.0.0.1"), QStringLiteral("-d"), m_docs.path(),
                               QStringLiteral("--echo-upload"), QStringLiteral("--no-tls"),
                               QString::number(m_serverPort)});
    QVERIFY(m_server.waitForStarted(10'000));
    QVERIFY(waitUntil(
        [this] {
            QTcpSocket probe;
            probe.connectToHost(QHostAddress::LocalHost, m_serverPort);
            return probe.waitForConnected(200);
        },
        10'000));
    QVERIFY(m_resetting.start());

    QVERIFY(m_project.write(QStringLiteral("gatehouse.yaml"), settingsYaml()));
    QVERIFY(m_project.write(QStringLiteral("apis/files.yaml"),
                            apiYaml(QStringLiteral("Files"), QStringLiteral("/files"),
                                    QStringLiteral("h2c://127.0.0.1:%1").arg(m_serverPort),
                                    {QStringLiteral("/file.txt GET HEAD"), QStringLiteral("/missing.txt GET"), QStringLiteral("/large.bin GET"),
                                     QStringLiteral("/echo POST PUT")})));
    QVERIFY(m_project.write(QStringLiteral("apis/ok.yaml"),
                            apiYaml(QStringLiteral("Ok"), QStringLiteral("/ok"),
                                    QStringLiteral("h2c://127.0.0.1:%1").arg(m_resetting.port()),
                                    {QStringLiteral("/x GET POST")})));
    // One worker: its pool is the one whose connections are counted.
    QVERIFY2(m_gateway.start(m_project.path(), 1), qPrintable(m_gateway.errorString()));
}

void tst_Http2Rest::cleanupTestCase()
{
    m_gateway.stop();
    m_server.kill();
    m_server.waitForFinished(5'000);
}

ProcessResult tst_Http2Rest::curl(const QString &client, QStringList args, QByteArray *body)
{
    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("body"));
    args.replaceInStrings(QStringLiteral("{gw}"), QStringLiteral("http://127.0.0.1:%1").arg(m_gateway.httpPort()));
    ProcessResult r = runProcess(m_curl, QStringList{QStringLiteral("-s"), client, QStringLiteral("--max-time"),
                                                     QStringLiteral("60"), QStringLiteral("-o"), out,
                                                     QStringLiteral("-w"), QStringLiteral("%{http_code} %{size_download}")}
                                             + args,
                                 70'000);
    if (body) {
        QFile f(out);
        *body = f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }
    return r;
}

void tst_Http2Rest::exchanges_data()
{
    QTest::addColumn<QString>("client");
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QByteArray>("status");
    QTest::addColumn<QByteArray>("body");   // "{file}": the served file
    for (const char *client : {"--http1.1", "--http2-prior-knowledge"}) {
        const QString c = QString::fromLatin1(client);
        const char *over = c == u"--http1.1" ? "over HTTP/1.1" : "over h2c";
        QTest::addRow("a GET of a file is answered whole %s", over)
            << c << QStringList{QStringLiteral("{gw}/files/file.txt")} << QByteArray("200") << QByteArray("{file}");
        QTest::addRow("a HEAD is answered without a body %s", over)
            << c << QStringList{QStringLiteral("-I"), QStringLiteral("{gw}/files/file.txt")} << QByteArray("200")
            << QByteArray();
        QTest::addRow("a missing file is the upstream's 404 %s", over)
            << c << QStringList{QStringLiteral("{gw}/files/missing.txt")} << QByteArray("404") << QByteArray("*");
        QTest::addRow("a POST body is echoed %s", over)
            << c << QStringList{QStringLiteral("--data-binary"), QStringLiteral("hello h2 upstream"),
                                QStringLiteral("{gw}/files/echo")}
            << QByteArray("200") << QByteArray("hello h2 upstream");
    }
    QTest::newRow("a chunked POST body is echoed over HTTP/1.1")
        << QStringLiteral("--http1.1")
        << QStringList{QStringLiteral("-H"), QStringLiteral("Transfer-Encoding: chunked"), QStringLiteral("--data-binary"),
                       QStringLiteral("no length given"), QStringLiteral("{gw}/files/echo")}
        << QByteArray("200") << QByteArray("no length given");
}

void tst_Http2Rest::exchanges()
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
    else if (body == "*")
        QVERIFY(!received.isEmpty());
    else if (args.contains(QStringLiteral("-I")))
        QVERIFY2(received.toLower().contains("content-length: " + QByteArray::number(m_file.size())), received);
    else
        QCOMPARE(received, body);
}

void tst_Http2Rest::largeBodyBothWaysKeepsMemoryFlat_data()
{
    QTest::addColumn<QString>("client");
    QTest::addColumn<QStringList>("args");   // "{large}": the 20 MB file
    QTest::addColumn<qint64>("downloaded");
    for (const char *client : {"--http1.1", "--http2-prior-knowledge"}) {
        const QString c = QString::fromLatin1(client);
        const char *over = c == u"--http1.1" ? "over HTTP/1.1" : "over h2c";
        QTest::addRow("a 20 MB upload echoed back %s", over)
            << c << QStringList{QStringLiteral("-T"), QStringLiteral("{large}"), QStringLiteral("{gw}/files/echo")}
            << kLargeBytes;
        QTest::addRow("a 20 MB upload to an upstream that answers ok %s", over)
            << c << QStringList{QStringLiteral("-X"), QStringLiteral("POST"), QStringLiteral("-T"),
                                QStringLiteral("{large}"), QStringLiteral("{gw}/ok/x")}
            << qint64(2);
        QTest::addRow("a 20 MB download %s", over)
            << c << QStringList{QStringLiteral("{gw}/files/large.bin")} << kLargeBytes;
    }
}

void tst_Http2Rest::largeBodyBothWaysKeepsMemoryFlat()
{
    QFETCH(QString, client);
    QFETCH(QStringList, args);
    QFETCH(qint64, downloaded);
    args.replaceInStrings(QStringLiteral("{large}"), m_docs.filePath(QStringLiteral("large.bin")));
    const qint64 pid = m_gateway.pid();
    const qint64 baseline = residentKiB(pid);
    QVERIFY(baseline > 0);
    qint64 peak = baseline;
    QTimer sampler;
    QObject::connect(&sampler, &QTimer::timeout, &sampler, [&] { peak = qMax(peak, residentKiB(pid)); });
    sampler.start(20);
    QByteArray received;
    const ProcessResult r = curl(client, args, &received);
    sampler.stop();
    QVERIFY2(r.finished && r.exitCode == 0, qPrintable(r.describe()));
    QCOMPARE(r.out, QByteArray("200 " + QByteArray::number(downloaded)));
    if (downloaded == kLargeBytes) {
        QCOMPARE(QCryptographicHash::hash(received, QCryptographicHash::Sha256),
                 QCryptographicHash::hash(pattern(kLargeBytes), QCryptographicHash::Sha256));
    }
    qInfo("gatehoused RSS %lld KiB before, %lld KiB at the peak", baseline, peak);
    if (kAddressSanitizer) {
        qInfo("the RSS bound is not checked: AddressSanitizer keeps freed memory in quarantine");
        return;
    }
    QVERIFY2(peak - baseline < kRssBoundKiB,
             qPrintable(QStringLiteral("RSS grew by %1 KiB while streaming").arg(peak - baseline)));
}

void tst_Http2Rest::requestsShareOneUpstreamConnection()
{
    const int before = m_resetting.connectionsAccepted();   // the uploads above opened one
    QVERIFY(before <= 1);
    for (int i = 0; i < 3; ++i) {
        for (const QString &client : {QStringLiteral("--http1.1"), QStringLiteral("--http2-prior-knowledge")}) {
            QByteArray received;
            const ProcessResult r = curl(client, {QStringLiteral("{gw}/ok/x")}, &received);
            QVERIFY2(r.finished && r.exitCode == 0, qPrintable(r.describe()));
            QCOMPARE(r.out, QByteArray("200 2"));
            QCOMPARE(received, QByteArray("ok"));
        }
    }
    QCOMPARE(m_resetting.connectionsAccepted(), 1);   // (none closed: idleTimeout is 60 s)
}

void tst_Http2Rest::upstreamResetIsBadGateway_data()
{
    QTest::addColumn<QString>("client");
    QTest::addColumn<QStringList>("args");
    QTest::newRow("a GET whose upstream stream is reset, over HTTP/1.1")
        << QStringLiteral("--http1.1") << QStringList{QStringLiteral("{gw}/ok/x")};
    QTest::newRow("a GET whose upstream stream is reset, over h2c")
        << QStringLiteral("--http2-prior-knowledge") << QStringList{QStringLiteral("{gw}/ok/x")};
    QTest::newRow("a POST whose upstream stream is reset, over h2c")
        << QStringLiteral("--http2-prior-knowledge")
        << QStringList{QStringLiteral("--data-binary"), QStringLiteral("body"), QStringLiteral("{gw}/ok/x")};
}

void tst_Http2Rest::upstreamResetIsBadGateway()
{
    QFETCH(QString, client);
    QFETCH(QStringList, args);
    m_resetting.resetStreamsWith(0x2);   // INTERNAL_ERROR
    const int resetsBefore = m_resetting.streamsReset();
    QByteArray received;
    const ProcessResult r = curl(client, args, &received);
    QVERIFY2(r.finished && r.exitCode == 0, qPrintable(r.describe()));
    QCOMPARE(r.out.split(' ').value(0), QByteArray("502"));
    QVERIFY2(received.contains("Bad gateway"), received);
    QCOMPARE(m_resetting.streamsReset(), resetsBefore + 1);
}

QTEST_GUILESS_MAIN(tst_Http2Rest)
#include "tst_http2rest.moc"
