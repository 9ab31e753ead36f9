// HTTP/2 clients through gatehoused: curl (h2c by prior knowledge and by Upgrade, h2 over TLS by
// ALPN), nghttp (concurrent streams, trailers, cookies), h2load, large transfers with flat memory,
// the h2spec fuzzing corpus replayed, hostile clients (Rapid Reset, CONTINUATION and PING floods)
// and a graceful GOAWAY when gatehoused drains; uploads whose upstream stalls hold back their own
// stream only.
#include "testgateway.h"
#include "testupstream.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace Gatehouse;
using namespace Gatehouse::Test;

class tst_Http2 : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();

    void curlSpeaksHttp2_data();
    void curlSpeaksHttp2();
    void upgradeWithABodyStaysHttp11();
    void requestIsTranslatedForHttp11Upstreams();
    void gatewayErrorsAreJson_data();
    void gatewayErrorsAreJson();
    void requestBodiesReachTheUpstream_data();
    void requestBodiesReachTheUpstream();
    void trailersArriveAsTrailingHeaders();
    void manyConcurrentStreams();
    void streamsAreCountedInMetrics();
    void h2loadShortRun();
    void largeTransfersKeepMemoryFlat_data();
    void largeTransfersKeepMemoryFlat();
    void oversizedHeaderListGets431();
    void stalledUploadsDoNotStallOtherStreams();
    void hostileClientsAreContained_data();
    void hostileClientsAreContained();
    void abortedStreamsLeakNothing_data();
    void abortedStreamsLeakNothing();
    void h2specCorpusReplay();
    // Last: it stops the gateway.
    void drainSendsGoawayAndFinishesStreams();

private:
    QString url(const QString &path, bool tls = false) const;
    ProcessResult curl(const QStringList &arguments, int timeoutMs = 60'000);
    ProcessResult nghttp(const QStringList &arguments, int timeoutMs = 60'000);
    ProcessResult rawClient(const QStringList &arguments, int timeoutMs = 60'000);
    int activeConnections() { return m_gateway.admin("GET", "/health").json().value(QStringLiteral("activeConnections")).toInt(-1); }
    void verifyStillServing();
    // Waits until the gateway counts no client connection; false with its sockets printed.
    bool noConnectionLeft();

    QString m_curl;
    QString m_nghttp;
    QString m_h2load;
    QString m_python;
    QTemporaryDir m_files;
    QString m_sparse;
    TestUpstream m_upstream;
    int m_stallListener = -1;   // accepts (the kernel does) and never reads
    TestProject m_project;
    GatewayUnderTest m_gateway{GatewayMode::Daemon};
};

namespace {

constexpr qint64 kMiB = 1024 * 1024;
constexpr qint64 kRssBoundKiB = 64 * 1024;   // growth allowed while hundreds of MiB flow through

} // namespace

void tst_Http2::initTestCase()
{
    m_curl = QStandardPaths::findExecutable(QStringLiteral("curl"));
    m_nghttp = QStandardPaths::findExecutable(QStringLiteral("nghttp"));
    m_h2load = QStandardPaths::findExecutable(QStringLiteral("h2load"));
    m_python = QStringLiteral("/usr/bin/python3");
    if (m_curl.isEmpty() || m_nghttp.isEmpty())
        QSKIP("curl and nghttp (nghttp2-client) are needed (scripts/deps.sh test installs them)");
    QVERIFY(m_files.isValid() && m_project.isValid());
    m_sparse = m_files.filePath(QStringLiteral("upload"));
    QFile sparse(m_sparse);
    QVERIFY(sparse.open(QIODevice::WriteOnly) && sparse.resize(256 * kMiB));
    sparse.close();
    QVERIFY(m_upstream.start());
    // An upstream that never reads: a listening socket nobody accepts from. The kernel completes
    // the handshakes and takes a small receive buffer of bytes, then the TCP window is closed.
    m_stallListener = ::socket(AF_INET, SOCK_STREAM, 0);
    QVERIFY(m_stallListener >= 0);
    const int receiveBuffer = 4096;
    ::setsockopt(m_stallListener, SOL_SOCKET, SO_RCVBUF, &receiveBuffer, sizeof receiveBuffer);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t addressSize = sizeof address;
    QVERIFY(::bind(m_stallListener, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0);
    QVERIFY(::listen(m_stallListener, 64) == 0);
    QVERIFY(::getsockname(m_stallListener, reinterpret_cast<sockaddr *>(&address), &addressSize) == 0);
    QVERIFY(m_project.write(QStringLiteral("apis/stall.yaml"),
                            apiYaml(QStringLiteral("Stall"), QStringLiteral("/stall"),
                                    QStringLiteral("http://127.0.0.1:%1").arg(ntohs(address.sin_port)),
                                    {QStringLiteral("/x POST")})));
    QVERIFY(m_project.write(QStringLiteral("gatehouse.yaml"),
                            settingsYaml("limits:\n  http2MaxConcurrentStreams: 128\n  http2MaxHeaderListSize: 16KiB\n")));
    QVERIFY(m_project.write(QStringLiteral("apis/echo.yaml"),
                            apiYaml(QStringLiteral("Echo"), QStringLiteral("/echo"), m_upstream.url(QStringLiteral("/api")),
                                    {QStringLiteral("/x GET POST PUT"), QStringLiteral("/big GET PUT")})));
    QVERIFY(m_project.write(QStringLiteral("apis/down.yaml"),
                            apiYaml(QStringLiteral("Down"), QStringLiteral("/down"),
                                    QStringLiteral("http://127.0.0.1:%1").arg(unusedPort()), {QStringLiteral("/x GET")})));
    QVERIFY2(m_gateway.start(m_project.path(), 1), qPrintable(m_gateway.errorString()));
}

void tst_Http2::cleanupTestCase()
{
    m_gateway.stop();
    m_upstream.stop();
    if (m_stallListener >= 0)
        ::close(m_stallListener);
}

QString tst_Http2::url(const QString &path, bool tls) const
{
    return tls ? QStringLiteral("https://127.0.0.1:%1%2").arg(m_gateway.httpsPort()).arg(path)
               : QStringLiteral("http://127.0.0.1:%1%2").arg(m_gateway.httpPort()).arg(path);
}

ProcessResult tst_Http2::curl(const QStringList &arguments, int timeoutMs)
{
    return runProcess(m_curl, QStringList{QStringLiteral("-sS"), QStringLiteral("--max-time"), QStringLiteral("100")} + arguments,
                      timeoutMs);
}

ProcessResult tst_Http2::nghttp(const QStringList &arguments, int timeoutMs)
{
    return runProcess(m_nghttp, QStringList{QStringLiteral("-t"), QStringLiteral("60")} + arguments, timeoutMs);
}

ProcessResult tst_Http2::rawClient(const QStringList &arguments, int timeoutMs)
{
    const QString script = qEnvironmentVariable("GATEHOUSE_SOURCE_DIR") + QStringLiteral("/tests/integration/h2rawclient.py");
    return runProcess(m_python, QStringList{script} + arguments, timeoutMs);
}

void tst_Http2::verifyStillServing()
{
    const ProcessResult p = curl({QStringLiteral("--http2-prior-knowledge"), QStringLiteral("-o"), QStringLiteral("/dev/null"),
                                  QStringLiteral("-w"), QStringLiteral("%{http_code} %{http_version}"), url(QStringLiteral("/echo/x"))});
    QVERIFY2(p.finished && p.out == "200 2", qPrintable(p.describe()));
}

bool tst_Http2::noConnectionLeft()
{
    int left = -1;
    if (waitUntil([&] { return (left = activeConnections()) == 0; }, 15'000))
        return true;
    qWarning("%d connections still counted; the gateway's sockets (listeners, upstreams, clients):\n%s", left,
             qPrintable(socketsOf(m_gateway.pid())));
    return false;
}

void tst_Http2::curlSpeaksHttp2_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QByteArray>("proto");
    QTest::newRow("h2c by prior knowledge on the HTTP listener")
        << QStringList{QStringLiteral("--http2-prior-knowledge"), url(QStringLiteral("/echo/x?q=1"))} << QByteArray("http");
    QTest::newRow("h2 by ALPN on the HTTPS listener")
        << QStringList{QStringLiteral("-k"), QStringLiteral("--http2"), url(QStringLiteral("/echo/x?q=1"), true)} << QByteArray("https");
    QTest::newRow("h2c by Upgrade on the HTTP listener (the request is stream 1)")
        << QStringList{QStringLiteral("--http2"), url(QStringLiteral("/echo/x?q=1"))} << QByteArray("http");
}

void tst_Http2::curlSpeaksHttp2()
{
    QFETCH(QStringList, arguments);
    QFETCH(QByteArray, proto);
    const ProcessResult p = curl(QStringList{QStringLiteral("-w"), QStringLiteral("\n%{http_code} %{http_version}")} + arguments);
    QVERIFY2(p.finished && p.exitCode == 0 && p.out.endsWith("\n200 2"), qPrintable(p.describe()));
    const RecordedRequest seen = m_upstream.lastRequest();
    QCOMPARE(seen.target, QByteArray("/api/x?q=1"));
    QCOMPARE(seen.header("X-Forwarded-Proto"), proto);
}

void tst_Http2::upgradeWithABodyStaysHttp11()
{
    const ProcessResult p = curl({QStringLiteral("--http2"), QStringLiteral("--data-binary"), QStringLiteral("posted"),
                                  QStringLiteral("-w"), QStringLiteral("\n%{http_code} %{http_version}"), url(QStringLiteral("/echo/x"))});
    QVERIFY2(p.finished && p.exitCode == 0 && p.out.endsWith("\n200 1.1"), qPrintable(p.describe()));
    QCOMPARE(m_upstream.lastRequest().body, QByteArray("posted"));
    QCOMPARE(m_upstream.lastRequest().header("Upgrade"), QByteArray());
}

void tst_Http2::requestIsTranslatedForHttp11Upstreams()
{
    const ProcessResult p = nghttp({QStringLiteral("-H"), QStringLiteral("cookie: a=1"), QStringLiteral("-H"), QStringLiteral("cookie: b=2"),
                                    QStringLiteral("-H"), QStringLiteral("te: trailers"), QStringLiteral("-H"),
                                    QStringLiteral("via: 1.1 edge"), url(QStringLiteral("/echo/x"))});
    QVERIFY2(p.finished && p.exitCode == 0, qPrintable(p.describe()));
    const RecordedRequest seen = m_upstream.lastRequest();
    QCOMPARE(seen.header("Host"), QByteArray("127.0.0.1:%1").replace("%1", QByteArray::number(m_upstream.port())));
    QCOMPARE(seen.header("X-Forwarded-Host"), QByteArray("127.0.0.1:") + QByteArray::number(m_gateway.httpPort()));
    QCOMPARE(seen.header("X-Forwarded-For"), QByteArray("127.0.0.1"));
    QCOMPARE(seen.headerCount("Cookie"), 1);
    QCOMPARE(seen.header("Cookie"), QByteArray("a=1; b=2"));
    QCOMPARE(seen.header("TE"), QByteArray("trailers"));
    QCOMPARE(seen.header("Via"), QByteArray("1.1 edge, 2 gatehouse"));
    QCOMPARE(seen.header("Content-Length"), QByteArray());
    QCOMPARE(seen.header("Transfer-Encoding"), QByteArray());
}

void tst_Http2::gatewayErrorsAreJson_data()
{
    QTest::addColumn<QString>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    QTest::newRow("no route: 404") << QStringLiteral("GET") << QStringLiteral("/nowhere") << 404 << QStringLiteral("900906");
    QTest::newRow("wrong method: 405") << QStringLiteral("DELETE") << QStringLiteral("/echo/x") << 405 << QStringLiteral("900907");
    QTest::newRow("upstream refusing connections: 502") << QStringLiteral("GET") << QStringLiteral("/down/x") << 502
                                                        << QStringLiteral("101500");
}

void tst_Http2::gatewayErrorsAreJson()
{
    QFETCH(QString, method);
    QFETCH(QString, path);
    QFETCH(int, status);
    QFETCH(QString, code);
    const ProcessResult p = curl({QStringLiteral("--http2-prior-knowledge"), QStringLiteral("-X"), method, QStringLiteral("-D"),
                                  QStringLiteral("-"), url(path)});
    QVERIFY2(p.finished && p.exitCode == 0, qPrintable(p.describe()));
    QVERIFY2(p.out.startsWith("HTTP/2 " + QByteArray::number(status)), qPrintable(p.describe()));
    QVERIFY2(p.out.contains("content-type: application/json"), qPrintable(p.describe()));
    QVERIFY2(p.out.contains("\"code\":\"" + code.toLatin1() + "\""), qPrintable(p.describe()));
    if (status == 405)
        QVERIFY2(p.out.contains("allow: GET, HEAD, POST, PUT"), qPrintable(p.describe()));
}

void tst_Http2::requestBodiesReachTheUpstream_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QByteArray>("framing");   // what the upstream saw
    QTest::newRow("a body with content-length keeps it")
        << QStringList{QStringLiteral("--data-binary"), QStringLiteral("hello h2")} << QByteArray("length");
    QTest::newRow("a body of unknown length goes chunked") << QStringList{QStringLiteral("-T"), QStringLiteral("-")}
                                                          << QByteArray("chunked");
}

void tst_Http2::requestBodiesReachTheUpstream()
{
    QFETCH(QStringList, arguments);
    QFETCH(QByteArray, framing);
    const QStringList all = QStringList{QStringLiteral("--http2-prior-knowledge")} + arguments
                            + QStringList{url(QStringLiteral("/echo/x"))};
    const ProcessResult p = runProcess(m_curl, QStringList{QStringLiteral("-sS")} + all, 30'000, "hello h2");
    QVERIFY2(p.finished && p.exitCode == 0, qPrintable(p.describe()));
    const RecordedRequest seen = m_upstream.lastRequest();
    QCOMPARE(seen.body, QByteArray("hello h2"));
    QCOMPARE(seen.chunked, framing == "chunked");
}

void tst_Http2::trailersArriveAsTrailingHeaders()
{
    const ProcessResult p = nghttp({QStringLiteral("-v"), QStringLiteral("-H"),
                                    QStringLiteral("x-behave: framing=chunked;size=70000;trailer=grpc-status:0;trailer=x-sum:abc"),
                                    url(QStringLiteral("/echo/x"))});
    QVERIFY2(p.finished && p.exitCode == 0, qPrintable(p.describe()));
    const qsizetype data = p.out.lastIndexOf("recv DATA frame");
    const qsizetype trailer = p.out.indexOf("grpc-status: 0");
    QVERIFY2(data > 0 && trailer > data, qPrintable(p.describe()));
    QVERIFY2(p.out.indexOf("x-sum: abc") > data, qPrintable(p.describe()));
    QVERIFY2(!p.out.contains("transfer-encoding"), qPrintable(p.describe()));
}

void tst_Http2::manyConcurrentStreams()
{
    m_upstream.clearRecords();
    // 200 requests on one connection, at most 128 at a time (the gateway's SETTINGS).
    const ProcessResult p = nghttp({QStringLiteral("-n"), QStringLiteral("-s"), QStringLiteral("-m"), QStringLiteral("200"),
                                    url(QStringLiteral("/echo/x"))});
    QVERIFY2(p.finished && p.exitCode == 0, qPrintable(p.describe()));
    QCOMPARE(p.out.count("200"), 200);   // one status line per request in the -s table
    QVERIFY(m_upstream.waitForRequests(200));
}

void tst_Http2::streamsAreCountedInMetrics()
{
    const auto served = [this] {
        const QList<QByteArray> lines = m_gateway.admin("GET", "/metrics").body.split('\n');
        for (const QByteArray &line : lines) {
            if (line.startsWith("http_server_request_duration_seconds_count{") && line.contains("http_route=\"/echo/x\"")
                && line.contains("http_response_status_code=\"200\""))
                return line.mid(line.lastIndexOf(' ') + 1).toLongLong();
        }
        return 0LL;
    };
    const qint64 before = served();
    const ProcessResult p = nghttp({QStringLiteral("-n"), QStringLiteral("-m"), QStringLiteral("3"), url(QStringLiteral("/echo/x"))});
    QVERIFY2(p.finished && p.exitCode == 0, qPrintable(p.describe()));
    QVERIFY(waitUntil([&] { return served() == before + 3; }, 10'000));
}

void tst_Http2::h2loadShortRun()
{
    if (m_h2load.isEmpty())
        QSKIP("h2load is not installed");
    const ProcessResult p = runProcess(m_h2load, {QStringLiteral("-n"), QStringLiteral("2000"), QStringLiteral("-c"), QStringLiteral("4"),
                                                  QStringLiteral("-m"), QStringLiteral("16"), url(QStringLiteral("/echo/x"))},
                                       60'000);
    QVERIFY2(p.finished && p.exitCode == 0, qPrintable(p.describe()));
    QVERIFY2(p.out.contains("2000 succeeded, 0 failed, 0 errored"), qPrintable(p.describe()));
    QVERIFY2(p.out.contains("status codes: 2000 2xx"), qPrintable(p.describe()));
}

void tst_Http2::largeTransfersKeepMemoryFlat_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<qint64>("bytes");
    QTest::addColumn<bool>("upload");
    QTest::newRow("a 256 MiB upload is streamed as the upstream takes it")
        << QStringList{QStringLiteral("--http2-prior-knowledge"), QStringLiteral("-T"), m_sparse, QStringLiteral("-H"),
                       QStringLiteral("x-behave: discard"), url(QStringLiteral("/echo/big"))}
        << 256 * kMiB << true;
    QTest::newRow("a 256 MiB download is streamed to a client reading at 200 MB/s")
        << QStringList{QStringLiteral("--http2-prior-knowledge"), QStringLiteral("--limit-rate"), QStringLiteral("200M"),
                       QStringLiteral("-H"), QStringLiteral("x-behave: size=268435456"), url(QStringLiteral("/echo/big"))}
        << 256 * kMiB << false;
    QTest::newRow("a 128 MiB download over TLS to a client reading at 100 MB/s")
        << QStringList{QStringLiteral("-k"), QStringLiteral("--http2"), QStringLiteral("--limit-rate"), QStringLiteral("100M"),
                       QStringLiteral("-H"), QStringLiteral("x-behave: size=134217728"), url(QStringLiteral("/echo/big"), true)}
        << 128 * kMiB << false;
}

void tst_Http2::largeTransfersKeepMemoryFlat()
{
    QFETCH(QStringList, arguments);
    QFETCH(qint64, bytes);
    QFETCH(bool, upload);
    const qint64 pid = m_gateway.pid();
    const qint64 baseline = residentKiB(pid);
    QVERIFY(baseline > 0);
    qint64 peak = baseline;
    QTimer sampler;
    QObject::connect(&sampler, &QTimer::timeout, &sampler, [&] { peak = qMax(peak, residentKiB(pid)); });
    sampler.start(50);
    const qint64 uploadedBefore = m_upstream.bodyBytesReceived();
    const ProcessResult p = curl(QStringList{QStringLiteral("-o"), QStringLiteral("/dev/null"), QStringLiteral("-w"),
                                             QStringLiteral("%{http_code} %{size_download} %{size_upload} %{http_version}")}
                                     + arguments,
                                 110'000);
    sampler.stop();
    QVERIFY2(p.finished && p.exitCode == 0, qPrintable(p.describe()));
    const QList<QByteArray> written = p.out.split(' ');
    QCOMPARE(written.value(0), QByteArray("200"));
    QCOMPARE(written.value(3), QByteArray("2"));
    if (upload) {
        QCOMPARE(written.value(2).toLongLong(), bytes);
        QVERIFY(waitUntil([&] { return m_upstream.bodyBytesReceived() - uploadedBefore == bytes; }, 10'000));
    } else {
        QCOMPARE(written.value(1).toLongLong(), bytes);
    }
    qInfo("gatehoused RSS %lld KiB before, %lld KiB at the peak", baseline, peak);
    if (kAddressSanitizer) {
        qInfo("the RSS bound is not checked: AddressSanitizer keeps freed memory in quarantine");
        return;
    }
    QVERIFY2(peak - baseline < kRssBoundKiB,
             qPrintable(QStringLiteral("RSS grew by %1 MiB while streaming").arg((peak - baseline) / 1024)));
}

void tst_Http2::oversizedHeaderListGets431()
{
    const QString big = QStringLiteral("x-big: ") + QString(20'000, u'a');
    const ProcessResult p = nghttp({QStringLiteral("-v"), QStringLiteral("-H"), big, url(QStringLiteral("/echo/x"))});
    QVERIFY2(p.finished, qPrintable(p.describe()));
    QVERIFY2(p.out.contains(":status: 431"), qPrintable(p.describe()));
    verifyStillServing();
}

void tst_Http2::stalledUploadsDoNotStallOtherStreams()
{
    // Five uploads on one connection to an upstream that never reads fill their stream windows
    // (5 x 256 KiB, more than the 1 MiB connection window); a 3 MiB upload on the same connection
    // to an upstream that reads still completes: the connection window came back as DATA arrived.
    const ProcessResult p = rawClient({QStringLiteral("stalled-uploads"), QString::number(m_gateway.httpPort()),
                                       QStringLiteral("5"), QString::number(3 * kMiB)},
                                      120'000);
    QVERIFY2(p.finished && p.exitCode == 0, qPrintable(p.describe()));
    QVERIFY2(p.out.startsWith("COMPLETE 200"), qPrintable(p.describe()));
    // What the gateway holds per stream is bounded by the stream window: each stalled stream
    // filled it (its upstream took nothing beyond the socket buffers).
    QVERIFY2(p.out.contains("held per stalled stream [262144, 262144, 262144, 262144, 262144] of 262144"),
             qPrintable(p.describe()));
    verifyStillServing();
    QVERIFY(noConnectionLeft());
}

void tst_Http2::hostileClientsAreContained_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QByteArray>("verdict");
    QTest::newRow("Rapid Reset: 1000 streams opened and cancelled get GOAWAY ENHANCE_YOUR_CALM")
        << QStringList{QStringLiteral("rapid-reset"), QStringLiteral("1000")} << QByteArray("GOAWAY 11");
    QTest::newRow("a CONTINUATION flood gets GOAWAY")
        << QStringList{QStringLiteral("continuation"), QStringLiteral("10000")} << QByteArray("GOAWAY");
    QTest::newRow("an HPACK bomb (one 4 KiB field referenced 3,000 times) is answered, not decoded into memory")
        << QStringList{QStringLiteral("hpack-bomb"), QStringLiteral("3000")} << QByteArray("ANSWERED");
    QTest::newRow("a client flooding PINGs and never reading is not queued for without bound")
        << QStringList{QStringLiteral("ping-flood"), QStringLiteral("100000")} << QByteArray();
    QTest::newRow("a client flooding SETTINGS and never reading is not queued for without bound")
        << QStringList{QStringLiteral("settings-flood"), QStringLiteral("100000")} << QByteArray();
}

void tst_Http2::hostileClientsAreContained()
{
    QFETCH(QStringList, arguments);
    QFETCH(QByteArray, verdict);
    arguments.insert(1, QString::number(m_gateway.httpPort()));
    const qint64 baseline = residentKiB(m_gateway.pid());
    const ProcessResult p = rawClient(arguments);
    QVERIFY2(p.finished && p.exitCode == 0, qPrintable(p.describe()));
    if (!verdict.isEmpty())
        QVERIFY2(p.out.startsWith(verdict), qPrintable(p.describe()));
    QVERIFY2(residentKiB(m_gateway.pid()) - baseline < kRssBoundKiB, "the gateway's memory grew");
    verifyStillServing();
    QVERIFY(noConnectionLeft());
}

void tst_Http2::abortedStreamsLeakNothing_data()
{
    QTest::addColumn<QStringList>("curl");   // empty: a stream cancelled by RST_STREAM (raw client)
    QTest::newRow("a download cancelled by RST_STREAM frees its upstream; the connection goes on") << QStringList();
    QTest::newRow("a client vanishing mid-download leaves nothing behind")
        << QStringList{QStringLiteral("--http2-prior-knowledge"), QStringLiteral("--limit-rate"), QStringLiteral("5M"),
                       QStringLiteral("-H"), QStringLiteral("x-behave: size=1073741824"), url(QStringLiteral("/echo/big"))};
    QTest::newRow("a client vanishing mid-upload leaves nothing behind")
        << QStringList{QStringLiteral("--http2-prior-knowledge"), QStringLiteral("--limit-rate"), QStringLiteral("5M"),
                       QStringLiteral("-T"), m_sparse, QStringLiteral("-H"), QStringLiteral("x-behave: discard"),
                       url(QStringLiteral("/echo/big"))};
}

void tst_Http2::abortedStreamsLeakNothing()
{
    QFETCH(QStringList, curl);
    QVERIFY(noConnectionLeft());
    const int files = openFileCount(m_gateway.pid());
    const int upstreamOpen = m_upstream.openConnections();
    const int requests = m_upstream.requestCount();
    if (curl.isEmpty()) {
        const ProcessResult p = rawClient({QStringLiteral("cancel"), QString::number(m_gateway.httpPort())});
        QVERIFY2(p.finished && p.out.startsWith("PONG"), qPrintable(p.describe()));
    } else {
        QProcess client;
        client.start(m_curl, QStringList{QStringLiteral("-sS"), QStringLiteral("-o"), QStringLiteral("/dev/null")} + curl);
        QVERIFY(client.waitForStarted());
        QVERIFY2(waitUntil([&] { return m_upstream.requestCount() > requests; }, 15'000), "the transfer did not start");
        spin(500);
        client.kill();
        client.waitForFinished(5000);
    }
    QVERIFY2(noConnectionLeft(), "the aborted client connection is still counted");
    int now = -1;
    QVERIFY2(waitUntil([&] { now = openFileCount(m_gateway.pid()); return now <= files; }, 15'000),
             qPrintable(QStringLiteral("%1 descriptors open, %2 before").arg(now).arg(files)));
    QVERIFY2(waitUntil([&] { return m_upstream.openConnections() <= upstreamOpen; }, 15'000),
             "the gateway kept the upstream connection of the aborted stream");
}

void tst_Http2::h2specCorpusReplay()
{
    const QDir corpus(qEnvironmentVariable("GATEHOUSE_CORPUS") + QStringLiteral("/http/nghttp2-fuzz-corpus/fuzz/corpus/h2spec"));
    const QStringList files = corpus.entryList(QDir::Files);
    if (files.isEmpty())
        QSKIP("GATEHOUSE_CORPUS has no http/nghttp2-fuzz-corpus/fuzz/corpus/h2spec");
    const ProcessResult p = rawClient({QStringLiteral("replay"), QString::number(m_gateway.httpPort()), corpus.path()}, 600'000);
    QVERIFY2(p.finished && p.exitCode == 0, qPrintable(p.describe()));
    QVERIFY2(m_gateway.isRunning(), "gatehoused died during the replay");
    QVERIFY2(p.out.startsWith("replayed " + QByteArray::number(files.size()) + " hung 0"), qPrintable(p.describe()));
    verifyStillServing();
    QVERIFY(noConnectionLeft());
}

void tst_Http2::drainSendsGoawayAndFinishesStreams()
{
    QProcess client;
    client.start(m_nghttp, {QStringLiteral("-v"), QStringLiteral("-t"), QStringLiteral("30"), QStringLiteral("-H"),
                            QStringLiteral("x-behave: delay=1500"), url(QStringLiteral("/echo/x"))});
    QVERIFY(client.waitForStarted());
    const int before = m_upstream.requestCount();
    QVERIFY(waitUntil([&] { return m_upstream.requestCount() > before; }, 10'000));   // in flight
    QCOMPARE(m_gateway.stop(), 0);   // SIGTERM: drain, then exit
    QVERIFY(waitUntil([&] { return client.state() == QProcess::NotRunning; }, 20'000));
    const QByteArray out = client.readAllStandardOutput();
    QVERIFY2(out.contains("recv GOAWAY frame") && out.contains("error_code=NO_ERROR"), out.constData());
    QVERIFY2(out.contains(":status: 200"), out.constData());   // the stream in flight finished
    QCOMPARE(client.exitCode(), 0);
}

QTEST_GUILESS_MAIN(tst_Http2)
#include "tst_http2.moc"
