// The settings schema: every rule as a row (field path and sentence), defaults filled in, and the
// JSON Schema the editors read.
#include "policies/registry/settingsschema.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Gatehouse;

namespace {

SettingSchema sample()
{
    const SettingSchema header = SettingSchema::object({
        {QStringLiteral("name"), SettingSchema::text(QStringLiteral("Header name"))
                                     .withPattern(QStringLiteral("[A-Za-z-]+"), QStringLiteral("a header name"))
                                     .asRequired()},
        {QStringLiteral("value"), SettingSchema::text(QStringLiteral("Value")).withDefault(QStringLiteral("x"))},
    });
    return SettingSchema::object({
        {QStringLiteral("request"), SettingSchema::array(header, QStringLiteral("Headers")).withRange(std::nullopt, 2)},
        {QStringLiteral("mode"), SettingSchema::text(QStringLiteral("Mode")).withEnum({QStringLiteral("fast"), QStringLiteral("safe")})
                                     .withDefault(QStringLiteral("safe"))},
        {QStringLiteral("limit"), SettingSchema::integer(QStringLiteral("Limit")).withRange(1, 10)},
        {QStringLiteral("ratio"), SettingSchema::number(QStringLiteral("Ratio"))},
        {QStringLiteral("on"), SettingSchema::boolean(QStringLiteral("On"))},
        {QStringLiteral("tags"), SettingSchema::map(SettingSchema::text(QStringLiteral("Tag")), QStringLiteral("Tags"))},
    });
}

QJsonObject json(const char *text)
{
    return QJsonDocument::fromJson(QByteArray(text)).object();
}

} // namespace

class tst_SettingsSchema : public QObject
{
    Q_OBJECT
private slots:
    void problemsNameTheField_data();
    void problemsNameTheField();
    void defaultsAreFilledIn();
    void jsonSchemaForEditors();
};

void tst_SettingsSchema::problemsNameTheField_data()
{
    QTest::addColumn<QByteArray>("settings");
    QTest::addColumn<QString>("problem");
    QTest::newRow("a number where text is expected") << QByteArray(R"({"request": [{"name": 5}]})")
                                                     << QStringLiteral("settings.request[0].name: expected text, found a number");
    QTest::newRow("a missing required key") << QByteArray(R"({"request": [{"value": "v"}]})")
                                            << QStringLiteral("settings.request[0].name: is required: Header name");
    QTest::newRow("text that misses the pattern") << QByteArray(R"({"request": [{"name": "a b"}]})")
                                                  << QStringLiteral("settings.request[0].name: 'a b' is not a header name");
    QTest::newRow("too many items") << QByteArray(R"({"request": [{"name": "a"}, {"name": "b"}, {"name": "c"}]})")
                                    << QStringLiteral("settings.request: the number of items 3 is above the maximum 2");
    QTest::newRow("a value outside the enum, with a suggestion") << QByteArray(R"({"mode": "fsat"})")
                                                                 << QStringLiteral("settings.mode: 'fsat' is not allowed (did you mean 'fast'?) (expected one of fast, safe)");
    QTest::newRow("a fraction where a whole number is expected") << QByteArray(R"({"limit": 2.5})")
                                                                 << QStringLiteral("settings.limit: expected a whole number, found 2.5");
    QTest::newRow("below the minimum") << QByteArray(R"({"limit": 0})")
                                       << QStringLiteral("settings.limit: the value 0 is below the minimum 1");
    QTest::newRow("text where a number is expected") << QByteArray(R"({"ratio": "1"})")
                                                     << QStringLiteral("settings.ratio: expected a number, found text");
    QTest::newRow("a string where true/false is expected") << QByteArray(R"({"on": "yes"})")
                                                           << QStringLiteral("settings.on: expected true or false, found text");
    QTest::newRow("a list where a map is expected") << QByteArray(R"({"tags": []})")
                                                    << QStringLiteral("settings.tags: expected a map, found a list");
    QTest::newRow("a map value of the wrong type") << QByteArray(R"({"tags": {"a": true}})")
                                                   << QStringLiteral("settings.tags.a: expected text, found true/false");
    QTest::newRow("an unknown key, with a suggestion") << QByteArray(R"({"requets": []})")
                                                       << QStringLiteral("settings.requets: unknown setting (did you mean 'request'?) (known: request, mode, limit, ratio, on, tags)");
}

void tst_SettingsSchema::problemsNameTheField()
{
    QFETCH(QByteArray, settings);
    QFETCH(QString, problem);
    QStringList problems;
    validateSettings(sample(), json(settings.constData()), QStringLiteral("settings"), problems);
    QCOMPARE(problems, QStringList{problem});
}

void tst_SettingsSchema::defaultsAreFilledIn()
{
    QStringList problems;
    const QJsonObject out = validateSettings(sample(), json(R"({"request": [{"name": "X-A"}]})"),
                                             QStringLiteral("settings"), problems).toObject();
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
    QCOMPARE(out.value(u"mode").toString(), QStringLiteral("safe"));
    QCOMPARE(out.value(u"request").toArray().at(0)[u"value"].toString(), QStringLiteral("x"));
    QVERIFY(!out.contains(u"limit"));   // no default: stays absent
}

void tst_SettingsSchema::jsonSchemaForEditors()
{
    const QJsonObject s = sample().toJsonSchema();
    QCOMPARE(s.value(u"type").toString(), QStringLiteral("object"));
    QCOMPARE(s.value(u"additionalProperties").toBool(true), false);
    const QJsonObject request = s.value(u"properties")[u"request"].toObject();
    QCOMPARE(request.value(u"maxItems").toInt(), 2);
    const QJsonObject item = request.value(u"items").toObject();
    QCOMPARE(item.value(u"required").toArray(), QJsonArray{QStringLiteral("name")});
    QCOMPARE(item.value(u"properties")[u"name"][u"pattern"].toString(), QStringLiteral("[A-Za-z-]+"));
    QCOMPARE(s.value(u"properties")[u"mode"][u"enum"].toArray().size(), 2);
    QCOMPARE(s.value(u"properties")[u"tags"][u"additionalProperties"][u"type"].toString(), QStringLiteral("string"));
    QCOMPARE(s.value(u"x-order").toArray().first().toString(), QStringLiteral("request"));
}

QTEST_GUILESS_MAIN(tst_SettingsSchema)
#include "tst_settingsschema.moc"
