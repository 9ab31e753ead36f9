// Policies through the real gateway (in-process and gatehoused): headers set and removed both ways
// as the upstream and the client see them, CORS preflights and actual requests (also with curl),
// mock-response, Lua interceptors (edits, respond, runtime error, endless loop, memory bomb,
// forbidden library), and `gatehoused check` diagnostics at file:line:col.
#include "testgateway.h"
#include "testupstream.h"

#include <QStandardPaths>
#include <QTest>

using namespace Gatehouse;
using namespace Gatehouse::Test;

namespace {

QByteArray luaOperation(const QByteArray &path, const QByteArray &script)
{
    return "  " + path + ":\n"
           "    get:\n"
           "      x-gatehouse-request-policies: [{name: lua, settings: {script: " + script + "}}]\n"
           "      responses: {'200': {description: ok}}\n";
}

QByteArray apiDocument(const QString &upstream)
{
    return QStringLiteral("openapi: 3.0.3\n"
                          "info: {title: Zoo, version: '1.0'}\n"
                          "x-gatehouse-basePath: /zoo\n"
                          "servers: [{url: '%1'}]\n"
                          "x-wso2-cors:\n"
                          "  accessControlAllowOrigins: ['https://app.example']\n"
                          "  accessControlAllowHeaders: [authorization, content-type]\n"
                          "  accessControlExposeHeaders: [X-Served-By]\n"
                          "  accessControlMaxAge: 300\n"
                          "x-gatehouse-request-policies:\n"
                          "  - name: set-headers\n"
                          "    settings:\n"
                          "      request: [{name: X-Route, value: '${request.method} ${route.operationId}'}]\n"
                          "      response: [{name: X-Served-By, value: gatehouse}]\n"
                          "  - name: remove-headers\n"
                          "    settings: {request: [X-Secret], response: [Server]}\n"
                          "paths:\n"
                          "  /pets/{petId}:\n"
                          "    get:\n"
                          "      operationId: getPet\n"
                          "      parameters: [{name: petId, in: path, required: true, schema: {type: string}}]\n"
                          "      responses: {'200': {description: ok}}\n"
                          "  /stub:\n"
                          "    get:\n"
                          "      x-gatehouse-request-policies:\n"
                          "        - {name: mock-response, settings: {status: 202, contentType: text/plain, body: stubbed}}\n"
                          "      responses: {'200': {description: ok}}\n")
               .arg(upstream)
               .toUtf8()
           + luaOperation("/lua/edit", "edit.lua") + luaOperation("/lua/respond", "respond.lua")
           + luaOperation("/lua/error", "error.lua") + luaOperation("/lua/loop", "loop.lua")
           + luaOperation("/lua/bomb", "bomb.lua") + luaOperation("/lua/os", "os.lua")
           + luaOperation("/lua/split", "split.lua") + luaOperation("/lua/splitresponse", "splitresponse.lua");
}

} // namespace

class tst_Policies : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase_data() { addGatewayModeRows(); }
    void initTestCase();
    void cleanupTestCase();

    void headersBothWays();
    void corsPreflightAndActualRequest();
    void corsWithCurl();
    void mockResponse();
    void luaEditsAndResponds();
    void luaFailuresAnswer500_data();
    void luaFailuresAnswer500();
    void headerValuesFromScriptsCannotSplitAMessage();
    void checkReportsPolicyProblems();

private:
    GatewayUnderTest &gateway() { return m_gateways.current(); }
    TestUpstream m_upstream;
    TestProject m_project;
    GatewayPair m_gateways;
};

void tst_Policies::initTestCase()
{
    QVERIFY(m_project.isValid());
    QVERIFY(m_upstream.start());
    QVERIFY(m_project.write(QStringLiteral("gatehouse.yaml"), settingsYaml()));
    QVERIFY(m_project.write(QStringLiteral("apis/zoo.yaml"), apiDocument(m_upstream.url())));
    QVERIFY(m_project.write(QStringLiteral("policies/edit.lua"),
                            "function on_request(req)\n"
                            "  req:set_header('X-Lua', req:method() .. ' ' .. req:path())\n"
                            "end\n"
                            "function on_response(res)\n"
                            "  res:set_header('X-Lua-Status', tostring(res:status()))\n"
                            "end\n"));
    QVERIFY(m_project.write(QStringLiteral("policies/respond.lua"),
                            "function on_request(req)\n"
                            "  req:respond(418, 'short and stout', {['X-Teapot'] = 'yes'})\n"
                            "end\n"));
    QVERIFY(m_project.write(QStringLiteral("policies/error.lua"), "function on_request(req)\n  error('boom')\nend\n"));
    QVERIFY(m_project.write(QStringLiteral("policies/loop.lua"), "function on_request(req)\n  while true do end\nend\n"));
    QVERIFY(m_project.write(QStringLiteral("policies/bomb.lua"),
                            "function on_request(req)\n  local t = {}\n  for i = 1, 1e9 do t[i] = string.rep('x', 1e5) .. i end\nend\n"));
    QVERIFY(m_project.write(QStringLiteral("policies/os.lua"), "function on_request(req)\n  os.execute('touch /tmp/x')\nend\n"));
    QVERIFY(m_project.write(QStringLiteral("policies/split.lua"),
                            "function on_request(req)\n  req:set_header('X-Split', 'a\\r\\nX-Injected: 1')\nend\n"));
    QVERIFY(m_project.write(QStringLiteral("policies/splitresponse.lua"),
                            "function on_response(res)\n  res:set_header('X-Split', 'a\\r\\nX-Injected: 1')\nend\n"));
    QString error;
    QVERIFY2(m_gateways.start(m_project.path(), &error), qPrintable(error));
}

void tst_Policies::cleanupTestCase()
{
    m_gateways.stop();
    m_upstream.stop();
}

void tst_Policies::headersBothWays()
{
    const HttpResponse r = httpRequest(gateway().httpPort(), "GET", "/zoo/pets/7",
                                       {{"X-Secret", "hush"}, {"X-Behave", "header=Server:upstream/1;header=X-Up:1"}});
    QVERIFY2(r.status == 200, qPrintable(r.describe()));
    const RecordedRequest seen = m_upstream.lastRequest();
    QCOMPARE(seen.header("X-Route"), QByteArray("GET getPet"));
    QCOMPARE(seen.headerCount("X-Secret"), 0);
    QCOMPARE(r.header("X-Served-By"), QByteArray("gatehouse"));
    QCOMPARE(r.headerCount("Server"), 0);
    QCOMPARE(r.header("X-Up"), QByteArray("1"));
}

void tst_Policies::corsPreflightAndActualRequest()
{
    const int before = m_upstream.requestCount();
    const HttpResponse pre = httpRequest(gateway().httpPort(), "OPTIONS", "/zoo/pets/7",
                                         {{"Origin", "https://app.example"}, {"Access-Control-Request-Method", "GET"},
                                          {"Access-Control-Request-Headers", "authorization"}});
    QVERIFY2(pre.status == 204, qPrintable(pre.describe()));
    QCOMPARE(pre.header("Access-Control-Allow-Origin"), QByteArray("https://app.example"));
    QCOMPARE(pre.header("Access-Control-Allow-Methods"), QByteArray("GET, HEAD, OPTIONS"));
    QCOMPARE(pre.header("Access-Control-Allow-Headers"), QByteArray("authorization, content-type"));
    QCOMPARE(pre.header("Access-Control-Max-Age"), QByteArray("300"));
    QCOMPARE(pre.headerCount("Content-Length"), 0);
    QVERIFY(pre.body.isEmpty());
    const HttpResponse refused = httpRequest(gateway().httpPort(), "OPTIONS", "/zoo/pets/7",
                                             {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "GET"}});
    QCOMPARE(refused.status, 403);
    QCOMPARE(m_upstream.requestCount(), before);   // preflights never reach the upstream

    const HttpResponse actual = httpRequest(gateway().httpPort(), "GET", "/zoo/pets/7",
                                            {{"Origin", "https://app.example"},
                                             {"X-Behave", "header=Access-Control-Allow-Origin:*"}});
    QCOMPARE(actual.status, 200);
    QCOMPARE(actual.headerCount("Access-Control-Allow-Origin"), 1);   // the upstream's is replaced
    QCOMPARE(actual.header("Access-Control-Allow-Origin"), QByteArray("https://app.example"));
    QCOMPARE(actual.header("Access-Control-Expose-Headers"), QByteArray("X-Served-By"));
    // The gateway's own answers from the chain carry them too.
    const HttpResponse stub = httpRequest(gateway().httpPort(), "GET", "/zoo/stub", {{"Origin", "https://app.example"}});
    QCOMPARE(stub.header("Access-Control-Allow-Origin"), QByteArray("https://app.example"));
}

void tst_Policies::corsWithCurl()
{
    const QString curl = QStandardPaths::findExecutable(QStringLiteral("curl"));
    if (curl.isEmpty())
        QSKIP("curl is not installed");
    const QString url = QStringLiteral("http://127.0.0.1:%1/zoo/pets/1").arg(gateway().httpPort());
    const ProcessResult r = runProcess(curl, {QStringLiteral("-s"), QStringLiteral("-i"), QStringLiteral("-X"),
                                              QStringLiteral("OPTIONS"), QStringLiteral("-H"),
                                              QStringLiteral("Origin: https://app.example"), QStringLiteral("-H"),
                                              QStringLiteral("Access-Control-Request-Method: GET"), url});
    QVERIFY2(r.finished && r.exitCode == 0, qPrintable(r.describe()));
    QVERIFY2(r.out.startsWith("HTTP/1.1 204"), r.out.constData());
    QVERIFY2(r.out.contains("Access-Control-Allow-Origin: https://app.example\r\n"), r.out.constData());
    const ProcessResult get = runProcess(curl, {QStringLiteral("-s"), QStringLiteral("-i"), QStringLiteral("-H"),
                                                QStringLiteral("Origin: https://app.example"), url});
    QVERIFY2(get.out.startsWith("HTTP/1.1 200"), get.out.constData());
    QVERIFY2(get.out.contains("Access-Control-Allow-Origin: https://app.example\r\n"), get.out.constData());
}

void tst_Policies::mockResponse()
{
    const int before = m_upstream.requestCount();
    const HttpResponse r = httpRequest(gateway().httpPort(), "GET", "/zoo/stub");
    QCOMPARE(r.status, 202);
    QCOMPARE(r.header("Content-Type"), QByteArray("text/plain"));
    QCOMPARE(r.body, QByteArray("stubbed"));
    QCOMPARE(m_upstream.requestCount(), before);
}

void tst_Policies::luaEditsAndResponds()
{
    const HttpResponse r = httpRequest(gateway().httpPort(), "GET", "/zoo/lua/edit", {{"X-Behave", "status=201"}});
    QVERIFY2(r.status == 201, qPrintable(r.describe() + QString::fromUtf8(r.body)));
    QCOMPARE(m_upstream.lastRequest().header("X-Lua"), QByteArray("GET /zoo/lua/edit"));
    QCOMPARE(r.header("X-Lua-Status"), QByteArray("201"));
    const HttpResponse tea = httpRequest(gateway().httpPort(), "GET", "/zoo/lua/respond");
    QCOMPARE(tea.status, 418);
    QCOMPARE(tea.body, QByteArray("short and stout"));
    QCOMPARE(tea.header("X-Teapot"), QByteArray("yes"));
    QCOMPARE(tea.header("Content-Type"), QByteArray("text/plain; charset=utf-8"));
}

// A script's value with CR LF must never become a field of its own, upstream or downstream,
// wherever it is stopped (the script API refuses it today; the head writer would too:
// tst_http1writer checksOnlyTheFieldsItIsAskedTo).
void tst_Policies::headerValuesFromScriptsCannotSplitAMessage()
{
    m_upstream.clearRecords();
    HttpResponse r = httpRequest(gateway().httpPort(), "GET", "/zoo/lua/split");
    QVERIFY2(r.status >= 400, qPrintable(r.describe()));
    m_upstream.sync();   // whatever the gateway sent has been read and recorded
    for (const RecordedRequest &seen : m_upstream.requests())
        QCOMPARE(seen.headerCount("X-Injected"), 0);
    r = httpRequest(gateway().httpPort(), "GET", "/zoo/lua/splitresponse");
    QVERIFY2(r.complete, qPrintable(r.describe()));
    QCOMPARE(r.headerCount("X-Injected"), 0);   // on_response failed: the response passes unchanged
    QCOMPARE(r.headerCount("X-Split"), 0);
}

void tst_Policies::luaFailuresAnswer500_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::newRow("a runtime error") << QByteArray("/zoo/lua/error");
    QTest::newRow("an endless loop") << QByteArray("/zoo/lua/loop");
    QTest::newRow("a memory bomb") << QByteArray("/zoo/lua/bomb");
    QTest::newRow("the os library") << QByteArray("/zoo/lua/os");
}

void tst_Policies::luaFailuresAnswer500()
{
    QFETCH(QByteArray, path);
    const int before = m_upstream.requestCount();
    for (int i = 0; i < 3; ++i) {   // both workers, and again on a state that failed before
        const HttpResponse r = httpRequest(gateway().httpPort(), "GET", path);
        QVERIFY2(r.status == 500, qPrintable(r.describe()));
        QCOMPARE(r.json().value(QStringLiteral("message")).toString(), QStringLiteral("Internal error"));
    }
    QCOMPARE(m_upstream.requestCount(), before);
    QVERIFY(gateway().isRunning());
    QCOMPARE(httpRequest(gateway().httpPort(), "GET", "/zoo/pets/1").status, 200);
}

void tst_Policies::checkReportsPolicyProblems()
{
    if (currentGatewayMode() != GatewayMode::Daemon)
        QSKIP("a gatehoused check run; once is enough");
    TestProject broken;
    QVERIFY(broken.write(QStringLiteral("apis/bad.yaml"),
                         "openapi: 3.0.3\n"
                         "info: {title: Bad, version: '1'}\n"
                         "servers: [{url: 'http://127.0.0.1:1/bad'}]\n"
                         "paths:\n"
                         "  /a:\n"
                         "    get:\n"
                         "      x-gatehouse-request-policies:\n"
                         "        - name: set-headers\n"
                         "          settings: {request: [{name: 42, value: x}]}\n"
                         "        - name: lua\n"
                         "          settings: {script: broken.lua}\n"
                         "      responses: {'200': {description: ok}}\n"));
    QVERIFY(broken.write(QStringLiteral("policies/broken.lua"), "function on_request(req)\n\n  if then\nend\n"));
    const ProcessResult r = runProcess(gatehousedPath(), {QStringLiteral("check"), broken.path()});
    QVERIFY2(r.finished && r.exitCode == 1, qPrintable(r.describe()));
    QVERIFY2(r.err.contains("apis/bad.yaml:8:11: error: policy 'set-headers': settings.request[0].name: expected "
                            "text, found a number\n"), r.err.constData());
    QVERIFY2(r.err.contains("policies/broken.lua:3: error: Lua: unexpected symbol near 'then' (attached at "
                            "apis/bad.yaml:10:11)\n"), r.err.constData());
}

QTEST_GUILESS_MAIN(tst_Policies)
#include "tst_policies.moc"
