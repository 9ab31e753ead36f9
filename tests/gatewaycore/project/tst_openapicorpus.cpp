// The OpenAPI loader on the shared corpus: real APIs, the OAI examples and the 3.1 schema tests.
#include "openapitestutil.h"
#include "project/project.h"

#include <QDir>
#include <QTest>

using namespace Gatehouse;

class tst_OpenApiCorpus : public QObject
{
    Q_OBJECT
private slots:
    void corpusLoads_data();
    void corpusLoads();
    void everyCorpusFileHasARow();
    void schemaTestFailuresAreRejected_data();
    void schemaTestFailuresAreRejected();
};

// Operation counts from an independent count (python3 + PyYAML over paths.*.{get,put,...}).
void tst_OpenApiCorpus::corpusLoads_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("operations");
    QTest::addColumn<QStringList>("errors");   // known semantic errors of schema-valid files
    const QStringList none;
    const struct
    {
        const char *file;
        int operations;
    } rows[] = {
        {"real/docker-engine-swagger-2.0.yaml", 108},
        {"real/twilio_verify_v2-3.0.1.json", 57},
        {"real/grpc-gateway-echo_service-swagger-2.0.json", 13},
        {"oai-examples/v2.0/api-with-examples.json", 2},
        {"oai-examples/v2.0/petstore-expanded.json", 4},
        {"oai-examples/v2.0/petstore-minimal.json", 1},
        {"oai-examples/v2.0/petstore-simple.json", 4},
        {"oai-examples/v2.0/petstore-with-external-docs.json", 4},
        {"oai-examples/v2.0/petstore.json", 3},
        {"oai-examples/v2.0/uber.json", 5},
        {"oai-examples/v3.0/api-with-examples.json", 2},
        {"oai-examples/v3.0/callback-example.json", 1},
        {"oai-examples/v3.0/link-example.json", 6},
        {"oai-examples/v3.0/petstore-expanded.json", 4},
        {"oai-examples/v3.0/petstore.json", 3},
        {"oai-examples/v3.0/uspto.json", 3},
        {"oai-examples/v3.1/non-oauth-scopes.json", 1},
        {"oai-examples/v3.1/webhook-example.json", 0},
        {"oai-schema-tests-3.1/pass/callback-object-examples.yaml", 0},
        {"oai-schema-tests-3.1/pass/comp_pathitems.yaml", 0},
        {"oai-schema-tests-3.1/pass/components-object-example.yaml", 0},
        {"oai-schema-tests-3.1/pass/example-object-examples.yaml", 0},
        {"oai-schema-tests-3.1/pass/header-object-examples.yaml", 0},
        {"oai-schema-tests-3.1/pass/info-object-example.yaml", 0},
        {"oai-schema-tests-3.1/pass/info_summary.yaml", 0},
        {"oai-schema-tests-3.1/pass/json_schema_dialect.yaml", 0},
        {"oai-schema-tests-3.1/pass/license_identifier.yaml", 0},
        {"oai-schema-tests-3.1/pass/link-object-examples.yaml", 2},
        {"oai-schema-tests-3.1/pass/media-type-examples.yaml", 1},
        {"oai-schema-tests-3.1/pass/mega.yaml", 1},
        {"oai-schema-tests-3.1/pass/minimal_comp.yaml", 0},
        {"oai-schema-tests-3.1/pass/minimal_hooks.yaml", 0},
        {"oai-schema-tests-3.1/pass/minimal_paths.yaml", 0},
        {"oai-schema-tests-3.1/pass/non-oauth-scopes.yaml", 1},
        {"oai-schema-tests-3.1/pass/parameter-object-examples.yaml", 0},
        {"oai-schema-tests-3.1/pass/parameter-object-query-allowReserved.yaml", 0},
        {"oai-schema-tests-3.1/pass/path-item-object-example.yaml", 1},
        {"oai-schema-tests-3.1/pass/path_item_servers_parameters.yaml", 7},
        {"oai-schema-tests-3.1/pass/path_no_response.yaml", 1},
        {"oai-schema-tests-3.1/pass/path_var_empty_pathitem.yaml", 0},
        {"oai-schema-tests-3.1/pass/paths-object-example.yaml", 1},
        {"oai-schema-tests-3.1/pass/request-body-examples.yaml", 1},
        {"oai-schema-tests-3.1/pass/response-object-examples.yaml", 0},
        {"oai-schema-tests-3.1/pass/schema-object-deprecated-example-keyword.yaml", 0},
        {"oai-schema-tests-3.1/pass/schema.yaml", 0},
        {"oai-schema-tests-3.1/pass/security-scheme-object-examples.yaml", 0},
        {"oai-schema-tests-3.1/pass/servers.yaml", 0},
        {"oai-schema-tests-3.1/pass/specification-extensions.yaml", 0},
        {"oai-schema-tests-3.1/pass/style-defaults.yaml", 0},
        {"oai-schema-tests-3.1/pass/tag-object-example.yaml", 0},
        {"oai-schema-tests-3.1/pass/valid_schema_types.yaml", 0},
        {"oai-schema-tests-3.1/pass/webhook-example.yaml", 0},
    };
    for (const auto &row : rows) {
        const QString file = QString::fromLatin1(row.file);
        QTest::newRow(row.file) << file << row.operations << none;
    }
    // Valid for the JSON schema, wrong for the specification's text: the path says {id} where the
    // parameter is petId, and the requirement names a scheme the document never declares.
    const QString f = QStringLiteral("oai-schema-tests-3.1/pass/operation-object-example.yaml");
    QTest::newRow("oai-schema-tests-3.1/pass/operation-object-example.yaml")
        << f << 1
        << QStringList{f + QStringLiteral(":13:11: error: path parameter 'petId' is declared, but the path "
                                          "'/pets/{id}' has no '{petId}'"),
                       f + QStringLiteral(":7:5: error: PUT /pets/{id} declares no path parameter 'id': add one "
                                          "with 'in: path' and 'required: true'"),
                       f + QStringLiteral(":45:11: error: security requirement uses 'petstore_auth', but "
                                          "components.securitySchemes declares no scheme of that name "
                                          "(declared: (none))")};
}

void tst_OpenApiCorpus::corpusLoads()
{
    QFETCH(QString, file);
    QFETCH(int, operations);
    QFETCH(QStringList, errors);
    Diagnostics diagnostics;
    const auto api = loadOpenApiFile(Test::corpusDir(), file, diagnostics);
    QVERIFY2(api, qPrintable(diagnostics.toString()));
    QCOMPARE(api->operations.size(), operations);
    QStringList actual;
    for (const Diagnostic &d : diagnostics.items()) {
        if (d.severity == Severity::Error)
            actual.append(d.toString());
    }
    QCOMPARE(actual, errors);
}

// A file added to the corpus later must get a row with its operation count.
void tst_OpenApiCorpus::everyCorpusFileHasARow()
{
    int files = 0;
    for (const QString &sub : {QStringLiteral("real"), QStringLiteral("oai-examples/v2.0"),
                               QStringLiteral("oai-examples/v3.0"), QStringLiteral("oai-examples/v3.1"),
                               QStringLiteral("oai-schema-tests-3.1/pass")}) {
        files += int(QDir(Test::corpusDir() + u'/' + sub).entryList(QDir::Files).size());
    }
    QCOMPARE(files, 53);
}

// Every case of the OpenAPI 3.1 schema test suite that must fail gets an error saying why.
void tst_OpenApiCorpus::schemaTestFailuresAreRejected_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("expected");
    const struct
    {
        const char *file;
        const char *error;
    } rows[] = {
        {"example-examples.yaml", "15:7: error: a parameter may have 'example' or 'examples', not both"},
        {"header-object-allowReserved.yaml",
         "12:7: error: 'allowReserved' is not allowed on a header (it only applies to query parameters)"},
        {"invalid_schema_types.yaml",
         "10:19: error: schema 'invalid_null' must be a schema (a map or true/false), found null"},
        {"link-object-no-body.yaml",
         "10:7: error: unknown key 'body' in link 'Link-Object-with-body-property' (allowed: operationRef, "
         "operationId, parameters, requestBody, description, server)"},
        {"no_containers.yaml", "1:1: error: the document has none of 'paths', 'webhooks' and 'components': an "
                               "OpenAPI 3.1 document needs at least one"},
        {"parameter-object-cookie-form-allowReserved.yaml",
         "16:14: error: style 'cookie' is not allowed for a cookie parameter (allowed: 'form')"},
        {"parameter-object-header-allowReserved.yaml",
         "10:7: error: 'allowReserved' is only allowed on query (and form-style cookie) parameters, not on a "
         "header parameter"},
        {"parameter-object-path-allowReserved.yaml",
         "10:7: error: 'allowReserved' is only allowed on query (and form-style cookie) parameters, not on a "
         "path parameter"},
        {"server_enum_empty.yaml",
         "13:15: error: the 'enum' of server variable 'var' is empty: list at least one value"},
        {"servers.yaml", "10:3: error: 'servers' must be a list, found a map"},
        {"unknown_container.yaml",
         "8:1: error: unknown top-level key 'overlays' (allowed: openapi, info, servers, paths, components, "
         "security, tags, externalDocs, webhooks, jsonSchemaDialect; extensions start with 'x-')"},
    };
    for (const auto &row : rows) {
        const QString file = QStringLiteral("oai-schema-tests-3.1/fail/") + QString::fromLatin1(row.file);
        QTest::newRow(row.file) << file << file + u':' + QString::fromLatin1(row.error);
    }
    QCOMPARE(QDir(Test::corpusDir() + QStringLiteral("/oai-schema-tests-3.1/fail")).entryList(QDir::Files).size(),
             std::size(rows));
}

void tst_OpenApiCorpus::schemaTestFailuresAreRejected()
{
    QFETCH(QString, file);
    QFETCH(QString, expected);
    Diagnostics diagnostics;
    loadOpenApiFile(Test::corpusDir(), file, diagnostics);
    QVERIFY(diagnostics.hasErrors());
    QVERIFY2(Test::hasDiagnostic(diagnostics, expected), qPrintable(diagnostics.toString()));
}

QTEST_GUILESS_MAIN(tst_OpenApiCorpus)
#include "tst_openapicorpus.moc"
