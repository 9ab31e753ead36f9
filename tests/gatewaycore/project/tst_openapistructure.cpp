// The OpenAPI JSON-schema rules the loader checks: top-level keys, styles, links, servers ...
#include "openapitestutil.h"
#include "project/project.h"

#include <QTest>

using namespace Gatehouse;
using Gatehouse::Test::yaml;

class tst_OpenApiStructure : public QObject
{
    Q_OBJECT
private slots:
    void reported_data();
    void reported();
};

// Each shape rule of the OpenAPI schemas the loader enforces, as `gatehoused check` prints it.
void tst_OpenApiStructure::reported_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("an unknown top-level key suggests the nearest allowed one")
        << Test::openapi30(R"(
            path: {}
            paths: {}
        )")
        << QStringLiteral("apis/test.yaml:5:1: error: unknown top-level key 'path' (did you mean 'paths'?) "
                          "(allowed: openapi, info, servers, paths, components, security, tags, externalDocs; "
                          "extensions start with 'x-')");
    QTest::newRow("a header parameter cannot allow reserved characters")
        << Test::openapi30(R"(
            paths: {}
            components:
              parameters:
                h: {name: X-A, in: header, allowReserved: true, schema: {type: string}}
        )")
        << QStringLiteral("apis/test.yaml:8:32: error: 'allowReserved' is only allowed on query (and form-style "
                          "cookie) parameters, not on a header parameter");
    QTest::newRow("a query parameter in a header's style")
        << Test::openapi30(R"(
            paths: {}
            components:
              parameters:
                p: {name: p, in: query, style: simple, schema: {type: string}}
        )")
        << QStringLiteral("apis/test.yaml:8:36: error: style 'simple' is not allowed for a query parameter "
                          "(allowed: 'form', 'spaceDelimited', 'pipeDelimited' and 'deepObject')");
    QTest::newRow("a link without a target operation")
        << Test::openapi30(R"(
            paths: {}
            components:
              links:
                l: {description: no target}
        )")
        << QStringLiteral("apis/test.yaml:8:5: error: link 'l' needs exactly one of 'operationId' and "
                          "'operationRef'");
    QTest::newRow("a header in form style")
        << Test::openapi30(R"(
            paths: {}
            components:
              headers:
                h: {style: form, schema: {type: string}}
        )")
        << QStringLiteral("apis/test.yaml:8:16: error: a header's style must be 'simple', found 'form'");
    QTest::newRow("a parameter with both schema and content")
        << Test::openapi30(R"(
            paths: {}
            components:
              parameters:
                p: {name: p, in: query, schema: {type: string}, content: {text/plain: {}}}
        )")
        << QStringLiteral("apis/test.yaml:8:53: error: a parameter has either 'schema' or 'content', not both");
    QTest::newRow("a parameter content with two media types")
        << Test::openapi30(R"(
            paths: {}
            components:
              parameters:
                p: {name: p, in: query, content: {text/plain: {}, application/json: {}}}
        )")
        << QStringLiteral("apis/test.yaml:8:29: error: the 'content' of a parameter must list exactly one media "
                          "type");
    QTest::newRow("a component name with a space")
        << Test::openapi30(R"(
            paths: {}
            components:
              schemas:
                'My Schema': {type: string}
        )")
        << QStringLiteral("apis/test.yaml:8:5: warning: component name 'My Schema' should use only letters, "
                          "digits, '.', '_' and '-'");
    QTest::newRow("a server variable without a default")
        << Test::openapi30(R"(
            paths: {}
            servers:
              - url: https://{env}.example.com
                variables:
                  env: {enum: [a, b]}
        )")
        << QStringLiteral("apis/test.yaml:9:7: error: server variable 'env' needs a 'default'");
    QTest::newRow("a server variable default outside its enum (a warning in 3.0)")
        << Test::openapi30(R"(
            paths: {}
            servers:
              - url: https://{env}.example.com
                variables:
                  env: {default: c, enum: [a, b]}
        )")
        << QStringLiteral("apis/test.yaml:9:22: warning: the default 'c' of server variable 'env' is not one of "
                          "its enum values 'a' and 'b'");
    QTest::newRow("an OpenAPI 3.1 license with both identifier and url")
        << Test::openapi31License(R"(
            paths: {}
        )")
        << QStringLiteral("apis/test.yaml:4:24: error: the license has both 'identifier' and 'url'; give only one");
    QTest::newRow("a 3.1 document needs paths, webhooks or components")
        << yaml(R"(
            openapi: 3.1.0
            info: {title: Test, version: '1'}
        )")
        << QStringLiteral("apis/test.yaml:1:1: error: the document has none of 'paths', 'webhooks' and "
                          "'components': an OpenAPI 3.1 document needs at least one");
}

void tst_OpenApiStructure::reported()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, expected);
    GATEHOUSE_EXPECT_REPORTED(text, expected);
}

QTEST_GUILESS_MAIN(tst_OpenApiStructure)
#include "tst_openapistructure.moc"
