// Security schemes and requirements: the model (OR of ANDs, absent vs empty) and every problem.
#include "openapitestutil.h"
#include "project/project.h"

#include <QTest>

using namespace Gatehouse;
using Gatehouse::Test::yaml;

class tst_OpenApiSecurity : public QObject
{
    Q_OBJECT
private slots:
    void securityAbsentEmptyAndOptional();
    void securitySchemesOfSwagger2AndOpenApi3();
    void reported_data();
    void reported();
};

void tst_OpenApiSecurity::securityAbsentEmptyAndOptional()
{
    Diagnostics diagnostics;
    const auto api = Test::loadText(yaml(R"(
        openapi: 3.0.3
        info: {title: T, version: '1'}
        security: [{key: []}]
        paths:
          /inherit: {get: {responses: {'200': {description: ok}}}}
          /open: {get: {security: [], responses: {'200': {description: ok}}}}
          /optional: {get: {security: [{}, {key: []}], responses: {'200': {description: ok}}}}
          /both: {get: {security: [{key: [], basic: []}], responses: {'200': {description: ok}}}}
        components:
          securitySchemes:
            key: {type: apiKey, in: query, name: key}
            basic: {type: http, scheme: basic}
    )"), diagnostics);
    QVERIFY(api);
    QVERIFY2(diagnostics.isEmpty(), qPrintable(diagnostics.toString()));
    QVERIFY(!api->operations[0].security.has_value());
    QVERIFY(api->operations[1].security.has_value() && api->operations[1].security->isEmpty());
    QCOMPARE(api->operations[2].security->size(), 2);
    QVERIFY(api->operations[2].security->first().isEmpty());
    const SecurityRequirement both{{QStringLiteral("key"), {}}, {QStringLiteral("basic"), {}}};
    QCOMPARE(api->operations[3].security->first(), both);
}


void tst_OpenApiSecurity::securitySchemesOfSwagger2AndOpenApi3()
{
    Diagnostics diagnostics;
    const auto swagger = Test::loadText(yaml(R"(
        swagger: '2.0'
        info: {title: T, version: '1'}
        host: api.example.com
        paths: {}
        securityDefinitions:
          basic: {type: basic}
          key: {type: apiKey, in: query, name: api_key}
          oauth: {type: oauth2, flow: accessCode, authorizationUrl: 'https://a/auth',
                  tokenUrl: 'https://a/token', scopes: {read: r, write: w}}
    )"), diagnostics);
    QVERIFY(swagger);
    QVERIFY2(diagnostics.isEmpty(), qPrintable(diagnostics.toString()));
    QCOMPARE(swagger->securitySchemes[QStringLiteral("basic")].type, SecuritySchemeType::HttpBasic);
    QCOMPARE(swagger->securitySchemes[QStringLiteral("key")].apiKeyIn, ApiKeyLocation::Query);
    QCOMPARE(swagger->securitySchemes[QStringLiteral("oauth")].tokenUrl, QStringLiteral("https://a/token"));
    QCOMPARE(swagger->securitySchemes[QStringLiteral("oauth")].declaredScopes.size(), 2);

    const auto openapi = Test::loadText(yaml(R"(
        openapi: 3.1.0
        info: {title: T, version: '1'}
        paths: {}
        components:
          securitySchemes:
            jwt: {type: http, scheme: Bearer, bearerFormat: JWT}
            cookie: {type: apiKey, in: cookie, name: session}
            oidc: {type: openIdConnect, openIdConnectUrl: 'https://id.example.com/.well-known/openid-configuration'}
            mtls: {type: mutualTLS}
            oauth:
              type: oauth2
              flows:
                implicit: {authorizationUrl: 'https://a/auth', scopes: {a: a, b: b}}
                clientCredentials: {tokenUrl: 'https://a/token', scopes: {b: b, c: c}}
    )"), diagnostics);
    QVERIFY(openapi);
    QVERIFY2(diagnostics.isEmpty(), qPrintable(diagnostics.toString()));
    QCOMPARE(openapi->securitySchemes[QStringLiteral("jwt")].type, SecuritySchemeType::HttpBearer);
    QCOMPARE(openapi->securitySchemes[QStringLiteral("jwt")].bearerFormat, QStringLiteral("JWT"));
    QCOMPARE(openapi->securitySchemes[QStringLiteral("cookie")].apiKeyIn, ApiKeyLocation::Cookie);
    QCOMPARE(openapi->securitySchemes[QStringLiteral("oidc")].type, SecuritySchemeType::OpenIdConnect);
    QCOMPARE(openapi->securitySchemes[QStringLiteral("mtls")].type, SecuritySchemeType::MutualTls);
    QCOMPARE(openapi->securitySchemes[QStringLiteral("oauth")].declaredScopes,
             (QStringList{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")}));   // union of flows
}


// Every problem with a security scheme or requirement, as `gatehoused check` prints it.
void tst_OpenApiSecurity::reported_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("a security requirement naming an undeclared scheme")
        << Test::openapi30(R"(
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
        << Test::openapi30(R"(
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
        << Test::openapi30(R"(
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
        << Test::openapi30(R"(
            paths: {}
            components:
              securitySchemes:
                key: {type: apikey, name: X-Key, in: header}
        )")
        << QStringLiteral("apis/test.yaml:8:17: error: security scheme 'key' has unknown type 'apikey' (did you "
                          "mean 'apiKey'?) (expected 'apiKey', 'http', 'oauth2' and 'openIdConnect')");
    QTest::newRow("an API key scheme without a name")
        << Test::openapi30(R"(
            paths: {}
            components:
              securitySchemes:
                key: {type: apiKey, in: header}
        )")
        << QStringLiteral("apis/test.yaml:8:10: error: API-key security scheme 'key' needs a 'name': the header, "
                          "query parameter or cookie carrying the key");
    QTest::newRow("an OAuth2 flow without scopes")
        << Test::openapi30(R"(
            paths: {}
            components:
              securitySchemes:
                o:
                  type: oauth2
                  flows:
                    clientCredentials: {tokenUrl: 'https://t'}
        )")
        << QStringLiteral("apis/test.yaml:11:9: error: OAuth2 flow 'clientCredentials' needs 'scopes' (write "
                          "'scopes: {}' when there are none)");
    QTest::newRow("a misspelt OAuth2 flow")
        << Test::openapi30(R"(
            paths: {}
            components:
              securitySchemes:
                o:
                  type: oauth2
                  flows:
                    client_credentials: {tokenUrl: 'https://t', scopes: {}}
        )")
        << QStringLiteral("apis/test.yaml:11:9: error: unknown OAuth2 flow 'client_credentials' (did you mean "
                          "'clientCredentials'?) (expected 'implicit', 'password', 'clientCredentials' and "
                          "'authorizationCode')");
    QTest::newRow("OpenID Connect without its URL")
        << Test::openapi30(R"(
            paths: {}
            components:
              securitySchemes:
                o: {type: openIdConnect}
        )")
        << QStringLiteral("apis/test.yaml:8:8: error: OpenID Connect security scheme 'o' needs 'openIdConnectUrl'");
    QTest::newRow("mutual TLS in an OpenAPI 3.0 document")
        << Test::openapi30(R"(
            paths: {}
            components:
              securitySchemes:
                m: {type: mutualTLS}
        )")
        << QStringLiteral("apis/test.yaml:8:15: error: security scheme 'm' has unknown type 'mutualTLS' (mutualTLS "
                          "needs OpenAPI 3.1) (expected 'apiKey', 'http', 'oauth2' and 'openIdConnect')");
    QTest::newRow("an HTTP scheme without its scheme")
        << Test::openapi30(R"(
            paths: {}
            components:
              securitySchemes:
                h: {type: http}
        )")
        << QStringLiteral("apis/test.yaml:8:8: error: HTTP security scheme 'h' needs 'scheme: basic' or 'scheme: "
                          "bearer'");
    QTest::newRow("a security scheme without a type")
        << Test::openapi30(R"(
            paths: {}
            components:
              securitySchemes:
                h: {description: what}
        )")
        << QStringLiteral("apis/test.yaml:8:8: error: security scheme 'h' has no 'type'");
}

void tst_OpenApiSecurity::reported()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, expected);
    GATEHOUSE_EXPECT_REPORTED(text, expected);
}

QTEST_GUILESS_MAIN(tst_OpenApiSecurity)
#include "tst_openapisecurity.moc"
