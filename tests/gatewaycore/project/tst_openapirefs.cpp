// $refs across files of a project: chains, escapes, cycles, and every way a $ref can go wrong.
#include "openapitestutil.h"
#include "project/project.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace Gatehouse;

class tst_OpenApiRefs : public QObject
{
    Q_OBJECT
private slots:
    void crossFileRefsBuildTheModel();
    void brokenRefsAreReportedAtTheirRef();
    void symlinksCannotLeaveTheProject();
    void aSyntaxErrorInAReferencedFileIsReportedThere();
    void reported_data();
    void reported();
};

static QString refsProject()
{
    return Test::dataDir() + QStringLiteral("/refs");
}

static const Operation *find(const ApiSpec &api, const QString &operationId)
{
    for (const Operation &op : api.operations) {
        if (op.operationId == operationId)
            return &op;
    }
    return nullptr;
}

static bool write(const QString &path, const QByteArray &text)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(text) == text.size();
}

void tst_OpenApiRefs::crossFileRefsBuildTheModel()
{
    Diagnostics diagnostics;
    const auto api = loadOpenApiFile(refsProject(), QStringLiteral("apis/main.yaml"), diagnostics);
    QVERIFY(api);
    QVERIFY2(diagnostics.isEmpty(), qPrintable(diagnostics.toString()));
    QCOMPARE(api->operations.size(), 4);

    // A path item in another file: its operations point at that file, its $refs are relative to it.
    const Operation *list = find(*api, QStringLiteral("listPets"));
    QVERIFY(list);
    QCOMPARE(list->location, (SourceLocation{QStringLiteral("apis/common/paths.yaml"), 3, 3}));
    QCOMPARE(list->parameters.first().name, QStringLiteral("limit"));
    QCOMPARE(list->parameters.first().location.file, QStringLiteral("apis/common/parameters.json"));
    const QJsonObject pets = list->responses.first().content.first().schema.toObject();
    QCOMPARE(pets.value(QStringLiteral("items")).toObject().value(QStringLiteral("properties")).toObject()
                 .value(QStringLiteral("tag")).toObject().value(QStringLiteral("type")).toString(),
             QStringLiteral("string"));

    // ../ inside the project is fine; the body's schema comes back through a third file.
    const Operation *create = find(*api, QStringLiteral("createPet"));
    QVERIFY(create && create->requestBody && create->requestBody->required);
    QCOMPARE(create->requestBody->location.file, QStringLiteral("apis/more/bodies.yaml"));

    // A chain: parameters.json#/verbose -> ../more/flags.yaml#/verbose.
    const Operation *get = find(*api, QStringLiteral("getPet"));
    QVERIFY(get);
    QCOMPARE(get->parameters.size(), 2);
    QCOMPARE(get->parameters[1].name, QStringLiteral("verbose"));
    QCOMPARE(get->parameters[1].location, (SourceLocation{QStringLiteral("apis/more/flags.yaml"), 2, 3}));
    QCOMPARE(get->responses[1].description, QStringLiteral("not found"));   // main -> more/errors.yaml
    // Person.friend is a Person: the recursion stays a $ref, written relative to the main file.
    const QJsonObject owner = get->responses[0].content.first().schema.toObject().value(QStringLiteral("properties"))
                                  .toObject().value(QStringLiteral("owner")).toObject();
    QCOMPARE(owner.value(QStringLiteral("properties")).toObject().value(QStringLiteral("friend")).toObject(),
             (QJsonObject{{QStringLiteral("$ref"), QStringLiteral("more/people.yaml#/Person")}}));

    // Pointers with ~1, ~0 and percent-encoded braces.
    const Operation *tree = find(*api, QStringLiteral("getTree"));
    QVERIFY(tree);
    QCOMPARE(tree->parameters.size(), 2);
    QCOMPARE(tree->parameters[0].name, QStringLiteral("petId"));
    QCOMPARE(tree->parameters[1].name, QStringLiteral("depth"));

    // A security scheme defined in another file.
    QCOMPARE(api->securitySchemes[QStringLiteral("key")].apiKeyName, QStringLiteral("X-Key"));
}

void tst_OpenApiRefs::brokenRefsAreReportedAtTheirRef()
{
    Diagnostics diagnostics;
    const auto api = loadOpenApiFile(refsProject(), QStringLiteral("apis/broken.yaml"), diagnostics);
    QVERIFY(api);
    const QString f = QStringLiteral("apis/broken.yaml:");
    const QStringList expected{
        f + QStringLiteral("10:11: error: cannot resolve $ref 'common/missing.yaml#/x': file "
                           "'apis/common/missing.yaml' does not exist"),
        f + QStringLiteral("11:11: error: $ref '../../outside.yaml#/x' points outside the project directory; "
                           "only files inside the project can be referenced"),
        f + QStringLiteral("12:11: error: cannot resolve $ref 'common/notes.txt#/x': only .yaml, .yml and .json "
                           "files can be referenced"),
        f + QStringLiteral("13:11: error: $ref '/etc/passwd' uses an absolute path; write the path relative to "
                           "this file"),
        f + QStringLiteral("14:11: error: cannot resolve $ref '#/components/parameters/Limitt': there is no "
                           "'Limitt' in '/components/parameters' (did you mean 'limit'?)"),
        f + QStringLiteral("15:11: error: circular $ref: '#/components/parameters/loopA' -> "
                           "'#/components/parameters/loopB' -> '#/components/parameters/loopA' lead back to each "
                           "other and name no object"),
        f + QStringLiteral("16:11: warning: remote $ref 'https://example.com/p.yaml#/x' is not followed: "
                           "Gatehouse reads only files inside the project; save the document into the project and "
                           "refer to it by a relative path"),
        f + QStringLiteral("17:11: error: cannot resolve $ref 'common/parameters.json#/nope': there is no 'nope' "
                           "in 'apis/common/parameters.json'"),
        f + QStringLiteral("18:11: error: cannot resolve $ref '#/components/parameters/limit/in/0': "
                           "'/components/parameters/limit/in' is a string, not a map"),
    };
    QCOMPARE(diagnostics.toString(), expected.join(u'\n') + u'\n');
    QCOMPARE(api->operations.first().parameters.size(), 0);
}

void tst_OpenApiRefs::symlinksCannotLeaveTheProject()
{
    QTemporaryDir project;
    QTemporaryDir elsewhere;
    QVERIFY(project.isValid() && elsewhere.isValid());
    QVERIFY(write(elsewhere.filePath(QStringLiteral("secret.yaml")), "x: {name: leaked, in: query}\n"));
    QVERIFY(QDir().mkpath(project.filePath(QStringLiteral("apis/common"))));
    QVERIFY(QFile::link(elsewhere.filePath(QStringLiteral("secret.yaml")),
                        project.filePath(QStringLiteral("apis/common/link.yaml"))));
    QVERIFY(write(project.filePath(QStringLiteral("apis/api.yaml")), Test::yaml(R"(
        openapi: 3.0.3
        info: {title: T, version: '1'}
        paths:
          /a:
            get:
              parameters: [{$ref: 'common/link.yaml#/x'}]
              responses: {'200': {description: ok}}
    )")));
    Diagnostics diagnostics;
    const auto api = loadOpenApiFile(project.path(), QStringLiteral("apis/api.yaml"), diagnostics);
    QVERIFY(api);
    QCOMPARE(diagnostics.toString(),
             QStringLiteral("apis/api.yaml:6:21: error: cannot resolve $ref 'common/link.yaml#/x': "
                            "'apis/common/link.yaml' leads outside the project directory\n"));
    QVERIFY(api->operations.first().parameters.isEmpty());
}

void tst_OpenApiRefs::aSyntaxErrorInAReferencedFileIsReportedThere()
{
    QTemporaryDir project;
    QVERIFY(project.isValid());
    QVERIFY(write(project.filePath(QStringLiteral("apis/parts/bad.yaml")), "limit:\n  name: limit\n   in: query\n"));
    QVERIFY(write(project.filePath(QStringLiteral("apis/api.yaml")), Test::yaml(R"(
        openapi: 3.0.3
        info: {title: T, version: '1'}
        paths:
          /a:
            get:
              parameters: [{$ref: 'parts/bad.yaml#/limit'}]
              responses: {'200': {description: ok}}
          /b:
            get:
              parameters: [{$ref: 'parts/bad.yaml#/limit'}]
              responses: {'200': {description: ok}}
    )")));
    Diagnostics diagnostics;
    QVERIFY(loadOpenApiFile(project.path(), QStringLiteral("apis/api.yaml"), diagnostics));
    // The file is read once: one syntax error there, and each $ref says why it cannot be followed.
    QCOMPARE(diagnostics.toString(),
             QStringLiteral("apis/parts/bad.yaml:3:6: error: YAML syntax error: illegal map value\n"
                            "apis/api.yaml:6:21: error: cannot resolve $ref 'parts/bad.yaml#/limit': "
                            "'apis/parts/bad.yaml' is not valid YAML or JSON\n"
                            "apis/api.yaml:10:21: error: cannot resolve $ref 'parts/bad.yaml#/limit': "
                            "'apis/parts/bad.yaml' is not valid YAML or JSON\n"));
}

// Problems with $refs inside one document, as `gatehoused check` prints them.
void tst_OpenApiRefs::reported_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("a $ref to a missing component suggests the nearest")
        << Test::openapi30(R"(
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
        << Test::openapi30(R"(
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
        << Test::openapi30(R"(
            paths: {}
            components:
              schemas:
                Pet: {$ref: 'https://example.com/pet.json'}
        )")
        << QStringLiteral("apis/test.yaml:8:11: warning: remote $ref 'https://example.com/pet.json' is not "
                          "followed: Gatehouse reads only files inside the project; save the document into the "
                          "project and refer to it by a relative path");
    QTest::newRow("a $ref that is not a string")
        << Test::openapi30(R"(
            paths:
              /a:
                get:
                  parameters: [{$ref: 5}]
                  responses: {'200': {description: ok}}
        )")
        << QStringLiteral("apis/test.yaml:8:21: error: $ref must be a string, found a number");
    QTest::newRow("a $ref to an anchor outside a schema")
        << Test::openapi30(R"(
            paths:
              /a:
                get:
                  parameters: [{$ref: '#limit'}]
                  responses: {'200': {description: ok}}
        )")
        << QStringLiteral("apis/test.yaml:8:21: error: cannot resolve $ref '#limit': the part after '#' must be a "
                          "JSON pointer such as '#/components/schemas/Pet'");
    QTest::newRow("a JSON pointer with a bad escape")
        << Test::openapi30(R"(
            paths:
              /a:
                get:
                  parameters: [{$ref: '#/a~2b'}]
                  responses: {'200': {description: ok}}
        )")
        << QStringLiteral("apis/test.yaml:8:21: error: cannot resolve $ref '#/a~2b': in a JSON pointer '~' must be "
                          "followed by 0 (for '~') or 1 (for '/')");
    QTest::newRow("an operation next to a path item's $ref is ignored, with a warning")
        << Test::openapi30(R"(
            paths:
              /a:
                $ref: '#/components/pathItems/A'
                get:
                  responses: {'200': {description: ok}}
            components: {}
        )")
        << QStringLiteral("apis/test.yaml:8:5: warning: 'get' next to $ref in path item '/a' is ignored: the path "
                          "item comes from the $ref; move 'get' there");
}

void tst_OpenApiRefs::reported()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, expected);
    GATEHOUSE_EXPECT_REPORTED(text, expected);
}

QTEST_GUILESS_MAIN(tst_OpenApiRefs)
#include "tst_openapirefs.moc"
