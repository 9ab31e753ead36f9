// YAML and JSON become the same JSON values, and every value knows the line:col it was written at.
#include "openapitestutil.h"
#include "project/sourcedocument.h"

#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QTest>

#include <cmath>

using namespace Gatehouse;
using Gatehouse::Test::yaml;

class tst_SourceDocument : public QObject
{
    Q_OBJECT
private slots:
    void bothParsersAgreeOnTheCorpus();
    void jsonOnlyTheJsonParserReads();
    void positions_data();
    void positions();
    void scalars_data();
    void scalars();
    void valueTextIsWhatWasWritten_data();
    void valueTextIsWhatWasWritten();
    void anchorsAliasesAndMergeKeys();
    void aliasBombIsCheap();
    void deepNestingIsRefused();
    void jsonSyntaxErrorPosition();
    void keysKeepTheirWrittenOrder();
    void pointers();
};

static std::shared_ptr<const SourceDocument> parse(const QByteArray &text, Diagnostics &d,
                                                   SourceDocument::Syntax syntax = SourceDocument::Syntax::Auto)
{
    return SourceDocument::parse(text, QStringLiteral("t.yaml"), d, syntax);
}

// Each .json file of the corpus read by yaml-cpp and by QJsonDocument: same values, same places.
void tst_SourceDocument::bothParsersAgreeOnTheCorpus()
{
    int files = 0;
    QDirIterator it(Test::corpusDir(), {QStringLiteral("*.json")}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile file(it.next());
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray text = file.readAll();
        Diagnostics d;
        const auto json = parse(text, d, SourceDocument::Syntax::Json);
        const auto viaYaml = parse(text, d, SourceDocument::Syntax::Yaml);
        QVERIFY2(json && viaYaml, qPrintable(file.fileName() + u'\n' + d.toString()));
        QCOMPARE(json->syntax(), SourceDocument::Syntax::Json);
        QCOMPARE(viaYaml->syntax(), SourceDocument::Syntax::Yaml);
        QVERIFY2(json->root() == viaYaml->root(), qPrintable(file.fileName()));
        const QJsonObject paths = json->root().toObject().value(QStringLiteral("paths")).toObject();
        for (const QString &path : paths.keys()) {
            const QString pointer = JsonPointer::child(QStringLiteral("/paths"), path);
            QCOMPARE(json->locateKey(pointer), viaYaml->locateKey(pointer));
            QCOMPARE(json->locate(pointer), viaYaml->locate(pointer));
        }
        ++files;
    }
    QCOMPARE(files, 18);   // oai-examples, real, oai-schemas
}

// Valid JSON that yaml-cpp refuses: a surrogate pair escape (an emoji) and a key over 1024 characters.
void tst_SourceDocument::jsonOnlyTheJsonParserReads()
{
    const QByteArray longKey(1100, 'k');
    const QByteArray text = "{\n\t\"openapi\":\t\"3.0.3\",\n\t\"title\": \"Pets \\ud83d\\ude00\",\n\t\"n\": [1, 2.5e3],\n\t\""
                            + longKey + "\": true\n}\n";
    Diagnostics d;
    QVERIFY(!parse(text, d, SourceDocument::Syntax::Yaml));
    d = Diagnostics();
    const auto doc = parse(text, d);
    QVERIFY2(doc, qPrintable(d.toString()));
    QVERIFY(d.isEmpty());
    QCOMPARE(doc->syntax(), SourceDocument::Syntax::Json);
    QCOMPARE(doc->root().toObject().value(QStringLiteral("title")).toString(), QStringLiteral("Pets \U0001F600"));
    QCOMPARE(doc->locate(u"/title"), (SourceLocation{QStringLiteral("t.yaml"), 3, 11}));
    QCOMPARE(doc->locateKey(u"/title"), (SourceLocation{QStringLiteral("t.yaml"), 3, 2}));
    QCOMPARE(doc->locate(u"/n/1"), (SourceLocation{QStringLiteral("t.yaml"), 4, 11}));   // a tab is one column
    QCOMPARE(doc->locateKey(QString(u'/' + QString::fromLatin1(longKey))).line, 5);
}

void tst_SourceDocument::positions_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("pointer");
    QTest::addColumn<QString>("value");   // "line:col" of locate()
    QTest::addColumn<QString>("key");     // "line:col" of locateKey()
    const QByteArray doc = yaml(R"(
        paths:
          /pets/{id}:
            get:
              parameters:
                - name: id
                  in: path
                - {name: limit, in: query}
        "quoted key": 'x'
    )");
    QTest::newRow("a block map value and its key") << doc << QStringLiteral("/paths/~1pets~1{id}/get")
                                                   << QStringLiteral("4:7") << QStringLiteral("3:5");
    QTest::newRow("a list item is its own key") << doc << QStringLiteral("/paths/~1pets~1{id}/get/parameters/1")
                                                << QStringLiteral("7:11") << QStringLiteral("7:11");
    QTest::newRow("a flow map member") << doc << QStringLiteral("/paths/~1pets~1{id}/get/parameters/1/in")
                                       << QStringLiteral("7:29") << QStringLiteral("7:25");
    QTest::newRow("a missing key points at its nearest parent")
        << doc << QStringLiteral("/paths/~1pets~1{id}/get/responses") << QStringLiteral("4:7")
        << QStringLiteral("3:5");
    QTest::newRow("a quoted key") << doc << QStringLiteral("/quoted key") << QStringLiteral("8:15")
                                  << QStringLiteral("8:1");
    QTest::newRow("a byte order mark and multi-byte characters count as one column each")
        << QByteArray("\xEF\xBB\xBFtitle: \xC3\xA9t\xC3\xA9\nv: 1\n") << QStringLiteral("/v")
        << QStringLiteral("2:4") << QStringLiteral("2:1");
    QTest::newRow("JSON on one line") << QByteArray("{\"a\": {\"b\": [true, {\"c\": null}]}}")
                                      << QStringLiteral("/a/b/1/c") << QStringLiteral("1:26")
                                      << QStringLiteral("1:21");
}

void tst_SourceDocument::positions()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, pointer);
    QFETCH(QString, value);
    QFETCH(QString, key);
    Diagnostics d;
    const auto doc = parse(text, d);
    QVERIFY2(doc, qPrintable(d.toString()));
    auto lineCol = [](const SourceLocation &l) { return QStringLiteral("%1:%2").arg(l.line).arg(l.column); };
    QCOMPARE(lineCol(doc->locate(pointer)), value);
    QCOMPARE(lineCol(doc->locateKey(pointer)), key);
}

// YAML 1.2 core schema: what a plain scalar means in JSON.
void tst_SourceDocument::scalars_data()
{
    QTest::addColumn<QByteArray>("scalar");
    QTest::addColumn<QJsonValue>("expected");
    QTest::newRow("an integer") << QByteArray("42") << QJsonValue(42);
    QTest::newRow("a negative float") << QByteArray("-1.5e3") << QJsonValue(-1500.0);
    QTest::newRow("hexadecimal") << QByteArray("0x1F") << QJsonValue(31);
    QTest::newRow("octal in the 1.2 spelling") << QByteArray("0o17") << QJsonValue(15);
    QTest::newRow("a version with two dots stays text") << QByteArray("1.0.0") << QJsonValue(QStringLiteral("1.0.0"));
    QTest::newRow("quotes keep text") << QByteArray("'1.0'") << QJsonValue(QStringLiteral("1.0"));
    QTest::newRow("true in capitals") << QByteArray("TRUE") << QJsonValue(true);
    QTest::newRow("yes is text in YAML 1.2") << QByteArray("yes") << QJsonValue(QStringLiteral("yes"));
    QTest::newRow("a tilde is null") << QByteArray("~") << QJsonValue(QJsonValue::Null);
    QTest::newRow("an explicit string tag") << QByteArray("!!str 12") << QJsonValue(QStringLiteral("12"));
    QTest::newRow("an explicit int tag") << QByteArray("!!int 12") << QJsonValue(12);
    QTest::newRow("a huge integer becomes a double") << QByteArray("123456789012345678901234")
                                                     << QJsonValue(123456789012345678901234.0);
    QTest::newRow("a status code key stays a key") << QByteArray("{200: ok}")
                                                   << QJsonValue(QJsonObject{{QStringLiteral("200"), QStringLiteral("ok")}});
}

void tst_SourceDocument::scalars()
{
    QFETCH(QByteArray, scalar);
    QFETCH(QJsonValue, expected);
    Diagnostics d;
    const auto doc = parse("v: " + scalar + '\n', d);
    QVERIFY2(doc, qPrintable(d.toString()));
    QCOMPARE(doc->root().toObject().value(QStringLiteral("v")), expected);
}

void tst_SourceDocument::valueTextIsWhatWasWritten_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("pointer");
    QTest::addColumn<QString>("expected");
    const QByteArray doc = "name: rate-limit\nversion: 1.0\ncount: 0x1F\nflag: true\n"
                           "tags: [a, 2.50]\nnested: {list: [{v: '1.0'}]}\n";
    QTest::newRow("a string is its text") << doc << QStringLiteral("/name") << QStringLiteral("rate-limit");
    QTest::newRow("a YAML number keeps its spelling") << doc << QStringLiteral("/version") << QStringLiteral("1.0");
    QTest::newRow("a hexadecimal number keeps its spelling") << doc << QStringLiteral("/count") << QStringLiteral("0x1F");
    QTest::newRow("a number inside a list keeps its spelling") << doc << QStringLiteral("/tags/1") << QStringLiteral("2.50");
    QTest::newRow("a quoted string deep in lists and maps") << doc << QStringLiteral("/nested/list/0/v") << QStringLiteral("1.0");
    QTest::newRow("a boolean shows nothing") << doc << QStringLiteral("/flag") << QString();
    QTest::newRow("a map shows nothing") << doc << QStringLiteral("/nested") << QString();
    QTest::newRow("a missing member shows nothing") << doc << QStringLiteral("/absent") << QString();
    QTest::newRow("an index past the end shows nothing") << doc << QStringLiteral("/tags/7") << QString();
    QTest::newRow("a malformed pointer shows nothing") << doc << QStringLiteral("name~2") << QString();
    QTest::newRow("a JSON number has no written spelling") << QByteArray("{\"version\": 1.0}")
                                                          << QStringLiteral("/version") << QString();
}

void tst_SourceDocument::valueTextIsWhatWasWritten()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, pointer);
    QFETCH(QString, expected);
    Diagnostics d;
    const auto doc = parse(text, d);
    QVERIFY2(doc, qPrintable(d.toString()));
    QCOMPARE(doc->valueText(pointer), expected);
}

void tst_SourceDocument::anchorsAliasesAndMergeKeys()
{
    Diagnostics d;
    const auto doc = parse(yaml(R"(
        base: &base
          type: object
          description: base
        more: &more {format: extra}
        derived:
          <<: [*base, *more]
          description: derived
        copy: *base
        inf: .inf
    )"), d);
    QVERIFY2(doc && d.isEmpty(), qPrintable(d.toString()));
    const QJsonObject root = doc->root().toObject();
    const QJsonObject derived{{QStringLiteral("type"), QStringLiteral("object")},
                              {QStringLiteral("description"), QStringLiteral("derived")},
                              {QStringLiteral("format"), QStringLiteral("extra")}};
    QCOMPARE(root.value(QStringLiteral("derived")).toObject(), derived);
    QCOMPARE(root.value(QStringLiteral("copy")), root.value(QStringLiteral("base")));
    QVERIFY(std::isinf(root.value(QStringLiteral("inf")).toDouble()));
    QCOMPARE(doc->locateKey(u"/derived/description").line, 7);
    QCOMPARE(doc->locate(u"/derived/format").line, 6);   // a merged key: its map's place
}

// Nine levels of ten aliases each would be 10^9 values if expanded; shared values cost nothing.
void tst_SourceDocument::aliasBombIsCheap()
{
    QByteArray text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
    for (int i = 1; i < 10; ++i) {
        text += QStringLiteral("a%1: &a%1 [").arg(i).toUtf8();
        for (int j = 0; j < 10; ++j)
            text += QStringLiteral("*a%1%2").arg(i - 1).arg(j < 9 ? QStringLiteral(", ") : QString()).toUtf8();
        text += "]\n";
    }
    QElapsedTimer timer;
    timer.start();
    Diagnostics d;
    const auto doc = parse(text, d);
    QVERIFY2(doc, qPrintable(d.toString()));
    QVERIFY(timer.elapsed() < 2000);
    QCOMPARE(doc->root().toObject().value(QStringLiteral("a9")).toArray().size(), 10);
}

void tst_SourceDocument::deepNestingIsRefused()
{
    for (const QByteArray &open : {QByteArray("["), QByteArray("{a: ")}) {
        const QByteArray text = "x: " + open.repeated(5000) + "1";
        Diagnostics d;
        QVERIFY(!parse(text, d));
        QCOMPARE(d.errorCount(), 1);
        const QByteArray json = "{\"x\": " + QByteArray("[").repeated(5000) + QByteArray("]").repeated(5000) + "}";
        QVERIFY(!parse(json, d));
    }
}

void tst_SourceDocument::jsonSyntaxErrorPosition()
{
    Diagnostics d;
    QVERIFY(!SourceDocument::parse("{\n  \"a\": 1,\n  \"b\" 2\n}\n", QStringLiteral("x.json"), d));
    QCOMPARE(d.toString(), QStringLiteral("x.json:3:7: error: JSON syntax error: missing name separator\n"));
}

void tst_SourceDocument::keysKeepTheirWrittenOrder()
{
    for (const QByteArray &text : {QByteArray("{\"zebra\": 1, \"apple\": 2, \"mango\": 3}"),
                                   QByteArray("zebra: 1\napple: 2\nmango: 3\n")}) {
        Diagnostics d;
        const auto doc = parse(text, d);
        QVERIFY(doc);
        QCOMPARE(doc->keysInSourceOrder(u"", doc->root().toObject()),
                 (QStringList{QStringLiteral("zebra"), QStringLiteral("apple"), QStringLiteral("mango")}));
    }
}

void tst_SourceDocument::pointers()
{
    QCOMPARE(JsonPointer::child(QStringLiteral("/paths"), u"/a~b"), QStringLiteral("/paths/~1a~0b"));
    QCOMPARE(JsonPointer::split(u"/paths/~1a~0b/0"),
             std::optional<QStringList>({QStringLiteral("paths"), QStringLiteral("/a~b"), QStringLiteral("0")}));
    QCOMPARE(JsonPointer::split(u""), std::optional<QStringList>(QStringList()));
    QVERIFY(!JsonPointer::split(u"/a~2"));
    QVERIFY(!JsonPointer::split(u"a"));
}

QTEST_GUILESS_MAIN(tst_SourceDocument)
#include "tst_sourcedocument.moc"
