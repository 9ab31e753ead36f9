// Every problem the OpenAPI loader reports, each as the exact line `gatehoused check` prints.
#include "openapitestutil.h"

#include <QTest>

using namespace Gatehouse;
using Gatehouse::Test::yaml;

class tst_OpenApiDiagnostics : public QObject
{
    Q_OBJECT
private slots:
    void reported_data();
    void reported();
    void notADocument_data();
    void notADocument();
    void cleanDocumentsSayNothing_data();
    void cleanDocumentsSayNothing();
};

void tst_OpenApiDiagnostics::reported_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("expected");

    QTest::newRow("a key written twice is an error at the second one")
        << Test::openapi30(R"(
            paths: {}
            info: {}
        )")
        << QStringLiteral("apis/test.yaml:6:1: error: duplicate key 'info': a key may appear only once in a map");
    QTest::newRow("a missing info section")
        << yaml(R"(
            openapi: 3.0.3
            paths: {}
        )")
        << QStringLiteral("apis/test.yaml:1:1: error: the document has no 'info' section: add one with the "
                          "API's title and version");
    QTest::newRow("info without a title")
        << yaml(R"(
            openapi: 3.0.3
            info:
              version: '1'
            paths: {}
        )")
        << QStringLiteral("apis/test.yaml:2:1: error: 'info' has no 'title': name the API");
    QTest::newRow("a 3.0 document without paths")
        << Test::openapi30() << QStringLiteral("apis/test.yaml:1:1: error: the document has no 'paths' section, so the "
                                    "API has no operations");
    QTest::newRow("an unquoted version number is read but a warning explains it")
        << yaml(R"(
            swagger: 2.0
            info: {title: Test, version: '1'}
            paths: {}
        )")
        << QStringLiteral("apis/test.yaml:1:10: warning: 'swagger: 2.0' is read as a number; write it in "
                          "quotes ('2.0') so it stays a version string");
    QTest::newRow("two operations with one operationId")
        << Test::openapi30(R"(
            paths:
              /a:
                get:
                  operationId: list
                  responses: {'200': {description: ok}}
              /b:
                get:
                  operationId: list
                  responses: {'200': {description: ok}}
        )")
        << QStringLiteral("apis/test.yaml:12:20: error: operationId 'list' is already used by GET /a (line 7); "
                          "each operation needs its own");
    QTest::newRow("a path parameter the template does not have")
        << Test::openapi30(R"(
            paths:
              /pets:
                get:
                  parameters:
                    - {name: petId, in: path, required: true, schema: {type: string}}
                  responses: {'200': {description: ok}}
        )")
        << QStringLiteral("apis/test.yaml:9:11: error: path parameter 'petId' is declared, but the path '/pets' "
                          "has no '{petId}'");
    QTest::newRow("a template expression with no path parameter")
        << Test::openapi30(R"(
            paths:
              /pets/{petId}:
                get:
                  responses: {'200': {description: ok}}
        )")
        << QStringLiteral("apis/test.yaml:7:5: error: GET /pets/{petId} declares no path parameter 'petId': add "
                          "one with 'in: path' and 'required: true'");
    QTest::newRow("a path parameter without required: true")
        << Test::openapi30(R"(
            paths:
              /pets/{petId}:
                parameters:
                  - {name: petId, in: path, schema: {type: string}}
                get:
                  responses: {'200': {description: ok}}
        )")
        << QStringLiteral("apis/test.yaml:8:9: warning: path parameter 'petId' must be marked 'required: true'");
    QTest::newRow("an unclosed brace is an invalid path template")
        << Test::openapi30(R"(
            paths:
              /pets/{petId:
                get:
                  responses: {'200': {description: ok}}
        )")
        << QStringLiteral("apis/test.yaml:6:3: error: invalid path template '/pets/{petId': the '{' at position "
                          "7 is never closed");
    QTest::newRow("a path must start with a slash")
        << Test::openapi30(R"(
            paths:
              pets: {}
        )")
        << QStringLiteral("apis/test.yaml:6:3: error: path 'pets' must start with '/'");
    QTest::newRow("a misspelt HTTP method is named with a suggestion")
        << Test::openapi30(R"(
            paths:
              /pets:
                gett:
                  responses: {'200': {description: ok}}
        )")
        << QStringLiteral("apis/test.yaml:7:5: error: unknown key 'gett' in path item '/pets' (did you mean "
                          "'get'?): operations are named by HTTP method (get, put, post, delete, options, head, "
                          "patch, trace)");
    QTest::newRow("one parameter declared twice in a list")
        << Test::openapi30(R"(
            paths:
              /pets:
                get:
                  parameters:
                    - {name: limit, in: query}
                    - {name: limit, in: query}
                  responses: {'200': {description: ok}}
        )")
        << QStringLiteral("apis/test.yaml:10:11: error: parameter 'limit' (in: query) is declared twice in this "
                          "list");
    QTest::newRow("a response status that is not a code")
        << Test::openapi30(R"(
            paths:
              /pets:
                get:
                  responses: {'20': {description: ok}}
        )")
        << QStringLiteral("apis/test.yaml:8:19: error: response status '20' is not valid: use a code such as "
                          "200, a range such as 4XX, or default");
    QTest::newRow("a server URL using a variable it does not define")
        << Test::openapi30(R"(
            paths: {}
            servers:
              - url: https://{region}.example.com
        )")
        << QStringLiteral("apis/test.yaml:7:10: error: server URL 'https://{region}.example.com' uses "
                          "'{region}' but the server defines no variable 'region'");
    QTest::newRow("Swagger 2 allows one body parameter")
        << yaml(R"(
            swagger: '2.0'
            info: {title: Test, version: '1'}
            paths:
              /pets:
                post:
                  parameters:
                    - {name: a, in: body, schema: {type: object}}
                    - {name: b, in: body, schema: {type: object}}
                  responses: {'200': {description: ok}}
        )")
        << QStringLiteral("apis/test.yaml:8:11: error: an operation can have only one 'in: body' parameter");
    QTest::newRow("a parameter in the body of an OpenAPI 3 operation")
        << Test::openapi30(R"(
            paths:
              /a:
                get:
                  parameters:
                    - {name: a, in: body}
                  responses: {'200': {description: ok}}
        )")
        << QStringLiteral("apis/test.yaml:9:25: error: parameter 'a' needs 'in' set to one of 'query', 'header', "
                          "'path' and 'cookie'");
    QTest::newRow("a parameter without a name")
        << Test::openapi30(R"(
            paths:
              /a:
                get:
                  parameters:
                    - {in: query}
                  responses: {'200': {description: ok}}
        )")
        << QStringLiteral("apis/test.yaml:9:11: error: a parameter needs a 'name'");
    QTest::newRow("an OpenAPI 3.0 operation without responses")
        << Test::openapi30(R"(
            paths:
              /a:
                get:
                  description: no responses
        )")
        << QStringLiteral("apis/test.yaml:7:5: warning: GET /a has no 'responses'; OpenAPI 3.0 requires them");
    QTest::newRow("a request body without content")
        << Test::openapi30(R"(
            paths:
              /a:
                post:
                  requestBody: {required: true}
                  responses: {'200': {description: ok}}
        )")
        << QStringLiteral("apis/test.yaml:8:20: error: requestBody needs 'content': the media types it accepts");
    QTest::newRow("a value of the wrong kind")
        << Test::openapi30(R"(
            paths:
              /a:
                get:
                  summary: [not, text]
                  responses: {'200': {description: ok}}
        )")
        << QStringLiteral("apis/test.yaml:8:16: error: 'summary' must be a string, found a list");
    QTest::newRow("a Swagger basePath without its slash")
        << Test::swagger20(R"(
            basePath: v1
        )")
        << QStringLiteral("apis/test.yaml:5:11: error: basePath 'v1' must start with '/'");
    QTest::newRow("a Swagger host with a path")
        << Test::swagger20(R"(
            host: a.example.com/v1
        )")
        << QStringLiteral("apis/test.yaml:5:7: error: host 'a.example.com/v1' must be a host name with an optional "
                          "port, without scheme or path");
    QTest::newRow("a trace operation in Swagger 2")
        << Test::swagger20(R"(
            host: a.example.com
            paths:
              /a:
                trace:
                  responses: {'200': {description: ok}}
        )")
        << QStringLiteral("apis/test.yaml:8:5: warning: Swagger 2.0 has no 'trace' operation; it is read anyway");
    QTest::newRow("a file outside formData")
        << Test::swagger20(R"(
            host: a.example.com
            paths:
              /a:
                post:
                  parameters: [{name: q, in: query, type: file}]
                  responses: {'200': {description: ok}}
        )")
        << QStringLiteral("apis/test.yaml:9:47: error: 'type: file' is only allowed for 'in: formData' parameters");
    QTest::newRow("a Swagger 2 parameter without a type")
        << Test::swagger20(R"(
            host: a.example.com
            paths:
              /a:
                get:
                  parameters: [{name: n, in: query}]
                  responses: {'200': {description: ok}}
        )")
        << QStringLiteral("apis/test.yaml:9:20: error: parameter 'n' needs a 'type' (Swagger 2.0)");
    QTest::newRow("body and formData parameters together")
        << Test::swagger20(R"(
            host: a.example.com
            paths:
              /a:
                post:
                  parameters:
                    - {name: b, in: body, schema: {type: object}}
                    - {name: f, in: formData, type: string}
                  responses: {'200': {description: ok}}
        )")
        << QStringLiteral("apis/test.yaml:11:11: error: an operation cannot have both 'in: body' and 'in: "
                          "formData' parameters");
    QTest::newRow("a key written twice in JSON, which QJsonDocument would keep quietly")
        << QByteArray("{\"openapi\": \"3.0.3\", \"info\": {\"title\": \"T\", \"version\": \"1\"},\n"
                      " \"paths\": {}, \"paths\": {}}")
        << QStringLiteral("apis/test.json:2:15: error: duplicate key 'paths': a key may appear only once in a map");
    // Eight levels of twenty aliases: 20^8 values if anyone walked them all.
    QByteArray bomb = Test::openapi30("paths: {}\nx-a0: &a0 [x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i <= 8; ++i) {
        bomb += QStringLiteral("x-a%1: &a%1 [").arg(i).toUtf8();
        for (int j = 0; j < 20; ++j)
            bomb += QStringLiteral("%1*a%2").arg(j ? QStringLiteral(", ") : QString()).arg(i - 1).toUtf8();
        bomb += "]\n";
    }
    bomb += "components: {schemas: {S: {properties: {p: *a8}}}}\n";
    QTest::newRow("a YAML alias bomb is read only so far")
        << bomb << QStringLiteral("apis/test.yaml:1:1: error: the document repeats YAML aliases or $refs so often "
                                  "that reading it would never end; it was only partly read");
    QTest::newRow("a JSON file with a trailing comma is read as YAML, with a warning")
        << QByteArray("{\"openapi\": \"3.0.3\", \"info\": {\"title\": \"T\", \"version\": \"1\",},\n \"paths\": {}}")
        << QStringLiteral("apis/test.json:1:60: warning: this file is not valid JSON (JSON syntax error: object "
                          "is missing after a comma); it was read as YAML, which accepts it");
}

void tst_OpenApiDiagnostics::reported()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, expected);
    GATEHOUSE_EXPECT_REPORTED(text, expected);
}

// Text that cannot be read as an OpenAPI document at all: nothing is returned, one error says why.
void tst_OpenApiDiagnostics::notADocument_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("a YAML syntax error is reported where yaml-cpp finds it")
        << yaml(R"(
            openapi: 3.0.3
            info:
              title: Test
               version: '1'
            paths: {}
        )")
        << QStringLiteral("apis/test.yaml:4:11: error: YAML syntax error: illegal map value");
    QTest::newRow("an unclosed flow list")
        << yaml(R"(
            openapi: 3.0.3
            paths:
              /a:
                get: [unclosed
        )")
        << QStringLiteral("apis/test.yaml:5:1: error: YAML syntax error: end of sequence flow not found");
    QTest::newRow("an empty file") << QByteArray()
                                   << QStringLiteral("apis/test.yaml: error: the file is empty: an OpenAPI document "
                                                     "starts with 'openapi: 3.1.0'");
    QTest::newRow("a list at the top") << QByteArray("- a\n- b\n")
                                       << QStringLiteral("apis/test.yaml:1:1: error: an OpenAPI document must be a "
                                                         "map at the top level, found a list");
    QTest::newRow("a map without openapi or swagger")
        << QByteArray("title: Pets\npaths: {}\n")
        << QStringLiteral("apis/test.yaml:1:1: error: this is not an OpenAPI document: it has no 'openapi' (or "
                          "Swagger 2 'swagger') field at the top");
    QTest::newRow("OpenAPI 4") << QByteArray("openapi: 4.0.0\n")
                               << QStringLiteral("apis/test.yaml:1:10: error: unsupported OpenAPI version '4.0.0' "
                                                 "(Gatehouse reads OpenAPI 3.0.x and 3.1.x, and Swagger 2.0)");
    QTest::newRow("Swagger 1.2") << QByteArray("swagger: '1.2'\n")
                                 << QStringLiteral("apis/test.yaml:1:10: error: unsupported Swagger version '1.2' "
                                                   "(Gatehouse reads Swagger 2.0 and OpenAPI 3.0.x and 3.1.x)");
    QTest::newRow("two YAML documents in one file")
        << QByteArray("openapi: 3.0.3\n---\nopenapi: 3.1.0\n")
        << QStringLiteral("apis/test.yaml:2:1: error: the file holds several YAML documents (separated by "
                          "'---'); an API file must hold exactly one");
    QTest::newRow("a YAML alias inside its own anchor")
        << QByteArray("openapi: &a [*a]\n")
        << QStringLiteral("apis/test.yaml:1:14: error: a YAML alias refers to a value that contains it");
}

void tst_OpenApiDiagnostics::notADocument()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, expected);
    Diagnostics diagnostics;
    QVERIFY(!Test::loadText(text, diagnostics));
    QCOMPARE(diagnostics.toString(), expected + u'\n');
}

void tst_OpenApiDiagnostics::cleanDocumentsSayNothing_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("summary, description, servers, parameters and x- keys next to operations")
        << Test::openapi30(R"(
            servers: [{url: 'https://api.example.com'}]
            paths:
              /pets/{id}:
                summary: Pets
                description: One pet
                servers: [{url: 'https://pets.example.com'}]
                parameters:
                  - {name: id, in: path, required: true, schema: {type: string}}
                x-internal: true
                get:
                  responses: {'200': {description: ok}}
        )");
    QTest::newRow("a webhooks-only OpenAPI 3.1 document")
        << yaml(R"(
            openapi: 3.1.0
            info: {title: Hooks, version: '1'}
            webhooks:
              newPet:
                post:
                  responses: {'200': {description: ok}}
        )");
    QTest::newRow("other vendors' extensions are left alone")
        << Test::openapi30(R"(
            paths: {}
            servers: [{url: 'https://api.example.com'}]
            x-amazon-apigateway-binary-media-types: ['*/*']
            x-logo: {url: logo.png}
        )");
}

void tst_OpenApiDiagnostics::cleanDocumentsSayNothing()
{
    QFETCH(QByteArray, text);
    Diagnostics diagnostics;
    QVERIFY(Test::loadText(text, diagnostics));
    QVERIFY2(diagnostics.isEmpty(), qPrintable(diagnostics.toString()));
}

QTEST_GUILESS_MAIN(tst_OpenApiDiagnostics)
#include "tst_openapidiagnostics.moc"
