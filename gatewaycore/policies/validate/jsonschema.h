// JSON Schema as OpenAPI 3.0 and 3.1 use it: compiled once per config, then validated per request
// with problems reported as JSON pointers ("/pets/0/name: expected string, got number") and
// bounded work (instance depth, steps, problems).
#pragma once

#include "base/result.h"

#include <QJsonValue>
#include <QList>
#include <QString>

#include <memory>

namespace Gatehouse {

// OpenApi30: `nullable`, boolean exclusiveMinimum/Maximum; Draft2020 (OpenAPI 3.1) ignores
// `nullable`. Either accepts the other's spelling of exclusive bounds by the value's type.
enum class SchemaDialect { OpenApi30 = 1, Draft2020 };

struct JsonSchemaOptions
{
    SchemaDialect dialect = SchemaDialect::Draft2020;
    // Check the formats listed in jsonschema.cpp (date-time, date, time, email, uuid, uri,
    // uri-reference, hostname, ipv4, ipv6, int32, int64, float, double, byte, regex); other
    // format names are annotations only, as JSON Schema says.
    bool assertFormats = true;
};

// Work one validate() may do. Exceeding maxSteps or maxDepth makes the instance invalid with a
// problem that says so: a hostile body never costs more than this.
struct JsonSchemaLimits
{
    int maxDepth = 64;            // nesting of arrays/objects in the instance
    int maxProblems = 10;         // stop collecting after this many
    qint64 maxSteps = 100'000;    // (schema, value) pairs visited, including alternatives tried
};

// Requests do not have to carry `readOnly` properties, responses not `writeOnly` ones, even
// when the schema lists them as required (OpenAPI's rule).
enum class SchemaDirection { Any = 1, Request, Response };

struct SchemaProblem
{
    QString pointer;   // RFC 6901 into the instance; "" is the whole document
    QString message;   // "expected string, got number"
    QString toString() const;   // "/pets/0/name: expected string, got number" ("(root): ..." for "")
};

struct CompiledSchema;

// Immutable after compile(); copies share the compiled form; validate() is thread-safe.
class JsonSchema
{
public:
    JsonSchema() = default;   // accepts everything

    // Compiles `schema`. `$ref`/`$dynamicRef` ("#/json/pointer", "#anchor", or the root `$id`
    // followed by either) resolve inside `document` (the OpenAPI document whose
    // components a schema refers to); when `document` is undefined, inside `schema` itself.
    // References are resolved here, once; recursive schemas are fine. `$dynamicRef` is resolved
    // statically to the `$dynamicAnchor` of the same document (no dynamic scope across
    // resources). A reference to another document is a compile error, as are malformed keywords.
    static Result<JsonSchema> compile(const QJsonValue &schema, const JsonSchemaOptions &options = {},
                                      const QJsonValue &document = QJsonValue(QJsonValue::Undefined));

    // True when `instance` is valid. Problems (at most limits.maxProblems) are appended to
    // *problems when given.
    bool validate(const QJsonValue &instance, QList<SchemaProblem> *problems = nullptr,
                  const JsonSchemaLimits &limits = {}, SchemaDirection direction = SchemaDirection::Any) const;

    // Number of compiled schema nodes (for tests and the benchmark).
    int nodeCount() const;

private:
    std::shared_ptr<const CompiledSchema> m_d;
};

} // namespace Gatehouse
