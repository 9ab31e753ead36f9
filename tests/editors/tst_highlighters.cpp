// The highlighters: what role (key, string, comment ...) each language gives the text at a
// position.
#include "highlighters/codehighlighter.h"

#include <QTest>
#include <QTextBlock>
#include <QTextDocument>
#include <QTextLayout>

#include <cmath>
#include <memory>

using namespace Gatehouse;

Q_DECLARE_METATYPE(Gatehouse::Language)

class tst_Highlighters : public QObject
{
    Q_OBJECT
private slots:
    void roleAt_data();
    void roleAt();
    void languageForFile_data();
    void languageForFile();
    void everyRoleReadsOnLightAndDarkPalettes_data();
    void everyRoleReadsOnLightAndDarkPalettes();
    void themeChangeRecolours();
};

namespace {

// The role the highlighter gave to the character at `position`, 0 when it gave none.
int roleAtPosition(QTextDocument &document, int position)
{
    const QTextBlock block = document.findBlock(position);
    const int inBlock = position - block.position();
    for (const QTextLayout::FormatRange &range : block.layout()->formats()) {
        if (inBlock >= range.start && inBlock < range.start + range.length) {
            const std::optional<TextRole> role = CodeHighlighter::roleOf(range.format);
            return role ? int(*role) : 0;
        }
    }
    return 0;
}

void row(const char *name, Language language, const char *text, const char *at, TextRole role)
{
    QTest::newRow(name) << language << QString::fromUtf8(text) << QString::fromUtf8(at)
                        << int(role);
}

void plainRow(const char *name, Language language, const char *text, const char *at)
{
    QTest::newRow(name) << language << QString::fromUtf8(text) << QString::fromUtf8(at) << 0;
}

} // namespace

void tst_Highlighters::roleAt_data()
{
    QTest::addColumn<Language>("language");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("at");   // the first occurrence of this text is checked
    QTest::addColumn<int>("role");

    const Language y = Language::Yaml;
    row("a top-level key is a key", y, "openapi: 3.0.3", "openapi", TextRole::Key);
    row("a dotted version is a scalar, not a number", y, "openapi: 3.0.3", "3.0.3",
        TextRole::Scalar);
    row("an integer value is a number", y, "limit: 20", "20", TextRole::Number);
    row("a negative float with an exponent is a number", y, "ratio: -1.5e3", "-1.5e3",
        TextRole::Number);
    row("true is a constant", y, "required: true", "true", TextRole::Constant);
    row("a tilde is null, a constant", y, "x: ~", "~", TextRole::Constant);
    row("yes is text in YAML 1.2, not a boolean", y, "enabled: yes", "yes", TextRole::Scalar);
    row("a single-quoted value is a string", y, "version: '1'", "'1'", TextRole::String);
    row("a hash inside a double-quoted string is not a comment", y,
        R"(title: "say \"hi\" # not a comment")", "# not", TextRole::String);
    row("a hash after a blank starts a comment", y, "limit: 20 # per page", "# per",
        TextRole::Comment);
    row("a hash inside a word is not a comment", y, "url: http://x/#frag", "#frag",
        TextRole::Scalar);
    row("a whole-line comment is a comment", y, "  # The base path", "The", TextRole::Comment);
    row("an anchor is marked", y, "base: &defaults {a: 1}", "&defaults", TextRole::Anchor);
    row("an alias is marked", y, "other: *defaults", "*defaults", TextRole::Anchor);
    row("a tag is marked like an anchor", y, "n: !!str 42", "!!str", TextRole::Anchor);
    row("a $ref key is a reference", y, "$ref: '#/components/schemas/Pet'", "$ref",
        TextRole::Reference);
    row("a $ref value is a reference", y, "$ref: '#/components/schemas/Pet'", "#/comp",
        TextRole::Reference);
    row("a $ref in a list item is a reference", y, "  - $ref: '#/p/limit'", "#/p",
        TextRole::Reference);
    row("an x-gatehouse key is an extension", y, "x-gatehouse-throttling-tier: Gold", "x-gatehouse",
        TextRole::Extension);
    row("an x-wso2 key is an extension", y, "x-wso2-basePath: /v1", "x-wso2", TextRole::Extension);
    row("another x- key is an ordinary key", y, "x-logo: a.png", "x-logo", TextRole::Key);
    row("a quoted status code key is a key", y, "'200':\n  description: ok", "'200'",
        TextRole::Key);
    row("a key inside a flow mapping is a key", y, "info: {title: Pets, version: v1}", "version",
        TextRole::Key);
    row("a value inside a flow mapping is a scalar", y, "info: {title: Pets, version: v1}", "Pets",
        TextRole::Scalar);
    row("a scope with a colon stays one scalar in a flow list", y, "- oauth2: [pets:read]", "read",
        TextRole::Scalar);
    row("a list item's key is a key", y, "  - name: id", "name", TextRole::Key);
    row("a block scalar indicator is a keyword", y, "description: |\n  text\nnext: 1", "|",
        TextRole::Keyword);
    row("a block scalar's lines are block text", y, "description: |\n  text\nnext: 1", "text",
        TextRole::BlockScalar);
    row("colons and hashes inside a block scalar are text", y, "d: >-\n  a: b # c\n", "# c",
        TextRole::BlockScalar);
    row("a blank line inside a block scalar keeps it open", y, "d: |\n  one\n\n  two\nk: v", "two",
        TextRole::BlockScalar);
    row("the key after a block scalar is a key again", y, "description: |\n  text\nnext: 1", "next",
        TextRole::Key);
    row("a block scalar under a list item ends at the next item", y, "- d: |\n    x\n- e: 1", "e",
        TextRole::Key);
    row("a document marker is a keyword", y, "---\nopenapi: 3.1.0", "---", TextRole::Keyword);

    const Language j = Language::Json;
    row("a JSON key is a key", j, R"({"openapi": "3.0.3"})", R"("openapi")", TextRole::Key);
    row("a JSON string value is a string", j, R"({"openapi": "3.0.3"})", R"("3.0.3")",
        TextRole::String);
    row("a JSON number is a number", j, R"({"a": -12.5e2})", "12.5", TextRole::Number);
    row("JSON null is a constant", j, "[true, false, null]", "null", TextRole::Constant);
    row("a JSON $ref value is a reference", j, R"({"$ref": "#/x"})", R"("#/x")",
        TextRole::Reference);
    row("a JSON x-gatehouse key is an extension", j, R"({"x-gatehouse-scopes": []})", "x-gate",
        TextRole::Extension);
    row("a colon inside a JSON string does not make it a key", j, R"({"url": "http://a:80"})",
        "http", TextRole::String);
    plainRow("JSON punctuation has no role", j, R"({"a": 1})", "{");

    const Language p = Language::Proto;
    row("syntax is a proto keyword", p, R"(syntax = "proto3";)", "syntax", TextRole::Keyword);
    row("a proto string is a string", p, R"(syntax = "proto3";)", "proto3", TextRole::String);
    row("a scalar field type is a type", p, "  string name = 1;", "string", TextRole::Type);
    row("a field number is a number", p, "  string name = 1;", "1", TextRole::Number);
    plainRow("a field name has no role", p, "  string name = 1;", "name");
    row("a message name is a type", p, "message HelloRequest {", "HelloRequest", TextRole::Type);
    row("an rpc name is a function", p, "  rpc SayHello (HelloRequest) returns (HelloReply);",
        "SayHello", TextRole::Function);
    row("an rpc argument is a type, not an option", p,
        "  rpc SayHello (HelloRequest) returns (HelloReply);", "HelloRequest", TextRole::Type);
    row("stream is a keyword", p, "  rpc Chat (stream Msg) returns (stream Msg);", "stream",
        TextRole::Keyword);
    row("an option name in parentheses is an option", p, "  option (gatehouse.service) = {",
        "gatehouse", TextRole::Option);
    row("a field option in brackets is an option", p, R"(  string id = 1 [(wso2.scopes) = "a"];)",
        "wso2", TextRole::Option);
    row("an upper-case enum value is a constant", p, "    security: [JWT, OAUTH2]", "OAUTH2", TextRole::Constant);
    plainRow("a key inside an option value has no role", p, "    security: [JWT, OAUTH2]", "security");
    row("a proto line comment is a comment", p, "int32 a = 1; // the id", "the id",
        TextRole::Comment);
    row("a proto block comment spans lines", p, "/* a\n b */ message M {}", " b",
        TextRole::Comment);
    row("code after a block comment is code", p, "/* a\n b */ message M {}", "message",
        TextRole::Keyword);

    const Language l = Language::Lua;
    row("local is a Lua keyword", l, "local x = 1", "local", TextRole::Keyword);
    row("a Lua number is a number", l, "local x = 0xFF", "0xFF", TextRole::Number);
    row("nil is a constant", l, "return nil", "nil", TextRole::Constant);
    row("a defined function's name is a function", l, "function M.check(req)", "check",
        TextRole::Function);
    row("a local function's name is a function", l, "local function deny(code)", "deny",
        TextRole::Function);
    row("two dashes inside a string are not a comment", l, R"(local s = "a--b")", "--b",
        TextRole::String);
    row("two dashes start a Lua comment", l, "x = 1 -- note", "-- note", TextRole::Comment);
    row("a long comment spans lines", l, "--[[ a\nb ]] y = 2", "b ]]", TextRole::Comment);
    plainRow("code after a long comment is code", l, "--[[ a\nb ]] y = 2", "y");
    row("a long string with a level ignores a shorter close", l, "s = [==[ x\n]] still ]==] z",
        "still", TextRole::String);
    plainRow("code after a long string is code", l, "s = [==[ x\n]] still ]==] z", "z");
    row("a standard library name is marked", l, "string.format('%d', 1)", "string", TextRole::Type);
}

void tst_Highlighters::roleAt()
{
    QFETCH(Language, language);
    QFETCH(QString, text);
    QFETCH(QString, at);
    QFETCH(int, role);

    QTextDocument document;
    document.setPlainText(text);
    CodeHighlighter *highlighter
        = createHighlighter(language, &document, EditorTheme::fromPalette(QPalette()));
    QVERIFY(highlighter);
    QCOMPARE(highlighter->language(), language);
    highlighter->rehighlight();
    const int position = int(text.indexOf(at));
    QVERIFY2(position >= 0, "the row's `at` text is not in its text");
    for (int i = position; i < position + at.size(); ++i) {
        if (!text[i].isSpace())
            QCOMPARE(roleAtPosition(document, i), role);
    }
}

void tst_Highlighters::languageForFile_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<Language>("language");
    QTest::newRow("an OpenAPI file in YAML")
        << QStringLiteral("apis/petstore.yaml") << Language::Yaml;
    QTest::newRow("the .yml spelling, upper case") << QStringLiteral("A.YML") << Language::Yaml;
    QTest::newRow("an OpenAPI file in JSON") << QStringLiteral("apis/x.json") << Language::Json;
    QTest::newRow("a proto") << QStringLiteral("protos/greeter.proto") << Language::Proto;
    QTest::newRow("an interceptor script") << QStringLiteral("policies/check.lua") << Language::Lua;
    QTest::newRow("a key file is plain text")
        << QStringLiteral("keys/tls.crt") << Language::PlainText;
}

void tst_Highlighters::languageForFile()
{
    QFETCH(QString, file);
    QFETCH(Language, language);
    QCOMPARE(Gatehouse::languageForFile(file), language);
    QTextDocument document;
    std::unique_ptr<CodeHighlighter> highlighter(
        createHighlighter(language, &document, EditorTheme::fromPalette(QPalette())));
    QCOMPARE(highlighter == nullptr, language == Language::PlainText);
}

namespace {

// WCAG relative luminance and contrast ratio.
double luminance(const QColor &c)
{
    auto channel
        = [](double v) { return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
}

double contrast(const QColor &a, const QColor &b)
{
    const double la = luminance(a) + 0.05;
    const double lb = luminance(b) + 0.05;
    return la > lb ? la / lb : lb / la;
}

QPalette darkPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
    p.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    p.setColor(QPalette::Text, QColor(0xdc, 0xdc, 0xdc));
    p.setColor(QPalette::WindowText, QColor(0xdc, 0xdc, 0xdc));
    p.setColor(QPalette::Highlight, QColor(0x2f, 0x65, 0xca));
    return p;
}

QPalette lightPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0xef, 0xef, 0xef));
    p.setColor(QPalette::Base, Qt::white);
    p.setColor(QPalette::Text, Qt::black);
    p.setColor(QPalette::Highlight, QColor(0x30, 0x8c, 0xc6));
    return p;
}

} // namespace

void tst_Highlighters::everyRoleReadsOnLightAndDarkPalettes_data()
{
    QTest::addColumn<QPalette>("palette");
    QTest::addColumn<bool>("dark");
    QTest::newRow("a light palette gives a light theme") << lightPalette() << false;
    QTest::newRow("a dark palette gives a dark theme") << darkPalette() << true;
}

void tst_Highlighters::everyRoleReadsOnLightAndDarkPalettes()
{
    QFETCH(QPalette, palette);
    QFETCH(bool, dark);
    const EditorTheme theme = EditorTheme::fromPalette(palette);
    QCOMPARE(theme.dark, dark);
    for (int role = int(TextRole::Key); role <= kTextRoleCount; ++role) {
        // 4.5 is WCAG AA for text; comments are meant to recede, but stay readable (3).
        const double minimum = TextRole(role) == TextRole::Comment ? 3.0 : 4.5;
        const double ratio = contrast(theme.color(TextRole(role)), theme.background);
        QVERIFY2(ratio >= minimum,
                 qPrintable(QStringLiteral("role %1 has contrast %2").arg(role).arg(ratio)));
    }
    QVERIFY(contrast(theme.error, theme.background) >= 3.0);
    QVERIFY(contrast(theme.warning, theme.background) >= 2.0);
}

void tst_Highlighters::themeChangeRecolours()
{
    QTextDocument document;
    document.setPlainText(QStringLiteral("openapi: 3.0.3"));
    CodeHighlighter *highlighter
        = createHighlighter(Language::Yaml, &document, EditorTheme::fromPalette(lightPalette()));
    highlighter->rehighlight();
    auto keyColour = [&] {
        return document.firstBlock().layout()->formats().constFirst().format.foreground().color();
    };
    const QColor light = keyColour();
    highlighter->setTheme(EditorTheme::fromPalette(darkPalette()));
    QVERIFY(keyColour() != light);
    QVERIFY(keyColour().lightness() > light.lightness());
}

QTEST_MAIN(tst_Highlighters)
#include "tst_highlighters.moc"
