// response-cache revalidation and invalidation through the real gateway (in-process and
// gatehoused) against nginx serving static files, a peer we did not write: its ETag and
// Last-Modified validate stored entries (304 answers the client with the stored body, a changed
// file replaces it), a client's own conditional request is answered 304 from a fresh entry or
// forwarded to nginx, a HEAD revalidates the stored GET response (and never stores a body),
// HTTP/2 clients get the same, and a successful POST or DELETE invalidates the target and its
// Location. nginx's access log tells what reached it.
#include "testgateway.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace Gatehouse;
using namespace Gatehouse::Test;

namespace {

// nginx as a single process on a free loopback port, logging method, target, status and the
// validators it was sent.
class Nginx
{
public:
    bool start()
    {
        const QString nginx = QStandardPaths::findExecutable(QStringLiteral("nginx"), {QStringLiteral("/usr/sbin")});
        if (nginx.isEmpty() || !m_dir.isValid())
            return false;
        QDir(m_dir.path()).mkpath(QStringLiteral("tmp"));
        for (int attempt = 0; attempt < 3; ++attempt) {
            m_port = unusedPort();
            m_h2Port = unusedPort();
            const QByteArray p = m_dir.path().toUtf8();
            const QByteArray conf = "master_process off;\ndaemon off;\npid " + p + "/nginx.pid;\n"
                                    "error_log " + p + "/error.log warn;\nevents { worker_connections 256; }\nhttp {\n"
                                    "  log_format cache '$request_method $request_uri $status \"$http_if_none_match\"';\n"
                                    "  access_log " + p + "/access.log cache;\n"
                                    "  client_body_temp_path " + p + "/tmp/body;\n  proxy_temp_path " + p + "/tmp/proxy;\n"
                                    "  fastcgi_temp_path " + p + "/tmp/fcgi;\n  uwsgi_temp_path " + p + "/tmp/uwsgi;\n"
                                    "  scgi_temp_path " + p + "/tmp/scgi;\n  default_type application/json;\n"
                                    "  server {\n    listen 127.0.0.1:" + QByteArray::number(m_port) + ";\n"
                                    "    root " + p + "/www;\n"
                                    "    location /c/nocache/ { add_header Cache-Control no-cache; }\n"
                                    "    location /c/fresh/ {\n      expires 1h;\n"
                                    "      if ($request_method = POST) { add_header Location $uri.copy; return 201; }\n"
                                    "      if ($request_method = DELETE) { return 204; }\n    }\n"
                                    "    location /c/static/ { }\n  }\n"
                                    // The same files over h2c (prior knowledge), for HTTP/2 upstreams.
                                    "  server {\n    listen 127.0.0.1:" + QByteArray::number(m_h2Port) + " http2;\n"
                                    "    root " + p + "/www;\n  }\n}\n";
            if (!writeTestFile(m_dir.filePath(QStringLiteral("nginx.conf")), conf))
                return false;
            m_process = std::make_unique<QProcess>();
            m_process->setProcessChannelMode(QProcess::MergedChannels);
            m_process->start(nginx, {QStringLiteral("-p"), m_dir.path() + u'/', QStringLiteral("-e"),
                                     m_dir.filePath(QStringLiteral("error.log")), QStringLiteral("-c"),
                                     m_dir.filePath(QStringLiteral("nginx.conf"))});
            if (!m_process->waitForStarted())
                return false;
            // Listening once a connection succeeds; a port taken meanwhile makes nginx exit: retry.
            for (int i = 0; i < 100 && m_process->state() == QProcess::Running; ++i) {
                QTcpSocket probe;
                probe.connectToHost(QHostAddress::LocalHost, m_port);
                QTcpSocket h2Probe;
                h2Probe.connectToHost(QHostAddress::LocalHost, m_h2Port);
                if (probe.waitForConnected(100) && h2Probe.waitForConnected(100))
                    return true;
                QTest::qWait(50);
            }
            stop();
        }
        return false;
    }
    void stop()
    {
        if (!m_process)
            return;
        m_process->kill();
        m_process->waitForFinished();
        m_process.reset();
    }
    QString url() const { return QStringLiteral("http://127.0.0.1:%1/c").arg(m_port); }
    QString h2cUrl() const { return QStringLiteral("h2c://127.0.0.1:%1/c").arg(m_h2Port); }
    bool writeFile(const QString &relative, const QByteArray &content) const
    {
        return writeTestFile(m_dir.filePath(QStringLiteral("www/c/") + relative), content);
    }
    // Access-log lines containing `needle` ("GET /c/static/a-1.json 304").
    int logged(const QByteArray &needle) const
    {
        int n = 0;
        for (const QByteArray &line : readTestFile(m_dir.filePath(QStringLiteral("access.log"))).split('\n'))
            n += line.contains(needle) ? 1 : 0;
        return n;
    }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<QProcess> m_process;
    quint16 m_port = 0;
    quint16 m_h2Port = 0;
};

} // namespace

class tst_CacheRevalidationProxy : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase_data() { addGatewayModeRows(); }
    void initTestCase();
    void cleanupTestCase();

    void staleEntriesAreRevalidatedWithNginx_data();
    void staleEntriesAreRevalidatedWithNginx();
    void revalidationOverHttp2_data();
    void revalidationOverHttp2();
    void clientsConditionalRequests();
    void headRevalidatesTheStoredResponse();
    void unsafeRequestsInvalidate_data();
    void unsafeRequestsInvalidate();

private:
    GatewayUnderTest &gateway() { return m_gateways.current(); }
    // A file of its own per gateway mode: the two gateways have separate stores, nginx one log.
    static QByteArray file(const QByteArray &folder, const QByteArray &name)
    {
        return folder + '/' + name + '-' + QByteArray::number(int(currentGatewayMode())) + ".json";
    }
    HttpResponse get(const QByteArray &relative, const FieldPairs &headers = {})
    {
        return httpRequest(gateway().httpPort(), "GET", "/c/" + relative, headers);
    }
    Nginx m_nginx;
    TestProject m_project;
    GatewayPair m_gateways;
};

void tst_CacheRevalidationProxy::initTestCase()
{
    if (!m_nginx.start())
        QSKIP("nginx is not installed or could not start (apt-get install -y nginx-light)");
    QVERIFY(m_project.isValid());
    QVERIFY(m_project.write(QStringLiteral("gatehouse.yaml"), settingsYaml()));
    // The policy at API level: the unsafe operations carry it too, so they invalidate.
    QVERIFY(m_project.write(QStringLiteral("apis/files.yaml"),
                            apiYaml(QStringLiteral("Files"), QStringLiteral("/c"), m_nginx.url(),
                                    {QStringLiteral("/static/{name} get"), QStringLiteral("/nocache/{name} get"),
                                     QStringLiteral("/fresh/{name} get post put delete")},
                                    "x-gatehouse-request-policies:\n  - {name: response-cache}\n")));
    // The same files through an HTTP/2 upstream (h2c), under /h2.
    QVERIFY(m_project.write(QStringLiteral("apis/files-h2.yaml"),
                            apiYaml(QStringLiteral("FilesH2"), QStringLiteral("/h2"), m_nginx.h2cUrl(),
                                    {QStringLiteral("/static/{name} get")},
                                    "x-gatehouse-request-policies:\n  - {name: response-cache}\n")));
    QString error;
    // One worker: each worker keeps its own store, and the assertions count what reached nginx.
    QVERIFY2(m_gateways.start(m_project.path(), &error, 1), qPrintable(error));
}

void tst_CacheRevalidationProxy::cleanupTestCase()
{
    m_gateways.stop();
    m_nginx.stop();
}

void tst_CacheRevalidationProxy::staleEntriesAreRevalidatedWithNginx_data()
{
    QTest::addColumn<QByteArray>("folder");
    QTest::newRow("a static file without freshness is stored stale") << QByteArray("static");
    QTest::newRow("a no-cache answer is stored and always revalidated") << QByteArray("nocache");
}

void tst_CacheRevalidationProxy::staleEntriesAreRevalidatedWithNginx()
{
    QFETCH(QByteArray, folder);
    const QByteArray name = file(folder, "a");
    QVERIFY(m_nginx.writeFile(QString::fromUtf8(name), "{\"version\": 1}"));
    const HttpResponse first = get(name);
    QVERIFY2(first.status == 200, qPrintable(first.describe()));
    QCOMPARE(first.body, QByteArray("{\"version\": 1}"));
    QCOMPARE(first.header("cache-status"), QByteArray("gatehouse; fwd=uri-miss; stored"));
    QVERIFY(!first.header("etag").isEmpty());
    for (int i = 0; i < 3; ++i) {
        const HttpResponse again = get(name);
        QVERIFY2(again.status == 200 && again.complete, qPrintable(again.describe()));
        QCOMPARE(again.body, first.body);
        QCOMPARE(again.header("cache-status"), QByteArray("gatehouse; fwd=stale; fwd-status=304"));
        QCOMPARE(again.header("etag"), first.header("etag"));
        QCOMPARE(again.header("content-type"), QByteArray("application/json"));
        QCOMPARE(again.header("content-length"), QByteArray::number(first.body.size()));
    }
    // nginx answered the gateway's If-None-Match (the stored ETag; nginx logs quotes as \x22)
    // with 304 three times.
    const QByteArray etag = first.header("etag").replace('"', "\\x22");
    QTRY_COMPARE(m_nginx.logged("GET /c/" + name + " 304 \"" + etag + '"'), 3);
    // A changed file (another size: another ETag) replaces the entry.
    QVERIFY(m_nginx.writeFile(QString::fromUtf8(name), "{\"version\": 2, \"longer\": true}"));
    const HttpResponse changed = get(name);
    QCOMPARE(changed.status, 200);
    QCOMPARE(changed.body, QByteArray("{\"version\": 2, \"longer\": true}"));
    QCOMPARE(changed.header("cache-status"), QByteArray("gatehouse; fwd=stale; fwd-status=200; stored"));
    QVERIFY(changed.header("etag") != first.header("etag"));
    const HttpResponse confirmed = get(name);
    QCOMPARE(confirmed.body, changed.body);
    QCOMPARE(confirmed.header("cache-status"), QByteArray("gatehouse; fwd=stale; fwd-status=304"));
}

void tst_CacheRevalidationProxy::revalidationOverHttp2_data()
{
    QTest::addColumn<QString>("client");
    QTest::addColumn<QByteArray>("api");
    QTest::addColumn<QByteArray>("name");
    QTest::newRow("an HTTP/2 client, an HTTP/1.1 upstream") << QStringLiteral("--http2-prior-knowledge") << QByteArray("c")
                                                            << QByteArray("h2-client");
    QTest::newRow("an HTTP/1.1 client, an HTTP/2 upstream") << QStringLiteral("--http1.1") << QByteArray("h2")
                                                            << QByteArray("h2-upstream");
    QTest::newRow("an HTTP/2 client, an HTTP/2 upstream") << QStringLiteral("--http2-prior-knowledge") << QByteArray("h2")
                                                          << QByteArray("h2-both");
}

void tst_CacheRevalidationProxy::revalidationOverHttp2()
{
    const QString curl = QStandardPaths::findExecutable(QStringLiteral("curl"));
    if (curl.isEmpty())
        QSKIP("curl is not installed");
    QFETCH(QString, client);
    QFETCH(QByteArray, api);
    QFETCH(QByteArray, name);
    name = file("static", name);
    QVERIFY(m_nginx.writeFile(QString::fromUtf8(name), "{\"over\": \"h2\"}"));
    const QString url = QStringLiteral("http://127.0.0.1:%1/%2/").arg(gateway().httpPort()).arg(QString::fromUtf8(api))
                      + QString::fromUtf8(name);
    for (int i = 0; i < 3; ++i) {
        const ProcessResult r = runProcess(curl, {QStringLiteral("-sS"), client, QStringLiteral("-D"), QStringLiteral("-"), url});
        QVERIFY2(r.finished && r.exitCode == 0 && r.out.endsWith("{\"over\": \"h2\"}"), qPrintable(r.describe()));
        QVERIFY2(r.out.startsWith(client == u"--http1.1" ? "HTTP/1.1 200" : "HTTP/2 200"), r.out.constData());
        const QByteArray status = i == 0 ? "cache-status: gatehouse; fwd=uri-miss; stored"
                                         : "cache-status: gatehouse; fwd=stale; fwd-status=304";
        QVERIFY2(r.out.toLower().contains(status), r.out.constData());
    }
    QTRY_COMPARE(m_nginx.logged("GET /c/" + name + " 304 "), 2);
    // A HEAD is revalidated the same way, and answered without a body.
    const ProcessResult head = runProcess(curl, {QStringLiteral("-sS"), client, QStringLiteral("-I"), url});
    QVERIFY2(head.finished && head.exitCode == 0, qPrintable(head.describe()));
    QVERIFY2(head.out.toLower().contains("cache-status: gatehouse; fwd=stale; fwd-status=304"), head.out.constData());
    QVERIFY2(head.out.toLower().contains("content-length: 14"), head.out.constData());
    QTRY_COMPARE(m_nginx.logged("HEAD /c/" + name + " 304 "), 1);
}

void tst_CacheRevalidationProxy::clientsConditionalRequests()
{
    // A fresh entry (expires 1h) answers a matching If-None-Match itself: 304, nginx not asked.
    const QByteArray fresh = file("fresh", "cond");
    QVERIFY(m_nginx.writeFile(QString::fromUtf8(fresh), "{\"fresh\": true}"));
    const HttpResponse stored = get(fresh);
    QCOMPARE(stored.header("cache-status"), QByteArray("gatehouse; fwd=uri-miss; stored"));
    const HttpResponse notModified = get(fresh, {{"If-None-Match", stored.header("etag")}});
    QVERIFY2(notModified.status == 304 && notModified.complete, qPrintable(notModified.describe()));
    QVERIFY(notModified.body.isEmpty());
    QCOMPARE(notModified.header("etag"), stored.header("etag"));
    QVERIFY(notModified.header("cache-status").startsWith("gatehouse; hit; ttl="));
    const HttpResponse other = get(fresh, {{"If-None-Match", "\"not-it\""}});
    QCOMPARE(other.status, 200);
    QCOMPARE(other.body, stored.body);
    QTRY_COMPARE(m_nginx.logged("GET /c/" + fresh + " "), 1);

    // On a stale entry the client's own validators go to nginx, and its 304 to the client.
    const QByteArray stale = file("static", "cond");
    QVERIFY(m_nginx.writeFile(QString::fromUtf8(stale), "{\"stale\": true}"));
    const HttpResponse first = get(stale);
    const HttpResponse own = get(stale, {{"If-None-Match", first.header("etag")}});
    QVERIFY2(own.status == 304 && own.complete && own.body.isEmpty(), qPrintable(own.describe()));
    QCOMPARE(own.header("cache-status"), QByteArray("gatehouse; fwd=stale"));
    // The connection stays usable after a forwarded 304 (no body was expected of it).
    HttpConnection connection;
    QVERIFY(connection.connectTo(gateway().httpPort()));
    const QByteArray conditional = "GET /c/" + stale + " HTTP/1.1\r\nHost: t\r\nIf-None-Match: " + first.header("etag") + "\r\n\r\n";
    for (int i = 0; i < 2; ++i) {
        connection.write(conditional);
        const HttpResponse r = connection.readResponse();
        QVERIFY2(r.status == 304 && r.complete, qPrintable(r.describe()));
    }
    connection.write("GET /c/" + stale + " HTTP/1.1\r\nHost: t\r\n\r\n");
    const HttpResponse plain = connection.readResponse();
    QCOMPARE(plain.status, 200);
    QCOMPARE(plain.body, QByteArray("{\"stale\": true}"));
}

void tst_CacheRevalidationProxy::headRevalidatesTheStoredResponse()
{
    // RFC 9111 §4.3: a HEAD on a stale entry with validators asks nginx with a conditional HEAD;
    // the 304 answers it from the stored GET response, without a body.
    const QByteArray name = file("static", "head");
    const QByteArray content = "{\"head\": true}";
    QVERIFY(m_nginx.writeFile(QString::fromUtf8(name), content));
    const HttpResponse stored = get(name);
    QCOMPARE(stored.header("cache-status"), QByteArray("gatehouse; fwd=uri-miss; stored"));
    HttpConnection connection;
    QVERIFY(connection.connectTo(gateway().httpPort()));
    for (int i = 0; i < 2; ++i) {
        connection.write("HEAD /c/" + name + " HTTP/1.1\r\nHost: t\r\n\r\n");
        const HttpResponse head = connection.readResponse("HEAD");
        QVERIFY2(head.status == 200 && head.complete && head.body.isEmpty(), qPrintable(head.describe()));
        QCOMPARE(head.header("cache-status"), QByteArray("gatehouse; fwd=stale; fwd-status=304"));
        QCOMPARE(head.header("etag"), stored.header("etag"));
        QCOMPARE(head.header("content-length"), QByteArray::number(content.size()));
        QCOMPARE(head.header("content-type"), QByteArray("application/json"));
    }
    // No body followed those answers: the connection carries on, and the entry still has its body.
    connection.write("GET /c/" + name + " HTTP/1.1\r\nHost: t\r\n\r\n");
    const HttpResponse after = connection.readResponse();
    QCOMPARE(after.body, content);
    QCOMPARE(after.header("cache-status"), QByteArray("gatehouse; fwd=stale; fwd-status=304"));
    const QByteArray etag = stored.header("etag").replace('"', "\\x22");
    QTRY_COMPARE(m_nginx.logged("HEAD /c/" + name + " 304 \"" + etag + '"'), 2);

    // A changed file: nginx answers the HEAD 200 with another ETag. The HEAD stores nothing (it
    // has no body) and the stored response is out of date (§4.3.5): the next GET fetches it whole.
    const QByteArray changed = "{\"head\": \"changed\"}";
    QVERIFY(m_nginx.writeFile(QString::fromUtf8(name), changed));
    const HttpResponse head = httpRequest(gateway().httpPort(), "HEAD", "/c/" + name, {});
    QVERIFY2(head.status == 200 && head.body.isEmpty(), qPrintable(head.describe()));
    QCOMPARE(head.header("content-length"), QByteArray::number(changed.size()));
    QCOMPARE(head.header("cache-status"), QByteArray("gatehouse; fwd=stale"));
    const HttpResponse refetched = get(name);
    QCOMPARE(refetched.body, changed);
    QCOMPARE(refetched.header("cache-status"), QByteArray("gatehouse; fwd=uri-miss; stored"));
}

void tst_CacheRevalidationProxy::unsafeRequestsInvalidate_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<int>("status");
    QTest::addColumn<bool>("locationGone");
    QTest::newRow("a POST answered 201 invalidates the target and its Location") << QByteArray("POST") << 201 << true;
    QTest::newRow("a DELETE answered 204 invalidates the target") << QByteArray("DELETE") << 204 << false;
}

void tst_CacheRevalidationProxy::unsafeRequestsInvalidate()
{
    QFETCH(QByteArray, method);
    QFETCH(int, status);
    QFETCH(bool, locationGone);
    const QByteArray target = file("fresh", "item-" + method.toLower());
    const QByteArray copy = target + ".copy";   // nginx's Location for a POST
    QVERIFY(m_nginx.writeFile(QString::fromUtf8(target), "{\"item\": 1}"));
    QVERIFY(m_nginx.writeFile(QString::fromUtf8(copy), "{\"copy\": 1}"));
    for (const QByteArray &name : {target, copy}) {
        QCOMPARE(get(name).header("cache-status"), QByteArray("gatehouse; fwd=uri-miss; stored"));
        QVERIFY(get(name).header("cache-status").startsWith("gatehouse; hit"));
    }
    const HttpResponse change = httpRequest(gateway().httpPort(), method, "/c/" + target, {});
    QVERIFY2(change.status == status, qPrintable(change.describe()));
    QCOMPARE(get(target).header("cache-status"), QByteArray("gatehouse; fwd=uri-miss; stored"));
    QCOMPARE(get(copy).header("cache-status").startsWith("gatehouse; hit"), !locationGone);
    // A refused unsafe request (nginx answers 405 to PUT on a static file) invalidates nothing.
    QCOMPARE(httpRequest(gateway().httpPort(), "PUT", "/c/" + target, {}).status, 405);
    QVERIFY(get(target).header("cache-status").startsWith("gatehouse; hit"));
}

QTEST_MAIN(tst_CacheRevalidationProxy)
#include "tst_cacherevalidationproxy.moc"
