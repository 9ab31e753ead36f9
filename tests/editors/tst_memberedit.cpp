// MemberEdit: gateway extensions set, replaced and removed in the petstore sample and in a JSON
// spec; the loader reads the new values back and every other line stays as written.
#include "memberedit.h"

#include "project/openapiloader.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace Gatehouse;

class tst_MemberEdit : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void yamlScalars_data();
    void yamlScalars();
    void editsTheSample_data();
    void editsTheSample();
    void removesAMember();
    void editsJson_data();
    void editsJson();
    void keepsJsonOnOneLine();
    void refusesWhatItCannotEdit();

private:
    QString m_petstore;
};

static const char kJson[] = R"({
  "openapi": "3.0.3",
  "info": {"title": "Orders", "version": "1.0"},
  "servers": [{"url": "http://127.0.0.1:8081/orders"}],
  "x-gatehouse-throttling-tier": "Silver",
  "paths": {
    "/orders": {
      "get": {
        "operationId": "listOrders",
        "responses": {"200": {"description": "ok"}}
      },
      "post": {}
    }
  }
}
)";

// The lines of `before` that differ from `after`, and those of `after`, once the common first and
// last lines are set aside: what an edit really touched.
static std::pair<QStringList, QStringList> touched(const QString &before, const QString &after)
{
    QStringList a = before.split(u'\n');
    QStringList b = after.split(u'\n');
    while (!a.isEmpty() && !b.isEmpty() && a.first() == b.first()) {
        a.removeFirst();
        b.removeFirst();
    }
    while (!a.isEmpty() && !b.isEmpty() && a.last() == b.last()) {
        a.removeLast();
        b.removeLast();
    }
    return {a, b};
}

static QString edit(const QString &text, const QStringList &owner, const QString &key,
                    const QJsonValue &value)
{
    QString error;
    const std::optional<TextChange> change = memberChange(text, owner, key, value, &error);
    if (!change) {
        qWarning("%s", qPrintable(error));
        return {};
    }
    return applyTextChange(text, *change);
}

static std::optional<ApiSpec> load(const QString &text, const char *file)
{
    Diagnostics diagnostics;
    auto api = loadOpenApiText(QStringLiteral("/nonexistent"), QString::fromUtf8(file), text.toUtf8(),
                               diagnostics);
    if (diagnostics.hasErrors())
        qWarning("%s", qPrintable(diagnostics.toString()));
    return diagnostics.hasErrors() ? std::nullopt : api;
}

static const Operation *findOp(const ApiSpec &api, const char *method, const char *path)
{
    for (const Operation &op : api.operations) {
        if (op.method == QLatin1String(method) && op.pathTemplate == QLatin1String(path))
            return &op;
    }
    return nullptr;
}

void tst_MemberEdit::initTestCase()
{
    QFile file(qEnvironmentVariable("GATEHOUSE_SOURCE_DIR")
               + QStringLiteral("/resources/samples/petstore/apis/petstore.yaml"));
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.fileName()));
    m_petstore = QString::fromUtf8(file.readAll());
}

void tst_MemberEdit::yamlScalars_data()
{
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<bool>("flow");
    QTest::addColumn<QString>("yaml");
    auto s = [](const char *t) { return QString::fromUtf8(t); };
    QTest::newRow("a word stays plain") << QJsonValue(s("Gold")) << false << s("Gold");
    QTest::newRow("a templated path stays plain in a block") << QJsonValue(s("/pets/{version}")) << false << s("/pets/{version}");
    QTest::newRow("braces are quoted inside brackets") << QJsonValue(s("/pets/{version}")) << true << s("'/pets/{version}'");
    QTest::newRow("a URL is quoted inside brackets") << QJsonValue(s("http://a:8080")) << true << s("'http://a:8080'");
    QTest::newRow("a URL is plain in a block") << QJsonValue(s("http://a:8080/x")) << false << s("http://a:8080/x");
    QTest::newRow("text that reads as a boolean is quoted") << QJsonValue(s("yes")) << false << s("'yes'");
    QTest::newRow("text that reads as a number is quoted") << QJsonValue(s("1.0")) << false << s("'1.0'");
    QTest::newRow("an apostrophe is doubled") << QJsonValue(s("it's: ok")) << false << s("'it''s: ok'");
    QTest::newRow("the empty string is quoted") << QJsonValue(s("")) << false << s("''");
    QTest::newRow("true is a boolean") << QJsonValue(true) << false << s("true");
    QTest::newRow("a whole number has no decimals") << QJsonValue(30.0) << false << s("30");
}

void tst_MemberEdit::yamlScalars()
{
    QFETCH(QJsonValue, value);
    QFETCH(bool, flow);
    QFETCH(QString, yaml);
    QCOMPARE(yamlScalar(value, flow), yaml);
}

void tst_MemberEdit::editsTheSample_data()
{
    QTest::addColumn<QStringList>("owner");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<QStringList>("newLines");
    auto s = [](const char *t) { return QString::fromUtf8(t); };
    const QStringList root;
    const QStringList search{s("paths"), s("/pets/findByStatus"), s("get")};
    const QStringList put{s("paths"), s("/pets/{petId}"), s("put")};
    QTest::newRow("the base path is replaced on its line")
        << root << s("x-gatehouse-basePath") << QJsonValue(s("/shop/{version}"))
        << QStringList{s("x-gatehouse-basePath: /shop/{version}")};
    QTest::newRow("an operation's tier is replaced at its indent")
        << search << s("x-gatehouse-throttling-tier") << QJsonValue(s("Bronze"))
        << QStringList{s("      x-gatehouse-throttling-tier: Bronze")};
    QTest::newRow("scopes go after the API's last extension")
        << root << s("x-gatehouse-scopes") << QJsonValue(QJsonArray{s("pets:read")})
        << QStringList{s("x-gatehouse-scopes: ['pets:read']")};
    QTest::newRow("endpoints are added to an operation as a block")
        << put << s("x-gatehouse-production-endpoints")
        << QJsonValue(QJsonObject{{s("urls"), QJsonArray{s("http://a:1/x"), s("http://b:2/x")}},
                                  {s("type"), s("failover")}})
        << QStringList{s("      x-gatehouse-production-endpoints:"), s("        type: failover"),
                       s("        urls: ['http://a:1/x', 'http://b:2/x']")};
    QTest::newRow("security is replaced with one item per scheme")
        << search << s("security")
        << QJsonValue(QJsonArray{QJsonObject{{s("oauth2"), QJsonArray{s("pets:read")}}},
                                 QJsonObject{{s("basic"), QJsonArray()}}})
        << QStringList{s("        - oauth2: ['pets:read']"), s("        - basic: []")};
}

void tst_MemberEdit::editsTheSample()
{
    QFETCH(QStringList, owner);
    QFETCH(QString, key);
    QFETCH(QJsonValue, value);
    QFETCH(QStringList, newLines);
    const QString edited = edit(m_petstore, owner, key, value);
    QVERIFY(!edited.isEmpty());
    const auto [removed, added] = touched(m_petstore, edited);
    QCOMPARE(added, newLines);
    for (const QString &line : removed)   // only the member's own lines went
        QVERIFY2(line.trimmed().startsWith(key) || line.startsWith(QStringLiteral("        ")),
                 qPrintable(line));

    const std::optional<ApiSpec> api = load(edited, "apis/petstore.yaml");
    QVERIFY(api);
    const GatewayExtensions *ext = &api->extensions;
    const Operation *op = nullptr;
    if (!owner.isEmpty()) {
        op = findOp(*api, owner.last().toUpper().toLatin1().constData(), owner[1].toLatin1().constData());
        QVERIFY(op);
        ext = &op->extensions;
    }
    if (key == u"x-gatehouse-basePath")
        QCOMPARE(api->basePathTemplate, value.toString());
    if (key == u"x-gatehouse-throttling-tier")
        QCOMPARE(ext->throttlingTier, value.toString());
    if (key == u"x-gatehouse-scopes")
        QCOMPARE(ext->scopes, QStringList{QStringLiteral("pets:read")});
    if (key == u"x-gatehouse-production-endpoints") {
        QVERIFY(ext->productionEndpoints);
        QCOMPARE(ext->productionEndpoints->urls.size(), 2);
        QCOMPARE(ext->productionEndpoints->strategy, EndpointStrategy::Failover);
    }
    if (key == u"security") {
        QVERIFY(op && op->security);
        QCOMPARE(op->security->size(), 2);
        QCOMPARE(op->security->at(1).first().scheme, QStringLiteral("basic"));
    }
}

void tst_MemberEdit::removesAMember()
{
    const QStringList search{QStringLiteral("paths"), QStringLiteral("/pets/findByStatus"),
                             QStringLiteral("get")};
    const QString edited = edit(m_petstore, search, QStringLiteral("x-gatehouse-throttling-tier"),
                                QJsonValue::Undefined);
    const auto [removed, added] = touched(m_petstore, edited);
    QCOMPARE(removed, QStringList{QStringLiteral("      x-gatehouse-throttling-tier: Silver")});
    QVERIFY(added.isEmpty());
    const std::optional<ApiSpec> api = load(edited, "apis/petstore.yaml");
    QVERIFY(api);
    QVERIFY(findOp(*api, "GET", "/pets/findByStatus")->extensions.throttlingTier.isEmpty());

    // Removing what is not there changes nothing.
    const auto none = memberChange(m_petstore, search, QStringLiteral("x-gatehouse-scopes"),
                                   QJsonValue::Undefined);
    QVERIFY(none);
    QCOMPARE(applyTextChange(m_petstore, *none), m_petstore);
}

void tst_MemberEdit::editsJson_data()
{
    QTest::addColumn<QStringList>("owner");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<QString>("after");
    auto s = [](const char *t) { return QString::fromUtf8(t); };
    const QStringList get{s("paths"), s("/orders"), s("get")};
    QTest::newRow("a root member is replaced in place")
        << QStringList() << s("x-gatehouse-throttling-tier") << QJsonValue(s("Gold"))
        << s("  \"x-gatehouse-throttling-tier\": \"Gold\",");
    QTest::newRow("a new member goes after the last x- member")
        << QStringList() << s("x-gatehouse-basePath") << QJsonValue(s("/orders"))
        << s("  \"x-gatehouse-basePath\": \"/orders\",");
    QTest::newRow("an operation gets a member at its members' indent")
        << get << s("x-gatehouse-disable-security") << QJsonValue(true)
        << s("        \"x-gatehouse-disable-security\": true");
    QTest::newRow("an empty operation gets its first member")
        << QStringList{s("paths"), s("/orders"), s("post")} << s("x-gatehouse-scopes")
        << QJsonValue(QJsonArray{s("orders:write")})
        << s("        \"x-gatehouse-scopes\": [\"orders:write\"]");
}

void tst_MemberEdit::editsJson()
{
    QFETCH(QStringList, owner);
    QFETCH(QString, key);
    QFETCH(QJsonValue, value);
    QFETCH(QString, after);
    const QString text = QString::fromUtf8(kJson);
    QCOMPARE(detectTextSyntax(text), TextSyntax::Json);
    const QString edited = edit(text, owner, key, value);
    QVERIFY2(edited.split(u'\n').contains(after), qPrintable(edited));
    const auto [removed, added] = touched(text, edited);
    // At most a line gained its comma, or an empty {} opened up.
    for (const QString &line : removed) {
        QVERIFY2(added.contains(line + u',') || line.contains(key) || line.endsWith(u"{}"),
                 qPrintable(line));
    }

    const std::optional<ApiSpec> api = load(edited, "apis/orders.json");
    QVERIFY(api);
    const GatewayExtensions &ext = owner.isEmpty() ? api->extensions
                                                   : findOp(*api, owner.last().toUpper().toLatin1().constData(), "/orders")->extensions;
    if (key == u"x-gatehouse-throttling-tier")
        QCOMPARE(ext.throttlingTier, value.toString());
    if (key == u"x-gatehouse-basePath")
        QCOMPARE(api->basePath, value.toString());
    if (key == u"x-gatehouse-disable-security")
        QCOMPARE(ext.disableSecurity, std::optional<bool>(true));
    if (key == u"x-gatehouse-scopes")
        QCOMPARE(ext.scopes, QStringList{QStringLiteral("orders:write")});

    // And out again: removing it gives back the original text, when it was not there before.
    if (!text.contains(key))
        QCOMPARE(edit(edited, owner, key, QJsonValue::Undefined), text);
}

void tst_MemberEdit::keepsJsonOnOneLine()
{
    const QString text = QStringLiteral(R"({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}})");
    const QString edited = edit(text, {}, QStringLiteral("x-gatehouse-scopes"),
                                QJsonArray{QStringLiteral("a")});
    QCOMPARE(edited, QStringLiteral(R"({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}, "x-gatehouse-scopes": ["a"]})"));
}

void tst_MemberEdit::refusesWhatItCannotEdit()
{
    QString error;
    QVERIFY(!memberChange(m_petstore, {QStringLiteral("paths"), QStringLiteral("/nowhere")},
                          QStringLiteral("x"), true, &error));
    QVERIFY(error.contains(QStringLiteral("/nowhere")));
    const QString inline_ = QStringLiteral("openapi: 3.0.3\npaths: {/a: {get: {}}}\n");
    QVERIFY(!memberChange(inline_, {QStringLiteral("paths"), QStringLiteral("/a")}, QStringLiteral("x"),
                          true, &error));
    QVERIFY(error.contains(QStringLiteral("one line")));
}

QTEST_GUILESS_MAIN(tst_MemberEdit)
#include "tst_memberedit.moc"
