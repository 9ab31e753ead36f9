// Gateway extensions: x-gatehouse-* forms, and an MGW 3.2 project that opens unchanged.
#include "openapitestutil.h"
#include "project/project.h"

#include <QTest>

using namespace Gatehouse;
using Gatehouse::Test::yaml;
using namespace std::chrono_literals;

class tst_OpenApiExtensions : public QObject
{
    Q_OBJECT
private slots:
    void mgwPetstoreOpensUnchanged();
    void gatehouseForms();
    void pathItemExtensionsApplyToTheirOperations();
    void interceptorAndPoliciesBothWritten();
    void reported_data();
    void reported();
};

static const Operation &op(const ApiSpec &api, const QString &operationId)
{
    for (const Operation &o : api.operations) {
        if (o.operationId == operationId)
            return o;
    }
    qFatal("no operation %s", qPrintable(operationId));
}

static QStringList hosts(const EndpointSet &set)
{
    QStringList out;
    for (const QUrl &url : set.urls)
        out.append(url.host() + url.path());
    return out;
}

void tst_OpenApiExtensions::mgwPetstoreOpensUnchanged()
{
    Diagnostics diagnostics;
    const auto api = loadOpenApiFile(Test::dataDir() + QStringLiteral("/mgw"), QStringLiteral("apis/petstore.yaml"),
                                     diagnostics);
    QVERIFY(api);
    QVERIFY2(diagnostics.isEmpty(), qPrintable(diagnostics.toString()));
    QCOMPARE(api->basePath, QStringLiteral("/petstore/v1"));
    const GatewayExtensions &x = api->extensions;

    // "#/x-wso2-endpoints/myEndpoint": MGW's list of named endpoints; the password comes from the
    // environment variable MGW used: <name>_<prod|sandbox>_basic_password.
    QVERIFY(x.productionEndpoints);
    QCOMPARE(hosts(*x.productionEndpoints), (QStringList{QStringLiteral("petstore.swagger.io/v2"),
                                                         QStringLiteral("petstore.swagger.io/v5")}));
    QCOMPARE(x.productionEndpoints->strategy, EndpointStrategy::LoadBalance);
    QCOMPARE(x.productionEndpoints->basicAuthUser, QStringLiteral("roshan"));
    QCOMPARE(x.productionEndpoints->basicAuthPasswordRef, QStringLiteral("env:myEndpoint_prod_basic_password"));
    QCOMPARE(hosts(*x.sandboxEndpoints), QStringList{QStringLiteral("sandbox.petstore.swagger.io/v2")});
    QCOMPARE(x.throttlingTier, QStringLiteral("10kPerMin"));
    QCOMPARE(x.authHeader, QStringLiteral("X-Petstore-Auth"));
    QCOMPARE(x.transports, QStringList{QStringLiteral("https")});
    QCOMPARE(x.mutualSsl, QStringLiteral("optional"));
    QCOMPARE(x.applicationSecurity, (QStringList{QStringLiteral("oauth2"), QStringLiteral("api_key")}));
    QVERIFY(!x.applicationSecurityOptional);
    QCOMPARE(x.requestPolicies.size(), 1);
    QCOMPARE(x.requestPolicies.first().name, QStringLiteral("interceptor"));
    QCOMPARE(x.requestPolicies.first().settings.value(QStringLiteral("ref")).toString(),
             QStringLiteral("validateRequest"));
    QCOMPARE(x.responseCacheTimeout, std::optional<std::chrono::seconds>(300s));
    QCOMPARE(x.owner, QStringLiteral("admin"));
    QVERIFY(x.cors && x.cors->enabled && x.cors->allowCredentials);
    QCOMPARE(x.cors->allowOrigins, QStringList{QStringLiteral("https://petstore.example.com")});
    QCOMPARE(x.cors->allowMethods.size(), 6);
    QCOMPARE(x.cors->allowHeaders.first(), QStringLiteral("authorization"));

    const Operation &add = op(*api, QStringLiteral("addPet"));
    QCOMPARE(add.extensions.passRequestPayloadToInterceptor, std::optional<bool>(true));
    QCOMPARE(add.extensions.responsePolicies.first().settings.value(QStringLiteral("ref")).toString(),
             QStringLiteral("java:org.mgw.interceptor.PetResponseInterceptor"));
    QCOMPARE(hosts(effectiveEndpoints(*api, add)).size(), 2);   // the API's endpoints

    const Operation &find = op(*api, QStringLiteral("findPetsByStatus"));
    QCOMPARE(find.extensions.throttlingTier, QStringLiteral("10PerMin"));
    QCOMPARE(find.extensions.productionEndpoints->strategy, EndpointStrategy::Failover);
    QCOMPARE(hosts(effectiveEndpoints(*api, find)).first(), QStringLiteral("petstore.swagger.io/v3"));

    const Operation &get = op(*api, QStringLiteral("getPetById"));
    QCOMPARE(get.extensions.disableSecurity, std::optional<bool>(true));
    QCOMPARE(get.extensions.productionEndpoints->strategy, EndpointStrategy::Failover);
    QCOMPARE(get.extensions.productionEndpoints->timeout, std::optional<std::chrono::milliseconds>(7000ms));

    // API Manager leftovers MGW honoured.
    const Operation &del = op(*api, QStringLiteral("deletePet"));
    QCOMPARE(del.extensions.disableSecurity, std::optional<bool>(true));
    QCOMPARE(del.extensions.throttlingTier, QStringLiteral("Unlimited"));
}

void tst_OpenApiExtensions::gatehouseForms()
{
    Diagnostics diagnostics;
    const auto api = Test::loadText(yaml(R"(
        openapi: 3.0.3
        info: {title: Shop, version: '2.1'}
        x-gatehouse-basePath: /shop/{version}/
        x-gatehouse-endpoints:
          primary:
            urls: ['https://a.example.com', 'https://b.example.com']
            type: failover
            advanceEndpointConfig: {timeoutInMillis: 2500}
            securityConfig: {type: basic, username: svc, password: 'env:SHOP_PASSWORD'}
        x-gatehouse-production-endpoints: {$ref: '#/x-gatehouse-endpoints/primary'}
        x-gatehouse-sandbox-endpoints: https://sandbox.example.com
        x-gatehouse-disable-security: false
        x-gatehouse-auth-header: X-Token
        x-gatehouse-scopes: [shop:use]
        x-gatehouse-request-policies:
          - name: add-header
            settings: {name: X-Client, value: gatehouse}
          - request-id
        x-gatehouse-response-policies: [{name: strip-headers}]
        x-gatehouse-cors: {accessControlAllowOrigins: '*', accessControlMaxAge: 600, accessControlAllowMethods: [get, post]}
        x-gatehouse-application-security: {security-types: [basic_auth], optional: true}
        paths:
          /orders:
            get:
              x-gatehouse-scopes: 'orders:read orders:list'
              x-gatehouse-disable-security: true
              responses: {'200': {description: ok}}
            post:
              x-gatehouse-production-endpoints: {urls: ['http://orders.internal:8080']}
              responses: {'200': {description: ok}}
    )"), diagnostics);
    QVERIFY(api);
    QVERIFY2(diagnostics.isEmpty(), qPrintable(diagnostics.toString()));
    QCOMPARE(api->basePath, QStringLiteral("/shop/2.1"));
    QCOMPARE(api->basePathTemplate, QStringLiteral("/shop/{version}/"));
    const GatewayExtensions &x = api->extensions;
    QCOMPARE(x.productionEndpoints->strategy, EndpointStrategy::Failover);
    QCOMPARE(x.productionEndpoints->timeout, std::optional<std::chrono::milliseconds>(2500ms));
    QCOMPARE(x.productionEndpoints->basicAuthPasswordRef, QStringLiteral("env:SHOP_PASSWORD"));
    QCOMPARE(x.productionEndpoints->location.line, 6);   // where the named endpoint is written
    QCOMPARE(hosts(*x.sandboxEndpoints), QStringList{QStringLiteral("sandbox.example.com")});
    QCOMPARE(x.disableSecurity, std::optional<bool>(false));
    QCOMPARE(x.authHeader, QStringLiteral("X-Token"));
    QCOMPARE(x.scopes, QStringList{QStringLiteral("shop:use")});
    QCOMPARE(x.requestPolicies.size(), 2);
    QCOMPARE(x.requestPolicies[0].settings.value(QStringLiteral("name")).toString(), QStringLiteral("X-Client"));
    QCOMPARE(x.requestPolicies[1].name, QStringLiteral("request-id"));
    QCOMPARE(x.responsePolicies.first().name, QStringLiteral("strip-headers"));
    QCOMPARE(x.cors->allowOrigins, QStringList{QStringLiteral("*")});
    QCOMPARE(x.cors->allowMethods, (QStringList{QStringLiteral("GET"), QStringLiteral("POST")}));
    QCOMPARE(x.cors->maxAge, std::optional<std::chrono::seconds>(600s));
    QCOMPARE(x.applicationSecurity, QStringList{QStringLiteral("basic_auth")});
    QVERIFY(x.applicationSecurityOptional);

    const Operation &get = api->operations[0];
    QCOMPARE(get.extensions.scopes, (QStringList{QStringLiteral("orders:read"), QStringLiteral("orders:list")}));
    QCOMPARE(get.extensions.disableSecurity, std::optional<bool>(true));
    QCOMPARE(hosts(effectiveEndpoints(*api, get)).size(), 2);
    QCOMPARE(hosts(effectiveEndpoints(*api, api->operations[1])), QStringList{QStringLiteral("orders.internal")});
}

void tst_OpenApiExtensions::pathItemExtensionsApplyToTheirOperations()
{
    Diagnostics diagnostics;
    const auto api = Test::loadText(yaml(R"(
        openapi: 3.0.3
        info: {title: T, version: '1'}
        paths:
          /reports:
            x-gatehouse-throttling-tier: Bronze
            x-wso2-production-endpoints: {urls: ['http://reports.internal']}
            get:
              responses: {'200': {description: ok}}
            post:
              x-gatehouse-throttling-tier: Gold
              responses: {'200': {description: ok}}
    )"), diagnostics);
    QVERIFY(api);
    QVERIFY2(diagnostics.isEmpty(), qPrintable(diagnostics.toString()));
    QCOMPARE(api->operations[0].extensions.throttlingTier, QStringLiteral("Bronze"));
    QCOMPARE(api->operations[1].extensions.throttlingTier, QStringLiteral("Gold"));
    QCOMPARE(hosts(*api->operations[1].extensions.productionEndpoints), QStringList{QStringLiteral("reports.internal")});
}

void tst_OpenApiExtensions::interceptorAndPoliciesBothWritten()
{
    Diagnostics diagnostics;
    const auto api = Test::loadText(yaml(R"(
        openapi: 3.0.3
        info: {title: T, version: '1'}
        paths: {}
        servers: [{url: 'https://api.example.com'}]
        x-wso2-request-interceptor: validateRequest
        x-gatehouse-request-policies: [{name: validate}]
    )"), diagnostics);
    QVERIFY(api);
    QCOMPARE(diagnostics.toString(),
             QStringLiteral("apis/test.yaml:5:1: warning: both 'x-gatehouse-request-policies' and "
                            "'x-wso2-request-interceptor' are set; 'x-gatehouse-request-policies' is used\n"));
    QCOMPARE(api->extensions.requestPolicies.size(), 1);
    QCOMPARE(api->extensions.requestPolicies.first().name, QStringLiteral("validate"));
}

// Every problem with an extension, as `gatehoused check` prints it.
void tst_OpenApiExtensions::reported_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("an extension of the wrong shape")
        << Test::openapi30(R"(
            paths: {}
            x-gatehouse-throttling-tier: {name: Gold}
        )")
        << QStringLiteral("apis/test.yaml:6:30: error: 'x-gatehouse-throttling-tier' must be a string, found a map");
    QTest::newRow("an unknown x-gatehouse extension suggests the nearest")
        << Test::openapi30(R"(
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
        << Test::openapi30(R"(
            paths: {}
            x-wso2-throttling-tier: Silver
            x-gatehouse-throttling-tier: Gold
        )")
        << QStringLiteral("apis/test.yaml:6:1: warning: both 'x-gatehouse-throttling-tier' and "
                          "'x-wso2-throttling-tier' are set; 'x-gatehouse-throttling-tier' is used");
    QTest::newRow("an API-wide extension written on an operation")
        << Test::openapi30(R"(
            paths:
              /pets:
                get:
                  x-gatehouse-basePath: /v2
                  responses: {'200': {description: ok}}
        )")
        << QStringLiteral("apis/test.yaml:8:7: warning: 'x-gatehouse-basePath' applies to the whole API: write it "
                          "at the top level of the document; here it is ignored");
    QTest::newRow("a base path placeholder other than version")
        << Test::openapi30(R"(
            paths: {}
            x-gatehouse-basePath: /pets/{tenant}
        )")
        << QStringLiteral("apis/test.yaml:6:23: error: the base path '/pets/{tenant}' uses '{tenant}'; only "
                          "{version} (replaced by info.version) is supported");
    QTest::newRow("a base path without its leading slash")
        << Test::openapi30(R"(
            paths: {}
            x-wso2-basePath: pets/v1
        )")
        << QStringLiteral("apis/test.yaml:6:18: error: 'x-wso2-basePath' must start with '/', for example "
                          "'/petstore/{version}'");
    QTest::newRow("a misspelt CORS key")
        << Test::openapi30(R"(
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
        << Test::openapi30(R"(
            paths: {}
            x-wso2-application-security:
              security-types: [oauth2, apikey]
        )")
        << QStringLiteral("apis/test.yaml:7:28: error: unknown application security type 'apikey' (did you mean "
                          "'api_key'?) (expected oauth2, basic_auth or api_key)");
    QTest::newRow("an MGW extension Gatehouse does not support")
        << Test::openapi30(R"(
            paths: {}
            x-wso2-label: [default]
        )")
        << QStringLiteral("apis/test.yaml:6:1: warning: the MGW extension 'x-wso2-label' is not supported by "
                          "Gatehouse and is ignored");
    QTest::newRow("mutual SSL other than mandatory or optional")
        << Test::openapi30(R"(
            paths: {}
            x-wso2-mutual-ssl: required
        )")
        << QStringLiteral("apis/test.yaml:6:20: error: 'x-wso2-mutual-ssl' must be 'mandatory' or 'optional'");
    QTest::newRow("a transport other than http or https")
        << Test::openapi30(R"(
            paths: {}
            x-gatehouse-transports: [http, ftp]
        )")
        << QStringLiteral("apis/test.yaml:6:32: error: unknown transport 'ftp' (expected http or https)");
    QTest::newRow("an auth header that is not a header name")
        << Test::openapi30(R"(
            paths: {}
            x-gatehouse-auth-header: 'X Token'
        )")
        << QStringLiteral("apis/test.yaml:6:26: error: 'X Token' is not a valid header name");
    QTest::newRow("a negative response cache timeout")
        << Test::openapi30(R"(
            paths: {}
            x-wso2-response-cache: {enabled: true, cacheTimeoutInSeconds: -5}
        )")
        << QStringLiteral("apis/test.yaml:6:63: error: 'cacheTimeoutInSeconds' must be a whole number of at least "
                          "1, found -5");
    QTest::newRow("a policy attachment without a name")
        << Test::openapi30(R"(
            paths: {}
            x-gatehouse-request-policies: [{settings: {a: 1}}]
        )")
        << QStringLiteral("apis/test.yaml:6:32: error: a policy attachment needs a 'name'");
    QTest::newRow("an empty throttling tier")
        << Test::openapi30(R"(
            paths: {}
            x-gatehouse-throttling-tier: ''
        )")
        << QStringLiteral("apis/test.yaml:6:30: error: 'x-gatehouse-throttling-tier' is empty: name a tier from "
                          "gatehouse.yaml");
    QTest::newRow("CORS credentials with any origin")
        << Test::openapi30(R"(
            paths: {}
            x-gatehouse-cors: {accessControlAllowOrigins: ['*'], accessControlAllowCredentials: true}
        )")
        << QStringLiteral("apis/test.yaml:6:85: warning: browsers refuse credentials when the allowed origin is "
                          "'*': list the origins instead");
    QTest::newRow("disable-security written as text")
        << Test::openapi30(R"(
            paths: {}
            x-wso2-disable-security: 'yes'
        )")
        << QStringLiteral("apis/test.yaml:6:26: error: 'x-wso2-disable-security' must be true or false, found a "
                          "string");
    QTest::newRow("scopes written as a map")
        << Test::openapi30(R"(
            paths: {}
            x-gatehouse-scopes: {read: true}
        )")
        << QStringLiteral("apis/test.yaml:6:21: error: 'x-gatehouse-scopes' must be a string or a list of strings, "
                          "found a map");
}

void tst_OpenApiExtensions::reported()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, expected);
    GATEHOUSE_EXPECT_REPORTED(text, expected);
}

QTEST_GUILESS_MAIN(tst_OpenApiExtensions)
#include "tst_openapiextensions.moc"
