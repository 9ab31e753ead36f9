// The try-it console's text rules: operation URLs, placeholders, query sync, auth headers, examples.
#include "tryitmodel.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Gatehouse;

Q_DECLARE_METATYPE(Gatehouse::Parameter)
Q_DECLARE_METATYPE(Gatehouse::NameValue)

class tst_TryItModel : public QObject
{
    Q_OBJECT
private slots:
    void operationUrl_data();
    void operationUrl();
    void placeholders_data();
    void placeholders();
    void queryItems_data();
    void queryItems();
    void editingTheTableRewritesOnlyTheQuery_data();
    void editingTheTableRewritesOnlyTheQuery();
    void authHeader_data();
    void authHeader();
    void exampleFromSchema_data();
    void exampleFromSchema();
    void exampleBodyPrefersJson();
    void prettyJsonIndentsOnlyJson();
    void rawTextListsStatusHeadersAndBody();
};

namespace {
QJsonValue json(const char *text)
{
    return QJsonDocument::fromJson(QByteArray(text)).object().value(QStringLiteral("v"));
}

Parameter param(const char *name, ParameterLocation in, bool required,
                const char *schema = "{\"v\": {}}")
{
    Parameter p;
    p.name = QString::fromLatin1(name);
    p.in = in;
    p.required = required;
    p.schema = json(schema);
    return p;
}
} // namespace

void tst_TryItModel::operationUrl_data()
{
    QTest::addColumn<QString>("base");
    QTest::addColumn<QString>("basePath");
    QTest::addColumn<QString>("pathTemplate");
    QTest::addColumn<QList<Parameter>>("parameters");
    QTest::addColumn<QString>("expected");

    const QString base = QStringLiteral("http://127.0.0.1:9090");
    QTest::newRow("base path and operation path are joined")
        << base << QStringLiteral("/petstore/v1") << QStringLiteral("/pets") << QList<Parameter>{}
        << QStringLiteral("http://127.0.0.1:9090/petstore/v1/pets");
    QTest::newRow("a root base path adds no second slash")
        << base + u'/' << QStringLiteral("/") << QStringLiteral("/health") << QList<Parameter>{}
        << QStringLiteral("http://127.0.0.1:9090/health");
    QTest::newRow("path parameters stay as placeholders")
        << base << QStringLiteral("/petstore/v1") << QStringLiteral("/pets/{petId}")
        << QList<Parameter>{param("petId", ParameterLocation::Path, true)}
        << QStringLiteral("http://127.0.0.1:9090/petstore/v1/pets/{petId}");
    QTest::newRow("required query parameters get their enum's first value")
        << base << QStringLiteral("/api") << QStringLiteral("/pets/findByStatus")
        << QList<Parameter>{param("status", ParameterLocation::Query, true,
                                  R"({"v": {"type": "string", "enum": ["available", "sold"]}})")}
        << QStringLiteral("http://127.0.0.1:9090/api/pets/findByStatus?status=available");
    QTest::newRow("optional query parameters are left out")
        << base << QStringLiteral("/api") << QStringLiteral("/pets")
        << QList<Parameter>{param("limit", ParameterLocation::Query, false,
                                  R"({"v": {"default": 20}})")}
        << QStringLiteral("http://127.0.0.1:9090/api/pets");
    QTest::newRow("a required query parameter without example is left empty to fill in")
        << base << QStringLiteral("/api") << QStringLiteral("/search")
        << QList<Parameter>{param("q", ParameterLocation::Query, true)}
        << QStringLiteral("http://127.0.0.1:9090/api/search?q=");
}

void tst_TryItModel::operationUrl()
{
    QFETCH(QString, base);
    QFETCH(QString, basePath);
    QFETCH(QString, pathTemplate);
    QFETCH(QList<Parameter>, parameters);
    QFETCH(QString, expected);
    ApiSpec api;
    api.basePath = basePath;
    Operation op;
    op.method = QStringLiteral("GET");
    op.pathTemplate = pathTemplate;
    op.parameters = parameters;
    QCOMPARE(Gatehouse::operationUrl(base, api, op), expected);
}

void tst_TryItModel::placeholders_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QStringList>("names");
    QTest::addColumn<int>("firstStart");

    QTest::newRow("one parameter")
        << QStringLiteral("http://h:1/pets/{petId}") << QStringList{QStringLiteral("petId")} << 16;
    QTest::newRow("two parameters in one path")
        << QStringLiteral("http://h:1/{org}/repos/{repo}")
        << QStringList{QStringLiteral("org"), QStringLiteral("repo")} << 11;
    QTest::newRow("braces in the query are values, not parameters")
        << QStringLiteral("http://h:1/a?filter={x}") << QStringList{} << -1;
    QTest::newRow("empty braces are not a parameter")
        << QStringLiteral("http://h:1/a/{}") << QStringList{} << -1;
    QTest::newRow("a filled-in path has none")
        << QStringLiteral("http://h:1/pets/42") << QStringList{} << -1;
}

void tst_TryItModel::placeholders()
{
    QFETCH(QString, url);
    QFETCH(QStringList, names);
    QFETCH(int, firstStart);
    QCOMPARE(placeholderNames(url), names);
    const auto spans = placeholderSpans(url);
    QCOMPARE(spans.isEmpty() ? -1 : spans.first().first, firstStart);
}

void tst_TryItModel::queryItems_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<NameValueList>("items");

    QTest::newRow("no query") << QStringLiteral("http://h/p") << NameValueList{};
    QTest::newRow("pairs in order, repeated names kept")
        << QStringLiteral("http://h/p?a=1&b=2&a=3")
        << NameValueList{{QStringLiteral("a"), QStringLiteral("1")},
                         {QStringLiteral("b"), QStringLiteral("2")},
                         {QStringLiteral("a"), QStringLiteral("3")}};
    QTest::newRow("percent-encoding and '+' are decoded as servers read them")
        << QStringLiteral("http://h/p?q=two%20words&r=a+b&s=%2B")
        << NameValueList{{QStringLiteral("q"), QStringLiteral("two words")},
                         {QStringLiteral("r"), QStringLiteral("a b")},
                         {QStringLiteral("s"), QStringLiteral("+")}};
    QTest::newRow("a name without '=' has an empty value; the fragment is not query")
        << QStringLiteral("http://h/p?flag&&x=1#top")
        << NameValueList{{QStringLiteral("flag"), QString()},
                         {QStringLiteral("x"), QStringLiteral("1")}};
}

void tst_TryItModel::queryItems()
{
    QFETCH(QString, url);
    QFETCH(NameValueList, items);
    QCOMPARE(Gatehouse::queryItems(url), items);
}

void tst_TryItModel::editingTheTableRewritesOnlyTheQuery_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<NameValueList>("items");
    QTest::addColumn<QString>("expected");

    QTest::newRow("adds a query") << QStringLiteral("http://h/pets/{id}")
                                  << NameValueList{{QStringLiteral("limit"), QStringLiteral("5")}}
                                  << QStringLiteral("http://h/pets/{id}?limit=5");
    QTest::newRow("replaces the query and keeps the fragment")
        << QStringLiteral("http://h/p?old=1#frag")
        << NameValueList{{QStringLiteral("new"), QStringLiteral("2")}}
        << QStringLiteral("http://h/p?new=2#frag");
    QTest::newRow("no rows remove the '?'")
        << QStringLiteral("http://h/p?a=1") << NameValueList{} << QStringLiteral("http://h/p");
    QTest::newRow("reserved characters are encoded, braces stay readable")
        << QStringLiteral("http://h/p")
        << NameValueList{{QStringLiteral("q"), QStringLiteral("a&b=c d+e")},
                         {QStringLiteral("t"), QStringLiteral("{x}")}}
        << QStringLiteral("http://h/p?q=a%26b%3Dc%20d%2Be&t={x}");
    QTest::newRow("rows without a name are skipped")
        << QStringLiteral("http://h/p") << NameValueList{{QString(), QStringLiteral("v")}}
        << QStringLiteral("http://h/p");
}

void tst_TryItModel::editingTheTableRewritesOnlyTheQuery()
{
    QFETCH(QString, url);
    QFETCH(NameValueList, items);
    QFETCH(QString, expected);
    const QString rewritten = withQueryItems(url, items);
    QCOMPARE(rewritten, expected);
    QCOMPARE(Gatehouse::queryItems(rewritten),
             items.isEmpty() || items.first().name.isEmpty() ? NameValueList{} : items);
}

void tst_TryItModel::authHeader_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<QStringList>("fields");   // token, key header, key, user, password
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<QByteArray>("value");

    QTest::newRow("bearer token") << int(AuthKind::Bearer)
                                  << QStringList{QStringLiteral(" eyJ.x.y "), {}, {}, {}, {}}
                                  << QByteArray("Authorization") << QByteArray("Bearer eyJ.x.y");
    QTest::newRow("API key in its own header")
        << int(AuthKind::ApiKeyHeader)
        << QStringList{{}, QStringLiteral("X-API-Key"), QStringLiteral("k123"), {}, {}}
        << QByteArray("X-API-Key") << QByteArray("k123");
    QTest::newRow("basic user and password")
        << int(AuthKind::Basic)
        << QStringList{{}, {}, {}, QStringLiteral("demo"), QStringLiteral("demo")}
        << QByteArray("Authorization") << QByteArray("Basic ZGVtbzpkZW1v");
    QTest::newRow("an empty token adds nothing")
        << int(AuthKind::Bearer) << QStringList{{}, {}, {}, {}, {}} << QByteArray() << QByteArray();
    QTest::newRow("none adds nothing")
        << int(AuthKind::None) << QStringList{QStringLiteral("t"), {}, {}, {}, {}} << QByteArray()
        << QByteArray();
}

void tst_TryItModel::authHeader()
{
    QFETCH(int, kind);
    QFETCH(QStringList, fields);
    QFETCH(QByteArray, name);
    QFETCH(QByteArray, value);
    AuthSettings auth;
    auth.kind = AuthKind(kind);
    auth.token = fields[0];
    auth.apiKeyHeader = fields[1];
    auth.apiKey = fields[2];
    auth.user = fields[3];
    auth.password = fields[4];
    const auto header = Gatehouse::authHeader(auth);
    QCOMPARE(header.has_value(), !name.isEmpty());
    if (header) {
        QCOMPARE(header->first, name);
        QCOMPARE(header->second, value);
    }
}

void tst_TryItModel::exampleFromSchema_data()
{
    QTest::addColumn<QByteArray>("schema");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("example wins") << QByteArray(
        R"({"type": "integer", "example": 7, "default": 1})")
                                  << QByteArray("7");
    QTest::newRow("then default") << QByteArray(R"({"type": "integer", "default": 20})")
                                  << QByteArray("20");
    QTest::newRow("then the first enum value")
        << QByteArray(R"({"enum": ["sold", "pending"]})") << QByteArray("\"sold\"");
    QTest::newRow("objects from their properties, read-only ones left out")
        << QByteArray(
               R"({"type": "object", "properties": {"name": {"type": "string", "example": "Rex"},
                          "id": {"type": "integer", "readOnly": true}, "ok": {"type": "boolean"}}})")
        << QByteArray(R"({"name":"Rex","ok":false})");
    QTest::newRow("allOf parts are merged") << QByteArray(
        R"({"allOf": [{"properties": {"a": {"example": 1}}}, {"properties": {"b": {"example": 2}}}]})")
                                            << QByteArray(R"({"a":1,"b":2})");
    QTest::newRow("arrays hold one example item")
        << QByteArray(R"({"type": "array", "items": {"type": "string", "format": "date"}})")
        << QByteArray(R"(["2024-01-01"])");
    QTest::newRow("a 3.1 type list skips null")
        << QByteArray(R"({"type": ["null", "number"], "minimum": 3})") << QByteArray("3");
}

void tst_TryItModel::exampleFromSchema()
{
    QFETCH(QByteArray, schema);
    QFETCH(QByteArray, expected);
    const QJsonValue value = Gatehouse::exampleFromSchema(QJsonDocument::fromJson(schema).object());
    const QJsonDocument wrapped(QJsonArray{value});
    QByteArray text = wrapped.toJson(QJsonDocument::Compact);
    text = text.mid(1, text.size() - 2);   // unwrap [value]
    QCOMPARE(text, expected);
}

void tst_TryItModel::exampleBodyPrefersJson()
{
    Operation op;
    op.requestBody = RequestBody{};
    op.requestBody->content
        = {MediaType{QStringLiteral("application/xml"), {}},
           MediaType{QStringLiteral("application/json"),
                     QJsonObject{{QStringLiteral("example"),
                                  QJsonObject{{QStringLiteral("name"), QStringLiteral("Rex")}}}}}};
    QString contentType;
    const QByteArray body = exampleBody(op, &contentType);
    QCOMPARE(contentType, QStringLiteral("application/json"));
    QCOMPARE(QJsonDocument::fromJson(body).object().value(QStringLiteral("name")).toString(),
             QStringLiteral("Rex"));
    QVERIFY2(body.contains("\n    \"name\""), body.constData());   // indented for editing
}

void tst_TryItModel::prettyJsonIndentsOnlyJson()
{
    QCOMPARE(prettyJson("{\"a\":[1,2]}").value_or(QString()),
             QStringLiteral("{\n    \"a\": [\n        1,\n        2\n    ]\n}"));
    // The server's key order is kept (QJsonDocument would sort it); strings are left alone.
    QCOMPARE(
        prettyJson(" {\"z\":1, \"a\":{}, \"m\":[ ], \"s\":\"a,{b}:\\\"c\"} ").value_or(QString()),
        QStringLiteral(
            "{\n    \"z\": 1,\n    \"a\": {},\n    \"m\": [],\n    \"s\": \"a,{b}:\\\"c\"\n}"));
    QVERIFY(!prettyJson("<html></html>").has_value());
    QVERIFY(!prettyJson("").has_value());
}

void tst_TryItModel::rawTextListsStatusHeadersAndBody()
{
    TryItResponse r;
    r.status = 404;
    r.reason = "Not Found";
    r.headers = {{"Content-Type", "application/json"}, {"X-A", "1"}};
    r.body = "{}";
    QCOMPARE(r.rawText(),
             QByteArray("HTTP/1.1 404 Not Found\nContent-Type: application/json\nX-A: 1\n\n{}"));
    QCOMPARE(r.header("content-type"), QByteArray("application/json"));
}

QTEST_GUILESS_MAIN(tst_TryItModel)
#include "tst_tryitmodel.moc"
