// Faults while gatehoused carries load: a misbehaving upstream (resets, garbage, oversized heads,
// silence, a killed process), a slow introspection server, a JWKS URL that hangs when the gateway
// starts, a full disk when keys or revocations are written. Each fault must
// give the right status to the requests it hits, leave the other route's load untouched (no failed
// request), leak no file descriptor and be over as soon as the upstream is healthy again.
// (Timeouts one request at a time, aborting clients, Redis, an unreachable introspection server, hot
// reload and SIGTERM under load have their own tests: tst_upstreamfailures, tst_streaming, tst_ratelimitredis,
// tst_introspection, tst_reload, tst_daemon.)
#include "testgateway.h"
#include "testupstream.h"

#include "http/http1parser.h"
#include "security/jwk.h"
#include "security/jws.h"

#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpSocket>
#include <QScopeGuard>
#include <QTest>
#include <QTimer>

#include <openssl/evp.h>

#include <csignal>
#include <unistd.h>

using namespace Gatehouse;
using namespace Gatehouse::Test;

namespace {

// The breaker opens after 3 consecutive failures and probes again after 500 ms: with these
// settings "recovered" means the first request after openDuration succeeds.
constexpr int kOpenDurationMs = 500;
constexpr int kConcurrentFaults = 20;
constexpr int kLoadPaceMs = 10;
constexpr QByteArrayView kIntrospectionAnswer =
    "keepalive=0;header=Content-Type:application/json;body={\"active\":true,\"scope\":\"read\",\"sub\":\"alice\"}";

// Client connections driven by the event loop. Keep-alive mode: each connection sends its next
// request when the previous answer is read, until stop(). One-shot mode: each connection sends one
// request and records its answer, or that the connection was cut before a whole answer.
class Clients
{
public:
    Clients(quint16 port, QByteArray request, int connections, bool keepAlive)
        : m_port(port), m_request(std::move(request)), m_keepAlive(keepAlive)
    {
        for (int i = 0; i < connections; ++i)
            m_connections.push_back(std::make_unique<Connection>());
    }
    ~Clients() { closeAll(); }

    bool start()
    {
        for (auto &c : m_connections) {
            Connection *conn = c.get();
            QObject::connect(&conn->socket, &QTcpSocket::readyRead, &conn->socket, [this, conn] { onReadable(*conn); });
            QObject::connect(&conn->socket, &QTcpSocket::disconnected, &conn->socket, [this, conn] { onClosed(*conn); });
            conn->socket.connectToHost(QHostAddress::LocalHost, m_port);
            if (!conn->socket.waitForConnected(10'000))
                return false;
        }
        // All at once, so that each request reaches the gateway before any of them failed.
        for (auto &c : m_connections)
            c->socket.write(m_request);
        return true;
    }
    // Keep-alive mode: no new requests; returns once the ones in flight are answered.
    bool stop(int timeoutMs = 15'000)
    {
        m_stopping = true;
        return waitUntil([this] { return inFlight() == 0; }, timeoutMs);
    }
    void closeAll()
    {
        for (auto &c : m_connections) {
            QObject::disconnect(&c->socket, nullptr, nullptr, nullptr);
            c->socket.abort();
        }
    }
    int inFlight() const
    {
        int n = 0;
        for (const auto &c : m_connections)
            n += c->waiting ? 1 : 0;
        return n;
    }
    bool done() const { return inFlight() == 0; }
    int answered(int status) const { return m_statuses.value(status); }
    int answeredTotal() const
    {
        int n = 0;
        for (int v : m_statuses)
            n += v;
        return n;
    }
    int cut() const { return m_cut; }
    QString summary() const
    {
        QStringList parts;
        for (auto it = m_statuses.cbegin(); it != m_statuses.cend(); ++it)
            parts << QStringLiteral("%1 x%2").arg(it.key()).arg(it.value());
        parts << QStringLiteral("cut x%1").arg(m_cut);
        if (!m_problem.isEmpty())
            parts << QString::fromLatin1(m_problem);
        return parts.join(QStringLiteral(", "));
    }

private:
    struct Connection
    {
        QTcpSocket socket;
        Http1Parser parser{Http1Role::Response};
        QByteArray buffer;
        int status = 0;
        bool waiting = true;
    };
    void onReadable(Connection &c)
    {
        c.buffer += c.socket.readAll();
        while (c.waiting) {
            const Http1Step step = c.parser.next(c.buffer);
            c.buffer.remove(0, step.consumed);
            if (step.event == Http1Event::NeedData)
                return;
            if (step.event == Http1Event::Head) {
                c.status = c.parser.head().statusCode;
            } else if (step.event == Http1Event::MessageComplete) {
                ++m_statuses[c.status];
                c.waiting = false;
                if (m_keepAlive && !m_stopping) {
                    // Paced (a few hundred requests a second in all): load, not a flood of
                    // short-lived upstream connections.
                    c.waiting = true;
                    QTimer::singleShot(kLoadPaceMs, &c.socket, [this, conn = &c] { conn->socket.write(m_request); });
                }
            } else if (step.event == Http1Event::Error) {
                m_problem = c.parser.error().reason;
                ++m_cut;
                c.waiting = false;
                return;
            }
        }
    }
    void onClosed(Connection &c)
    {
        if (c.waiting) {
            ++m_cut;
            c.waiting = false;
        }
    }

    quint16 m_port;
    QByteArray m_request;
    bool m_keepAlive;
    bool m_stopping = false;
    QMap<int, int> m_statuses;
    int m_cut = 0;
    QByteArray m_problem;
    std::vector<std::unique_ptr<Connection>> m_connections;
};

// An upstream process that can be SIGKILLed and started again on the same port.
class KillableUpstream
{
public:
    ~KillableUpstream() { kill(); }
    bool start(quint16 port)
    {
        m_port = port;
        m_process = std::make_unique<QProcess>();
        m_process->start(QStringLiteral("/usr/bin/python3"),
                         {qEnvironmentVariable("GATEHOUSE_SOURCE_DIR") + QStringLiteral("/tests/integration/killableupstream.py"),
                          QString::number(port)});
        return waitUntil([this] { return m_process->canReadLine() || m_process->state() == QProcess::NotRunning; }, 15'000)
            && m_process->readLine().startsWith("ready");
    }
    void kill()
    {
        if (!m_process || m_process->state() == QProcess::NotRunning)
            return;
        ::kill(pid_t(m_process->processId()), SIGKILL);
        m_process->waitForFinished(10'000);
    }
    quint16 port() const { return m_port; }

private:
    std::unique_ptr<QProcess> m_process;
    quint16 m_port = 0;
};

} // namespace

class tst_FaultsUnderLoad : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void upstreamFaultsHitOnlyTheirRoute_data();
    void upstreamFaultsHitOnlyTheirRoute();
    void upstreamKilledMidResponseThenRestarted();
    void slowIntrospectionFailsClosedOnlyItsRoute();
    void jwksHangingAtStartIsCaughtUpWithAfterItRecovers();
    void fullDiskWhenWritingKeysOrRevocations();

private:
    // Waits (hang guard only) until gatehoused holds no more descriptors than at the start.
    void verifyNoLeakedDescriptors();
    void verifyRecovered(const QByteArray &target);
    QByteArray request(const QByteArray &target, const QByteArray &behaviour = {}) const;

    TestUpstream m_healthy;
    TestUpstream m_faulty;
    TestUpstream m_introspection;   // answers RFC 7662 JSON, fast or slow
    BlackholeListener m_blackhole;
    KillableUpstream m_killable;
    TestProject m_project;
    std::unique_ptr<GatewayUnderTest> m_gateway;
    int m_baselineFds = -1;
};

QByteArray tst_FaultsUnderLoad::request(const QByteArray &target, const QByteArray &behaviour) const
{
    FieldPairs headers;
    if (!behaviour.isEmpty())
        headers.append({"X-Behave", behaviour});
    return requestBytes("GET", target, headers);
}

void tst_FaultsUnderLoad::initTestCase()
{
    QVERIFY(m_project.isValid());
    QVERIFY(m_healthy.start());
    QVERIFY(m_faulty.start());
    QVERIFY(m_blackhole.start());
    QVERIFY(m_introspection.start());
    m_introspection.setDefaultBehaviour(kIntrospectionAnswer.toByteArray());
    // Upstreams close after each answer: no pooled connection blurs the descriptor count.
    m_healthy.setDefaultBehaviour("keepalive=0");
    m_faulty.setDefaultBehaviour("keepalive=0");
    QVERIFY(m_killable.start(unusedPort()));
    QVERIFY(m_project.write(QStringLiteral("gatehouse.yaml"),
                            settingsYaml("upstream:\n"
                                         "  connectTimeout: 500ms\n"
                                         "  requestTimeout: 1s\n"
                                         "  maxRetries: 0\n"
                                         "  circuitBreaker:\n"
                                         "    failureThreshold: 3\n"
                                         "    openDuration: " + QByteArray::number(kOpenDurationMs) + "ms\n"
                                         "security:\n"
                                         "  keyManagers:\n"
                                         "    - name: idp\n"
                                         "      introspectionUrl: " + m_introspection.url(QStringLiteral("/introspect")).toUtf8() + "\n"
                                         "      clientId: gatehouse\n"
                                         "      clientSecret: ${env:GATEHOUSE_TEST_INTROSPECTION_SECRET}\n"
                                         "      cacheTtl: 1s\n"
                                         "      timeout: 500ms\n")));
    qputenv("GATEHOUSE_TEST_INTROSPECTION_SECRET", "s3cret");
    QVERIFY(m_project.write(QStringLiteral("apis/guarded.yaml"), QStringLiteral(R"(openapi: 3.0.3
info: {title: guarded, version: '1'}
x-gatehouse-basePath: /guarded
servers: [{url: '%1'}]
components:
  securitySchemes:
    oauth:
      type: oauth2
      flows:
        clientCredentials:
          tokenUrl: http://127.0.0.1:1/token
          scopes: {read: read}
security: [{oauth: [read]}]
paths:
  /ok:
    get: {responses: {'200': {description: ok}}}
)").arg(m_healthy.url(QStringLiteral("/api"))).toUtf8()));
    const QStringList ops = {QStringLiteral("/ok GET"), QStringLiteral("/download GET")};
    QVERIFY(m_project.write(QStringLiteral("apis/load.yaml"), apiYaml(QStringLiteral("load"), QStringLiteral("/load"), m_healthy.url(QStringLiteral("/api")), ops)));
    QVERIFY(m_project.write(QStringLiteral("apis/faulty.yaml"), apiYaml(QStringLiteral("faulty"), QStringLiteral("/faulty"), m_faulty.url(QStringLiteral("/api")), ops)));
    QVERIFY(m_project.write(QStringLiteral("apis/blackhole.yaml"),
                            apiYaml(QStringLiteral("blackhole"), QStringLiteral("/blackhole"),
                                    QStringLiteral("http://127.0.0.1:%1/api").arg(m_blackhole.port()), ops)));
    QVERIFY(m_project.write(QStringLiteral("apis/killable.yaml"),
                            apiYaml(QStringLiteral("killable"), QStringLiteral("/killable"),
                                    QStringLiteral("http://127.0.0.1:%1/api").arg(m_killable.port()), ops)));
    m_gateway = std::make_unique<GatewayUnderTest>(GatewayMode::Daemon);
    QVERIFY2(m_gateway->start(m_project.path(), 2), qPrintable(m_gateway->errorString()));
    // Warm up both workers, then count: listeners, epoll and event fds, logs, and what a worker
    // opens once on its first introspection call (one descriptor each, the same after 4 rounds of
    // the slow-introspection fault).
    for (int i = 0; i < 8; ++i) {
        QCOMPARE(httpRequest(m_gateway->httpPort(), "GET", "/load/ok").status, 200);
        QCOMPARE(httpRequest(m_gateway->httpPort(), "GET", "/guarded/ok",
                             {{"Authorization", "Bearer opaque-warm-" + QByteArray::number(i)}}).status, 200);
    }
    spin(200);
    m_baselineFds = openFileCount(m_gateway->pid());
    QVERIFY(m_baselineFds > 0);
}

void tst_FaultsUnderLoad::cleanupTestCase()
{
    if (m_gateway) {
        QCOMPARE(m_gateway->stop(), 0);
        m_gateway.reset();
    }
    m_killable.kill();
    m_healthy.stop();
    m_faulty.stop();
    m_introspection.stop();
}

void tst_FaultsUnderLoad::verifyNoLeakedDescriptors()
{
    QVERIFY2(m_gateway->isRunning(), m_gateway->daemonStderr().constData());
    const qint64 pid = m_gateway->pid();
    waitUntil([&] { return openFileCount(pid) <= m_baselineFds; }, 10'000);
    QCOMPARE(openFileCount(pid), m_baselineFds);
}

void tst_FaultsUnderLoad::verifyRecovered(const QByteArray &target)
{
    // The breaker may be open on either worker; past openDuration the first request is its probe.
    spin(kOpenDurationMs + 100);
    QElapsedTimer sinceProbe;
    sinceProbe.start();
    const HttpResponse r = httpRequest(m_gateway->httpPort(), "GET", target);
    QVERIFY2(r.complete && r.status == 200, (target + ": " + r.describe().toUtf8()).constData());
    qInfo("%s recovered %lld ms after the fault ended", target.constData(), qint64(kOpenDurationMs + 100) + sinceProbe.elapsed());
}

void tst_FaultsUnderLoad::upstreamFaultsHitOnlyTheirRoute_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QByteArray>("behaviour");
    QTest::addColumn<int>("status");   // 0: the client's connection is cut (the head was already sent)

    QTest::newRow("an upstream resetting before it answers gives 502 to each request")
        << QByteArray("/faulty/ok") << QByteArray("reset=before") << 502;
    QTest::newRow("an upstream closing without an answer gives 502 to each request")
        << QByteArray("/faulty/ok") << QByteArray("close=before") << 502;
    QTest::newRow("an upstream answering bytes that are not HTTP gives 502 to each request")
        << QByteArray("/faulty/ok") << QByteArray("garbage") << 502;
    QTest::newRow("an upstream answering a 100 KiB header field gives 502 to each request")
        << QByteArray("/faulty/ok") << QByteArray("hugeheader=102400") << 502;
    QTest::newRow("an upstream slower than requestTimeout (1 s) gives 504 to each request")
        << QByteArray("/faulty/ok") << QByteArray("delay=3000") << 504;
    QTest::newRow("an upstream that never accepts gives 504 after connectTimeout (500 ms) to each request")
        << QByteArray("/blackhole/ok") << QByteArray() << 504;
    QTest::newRow("an upstream resetting halfway through the body cuts each client's connection")
        << QByteArray("/faulty/ok") << QByteArray("reset=body;size=400000") << 0;
    QTest::newRow("an upstream whose body stalls beyond requestTimeout cuts each client's connection")
        << QByteArray("/faulty/ok") << QByteArray("stall=5000") << 0;
}

void tst_FaultsUnderLoad::upstreamFaultsHitOnlyTheirRoute()
{
    QFETCH(QByteArray, target);
    QFETCH(QByteArray, behaviour);
    QFETCH(int, status);

    Clients load(m_gateway->httpPort(), request("/load/ok"), 4, true);
    QVERIFY(load.start());
    Clients faults(m_gateway->httpPort(), request(target, behaviour), kConcurrentFaults, false);
    QVERIFY(faults.start());
    QVERIFY2(waitUntil([&] { return faults.done(); }, 30'000), qPrintable(faults.summary()));
    QVERIFY(load.stop());
    load.closeAll();
    faults.closeAll();

    // Once 3 requests in a row failed on a worker its breaker opens: requests dispatched after that
    // are answered 503 without bothering the upstream.
    const int hit = status == 0 ? faults.cut() : faults.answered(status);
    QVERIFY2(hit >= 3 && hit + faults.answered(503) == kConcurrentFaults, qPrintable(faults.summary()));
    QVERIFY2(load.answeredTotal() > 0 && load.answered(200) == load.answeredTotal() && load.cut() == 0,
             qPrintable(QStringLiteral("the healthy route during the fault: ") + load.summary()));
    verifyNoLeakedDescriptors();
    if (target.startsWith("/faulty"))
        verifyRecovered(target);
}

void tst_FaultsUnderLoad::upstreamKilledMidResponseThenRestarted()
{
    Clients load(m_gateway->httpPort(), request("/load/ok"), 4, true);
    QVERIFY(load.start());
    // Downloads in flight: the head and 64 KiB of a 1 MiB body reached the clients.
    std::vector<std::unique_ptr<HttpConnection>> downloads;
    for (int i = 0; i < 5; ++i) {
        auto c = std::make_unique<HttpConnection>();
        QVERIFY(c->connectTo(m_gateway->httpPort()));
        c->write(requestBytes("GET", "/killable/download"));
        downloads.push_back(std::move(c));
    }
    QVERIFY(waitUntil([&] {
        for (auto &c : downloads) {
            if (c->socket()->bytesAvailable() < 65536)
                return false;
        }
        return true;
    }, 15'000));

    m_killable.kill();
    for (auto &c : downloads) {
        const HttpResponse r = c->readResponse("GET", 15'000);
        QVERIFY2(!r.complete && r.closed, qPrintable(QStringLiteral("a download cut by the upstream's death must "
                                                                    "not look whole: ") + r.describe()));
    }
    // While it is down: refused (502), or 503 once the breaker opened.
    for (int i = 0; i < 5; ++i) {
        const int s = httpRequest(m_gateway->httpPort(), "GET", "/killable/ok").status;
        QVERIFY2(s == 502 || s == 503, qPrintable(QString::number(s)));
    }
    QVERIFY(m_killable.start(m_killable.port()));
    QVERIFY(load.stop());
    load.closeAll();
    downloads.clear();
    QVERIFY2(load.answeredTotal() > 0 && load.answered(200) == load.answeredTotal() && load.cut() == 0,
             qPrintable(QStringLiteral("the healthy route during the fault: ") + load.summary()));
    verifyRecovered("/killable/ok");
    verifyNoLeakedDescriptors();
}

void tst_FaultsUnderLoad::slowIntrospectionFailsClosedOnlyItsRoute()
{
    const FieldPairs before = {{"Authorization", "Bearer opaque-before"}};
    QCOMPARE(httpRequest(m_gateway->httpPort(), "GET", "/guarded/ok", before).status, 200);

    // Slower than the key manager's timeout (500 ms): each request fails closed with 503.
    m_introspection.setDefaultBehaviour("delay=3000;" + kIntrospectionAnswer.toByteArray());
    Clients load(m_gateway->httpPort(), request("/load/ok"), 4, true);
    QVERIFY(load.start());
    Clients faults(m_gateway->httpPort(), requestBytes("GET", "/guarded/ok", {{"Authorization", "Bearer opaque-during"}}),
                   kConcurrentFaults, false);
    QVERIFY(faults.start());
    QVERIFY2(waitUntil([&] { return faults.done(); }, 30'000), qPrintable(faults.summary()));
    QVERIFY(load.stop());
    load.closeAll();
    faults.closeAll();
    QVERIFY2(faults.answered(503) == kConcurrentFaults, qPrintable(faults.summary()));
    QVERIFY2(load.answeredTotal() > 0 && load.answered(200) == load.answeredTotal() && load.cut() == 0,
             qPrintable(QStringLiteral("the open route during the fault: ") + load.summary()));

    // Fast again: the very next request with a token never seen is admitted.
    m_introspection.setDefaultBehaviour(kIntrospectionAnswer.toByteArray());
    const HttpResponse r = httpRequest(m_gateway->httpPort(), "GET", "/guarded/ok", {{"Authorization", "Bearer opaque-after"}});
    QVERIFY2(r.status == 200, qPrintable(r.describe()));
    // The slow answers still pending when their requests gave up are closed by the gateway.
    QVERIFY(waitUntil([&] { return m_introspection.openConnections() == 0; }, 10'000));
    verifyNoLeakedDescriptors();
}

void tst_FaultsUnderLoad::jwksHangingAtStartIsCaughtUpWithAfterItRecovers()
{
    // A gatehoused of its own: its issuer's JWKS URL answers nothing when it starts (a fetch stuck
    // until the 10 s transfer timeout), while another route carries load. Tokens are refused with
    // 503 at once (never a wait for the keys); once the URL answers, the next token's refetch
    // replaces the stuck fetch (jwksMinRefetch after it began) and tokens are admitted.
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"), EVP_PKEY_free);
    QVERIFY(key);
    const QJsonObject jwk = *publicJwk(key.get(), QStringLiteral("k1"), JwsAlgorithm::ES256);
    const QByteArray jwks = QJsonDocument(QJsonObject{{QStringLiteral("keys"), QJsonArray{jwk}}}).toJson(QJsonDocument::Compact);
    const QByteArray token = *signCompactJws(
        {{QStringLiteral("kid"), QStringLiteral("k1")}},
        QJsonDocument(QJsonObject{{QStringLiteral("iss"), QStringLiteral("https://remote.example/")},
                                  {QStringLiteral("sub"), QStringLiteral("alice")},
                                  {QStringLiteral("exp"), QDateTime::currentSecsSinceEpoch() + 600}})
            .toJson(QJsonDocument::Compact),
        key.get(), JwsAlgorithm::ES256);
    const FieldPairs bearer = {{"Authorization", "Bearer " + token}};

    TestUpstream jwksServer;
    QVERIFY(jwksServer.start());
    jwksServer.setDefaultBehaviour("delay=60000");
    TestProject project;
    QVERIFY(project.write(QStringLiteral("gatehouse.yaml"),
                          settingsYaml("security:\n"
                                       "  issuers:\n"
                                       "    - name: remote\n"
                                       "      issuer: https://remote.example/\n"
                                       "      jwksUrl: " + jwksServer.url(QStringLiteral("/jwks")).toUtf8() + "\n"
                                       "      jwksMinRefetch: 1s\n")));
    QVERIFY(project.write(QStringLiteral("apis/jwt.yaml"), QStringLiteral(R"(openapi: 3.0.3
info: {title: jwt, version: '1'}
x-gatehouse-basePath: /jwt
servers: [{url: '%1'}]
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer, bearerFormat: JWT}
security: [{bearer: []}]
paths:
  /ok:
    get: {responses: {'200': {description: ok}}}
)").arg(m_healthy.url(QStringLiteral("/api"))).toUtf8()));
    QVERIFY(project.write(QStringLiteral("apis/load.yaml"),
                          apiYaml(QStringLiteral("load"), QStringLiteral("/load"), m_healthy.url(QStringLiteral("/api")),
                                  {QStringLiteral("/ok GET")})));
    GatewayUnderTest gateway(GatewayMode::Daemon);
    QVERIFY2(gateway.start(project.path(), 2), qPrintable(gateway.errorString()));
    QVERIFY(jwksServer.waitForRequests(1));   // the first fetch, now stuck

    Clients load(gateway.httpPort(), request("/load/ok"), 4, true);
    QVERIFY(load.start());
    Clients faults(gateway.httpPort(), requestBytes("GET", "/jwt/ok", bearer), kConcurrentFaults, false);
    QVERIFY(faults.start());
    QVERIFY2(waitUntil([&] { return faults.done(); }, 30'000), qPrintable(faults.summary()));
    QVERIFY2(faults.answered(503) == kConcurrentFaults, qPrintable(faults.summary()));

    // The URL answers again; past jwksMinRefetch the next token asks for the keys anew.
    jwksServer.setDefaultBehaviour("header=Content-Type:application/json;body=" + jwks);
    spin(1000);
    QElapsedTimer sinceRecovery;
    sinceRecovery.start();
    // Hang guard below the stuck fetch's 10 s transfer timeout: waiting that out is the bug fixed in
    // 628806e, which this would not tell apart from the fix with a longer guard.
    QVERIFY(waitUntil([&] { return httpRequest(gateway.httpPort(), "GET", "/jwt/ok", bearer).status == 200; }, 8'000));
    qInfo("tokens admitted %lld ms after the JWKS URL recovered (jwksMinRefetch 1 s)", qint64(1000) + sinceRecovery.elapsed());
    QVERIFY(load.stop());
    load.closeAll();
    faults.closeAll();
    QVERIFY2(load.answeredTotal() > 0 && load.answered(200) == load.answeredTotal() && load.cut() == 0,
             qPrintable(QStringLiteral("the open route during the fault: ") + load.summary()));
    QCOMPARE(gateway.stop(), 0);
    jwksServer.stop();
}

void tst_FaultsUnderLoad::fullDiskWhenWritingKeysOrRevocations()
{
    // A 256 KiB tmpfs filled to the last block. Mounting needs root (CAP_SYS_ADMIN); without it an
    // unwritable directory stands in, which root could still write to, hence the skip.
    QTemporaryDir mountPoint;
    QVERIFY(mountPoint.isValid());
    const ProcessResult mounted = runProcess(QStringLiteral("mount"), {QStringLiteral("-t"), QStringLiteral("tmpfs"),
                                                                       QStringLiteral("-o"), QStringLiteral("size=256k"),
                                                                       QStringLiteral("tmpfs"), mountPoint.path()});
    const bool tmpfs = mounted.finished && mounted.exitCode == 0;
    auto unmount = qScopeGuard([&] {
        if (tmpfs)
            runProcess(QStringLiteral("umount"), {QStringLiteral("-l"), mountPoint.path()});
    });
    const QString dir = mountPoint.path() + QStringLiteral("/project");
    QVERIFY(QDir().mkpath(dir));
    for (const QString &name : {QStringLiteral("gatehouse.yaml"), QStringLiteral("apis/load.yaml")}) {
        QFile in(m_project.filePath(name));
        QVERIFY(in.open(QIODevice::ReadOnly));
        QDir().mkpath(QFileInfo(dir + u'/' + name).absolutePath());
        QFile out(dir + u'/' + name);
        QVERIFY(out.open(QIODevice::WriteOnly));
        QVERIFY(out.write(in.readAll()) > 0);
    }
    QVERIFY(QDir().mkpath(dir + QStringLiteral("/keys")));
    const QString filler = mountPoint.path() + QStringLiteral("/filler");
    if (tmpfs) {
        qInfo("fault: a full 256 KiB tmpfs");
        QFile f(filler);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Unbuffered));
        const QByteArray block(4096, 'x');
        while (f.write(block) == block.size()) {
        }
    } else if (::geteuid() != 0) {
        qInfo("fault: an unwritable keys/ directory (no tmpfs without root)");
        QVERIFY(QFile::setPermissions(dir + QStringLiteral("/keys"), QFileDevice::ReadOwner | QFileDevice::ExeOwner));
    } else {
        QSKIP("root without CAP_SYS_ADMIN: no tmpfs to fill, and no directory root cannot write to");
    }

    // Revoking a key: refused loudly, never reported done.
    const ProcessResult revoke = runProcess(gatehousedPath(), {QStringLiteral("key"), QStringLiteral("revoke"), dir,
                                                               QStringLiteral("0b6f3f0e-full-disk")});
    QVERIFY2(revoke.finished && revoke.exitCode == 1, qPrintable(revoke.describe()));
    QVERIFY2(revoke.err.contains("NOT revoked") && revoke.err.contains("keys/revoked.txt"), qPrintable(revoke.describe()));

    // Serving a project whose keys cannot be generated: an error naming the file, no crash.
    GatewayUnderTest refused(GatewayMode::Daemon);
    QVERIFY(!refused.start(dir, 1));
    QVERIFY2(refused.errorString().contains(QStringLiteral("cannot write")), qPrintable(refused.errorString()));
    QVERIFY2(refused.process()->exitStatus() == QProcess::NormalExit && refused.process()->exitCode() == 1,
             qPrintable(refused.errorString()));

    // Space again: both work at once, and the revocation file holds whole lines only.
    if (tmpfs)
        QVERIFY(QFile::remove(filler));
    else
        QVERIFY(QFile::setPermissions(dir + QStringLiteral("/keys"), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner));
    const ProcessResult again = runProcess(gatehousedPath(), {QStringLiteral("key"), QStringLiteral("revoke"), dir,
                                                              QStringLiteral("0b6f3f0e-after")});
    QVERIFY2(again.finished && again.exitCode == 0, qPrintable(again.describe()));
    QFile revoked(dir + QStringLiteral("/keys/revoked.txt"));
    QVERIFY(revoked.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = revoked.readAll().split('\n');
    QVERIFY2(lines.contains("0b6f3f0e-after"), qPrintable(QString::fromUtf8(lines.join('|'))));
    GatewayUnderTest served(GatewayMode::Daemon);
    QVERIFY2(served.start(dir, 1), qPrintable(served.errorString()));
    QCOMPARE(httpRequest(served.httpPort(), "GET", "/load/ok").status, 200);
    QCOMPARE(served.stop(), 0);
}

QTEST_GUILESS_MAIN(tst_FaultsUnderLoad)
#include "tst_faultsunderload.moc"
