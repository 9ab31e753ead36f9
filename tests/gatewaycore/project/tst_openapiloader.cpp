// The OpenAPI loader on the sample project, and the model it builds from focused documents.
#include "openapitestutil.h"
#include "project/project.h"

#include <QDir>
#include <QJsonArray>
#include <QTest>

using namespace Gatehouse;
using Gatehouse::Test::yaml;

class tst_OpenApiLoader : public QObject
{
    Q_OBJECT
private slots:
    void samplePetstore();
    void defaultsWithoutExtensions_data();
    void defaultsWithoutExtensions();
    void operationServersOverrideTheApis();
    void parametersMergeByNameAndLocation();
    void swagger2BodiesBecomeRequestBodies();
    void schemasAreInlined();
    void operationsKeepTheirWrittenOrder();
};

void tst_OpenApiLoader::samplePetstore()
{
    Diagnostics diagnostics;
    const auto api = loadOpenApiFile(Test::sourceDir() + QStringLiteral("/resources/samples/petstore"),
                                     QStringLiteral("apis/petstore.yaml"), diagnostics);
    QVERIFY(api);
    QVERIFY2(diagnostics.isEmpty(), qPrintable(diagnostics.toString()));
    QCOMPARE(api->version, OpenApiVersion::OpenApi30);
    QCOMPARE(api->title, QStringLiteral("Petstore"));
    QCOMPARE(api->apiVersion, QStringLiteral("v1"));
    QCOMPARE(api->basePathTemplate, QStringLiteral("/petstore/{version}"));
    QCOMPARE(api->basePath, QStringLiteral("/petstore/v1"));
    QCOMPARE(api->serverEndpoints.urls, QList<QUrl>{QUrl(QStringLiteral("http://127.0.0.1:8080/api"))});
    QCOMPARE(api->extensions.throttlingTier, QStringLiteral("Gold"));
    QCOMPARE(api->securitySchemes.keys(), (QStringList{QStringLiteral("api_key"), QStringLiteral("basic"),
                                                       QStringLiteral("oauth2")}));
    QCOMPARE(api->securitySchemes[QStringLiteral("oauth2")].declaredScopes,
             (QStringList{QStringLiteral("pets:read"), QStringLiteral("pets:write")}));
    QCOMPARE(api->securitySchemes[QStringLiteral("api_key")].apiKeyName, QStringLiteral("X-API-Key"));
    QCOMPARE(api->securitySchemes[QStringLiteral("basic")].type, SecuritySchemeType::HttpBasic);
    const QList<SecurityRequirement> oauthOrKey{{{QStringLiteral("oauth2"), {}}}, {{QStringLiteral("api_key"), {}}}};
    QCOMPARE(api->security, oauthOrKey);

    QStringList ids;
    for (const Operation &op : api->operations)
        ids.append(op.method + u' ' + op.pathTemplate + u' ' + op.operationId);
    QCOMPARE(ids, (QStringList{QStringLiteral("GET /pets listPets"), QStringLiteral("POST /pets createPet"),
                               QStringLiteral("GET /pets/findByStatus findPetsByStatus"),
                               QStringLiteral("GET /pets/{petId} getPet"), QStringLiteral("PUT /pets/{petId} updatePet"),
                               QStringLiteral("DELETE /pets/{petId} deletePet"), QStringLiteral("GET /health health")}));
    const Operation &list = api->operations[0];
    QCOMPARE(list.security->first().first().scopes, QStringList{QStringLiteral("pets:read")});
    QCOMPARE(list.parameters.first().name, QStringLiteral("limit"));
    QCOMPARE(api->operations[2].extensions.throttlingTier, QStringLiteral("Silver"));
    QCOMPARE(api->operations[2].extensions.throttlingTierLocation.line, 91);
    QCOMPARE(api->operations[3].parameters.first().in, ParameterLocation::Path);
    const Operation &health = api->operations[6];
    QVERIFY(health.security.has_value());
    QVERIFY(health.security->isEmpty());
    QCOMPARE(effectiveEndpoints(*api, health).urls, api->serverEndpoints.urls);
}

// With no extension at all the API is still served: upstream and base path come from servers.
void tst_OpenApiLoader::defaultsWithoutExtensions_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("upstream");
    QTest::addColumn<QString>("basePath");
    QTest::addColumn<QString>("note");
    const QByteArray info = "info: {title: T, version: '2'}\npaths: {}\n";
    QTest::newRow("OpenAPI 3: servers[0] is the upstream, its path the base path")
        << "openapi: 3.0.3\n" + info + "servers: [{url: 'https://api.example.com/v2/'}, {url: 'http://b'}]\n"
        << QStringLiteral("https://api.example.com/v2/") << QStringLiteral("/v2") << QString();
    QTest::newRow("server variables take their defaults")
        << "openapi: 3.1.0\n" + info + yaml(R"(
               servers:
                 - url: '{scheme}://{host}:{port}/base'
                   variables:
                     scheme: {default: https, enum: [http, https]}
                     host: {default: pets.example.com}
                     port: {default: '8443'}
           )")
        << QStringLiteral("https://pets.example.com:8443/base") << QStringLiteral("/base") << QString();
    QTest::newRow("a relative server URL gives a base path and a note, no upstream")
        << "openapi: 3.0.3\n" + info + "servers: [{url: /api/v3}]\n" << QString() << QStringLiteral("/api/v3")
        << QStringLiteral("apis/test.yaml:4:17: note: server URL '/api/v3' is relative, so it does not tell the "
                          "gateway where to send requests; set x-gatehouse-production-endpoints (its path "
                          "'/api/v3' is still used as the base path)");
    QTest::newRow("no servers: the root base path and no upstream")
        << "openapi: 3.0.3\n" + info << QString() << QStringLiteral("/") << QString();
    QTest::newRow("Swagger 2: the first scheme with host and basePath")
        << "swagger: '2.0'\n" + info + "host: pets.example.com:8080\nbasePath: /v1\nschemes: [http, https]\n"
        << QStringLiteral("http://pets.example.com:8080/v1") << QStringLiteral("/v1") << QString();
    QTest::newRow("Swagger 2 without schemes guesses https")
        << "swagger: '2.0'\n" + info + "host: pets.example.com\n" << QStringLiteral("https://pets.example.com")
        << QStringLiteral("/") << QString();
    QTest::newRow("Swagger 2 without host: base path only, and a note")
        << "swagger: '2.0'\n" + info + "basePath: /v1.43\n" << QString() << QStringLiteral("/v1.43")
        << QStringLiteral("apis/test.yaml:1:1: note: the document has no 'host', so it does not tell the gateway "
                          "where to send requests; set x-gatehouse-production-endpoints (basePath '/v1.43' is "
                          "still used as the base path)");
}

void tst_OpenApiLoader::defaultsWithoutExtensions()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, upstream);
    QFETCH(QString, basePath);
    QFETCH(QString, note);
    Diagnostics diagnostics;
    const auto api = Test::loadText(text, diagnostics);
    QVERIFY(api);
    QCOMPARE(api->serverEndpoints.urls.isEmpty() ? QString() : api->serverEndpoints.urls.first().toString(),
             upstream);
    QCOMPARE(api->basePath, basePath);
    QCOMPARE(diagnostics.toString(), note.isEmpty() ? QString() : note + u'\n');
}

void tst_OpenApiLoader::operationServersOverrideTheApis()
{
    Diagnostics diagnostics;
    const auto api = Test::loadText(yaml(R"(
        openapi: 3.0.3
        info: {title: T, version: '1'}
        servers: [{url: 'https://api.example.com'}]
        paths:
          /files:
            servers: [{url: 'https://files.example.com'}]
            get:
              responses: {'200': {description: ok}}
            put:
              servers: [{url: 'https://upload.example.com'}]
              responses: {'200': {description: ok}}
          /other:
            get:
              responses: {'200': {description: ok}}
    )"), diagnostics);
    QVERIFY(api);
    QVERIFY2(diagnostics.isEmpty(), qPrintable(diagnostics.toString()));
    auto upstream = [&](int i) { return effectiveEndpoints(*api, api->operations[i]).urls.first().host(); };
    QCOMPARE(upstream(0), QStringLiteral("files.example.com"));
    QCOMPARE(upstream(1), QStringLiteral("upload.example.com"));
    QCOMPARE(upstream(2), QStringLiteral("api.example.com"));
}

void tst_OpenApiLoader::parametersMergeByNameAndLocation()
{
    Diagnostics diagnostics;
    const auto api = Test::loadText(yaml(R"(
        openapi: 3.0.3
        info: {title: T, version: '1'}
        paths:
          /pets/{id}:
            parameters:
              - {name: id, in: path, required: true, schema: {type: string}}
              - {name: limit, in: query, schema: {type: integer}}
              - {name: trace, in: header, schema: {type: string}}
            get:
              parameters:
                - {name: limit, in: query, required: true, schema: {type: integer, maximum: 10}}
                - {name: limit, in: header, schema: {type: string}}
              responses: {'200': {description: ok}}
    )"), diagnostics);
    QVERIFY(api);
    QVERIFY2(diagnostics.isEmpty(), qPrintable(diagnostics.toString()));
    const QList<Parameter> &p = api->operations.first().parameters;
    QCOMPARE(p.size(), 4);
    QCOMPARE(p[1].name, QStringLiteral("limit"));
    QVERIFY(p[1].required);   // the operation's own limit replaced the path's
    QCOMPARE(p[1].schema.toObject().value(QStringLiteral("maximum")).toInt(), 10);
    QCOMPARE(p[1].location.line, 11);
    QCOMPARE(p[3].in, ParameterLocation::Header);   // same name, other location: both kept
}

void tst_OpenApiLoader::swagger2BodiesBecomeRequestBodies()
{
    Diagnostics diagnostics;
    const auto api = Test::loadText(yaml(R"(
        swagger: '2.0'
        info: {title: T, version: '1'}
        host: api.example.com
        consumes: [application/json, application/xml]
        produces: [application/json]
        paths:
          /pets:
            post:
              parameters:
                - {name: pet, in: body, required: true, schema: {$ref: '#/definitions/Pet'}}
              responses:
                '200': {description: ok, schema: {$ref: '#/definitions/Pet'}}
          /pets/{id}/photo:
            post:
              consumes: [multipart/form-data]
              parameters:
                - {name: id, in: path, required: true, type: integer}
                - {name: file, in: formData, required: true, type: file}
                - {name: caption, in: formData, type: string, maxLength: 80}
              responses:
                '204': {description: stored}
        definitions:
          Pet: {type: object, properties: {name: {type: string}}}
    )"), diagnostics);
    QVERIFY(api);
    QVERIFY2(diagnostics.isEmpty(), qPrintable(diagnostics.toString()));
    const Operation &post = api->operations[0];
    QVERIFY(post.parameters.isEmpty());
    QVERIFY(post.requestBody && post.requestBody->required);
    QCOMPARE(post.requestBody->content.size(), 2);
    QCOMPARE(post.requestBody->content[1].contentType, QStringLiteral("application/xml"));
    QCOMPARE(post.requestBody->content[0].schema.toObject().value(QStringLiteral("type")).toString(),
             QStringLiteral("object"));
    QCOMPARE(post.responses.first().content.first().contentType, QStringLiteral("application/json"));

    const Operation &photo = api->operations[1];
    QCOMPARE(photo.parameters.size(), 1);
    QCOMPARE(photo.parameters.first().schema.toObject().value(QStringLiteral("type")).toString(),
             QStringLiteral("integer"));
    QCOMPARE(photo.requestBody->content.first().contentType, QStringLiteral("multipart/form-data"));
    const QJsonObject form = photo.requestBody->content.first().schema.toObject();
    QCOMPARE(form.value(QStringLiteral("required")).toArray().size(), 1);
    const QJsonObject file = form.value(QStringLiteral("properties")).toObject().value(QStringLiteral("file")).toObject();
    QCOMPARE(file.value(QStringLiteral("format")).toString(), QStringLiteral("binary"));
    QVERIFY(photo.responses.first().content.isEmpty());   // no schema, no content
}

void tst_OpenApiLoader::schemasAreInlined()
{
    Diagnostics diagnostics;
    const auto api = Test::loadText(yaml(R"(
        openapi: 3.1.0
        info: {title: T, version: '1'}
        paths:
          /nodes:
            get:
              responses:
                '200':
                  description: a node
                  content:
                    application/json:
                      schema: {$ref: '#/components/schemas/Node', description: the root}
        components:
          schemas:
            Node:
              type: object
              properties:
                name: {$ref: '#/components/schemas/Name'}
                children: {type: array, items: {$ref: '#/components/schemas/Node'}}
                example: {type: string, example: {$ref: 'not a reference, just data'}}
            Name: {type: string}
    )"), diagnostics);
    QVERIFY(api);
    QVERIFY2(diagnostics.isEmpty(), qPrintable(diagnostics.toString()));
    const QJsonObject schema = api->operations.first().responses.first().content.first().schema.toObject();
    // OpenAPI 3.1: $ref with siblings is an allOf of the target and the siblings.
    QCOMPARE(schema.value(QStringLiteral("description")).toString(), QStringLiteral("the root"));
    const QJsonObject node = schema.value(QStringLiteral("allOf")).toArray().first().toObject();
    const QJsonObject properties = node.value(QStringLiteral("properties")).toObject();
    QCOMPARE(properties.value(QStringLiteral("name")).toObject().value(QStringLiteral("type")).toString(),
             QStringLiteral("string"));
    // The recursion stays a $ref the validator can follow in ApiSpec::document.
    QCOMPARE(properties.value(QStringLiteral("children")).toObject().value(QStringLiteral("items")).toObject(),
             (QJsonObject{{QStringLiteral("$ref"), QStringLiteral("#/components/schemas/Node")}}));
}

void tst_OpenApiLoader::operationsKeepTheirWrittenOrder()
{
    Diagnostics diagnostics;
    const auto api = Test::loadText(yaml(R"(
        openapi: 3.0.3
        info: {title: T, version: '1'}
        paths:
          /zebra:
            post: {responses: {'200': {description: ok}}}
            get: {responses: {'200': {description: ok}}}
          /apple:
            delete: {responses: {'200': {description: ok}}}
    )"), diagnostics);
    QVERIFY(api);
    QStringList order;
    for (const Operation &op : api->operations)
        order.append(op.method + u' ' + op.pathTemplate + u':' + QString::number(op.location.line));
    QCOMPARE(order, (QStringList{QStringLiteral("POST /zebra:5"), QStringLiteral("GET /zebra:6"),
                                 QStringLiteral("DELETE /apple:8")}));
}

QTEST_GUILESS_MAIN(tst_OpenApiLoader)
#include "tst_openapiloader.moc"
