// An OpenAPI operation's schemas compiled for the data plane (parameters, request bodies,
// responses by status and media type), and the per-request work around them: reading parameters
// from the path, query and headers as typed JSON, choosing a media type, parsing a JSON body.
#pragma once

#include "jsonschema.h"

#include "project/apimodel.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonValue>
#include <QList>
#include <QString>

#include <optional>
#include <utility>

namespace Gatehouse {

struct RequestContext;
struct Route;

struct CompiledParameter
{
    QString name;
    ParameterLocation in = ParameterLocation::Query;
    bool required = false;
    bool explode = true;          // form style: ?id=1&id=2 (true) or ?id=1,2 (false)
    bool isArray = false;         // the schema's type is array: values are a list
    QJsonValue itemSchema;        // for typing each value: the schema (or its items)
    int pathIndex = -1;           // Path: the router's parameter index
    JsonSchema schema;
};

struct CompiledMedia
{
    QString contentType;          // as declared: "application/json", "application/*", "*/*"
    bool json = false;            // a JSON media type: the body is parsed and checked
    bool hasSchema = false;
    JsonSchema schema;
};

struct CompiledResponse
{
    QString status;               // "200", "4XX", "default"
    QList<CompiledMedia> content;
};

struct OperationSchemas
{
    QList<CompiledParameter> parameters;
    bool hasRequestBody = false;
    bool requestBodyRequired = false;
    QList<CompiledMedia> requestContent;
    QList<CompiledResponse> responses;

    // Compiles everything of route.operation. Problems name the schema's place ("parameter
    // 'limit': ...", "request body application/json: ...").
    static Result<OperationSchemas> compile(const Route &route, const QList<QString> &pathParameterNames,
                                            const JsonSchemaOptions &options);

    // The declared media type a Content-Type value selects (parameters ignored; exact type, then
    // "type/*", then "*/*"); nullptr when none does.
    static const CompiledMedia *selectMedia(const QList<CompiledMedia> &content, QByteArrayView contentType);
    // The response declared for `status`: exact code, then "4XX"-style range, then "default".
    const CompiledResponse *selectResponse(int status) const;
};

// "application/json", "application/problem+json" (parameters and case ignored).
bool isJsonMediaType(QByteArrayView contentType);
// "application/xml", "text/xml", "application/atom+xml".
bool isXmlMediaType(QByteArrayView contentType);

// Parses a JSON text of any top-level value. Errors as a sentence with the byte offset
// ("invalid UTF-8 at byte 12"); numbers beyond the double range are refused too.
Result<QJsonValue> parseJsonBody(const QByteArray &body, int maxDepth);

// A query string ("?a=1&b=x%20y" or "") as decoded name/value pairs, in order ('+' is a space).
using QueryPairs = QList<std::pair<QString, QString>>;
QueryPairs parseQuery(QByteArrayView query);

// One parameter's value(s) from the request as JSON typed by its schema ("7" -> 7 for an
// integer, "a,b" -> ["a", "b"] for an array); nullopt when the request does not carry it.
// `pathValue` is the router's raw value for a path parameter.
std::optional<QJsonValue> readParameter(const CompiledParameter &p, const RequestContext &ctx,
                                        QByteArrayView pathValue, const QueryPairs &query);

} // namespace Gatehouse
