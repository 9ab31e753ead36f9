// JSON <-> XML: each rule as a row, round trips both ways, and hostile documents refused
// (DTD and entity bombs, depth, size, node count, names that are not XML).
#include "policies/transform/jsonxml.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Gatehouse;

namespace {

QJsonValue json(const char *text)
{
    const QJsonDocument d = QJsonDocument::fromJson(QByteArray(text));
    return d.isObject() ? QJsonValue(d.object()) : QJsonValue(d.array());
}

QByteArray body(const QByteArray &xml)
{
    const qsizetype end = xml.indexOf("?>");
    return end < 0 ? xml : xml.mid(end + 2).trimmed();
}

} // namespace

class tst_JsonXml : public QObject
{
    Q_OBJECT
private slots:
    void jsonToXmlRules_data();
    void jsonToXmlRules();
    void xmlToJsonRules_data();
    void xmlToJsonRules();
    void roundTrips_data();
    void roundTrips();
    void hostileXmlIsRefused_data();
    void hostileXmlIsRefused();
    void badJsonIsRefused();
};

void tst_JsonXml::jsonToXmlRules_data()
{
    QTest::addColumn<QByteArray>("in");
    QTest::addColumn<QByteArray>("out");
    QTest::newRow("one member becomes the root") << QByteArray(R"({"pet": {"name": "Rex"}})") << QByteArray("<pet><name>Rex</name></pet>");
    QTest::newRow("several members are wrapped") << QByteArray(R"({"a": "1", "b": "2"})") << QByteArray("<root><a>1</a><b>2</b></root>");
    QTest::newRow("an array repeats its element") << QByteArray(R"({"l": {"i": ["x", "y"]}})") << QByteArray("<l><i>x</i><i>y</i></l>");
    QTest::newRow("attributes and text") << QByteArray(R"({"p": {"@id": 7, "#text": "hi"}})") << QByteArray(R"(<p id="7">hi</p>)");
    QTest::newRow("namespaces as written") << QByteArray(R"({"s:Envelope": {"@xmlns:s": "urn:s", "s:Body": null}})")
                                           << QByteArray(R"(<s:Envelope xmlns:s="urn:s"><s:Body></s:Body></s:Envelope>)");
    QTest::newRow("scalars as text, escaped") << QByteArray(R"({"v": {"n": 1.5, "b": true, "t": "a<b&c"}})")
                                              << QByteArray("<v><b>true</b><n>1.5</n><t>a&lt;b&amp;c</t></v>");
    QTest::newRow("a top-level array is wrapped in items") << QByteArray(R"(["a", "b"])") << QByteArray("<root><item>a</item><item>b</item></root>");
}

void tst_JsonXml::jsonToXmlRules()
{
    QFETCH(QByteArray, in);
    QFETCH(QByteArray, out);
    const Result<QByteArray> r = jsonToXml(json(in.constData()));
    QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().message));
    QCOMPARE(body(*r), out);
}

void tst_JsonXml::xmlToJsonRules_data()
{
    QTest::addColumn<QByteArray>("in");
    QTest::addColumn<QByteArray>("out");
    QTest::newRow("text-only elements are strings") << QByteArray("<pet><name>Rex</name><age>3</age></pet>")
                                                    << QByteArray(R"({"pet":{"age":"3","name":"Rex"}})");
    QTest::newRow("an empty element is null") << QByteArray("<a><b/></a>") << QByteArray(R"({"a":{"b":null}})");
    QTest::newRow("repeated names become an array in order") << QByteArray("<l><i>1</i><x/><i>2</i><i>3</i></l>")
                                                             << QByteArray(R"({"l":{"i":["1","2","3"],"x":null}})");
    QTest::newRow("attributes and mixed text") << QByteArray(R"(<p id="7"> hi <b>x</b></p>)")
                                               << QByteArray(R"({"p":{"#text":"hi","@id":"7","b":"x"}})");
    QTest::newRow("namespaces kept as written") << QByteArray(R"(<s:E xmlns:s="urn:s"><s:B/></s:E>)")
                                                << QByteArray(R"({"s:E":{"@xmlns:s":"urn:s","s:B":null}})");
    QTest::newRow("comments and PIs dropped, predefined entities read")
        << QByteArray("<?xml version=\"1.0\"?><!-- c --><a><?pi x?>&lt;&#65;&amp;</a>") << QByteArray(R"({"a":"<A&"})");
}

void tst_JsonXml::xmlToJsonRules()
{
    QFETCH(QByteArray, in);
    QFETCH(QByteArray, out);
    const Result<QJsonValue> r = xmlToJson(in);
    QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().message));
    QCOMPARE(QJsonDocument(r->toObject()).toJson(QJsonDocument::Compact), out);
}

void tst_JsonXml::roundTrips_data()
{
    QTest::addColumn<QByteArray>("jsonText");
    QTest::newRow("nested objects") << QByteArray(R"({"order":{"id":"1","lines":{"line":[{"sku":"a","qty":"2"},{"sku":"b","qty":"1"}]}}})");
    QTest::newRow("attributes, text and namespaces") << QByteArray(R"({"m:msg":{"@xmlns:m":"urn:m","@lang":"en","#text":"hello","m:to":"bo"}})");
    QTest::newRow("nulls and unicode") << QByteArray(R"({"r":{"empty":null,"name":"Zoë 🐾"}})");
}

void tst_JsonXml::roundTrips()
{
    QFETCH(QByteArray, jsonText);
    const QJsonValue original = json(jsonText.constData());
    const Result<QByteArray> xml = jsonToXml(original);
    QVERIFY(xml.ok());
    const Result<QJsonValue> back = xmlToJson(*xml);
    QVERIFY2(back.ok(), back.ok() ? "" : qPrintable(back.error().message));
    QCOMPARE(*back, original);
    const Result<QByteArray> again = jsonToXml(*back);   // XML -> JSON -> XML
    QVERIFY(again.ok());
    QCOMPARE(*again, *xml);
}

void tst_JsonXml::hostileXmlIsRefused_data()
{
    QTest::addColumn<QByteArray>("xml");
    QTest::addColumn<QString>("reason");
    QTest::newRow("billion laughs") << QByteArray("<!DOCTYPE l [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]><l>&b;</l>")
                                    << QStringLiteral("DTD");
    QTest::newRow("an external entity") << QByteArray("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>")
                                        << QStringLiteral("DTD");
    QTest::newRow("an undeclared entity") << QByteArray("<x>&e;</x>") << QStringLiteral("e");
    QTest::newRow("too deep") << QByteArray("<a>").repeated(100) + QByteArray("</a>").repeated(100) << QStringLiteral("deeper than 64");
    QTest::newRow("too many nodes") << "<a>" + QByteArray("<b/>").repeated(100'001) + "</a>" << QStringLiteral("nodes");
    QTest::newRow("too big") << "<a>" + QByteArray(1024 * 1024, 'x') + "</a>" << QStringLiteral("bytes");
    QTest::newRow("two roots") << QByteArray("<a/><b/>") << QStringLiteral("Extra content");
    QTest::newRow("unclosed") << QByteArray("<a><b>") << QStringLiteral("Premature end");
    QTest::newRow("not XML") << QByteArray("{\"json\": 1}") << QStringLiteral("line 1");
}

void tst_JsonXml::hostileXmlIsRefused()
{
    QFETCH(QByteArray, xml);
    QFETCH(QString, reason);
    const Result<QJsonValue> r = xmlToJson(xml);
    QVERIFY(!r.ok());
    QVERIFY2(r.error().message.contains(reason), qPrintable(r.error().message));
}

void tst_JsonXml::badJsonIsRefused()
{
    QVERIFY(!jsonToXml(json(R"({"1bad": "x"})")).ok());
    QVERIFY(!jsonToXml(json(R"({"a": {"@x": {"y": 1}}})")).ok());
    QVERIFY(!jsonToXml(json(R"({"a": {"b c": 1}})")).ok());
    QJsonValue deep = QJsonValue(QStringLiteral("x"));
    for (int i = 0; i < 70; ++i)
        deep = QJsonObject{{QStringLiteral("d"), deep}};
    const Result<QByteArray> r = jsonToXml(deep);
    QVERIFY(!r.ok());
    QVERIFY(r.error().message.contains(QStringLiteral("deeper")));
}

QTEST_GUILESS_MAIN(tst_JsonXml)
#include "tst_jsonxml.moc"
