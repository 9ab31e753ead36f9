// HTTP/2 upstream connections against nghttpd (nghttp2's own server), over h2c and over TLS with
// ALPN h2: responses, uploads echoed while they stream, the response window held until consumed,
// streams multiplexed up to the peer's MAX_CONCURRENT_STREAMS and a second connection beyond,
// connect failures, an upstream that dies mid-stream, cancellation; a GOAWAY from an upstream built
// on the gateway's own server session (nghttpd cannot be asked for one); a TLS upstream that only
// speaks HTTP/1.1.
#include "h2testupstream.h"
#include "testclient.h"
#include "testupstream.h"

#include "proxy/http2upstreampool.h"

#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <cstring>
#include <functional>

using namespace Gatehouse;
using namespace Gatehouse::Test;

namespace {

// One exchange: what came back, and a request body served from memory (held back on demand).
class Exchange final : public Http2UpstreamHandler
{
public:
    Http2UpstreamConnection *connection = nullptr;
    qint32 stream = -1;
    int status = 0;
    FieldPairs head;
    FieldPairs trailers;
    QByteArray body;
    bool complete = false;
    bool failed = false;
    UpstreamFailure failure = UpstreamFailure::Reset;
    bool refused = false;
    int callbacksAfterCancel = 0;
    bool cancelled = false;
    bool consumeAtOnce = true;
    QByteArray upload;
    qsizetype uploadPos = 0;
    qsizetype uploadAllowed = -1;   // bytes offered until raised; -1: all
    std::function<void()> onFailure;   // e.g. a retry, from inside the callback
    int failures = 0;

    bool open(Http2UpstreamPool &pool, const UpstreamTarget &target, QByteArrayView method,
              QByteArrayView path, bool hasBody)
    {
        connection = pool.acquire(target);
        stream = connection->openStream(this, method, path, {}, hasBody);
        return stream > 0;
    }
    void allowAll()
    {
        uploadAllowed = -1;
        connection->resumeRequestBody(stream);
    }
    bool done() const { return complete || failed; }

    void h2UpstreamHead(int s, const Http1FieldList &fields, bool) override
    {
        callbacksAfterCancel += cancelled;
        status = s;
        for (const Http1Field &f : fields)
            head.append({f.name.toByteArray(), f.value.toByteArray()});
    }
    void h2UpstreamData(QByteArrayView data) override
    {
        callbacksAfterCancel += cancelled;
        body.append(data.data(), data.size());
        if (consumeAtOnce)
            connection->consume(stream, data.size());
    }
    void h2UpstreamComplete(const Http1FieldList &fields) override
    {
        callbacksAfterCancel += cancelled;
        for (const Http1Field &f : fields)
            trailers.append({f.name.toByteArray(), f.value.toByteArray()});
        complete = true;
    }
    void h2UpstreamFailed(UpstreamFailure f, quint32, bool wasRefused) override
    {
        callbacksAfterCancel += cancelled;
        failed = true;
        failure = f;
        refused = wasRefused;
        ++failures;
        if (onFailure)
            std::exchange(onFailure, nullptr)();
    }
    qint64 h2UpstreamRequestBody(std::span<char> buffer, bool &end) override
    {
        const qsizetype limit = uploadAllowed < 0 ? upload.size() : std::min(uploadAllowed, upload.size());
        const qint64 n = std::min<qint64>(qint64(buffer.size()), limit - uploadPos);
        if (n <= 0 && uploadPos < upload.size())
            return -1;
        std::memcpy(buffer.data(), upload.constData() + uploadPos, size_t(n));
        uploadPos += n;
        end = uploadPos == upload.size();
        return n;
    }
};

UpstreamTarget target(bool tls, quint16 port)
{
    UpstreamTarget t = UpstreamEndpoint::fromUrl(
        QUrl(QStringLiteral("%1://127.0.0.1:%2").arg(tls ? u"https" : u"http").arg(port)),
        UpstreamProtocol::Http2);
    return t;
}

} // namespace

class tst_Http2Upstream : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void cleanup();

    void getOverH2c();
    void getOverTlsWithAlpnH2();
    void uploadIsEchoedWhileItStreams();
    void responseWindowIsHeldUntilConsumed();
    void streamsShareAConnectionUpToThePeersLimit();
    void refusedConnectionFailsTheStreamAsRetryable();
    void upstreamDyingMidStreamFailsTheStream();
    void cancelledStreamGetsNoCallbackAndConnectionGoesOn();
    void slowReaderDoesNotStallOtherStreams();
    void goAwayDrainsTheConnectionAndANewOneOpens();
    void tlsUpstreamWithoutH2FailsAsRefused();
    void silentUpstreamFailsAtTheConnectTimeout();

private:
    bool startServer(QProcess &process, quint16 &port, const QStringList &extra, bool tls);

    QString m_nghttpd;
    QTemporaryDir m_dir;
    QProcess m_plain;
    QProcess m_tls;
    quint16 m_plainPort = 0;
    quint16 m_tlsPort = 0;
    QByteArray m_file;
    std::unique_ptr<Http2UpstreamPool> m_pool;
};

bool tst_Http2Upstream::startServer(QProcess &process, quint16 &port, const QStringList &extra, bool tls)
{
    port = unusedPort();
    QStringList args{QStringLiteral("-a"), QStringLiteral("127.0.0.1"), QStringLiteral("-d"), m_dir.path(),
                     QStringLiteral("--echo-upload")};
    args += extra;
    if (!tls)
        args << QStringLiteral("--no-tls");
    args << QString::number(port);
    if (tls)
        args << m_dir.filePath(QStringLiteral("key.pem")) << m_dir.filePath(QStringLiteral("cert.pem"));
    process.start(m_nghttpd, args);
    if (!process.waitForStarted(10'000))
        return false;
    return waitUntil(
        [port] {
            QTcpSocket probe;
            probe.connectToHost(QHostAddress::LocalHost, port);
            return probe.waitForConnected(200);
        },
        10'000);
}

void tst_Http2Upstream::initTestCase()
{
    m_nghttpd = QStandardPaths::findExecutable(QStringLiteral("nghttpd"), {QStringLiteral("/usr/sbin"),
                                                                           QStringLiteral("/usr/bin")});
    const QString openssl = QStandardPaths::findExecutable(QStringLiteral("openssl"));
    if (m_nghttpd.isEmpty() || openssl.isEmpty())
        QSKIP("nghttpd (Debian nghttp2-server) and openssl are needed");
    QVERIFY(m_dir.isValid());
    m_file.resize(300 * 1024);
    for (qsizetype i = 0; i < m_file.size(); ++i)
        m_file[i] = char('a' + i % 26);
    QFile file(m_dir.filePath(QStringLiteral("file.txt")));
    QVERIFY(file.open(QIODevice::WriteOnly) && file.write(m_file) == m_file.size());
    file.close();
    const ProcessResult cert = runProcess(
        openssl, {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("ec"),
                  QStringLiteral("-pkeyopt"), QStringLiteral("ec_paramgen_curve:P-256"), QStringLiteral("-nodes"),
                  QStringLiteral("-keyout"), m_dir.filePath(QStringLiteral("key.pem")), QStringLiteral("-out"),
                  m_dir.filePath(QStringLiteral("cert.pem")), QStringLiteral("-days"), QStringLiteral("2"),
                  QStringLiteral("-subj"), QStringLiteral("/CN=127.0.0.1")});
    QVERIFY2(cert.finished && cert.exitCode == 0, qPrintable(cert.describe()));
    QVERIFY(startServer(m_plain, m_plainPort, {QStringLiteral("-m"), QStringLiteral("2")}, false));
    QVERIFY(startServer(m_tls, m_tlsPort, {}, true));
}

void tst_Http2Upstream::cleanupTestCase()
{
    for (QProcess *p : {&m_plain, &m_tls}) {
        p->kill();
        p->waitForFinished(5'000);
    }
}

void tst_Http2Upstream::init()
{
    m_pool = std::make_unique<Http2UpstreamPool>();
    UpstreamSettings settings;
    settings.verifyTls = false;   // nghttpd's self-signed certificate
    Http2ClientLimits limits;
    limits.streamWindowBytes = 64 * 1024;
    m_pool->configure(settings, limits);
}

void tst_Http2Upstream::cleanup()
{
    m_pool.reset();
    spin(0);   // deleteLater of closed connections
}

void tst_Http2Upstream::getOverH2c()
{
    Exchange e;
    QVERIFY(e.open(*m_pool, target(false, m_plainPort), "GET", "/file.txt", false));
    QVERIFY(waitUntil([&] { return e.done(); }, 10'000));
    QVERIFY(e.complete);
    QCOMPARE(e.status, 200);
    QCOMPARE(e.body, m_file);
    QCOMPARE(fieldValue(e.head, "content-length"), QByteArray::number(m_file.size()));
    QVERIFY(e.connection->isConnected());
}

void tst_Http2Upstream::getOverTlsWithAlpnH2()
{
    Exchange e;
    QVERIFY(e.open(*m_pool, target(true, m_tlsPort), "GET", "/file.txt", false));
    QVERIFY(waitUntil([&] { return e.done(); }, 10'000));
    QVERIFY2(e.complete, "the TLS stream failed");
    QCOMPARE(e.status, 200);
    QCOMPARE(e.body, m_file);
}

void tst_Http2Upstream::uploadIsEchoedWhileItStreams()
{
    Exchange e;
    e.upload = QByteArray(2 * 1024 * 1024, 'u');
    for (qsizetype i = 0; i < e.upload.size(); i += 4096)
        e.upload[i] = char('0' + (i / 4096) % 10);
    e.uploadAllowed = 100 * 1024;
    QVERIFY(e.open(*m_pool, target(false, m_plainPort), "POST", "/echo", true));
    // The first part went out; the rest waits for the producer.
    QVERIFY(waitUntil([&] { return e.uploadPos == 100 * 1024; }, 10'000));
    QVERIFY(!e.done());
    e.allowAll();
    QVERIFY(waitUntil([&] { return e.done(); }, 20'000));
    QVERIFY(e.complete);
    QCOMPARE(e.status, 200);
    QCOMPARE(e.body.size(), e.upload.size());
    QVERIFY(e.body == e.upload);
}

void tst_Http2Upstream::responseWindowIsHeldUntilConsumed()
{
    Exchange e;
    e.consumeAtOnce = false;
    QVERIFY(e.open(*m_pool, target(false, m_plainPort), "GET", "/file.txt", false));
    QVERIFY(waitUntil([&] { return e.body.size() >= 64 * 1024; }, 10'000));
    spin(100);   // nothing more may arrive: the window is used up
    QCOMPARE(e.body.size(), 64 * 1024);
    e.consumeAtOnce = true;
    e.connection->consume(e.stream, e.body.size());
    QVERIFY(waitUntil([&] { return e.done(); }, 10'000));
    QCOMPARE(e.body, m_file);
}

void tst_Http2Upstream::streamsShareAConnectionUpToThePeersLimit()
{
    // nghttpd -m 2. A first exchange learns the peer's SETTINGS.
    Exchange warm;
    QVERIFY(warm.open(*m_pool, target(false, m_plainPort), "GET", "/file.txt", false));
    QVERIFY(waitUntil([&] { return warm.done(); }, 10'000));
    QCOMPARE(m_pool->connectionCount(), 1);

    Exchange held[3];
    for (Exchange &h : held) {
        h.upload = "held";
        h.uploadAllowed = 0;
        QVERIFY(h.open(*m_pool, target(false, m_plainPort), "POST", "/echo", true));
    }
    QCOMPARE(held[0].connection, warm.connection);
    QCOMPARE(held[1].connection, warm.connection);
    QVERIFY(held[2].connection != warm.connection);   // the first one is full
    QCOMPARE(m_pool->connectionCount(), 2);
    for (Exchange &h : held)
        h.allowAll();
    QVERIFY(waitUntil([&] { return held[0].done() && held[1].done() && held[2].done(); }, 10'000));
    for (const Exchange &h : held) {
        QVERIFY(h.complete);
        QCOMPARE(h.body, QByteArray("held"));
    }
}

void tst_Http2Upstream::refusedConnectionFailsTheStreamAsRetryable()
{
    Exchange e;
    QVERIFY(e.open(*m_pool, target(false, unusedPort()), "GET", "/", false));
    QVERIFY(waitUntil([&] { return e.done(); }, 10'000));
    QVERIFY(e.failed);
    QCOMPARE(e.failure, UpstreamFailure::ConnectFailed);
    QVERIFY(e.refused);
    spin(0);
    QCOMPARE(m_pool->connectionCount(), 0);

    // A retry from inside the failure callback gets a new connection, never the failing one.
    Exchange retried;
    const UpstreamTarget down = target(false, unusedPort());
    Http2UpstreamConnection *first = nullptr;
    retried.onFailure = [&] {
        first = retried.connection;
        retried.failed = false;
        QVERIFY(retried.open(*m_pool, down, "GET", "/", false));
    };
    QVERIFY(retried.open(*m_pool, down, "GET", "/", false));
    QVERIFY(waitUntil([&] { return retried.failures == 2; }, 10'000));
    QVERIFY(retried.connection != first);
}

void tst_Http2Upstream::upstreamDyingMidStreamFailsTheStream()
{
    QProcess doomed;
    quint16 port = 0;
    QVERIFY(startServer(doomed, port, {}, false));
    Exchange e;
    e.upload = "never finished";
    e.uploadAllowed = 3;
    QVERIFY(e.open(*m_pool, target(false, port), "POST", "/echo", true));
    QVERIFY(waitUntil([&] { return e.connection->isConnected() && e.uploadPos == 3; }, 10'000));
    doomed.kill();
    doomed.waitForFinished(5'000);
    QVERIFY(waitUntil([&] { return e.done(); }, 10'000));
    QVERIFY(e.failed);
    QCOMPARE(e.failure, UpstreamFailure::Reset);
    QVERIFY(!e.refused);
}

void tst_Http2Upstream::cancelledStreamGetsNoCallbackAndConnectionGoesOn()
{
    Exchange e;
    e.upload = "abc";
    e.uploadAllowed = 1;
    QVERIFY(e.open(*m_pool, target(false, m_plainPort), "POST", "/echo", true));
    QVERIFY(waitUntil([&] { return e.uploadPos == 1; }, 10'000));
    e.cancelled = true;
    e.connection->cancelStream(e.stream);
    spin(100);
    QCOMPARE(e.callbacksAfterCancel, 0);

    Exchange next;
    QVERIFY(next.open(*m_pool, target(false, m_plainPort), "GET", "/file.txt", false));
    QCOMPARE(next.connection, e.connection);
    QVERIFY(waitUntil([&] { return next.done(); }, 10'000));
    QVERIFY(next.complete);
    QCOMPARE(next.body, m_file);
}

void tst_Http2Upstream::slowReaderDoesNotStallOtherStreams()
{
    // The connection window is no larger than one stream's: were it given back only as readers
    // take the bytes, the reader that never reads would stop every stream of the connection.
    Http2UpstreamPool pool;
    UpstreamSettings settings;
    Http2ClientLimits limits;
    limits.streamWindowBytes = 65536;
    limits.connectionWindowBytes = 65535;
    pool.configure(settings, limits);
    Exchange stalled;
    stalled.consumeAtOnce = false;
    QVERIFY(stalled.open(pool, target(false, m_plainPort), "GET", "/file.txt", false));
    QVERIFY(waitUntil([&] { return stalled.body.size() >= 32 * 1024; }, 10'000));
    Exchange flowing;
    QVERIFY(flowing.open(pool, target(false, m_plainPort), "GET", "/file.txt", false));
    QCOMPARE(flowing.connection, stalled.connection);
    QVERIFY(waitUntil([&] { return flowing.done(); }, 10'000));
    QVERIFY(flowing.complete);
    QCOMPARE(flowing.body, m_file);
    QVERIFY(stalled.body.size() <= 65536);   // its own window still holds it back
    QVERIFY(!stalled.done());
    stalled.consumeAtOnce = true;
    stalled.connection->consume(stalled.stream, stalled.body.size());
    QVERIFY(waitUntil([&] { return stalled.done(); }, 10'000));
    QCOMPARE(stalled.body, m_file);
}

void tst_Http2Upstream::goAwayDrainsTheConnectionAndANewOneOpens()
{
    H2TestUpstream server;
    QVERIFY(server.start());
    const UpstreamTarget up = target(false, server.port());
    Exchange first;
    QVERIFY(first.open(*m_pool, up, "GET", "/one", false));
    QVERIFY(waitUntil([&] { return first.done(); }, 10'000));
    QCOMPARE(first.body, QByteArray("ok"));
    QCOMPARE(m_pool->connectionCount(), 1);

    server.goAway();
    // The upstream's GOAWAY reaches the connection; with no stream left it closes.
    QVERIFY(waitUntil([&] { return m_pool->connectionCount() == 0; }, 10'000));
    Exchange second;
    QVERIFY(second.open(*m_pool, up, "GET", "/two", false));
    QVERIFY(waitUntil([&] { return second.done(); }, 10'000));
    QVERIFY(second.complete);
    QCOMPARE(second.body, QByteArray("ok"));
    QCOMPARE(server.connectionsAccepted(), 2);
}

void tst_Http2Upstream::tlsUpstreamWithoutH2FailsAsRefused()
{
    TestUpstream http1Only;
    const TestUpstream::Tls tls{m_dir.filePath(QStringLiteral("cert.pem")), m_dir.filePath(QStringLiteral("key.pem"))};
    QVERIFY(http1Only.start(&tls));
    Exchange e;
    QVERIFY(e.open(*m_pool, target(true, http1Only.port()), "GET", "/", false));
    QVERIFY(waitUntil([&] { return e.done(); }, 10'000));
    QVERIFY(e.failed);
    QCOMPARE(e.failure, UpstreamFailure::ConnectFailed);
    QVERIFY(e.refused);   // nothing was sent: another endpoint may take the call
}

void tst_Http2Upstream::silentUpstreamFailsAtTheConnectTimeout()
{
    // It accepts TCP and never answers the TLS handshake: the connect timeout ends the attempt.
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost));
    Http2UpstreamPool pool;
    UpstreamSettings settings;
    settings.connectTimeout = std::chrono::milliseconds(300);
    settings.verifyTls = false;
    pool.configure(settings, {});
    Exchange e;
    QVERIFY(e.open(pool, target(true, silent.serverPort()), "GET", "/", false));
    QVERIFY(waitUntil([&] { return e.done(); }, 10'000));
    QVERIFY(e.failed);
    QCOMPARE(e.failure, UpstreamFailure::ConnectTimeout);
    QVERIFY(e.refused);
}

QTEST_GUILESS_MAIN(tst_Http2Upstream)
#include "tst_http2upstream.moc"
