// The registry through compiled projects: settings problems at the attachment's file:line:col,
// and the header, rewrite, mock-response and deny policies as the upstream and the client see them.
#include "../policyfixture.h"

#include "policies/registry/policyregistry.h"

#include <QJsonArray>
#include <QTest>

using namespace Gatehouse;
using namespace Gatehouse::Test;

class tst_PolicyRegistry : public QObject
{
    Q_OBJECT
private slots:
    void registryDescribesEveryPolicy();
    void settingsProblemsAtTheAttachment_data();
    void settingsProblemsAtTheAttachment();
    void headersSetRemovedAndRenamedBothWays();
    void apiPoliciesRunBeforeOperationPolicies();
    void rewriteBuildsPathAndQuery();
    void mockResponseAndDenyAnswer();
};

void tst_PolicyRegistry::registryDescribesEveryPolicy()
{
    const PolicyRegistry &r = PolicyRegistry::builtin();
    for (const char *name : {"set-headers", "remove-headers", "rename-headers", "rewrite", "mock-response", "deny",
                             "lua", "interceptor"}) {
        const PolicyDescriptor *d = r.find(QString::fromLatin1(name));
        QVERIFY2(d, name);
        QVERIFY(!d->version.isEmpty() && !d->description.isEmpty() && d->build);
        QVERIFY(d->requestPhase || d->responsePhase);
        const QJsonObject j = d->toJson();
        QCOMPARE(j.value(u"name").toString(), QString::fromLatin1(name));
        QCOMPARE(j.value(u"settings")[u"type"].toString(), QStringLiteral("object"));
    }
    for (qsizetype i = 1; i < r.policies().size(); ++i)
        QVERIFY(r.policies().at(i - 1).priority >= r.policies().at(i).priority);
}

void tst_PolicyRegistry::settingsProblemsAtTheAttachment_data()
{
    QTest::addColumn<QByteArray>("policies");
    QTest::addColumn<QString>("error");
    // The attachment's map starts at line 6, column 5 of apis/zoo.yaml.
    QTest::newRow("a number where a header name is expected")
        << QByteArray("  - name: set-headers\n    settings: {request: [{name: 42, value: x}]}\n")
        << QStringLiteral("apis/zoo.yaml:6:5: error: policy 'set-headers': settings.request[0].name: expected text, found a number");
    QTest::newRow("an unknown policy, with a suggestion")
        << QByteArray("  - name: set-header\n")
        << QStringLiteral("apis/zoo.yaml:6:5: error: unknown policy 'set-header' (did you mean 'set-headers'?) (known: %1)")
               .arg(PolicyRegistry::builtin().names().join(QStringLiteral(", ")));
    QTest::newRow("a header the gateway manages (a rule in code)")
        << QByteArray("  - name: remove-headers\n    settings: {request: [Content-Length]}\n")
        << QStringLiteral("apis/zoo.yaml:6:5: error: policy 'remove-headers': settings.request[0]: 'Content-Length' is managed by the gateway and cannot be changed by a policy");
    QTest::newRow("an unknown substitution")
        << QByteArray("  - name: set-headers\n    settings: {response: [{name: X-A, value: '${principal.name}'}]}\n")
        << QStringLiteral("apis/zoo.yaml:6:5: error: policy 'set-headers': settings.response[0].value: unknown variable '${principal.name}' (known: request.method, request.path, request.header.NAME, request.query.NAME, principal.subject, principal.scopes, principal.issuer, principal.application, principal.claim.NAME, route.operationId, api.name, api.version)");
    QTest::newRow("nothing to do")
        << QByteArray("  - name: set-headers\n")
        << QStringLiteral("apis/zoo.yaml:6:5: error: policy 'set-headers': settings: list at least one header under 'request' or 'response'");
    QTest::newRow("a path template naming no parameter of the operation")
        << QByteArray("  - name: rewrite\n    settings: {path: '/animals/{petId}'}\n")
        << QStringLiteral("apis/zoo.yaml:6:5: error: policy 'rewrite': settings.path: '{petId}' is not a path parameter of GET /zoo/things (it has: none)");
    QTest::newRow("a status out of range")
        << QByteArray("  - name: mock-response\n    settings: {status: 700}\n")
        << QStringLiteral("apis/zoo.yaml:6:5: error: policy 'mock-response': settings.status: the value 700 is above the maximum 599");
    QTest::newRow("an MGW Java interceptor")
        << QByteArray("  - name: interceptor\n    settings: {ref: 'java:org.example.Check'}\n")
        << QStringLiteral("apis/zoo.yaml:6:5: error: policy 'interceptor': settings.ref: 'java:org.example.Check' is an MGW interceptor (Ballerina or Java), which Gatehouse cannot run: port it to a Lua script in policies/ and name it here (or attach the 'lua' policy)");
    QTest::newRow("a Lua script that is not there")
        << QByteArray("  - name: lua\n    settings: {script: missing.lua}\n")
        << QStringLiteral("apis/zoo.yaml:6:5: error: policy 'lua': cannot read the script policies/missing.lua: No such file or directory");
}

void tst_PolicyRegistry::settingsProblemsAtTheAttachment()
{
    QFETCH(QByteArray, policies);
    QFETCH(QString, error);
    PolicyProject p;
    QVERIFY(p.write(QStringLiteral("apis/zoo.yaml"), zooApi("x-gatehouse-basePath: /zoo\nx-gatehouse-request-policies:\n" + policies)));
    QVERIFY(!p.build());
    // An API-level attachment is built for every route; its problem is reported once.
    QCOMPARE(p.errors(), error);
}

void tst_PolicyRegistry::headersSetRemovedAndRenamedBothWays()
{
    PolicyProject p;
    QVERIFY(p.write(QStringLiteral("apis/zoo.yaml"), zooApi(
        "x-gatehouse-basePath: /zoo\n"
        "x-gatehouse-request-policies:\n"
        "  - name: set-headers\n"
        "    settings:\n"
        "      request:\n"
        "        - {name: X-Api, value: '${api.name} ${api.version} ${route.operationId}'}\n"
        "        - {name: X-Echo, value: 'ua=${request.header.User-Agent} q=${request.query.q} $${literal}'}\n"
        "        - {name: X-Trim, value: '${request.header.X-Absent} ${route.operationId} '}\n"
        "      response:\n"
        "        - {name: X-Served-By, value: gatehouse}\n"
        "  - name: remove-headers\n"
        "    settings: {request: [X-Secret], response: [Server]}\n"
        "  - name: rename-headers\n"
        "    settings: {request: [{from: X-Old, to: X-New}], response: [{from: X-Up, to: X-Down}]}\n")));
    QVERIFY2(p.build(), qPrintable(p.errors()));
    Exchange e(*p.config, "GET", "/zoo/pets/7?q=a%20b&r=1",
               {{"User-Agent", "curl/7"}, {"X-Secret", "s"}, {"x-secret", "t"}, {"X-Old", "old"}});
    QCOMPARE(e.status, FilterStatus::Continue);
    QCOMPARE(e.upstreamHeader("x-api"), QByteArray("Zoo 2.1 getPet"));
    QCOMPARE(e.upstreamHeader("X-Echo"), QByteArray("ua=curl/7 q=a%20b ${literal}"));
    QCOMPARE(e.upstreamHeader("X-Trim"), QByteArray("getPet"));   // no space the writer would refuse
    QVERIFY(e.upstreamHeader("X-Secret").isNull());
    QVERIFY(e.upstreamHeader("X-Old").isNull());
    QCOMPARE(e.upstreamHeader("X-New"), QByteArray("old"));
    e.responseHead(200, {{"Server", "nginx"}, {"X-Up", "up"}, {"X-Served-By", "upstream"}});
    QVERIFY(e.clientHeader("Server").isNull());
    QCOMPARE(e.clientHeader("X-Down"), QByteArray("up"));
    QVERIFY(e.clientHeader("X-Up").isNull());
    QCOMPARE(e.clientHeader("X-Served-By"), QByteArray("gatehouse"));
}

void tst_PolicyRegistry::apiPoliciesRunBeforeOperationPolicies()
{
    PolicyProject p;
    QVERIFY(p.write(QStringLiteral("apis/zoo.yaml"), zooApi(
        "x-gatehouse-basePath: /zoo\n"
        "x-gatehouse-request-policies:\n"
        "  - {name: set-headers, settings: {request: [{name: X-Order, value: api}]}}\n"
        "x-gatehouse-response-policies:\n"
        "  - {name: set-headers, settings: {response: [{name: X-Order, value: api}]}}\n",
        "      x-gatehouse-request-policies:\n"
        "        - {name: set-headers, settings: {request: [{name: X-Order, value: '${request.header.X-Order}op'}]}}\n"
        "      x-gatehouse-response-policies:\n"
        "        - {name: set-headers, settings: {response: [{name: X-Order, value: op}]}}\n")));
    QVERIFY2(p.build(), qPrintable(p.errors()));
    Exchange e(*p.config, "GET", "/zoo/pets/1", {{"X-Order", "client-"}});
    QCOMPARE(e.upstreamHeader("X-Order"), QByteArray("client-op"));   // the operation's ran last
    e.responseHead(200, {});
    QCOMPARE(e.clientHeader("X-Order"), QByteArray("api"));   // operation response, then API response
    Exchange other(*p.config, "GET", "/zoo/things");
    QCOMPARE(other.upstreamHeader("X-Order"), QByteArray("api"));
}

void tst_PolicyRegistry::rewriteBuildsPathAndQuery()
{
    PolicyProject p;
    QVERIFY(p.write(QStringLiteral("apis/zoo.yaml"), zooApi(
        "x-gatehouse-basePath: /zoo\n",
        "      x-gatehouse-request-policies:\n"
        "        - name: rewrite\n"
        "          settings:\n"
        "            path: /v2/animals/{petId}/card\n"
        "            query: {remove: [debug], set: {caller: '${request.header.X-Caller}'}}\n")));
    QVERIFY2(p.build(), qPrintable(p.errors()));
    Exchange e(*p.config, "GET", "/zoo/pets/a%2Fb?debug=1&keep=yes&caller=forged", {{"X-Caller", "ann & bo"}});
    QCOMPARE(e.status, FilterStatus::Continue);
    QVERIFY(e.ctx.upstreamPathSet);
    QCOMPARE(e.ctx.upstreamPath, QByteArray("/v2/animals/a%2Fb/card"));
    QCOMPARE(e.ctx.upstreamQuery, QByteArray("?keep=yes&caller=ann%20%26%20bo"));
}

void tst_PolicyRegistry::mockResponseAndDenyAnswer()
{
    PolicyProject p;
    QVERIFY(p.write(QStringLiteral("apis/zoo.yaml"), zooApi(
        "x-gatehouse-basePath: /zoo\n",
        "      x-gatehouse-request-policies:\n"
        "        - name: mock-response\n"
        "          settings: {status: 201, contentType: text/plain, body: 'a stub', headers: {X-Mock: 'yes'}}\n")));
    QVERIFY2(p.build(), qPrintable(p.errors()));
    Exchange mock(*p.config, "GET", "/zoo/pets/1");
    QCOMPARE(mock.status, FilterStatus::Respond);
    QCOMPARE(mock.ctx.error.status, 201);
    QCOMPARE(mock.ctx.error.contentType, QByteArray("text/plain"));
    QCOMPARE(mock.ctx.error.body, QByteArray("a stub"));
    QCOMPARE(mock.ctx.responseHeaders.size(), 1);
    QCOMPARE(mock.ctx.responseHeaders.first().value, QByteArray("yes"));
    Exchange other(*p.config, "GET", "/zoo/things");
    QCOMPARE(other.status, FilterStatus::Continue);

    PolicyProject q;
    QVERIFY(q.write(QStringLiteral("apis/zoo.yaml"), zooApi(
        "x-gatehouse-basePath: /zoo\nx-gatehouse-request-policies: [{name: deny, settings: {status: 410, message: Gone}}]\n")));
    QVERIFY2(q.build(), qPrintable(q.errors()));
    Exchange denied(*q.config, "POST", "/zoo/pets/1");
    QCOMPARE(denied.status, FilterStatus::Respond);
    QCOMPARE(denied.ctx.error.status, 410);
    QCOMPARE(denied.ctx.error.message, QStringLiteral("Gone"));
    QVERIFY(denied.ctx.error.contentType.isEmpty());   // the JSON error body
}

QTEST_GUILESS_MAIN(tst_PolicyRegistry)
#include "tst_policyregistry.moc"
