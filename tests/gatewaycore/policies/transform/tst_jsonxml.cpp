// JSON <-> XML: each rule as a row, round trips both ways, and hostile documents refused
// (DTD and entity bombs, depth, size, node count, names that are not XML).
#include "jsonxmlreference.h"
#include "policies/transform/jsonxml.h"
#include "policies/transform/jsonxmlrules.h"
#include "policies/validate/operationschemas.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <cmath>
#include <cstring>
#include <random>

using namespace Gatehouse;
using namespace JsonXmlReference;

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
    void byteWriterMatchesQXmlStreamWriter_data();
    void byteWriterMatchesQXmlStreamWriter();
    void everyCharacterIsEscapedAsQXmlStreamWriterDoes();
    void numbersAreWrittenAsQtWritesThem();
    void bodyConversionMatchesParseThenConvert_data();
    void bodyConversionMatchesParseThenConvert();
    void xmlBodyMatchesXmlToJsonThenToJson_data();
    void xmlBodyMatchesXmlToJsonThenToJson();
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

void tst_JsonXml::byteWriterMatchesQXmlStreamWriter_data()
{
    QTest::addColumn<QByteArray>("jsonText");
    QTest::newRow("an order with nested arrays") << orderBody();
    QTest::newRow("empty objects and arrays close as empty tags") << QByteArray(R"({"a": {"b": {}, "c": [], "d": [[]], "e": {"@x": null}}})");
    QTest::newRow("nested arrays repeat item") << QByteArray(R"([[1, 2], [[3]], {"k": [true, false, null]}])");
    QTest::newRow("text that needs escaping in elements and attributes")
        << QByteArray(R"({"p": {"@q": "a\"b<c>d&e\tf\ng\rh'", "#text": "a\"b<c>d&e\tf\ng\rh'"}})");
    QTest::newRow("control characters XML cannot carry are dropped") << QByteArray(R"({"p": {"@q": "a\u0001b\bc\fd\u0000", "t": "x\u001fy\uffffz\ufffe"}})");
    QTest::newRow("non-ASCII names and text") << QByteArray(R"({"größe": {"@maß": "1 m²", "名前": "猫 🐾"}})");
    QTest::newRow("numbers as JSON writes them") << QByteArray(R"({"n": [0, -0, 1.5, 1e2, -12345678901234567, 0.1, 123456789012345, 1e300, 5e-324]})");
    QTest::newRow("a text member that is a container is empty text") << QByteArray(R"({"a": {"#text": [1, 2], "b": "x"}})");
}

void tst_JsonXml::byteWriterMatchesQXmlStreamWriter()
{
    QFETCH(QByteArray, jsonText);
    const QJsonValue value = json(jsonText.constData());
    QVERIFY(value.isObject() || value.isArray());
    const Result<QByteArray> r = jsonToXml(value);
    QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().message));
    QCOMPARE(*r, ReferenceWriter().run(value, QStringLiteral("root")));
    const Result<QByteArray> fromBody = jsonBodyToXml(jsonText);
    QVERIFY(fromBody.ok());
    QCOMPARE(*fromBody, *r);
}

void tst_JsonXml::everyCharacterIsEscapedAsQXmlStreamWriterDoes()
{
    // Each UTF-16 code unit (surrogates as pairs) in text and in an attribute value.
    for (char32_t c = 0; c < 0x110000; c = c < 0xFFFF ? c + 1 : c + 0x1FF) {
        if (c >= 0xD800 && c <= 0xDFFF)
            continue;
        const QString s = u'x' + QString::fromUcs4(&c, 1) + u'y';
        const QJsonValue value = QJsonObject{{QStringLiteral("a"), QJsonObject{{QStringLiteral("@k"), s}, {QStringLiteral("#text"), s}}}};
        const Result<QByteArray> r = jsonToXml(value);
        QVERIFY(r.ok());
        QCOMPARE(*r, ReferenceWriter().run(value, QStringLiteral("root")));
        const QByteArray body = QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
        const Result<QByteArray> fromBody = jsonBodyToXml(body);
        QVERIFY(fromBody.ok());
        QCOMPARE(*fromBody, *r);
    }
    // QXmlStreamWriter's output breaks off at an unpaired surrogate; ours refuses the document.
    const QJsonValue lone = QJsonObject{{QStringLiteral("a"), QString(QChar(0xD800))}};
    const Result<QByteArray> r = jsonToXml(lone);
    QVERIFY(!r.ok());
    QVERIFY2(r.error().message.contains(QStringLiteral("surrogate")), qPrintable(r.error().message));
    QVERIFY(!jsonBodyToXml(R"({"a": "\ud800"})").ok());
    QVERIFY(!jsonBodyToXml(R"({"a": "\udc00\ud800"})").ok());
}

void tst_JsonXml::numbersAreWrittenAsQtWritesThem()
{
    // jsonNumberText formats with std::to_chars; the text must stay what QString::number gave,
    // including exact ties at the 17th digit (Qt rounds them up, to_chars to even).
    std::mt19937_64 random(10);
    for (int i = 0; i < 300'000; ++i) {
        double d = 0;
        switch (i % 4) {
        case 0: {
            const quint64 bits = random();
            std::memcpy(&d, &bits, sizeof d);
            break;
        }
        case 1: d = double(random() % 100'000) / 100.0 + double(i % 50); break;
        case 2: d = std::ldexp(double(random() % 100'000'000), int(random() % 120) - 60); break;
        default: d = double(random() >> (random() % 64)) / double(1ULL << (random() % 40)); break;
        }
        if (!std::isfinite(d))
            continue;
        const QString expected = qAbs(d) < 1e15 && d == double(qint64(d)) ? QString::number(qint64(d)) : QString::number(d, 'g', 17);
        QCOMPARE(QString::fromLatin1(jsonNumberText(d)), expected);
    }
    QCOMPARE(QString::fromLatin1(jsonNumberText(6.30265045166015625)), QStringLiteral("6.3026504516601563"));
    QCOMPARE(QString::fromLatin1(jsonNumberText(-0.0)), QStringLiteral("0"));
    QCOMPARE(QString::fromLatin1(jsonNumberText(1e300)), QStringLiteral("1.0000000000000001e+300"));
}

void tst_JsonXml::bodyConversionMatchesParseThenConvert_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("maxDepth");
    QTest::newRow("an order") << orderBody() << 64;
    QTest::newRow("whitespace around and between tokens") << QByteArray(" \r\n\t{ \"a\" : [ 1 , \"x\" ] , \"b\" : { } }\n ") << 64;
    QTest::newRow("escapes and surrogate pairs") << QByteArray(R"({"s": "\"\\\/\b\f\n\r\t\u00e9\u20AC\ud83d\udc3e"})") << 64;
    QTest::newRow("raw control characters in a string") << QByteArray("{\"s\": \"a\x01" "b\tc\"}") << 64;
    QTest::newRow("a duplicate member: the last one counts") << QByteArray(R"({"r": {"a": "1", "b": "2", "a": "3"}})") << 64;
    QTest::newRow("an escaped member name") << QByteArray(R"({"r": {"\u0061": "1"}})") << 64;
    QTest::newRow("non-ASCII member names") << QByteArray(R"({"r": {"é": "1", "Ａ": "2", "🐾": "3", "z": "4"}})") << 64;
    QTest::newRow("a bare string body") << QByteArray(R"("just text")") << 64;
    QTest::newRow("a bare number body") << QByteArray("42") << 64;
    QTest::newRow("an empty object") << QByteArray("{}") << 64;
    QTest::newRow("one member holding an array is wrapped") << QByteArray(R"({"a": [1, 2]})") << 64;
    QTest::newRow("one attribute member is wrapped") << QByteArray(R"({"@a": "1"})") << 64;
    QTest::newRow("one text member is wrapped") << QByteArray(R"({"#text": "1"})") << 64;
    QTest::newRow("numbers at the edges") << QByteArray(R"([-0, 0.0, 1E2, 1e-0, 999999999999999, 1000000000000000, 18446744073709551616, 1.7976931348623157e308])") << 64;
    QTest::newRow("a number beyond a double") << QByteArray(R"({"a": 1e400})") << 64;
    QTest::newRow("a number beyond a double under #text") << QByteArray(R"({"a": {"#text": [1e400]}})") << 64;
    QTest::newRow("a number Qt reads leniently") << QByteArray("[1.]") << 64;
    QTest::newRow("an invalid number") << QByteArray("[-]") << 64;
    QTest::newRow("leading zeros") << QByteArray("[01]") << 64;
    QTest::newRow("trailing garbage") << QByteArray(R"({"a": 1} x)") << 64;
    QTest::newRow("a missing comma") << QByteArray(R"({"a": 1 "b": 2})") << 64;
    QTest::newRow("a trailing comma") << QByteArray(R"({"a": 1,})") << 64;
    QTest::newRow("an unterminated string") << QByteArray(R"({"a": "x)") << 64;
    QTest::newRow("a bad escape") << QByteArray(R"({"a": "\x"})") << 64;
    QTest::newRow("a short unicode escape") << QByteArray(R"({"a": "\u12"})") << 64;
    QTest::newRow("invalid UTF-8") << QByteArray("{\"a\": \"\xff\"}") << 64;
    QTest::newRow("a byte order mark") << QByteArray("\xef\xbb\xbf{\"a\": 1}") << 64;
    QTest::newRow("an unpaired surrogate escape") << QByteArray(R"({"a": "x\ud800y"})") << 64;
    QTest::newRow("a member that is no XML name") << QByteArray(R"({"1bad": "x"})") << 64;
    QTest::newRow("an attribute holding an object") << QByteArray(R"({"a": {"@x": {"y": 1}}})") << 64;
    QTest::newRow("an xmlns element") << QByteArray(R"({"r": {"xmlns": "x"}})") << 64;
    QTest::newRow("an xmlns attribute with a space") << QByteArray(R"({"r": {"@xmlns x": "1"}})") << 64;
    QTest::newRow("a reserved xml name") << QByteArray(R"({"r": {"XMLthing": "1"}})") << 64;
    QTest::newRow("nesting at the limit") << QByteArray(7, '[') + QByteArray(7, ']') << 8;
    QTest::newRow("nesting one under the limit") << QByteArray(6, '[') + QByteArray(6, ']') << 8;
    QTest::newRow("objects nested at the limit") << QByteArray(R"({"a":{"a":{"a":{"a":"x"}}}})") << 4;
    QTest::newRow("objects nested under the limit") << QByteArray(R"({"a":{"a":{"a":"x"}}})") << 4;
    QTest::newRow("empty input") << QByteArray() << 64;
}

void tst_JsonXml::bodyConversionMatchesParseThenConvert()
{
    QFETCH(QByteArray, body);
    QFETCH(int, maxDepth);
    JsonXmlLimits limits;
    limits.maxDepth = maxDepth;
    const Result<QByteArray> direct = jsonBodyToXml(body, QStringLiteral("root"), limits);
    const Result<QJsonValue> parsed = parseJsonBody(body, maxDepth);
    const Result<QByteArray> twoSteps = parsed ? jsonToXml(*parsed, QStringLiteral("root"), limits) : Result<QByteArray>(parsed.error());
    QCOMPARE(direct.ok(), twoSteps.ok());
    if (direct.ok())
        QCOMPARE(*direct, *twoSteps);
    else
        QCOMPARE(direct.error().message, twoSteps.error().message);
}

void tst_JsonXml::xmlBodyMatchesXmlToJsonThenToJson_data()
{
    QTest::addColumn<QByteArray>("xml");
    QTest::addColumn<int>("maxNodes");
    const QByteArray order = *jsonBodyToXml(orderBody(), QStringLiteral("order"));
    QTest::newRow("an order") << order << 100'000;
    QTest::newRow("repeated names interleaved with others") << QByteArray("<l><i>1</i><x/><i>2</i><y>a</y><i>3</i><x>b</x></l>") << 100'000;
    QTest::newRow("attributes, namespaces and mixed text")
        << QByteArray(R"(<s:E xmlns:s="urn:s" xmlns="urn:d" b="2" a="1"> hi <s:B/> there <c d="&amp;"/></s:E>)") << 100'000;
    QTest::newRow("whitespace-only text in a leaf is kept") << QByteArray("<a><b>  </b><c>\n\t</c></a>") << 100'000;
    QTest::newRow("text needing JSON escapes") << QByteArray("<a>q\"b\\s/\t\r\nend &#x7f;&#x80;&#xFFFD;&#x1F43E;</a>") << 100'000;
    QTest::newRow("CDATA and entities") << QByteArray("<a><![CDATA[<x> & \"y\"]]>&lt;&gt;&amp;&apos;&quot;</a>") << 100'000;
    QTest::newRow("Unicode beyond ASCII as UTF-8") << QByteArray("<a t=\"\xc3\xa9\xe2\x82\xac\">Zo\xc3\xab \xf0\x9f\x90\xbe</a>") << 100'000;
    QTest::newRow("non-ASCII names take QJsonObject's order")
        << QByteArray("<r><\xc3\xa9>1</\xc3\xa9><z>2</z><\xef\xbc\xa1>3</\xef\xbc\xa1><\xf0\xa0\x80\x80>4</\xf0\xa0\x80\x80></r>") << 100'000;
    QTest::newRow("names with colons, dots and dashes") << QByteArray("<a><b.c>1</b.c><b-c>2</b-c><b:c>3</b:c><_b>4</_b><B>5</B></a>") << 100'000;
    QTest::newRow("comments and PIs around the root") << QByteArray("<?xml version=\"1.0\"?><!-- c --><a><?pi x?>t</a><!-- after -->") << 100'000;
    QTest::newRow("an empty root") << QByteArray("<a/>") << 100'000;
    QTest::newRow("a DTD") << QByteArray("<!DOCTYPE a [<!ENTITY e \"x\">]><a>&e;</a>") << 100'000;
    QTest::newRow("an undeclared entity") << QByteArray("<a>&e;</a>") << 100'000;
    QTest::newRow("a duplicate attribute") << QByteArray(R"(<a x="1" x="2"/>)") << 100'000;
    QTest::newRow("two roots") << QByteArray("<a/><b/>") << 100'000;
    QTest::newRow("unclosed") << QByteArray("<a><b>") << 100'000;
    QTest::newRow("too many nodes") << QByteArray("<a><b/><b/><b x='1'/><b/></a>") << 4;
    QTest::newRow("too deep") << QByteArray("<a>").repeated(70) + QByteArray("</a>").repeated(70) << 100'000;
    QTest::newRow("not XML") << QByteArray("{\"json\": 1}") << 100'000;
    QTest::newRow("empty") << QByteArray() << 100'000;
}

void tst_JsonXml::xmlBodyMatchesXmlToJsonThenToJson()
{
    QFETCH(QByteArray, xml);
    QFETCH(int, maxNodes);
    JsonXmlLimits limits;
    limits.maxNodes = maxNodes;
    // Against the reader as first written: both the QJsonValue and the JSON text route.
    const Result<QJsonValue> reference = ReferenceReader(xml, limits).run();
    const Result<QJsonValue> value = xmlToJson(xml, limits);
    const Result<QByteArray> direct = xmlBodyToJson(xml, limits);
    QCOMPARE(value.ok(), reference.ok());
    QCOMPARE(direct.ok(), reference.ok());
    if (!reference.ok()) {
        QCOMPARE(value.error().message, reference.error().message);
        QCOMPARE(direct.error().message, reference.error().message);
        return;
    }
    QCOMPARE(*value, *reference);
    QCOMPARE(*direct, QJsonDocument(reference->toObject()).toJson(QJsonDocument::Compact));
}

QTEST_GUILESS_MAIN(tst_JsonXml)
#include "tst_jsonxml.moc"
