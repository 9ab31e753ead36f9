// Endpoint extensions: upstream URLs, strategies, timeouts, upstream Basic auth, named endpoints.
#include "openapitestutil.h"
#include "project/project.h"

#include <QTest>

using namespace Gatehouse;

class tst_OpenApiEndpoints : public QObject
{
    Q_OBJECT
private slots:
    void reported_data();
    void reported();
};

// Every problem with an endpoint extension, as `gatehoused check` prints it.
void tst_OpenApiEndpoints::reported_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("an endpoint URL that is not http(s)")
        << Test::openapi30(R"(
            paths: {}
            x-gatehouse-production-endpoints:
              urls: [ftp://files.example.com]
        )")
        << QStringLiteral("apis/test.yaml:7:10: error: endpoint URL 'ftp://files.example.com' is not valid: it "
                          "must start with http://, https:// or h2c://");
    QTest::newRow("an endpoint reference naming no endpoint")
        << Test::openapi30(R"(
            paths: {}
            x-gatehouse-production-endpoints: '#/x-gatehouse-endpoints/primry'
            x-gatehouse-endpoints:
              primary: {urls: ['http://a.example.com']}
        )")
        << QStringLiteral("apis/test.yaml:6:35: error: endpoint reference '#/x-gatehouse-endpoints/primry' names "
                          "no endpoint (did you mean 'primary'?) (x-gatehouse-endpoints defines 'primary')");
    QTest::newRow("endpoint settings without urls")
        << Test::openapi30(R"(
            paths: {}
            x-gatehouse-production-endpoints: {type: failover}
        )")
        << QStringLiteral("apis/test.yaml:6:35: error: 'x-gatehouse-production-endpoints' has no 'urls': list the "
                          "upstream URLs");
    QTest::newRow("an unknown endpoint type")
        << Test::openapi30(R"(
            paths: {}
            x-gatehouse-production-endpoints: {urls: ['http://a'], type: round_robin}
        )")
        << QStringLiteral("apis/test.yaml:6:62: error: unknown endpoint type 'round_robin' (expected load_balance "
                          "or failover)");
    QTest::newRow("upstream security other than basic")
        << Test::openapi30(R"(
            paths: {}
            x-gatehouse-production-endpoints: {urls: ['http://a'], securityConfig: {type: digest, username: u}}
        )")
        << QStringLiteral("apis/test.yaml:6:79: error: unsupported upstream security type 'digest' (only basic is "
                          "supported)");
    QTest::newRow("a literal upstream password")
        << Test::openapi30(R"(
            paths: {}
            x-gatehouse-production-endpoints: {urls: ['http://a'], securityConfig: {type: basic, username: u, password: hunter2}}
        )")
        << QStringLiteral("apis/test.yaml:6:109: warning: a password written in the API file travels with it; "
                          "write 'env:NAME' to read it from the environment instead");
    QTest::newRow("an MGW endpoint list item with two names")
        << Test::openapi30(R"(
            paths: {}
            x-wso2-endpoints:
              - a: {urls: ['http://a']}
                b: {urls: ['http://b']}
        )")
        << QStringLiteral("apis/test.yaml:7:5: error: each item of 'x-wso2-endpoints' must be a map with one key, "
                          "the endpoint's name, holding its settings (urls ...)");
    QTest::newRow("a misspelt endpoint key")
        << Test::openapi30(R"(
            paths: {}
            x-gatehouse-production-endpoints: {url: ['http://a'], urls: ['http://a']}
        )")
        << QStringLiteral("apis/test.yaml:6:36: warning: unknown key 'url' in the endpoint settings (did you mean "
                          "'urls'?) is ignored (known: urls, type, http2, advanceEndpointConfig, securityConfig)");
    QTest::newRow("h2c and http URLs mixed in one endpoint")
        << Test::openapi30(R"(
            paths: {}
            x-gatehouse-production-endpoints: {urls: ['h2c://a', 'http://b']}
        )")
        << QStringLiteral("apis/test.yaml:6:42: error: h2c:// and http(s):// URLs are mixed in one endpoint: write "
                          "them all as http(s):// with 'http2: true', or all as h2c://");
    QTest::newRow("http2 that is not true or false")
        << Test::openapi30(R"(
            paths: {}
            x-gatehouse-production-endpoints: {urls: ['https://a'], http2: yes please}
        )")
        << QStringLiteral("apis/test.yaml:6:64: error: 'http2' must be true or false, found a string");
    QTest::newRow("a zero timeout")
        << Test::openapi30(R"(
            paths: {}
            x-gatehouse-production-endpoints: {urls: ['http://a'], advanceEndpointConfig: {timeoutInMillis: 0}}
        )")
        << QStringLiteral("apis/test.yaml:6:97: error: 'timeoutInMillis' must be a whole number of at least 1, "
                          "found 0");
    QTest::newRow("an endpoint reference outside the registries")
        << Test::openapi30(R"(
            paths: {}
            x-gatehouse-production-endpoints: '#/components/endpoints/a'
        )")
        << QStringLiteral("apis/test.yaml:6:35: error: endpoint reference '#/components/endpoints/a' must have the "
                          "form '#/x-gatehouse-endpoints/NAME'");
}

void tst_OpenApiEndpoints::reported()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, expected);
    GATEHOUSE_EXPECT_REPORTED(text, expected);
}

QTEST_GUILESS_MAIN(tst_OpenApiEndpoints)
#include "tst_openapiendpoints.moc"
