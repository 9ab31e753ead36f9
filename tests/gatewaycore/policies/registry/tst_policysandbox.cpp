// The sample run of a policy chain: built by the registry, run through the interceptor stage's
// hooks in the data path's order, with no network. Each row is a chain and a sample exchange, and
// the request the upstream would get and the response the client would get.
#include "policies/registry/policysandbox.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonArray>
#include <QTest>

using namespace Gatehouse;

class tst_PolicySandbox : public QObject
{
    Q_OBJECT
private slots:
    void setHeaderAndJsonToXmlOnASample();
    void aRewriteSeesThePathParameters();
    void aPolicyAnswerStopsBeforeTheUpstream();
    void refusedSettingsAreDiagnosticsAndNothingRuns();
    void aPathOutsideTheBasePathIsNamed();
    void responsePoliciesEditTheUpstreamsAnswer();
};

namespace {

QList<PolicyAttachment> attachments(const char *json)
{
    QList<PolicyAttachment> out;
    for (const QJsonValue &v : QJsonDocument::fromJson(json).array())
        out.append({v[u"name"].toString(), v[u"settings"].toObject(), {QStringLiteral("apis/pets.yaml"), 12, 9}});
    return out;
}

QByteArray header(const HeaderList &headers, const QByteArray &name)
{
    for (const auto &[n, v] : headers)
        if (n.compare(name, Qt::CaseInsensitive) == 0)
            return v;
    return {};
}

bool has(const HeaderList &headers, const QByteArray &name)
{
    for (const auto &field : headers)
        if (field.first.compare(name, Qt::CaseInsensitive) == 0)
            return true;
    return false;
}

PolicySandboxInput petsInput()
{
    PolicySandboxInput in;
    in.apiName = QStringLiteral("Pets");
    in.apiVersion = QStringLiteral("v1");
    in.basePath = QStringLiteral("/pets/v1");
    in.operationMethod = QStringLiteral("POST");
    in.pathTemplate = QStringLiteral("/pets/{id}");
    in.request.method = "POST";
    in.request.path = "/pets/v1/pets/42";
    in.request.headers = {{"Content-Type", "application/json"}, {"Content-Length", "27"}, {"X-Old", "1"}};
    in.request.body = R"({"pet":{"name":"Rex","age":3}})";
    in.upstreamResponse.status = 201;
    in.upstreamResponse.headers = {{"Content-Type", "application/json"}, {"Server", "upstream/1.0"}};
    in.upstreamResponse.body = R"({"ok":true})";
    return in;
}

} // namespace

void tst_PolicySandbox::setHeaderAndJsonToXmlOnASample()
{
    PolicySandboxInput in = petsInput();
    in.requestPolicies = attachments(R"([
        {"name": "set-headers", "settings": {"request": [{"name": "X-Pet-Api", "value": "${api.name}"}]}},
        {"name": "json-to-xml"}])");
    const PolicySandboxResult r = runPolicySandbox(in);
    QVERIFY2(r.built, qPrintable(r.diagnostics.toString()));
    QVERIFY(!r.answeredBeforeUpstream);
    QVERIFY2(r.note.isEmpty(), qPrintable(r.note));
    QCOMPARE(r.upstreamRequest.method, QByteArray("POST"));
    QCOMPARE(r.upstreamRequest.path, QByteArray("/pets/42"));   // below the base path
    QCOMPARE(header(r.upstreamRequest.headers, "X-Pet-Api"), QByteArray("Pets"));
    QCOMPARE(header(r.upstreamRequest.headers, "X-Old"), QByteArray("1"));
    QCOMPARE(r.upstreamRequest.body,
             QByteArray("<?xml version=\"1.0\" encoding=\"UTF-8\"?><pet><age>3</age><name>Rex</name></pet>\n"));
    QVERIFY(header(r.upstreamRequest.headers, "Content-Type").contains("xml"));
    QCOMPARE(header(r.upstreamRequest.headers, "Content-Length"),
             QByteArray::number(r.upstreamRequest.body.size()));
    // json-to-xml converts requests only by default: the JSON response passes.
    QCOMPARE(r.response.status, 201);
    QCOMPARE(r.response.body, QByteArray(R"({"ok":true})"));
    // Without a project nothing is written where the process happens to run.
    QVERIFY(!QFileInfo::exists(QDir::current().filePath(QStringLiteral("keys"))));
}

void tst_PolicySandbox::aRewriteSeesThePathParameters()
{
    PolicySandboxInput in = petsInput();
    in.requestPolicies = attachments(R"([{"name": "rewrite", "settings": {"path": "/animals/{id}"}}])");
    const PolicySandboxResult r = runPolicySandbox(in);
    QVERIFY2(r.built, qPrintable(r.diagnostics.toString()));
    QCOMPARE(r.upstreamRequest.path, QByteArray("/animals/42"));
}

void tst_PolicySandbox::aPolicyAnswerStopsBeforeTheUpstream()
{
    PolicySandboxInput in = petsInput();
    in.request.body = "{not json";
    in.requestPolicies = attachments(R"([{"name": "json-to-xml"}])");
    const PolicySandboxResult r = runPolicySandbox(in);
    QVERIFY2(r.built, qPrintable(r.diagnostics.toString()));
    QVERIFY(r.answeredBeforeUpstream);
    QVERIFY(r.answeredByGateway);
    QCOMPARE(r.response.status, 400);
    QVERIFY(header(r.response.headers, "Content-Type").contains("json"));
    QVERIFY(!r.response.body.isEmpty());
}

void tst_PolicySandbox::refusedSettingsAreDiagnosticsAndNothingRuns()
{
    PolicySandboxInput in = petsInput();
    in.requestPolicies = attachments(R"([{"name": "set-headers", "settings": {"request": [{"name": 7}]}}])");
    const PolicySandboxResult r = runPolicySandbox(in);
    QVERIFY(!r.built);
    QVERIFY(r.diagnostics.hasErrors());
    QVERIFY2(r.diagnostics.toString().contains(QStringLiteral("settings.request[0].name")),
             qPrintable(r.diagnostics.toString()));
    QCOMPARE(r.diagnostics.items().first().location.line, 12);
}

void tst_PolicySandbox::aPathOutsideTheBasePathIsNamed()
{
    PolicySandboxInput in = petsInput();
    in.request.path = "/elsewhere/42";
    in.requestPolicies = attachments(R"([{"name": "json-to-xml"}])");
    const PolicySandboxResult r = runPolicySandbox(in);
    QVERIFY(r.note.contains(QStringLiteral("/pets/v1")));
}

void tst_PolicySandbox::responsePoliciesEditTheUpstreamsAnswer()
{
    PolicySandboxInput in = petsInput();
    in.responsePolicies = attachments(R"([
        {"name": "remove-headers", "settings": {"response": ["Server"]}},
        {"name": "json-to-xml", "settings": {"apply": "response"}}])");
    const PolicySandboxResult r = runPolicySandbox(in);
    QVERIFY2(r.built, qPrintable(r.diagnostics.toString()));
    QCOMPARE(r.upstreamRequest.body, in.request.body);   // requests pass
    QCOMPARE(r.response.status, 201);
    QVERIFY(!has(r.response.headers, "Server"));
    QCOMPARE(r.response.body, QByteArray("<?xml version=\"1.0\" encoding=\"UTF-8\"?><ok>true</ok>\n"));
    QVERIFY(header(r.response.headers, "Content-Type").contains("xml"));
}

QTEST_GUILESS_MAIN(tst_PolicySandbox)
#include "tst_policysandbox.moc"
