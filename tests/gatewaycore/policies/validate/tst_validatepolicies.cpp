// validate-request and validate-response through a compiled project's chain: parameters typed by
// their schemas, JSON bodies (malformed, hostile, invalid), media types, responses reported or
// blocked, and configurations refused when a schema cannot be used.
#include "../policyfixture.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Gatehouse;
using namespace Gatehouse::Test;

namespace {

using Headers = QList<std::pair<QByteArray, QByteArray>>;

QByteArray petsApi(const QByteArray &responsePolicy = "{name: validate-response}")
{
    return "openapi: 3.0.3\n"
           "info: {title: Pets, version: '1'}\n"
           "servers: [{url: 'http://127.0.0.1:1/v1'}]\n"
           "x-gatehouse-request-policies: [{name: validate-request}]\n"
           "x-gatehouse-response-policies: [" + responsePolicy + "]\n"
           "paths:\n"
           "  /pets/{petId}:\n"
           "    get:\n"
           "      parameters:\n"
           "        - {name: petId, in: path, required: true, schema: {type: integer, minimum: 1}}\n"
           "        - {name: limit, in: query, required: true, schema: {type: integer, maximum: 100}}\n"
           "        - {name: fields, in: query, explode: false, schema: {type: array, items: {type: string, enum: [name, tag]}}}\n"
           "        - {name: X-Request-Id, in: header, schema: {type: string, format: uuid}}\n"
           "      responses:\n"
           "        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}\n"
           "        '404': {description: gone}\n"
           "  /pets:\n"
           "    post:\n"
           "      requestBody:\n"
           "        required: true\n"
           "        content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}, text/plain: {}}\n"
           "      responses: {'201': {description: created}}\n"
           "components:\n"
           "  schemas:\n"
           "    Pet:\n"
           "      type: object\n"
           "      required: [id, name]\n"
           "      additionalProperties: false\n"
           "      properties:\n"
           "        id: {type: integer, format: int64, readOnly: true}\n"
           "        name: {type: string, minLength: 1}\n"
           "        tag: {type: string, nullable: true}\n"
           "        children: {type: array, items: {$ref: '#/components/schemas/Pet'}}\n";
}

QByteArray nested(int depth)
{
    QByteArray b = R"({"name": "a")";
    for (int i = 0; i < depth; ++i)
        b += R"(, "children": [{"name": "a")";
    for (int i = 0; i < depth; ++i)
        b += "}]";
    return b + "}";
}

} // namespace

class tst_ValidatePolicies : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void parameters_data();
    void parameters();
    void requestBodies_data();
    void requestBodies();
    void problemsAreListedAsJson();
    void responsesAreReported_data();
    void responsesAreReported();
    void blockingAnswers502();
    void unusableSchemasRefuseTheConfig();

private:
    PolicyProject m_project;
};

void tst_ValidatePolicies::initTestCase()
{
    QVERIFY(m_project.write(QStringLiteral("apis/pets.yaml"), petsApi()));
    QVERIFY2(m_project.build(), qPrintable(m_project.errors()));
}

void tst_ValidatePolicies::parameters_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<Headers>("headers");
    QTest::addColumn<QString>("problem");   // empty = passes
    QTest::newRow("typed path and query values pass") << QByteArray("/v1/pets/7?limit=10&fields=name,tag") << Headers() << QString();
    QTest::newRow("a path value that is not an integer")
        << QByteArray("/v1/pets/abc?limit=1") << Headers() << QStringLiteral("path parameter 'petId': expected integer, got string");
    QTest::newRow("a path value below the minimum")
        << QByteArray("/v1/pets/0?limit=1") << Headers() << QStringLiteral("path parameter 'petId': 0 is less than the minimum 1");
    QTest::newRow("a missing required query parameter")
        << QByteArray("/v1/pets/7") << Headers() << QStringLiteral("query parameter 'limit': required, but missing");
    QTest::newRow("a query value above the maximum")
        << QByteArray("/v1/pets/7?limit=1000") << Headers() << QStringLiteral("query parameter 'limit': 1000 is greater than the maximum 100");
    QTest::newRow("an unexploded list item outside the enum")
        << QByteArray("/v1/pets/7?limit=1&fields=name,color") << Headers()
        << QStringLiteral("query parameter 'fields' /1: \"color\" is not one of \"name\", \"tag\"");
    QTest::newRow("a percent-encoded query value is decoded") << QByteArray("/v1/pets/7?limit=%31%30") << Headers() << QString();
    QTest::newRow("a header with a bad uuid")
        << QByteArray("/v1/pets/7?limit=1") << Headers{{"X-Request-Id", "not-a-uuid"}}
        << QStringLiteral("header parameter 'X-Request-Id': \"not-a-uuid\" is not a valid uuid");
    QTest::newRow("a header with a good uuid")
        << QByteArray("/v1/pets/7?limit=1") << Headers{{"x-request-id", "123e4567-e89b-12d3-a456-426614174000"}} << QString();
    QTest::newRow("a single value given twice")
        << QByteArray("/v1/pets/7?limit=1&limit=2") << Headers() << QStringLiteral("query parameter 'limit': expected integer, got array");
}

void tst_ValidatePolicies::parameters()
{
    QFETCH(QByteArray, target);
    QFETCH(Headers, headers);
    QFETCH(QString, problem);
    Exchange ex(*m_project.config, "GET", target, headers);
    QVERIFY(ex.routed);
    if (problem.isEmpty()) {
        QCOMPARE(ex.status, FilterStatus::Continue);
        return;
    }
    QCOMPARE(ex.status, FilterStatus::Respond);
    QCOMPARE(ex.ctx.error.status, 422);
    QVERIFY2(ex.ctx.error.description.contains(problem), qPrintable(ex.ctx.error.description));
}

void tst_ValidatePolicies::requestBodies_data()
{
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");        // 0 = passes
    QTest::addColumn<QString>("problem");
    const QByteArray json = "application/json";
    QTest::newRow("a valid pet passes (readOnly id need not be sent)") << json << QByteArray(R"({"name": "Rex", "tag": null})") << 0 << QString();
    QTest::newRow("a charset parameter does not matter") << QByteArray("application/json; charset=utf-8") << QByteArray(R"({"name": "Rex"})") << 0 << QString();
    QTest::newRow("malformed JSON is 400") << json << QByteArray(R"({"name": )") << 400 << QStringLiteral("cannot be read as JSON");
    QTest::newRow("invalid UTF-8 is 400") << json << QByteArray("{\"name\": \"\xC3\x28\"}") << 400 << QStringLiteral("cannot be read as JSON");
    QTest::newRow("a number beyond double range is 400") << json << QByteArray(R"({"name": "a", "id": 1e999})") << 400
                                                         << QStringLiteral("cannot be read as JSON");
    QTest::newRow("nesting deeper than the limit is 400") << json << nested(100) << 400 << QStringLiteral("nested deeper than 64 levels");
    QTest::newRow("a wrong type is 422 with its pointer") << json << QByteArray(R"({"name": 5})") << 422
                                                          << QStringLiteral("body /name: expected string, got integer");
    QTest::newRow("a property the schema does not know is 422") << json << QByteArray(R"({"name": "a", "color": "red"})") << 422
                                                                << QStringLiteral("body /color: property 'color' is not allowed");
    QTest::newRow("recursive schemas point deep") << json << QByteArray(R"({"name": "a", "children": [{"name": ""}]})") << 422
                                                  << QStringLiteral("body /children/0/name: text of 0 characters is shorter than the minimum 1");
    QTest::newRow("an int64 beyond its range") << json << QByteArray(R"({"name": "a", "id": 99999999999999999999})") << 422
                                               << QStringLiteral("body /id: 1e+20 is not a valid int64");
    QTest::newRow("a missing required body is 422") << json << QByteArray() << 422 << QStringLiteral("a request body is required");
    QTest::newRow("an undeclared media type is 415") << QByteArray("application/xml") << QByteArray("<pet/>") << 415
                                                     << QStringLiteral("accepts application/json, text/plain");
    QTest::newRow("a declared type without schema passes") << QByteArray("text/plain") << QByteArray("anything") << 0 << QString();
    QTest::newRow("a top-level scalar is checked too") << json << QByteArray("42") << 422 << QStringLiteral("body: expected object, got integer");
}

void tst_ValidatePolicies::requestBodies()
{
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, problem);
    Exchange ex(*m_project.config, "POST", "/v1/pets", {{"Content-Type", contentType}});
    QCOMPARE(ex.status, FilterStatus::Continue);
    const QByteArray sent = body;
    const FilterStatus s = ex.requestBody(body);
    if (status == 0) {
        QCOMPARE(s, FilterStatus::Continue);
        QCOMPARE(body, sent);   // validation never changes the body
        return;
    }
    QCOMPARE(s, FilterStatus::Respond);
    QCOMPARE(ex.ctx.error.status, status);
    QVERIFY2(ex.ctx.error.description.contains(problem), qPrintable(ex.ctx.error.description));
}

void tst_ValidatePolicies::problemsAreListedAsJson()
{
    Exchange ex(*m_project.config, "POST", "/v1/pets", {{"Content-Type", "application/json"}});
    QByteArray body = R"({"name": 1, "tag": 2})";
    QCOMPARE(ex.requestBody(body), FilterStatus::Respond);
    QCOMPARE(ex.ctx.error.contentType, QByteArray("application/json"));
    const QJsonObject answer = QJsonDocument::fromJson(ex.ctx.error.body).object();
    QCOMPARE(answer.value(u"code").toInt(), 900422);
    const QJsonArray problems = answer.value(u"problems").toArray();
    QCOMPARE(problems.size(), 2);
    QCOMPARE(problems.at(0).toObject().value(u"pointer").toString(), QStringLiteral("/name"));
    QCOMPARE(problems.at(1).toObject().value(u"pointer").toString(), QStringLiteral("/tag"));
    QCOMPARE(problems.at(1).toObject().value(u"message").toString(), QStringLiteral("expected string or null, got integer"));
}

void tst_ValidatePolicies::responsesAreReported_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("report");   // the header's value; empty = none
    QTest::newRow("a valid response has no report") << 200 << QByteArray("application/json") << QByteArray(R"({"id": 1, "name": "a"})") << QByteArray();
    QTest::newRow("a schema violation is reported with its pointer") << 200 << QByteArray("application/json")
        << QByteArray(R"({"id": "x", "name": "a"})") << QByteArray("invalid; body /id: expected integer, got string");
    QTest::newRow("a required property missing in the response") << 200 << QByteArray("application/json")
        << QByteArray(R"({"name": "a"})") << QByteArray("invalid; body: required property 'id' is missing");
    QTest::newRow("an undeclared status") << 500 << QByteArray("application/json") << QByteArray("{}")
        << QByteArray("invalid; response: status 500 is not declared for this operation");
    QTest::newRow("a body that is not JSON") << 200 << QByteArray("application/json") << QByteArray("{oops")
        << QByteArray("invalid; response: the body is not valid JSON: ");
    QTest::newRow("an undeclared content type") << 200 << QByteArray("text/html") << QByteArray("<p>")
        << QByteArray("invalid; response: Content-Type 'text/html' is not declared for status 200");
    QTest::newRow("a declared status without content") << 404 << QByteArray("text/plain") << QByteArray("gone") << QByteArray();
}

void tst_ValidatePolicies::responsesAreReported()
{
    QFETCH(int, status);
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, report);
    Exchange ex(*m_project.config, "GET", "/v1/pets/7?limit=1");
    QCOMPARE(ex.status, FilterStatus::Continue);
    const QByteArray sent = body;
    QCOMPARE(ex.response(status, {{"Content-Type", contentType}}, body), FilterStatus::Continue);
    QCOMPARE(body, sent);
    const QByteArray header = ex.clientHeader("X-Gatehouse-Validation");
    if (report.isEmpty())
        QVERIFY2(header.isNull(), header.constData());
    else
        QVERIFY2(header.startsWith(report), header.constData());
}

void tst_ValidatePolicies::blockingAnswers502()
{
    PolicyProject project;
    QVERIFY(project.write(QStringLiteral("apis/pets.yaml"), petsApi("{name: validate-response, settings: {block: true}}")));
    QVERIFY2(project.build(), qPrintable(project.errors()));
    Exchange ex(*project.config, "GET", "/v1/pets/7?limit=1");
    QByteArray body = R"({"id": 1})";
    QCOMPARE(ex.response(200, {{"Content-Type", "application/json"}}, body), FilterStatus::Respond);
    QCOMPARE(ex.ctx.error.status, 502);
    QVERIFY2(ex.ctx.error.description.contains(QStringLiteral("required property 'name' is missing")),
             qPrintable(ex.ctx.error.description));
}

void tst_ValidatePolicies::unusableSchemasRefuseTheConfig()
{
    PolicyProject project;
    QByteArray api = petsApi();
    api.replace("name: {type: string, minLength: 1}", "name: {type: string, pattern: '(['}");
    QVERIFY(project.write(QStringLiteral("apis/pets.yaml"), api));
    QVERIFY(!project.build());
    QVERIFY2(project.errors().contains(QStringLiteral("policy 'validate-request': request body application/json: the schema "
                                                      "cannot be used for validation")),
             qPrintable(project.errors()));
    QVERIFY2(project.errors().contains(QStringLiteral("is not a valid regular expression")), qPrintable(project.errors()));
}

QTEST_GUILESS_MAIN(tst_ValidatePolicies)
#include "tst_validatepolicies.moc"
