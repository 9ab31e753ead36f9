// Native C++ interceptors through the real gateway (in-process and gatehoused): a plugin that
// sets a header, answers itself (respond), throws (500, never a crash) and edits the response; a
// plugin that reads and replaces request bodies; and `gatehoused check` refusing bad settings (with
// field paths), a wrong ABI version, a library without entry points, one with an unresolved symbol,
// a missing file and a path out of policies/.
#include "testgateway.h"
#include "testupstream.h"

#include <QDir>
#include <QFile>
#include <QTest>

using namespace Gatehouse;
using namespace Gatehouse::Test;

namespace {

QString pluginFile(const QString &name)
{
    return QDir(qEnvironmentVariable("GATEHOUSE_TEST_PLUGINS")).filePath(name + QStringLiteral(".so"));
}

bool copyPlugin(const TestProject &project, const QString &name)
{
    QFile in(pluginFile(name));
    return in.open(QIODevice::ReadOnly) && project.write(QStringLiteral("policies/") + name + QStringLiteral(".so"), in.readAll());
}

QByteArray operation(const QByteArray &path, const QByteArray &method, const QByteArray &policy)
{
    return "  " + path + ":\n    " + method + ":\n      x-gatehouse-request-policies: [" + policy + "]\n"
           "      responses: {'200': {description: ok}}\n";
}

QByteArray apiDocument(const QString &upstream)
{
    const QByteArray add = "{name: native, settings: {library: addheader.so, header: X-Native, value: 'from C++'}}";
    return QStringLiteral("openapi: 3.0.3\n"
                          "info: {title: Native, version: '1.0'}\n"
                          "x-gatehouse-basePath: /native\n"
                          "servers: [{url: '%1'}]\n"
                          "paths:\n")
               .arg(upstream)
               .toUtf8()
           + operation("/add", "get", add) + operation("/throw", "get", add)
           + operation("/body", "post", "{name: native, settings: {library: upperbody.so}}")
           + "  /plain:\n    get:\n      responses: {'200': {description: ok}}\n";
}

} // namespace

class tst_NativePlugins : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase_data() { addGatewayModeRows(); }
    void initTestCase();
    void cleanupTestCase();

    void pluginSetsRequestAndResponseHeaders();
    void respondShortCircuitsTheUpstream();
    void throwingPluginAnswers500AndKeepsServing();
    void bodyPluginReplacesTheRequestBody();
    void checkRefusesBrokenPluginsAndSettings_data();
    void checkRefusesBrokenPluginsAndSettings();

private:
    GatewayUnderTest &gateway() { return m_gateways.current(); }
    TestUpstream m_upstream;
    TestProject m_project;
    GatewayPair m_gateways;
};

void tst_NativePlugins::initTestCase()
{
    QVERIFY(m_project.isValid());
    QVERIFY2(QFile::exists(pluginFile(QStringLiteral("addheader"))), "GATEHOUSE_TEST_PLUGINS does not hold the plugins");
    QVERIFY(m_upstream.start());
    QVERIFY(m_project.write(QStringLiteral("gatehouse.yaml"), settingsYaml()));
    QVERIFY(m_project.write(QStringLiteral("apis/native.yaml"), apiDocument(m_upstream.url())));
    QVERIFY(copyPlugin(m_project, QStringLiteral("addheader")));
    QVERIFY(copyPlugin(m_project, QStringLiteral("upperbody")));
    QString error;
    QVERIFY2(m_gateways.start(m_project.path(), &error), qPrintable(error));
}

void tst_NativePlugins::cleanupTestCase()
{
    m_gateways.stop();
    m_upstream.stop();
}

void tst_NativePlugins::pluginSetsRequestAndResponseHeaders()
{
    for (int i = 0; i < 4; ++i) {   // both workers' instances
        const HttpResponse r = httpRequest(gateway().httpPort(), "GET", "/native/add", {{"X-Behave", "status=203"}});
        QVERIFY2(r.status == 203, qPrintable(r.describe()));
        QCOMPARE(m_upstream.lastRequest().header("X-Native"), QByteArray("from C++"));
        QCOMPARE(r.header("X-Native-Status"), QByteArray("203"));
    }
}

void tst_NativePlugins::respondShortCircuitsTheUpstream()
{
    const int before = m_upstream.requestCount();
    const HttpResponse r = httpRequest(gateway().httpPort(), "GET", "/native/add", {{"X-Deny", "1"}});
    QCOMPARE(r.status, 451);
    QCOMPARE(r.body, QByteArray("denied by a native plugin"));
    QCOMPARE(r.header("X-Denied-By"), QByteArray("addheader"));
    QCOMPARE(r.header("Content-Type"), QByteArray("text/plain"));
    QCOMPARE(m_upstream.requestCount(), before);
}

void tst_NativePlugins::throwingPluginAnswers500AndKeepsServing()
{
    const int before = m_upstream.requestCount();
    for (int i = 0; i < 3; ++i) {
        const HttpResponse r = httpRequest(gateway().httpPort(), "GET", "/native/throw");
        QVERIFY2(r.status == 500, qPrintable(r.describe()));
        QCOMPARE(r.json().value(QStringLiteral("message")).toString(), QStringLiteral("Internal error"));
    }
    QCOMPARE(m_upstream.requestCount(), before);
    QVERIFY(gateway().isRunning());
    QCOMPARE(httpRequest(gateway().httpPort(), "GET", "/native/plain").status, 200);
    if (gateway().mode() == GatewayMode::Daemon) {
        QTRY_VERIFY2(gateway().daemonStderr().contains("policies/addheader.so: onRequest failed, answered 500: threw "
                                                       "addheader exploded on purpose"),
                     gateway().daemonStderr().constData());
    }
}

void tst_NativePlugins::bodyPluginReplacesTheRequestBody()
{
    const HttpResponse r = httpRequest(gateway().httpPort(), "POST", "/native/body", {{"Content-Type", "text/plain"}},
                                       "make me loud");
    QVERIFY2(r.status == 200, qPrintable(r.describe()));
    const RecordedRequest seen = m_upstream.lastRequest();
    QCOMPARE(seen.body, QByteArray("MAKE ME LOUD"));
    QCOMPARE(seen.header("X-Body-Bytes"), QByteArray("12"));
    const HttpResponse empty = httpRequest(gateway().httpPort(), "POST", "/native/body", {}, QByteArray());
    QCOMPARE(empty.status, 400);
    QCOMPARE(empty.body, QByteArray("a body, please"));
    const HttpResponse large = httpRequest(gateway().httpPort(), "POST", "/native/body", {}, QByteArray(2000, 'x'));
    QCOMPARE(large.status, 413);   // beyond the plugin's declared maxRequestBodyBytes (1024)
}

void tst_NativePlugins::checkRefusesBrokenPluginsAndSettings_data()
{
    QTest::addColumn<QByteArray>("settings");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("a setting of the wrong type is reported with its path")
        << QByteArray("{library: addheader.so, header: 42}")
        << QByteArray("apis/x.yaml:7:38: error: policy 'native': settings.header: expected string, got integer "
                      "(policies/addheader.so)\n");
    QTest::newRow("a missing required setting is reported")
        << QByteArray("{library: addheader.so}")
        << QByteArray("error: policy 'native': settings: required property 'header' is missing (policies/addheader.so)\n");
    QTest::newRow("an unknown setting is reported")
        << QByteArray("{library: addheader.so, header: X-A, colour: blue}")
        << QByteArray("(policies/addheader.so)\n");
    QTest::newRow("the plugin's own refusal of its settings is reported")
        << QByteArray("{library: addheader.so, header: x-forbidden}")
        << QByteArray("error: policy 'native': policies/addheader.so: header 'x-forbidden' is reserved by this plugin\n");
    QTest::newRow("a plugin built for another ABI version is refused")
        << QByteArray("{library: wrongabi.so}")
        << QByteArray("error: policy 'native': policies/wrongabi.so: refused: it was built for interceptor ABI "
                      "version 99, this gatehoused speaks version 1");
    QTest::newRow("a library without the entry points is refused")
        << QByteArray("{library: noentry.so}")
        << QByteArray("error: policy 'native': policies/noentry.so: refused: it exports no "
                      "gatehouse_interceptor_abi_version()");
    QTest::newRow("a library with an unresolved symbol is refused when loaded")
        << QByteArray("{library: unresolved.so}")
        << QByteArray("gatehouse_test_symbol_nobody_defines");
    QTest::newRow("a missing library is refused")
        << QByteArray("{library: absent.so}")
        << QByteArray("error: policy 'native': policies/absent.so: refused: no such file\n");
    QTest::newRow("a library outside policies/ is refused")
        << QByteArray("{library: ../addheader.so}")
        << QByteArray("error: policy 'native': settings.library: '../addheader.so' must name a file inside the "
                      "project's policies/ folder\n");
}

void tst_NativePlugins::checkRefusesBrokenPluginsAndSettings()
{
    if (currentGatewayMode() != GatewayMode::Daemon)
        QSKIP("gatehoused check runs; once is enough");
    QFETCH(QByteArray, settings);
    QFETCH(QByteArray, expected);
    TestProject broken;
    for (const char *name : {"addheader", "wrongabi", "noentry", "unresolved"})
        QVERIFY(copyPlugin(broken, QString::fromLatin1(name)));
    QVERIFY(broken.write(QStringLiteral("apis/x.yaml"),
                         "openapi: 3.0.3\n"
                         "info: {title: X, version: '1'}\n"
                         "servers: [{url: 'http://127.0.0.1:1/x'}]\n"
                         "paths:\n"
                         "  /a:\n"
                         "    get:\n"
                         "      x-gatehouse-request-policies: [{name: native, settings: " + settings + "}]\n"
                         "      responses: {'200': {description: ok}}\n"));
    const ProcessResult r = runProcess(gatehousedPath(), {QStringLiteral("check"), broken.path()});
    QVERIFY2(r.finished && r.exitCode == 1, qPrintable(r.describe()));
    QVERIFY2(r.err.contains(expected), r.err.constData());
    QVERIFY2(!r.err.contains("Segmentation") && !r.err.contains("Aborted"), r.err.constData());
}

QTEST_GUILESS_MAIN(tst_NativePlugins)
#include "tst_nativeplugins.moc"
