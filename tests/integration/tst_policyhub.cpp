// The offline policy hub through gatehoused: the three packages of resources/hub installed with
// `gatehoused policy install` and working on real requests (in-process and through gatehoused);
// `gatehoused check` on package settings and tampered installs; `gatehoused export` carrying
// installed packages. The hub commands against hostile hubs: tst_policyhubcommands.cpp.
#include "testgateway.h"
#include "testupstream.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace Gatehouse;
using namespace Gatehouse::Test;

namespace {

QString bundledHub()
{
    return qEnvironmentVariable("GATEHOUSE_SOURCE_DIR") + QStringLiteral("/resources/hub");
}

ProcessResult policy(const QStringList &args)
{
    return runGatehoused(QStringList{QStringLiteral("policy")} + args);
}

QByteArray apiDocument(const QString &upstream)
{
    return QStringLiteral("openapi: 3.0.3\n"
                          "info: {title: Hub, version: '1.0'}\n"
                          "x-gatehouse-basePath: /hub\n"
                          "servers: [{url: '%1'}]\n"
                          "x-gatehouse-request-policies:\n"
                          "  - name: request-id\n"
                          "  - name: security-headers\n"
                          "    settings: {frameOptions: SAMEORIGIN}\n"
                          "paths:\n"
                          "  /open:\n"
                          "    get:\n"
                          "      x-gatehouse-request-policies:\n"
                          "        - {name: ip-allow-list, settings: {allow: [127.0.0.0/8, '::1']}}\n"
                          "      responses: {'200': {description: ok}}\n"
                          "  /closed:\n"
                          "    get:\n"
                          "      x-gatehouse-request-policies:\n"
                          "        - {name: ip-allow-list, settings: {allow: [10.0.0.0/8, '2001:db8::1']}}\n"
                          "      responses: {'200': {description: ok}}\n")
        .arg(upstream)
        .toUtf8();
}

} // namespace

class tst_PolicyHub : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase_data() { addGatewayModeRows(); }
    void initTestCase();
    void cleanupTestCase();

    void requestIdIsAddedForwardedAndEchoed();
    void ipAllowListAdmitsListedAddressesOnly();
    void securityHeadersOnEveryResponse();
    void searchFindsPackagesByTag();
    void checkReportsPackageProblems_data();
    void checkReportsPackageProblems();
    void exportCarriesInstalledPackages();

private:
    bool daemonOnly();
    GatewayUnderTest &gateway() { return m_gateways.current(); }
    TestUpstream m_upstream;
    TestProject m_project;
    GatewayPair m_gateways;
};

bool tst_PolicyHub::daemonOnly()
{
    return currentGatewayMode() == GatewayMode::Daemon;
}

void tst_PolicyHub::initTestCase()
{
    QVERIFY(m_project.isValid());
    QVERIFY(m_upstream.start());
    QVERIFY(m_project.write(QStringLiteral("gatehouse.yaml"), settingsYaml()));
    QVERIFY(m_project.write(QStringLiteral("apis/hub.yaml"), apiDocument(m_upstream.url())));
    for (const char *name : {"request-id", "ip-allow-list", "security-headers"}) {
        const ProcessResult r = policy({QStringLiteral("install"), QString::fromLatin1(name), QStringLiteral("--hub"),
                                        bundledHub(), m_project.path()});
        QVERIFY2(r.finished && r.exitCode == 0, qPrintable(r.describe()));
    }
    QVERIFY(readTestFile(m_project.filePath(QStringLiteral("gatehouse.yaml"))).contains("policyPackages:\n  - {name: request-id, version: 1.0.0, sha256: "));
    QString error;
    QVERIFY2(m_gateways.start(m_project.path(), &error), qPrintable(error));
}

void tst_PolicyHub::cleanupTestCase()
{
    m_gateways.stop();
    m_upstream.stop();
}

void tst_PolicyHub::requestIdIsAddedForwardedAndEchoed()
{
    const HttpResponse r = httpRequest(gateway().httpPort(), "GET", "/hub/open");
    QVERIFY2(r.status == 200, qPrintable(r.describe()));
    const QByteArray id = m_upstream.lastRequest().header("X-Request-Id");
    static const QRegularExpression uuid(QStringLiteral("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"));
    QVERIFY2(uuid.match(QString::fromLatin1(id)).hasMatch(), id.constData());
    QCOMPARE(r.header("X-Request-Id"), id);
    const HttpResponse again = httpRequest(gateway().httpPort(), "GET", "/hub/open");
    QVERIFY(again.header("X-Request-Id") != id);
    const HttpResponse kept = httpRequest(gateway().httpPort(), "GET", "/hub/open", {{"X-Request-Id", "caller-42.a_b"}});
    QCOMPARE(m_upstream.lastRequest().header("X-Request-Id"), QByteArray("caller-42.a_b"));
    QCOMPARE(kept.header("X-Request-Id"), QByteArray("caller-42.a_b"));
    const HttpResponse replaced = httpRequest(gateway().httpPort(), "GET", "/hub/open", {{"X-Request-Id", "bad id; drop"}});
    QVERIFY(uuid.match(QString::fromLatin1(replaced.header("X-Request-Id"))).hasMatch());
}

void tst_PolicyHub::ipAllowListAdmitsListedAddressesOnly()
{
    QCOMPARE(httpRequest(gateway().httpPort(), "GET", "/hub/open").status, 200);
    const int before = m_upstream.requestCount();
    const HttpResponse r = httpRequest(gateway().httpPort(), "GET", "/hub/closed");
    QCOMPARE(r.status, 403);
    QCOMPARE(r.header("Content-Type"), QByteArray("application/json"));
    QCOMPARE(r.json().value(QStringLiteral("description")).toString(), QStringLiteral("Your address may not call this API"));
    QCOMPARE(m_upstream.requestCount(), before);
}

void tst_PolicyHub::securityHeadersOnEveryResponse()
{
    const HttpResponse r = httpRequest(gateway().httpPort(), "GET", "/hub/open",
                                       {{"X-Behave", "header=Server:upstream/1;header=X-Powered-By:php"}});
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("Strict-Transport-Security"), QByteArray("max-age=31536000; includeSubDomains"));
    QCOMPARE(r.header("X-Frame-Options"), QByteArray("SAMEORIGIN"));
    QCOMPARE(r.header("X-Content-Type-Options"), QByteArray("nosniff"));
    QCOMPARE(r.header("Referrer-Policy"), QByteArray("no-referrer"));
    QCOMPARE(r.headerCount("Content-Security-Policy"), 0);
    QCOMPARE(r.headerCount("Server"), 0);
    QCOMPARE(r.headerCount("X-Powered-By"), 0);
}

void tst_PolicyHub::searchFindsPackagesByTag()
{
    if (!daemonOnly())
        QSKIP("a CLI run; once is enough");
    const ProcessResult r = policy({QStringLiteral("search"), QStringLiteral("security"), QStringLiteral("--hub"), bundledHub()});
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
    QVERIFY(r.out.startsWith("ip-allow-list "));
    QVERIFY(r.out.contains("\nsecurity-headers "));
    QVERIFY(!r.out.contains("request-id"));
}

void tst_PolicyHub::checkReportsPackageProblems_data()
{
    QTest::addColumn<QByteArray>("attachment");
    QTest::addColumn<QString>("tamperFile");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("a setting of the wrong type is reported with its path")
        << QByteArray("{name: request-id, settings: {header: 42}}") << QString()
        << QByteArray("apis/x.yaml:7:38: error: policy 'request-id': settings.header: expected string, got integer\n");
    QTest::newRow("an unknown setting is reported")
        << QByteArray("{name: security-headers, settings: {frameOption: DENY}}") << QString()
        << QByteArray("error: policy 'security-headers': settings");
    QTest::newRow("a bad network is reported at the script's line")
        << QByteArray("{name: ip-allow-list, settings: {allow: [10.0.0.0/40]}}") << QString()
        << QByteArray("policies/ip-allow-list/ip-allow-list.lua:25: error: Lua: settings.allow[0]: prefix length above 32 "
                      "in '10.0.0.0/40' (attached at apis/x.yaml:7:38)\n");
    QTest::newRow("an installed package changed after install is refused")
        << QByteArray("{name: request-id}") << QStringLiteral("policies/request-id/request-id.lua")
        << QByteArray("error: policy 'request-id': policies/request-id was changed after it was installed");
    QTest::newRow("a pinned package whose folder is gone is reported")
        << QByteArray("{name: request-id}") << QStringLiteral("policies/request-id")
        << QByteArray("error: policy 'request-id': package request-id 1.0.0 is pinned in gatehouse.yaml but "
                      "policies/request-id cannot be read");
}

void tst_PolicyHub::checkReportsPackageProblems()
{
    if (!daemonOnly())
        QSKIP("gatehoused check runs; once is enough");
    QFETCH(QByteArray, attachment);
    QFETCH(QString, tamperFile);
    QFETCH(QByteArray, expected);
    TestProject project;
    for (const char *name : {"request-id", "ip-allow-list", "security-headers"}) {
        const ProcessResult r = policy({QStringLiteral("install"), QString::fromLatin1(name), QStringLiteral("--hub"),
                                        bundledHub(), project.path()});
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
    }
    QVERIFY(project.write(QStringLiteral("apis/x.yaml"), "openapi: 3.0.3\n"
                                                         "info: {title: X, version: '1'}\n"
                                                         "servers: [{url: 'http://127.0.0.1:1/x'}]\n"
                                                         "paths:\n"
                                                         "  /a:\n"
                                                         "    get:\n"
                                                         "      x-gatehouse-request-policies: [" + attachment + "]\n"
                                                         "      responses: {'200': {description: ok}}\n"));
    const ProcessResult clean = runGatehoused({QStringLiteral("check"), project.path()});
    if (!tamperFile.isEmpty()) {
        QVERIFY2(clean.exitCode == 0, qPrintable(clean.describe()));
        const QString path = project.filePath(tamperFile);
        if (QFileInfo(path).isDir())
            QVERIFY(QDir(path).removeRecursively());
        else
            QVERIFY(writeTestFile(path, readTestFile(path) + "\n-- an edit\n"));
    }
    const ProcessResult r = runGatehoused({QStringLiteral("check"), project.path()});
    QVERIFY2(r.finished && r.exitCode == 1, qPrintable(r.describe()));
    QVERIFY2(r.err.contains(expected), r.err.constData());
}

void tst_PolicyHub::exportCarriesInstalledPackages()
{
    if (!daemonOnly())
        QSKIP("a CLI run; once is enough");
    QTemporaryDir work;
    const QString out = work.filePath(QStringLiteral("bundle"));
    const ProcessResult r = runGatehoused({QStringLiteral("export"), m_project.path(), QStringLiteral("--out"), out});
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
    for (const char *file : {"policies/request-id/manifest.yaml", "policies/request-id/request-id.lua",
                             "policies/ip-allow-list/ip-allow-list.lua", "policies/security-headers/manifest.yaml"})
        QVERIFY2(QFileInfo::exists(out + u'/' + QString::fromLatin1(file)), file);
    const ProcessResult check = runGatehoused({QStringLiteral("check"), out});
    QVERIFY2(check.exitCode == 0, qPrintable(check.describe()));   // pins and checksums still hold
}

QTEST_GUILESS_MAIN(tst_PolicyHub)
#include "tst_policyhub.moc"
