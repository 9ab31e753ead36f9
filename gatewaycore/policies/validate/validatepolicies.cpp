// validate-request and validate-response: the operation's OpenAPI schemas checked on the data
// plane, with problems reported as JSON pointers.
#include "validatepolicies.h"

#include "operationschemas.h"

#include "pipeline/requestcontext.h"
#include "policies/headers/headerpolicies.h"
#include "policies/registry/policyregistry.h"
#include "project/gatewayconfig.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>

namespace Gatehouse {

Q_LOGGING_CATEGORY(lcValidate, "gatehouse.policy.validate")

namespace {

constexpr qint64 kDefaultMaxBodyBytes = 1024 * 1024;
constexpr qint64 kMaxMaxBodyBytes = 64 * 1024 * 1024;

struct Found
{
    QString location;   // "body", "path", "query", "header", "response"
    QString name;       // parameter name (empty for bodies)
    SchemaProblem problem;

    QString text() const
    {
        const QString where = name.isEmpty() ? location : QStringLiteral("%1 parameter '%2'").arg(location, name);
        return problem.pointer.isEmpty() ? QStringLiteral("%1: %2").arg(where, problem.message)
                                         : QStringLiteral("%1 %2: %3").arg(where, problem.pointer, problem.message);
    }
};

QString locationName(ParameterLocation in)
{
    switch (in) {
    case ParameterLocation::Path: return QStringLiteral("path");
    case ParameterLocation::Query: return QStringLiteral("query");
    case ParameterLocation::Header: return QStringLiteral("header");
    case ParameterLocation::Cookie: return QStringLiteral("cookie");
    }
    return QString();
}

QString summary(const QList<Found> &found)
{
    QStringList texts;
    for (const Found &f : found)
        texts.append(f.text());
    return texts.join(QStringLiteral("; "));
}

// The 422 answer: the usual JSON error plus the problems one by one.
void answerProblems(RequestContext &ctx, const QList<Found> &found)
{
    QJsonArray problems;
    for (const Found &f : found) {
        QJsonObject p{{QStringLiteral("in"), f.location}, {QStringLiteral("pointer"), f.problem.pointer},
                      {QStringLiteral("message"), f.problem.message}};
        if (!f.name.isEmpty())
            p.insert(QStringLiteral("name"), f.name);
        problems.append(p);
    }
    const QString description = QStringLiteral("The request does not match the API's schema: %1").arg(summary(found));
    QJsonObject body{{QStringLiteral("code"), int(GatewayErrorCode::ValidationFailed)},
                     {QStringLiteral("message"), QStringLiteral("Validation failed")},
                     {QStringLiteral("description"), description},
                     {QStringLiteral("problems"), problems}};
    ctx.respond(422, GatewayErrorCode::ValidationFailed, QStringLiteral("Validation failed"), description);
    ctx.error.contentType = "application/json";
    ctx.error.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
}

bool identityEncoding(QByteArrayView contentEncoding)
{
    const QByteArrayView e = contentEncoding.trimmed();
    return e.isEmpty() || e.compare("identity", Qt::CaseInsensitive) == 0;
}

JsonSchemaOptions optionsFor(const Route &route)
{
    JsonSchemaOptions o;
    o.dialect = route.operation && route.operation->version == OpenApiVersion::OpenApi31 ? SchemaDialect::Draft2020
                                                                                         : SchemaDialect::OpenApi30;
    return o;
}

JsonSchemaLimits limitsFrom(const QJsonObject &settings)
{
    JsonSchemaLimits l;
    l.maxProblems = settings.value(u"maxProblems").toInt();
    l.maxDepth = settings.value(u"maxDepth").toInt();
    return l;
}

class ValidateRequestFilter final : public Filter
{
public:
    ValidateRequestFilter(OperationSchemas schemas, const QJsonObject &settings)
        : m_schemas(std::move(schemas)), m_limits(limitsFrom(settings)),
          m_checkBody(settings.value(u"body").toBool() && m_schemas.hasRequestBody),
          m_checkParameters(settings.value(u"parameters").toBool() && !m_schemas.parameters.isEmpty()),
          m_maxBodyBytes(settings.value(u"maxBodyBytes").toInteger())
    {}

    Phase phase() const override { return Phase::Validate; }
    QLatin1StringView name() const override { return QLatin1StringView("validate-request"); }
    qint64 requestBodyLimit() const override { return m_checkBody ? m_maxBodyBytes : 0; }

    FilterStatus onRequest(RequestContext &ctx) const override
    {
        if (!m_checkParameters)
            return FilterStatus::Continue;
        const Router::Match match = ctx.config->router.match(ctx.method, ctx.path);
        const QueryPairs query = parseQuery(ctx.query);
        QList<Found> found;
        for (const CompiledParameter &p : m_schemas.parameters) {
            if (found.size() >= m_limits.maxProblems)
                break;
            const QByteArrayView raw = p.pathIndex >= 0 && p.pathIndex < match.params.size()
                                           ? match.params.at(p.pathIndex) : QByteArrayView();
            const std::optional<QJsonValue> value = readParameter(p, ctx, raw, query);
            if (!value) {
                if (p.required)
                    found.append({locationName(p.in), p.name, {QString(), QStringLiteral("required, but missing")}});
                continue;
            }
            QList<SchemaProblem> problems;
            JsonSchemaLimits limits = m_limits;
            limits.maxProblems = m_limits.maxProblems - int(found.size());
            if (!p.schema.validate(*value, &problems, limits, SchemaDirection::Request)) {
                for (const SchemaProblem &sp : std::as_const(problems))
                    found.append({locationName(p.in), p.name, sp});
            }
        }
        if (found.isEmpty()) {
            ctx.decide(Phase::Validate, QStringLiteral("validate-request"), true, QStringLiteral("parameters match the schema"));
            return FilterStatus::Continue;
        }
        answerProblems(ctx, found);
        ctx.decide(Phase::Validate, QStringLiteral("validate-request"), false, summary(found));
        return FilterStatus::Respond;
    }

    FilterStatus onRequestBody(RequestContext &ctx, QByteArray &body) const override
    {
        if (!m_checkBody)
            return FilterStatus::Continue;
        if (body.isEmpty()) {
            if (!m_schemas.requestBodyRequired)
                return FilterStatus::Continue;
            answerProblems(ctx, {{QStringLiteral("body"), QString(), {QString(), QStringLiteral("a request body is required")}}});
            return FilterStatus::Respond;
        }
        const QByteArrayView contentType = ctx.header("content-type");
        const CompiledMedia *media = OperationSchemas::selectMedia(m_schemas.requestContent, contentType);
        if (!media) {
            QStringList declared;
            for (const CompiledMedia &m : m_schemas.requestContent)
                declared.append(m.contentType);
            ctx.respond(415, GatewayErrorCode::UnsupportedMediaType, QStringLiteral("Unsupported media type"),
                        QStringLiteral("The operation accepts %1, not '%2'")
                            .arg(declared.join(QStringLiteral(", ")), QString::fromLatin1(contentType)));
            return FilterStatus::Respond;
        }
        if (!media->hasSchema)
            return FilterStatus::Continue;
        if (!identityEncoding(ctx.header("content-encoding"))) {
            ctx.respond(415, GatewayErrorCode::UnsupportedMediaType, QStringLiteral("Unsupported media type"),
                        QStringLiteral("A body with Content-Encoding '%1' cannot be validated: send it unencoded")
                            .arg(QString::fromLatin1(ctx.header("content-encoding"))));
            return FilterStatus::Respond;
        }
        const Result<QJsonValue> json = parseJsonBody(body, m_limits.maxDepth);
        if (!json) {
            ctx.respond(400, GatewayErrorCode::BadRequest, QStringLiteral("Malformed JSON"),
                        QStringLiteral("The request body cannot be read as JSON: %1").arg(json.error().message));
            ctx.decide(Phase::Validate, QStringLiteral("validate-request"), false, ctx.error.description);
            return FilterStatus::Respond;
        }
        QList<SchemaProblem> problems;
        if (media->schema.validate(*json, &problems, m_limits, SchemaDirection::Request)) {
            ctx.decide(Phase::Validate, QStringLiteral("validate-request"), true, QStringLiteral("the body matches the schema"));
            return FilterStatus::Continue;
        }
        QList<Found> found;
        for (const SchemaProblem &p : std::as_const(problems))
            found.append({QStringLiteral("body"), QString(), p});
        answerProblems(ctx, found);
        ctx.decide(Phase::Validate, QStringLiteral("validate-request"), false, summary(found));
        return FilterStatus::Respond;
    }

private:
    OperationSchemas m_schemas;
    JsonSchemaLimits m_limits;
    bool m_checkBody;
    bool m_checkParameters;
    qint64 m_maxBodyBytes;
};

class ValidateResponseFilter final : public Filter
{
public:
    ValidateResponseFilter(OperationSchemas schemas, const QJsonObject &settings)
        : m_schemas(std::move(schemas)), m_limits(limitsFrom(settings)), m_block(settings.value(u"block").toBool()),
          m_header(settings.value(u"header").toString().toLatin1()),
          m_maxBodyBytes(settings.value(u"maxBodyBytes").toInteger())
    {}

    Phase phase() const override { return Phase::Validate; }
    QLatin1StringView name() const override { return QLatin1StringView("validate-response"); }
    FilterStatus onRequest(RequestContext &) const override { return FilterStatus::Continue; }
    qint64 responseBodyLimit() const override { return m_maxBodyBytes; }

    FilterStatus onResponseBody(RequestContext &ctx, int status, QByteArray &body) const override
    {
        QList<Found> found = check(ctx, status, body);
        if (found.isEmpty()) {
            ctx.decide(Phase::Validate, QStringLiteral("validate-response"), true, QStringLiteral("the response matches the schema"));
            return FilterStatus::Continue;
        }
        const QString text = summary(found);
        qCDebug(lcValidate, "%s %s: response %d: %s", qPrintable(QString::fromLatin1(ctx.method)),
                qPrintable(QString::fromUtf8(ctx.path)), status, qPrintable(text));
        ctx.decide(Phase::Validate, QStringLiteral("validate-response"), !m_block, text);
        if (m_block) {
            ctx.respond(502, GatewayErrorCode::UpstreamError, QStringLiteral("Bad gateway"),
                        QStringLiteral("The upstream's response does not match the API's schema: %1").arg(text));
            return FilterStatus::Respond;
        }
        if (!m_header.isEmpty()) {
            // One line of printable ASCII: a problem may quote the body.
            QByteArray value = QByteArrayLiteral("invalid; ") + text.toUtf8();
            for (char &c : value) {
                if (uchar(c) < 0x20 || uchar(c) > 0x7e)
                    c = '?';
            }
            if (value.size() > 512)
                value = value.first(509) + "...";
            setResponseHeader(ctx, m_header, value);
        }
        return FilterStatus::Continue;
    }

private:
    QList<Found> check(const RequestContext &ctx, int status, const QByteArray &body) const
    {
        auto one = [](const QString &message) {
            return QList<Found>{{QStringLiteral("response"), QString(), {QString(), message}}};
        };
        const CompiledResponse *response = m_schemas.selectResponse(status);
        if (!response)
            return one(QStringLiteral("status %1 is not declared for this operation").arg(status));
        if (body.isEmpty() || response->content.isEmpty())
            return {};
        const QByteArrayView contentType = ctx.upstreamResponseHeaders ? ctx.upstreamResponseHeaders->value("content-type")
                                                                       : QByteArrayView();
        const CompiledMedia *media = OperationSchemas::selectMedia(response->content, contentType);
        if (!media)
            return one(QStringLiteral("Content-Type '%1' is not declared for status %2")
                           .arg(QString::fromLatin1(contentType), response->status));
        if (!media->hasSchema)
            return {};
        if (ctx.upstreamResponseHeaders && !identityEncoding(ctx.upstreamResponseHeaders->value("content-encoding")))
            return {};   // compressed: not looked into
        const Result<QJsonValue> json = parseJsonBody(body, m_limits.maxDepth);
        if (!json)
            return one(QStringLiteral("the body is not valid JSON: %1").arg(json.error().message));
        QList<SchemaProblem> problems;
        if (media->schema.validate(*json, &problems, m_limits, SchemaDirection::Response))
            return {};
        QList<Found> found;
        for (const SchemaProblem &p : std::as_const(problems))
            found.append({QStringLiteral("body"), QString(), p});
        return found;
    }

    OperationSchemas m_schemas;
    JsonSchemaLimits m_limits;
    bool m_block;
    QByteArray m_header;
    qint64 m_maxBodyBytes;
};

template<typename F>
std::shared_ptr<const Filter> build(const PolicyBuildContext &ctx)
{
    if (!ctx.route.operation) {
        ctx.error(QStringLiteral("needs an OpenAPI operation (it cannot validate %1 %2)").arg(ctx.route.method, ctx.route.pathTemplate));
        return nullptr;
    }
    auto schemas = OperationSchemas::compile(ctx.route, ctx.config.router.parameterNames(ctx.route.id), optionsFor(ctx.route));
    if (!schemas) {
        ctx.error(schemas.error().message);
        return nullptr;
    }
    return std::make_shared<const F>(std::move(*schemas), ctx.settings);
}

std::vector<SettingProperty> commonSettings()
{
    return {
        {QStringLiteral("maxBodyBytes"), SettingSchema::integer(QStringLiteral("The largest body (bytes) read for validation; "
                                                                               "a larger request is answered 413, a larger "
                                                                               "response 502"))
                                             .withRange(1, double(kMaxMaxBodyBytes))
                                             .withDefault(kDefaultMaxBodyBytes)},
        {QStringLiteral("maxProblems"), SettingSchema::integer(QStringLiteral("Problems reported at most"))
                                            .withRange(1, 100)
                                            .withDefault(10)},
        {QStringLiteral("maxDepth"), SettingSchema::integer(QStringLiteral("Deepest nesting of arrays and objects accepted"))
                                         .withRange(1, 512)
                                         .withDefault(64)},
    };
}

} // namespace

PolicyDescriptor validateRequestPolicy()
{
    PolicyDescriptor d;
    d.name = QStringLiteral("validate-request");
    d.version = QStringLiteral("1.0");
    d.description = QStringLiteral(
        "Checks the request against the operation's OpenAPI schemas before the upstream sees it: path, "
        "query and header parameters, and a JSON body. A body that is not JSON is answered 400, a Content-Type "
        "the operation does not declare 415, anything breaking the schema 422 with the problems as JSON "
        "pointers.");
    d.priority = 800;
    d.requestPhase = true;
    std::vector<SettingProperty> settings{
        {QStringLiteral("parameters"), SettingSchema::boolean(QStringLiteral("Check path, query and header parameters"))
                                           .withDefault(true)},
        {QStringLiteral("body"), SettingSchema::boolean(QStringLiteral("Check the request body (buffers it)")).withDefault(true)},
    };
    for (SettingProperty &p : commonSettings())
        settings.push_back(std::move(p));
    d.settings = SettingSchema::object(std::move(settings));
    d.notes = validationNotes();
    d.build = &build<ValidateRequestFilter>;
    return d;
}

PolicyDescriptor validateResponsePolicy()
{
    PolicyDescriptor d;
    d.name = QStringLiteral("validate-response");
    d.version = QStringLiteral("1.0");
    d.description = QStringLiteral(
        "Checks the upstream's response against the operation's declared responses (status, Content-Type, JSON "
        "body schema). Problems are reported in a response header and the explain view, or, with 'block', the "
        "client gets 502 instead of the response.");
    d.priority = 790;
    d.responsePhase = true;
    std::vector<SettingProperty> settings{
        {QStringLiteral("block"), SettingSchema::boolean(QStringLiteral("Answer 502 instead of an invalid response"))
                                      .withDefault(false)},
        {QStringLiteral("header"), SettingSchema::text(QStringLiteral("Response header that reports problems (empty: none)"))
                                       .withPattern(QStringLiteral("[!#$%&'*+.^_`|~0-9A-Za-z-]*"), QStringLiteral("a header name"))
                                       .withDefault(QStringLiteral("X-Gatehouse-Validation"))},
    };
    for (SettingProperty &p : commonSettings())
        settings.push_back(std::move(p));
    d.settings = SettingSchema::object(std::move(settings));
    d.build = &build<ValidateResponseFilter>;
    return d;
}

QString validationNotes()
{
    return QStringLiteral(
        "The schemas are the operation's own (`parameters`, `requestBody`, `responses`), compiled when the\n"
        "configuration is applied; a schema the validator cannot use refuses the configuration. The\n"
        "vocabulary is JSON Schema as OpenAPI 3.0 and 3.1 use it: `type` (3.0 `nullable`), `enum`, `const`,\n"
        "`required`, `properties`, `additionalProperties`, `patternProperties`, `propertyNames`,\n"
        "`dependentRequired`, `dependentSchemas`, `unevaluatedProperties`, `items`, `prefixItems`,\n"
        "`contains`, `unevaluatedItems`, size and range limits (3.0 boolean and 3.1 numeric exclusive\n"
        "bounds), `multipleOf`, `pattern`, `allOf`/`anyOf`/`oneOf`/`not`, `if`/`then`/`else`, local `$ref`\n"
        "(recursion allowed) and formats `date-time`, `date`, `time`, `email`, `uuid`, `uri`,\n"
        "`uri-reference`, `hostname`, `ipv4`, `ipv6`, `int32`, `int64`, `float`, `double`, `byte`,\n"
        "`regex` (other formats are not checked). `discriminator` is not used; `readOnly` properties need\n"
        "not be sent in requests, `writeOnly` ones not in responses. Parameters are read by their style\n"
        "(query `form`, exploded or not; path and header `simple`) and typed by their schema; cookie\n"
        "parameters and object-valued parameters are not checked. Bodies are checked when their media\n"
        "type is JSON (`application/json`, `*/*+json`); other declared types pass unchecked, compressed\n"
        "bodies (Content-Encoding) are answered 415 (request) or not checked (response).\n\n"
        "A 422 answer lists the problems:\n\n"
        "```json\n"
        "{\"code\": 900422, \"message\": \"Validation failed\",\n"
        " \"description\": \"The request does not match the API's schema: body /pets/0/name: expected string, got integer\",\n"
        " \"problems\": [{\"in\": \"body\", \"pointer\": \"/pets/0/name\", \"message\": \"expected string, got integer\"}]}\n"
        "```\n\n"
        "Work per request is bounded: at most `maxProblems` problems, `maxDepth` levels of nesting and\n"
        "100,000 schema steps (a deeper or more complex body is answered 422 saying so).");
}

} // namespace Gatehouse
