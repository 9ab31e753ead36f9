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
    QCOMPARE(find.extensions.throttlingTier, QStringLiteral("5PerMin"));
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

QTEST_GUILESS_MAIN(tst_OpenApiExtensions)
#include "tst_openapiextensions.moc"
