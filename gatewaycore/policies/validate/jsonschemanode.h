// The compiled form of a JSON Schema (internal to jsonschema*.cpp): a flat vector of nodes that
// refer to each other by index, so recursive schemas are plain cycles of indices.
#pragma once

#include "jsonschema.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QStringList>

#include <optional>
#include <utility>
#include <vector>

namespace Gatehouse {

// Instance types as a bit set ("integer" is a number with no fraction).
enum TypeBit : quint8 {
    kTypeNull = 1,
    kTypeBoolean = 2,
    kTypeObject = 4,
    kTypeArray = 8,
    kTypeNumber = 16,
    kTypeString = 32,
    kTypeInteger = 64,
};

enum class SchemaFormat : quint8 {
    None = 0,   // not asserted (absent, unknown, or formats are annotations)
    DateTime,
    Date,
    Time,
    Email,
    Uuid,
    Uri,
    UriReference,
    Hostname,
    Ipv4,
    Ipv6,
    Int32,
    Int64,
    Float,
    Double,
    Byte,
    Regex,
};

struct SchemaNode
{
    enum class Kind : quint8 { Schema = 1, AlwaysTrue, AlwaysFalse };
    Kind kind = Kind::Schema;
    quint8 types = 0;          // 0 = any
    bool readOnly = false;
    bool writeOnly = false;
    SchemaFormat format = SchemaFormat::None;
    QString formatName;
    int ref = -1;              // $ref / $dynamicRef targets
    int dynamicRef = -1;

    std::optional<QJsonArray> enumValues;
    std::optional<QJsonValue> constValue;

    std::optional<double> minimum, maximum, exclusiveMinimum, exclusiveMaximum, multipleOf;

    qint64 minLength = -1, maxLength = -1;
    int pattern = -1;          // index into CompiledSchema::regexes

    qint64 minItems = -1, maxItems = -1;
    bool uniqueItems = false;
    std::vector<int> prefixItems;
    int items = -1;            // items after prefixItems
    int contains = -1;
    qint64 minContains = 1, maxContains = -1;
    int unevaluatedItems = -1;

    std::vector<std::pair<QString, int>> properties;   // sorted by name
    std::vector<std::pair<int, int>> patternProperties; // (regex, node)
    int additionalProperties = -1;
    int propertyNames = -1;
    QStringList required;
    qint64 minProperties = -1, maxProperties = -1;
    std::vector<std::pair<QString, QStringList>> dependentRequired;
    std::vector<std::pair<QString, int>> dependentSchemas;
    int unevaluatedProperties = -1;

    std::vector<int> allOf, anyOf, oneOf;
    int notSchema = -1;
    int ifSchema = -1, thenSchema = -1, elseSchema = -1;

    int findProperty(const QString &name) const;   // node index or -1
};

struct CompiledSchema
{
    std::vector<SchemaNode> nodes;
    std::vector<QRegularExpression> regexes;
    int root = 0;
    bool usesUnevaluated = false;   // annotations are collected only when some node needs them
};

// Helpers shared by the compiler and the validator (jsonschemaformats.cpp).
SchemaFormat schemaFormatFromName(QStringView name);
// Whether `value` satisfies `format` (strings for string formats, numbers for numeric ones;
// other instance types always do).
bool checkFormat(SchemaFormat format, const QJsonValue &value);
// JSON equality: numbers by value, objects regardless of member order.
bool jsonEquals(const QJsonValue &a, const QJsonValue &b);
// A canonical byte form for uniqueness checks (equal values give equal keys).
QByteArray jsonCanonicalKey(const QJsonValue &value);
// "string or null" for a type set; whether a value has one of the types; Unicode code points.
QString schemaTypeList(quint8 types);
bool schemaTypeMatches(quint8 types, const QJsonValue &value);
qsizetype codePointCount(const QString &s);
// "string", "number", "integer" ... as used in messages.
QString jsonTypeName(const QJsonValue &value);
// A short JSON rendering for messages ("\"abc\"", "42"), cut at ~40 characters.
QString jsonShort(const QJsonValue &value);

} // namespace Gatehouse
