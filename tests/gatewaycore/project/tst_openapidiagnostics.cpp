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

// A minimal valid document to append paths and components to.
static QByteArray head(const char *rest = "")
{
    return yaml(R"(
        openapi: 3.0.3
        info:
          title: Test
          version: '1'
    )") + yaml(rest);
}

void tst_OpenApiDiagnostics::reported_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("expected");

    QTest::newRow("a key written twice is an error at the second one")
        << head(R"(
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
        << head() << QStringLiteral("apis/test.yaml:1:1: error: the document has no 'paths' section, so the "
                                    "API has no operations");
    QTest::newRow("a 3.1 document needs paths, webhooks or components")
        << yaml(R"(
            openapi: 3.1.0
            info: {title: Test, version: '1'}
        )")
        << QStringLiteral("apis/test.yaml:1:1: error: the document has none of 'paths', 'webhooks' and "
                          "'components': an OpenAPI 3.1 document needs at least one");
    QTest::newRow("an unknown top-level key suggests the nearest allowed one")
        << head(R"(
            path: {}
            paths: {}
        )")
        << QStringLiteral("apis/test.yaml:5:1: error: unknown top-level key 'path' (did you mean 'paths'?) "
                          "(allowed: openapi, info, servers, paths, components, security, tags, externalDocs; "
                          "extensions start with 'x-')");
    QTest::newRow("an unquoted version number is read but a warning explains it")
        << yaml(R"(
            swagger: 2.0
            info: {title: Test, version: '1'}
            paths: {}
        )")
        << QStringLiteral("apis/test.yaml:1:10: warning: 'swagger: 2.0' is read as a number; write it in "
                          "quotes ('2.0') so it stays a version string");
    QTest::newRow("two operations with one operationId")
        << head(R"(
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
        << head(R"(
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
        << head(R"(
            paths:
              /pets/{petId}:
                get:
                  responses: {'200': {description: ok}}
        )")
        << QStringLiteral("apis/test.yaml:7:5: error: GET /pets/{petId} declares no path parameter 'petId': add "
                          "one with 'in: path' and 'required: true'");
    QTest::newRow("a path parameter without required: true")
        << head(R"(
            paths:
              /pets/{petId}:
                parameters:
                  - {name: petId, in: path, schema: {type: string}}
                get:
                  responses: {'200': {description: ok}}
        )")
        << QStringLiteral("apis/test.yaml:8:9: warning: path parameter 'petId' must be marked 'required: true'");
    QTest::newRow("an unclosed brace is an invalid path template")
        << head(R"(
            paths:
              /pets/{petId:
                get:
                  responses: {'200': {description: ok}}
        )")
        << QStringLiteral("apis/test.yaml:6:3: error: invalid path template '/pets/{petId': the '{' at position "
                          "7 is never closed");
    QTest::newRow("a path must start with a slash")
        << head(R"(
            paths:
              pets: {}
        )")
        << QStringLiteral("apis/test.yaml:6:3: error: path 'pets' must start with '/'");
    QTest::newRow("a misspelt HTTP method is named with a suggestion")
        << head(R"(
            paths:
              /pets:
                gett:
                  responses: {'200': {description: ok}}
        )")
        << QStringLiteral("apis/test.yaml:7:5: error: unknown key 'gett' in path item '/pets' (did you mean "
                          "'get'?): operations are named by HTTP method (get, put, post, delete, options, head, "
                          "patch, trace)");
    QTest::newRow("one parameter declared twice in a list")
        << head(R"(
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
        << head(R"(
            paths:
              /pets:
                get:
                  responses: {'20': {description: ok}}
        )")
        << QStringLiteral("apis/test.yaml:8:19: error: response status '20' is not valid: use a code such as "
                          "200, a range such as 4XX, or default");
    QTest::newRow("a $ref to a missing component suggests the nearest")
        << head(R"(
            paths:
              /pets:
                get:
                  parameters:
                    - $ref: '#/components/parameters/limitt'
                  responses: {'200': {description: ok}}
            components:
              parameters:
                limit: {name: limit, in: query, schema: {type: integer}}
        )")
        << QStringLiteral("apis/test.yaml:9:11: error: cannot resolve $ref '#/components/parameters/limitt': there "
                          "is no 'limitt' in '/components/parameters' (did you mean 'limit'?)");
    QTest::newRow("a $ref cycle is reported once at the first $ref into it")
        << head(R"(
            paths:
              /pets:
                get:
                  parameters:
                    - $ref: '#/components/parameters/a'
                  responses: {'200': {description: ok}}
            components:
              parameters:
                a: {$ref: '#/components/parameters/b'}
                b: {$ref: '#/components/parameters/a'}
        )")
        << QStringLiteral("apis/test.yaml:9:11: error: circular $ref: '#/components/parameters/a' -> "
                          "'#/components/parameters/b' -> '#/components/parameters/a' lead back to each other and "
                          "name no object");
    QTest::newRow("a remote $ref is not followed")
        << head(R"(
            paths: {}
            components:
              schemas:
                Pet: {$ref: 'https://example.com/pet.json'}
        )")
        << QStringLiteral("apis/test.yaml:8:11: warning: remote $ref 'https://example.com/pet.json' is not "
                          "followed: Gatehouse reads only files inside the project; save the document into the "
                          "project and refer to it by a relative path");
    QTest::newRow("a security requirement naming an undeclared scheme")
        << head(R"(
            paths: {}
            security:
              - oauth: []
            components:
              securitySchemes:
                oauth2: {type: http, scheme: bearer}
        )")
        << QStringLiteral("apis/test.yaml:7:5: error: security requirement uses 'oauth' (did you mean 'oauth2'?), "
                          "but components.securitySchemes declares no scheme of that name (declared: 'oauth2')");
    QTest::newRow("a scope the OAuth2 scheme does not declare")
        << head(R"(
            paths: {}
            security:
              - oauth: [pets:raed]
            components:
              securitySchemes:
                oauth:
                  type: oauth2
                  flows:
                    clientCredentials:
                      tokenUrl: https://auth.example.com/token
                      scopes: {pets:read: read, pets:write: write}
        )")
        << QStringLiteral("apis/test.yaml:7:13: warning: scope 'pets:raed' is not declared by the OAuth2 scheme "
                          "'oauth' (did you mean 'pets:read'?) (declared: 'pets:read' and 'pets:write')");
    QTest::newRow("HTTP digest cannot be enforced, so using it is an error")
        << head(R"(
            paths: {}
            security:
              - digest: []
            components:
              securitySchemes:
                digest: {type: http, scheme: digest}
        )")
        << QStringLiteral("apis/test.yaml:7:5: error: security requirement uses 'digest', which cannot be "
                          "enforced: HTTP 'digest' authentication is not supported by Gatehouse (basic and "
                          "bearer are)");
    QTest::newRow("an unknown security scheme type")
        << head(R"(
            paths: {}
            components:
              securitySchemes:
                key: {type: apikey, name: X-Key, in: header}
        )")
        << QStringLiteral("apis/test.yaml:8:17: error: security scheme 'key' has unknown type 'apikey' (did you "
                          "mean 'apiKey'?) (expected 'apiKey', 'http', 'oauth2' and 'openIdConnect')");
    QTest::newRow("an API key scheme without a name")
        << head(R"(
            paths: {}
            components:
              securitySchemes:
                key: {type: apiKey, in: header}
        )")
        << QStringLiteral("apis/test.yaml:8:10: error: API-key security scheme 'key' needs a 'name': the header, "
                          "query parameter or cookie carrying the key");
    QTest::newRow("a server URL using a variable it does not define")
        << head(R"(
            paths: {}
            servers:
              - url: https://{region}.example.com
        )")
        << QStringLiteral("apis/test.yaml:7:10: error: server URL 'https://{region}.example.com' uses "
                          "'{region}' but the server defines no variable 'region'");
    QTest::newRow("an endpoint URL that is not http(s)")
        << head(R"(
            paths: {}
            x-gatehouse-production-endpoints:
              urls: [ftp://files.example.com]
        )")
        << QStringLiteral("apis/test.yaml:7:10: error: endpoint URL 'ftp://files.example.com' is not valid: it "
                          "must start with http:// or https://");
    QTest::newRow("an endpoint reference naming no endpoint")
        << head(R"(
            paths: {}
            x-gatehouse-production-endpoints: '#/x-gatehouse-endpoints/primry'
            x-gatehouse-endpoints:
              primary: {urls: ['http://a.example.com']}
        )")
        << QStringLiteral("apis/test.yaml:6:35: error: endpoint reference '#/x-gatehouse-endpoints/primry' names "
                          "no endpoint (did you mean 'primary'?) (x-gatehouse-endpoints defines 'primary')");
    QTest::newRow("an extension of the wrong shape")
        << head(R"(
            paths: {}
            x-gatehouse-throttling-tier: {name: Gold}
        )")
        << QStringLiteral("apis/test.yaml:6:30: error: 'x-gatehouse-throttling-tier' must be a string, found a map");
    QTest::newRow("an unknown x-gatehouse extension suggests the nearest")
        << head(R"(
            paths: {}
            x-gatehouse-throttling-teir: Gold
        )")
        << QStringLiteral("apis/test.yaml:6:1: warning: unknown extension 'x-gatehouse-throttling-teir' (did you "
                          "mean 'x-gatehouse-throttling-tier'?) is ignored (known: x-gatehouse-basePath, "
                          "x-gatehouse-production-endpoints, x-gatehouse-sandbox-endpoints, x-gatehouse-endpoints, "
                          "x-gatehouse-throttling-tier, x-gatehouse-disable-security, x-gatehouse-auth-header, "
                          "x-gatehouse-scopes, x-gatehouse-request-policies, x-gatehouse-response-policies, "
                          "x-gatehouse-cors, x-gatehouse-application-security, x-gatehouse-transports, "
                          "x-gatehouse-mutual-ssl, x-gatehouse-pass-request-payload-to-interceptor, "
                          "x-gatehouse-response-cache, x-gatehouse-owner)");
    QTest::newRow("the gatehouse form wins over its MGW alias, with a warning")
        << head(R"(
            paths: {}
            x-wso2-throttling-tier: Silver
            x-gatehouse-throttling-tier: Gold
        )")
        << QStringLiteral("apis/test.yaml:6:1: warning: both 'x-gatehouse-throttling-tier' and "
                          "'x-wso2-throttling-tier' are set; 'x-gatehouse-throttling-tier' is used");
    QTest::newRow("an API-wide extension written on an operation")
        << head(R"(
            paths:
              /pets:
                get:
                  x-gatehouse-basePath: /v2
                  responses: {'200': {description: ok}}
        )")
        << QStringLiteral("apis/test.yaml:8:7: warning: 'x-gatehouse-basePath' applies to the whole API: write it "
                          "at the top level of the document; here it is ignored");
    QTest::newRow("a base path placeholder other than version")
        << head(R"(
            paths: {}
            x-gatehouse-basePath: /pets/{tenant}
        )")
        << QStringLiteral("apis/test.yaml:6:23: error: the base path '/pets/{tenant}' uses '{tenant}'; only "
                          "{version} (replaced by info.version) is supported");
    QTest::newRow("a base path without its leading slash")
        << head(R"(
            paths: {}
            x-wso2-basePath: pets/v1
        )")
        << QStringLiteral("apis/test.yaml:6:18: error: 'x-wso2-basePath' must start with '/', for example "
                          "'/petstore/{version}'");
    QTest::newRow("a misspelt CORS key")
        << head(R"(
            paths: {}
            x-gatehouse-cors:
              accessControlAllowOrigin: ['*']
        )")
        << QStringLiteral("apis/test.yaml:7:3: warning: unknown key 'accessControlAllowOrigin' in "
                          "x-gatehouse-cors (did you mean 'accessControlAllowOrigins'?) is ignored (known: "
                          "corsConfigurationEnabled, accessControlAllowOrigins, accessControlAllowCredentials, "
                          "accessControlAllowHeaders, accessControlAllowMethods, accessControlExposeHeaders, "
                          "accessControlMaxAge)");
    QTest::newRow("an unknown MGW application security type")
        << head(R"(
            paths: {}
            x-wso2-application-security:
              security-types: [oauth2, apikey]
        )")
        << QStringLiteral("apis/test.yaml:7:28: error: unknown application security type 'apikey' (did you mean "
                          "'api_key'?) (expected oauth2, basic_auth or api_key)");
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
    QTest::newRow("a header parameter cannot allow reserved characters")
        << head(R"(
            paths: {}
            components:
              parameters:
                h: {name: X-A, in: header, allowReserved: true, schema: {type: string}}
        )")
        << QStringLiteral("apis/test.yaml:8:32: error: 'allowReserved' is only allowed on query (and form-style "
                          "cookie) parameters, not on a header parameter");
    // Eight levels of twenty aliases: 20^8 values if anyone walked them all.
    QByteArray bomb = head("paths: {}\nx-a0: &a0 [x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x]\n");
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
    Diagnostics diagnostics;
    const QString path = text.startsWith('{') ? QStringLiteral("apis/test.json") : QStringLiteral("apis/test.yaml");
    const auto api = Test::loadText(text, diagnostics, path);
    QVERIFY2(api, qPrintable(diagnostics.toString()));
    QVERIFY2(Test::hasDiagnostic(diagnostics, expected),
             qPrintable(QStringLiteral("expected:\n%1\ngot:\n%2").arg(expected, diagnostics.toString())));
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
        << head(R"(
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
        << head(R"(
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
