// Gateway options written into .proto text: each row edits one field of one service or method and
// compares the whole resulting file, so a changed comment or blank line fails the row.
#include "protooptiontext.h"

#include <QTest>

using namespace Gatehouse;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(ProtoOptionField)

class tst_ProtoOptionText : public QObject
{
    Q_OBJECT
private slots:
    void edits_data();
    void edits();
    void refusals_data();
    void refusals();
};

namespace {
const QString kHead = QStringLiteral("syntax = \"proto3\";\npackage demo;\nimport \"gatehouse/options.proto\";\n\n");
}

void tst_ProtoOptionText::edits_data()
{
    QTest::addColumn<QString>("before");
    QTest::addColumn<QString>("service");
    QTest::addColumn<QString>("method");
    QTest::addColumn<ProtoOptionField>("field");
    QTest::addColumn<QStringList>("values");
    QTest::addColumn<QString>("after");

    const auto scopes = ProtoOptionField::MethodScopes;
    const auto methodTier = ProtoOptionField::MethodTier;
    const auto security = ProtoOptionField::ServiceSecurity;
    const auto serviceTier = ProtoOptionField::ServiceTier;

    QTest::newRow("a scope replaces the one in a one-line option")
        << kHead + u"service S {\n  rpc A(R) returns (R) {\n    option (gatehouse.method) = { scopes: \"a\" };  // keep\n  }\n}\n"_s
        << u"demo.S"_s << u"A"_s << scopes << QStringList{u"x"_s, u"y"_s}
        << kHead + u"service S {\n  rpc A(R) returns (R) {\n    option (gatehouse.method) = { scopes: [\"x\", \"y\"] };  // keep\n  }\n}\n"_s;
    QTest::newRow("a tier is added after the scopes on the same line")
        << kHead + u"service S {\n  rpc A(R) returns (R) {\n    option (gatehouse.method) = { scopes: \"a\" };\n  }\n}\n"_s
        << u"S"_s << u"A"_s << methodTier << QStringList{u"Silver"_s}
        << kHead + u"service S {\n  rpc A(R) returns (R) {\n    option (gatehouse.method) = { scopes: \"a\" throttling_tier: \"Silver\" };\n  }\n}\n"_s;
    QTest::newRow("a method without a body gets one with the option")
        << kHead + u"service S {\n  // says hello\n  rpc A(R) returns (R);\n}\n"_s
        << u"demo.S"_s << u"A"_s << scopes << QStringList{u"greet:read"_s}
        << kHead + u"service S {\n  // says hello\n  rpc A(R) returns (R) {\n    option (gatehouse.method) = { scopes: \"greet:read\" };\n  }\n}\n"_s;
    QTest::newRow("a method with an empty body gets the option inside it")
        << kHead + u"service S {\n    rpc A(R) returns (R) {}\n}\n"_s
        << u"demo.S"_s << u"A"_s << scopes << QStringList{u"s"_s}
        << kHead + u"service S {\n    rpc A(R) returns (R) {\n        option (gatehouse.method) = { scopes: \"s\" };\n    }\n}\n"_s;
    QTest::newRow("a method with another option gets a second statement")
        << kHead + u"service S {\n  rpc A(R) returns (R) {\n    option deprecated = true;\n  }\n}\n"_s
        << u"demo.S"_s << u"A"_s << methodTier << QStringList{u"Gold"_s}
        << kHead + u"service S {\n  rpc A(R) returns (R) {\n    option (gatehouse.method) = { throttling_tier: \"Gold\" };\n    option deprecated = true;\n  }\n}\n"_s;
    QTest::newRow("removing the last field removes the statement and the empty body")
        << kHead + u"service S {\n  rpc A(R) returns (R) {\n    option (gatehouse.method) = { scopes: \"a\" };\n  }\n}\n"_s
        << u"demo.S"_s << u"A"_s << scopes << QStringList{}
        << kHead + u"service S {\n  rpc A(R) returns (R);\n}\n"_s;
    QTest::newRow("removing one field keeps the others")
        << kHead + u"service S {\n  rpc A(R) returns (R) {\n    option (gatehouse.method) = { scopes: \"a\" throttling_tier: \"Gold\" };\n  }\n}\n"_s
        << u"demo.S"_s << u"A"_s << scopes << QStringList{}
        << kHead + u"service S {\n  rpc A(R) returns (R) {\n    option (gatehouse.method) = { throttling_tier: \"Gold\" };\n  }\n}\n"_s;
    QTest::newRow("a multi-line service option keeps its comments and gets the tier on a new line")
        << kHead + u"service S {\n  option (gatehouse.service) = {\n    // who may call\n    security: [JWT]\n    endpoints { urls: \"http://x\" }\n  };\n  rpc A(R) returns (R);\n}\n"_s
        << u"demo.S"_s << QString() << serviceTier << QStringList{u"Gold"_s}
        << kHead + u"service S {\n  option (gatehouse.service) = {\n    // who may call\n    security: [JWT]\n    endpoints { urls: \"http://x\" }\n    throttling_tier: \"Gold\"\n  };\n  rpc A(R) returns (R);\n}\n"_s;
    QTest::newRow("security is written as enum names in a list")
        << kHead + u"service S {\n  option (gatehouse.service) = {\n    security: [JWT]\n  };\n}\n"_s
        << u"demo.S"_s << QString() << security << QStringList{u"jwt"_s, u"apikey"_s}
        << kHead + u"service S {\n  option (gatehouse.service) = {\n    security: [JWT, APIKEY]\n  };\n}\n"_s;
    QTest::newRow("a service without options gets a statement on its first line")
        << kHead + u"service S {  // the service\n  rpc A(R) returns (R);\n}\n"_s
        << u"demo.S"_s << QString() << security << QStringList{u"BASIC"_s}
        << kHead + u"service S {  // the service\n  option (gatehouse.service) = { security: BASIC };\n  rpc A(R) returns (R);\n}\n"_s;
    QTest::newRow("a file without the import gets it after the last import")
        << QStringLiteral("syntax = \"proto3\";\npackage demo;\nimport \"other.proto\";\n\nservice S {\n  rpc A(R) returns (R);\n}\n")
        << u"demo.S"_s << u"A"_s << methodTier << QStringList{u"Gold"_s}
        << QStringLiteral("syntax = \"proto3\";\npackage demo;\nimport \"other.proto\";\nimport \"gatehouse/options.proto\";\n\nservice S {\n  rpc A(R) returns (R) {\n    option (gatehouse.method) = { throttling_tier: \"Gold\" };\n  }\n}\n");
    QTest::newRow("MGW's scopes option gives way to the gatehouse one")
        << kHead + u"service S {\n  rpc A(R) returns (R) {\n    option (wso2.method_scopes) = \"a\";\n  }\n}\n"_s
        << u"demo.S"_s << u"A"_s << scopes << QStringList{u"b"_s}
        << kHead + u"service S {\n  rpc A(R) returns (R) {\n    option (gatehouse.method) = { scopes: \"b\" };\n  }\n}\n"_s;
    QTest::newRow("the single-field form is rewritten as an aggregate")
        << kHead + u"service S {\n  rpc A(R) returns (R) {\n    option (gatehouse.method).scopes = \"a\";\n  }\n}\n"_s
        << u"demo.S"_s << u"A"_s << scopes << QStringList{u"a"_s, u"b"_s}
        << kHead + u"service S {\n  rpc A(R) returns (R) {\n    option (gatehouse.method) = { scopes: [\"a\", \"b\"] };\n  }\n}\n"_s;
    QTest::newRow("repeated scopes fields collapse into one list")
        << kHead + u"service S {\n  rpc A(R) returns (R) {\n    option (gatehouse.method) = {\n      scopes: \"a\"\n      scopes: \"b\"\n    };\n  }\n}\n"_s
        << u"demo.S"_s << u"A"_s << scopes << QStringList{u"c"_s}
        << kHead + u"service S {\n  rpc A(R) returns (R) {\n    option (gatehouse.method) = {\n      scopes: \"c\"\n    };\n  }\n}\n"_s;
    QTest::newRow("braces in comments and strings do not confuse the structure")
        << kHead + u"/* service S { */\nservice S {\n  // rpc A(R) returns (R) {\n  rpc A(R) returns (R) {\n    option (gatehouse.method) = { throttling_tier: \"}\" };\n  }\n}\n"_s
        << u"demo.S"_s << u"A"_s << methodTier << QStringList{u"Gold"_s}
        << kHead + u"/* service S { */\nservice S {\n  // rpc A(R) returns (R) {\n  rpc A(R) returns (R) {\n    option (gatehouse.method) = { throttling_tier: \"Gold\" };\n  }\n}\n"_s;
    QTest::newRow("quotes in a scope are escaped")
        << kHead + u"service S {\n  rpc A(R) returns (R);\n}\n"_s
        << u"demo.S"_s << u"A"_s << scopes << QStringList{u"a\"b"_s}
        << kHead + u"service S {\n  rpc A(R) returns (R) {\n    option (gatehouse.method) = { scopes: \"a\\\"b\" };\n  }\n}\n"_s;
}

void tst_ProtoOptionText::edits()
{
    QFETCH(QString, before);
    QFETCH(QString, service);
    QFETCH(QString, method);
    QFETCH(ProtoOptionField, field);
    QFETCH(QStringList, values);
    QFETCH(QString, after);

    const auto replacements = protoOptionReplacements(before, {service, method}, field, values);
    QVERIFY2(replacements.ok(), qPrintable(replacements ? QString() : replacements.error().message));
    QCOMPARE(applyReplacements(before, *replacements), after);
}

void tst_ProtoOptionText::refusals_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("method");
    QTest::addColumn<ProtoOptionField>("field");
    QTest::addColumn<QStringList>("values");
    QTest::addColumn<QString>("message");

    const QString ok = kHead + u"service S {\n  rpc A(R) returns (R);\n}\n"_s;
    QTest::newRow("an unknown method is named")
        << ok << u"B"_s << ProtoOptionField::MethodScopes << QStringList{u"a"_s} << u"service demo.S has no method B"_s;
    QTest::newRow("an unknown scheme lists the known ones")
        << ok << u""_s << ProtoOptionField::ServiceSecurity << QStringList{u"kerberos"_s}
        << u"unknown security scheme 'kerberos' (known: NONE, JWT, OAUTH2, APIKEY, BASIC)"_s;
    QTest::newRow("two tiers are refused")
        << ok << u"A"_s << ProtoOptionField::MethodTier << QStringList{u"Gold"_s, u"Silver"_s}
        << u"a throttling tier is one name"_s;
    QTest::newRow("an unclosed service is refused")
        << kHead + u"service S {\n  rpc A(R) returns (R);\n"_s << u"A"_s << ProtoOptionField::MethodScopes
        << QStringList{u"a"_s} << u"service S has no closing brace"_s;
    QTest::newRow("an unclosed comment is refused")
        << kHead + u"service S {}\n/* x"_s << u"A"_s << ProtoOptionField::MethodScopes << QStringList{u"a"_s}
        << u"a /* comment is never closed"_s;
}

void tst_ProtoOptionText::refusals()
{
    QFETCH(QString, text);
    QFETCH(QString, method);
    QFETCH(ProtoOptionField, field);
    QFETCH(QStringList, values);
    QFETCH(QString, message);

    const auto replacements = protoOptionReplacements(text, {QStringLiteral("demo.S"), method}, field, values);
    QVERIFY(!replacements.ok());
    QCOMPARE(replacements.error().message, message);
}

QTEST_GUILESS_MAIN(tst_ProtoOptionText)
#include "tst_protooptiontext.moc"
