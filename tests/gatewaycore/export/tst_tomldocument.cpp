// parseToml: the TOML that MGW's micro-gw.conf uses (quoted dotted keys, arrays of tables, nested
// tables) is read with places; broken TOML is refused at file:line:col with a sentence.
#include "export/tomldocument.h"

#include <QTest>

using namespace Gatehouse;

class tst_TomlDocument : public QObject
{
    Q_OBJECT
private slots:
    void readsMgwConfiguration();
    void readsValues_data();
    void readsValues();
    void refusesBrokenToml_data();
    void refusesBrokenToml();
};

void tst_TomlDocument::readsMgwConfiguration()
{
    const QByteArray text = "# micro-gw.conf\nsite.\"google.com\" = true\n"
                            "[listenerConfig]\n  host = \"0.0.0.0\"\n  httpPort = 9_090\n"
                            "[keyManager]\n  serverUrl = 'https://km:9443'\n"
                            "  [keymanager.security.basic]\n    enabled = true\n"
                            "[[jwtTokenConfig]]\n  issuer = \"a\"\n[[jwtTokenConfig]]\n  issuer = \"b\"\n"
                            "  [jwtTokenConfig.claims]\n    x = 1\n"
                            "[\"b7a.users\"]\n[\"b7a.users.generalUser1\"]\n  password = \"@sha256:{ab}\"\n"
                            "[apikey.issuer.tokenConfig]\n  validityTime = -1\n";
    Diagnostics d;
    const std::optional<TomlValue> doc = parseToml(text, QStringLiteral("micro-gw.conf"), d);
    QVERIFY2(doc, qPrintable(d.toString()));
    QCOMPARE(doc->path({QStringLiteral("listenerConfig"), QStringLiteral("httpPort")})->integer, 9090);
    QCOMPARE(doc->path({QStringLiteral("listenerConfig"), QStringLiteral("httpPort")})->line, 5);
    QCOMPARE(doc->path({QStringLiteral("listenerConfig"), QStringLiteral("httpPort")})->column, 14);
    QCOMPARE(doc->path({QStringLiteral("keyManager"), QStringLiteral("serverUrl")})->text, QStringLiteral("https://km:9443"));
    QVERIFY(doc->path({QStringLiteral("keymanager"), QStringLiteral("security"), QStringLiteral("basic"), QStringLiteral("enabled")})->boolean);
    const TomlValue *issuers = doc->find(QStringLiteral("jwtTokenConfig"));
    QVERIFY(issuers && issuers->kind == TomlValue::Kind::Array);
    QCOMPARE(issuers->items.size(), size_t(2));
    QCOMPARE(issuers->items[1].find(QStringLiteral("issuer"))->text, QStringLiteral("b"));
    QCOMPARE(issuers->items[1].path({QStringLiteral("claims"), QStringLiteral("x")})->integer, 1);
    QVERIFY(doc->find(QStringLiteral("b7a.users.generalUser1")));
    QCOMPARE(doc->path({QStringLiteral("apikey"), QStringLiteral("issuer"), QStringLiteral("tokenConfig"),
                        QStringLiteral("validityTime")})->integer, -1);
    QVERIFY(doc->path({QStringLiteral("site"), QStringLiteral("google.com")})->boolean);
}

void tst_TomlDocument::readsValues_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("value");
    QTest::newRow("a basic string with escapes") << QByteArray("v = \"a\\tb\\u00e9\\\"\"") << "string" << QStringLiteral("a\tb\u00e9\"");
    QTest::newRow("a literal string keeps backslashes") << QByteArray("v = 'C:\\dir'") << "string" << "C:\\dir";
    QTest::newRow("a multi-line string drops the first line break")
        << QByteArray("v = \"\"\"\nline 1\nline 2\"\"\"") << "string" << "line 1\nline 2";
    QTest::newRow("a line-ending backslash joins lines") << QByteArray("v = \"\"\"a \\\n   b\"\"\"") << "string" << "a b";
    QTest::newRow("a hexadecimal integer") << QByteArray("v = 0xff") << "integer" << "255";
    QTest::newRow("a negative integer") << QByteArray("v = -17") << "integer" << "-17";
    QTest::newRow("a float with an exponent") << QByteArray("v = 6.5e2") << "number" << "650";
    QTest::newRow("a date-time keeps its text") << QByteArray("v = 1979-05-27 07:32:00Z") << "date-time" << "1979-05-27 07:32:00Z";
    QTest::newRow("an array over several lines with a trailing comma")
        << QByteArray("v = [\n  \"a\", # first\n  \"b\",\n]") << "array" << "2";
    QTest::newRow("an inline table") << QByteArray("v = { a = 1, b.c = \"x\" }") << "table" << "2";
    QTest::newRow("a CRLF file") << QByteArray("[t]\r\nv = true\r\n") << "table" << "1";
}

void tst_TomlDocument::readsValues()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, kind);
    QFETCH(QString, value);
    Diagnostics d;
    const std::optional<TomlValue> doc = parseToml(text, QStringLiteral("t.toml"), d);
    QVERIFY2(doc, qPrintable(d.toString()));
    const TomlValue *v = doc->find(text.startsWith("[t]") ? QStringLiteral("t") : QStringLiteral("v"));
    QVERIFY(v);
    QCOMPARE(v->kindName(), kind);
    switch (v->kind) {
    case TomlValue::Kind::Integer: QCOMPARE(QString::number(v->integer), value); break;
    case TomlValue::Kind::Float: QCOMPARE(QString::number(v->number), value); break;
    case TomlValue::Kind::Array:
    case TomlValue::Kind::Table: QCOMPARE(QString::number(v->items.size()), value); break;
    default: QCOMPARE(v->text, value);
    }
}

void tst_TomlDocument::refusesBrokenToml_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("expected");   // the start of the diagnostic
    QTest::newRow("a missing equals sign")
        << QByteArray("[listenerConfig]\nhttpPort 9090\n")
        << "c.toml:2:10: error: expected '=' after the key 'httpPort'";
    QTest::newRow("an unquoted string value")
        << QByteArray("host = localhost\n") << "c.toml:1:8: error: 'localhost' is not a TOML value";
    QTest::newRow("an unterminated string")
        << QByteArray("a = 1\nissuer = \"https://x\n") << "c.toml:2:20: error: the string that starts on line 2 is not closed";
    QTest::newRow("a table defined twice")
        << QByteArray("[a]\nx = 1\n[a]\n") << "c.toml:3:4: error: the table [a] is defined twice (first at line 1)";
    QTest::newRow("a key defined twice")
        << QByteArray("[a]\nx = 1\nx = 2\n") << "c.toml:3:1: error: the key 'x' is defined twice (first at line 2)";
    QTest::newRow("a value that is extended as a table")
        << QByteArray("a = 1\n[a.b]\n") << "c.toml:2:";
    QTest::newRow("an unclosed table header")
        << QByteArray("[listenerConfig\nport = 1\n") << "c.toml:1:16: error: expected ']' to close the table header";
    QTest::newRow("two values on one line")
        << QByteArray("a = 1 b = 2\n") << "c.toml:1:7: error: expected the end of the line";
    QTest::newRow("an unclosed array")
        << QByteArray("a = [1, 2\n") << "c.toml:2:1: error: expected ',' or ']' in the array that starts at line 1";
    QTest::newRow("an unknown escape, as in a Windows path")
        << QByteArray("p = \"C:\\dir\"\n") << "c.toml:1:9: error: unknown escape '\\d'";
    QTest::newRow("an integer too large for 64 bits")
        << QByteArray("n = 99999999999999999999\n") << "c.toml:1:5: error: the integer 99999999999999999999 does not fit";
    QTest::newRow("a misplaced underscore")
        << QByteArray("n = 1__0\n") << "c.toml:1:5: error: '1__0': an underscore";
    QTest::newRow("an array of tables over a plain table")
        << QByteArray("[a]\n[[a]]\n") << "c.toml:2:6: error: [[a]] adds to an array of tables";
    QTest::newRow("arrays nested without end")
        << QByteArray("a = ") + QByteArray(200, '[') << "c.toml:1:69: error: arrays and inline tables nest deeper than 64 levels";
    QTest::newRow("a control character in a string")
        << QByteArray("a = \"x\x01y\"\n") << "c.toml:1:7: error: control character U+0001";
    QTest::newRow("binary garbage")
        << QByteArray("\x7f\x45\x4c\x46\x02\x01") << "c.toml:1:1: error: expected a key";
}

void tst_TomlDocument::refusesBrokenToml()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, expected);
    Diagnostics d;
    QVERIFY(!parseToml(text, QStringLiteral("c.toml"), d));
    QCOMPARE(d.errorCount(), 1);
    QVERIFY2(d.items().first().toString().startsWith(expected), qPrintable(d.toString()));
}

QTEST_GUILESS_MAIN(tst_TomlDocument)
#include "tst_tomldocument.moc"
