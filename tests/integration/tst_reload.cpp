// Hot reload: POST /admin/reload and SIGHUP switch the config, an invalid project keeps the old
// one (422 with file:line:col), and reloading under load fails no request.
#include "testgateway.h"
#include "testupstream.h"

#include "http/http1parser.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QTest>

#include <csignal>

using namespace Gatehouse;
using namespace Gatehouse::Test;

class tst_Reload : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase_data() { addGatewayModeRows(); }
    void initTestCase();
    void cleanupTestCase();
    void init();

    void addedRouteAppears();
    void invalidProjectKeepsTheRunningConfig();
    void requestInFlightFinishesOnTheOldConfig();
    void sighupReloads();
    void idleConnectionTakesTheNewLimits();
    void reloadUnderLoadFailsNoRequest();

private:
    GatewayUnderTest &gateway() { return m_gateways.current(); }
    int status(QByteArrayView target) { return httpRequest(gateway().httpPort(), "GET", target).status; }
    int configVersion() { return gateway().admin("GET", "/health").json().value(QStringLiteral("configVersion")).toInt(); }
    TestUpstream m_upstream;
    TestProject m_project;
    GatewayPair m_gateways;
};

namespace {

// Keep-alive connections that each send their next request when the previous answer is read,
// driven by the event loop, until `total` answers arrived. Every answer must be a 200.
class LoadClients
{
public:
    LoadClients(quint16 port, int connections, int total) : m_port(port), m_total(total)
    {
        for (int i = 0; i < connections; ++i)
            m_connections.push_back(std::make_unique<Connection>());
    }
    bool start()
    {
        for (auto &c : m_connections) {
            c->socket.connectToHost(QHostAddress::LocalHost, m_port);
            if (!c->socket.waitForConnected(10'000))
                return false;
            QObject::connect(&c->socket, &QTcpSocket::readyRead, &c->socket, [this, conn = c.get()] { onReadable(*conn); });
            QObject::connect(&c->socket, &QTcpSocket::disconnected, &c->socket, [this] { ++m_failures; m_problem = "a connection closed"; });
            send(*c);
        }
        return true;
    }
    ~LoadClients()
    {
        for (auto &c : m_connections)
            QObject::disconnect(&c->socket, nullptr, nullptr, nullptr);
    }
    int answered() const { return m_answered; }
    int failures() const { return m_failures; }
    bool done() const { return m_answered + m_failures >= m_total || m_failures > 0; }
    QByteArray problem() const { return m_problem; }

private:
    struct Connection
    {
        QTcpSocket socket;
        Http1Parser parser{Http1Role::Response};
        QByteArray buffer;
        int status = 0;
    };
    void send(Connection &c)
    {
        if (m_sent >= m_total)
            return;
        ++m_sent;
        c.socket.write(requestBytes("GET", "/load/x?n=" + QByteArray::number(m_sent)));
    }
    void onReadable(Connection &c)
    {
        c.buffer += c.socket.readAll();
        for (;;) {
            const Http1Step step = c.parser.next(c.buffer);
            c.buffer.remove(0, step.consumed);
            if (step.event == Http1Event::NeedData)
                return;
            if (step.event == Http1Event::Head) {
                c.status = c.parser.head().statusCode;
            } else if (step.event == Http1Event::MessageComplete) {
                if (c.status == 200) {
                    ++m_answered;
                } else {
                    ++m_failures;
                    m_problem = "status " + QByteArray::number(c.status);
                }
                send(c);
            } else if (step.event == Http1Event::Error) {
                ++m_failures;
                m_problem = c.parser.error().reason;
                return;
            }
        }
    }
    quint16 m_port;
    int m_total;
    int m_sent = 0;
    int m_answered = 0;
    int m_failures = 0;
    QByteArray m_problem;
    std::vector<std::unique_ptr<Connection>> m_connections;
};

} // namespace

void tst_Reload::initTestCase()
{
    QVERIFY(m_project.isValid());
    QVERIFY(m_upstream.start());
    QVERIFY(m_project.write(QStringLiteral("gatehouse.yaml"), settingsYaml()));
    QVERIFY(m_project.write(QStringLiteral("apis/load.yaml"),
                            apiYaml(QStringLiteral("Load"), QStringLiteral("/load"), m_upstream.url(),
                                    {QStringLiteral("/x GET")})));
    QString error;
    QVERIFY2(m_gateways.start(m_project.path(), &error), qPrintable(error));
}

void tst_Reload::cleanupTestCase()
{
    m_gateways.stop();
    m_upstream.stop();
}

void tst_Reload::init()
{
    // Each test starts from the base project, loaded.
    m_project.remove(QStringLiteral("apis/extra.yaml"));
    m_project.remove(QStringLiteral("apis/broken.yaml"));
    QVERIFY(m_project.write(QStringLiteral("gatehouse.yaml"), settingsYaml()));
    const HttpResponse r = gateway().reload();
    QVERIFY2(r.status == 200, qPrintable(r.describe()));
}

void tst_Reload::addedRouteAppears()
{
    QCOMPARE(status("/extra/y"), 404);
    const int before = configVersion();
    QVERIFY(m_project.write(QStringLiteral("apis/extra.yaml"),
                            apiYaml(QStringLiteral("Extra"), QStringLiteral("/extra"), m_upstream.url(),
                                    {QStringLiteral("/y GET")})));
    const HttpResponse r = gateway().reload();
    QVERIFY2(r.complete && r.status == 200, qPrintable(r.describe()));
    QCOMPARE(r.json().value(QStringLiteral("status")).toString(), QStringLiteral("reloaded"));
    QCOMPARE(r.json().value(QStringLiteral("configVersion")).toInt(), before + 1);
    QCOMPARE(configVersion(), before + 1);
    // Workers take the new snapshot through their event loops: poll briefly, never assume.
    QVERIFY2(waitUntil([&] { return status("/extra/y") == 200; }, 10'000), "the added route never appeared");
    QCOMPARE(status("/load/x"), 200);
}

void tst_Reload::invalidProjectKeepsTheRunningConfig()
{
    const int before = configVersion();
    QVERIFY(m_project.write(QStringLiteral("apis/broken.yaml"),
                            "openapi: 3.0.3\ninfo:\n  title: Broken\n  version: '1'\npaths:\n  /z:\n    get: 42\n"));
    const HttpResponse r = gateway().reload();
    QVERIFY2(r.complete && r.status == 422, qPrintable(r.describe()));
    const QJsonObject body = r.json();
    QCOMPARE(body.value(QStringLiteral("status")).toString(), QStringLiteral("failed"));
    QCOMPARE(body.value(QStringLiteral("configVersion")).toInt(), before);
    QStringList diagnostics;
    for (const QJsonValue &d : body.value(QStringLiteral("diagnostics")).toArray())
        diagnostics << d.toString();
    static const QRegularExpression located(QStringLiteral("^apis/broken\\.yaml:\\d+:\\d+: error: "));
    QVERIFY2(!diagnostics.filter(located).isEmpty(), qPrintable(diagnostics.join(u'\n')));
    QCOMPARE(configVersion(), before);
    QCOMPARE(status("/load/x"), 200);
}

void tst_Reload::requestInFlightFinishesOnTheOldConfig()
{
    QVERIFY(m_project.write(QStringLiteral("apis/extra.yaml"),
                            apiYaml(QStringLiteral("Extra"), QStringLiteral("/extra"), m_upstream.url(),
                                    {QStringLiteral("/y GET")})));
    QVERIFY(gateway().reload().status == 200);
    QVERIFY(waitUntil([&] { return status("/extra/y") == 200; }, 10'000));
    const int before = m_upstream.requestCount();
    HttpConnection c;
    QVERIFY(c.connectTo(gateway().httpPort()));
    c.write(requestBytes("GET", "/extra/y", {{"X-Behave", "delay=1000"}}));
    QVERIFY(m_upstream.waitForRequests(before + 1));
    // The route goes away while its request waits for the upstream.
    QVERIFY(m_project.remove(QStringLiteral("apis/extra.yaml")));
    QVERIFY(gateway().reload().status == 200);
    const HttpResponse r = c.readResponse();
    QVERIFY2(r.complete && r.status == 200, qPrintable(r.describe()));
    // The same connection's next request uses the new config.
    c.write(requestBytes("GET", "/extra/y"));
    const HttpResponse next = c.readResponse();
    QVERIFY2(next.complete && next.status == 404, qPrintable(next.describe()));
}

void tst_Reload::sighupReloads()
{
    if (gateway().mode() != GatewayMode::Daemon)
        QSKIP("SIGHUP is the daemon's; in-process reloads go through the engine and POST /admin/reload");
    QVERIFY(m_project.write(QStringLiteral("apis/extra.yaml"),
                            apiYaml(QStringLiteral("Extra"), QStringLiteral("/extra"), m_upstream.url(),
                                    {QStringLiteral("/y GET")})));
    gateway().signal(SIGHUP);
    QVERIFY2(waitUntil([&] { return status("/extra/y") == 200; }, 10'000), "SIGHUP did not reload");
    QVERIFY2(waitUntil([&] { return gateway().daemonStderr().contains("gatehoused: reloaded, config version"); }, 10'000),
             gateway().daemonStderr().constData());

    QVERIFY(m_project.write(QStringLiteral("apis/broken.yaml"), "openapi: [\n"));
    gateway().signal(SIGHUP);
    QVERIFY2(waitUntil([&] { return gateway().daemonStderr().contains("reload failed; still serving"); }, 10'000),
             gateway().daemonStderr().constData());
    QVERIFY(gateway().isRunning());
    QCOMPARE(status("/extra/y"), 200);
}

void tst_Reload::idleConnectionTakesTheNewLimits()
{
    // A keep-alive connection gives its per-request state (parser, exchange, read buffer) back to
    // its worker's pool when it goes idle and borrows one again with its next request. Either
    // way, each request is parsed with the limits in force when it starts.
    HttpConnection c;
    QVERIFY(c.connectTo(gateway().httpPort()));
    const QByteArray big(3000, 'a');
    c.write(requestBytes("GET", "/load/x", {{"X-Big", big}}));
    HttpResponse r = c.readResponse();
    QVERIFY2(r.complete && r.status == 200 && !r.closed, qPrintable(r.describe()));

    QVERIFY(m_project.write(QStringLiteral("gatehouse.yaml"), settingsYaml("limits:\n  maxHeaderSize: 2KiB\n")));
    QVERIFY(gateway().reload().status == 200);
    QTest::qWait(600);   // a few worker ticks: the idle connection is parked (not required to pass)
    c.write(requestBytes("GET", "/load/x", {{"X-Big", big}}));
    r = c.readResponse();
    QVERIFY2(r.complete && r.status == 431, qPrintable(r.describe()));

    QVERIFY(m_project.write(QStringLiteral("gatehouse.yaml"), settingsYaml()));
    QVERIFY(gateway().reload().status == 200);
    // Parked and woken again, twice: the borrowed state serves each request whole.
    HttpConnection again;
    QVERIFY(again.connectTo(gateway().httpPort()));
    for (int i = 0; i < 2; ++i) {
        again.write(requestBytes("GET", "/load/x", {{"X-Big", big}}));
        r = again.readResponse();
        QVERIFY2(r.complete && r.status == 200 && !r.closed, qPrintable(r.describe()));
        QTest::qWait(600);
    }
}

void tst_Reload::reloadUnderLoadFailsNoRequest()
{
    constexpr int kRequests = 2000;
    constexpr int kReloads = 20;
    LoadClients load(gateway().httpPort(), 4, kRequests);
    QVERIFY(load.start());
    // Reload whenever another 1/20th of the requests is answered, without waiting for the answer
    // on the event loop that also drives the load (the in-process admin API shares it).
    int reloads = 0;
    int reloadsAnswered = 0;
    int reloadFailures = 0;
    std::vector<std::unique_ptr<QTcpSocket>> admins;
    const bool finished = waitUntil(
        [&] {
            while (reloads < kReloads && load.answered() >= (reloads + 1) * kRequests / (kReloads + 1)) {
                auto s = std::make_unique<QTcpSocket>();
                QTcpSocket *raw = s.get();
                QObject::connect(raw, &QTcpSocket::readyRead, raw, [raw, &reloadsAnswered, &reloadFailures] {
                    if (raw->bytesAvailable() < 12)
                        return;
                    ++reloadsAnswered;
                    if (!raw->readAll().startsWith("HTTP/1.1 200"))
                        ++reloadFailures;
                    QObject::disconnect(raw, nullptr, nullptr, nullptr);
                });
                raw->connectToHost(QHostAddress::LocalHost, gateway().adminPort());
                raw->write(requestBytes("POST", "/admin/reload", {}, {}, true));
                admins.push_back(std::move(s));
                ++reloads;
            }
            return load.done();
        },
        120'000);
    QVERIFY2(finished, qPrintable(QStringLiteral("%1 of %2 answered").arg(load.answered()).arg(kRequests)));
    QVERIFY2(load.failures() == 0, load.problem().constData());
    QCOMPARE(load.answered(), kRequests);
    QCOMPARE(reloads, kReloads);
    QVERIFY(waitUntil([&] { return reloadsAnswered == kReloads; }, 30'000));
    QCOMPARE(reloadFailures, 0);
}

QTEST_GUILESS_MAIN(tst_Reload)
#include "tst_reload.moc"
