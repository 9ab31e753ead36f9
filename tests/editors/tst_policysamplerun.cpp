// "Run on a sample request": a set-headers + json-to-xml chain run on an edited sample shows the
// request the upstream would get and the client's response; bad samples are refused with the line
// named; the Gateway Settings form opens it with the operation's chain, the API's included.
#include "codeeditor.h"
#include "gatewayform.h"
#include "openapiliveparser.h"
#include "policysamplerun.h"

#include <QApplication>
#include <QComboBox>
#include <QJsonDocument>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

using namespace Gatehouse;

class tst_PolicySampleRun : public QObject
{
    Q_OBJECT
private slots:
    void setHeaderAndJsonToXmlOnAnEditedSample();
    void aPolicyAnswerIsShownAsTheClientsResponse();
    void aBadHeaderLineIsNamedAndNothingRuns();
    void theGatewayFormRunsTheOperationsChainWithTheApis();
};

namespace {

QJsonArray array(const char *json)
{
    return QJsonDocument::fromJson(json).array();
}

ApiSpec petsApi()
{
    ApiSpec api;
    api.title = QStringLiteral("Pets");
    api.apiVersion = QStringLiteral("v1");
    api.basePath = QStringLiteral("/pets/v1");
    return api;
}

} // namespace

void tst_PolicySampleRun::setHeaderAndJsonToXmlOnAnEditedSample()
{
    const ApiSpec api = petsApi();
    PolicySampleRun run;
    run.setContext(PolicySampleRun::contextFor(
        &api, QString(), QStringLiteral("POST"), QStringLiteral("/pets"),
        array(R"([{"name": "set-headers", "settings": {"request": [{"name": "X-Api", "value": "${api.name}"}]}},
                  {"name": "json-to-xml", "settings": {"rootName": "pet"}}])"),
        {}));
    QCOMPARE(run.methodBox()->currentText(), QStringLiteral("POST"));
    QCOMPARE(run.pathEdit()->text(), QStringLiteral("/pets/v1/pets"));
    run.requestBodyEdit()->setPlainText(QStringLiteral("{\"name\": \"Rex\", \"age\": 3}"));
    const PolicySandboxResult result = run.run();
    QVERIFY2(result.built, qPrintable(result.diagnostics.toString()));
    QVERIFY(run.message().isEmpty());
    const QString upstream = run.upstreamRequestView()->toPlainText();
    QVERIFY2(upstream.startsWith(QStringLiteral("POST /pets\n")), qPrintable(upstream));
    QVERIFY(upstream.contains(QStringLiteral("X-Api: Pets")));
    QVERIFY2(upstream.contains(QStringLiteral("<pet><age>3</age><name>Rex</name></pet>")), qPrintable(upstream));
    QVERIFY(upstream.contains(QStringLiteral("Content-Type: application/xml")));
    QVERIFY(!upstream.contains(QStringLiteral("application/json\nContent-Type")));
    const QString client = run.clientResponseView()->toPlainText();
    QVERIFY2(client.startsWith(QStringLiteral("HTTP 200\n")), qPrintable(client));
    QVERIFY(client.contains(QStringLiteral("{\"ok\": true}")));   // the response passes as it was
}

void tst_PolicySampleRun::aPolicyAnswerIsShownAsTheClientsResponse()
{
    const ApiSpec api = petsApi();
    PolicySampleRun run;
    run.setContext(PolicySampleRun::contextFor(&api, QString(), QStringLiteral("POST"), QStringLiteral("/pets"),
                                               array(R"([{"name": "json-to-xml"}])"), {}));
    run.requestBodyEdit()->setPlainText(QStringLiteral("{broken"));
    run.run();
    QVERIFY(run.upstreamRequestView()->toPlainText().contains(QStringLiteral("not sent")));
    QVERIFY(run.clientResponseView()->toPlainText().startsWith(QStringLiteral("HTTP 400")));
    QVERIFY(run.message().contains(QStringLiteral("400")));
}

void tst_PolicySampleRun::aBadHeaderLineIsNamedAndNothingRuns()
{
    const ApiSpec api = petsApi();
    PolicySampleRun run;
    run.setContext(PolicySampleRun::contextFor(&api, QString(), QStringLiteral("GET"), QStringLiteral("/pets"),
                                               array(R"([{"name": "json-to-xml"}])"), {}));
    run.requestHeadersEdit()->setPlainText(QStringLiteral("Accept: */*\nno colon here"));
    const PolicySandboxResult result = run.run();
    QVERIFY(!result.built);
    QVERIFY2(run.message().contains(QStringLiteral("line 2")), qPrintable(run.message()));
    QVERIFY(run.upstreamRequestView()->toPlainText().isEmpty());

    run.requestHeadersEdit()->clear();
    run.pathEdit()->setText(QStringLiteral("pets"));
    run.run();
    QVERIFY(run.message().contains(QStringLiteral("must start with /")));
}

void tst_PolicySampleRun::theGatewayFormRunsTheOperationsChainWithTheApis()
{
    QTemporaryDir dir;
    QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("apis")));
    CodeEditor editor;
    editor.setFilePath(dir.filePath(QStringLiteral("apis/pets.yaml")), dir.path());
    editor.setPlainText(QStringLiteral(
        "openapi: 3.0.3\n"
        "info: {title: Pets, version: v1}\n"
        "servers: [{url: 'http://127.0.0.1:8080/pets/v1'}]\n"
        "x-gatehouse-request-policies:\n"
        "  - {name: set-headers, settings: {request: [{name: X-From-Api, value: yes}]}}\n"
        "paths:\n"
        "  /pets/{id}:\n"
        "    put:\n"
        "      x-gatehouse-request-policies:\n"
        "        - name: json-to-xml\n"
        "      responses: {'200': {description: ok}}\n"));
    auto *parser = new OpenApiLiveParser(&editor);
    parser->setDelay(std::chrono::milliseconds(10));
    GatewayForm form;
    form.setEditor(&editor);
    QTRY_VERIFY(parser->api().has_value());
    form.setOperation(QStringLiteral("PUT"), QStringLiteral("/pets/{id}"));
    auto *button = form.findChild<QPushButton *>(QStringLiteral("RunOnSample"));
    QVERIFY(button);
    button->click();
    PolicySampleRun *run = form.findChild<PolicySampleRun *>();
    QVERIFY(run);
    QCOMPARE(run->pathEdit()->text(), QStringLiteral("/pets/v1/pets/{id}"));
    run->pathEdit()->setText(QStringLiteral("/pets/v1/pets/7"));
    run->run();
    const QString upstream = run->upstreamRequestView()->toPlainText();
    QVERIFY2(upstream.startsWith(QStringLiteral("PUT /pets/7\n")), qPrintable(upstream + run->message()));
    QVERIFY(upstream.contains(QStringLiteral("X-From-Api: yes")));   // the API's policy ran first
    QVERIFY(upstream.contains(QStringLiteral("<name>example</name>")));
    run->window()->close();
}

QTEST_MAIN(tst_PolicySampleRun)
#include "tst_policysamplerun.moc"
