// Body templates without a gateway: compile diagnostics, and rendering with hostile values that
// must never change the document's structure (JSON strings and value positions, XML text and
// attributes), JSON pointers keeping their types.
#include "policies/template/bodytemplate.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>
#include <QXmlStreamReader>

using namespace Gatehouse;

namespace {

// Renders `t` with every query parameter set to `value` and ${request.body#...} resolved in `body`.
QByteArray renderWith(const BodyTemplate &t, const QByteArray &value, const QJsonDocument &body = {})
{
    return t.render([&](const BodyTemplate::Part &p) {
        TemplateValue v;
        if (p.source == TemplateSource::Query) {
            v.present = true;
            v.text = value;
        } else if (p.source == TemplateSource::RequestJson) {
            v.json = BodyTemplate::resolvePointer(body, p.name);
            v.present = !v.json.isUndefined();
            v.isJson = true;
        }
        return v;
    });
}

const QList<QByteArray> kHostile{
    QByteArray("plain"),
    QByteArray(R"(a", "admin": true, "x": ")"),
    QByteArray(R"(\)"),
    QByteArray(R"(\", "admin": true})"),
    QByteArray("</name><admin/>"),
    QByteArray(R"("/><admin x=")"),
    QByteArray("'&amp;<![CDATA[]]>"),
    QByteArray("line\nbreak\ttab\x01\x1f"),
    QByteArray("bad utf-8 \xff\xfe end"),
    QByteArray("\xe2\x80\xa8 separators \xe2\x80\xa9"),
    QByteArray("${request.query.name}"),
};

} // namespace

class tst_BodyTemplate : public QObject
{
    Q_OBJECT
private slots:
    void compileProblems_data();
    void compileProblems();
    void jsonValuesNeverBreakTheStructure_data();
    void jsonValuesNeverBreakTheStructure();
    void xmlValuesNeverBreakTheStructure_data();
    void xmlValuesNeverBreakTheStructure();
    void pointersKeepTheirTypes();
    void kinds();
};

void tst_BodyTemplate::compileProblems_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<bool>("response");
    QTest::addColumn<QString>("problem");   // empty: compiles
    QTest::newRow("a JSON template with every kind of substitution compiles")
        << QStringLiteral(R"({"id": ${request.param.id}, "n": "${request.query.n}", "b": ${request.body#/a/0}, "who": "${principal.subject}"})")
        << QByteArray("application/json") << false << QString();
    QTest::newRow("an unknown variable is named") << QStringLiteral(R"({"a": "${request.quer.n}"})")
                                                  << QByteArray("application/json") << false
                                                  << QStringLiteral("unknown substitution '${request.quer.n}'");
    QTest::newRow("an unclosed substitution is reported") << QStringLiteral(R"({"a": "${request.query.n)")
                                                          << QByteArray("application/json") << false
                                                          << QStringLiteral("is not closed");
    QTest::newRow("a path parameter the operation lacks lists those it has")
        << QStringLiteral(R"({"a": "${request.param.petId}"})") << QByteArray("application/json") << false
        << QStringLiteral("'petId' is not a path parameter of this operation (it has: id)");
    QTest::newRow("response variables are refused in a request template")
        << QStringLiteral(R"({"a": ${response.status}})") << QByteArray("application/json") << false
        << QStringLiteral("only known in a response template");
    QTest::newRow("the request body is refused in a response template")
        << QStringLiteral(R"({"a": ${request.body#/x}})") << QByteArray("application/json") << true
        << QStringLiteral("the request body is not kept");
    QTest::newRow("a JSON pointer must start with a slash") << QStringLiteral(R"({"a": ${request.body#x}})")
                                                            << QByteArray("application/json") << false
                                                            << QStringLiteral("a JSON pointer starts with '/'");
    QTest::newRow("a template that is not JSON is refused with the byte")
        << QStringLiteral(R"({"a": ${request.query.n})") << QByteArray("application/json") << false
        << QStringLiteral("the template is not JSON");
    QTest::newRow("a JSON scalar template is refused") << QStringLiteral("${request.query.n}")
                                                       << QByteArray("application/json") << false
                                                       << QStringLiteral("must be a JSON object or array");
    QTest::newRow("a substitution naming an XML element is refused")
        << QStringLiteral("<${request.query.n}/>") << QByteArray("application/xml") << false
        << QStringLiteral("inside a tag, comment, CDATA section or declaration");
    QTest::newRow("a substitution inside CDATA is refused")
        << QStringLiteral("<a><![CDATA[${request.query.n}]]></a>") << QByteArray("text/xml") << false
        << QStringLiteral("inside a tag, comment, CDATA section or declaration");
    QTest::newRow("an XML template that is not well-formed is refused") << QStringLiteral("<a>${request.query.n}</b>")
                                                                        << QByteArray("application/xml") << false
                                                                        << QStringLiteral("not well-formed XML");
    QTest::newRow("a DTD is refused") << QStringLiteral("<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>")
                                      << QByteArray("application/xml") << false << QStringLiteral("DTD");
    QTest::newRow("text templates take anything") << QStringLiteral("hello ${request.query.n} $${literal}")
                                                  << QByteArray("text/plain") << false << QString();
}

void tst_BodyTemplate::compileProblems()
{
    QFETCH(QString, text);
    QFETCH(QByteArray, contentType);
    QFETCH(bool, response);
    QFETCH(QString, problem);
    BodyTemplate t;
    QStringList problems;
    const bool ok = t.compile(text, bodyKindOf(contentType), response, {QStringLiteral("id")}, problems);
    if (problem.isEmpty()) {
        QVERIFY2(ok, qPrintable(problems.join(u'\n')));
        return;
    }
    QVERIFY(!ok);
    QVERIFY2(problems.join(u'\n').contains(problem), qPrintable(problems.join(u'\n')));
}

void tst_BodyTemplate::jsonValuesNeverBreakTheStructure_data()
{
    QTest::addColumn<QByteArray>("value");
    for (const QByteArray &v : kHostile)
        QTest::newRow(qPrintable(QStringLiteral("the value %1 stays one string").arg(QString::fromUtf8(v.toPercentEncoding()))))
            << v;
}

void tst_BodyTemplate::jsonValuesNeverBreakTheStructure()
{
    QFETCH(QByteArray, value);
    BodyTemplate t;
    QStringList problems;
    QVERIFY(t.compile(QStringLiteral(R"({"quoted": "<${request.query.n}>", "bare": ${request.query.n}, "list": [${request.query.n}]})"),
                      BodyKind::Json, false, {}, problems));
    const QByteArray out = renderWith(t, value);
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(out, &error);
    QVERIFY2(error.error == QJsonParseError::NoError, out.constData());
    const QJsonObject o = doc.object();
    QCOMPARE(o.keys(), QStringList({QStringLiteral("bare"), QStringLiteral("list"), QStringLiteral("quoted")}));
    const QString expected = QString::fromUtf8(value);   // invalid UTF-8 as U+FFFD, as QString reads it
    QCOMPARE(o.value(u"quoted").toString(), u'<' + expected + u'>');
    QCOMPARE(o.value(u"bare").toString(), expected);
    QCOMPARE(o.value(u"list").toArray().size(), 1);
}

void tst_BodyTemplate::xmlValuesNeverBreakTheStructure_data()
{
    jsonValuesNeverBreakTheStructure_data();
}

void tst_BodyTemplate::xmlValuesNeverBreakTheStructure()
{
    QFETCH(QByteArray, value);
    BodyTemplate t;
    QStringList problems;
    QVERIFY2(t.compile(QStringLiteral("<user name=\"${request.query.n}\" alt='${request.query.n}'>${request.query.n}</user>"),
                       BodyKind::Xml, false, {}, problems),
             qPrintable(problems.join(u'\n')));
    const QByteArray out = renderWith(t, value);
    QXmlStreamReader reader(out);
    int elements = 0;
    QString text;
    QString name;
    QString alt;
    while (!reader.atEnd()) {
        reader.readNext();
        if (reader.isStartElement()) {
            ++elements;
            name = reader.attributes().value(QStringLiteral("name")).toString();
            alt = reader.attributes().value(QStringLiteral("alt")).toString();
            QCOMPARE(reader.attributes().size(), 2);
        } else if (reader.isCharacters()) {
            text += reader.text();
        }
    }
    QVERIFY2(!reader.hasError(), qPrintable(reader.errorString() + u' ' + QString::fromUtf8(out)));
    QCOMPARE(elements, 1);
    // Characters XML cannot carry (here \x01, \x1f) are dropped; everything else arrives as sent.
    QString expected = QString::fromUtf8(value);
    expected.remove(QChar(0x01)).remove(QChar(0x1f));
    QCOMPARE(text, expected);
    QCOMPARE(name, expected);
    QCOMPARE(alt, expected);
}

void tst_BodyTemplate::pointersKeepTheirTypes()
{
    BodyTemplate t;
    QStringList problems;
    QVERIFY(t.compile(QStringLiteral(R"({"n": ${request.body#/n}, "o": ${request.body#/o}, "s": ${request.body#/s},)"
                                     R"( "missing": ${request.body#/nope}, "inString": "${request.body#/o}",)"
                                     R"( "escaped": ${request.body#/a~1b}, "item": ${request.body#/list/1}, "all": ${request.body#}})"),
                      BodyKind::Json, false, {}, problems));
    const QJsonDocument body = QJsonDocument::fromJson(
        R"({"n": 1.5, "o": {"k": [true, null]}, "s": "x\"y", "a/b": 7, "list": ["p", "q"]})");
    const QJsonObject o = QJsonDocument::fromJson(renderWith(t, {}, body)).object();
    QCOMPARE(o.value(u"n").toDouble(), 1.5);
    QCOMPARE(o.value(u"o").toObject().value(u"k").toArray().size(), 2);
    QCOMPARE(o.value(u"s").toString(), QStringLiteral("x\"y"));
    QVERIFY(o.value(u"missing").isNull());
    QCOMPARE(o.value(u"inString").toString(), QStringLiteral(R"({"k":[true,null]})"));
    QCOMPARE(o.value(u"escaped").toInt(), 7);
    QCOMPARE(o.value(u"item").toString(), QStringLiteral("q"));
    QCOMPARE(o.value(u"all").toObject().size(), 5);
}

void tst_BodyTemplate::kinds()
{
    QCOMPARE(bodyKindOf("application/json; charset=utf-8"), BodyKind::Json);
    QCOMPARE(bodyKindOf("application/problem+json"), BodyKind::Json);
    QCOMPARE(bodyKindOf("Text/XML"), BodyKind::Xml);
    QCOMPARE(bodyKindOf("application/soap+xml"), BodyKind::Xml);
    QCOMPARE(bodyKindOf("text/plain"), BodyKind::Text);
}

QTEST_APPLESS_MAIN(tst_BodyTemplate)
#include "tst_bodytemplate.moc"
