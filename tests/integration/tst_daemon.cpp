// gatehoused serve as a process: SIGTERM drains in-flight requests and refuses new connections,
// the drain is bounded, ports in use and invalid projects exit 1 with clear diagnostics.
#include "testgateway.h"
#include "testupstream.h"

#include "base/diagnostic.h"
#include "engine/gatewayengine.h"

#include <QRegularExpression>
#include <QTcpServer>
#include <QTest>

#include <csignal>

using namespace Gatehouse;
using namespace Gatehouse::Test;

class tst_Daemon : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();

    void sigtermFinishesInFlightRequestsAndRefusesNewOnes();
    void drainIsBoundedByDrainTimeout();
    void idleKeepAliveConnectionsDoNotHoldTheShutdown();
    void engineStopDrainsInFlightRequests();
    void engineStartsAgainAfterStop();
    void portInUseExits1_data();
    void portInUseExits1();
    void secondGatewayOnTheSamePortIsRefused();
    void invalidProjectExits1WithLocations_data();
    void invalidProjectExits1WithLocations();
    void usageErrorsExit2_data();
    void usageErrorsExit2();

private:
    TestUpstream m_upstream;
    TestProject m_project;        // drainTimeout 20s
    TestProject m_shortDrain;     // drainTimeout 1s
};

namespace {

bool connectionRefused(quint16 port)
{
    HttpConnection c;
    return !c.connectTo(port, false, {}, 5000);
}

} // namespace

void tst_Daemon::initTestCase()
{
    if (gatehousedPath().isEmpty())
        QSKIP("GATEHOUSED is not set (ctest sets it)");
    QVERIFY(m_upstream.start());
    const QByteArray api = apiYaml(QStringLiteral("Slow"), QStringLiteral("/slow"), m_upstream.url(), {QStringLiteral("/x GET")});
    QVERIFY(m_project.write(QStringLiteral("gatehouse.yaml"), settingsYaml("limits:\n  drainTimeout: 20s\n")));
    QVERIFY(m_project.write(QStringLiteral("apis/slow.yaml"), api));
    QVERIFY(m_shortDrain.write(QStringLiteral("gatehouse.yaml"), settingsYaml("limits:\n  drainTimeout: 1s\n")));
    QVERIFY(m_shortDrain.write(QStringLiteral("apis/slow.yaml"), api));
}

void tst_Daemon::cleanupTestCase()
{
    m_upstream.stop();
}

void tst_Daemon::sigtermFinishesInFlightRequestsAndRefusesNewOnes()
{
    GatewayUnderTest gateway(GatewayMode::Daemon);
    QVERIFY2(gateway.start(m_project.path()), qPrintable(gateway.errorString()));
    const int before = m_upstream.requestCount();
    HttpConnection c;
    QVERIFY(c.connectTo(gateway.httpPort()));
    c.write(requestBytes("GET", "/slow/x", {{"X-Behave", "delay=4000"}}));
    QVERIFY(m_upstream.waitForRequests(before + 1));

    gateway.signal(SIGTERM);
    // The listeners close at once; the process stays up for the request in flight.
    QVERIFY2(waitUntil([&] { return connectionRefused(gateway.httpPort()); }, 10'000),
             "new connections were still accepted while draining");
    QVERIFY2(gateway.isRunning(), "the process exited before its request in flight was answered");

    const HttpResponse r = c.readResponse("GET", 30'000);
    QVERIFY2(r.complete && r.status == 200, qPrintable(r.describe()));
    QCOMPARE(gateway.stop(30'000), 0);
    QVERIFY2(gateway.daemonStderr().contains("draining connections"), gateway.daemonStderr().constData());
    QVERIFY(gateway.daemonStderr().contains("gatehoused: stopped"));
}

void tst_Daemon::drainIsBoundedByDrainTimeout()
{
    GatewayUnderTest gateway(GatewayMode::Daemon);
    QVERIFY2(gateway.start(m_shortDrain.path()), qPrintable(gateway.errorString()));
    const int before = m_upstream.requestCount();
    HttpConnection c;
    QVERIFY(c.connectTo(gateway.httpPort()));
    c.write(requestBytes("GET", "/slow/x", {{"X-Behave", "delay=60000"}}));
    QVERIFY(m_upstream.waitForRequests(before + 1));
    gateway.signal(SIGTERM);
    // drainTimeout is 1s; the request would take a minute. The hang guard is far longer than 1s.
    QVERIFY2(waitUntil([&] { return !gateway.isRunning(); }, 20'000), "the drain was not bounded");
    QCOMPARE(gateway.stop(), 0);
    const HttpResponse r = c.readResponse("GET", 10'000);
    QVERIFY2(!r.complete && r.closed, qPrintable(r.describe()));
}

void tst_Daemon::idleKeepAliveConnectionsDoNotHoldTheShutdown()
{
    // drainTimeout is 20s; idle keep-alive connections are closed at once, so the process exits
    // long before (the hang guard is half the drain bound).
    GatewayUnderTest gateway(GatewayMode::Daemon);
    QVERIFY2(gateway.start(m_project.path()), qPrintable(gateway.errorString()));
    HttpConnection c;
    QVERIFY(c.connectTo(gateway.httpPort()));
    c.write(requestBytes("GET", "/slow/x"));
    QVERIFY(c.readResponse().status == 200);
    gateway.signal(SIGTERM);
    QVERIFY2(c.waitForClosed(10'000), "the idle connection was not closed on SIGTERM");
    QVERIFY2(waitUntil([&] { return !gateway.isRunning(); }, 10'000), "an idle connection held the shutdown");
    QCOMPARE(gateway.stop(), 0);
}

void tst_Daemon::engineStopDrainsInFlightRequests()
{
    GatewayUnderTest gateway(GatewayMode::InProcess);
    QVERIFY2(gateway.start(m_project.path()), qPrintable(gateway.errorString()));
    const int before = m_upstream.requestCount();
    HttpConnection c;
    QVERIFY(c.connectTo(gateway.httpPort()));
    c.write(requestBytes("GET", "/slow/x", {{"X-Behave", "delay=1500"}}));
    QVERIFY(m_upstream.waitForRequests(before + 1));
    const quint16 port = gateway.httpPort();
    gateway.engine()->stop();
    QCOMPARE(gateway.engine()->state(), GatewayEngine::State::Stopping);
    QVERIFY2(waitUntil([&] { return connectionRefused(port); }, 10'000), "new connections were still accepted");
    const HttpResponse r = c.readResponse("GET", 30'000);
    QVERIFY2(r.complete && r.status == 200, qPrintable(r.describe()));
    QVERIFY(waitUntil([&] { return gateway.engine()->state() == GatewayEngine::State::Stopped; }, 30'000));
}

void tst_Daemon::engineStartsAgainAfterStop()
{
    // The workbench stops and starts the same engine object as the user edits the project.
    GatewayEngine engine;
    for (int round = 0; round < 3; ++round) {
        GatewayEngine::Options o;
        o.projectDir = m_project.path();
        o.httpPort = 0;
        o.httpsPort = 0;
        o.adminPort = 0;
        o.workers = 2;
        Diagnostics d;
        QVERIFY2(engine.start(o, d), qPrintable(d.toString()));
        QCOMPARE(engine.state(), GatewayEngine::State::Running);
        const HttpResponse r = httpRequest(engine.httpPort(), "GET", "/slow/x");
        QVERIFY2(r.complete && r.status == 200, qPrintable(r.describe()));
        QCOMPARE(httpRequest(engine.adminPort(), "GET", "/health").status, 200);
        engine.stopAndWait();
        QCOMPARE(engine.state(), GatewayEngine::State::Stopped);
        QCOMPARE(engine.workerCount(), 0);
    }
}

void tst_Daemon::portInUseExits1_data()
{
    QTest::addColumn<QString>("option");
    QTest::addColumn<QString>("message");
    QTest::newRow("the HTTP port is taken") << QStringLiteral("--http-port") << QStringLiteral("cannot listen on 127.0.0.1:%1");
    QTest::newRow("the HTTPS port is taken") << QStringLiteral("--https-port") << QStringLiteral("cannot listen on 127.0.0.1:%1");
    QTest::newRow("the admin port is taken") << QStringLiteral("--admin-port")
                                             << QStringLiteral("cannot listen on 127.0.0.1:%1 for the admin API");
}

void tst_Daemon::portInUseExits1()
{
    QFETCH(QString, option);
    QFETCH(QString, message);
    QTcpServer taken;
    QVERIFY(taken.listen(QHostAddress::LocalHost, 0));
    QStringList args{QStringLiteral("serve"), m_project.path()};
    for (const QString &o : {QStringLiteral("--http-port"), QStringLiteral("--https-port"), QStringLiteral("--admin-port")})
        args << o << (o == option ? QString::number(taken.serverPort()) : QStringLiteral("0"));
    const ProcessResult p = runProcess(gatehousedPath(), args, 20'000);
    QVERIFY2(p.finished && p.exitCode == 1, qPrintable(p.describe()));
    QVERIFY2(QString::fromLocal8Bit(p.err).contains(message.arg(taken.serverPort())), qPrintable(p.describe()));
    QVERIFY(p.err.contains("gatehoused: not started"));
}

// SO_REUSEPORT would let a second gateway of the same user join the first one's listener group and
// take half of its traffic; it must be refused like any other port in use.
void tst_Daemon::secondGatewayOnTheSamePortIsRefused()
{
    GatewayUnderTest first(GatewayMode::InProcess);
    QVERIFY2(first.start(m_project.path(), 2), qPrintable(first.errorString()));
    const QStringList args{QStringLiteral("serve"), m_project.path(), QStringLiteral("--http-port"),
                           QString::number(first.httpPort()), QStringLiteral("--https-port"), QStringLiteral("0"),
                           QStringLiteral("--admin-port"), QStringLiteral("0")};
    const ProcessResult p = runProcess(gatehousedPath(), args, 20'000);
    QVERIFY2(p.finished && p.exitCode == 1, qPrintable(p.describe()));
    QVERIFY2(QString::fromLocal8Bit(p.err).contains(QStringLiteral("cannot listen on 127.0.0.1:%1").arg(first.httpPort())),
             qPrintable(p.describe()));
    first.stop();
}

void tst_Daemon::invalidProjectExits1WithLocations_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("diagnostic");   // a regular expression for one stderr line
    QTest::newRow("an API with a wrong type names its file, line and column")
        << QStringLiteral("apis/bad.yaml") << QByteArray("openapi: 3.0.3\ninfo:\n  title: Bad\n  version: '1'\npaths:\n  /z:\n    get: 42\n")
        << QStringLiteral("^apis/bad\\.yaml:\\d+:\\d+: error: .+");
    QTest::newRow("a duration without a unit in gatehouse.yaml names its line and column")
        << QStringLiteral("gatehouse.yaml") << QByteArray("version: 1\nlimits:\n  headerTimeout: 10\n")
        << QStringLiteral("^gatehouse\\.yaml:3:\\d+: error: .*headerTimeout.*");
    QTest::newRow("YAML that does not parse names its line and column")
        << QStringLiteral("apis/broken.yaml") << QByteArray("openapi: [\n")
        << QStringLiteral("^apis/broken\\.yaml:\\d+:\\d+: error: .+");
}

void tst_Daemon::invalidProjectExits1WithLocations()
{
    QFETCH(QString, file);
    QFETCH(QByteArray, content);
    QFETCH(QString, diagnostic);
    TestProject project;
    QVERIFY(project.write(QStringLiteral("gatehouse.yaml"), settingsYaml()));
    QVERIFY(project.write(QStringLiteral("apis/ok.yaml"),
                          apiYaml(QStringLiteral("Ok"), QStringLiteral("/ok"), m_upstream.url(), {QStringLiteral("/x GET")})));
    QVERIFY(project.write(file, content));
    const ProcessResult p = runProcess(gatehousedPath(), {QStringLiteral("serve"), project.path(), QStringLiteral("--http-port"),
                                                          QStringLiteral("0"), QStringLiteral("--https-port"), QStringLiteral("0"),
                                                          QStringLiteral("--admin-port"), QStringLiteral("0")},
                                       20'000);
    QVERIFY2(p.finished && p.exitCode == 1, qPrintable(p.describe()));
    const QRegularExpression re(diagnostic, QRegularExpression::MultilineOption);
    QVERIFY2(re.match(QString::fromLocal8Bit(p.err)).hasMatch(), qPrintable(p.describe()));
    QVERIFY(p.err.contains("gatehoused: not started"));
}

void tst_Daemon::usageErrorsExit2_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::newRow("serve without a project folder") << QStringList{QStringLiteral("serve")};
    QTest::newRow("a port that is not a number")
        << QStringList{QStringLiteral("serve"), QStringLiteral("."), QStringLiteral("--http-port"), QStringLiteral("http")};
    QTest::newRow("a port above 65535")
        << QStringList{QStringLiteral("serve"), QStringLiteral("."), QStringLiteral("--admin-port"), QStringLiteral("70000")};
    QTest::newRow("an unknown option") << QStringList{QStringLiteral("serve"), QStringLiteral("."), QStringLiteral("--fast")};
}

void tst_Daemon::usageErrorsExit2()
{
    QFETCH(QStringList, arguments);
    const ProcessResult p = runProcess(gatehousedPath(), arguments, 20'000);
    QVERIFY2(p.finished && p.exitCode == 2, qPrintable(p.describe()));
    QVERIFY2(p.err.startsWith("gatehoused serve: "), qPrintable(p.describe()));
}

QTEST_GUILESS_MAIN(tst_Daemon)
#include "tst_daemon.moc"
