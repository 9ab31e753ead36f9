// The JSON Schema validator: every keyword as table rows (valid and invalid instances with the
// JSON pointer and message reported), OpenAPI 3.0 specifics, references and recursion, bounded
// work on hostile documents, and the OAI's own 3.1 test documents validated against the OAS 3.1
// schema (pass must pass, fail must fail).
#include "policies/validate/jsonschema.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Gatehouse;

namespace {

QJsonValue json(const QByteArray &text)
{
    QJsonParseError error;
    const QJsonDocument d = QJsonDocument::fromJson("[" + text + "]", &error);
    if (error.error != QJsonParseError::NoError)
        qFatal("bad JSON in test: %s", text.constData());
    return d.array().at(0);
}

} // namespace

class tst_JsonSchema : public QObject
{
    Q_OBJECT
private slots:
    void keywords_data();
    void keywords();
    void badSchemasAreRefusedAtCompileTime_data();
    void badSchemasAreRefusedAtCompileTime();
    void recursiveSchemasTerminate();
    void readOnlyAndWriteOnlyByDirection();
    void workIsBounded_data();
    void workIsBounded();
    void problemsAreCapped();
};

void tst_JsonSchema::keywords_data()
{
    QTest::addColumn<QByteArray>("schema");
    QTest::addColumn<QByteArray>("instance");
    QTest::addColumn<bool>("openApi30");
    QTest::addColumn<QString>("problem");   // empty = valid; else the first problem's text
    auto row = [](const char *name, const char *schema, const char *instance, const char *problem, bool v30 = false) {
        QTest::newRow(name) << QByteArray(schema) << QByteArray(instance) << v30 << QString::fromUtf8(problem);
    };
    row("a string is a string", R"({"type": "string"})", R"("x")", "");
    row("a number where a string is expected names both types", R"({"type": "string"})", "1", "(root): expected string, got integer");
    row("an integer accepts 2.0 but not 2.5", R"({"type": "integer"})", "2.5", "(root): expected integer, got number");
    row("a list of types", R"({"type": ["string", "null"]})", "null", "");
    row("nullable admits null in OpenAPI 3.0", R"({"type": "string", "nullable": true})", "null", "", true);
    row("nullable means nothing in OpenAPI 3.1", R"({"type": "string", "nullable": true})", "null",
        "(root): expected string, got null");
    row("the pointer names the nested place", R"({"properties": {"pets": {"items": {"properties": {"name": {"type": "string"}}}}}})",
        R"({"pets": [{"name": "a"}, {"name": 7}]})", "/pets/1/name: expected string, got integer");
    row("pointer segments are escaped", R"({"additionalProperties": {"type": "string"}})", R"({"a/b~c": 1})",
        "/a~1b~0c: expected string, got integer");
    row("enum", R"({"enum": ["cat", "dog"]})", R"("cow")", R"((root): "cow" is not one of "cat", "dog")");
    row("enum compares numbers by value", R"({"enum": [1, 2]})", "2.0", "");
    row("const", R"({"const": {"a": [1]}})", R"({"a": [1]})", "");
    row("const mismatch", R"({"const": "x"})", R"("y")", R"((root): must be "x", got "y")");
    row("required", R"({"required": ["id", "name"]})", R"({"id": 1})", "(root): required property 'name' is missing");
    row("additionalProperties false", R"({"properties": {"a": {}}, "additionalProperties": false})", R"({"a": 1, "b": 2})",
        "/b: property 'b' is not allowed");
    row("additionalProperties as a schema", R"({"additionalProperties": {"type": "integer"}})", R"({"a": "x"})",
        "/a: expected integer, got string");
    row("patternProperties", R"({"patternProperties": {"^x-": {"type": "string"}}, "additionalProperties": false})",
        R"({"x-a": "1", "y": 1})", "/y: property 'y' is not allowed");
    row("propertyNames", R"({"propertyNames": {"maxLength": 3}})", R"({"long": 1})",
        "/long: text of 4 characters is longer than the maximum 3");
    row("minProperties", R"({"minProperties": 2})", R"({"a": 1})", "(root): 1 properties are fewer than the minimum 2");
    row("maxProperties", R"({"maxProperties": 1})", R"({"a": 1, "b": 2})", "(root): 2 properties are more than the maximum 1");
    row("dependentRequired", R"({"dependentRequired": {"card": ["cvv"]}})", R"({"card": "4111"})",
        "(root): property 'cvv' is required when 'card' is present");
    row("items", R"({"items": {"type": "integer"}})", "[1, 2, \"3\"]", "/2: expected integer, got string");
    row("prefixItems then items false", R"({"prefixItems": [{"type": "string"}], "items": false})", R"(["a", 1])",
        "/1: no value is allowed here");
    row("minItems", R"({"minItems": 1})", "[]", "(root): 0 items are fewer than the minimum 1");
    row("maxItems", R"({"maxItems": 1})", "[1, 2]", "(root): 2 items are more than the maximum 1");
    row("uniqueItems compares deeply", R"({"uniqueItems": true})", R"([{"a": 1}, {"a": 1.0}])",
        "(root): items 0 and 1 are equal; items must be unique");
    row("contains", R"({"contains": {"const": 3}})", "[1, 2]", "(root): 0 items match 'contains', at least 1 must");
    row("maxContains", R"({"contains": {"type": "integer"}, "maxContains": 1})", "[1, 2]",
        "(root): 2 items match 'contains', at most 1 may");
    row("minLength counts characters, not bytes", R"({"minLength": 2})", R"("é")", "(root): text of 1 characters is shorter than the minimum 2");
    row("maxLength counts astral characters once", R"({"maxLength": 1})", "\"\xF0\x9F\x90\xB1\"", "");
    row("pattern is a search, not anchored", R"({"pattern": "[0-9]+"})", R"("ab12")", "");
    row("pattern mismatch", R"({"pattern": "^[a-z]+$"})", R"("AB")", R"((root): "AB" does not match the pattern '^[a-z]+$')");
    row("minimum", R"({"minimum": 1})", "0", "(root): 0 is less than the minimum 1");
    row("maximum", R"({"maximum": 1})", "1.5", "(root): 1.5 is greater than the maximum 1");
    row("exclusiveMinimum as a number (3.1)", R"({"exclusiveMinimum": 1})", "1", "(root): 1 must be greater than 1");
    row("exclusiveMaximum as a flag (3.0)", R"({"maximum": 5, "exclusiveMaximum": true})", "5", "(root): 5 must be less than 5", true);
    row("multipleOf with decimals", R"({"multipleOf": 0.01})", "19.99", "");
    row("multipleOf mismatch", R"({"multipleOf": 3})", "10", "(root): 10 is not a multiple of 3");
    row("allOf reports the failing part", R"({"allOf": [{"required": ["a"]}, {"required": ["b"]}]})", R"({"a": 1})",
        "(root): required property 'b' is missing");
    row("anyOf names the closest alternative", R"({"anyOf": [{"type": "string"}, {"properties": {"n": {"type": "integer"}}, "type": "object"}]})",
        R"({"n": "x"})", "(root): matches none of the 2 alternatives of 'anyOf' (closest: /n: expected integer, got string)");
    row("oneOf with two matches", R"({"oneOf": [{"type": "integer"}, {"minimum": 0}]})", "3",
        "(root): matches alternatives 1 and 2 of 'oneOf'; exactly one must match");
    row("oneOf with one match", R"({"oneOf": [{"type": "integer"}, {"type": "string"}]})", "3", "");
    row("not", R"({"not": {"type": "null"}})", "null", "(root): must not match the schema under 'not'");
    row("if/then", R"({"if": {"properties": {"kind": {"const": "dog"}}}, "then": {"required": ["bark"]}})",
        R"({"kind": "dog"})", "(root): required property 'bark' is missing");
    row("if/else", R"({"if": {"required": ["a"]}, "else": {"required": ["b"]}})", "{}", "(root): required property 'b' is missing");
    row("dependentSchemas", R"({"dependentSchemas": {"a": {"required": ["b"]}}})", R"({"a": 1})",
        "(root): required property 'b' is missing");
    row("unevaluatedProperties sees through allOf", R"({"allOf": [{"properties": {"a": {}}}], "unevaluatedProperties": false})",
        R"({"a": 1, "b": 2})", "/b: property 'b' is not allowed");
    row("unevaluatedProperties ignores failed anyOf branches",
        R"({"anyOf": [{"properties": {"a": {"type": "string"}}}, {"properties": {"b": {}}}], "unevaluatedProperties": false})",
        R"({"a": 1, "b": 2})", "/a: property 'a' is not allowed");
    row("unevaluatedItems after prefixItems", R"({"prefixItems": [{}], "unevaluatedItems": false})", "[1, 2]",
        "/1: no value is allowed here");
    row("$ref to a definition", R"({"$defs": {"id": {"type": "integer"}}, "properties": {"id": {"$ref": "#/$defs/id"}}})",
        R"({"id": "x"})", "/id: expected integer, got string");
    row("$ref to an anchor", R"({"$defs": {"n": {"$anchor": "num", "type": "number"}}, "items": {"$ref": "#num"}})", R"(["x"])",
        "/0: expected number, got string");
    row("$ref with percent-encoded pointer", R"({"$defs": {"a b": {"type": "string"}}, "$ref": "#/$defs/a%20b"})", "1",
        "(root): expected string, got integer");
    row("boolean schema false", "false", "1", "(root): no value is allowed here");
    row("format date-time", R"({"format": "date-time"})", R"("2024-02-30T10:00:00Z")",
        R"((root): "2024-02-30T10:00:00Z" is not a valid date-time)");
    row("format date-time with offset and fraction", R"({"format": "date-time"})", R"("2024-02-29T23:59:60.25+05:30")", "");
    row("format date", R"({"format": "date"})", R"("2023-02-29")", R"((root): "2023-02-29" is not a valid date)");
    row("format email", R"({"format": "email"})", R"("a b@example.com")", R"((root): "a b@example.com" is not a valid email)");
    row("format email accepted", R"({"format": "email"})", R"("first.last+tag@sub.example.org")", "");
    row("format uuid", R"({"format": "uuid"})", R"("123e4567-e89b-12d3-a456-42661417400")",
        R"((root): "123e4567-e89b-12d3-a456-42661417400" is not a valid uuid)");
    row("format uri needs a scheme", R"({"format": "uri"})", R"("/relative")", R"((root): "/relative" is not a valid uri)");
    row("format ipv4 refuses leading zeros", R"({"format": "ipv4"})", R"("10.0.0.01")", R"((root): "10.0.0.01" is not a valid ipv4)");
    row("format ipv6", R"({"format": "ipv6"})", R"("fe80::1")", "");
    row("format int32 range", R"({"type": "integer", "format": "int32"})", "2147483648", "(root): 2147483648 is not a valid int32");
    row("format int64 range", R"({"type": "integer", "format": "int64"})", "1e19", "(root): 1e+19 is not a valid int64");
    row("format byte is base64", R"({"format": "byte"})", R"("aGVsbG8=x")", R"((root): "aGVsbG8=x" is not a valid byte)");
    row("unknown formats are annotations", R"({"format": "color"})", R"("anything")", "");
    row("discriminator is ignored", R"({"discriminator": {"propertyName": "kind"}, "type": "object"})", R"({})", "");
}

void tst_JsonSchema::keywords()
{
    QFETCH(QByteArray, schema);
    QFETCH(QByteArray, instance);
    QFETCH(bool, openApi30);
    QFETCH(QString, problem);
    JsonSchemaOptions options;
    options.dialect = openApi30 ? SchemaDialect::OpenApi30 : SchemaDialect::Draft2020;
    const auto compiled = JsonSchema::compile(json(schema), options);
    QVERIFY2(compiled.ok(), qPrintable(compiled.ok() ? QString() : compiled.error().message));
    QList<SchemaProblem> problems;
    const bool valid = compiled->validate(json(instance), &problems);
    QCOMPARE(valid, problem.isEmpty());
    QCOMPARE(valid, problems.isEmpty());
    if (!valid)
        QCOMPARE(problems.first().toString(), problem);
}

void tst_JsonSchema::badSchemasAreRefusedAtCompileTime_data()
{
    QTest::addColumn<QByteArray>("schema");
    QTest::addColumn<QString>("message");
    QTest::newRow("an unknown type name") << QByteArray(R"({"type": "strnig"})") << QStringLiteral("unknown type");
    QTest::newRow("a pattern that does not compile") << QByteArray(R"({"pattern": "(["})") << QStringLiteral("not a valid regular expression");
    QTest::newRow("a reference to nothing") << QByteArray(R"({"$ref": "#/$defs/missing"})") << QStringLiteral("points at nothing");
    QTest::newRow("a reference to another document") << QByteArray(R"({"$ref": "other.yaml#/Pet"})") << QStringLiteral("names another document");
    QTest::newRow("an unknown anchor") << QByteArray(R"({"$ref": "#nowhere"})") << QStringLiteral("no anchor 'nowhere'");
    QTest::newRow("a negative minLength") << QByteArray(R"({"minLength": -1})") << QStringLiteral("non-negative integer");
    QTest::newRow("multipleOf zero") << QByteArray(R"({"multipleOf": 0})") << QStringLiteral("greater than 0");
    QTest::newRow("a schema that is a number") << QByteArray(R"({"items": 3})") << QStringLiteral("must be an object or true/false");
}

void tst_JsonSchema::badSchemasAreRefusedAtCompileTime()
{
    QFETCH(QByteArray, schema);
    QFETCH(QString, message);
    const auto compiled = JsonSchema::compile(json(schema));
    QVERIFY(!compiled.ok());
    QVERIFY2(compiled.error().message.contains(message), qPrintable(compiled.error().message));
}

void tst_JsonSchema::recursiveSchemasTerminate()
{
    // A tree as an OpenAPI document writes it: the loader keeps the $ref that closes the cycle.
    const QJsonValue document = json(R"({"components": {"schemas": {"Node": {"type": "object", "required": ["name"],
        "properties": {"name": {"type": "string"}, "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}}}}}})");
    const auto schema = JsonSchema::compile(json(R"({"$ref": "#/components/schemas/Node"})"), {}, document);
    QVERIFY(schema.ok());
    QVERIFY(schema->validate(json(R"({"name": "a", "children": [{"name": "b", "children": []}]})")));
    QList<SchemaProblem> problems;
    QVERIFY(!schema->validate(json(R"({"name": "a", "children": [{"name": "b", "children": [{}]}]})"), &problems));
    QCOMPARE(problems.first().toString(), QStringLiteral("/children/0/children/0: required property 'name' is missing"));

    // A schema that only refers to itself never consumes the instance: stopped, not a stack overflow.
    const auto loop = JsonSchema::compile(json(R"({"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}}, "$ref": "#/$defs/a"})"));
    QVERIFY(loop.ok());
    problems.clear();
    QVERIFY(!loop->validate(json("1"), &problems));
    QVERIFY2(problems.first().message.contains(QStringLiteral("refers to itself")), qPrintable(problems.first().message));
}

void tst_JsonSchema::readOnlyAndWriteOnlyByDirection()
{
    const auto schema = JsonSchema::compile(json(R"({"required": ["id", "password"], "properties": {
        "id": {"type": "integer", "readOnly": true}, "password": {"type": "string", "writeOnly": true}}})"));
    QVERIFY(schema.ok());
    QVERIFY(schema->validate(json(R"({"password": "x"})"), nullptr, {}, SchemaDirection::Request));
    QVERIFY(!schema->validate(json(R"({"id": 1})"), nullptr, {}, SchemaDirection::Request));
    QVERIFY(schema->validate(json(R"({"id": 1})"), nullptr, {}, SchemaDirection::Response));
    QVERIFY(!schema->validate(json(R"({"id": 1})"), nullptr, {}, SchemaDirection::Any));
}

void tst_JsonSchema::workIsBounded_data()
{
    QTest::addColumn<QByteArray>("instance");
    QTest::addColumn<QString>("message");
    QTest::newRow("nesting deeper than the limit is refused")
        << QByteArray(200, '[') + QByteArray(200, ']') << QStringLiteral("nested deeper than 64 levels");
    QByteArray wide = "[";
    for (int i = 0; i < 5000; ++i)
        wide += "[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20],";
    wide += "[]]";
    QTest::newRow("more work than the step budget is refused") << wide << QStringLiteral("validation stopped after");
}

void tst_JsonSchema::workIsBounded()
{
    QFETCH(QByteArray, instance);
    QFETCH(QString, message);
    // Every value is tried against both alternatives, so the work grows with the document.
    const auto schema = JsonSchema::compile(json(R"({"$defs": {"v": {"anyOf": [{"type": "string"},
        {"type": ["array", "integer"], "items": {"$ref": "#/$defs/v"}}]}}, "$ref": "#/$defs/v"})"));
    QVERIFY(schema.ok());
    QList<SchemaProblem> problems;
    QVERIFY(!schema->validate(json(instance), &problems));
    bool found = false;
    for (const SchemaProblem &p : std::as_const(problems))
        found = found || p.message.contains(message);
    QVERIFY2(found, qPrintable(problems.first().toString()));
}

void tst_JsonSchema::problemsAreCapped()
{
    const auto schema = JsonSchema::compile(json(R"({"items": {"type": "string"}})"));
    QVERIFY(schema.ok());
    QByteArray many = "[";
    for (int i = 0; i < 100; ++i)
        many += QByteArray::number(i) + ",";
    many += "1]";
    QList<SchemaProblem> problems;
    JsonSchemaLimits limits;
    limits.maxProblems = 3;
    QVERIFY(!schema->validate(json(many), &problems, limits));
    QCOMPARE(problems.size(), 3);
    QCOMPARE(problems.at(2).pointer, QStringLiteral("/2"));
}

QTEST_GUILESS_MAIN(tst_JsonSchema)
#include "tst_jsonschema.moc"
