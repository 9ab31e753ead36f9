// An OpenAPI operation's schemas compiled once per config, and the per-request reading of
// parameters and JSON bodies the validation policies check against them.
#include "operationschemas.h"

#include "pipeline/requestcontext.h"
#include "project/gatewayconfig.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>

#include <cmath>

namespace Gatehouse {

namespace {

QByteArrayView mediaEssence(QByteArrayView contentType)
{
    const qsizetype semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.first(semicolon)).trimmed();
}

bool typeIncludes(const QJsonValue &schema, QStringView type)
{
    const QJsonValue t = schema.toObject().value(u"type");
    if (t.isString())
        return t.toString() == type;
    for (const QJsonValue &v : t.toArray()) {
        if (v.toString() == type)
            return true;
    }
    return false;
}

// A text value typed by its schema: numbers, booleans and null when the schema wants them and
// the text is one; otherwise the text, so the validator reports the mismatch.
QJsonValue typed(const QString &text, const QJsonValue &schema)
{
    if (typeIncludes(schema, u"integer") || typeIncludes(schema, u"number")) {
        bool ok = false;
        const double d = text.toDouble(&ok);
        if (ok && std::isfinite(d) && !text.contains(u' '))
            return d;
    }
    if (typeIncludes(schema, u"boolean") && (text == u"true" || text == u"false"))
        return text == u"true";
    if (typeIncludes(schema, u"null") && text.isEmpty())
        return QJsonValue(QJsonValue::Null);
    return text;
}

Result<JsonSchema> compileOne(const QJsonValue &schema, const QString &what, const JsonSchemaOptions &options,
                              const QJsonObject &document)
{
    auto r = JsonSchema::compile(schema, options, document);
    if (!r)
        return Error::config(QStringLiteral("%1: the schema cannot be used for validation: %2").arg(what, r.error().message));
    return r;
}

Result<QList<CompiledMedia>> compileContent(const QList<MediaType> &content, const QString &what,
                                            const JsonSchemaOptions &options, const QJsonObject &document)
{
    QList<CompiledMedia> out;
    for (const MediaType &m : content) {
        CompiledMedia c;
        c.contentType = m.contentType.toLower();
        c.json = isJsonMediaType(c.contentType.toLatin1());
        c.hasSchema = c.json && (m.schema.isObject() || m.schema.isBool());
        if (c.hasSchema) {
            auto s = compileOne(m.schema, QStringLiteral("%1 %2").arg(what, m.contentType), options, document);
            if (!s)
                return s.error();
            c.schema = *s;
        }
        out.append(std::move(c));
    }
    return out;
}

} // namespace

bool isJsonMediaType(QByteArrayView contentType)
{
    const QByteArrayView e = mediaEssence(contentType);
    return e.compare("application/json", Qt::CaseInsensitive) == 0
           || (e.size() > 5 && e.last(5).compare("+json", Qt::CaseInsensitive) == 0);
}

bool isXmlMediaType(QByteArrayView contentType)
{
    const QByteArrayView e = mediaEssence(contentType);
    return e.compare("application/xml", Qt::CaseInsensitive) == 0 || e.compare("text/xml", Qt::CaseInsensitive) == 0
           || (e.size() > 4 && e.last(4).compare("+xml", Qt::CaseInsensitive) == 0);
}

Result<OperationSchemas> OperationSchemas::compile(const Route &route, const QList<QString> &pathParameterNames,
                                                   const JsonSchemaOptions &options)
{
    OperationSchemas out;
    if (!route.operation)
        return out;
    const Operation &op = route.operation->operation;
    const QJsonObject &document = route.operation->document;
    for (const Parameter &p : op.parameters) {
        if (p.in == ParameterLocation::Cookie)
            continue;
        CompiledParameter c;
        c.name = p.name;
        c.in = p.in;
        c.required = p.required || p.in == ParameterLocation::Path;
        const bool form = p.style.isEmpty() ? p.in == ParameterLocation::Query : p.style == u"form";
        c.explode = p.explode.value_or(form);   // OpenAPI: form explodes by default, other styles do not
        c.isArray = typeIncludes(p.schema, u"array");
        c.itemSchema = c.isArray ? p.schema.toObject().value(u"items") : p.schema;
        if (p.in == ParameterLocation::Path) {
            c.pathIndex = int(pathParameterNames.indexOf(p.name));
            if (c.pathIndex < 0)
                continue;   // the loader reports parameters missing from the template
        }
        if (p.schema.isObject() || p.schema.isBool()) {
            auto s = compileOne(p.schema, QStringLiteral("parameter '%1'").arg(p.name), options, document);
            if (!s)
                return s.error();
            c.schema = *s;
        }
        out.parameters.append(std::move(c));
    }
    if (op.requestBody) {
        out.hasRequestBody = true;
        out.requestBodyRequired = op.requestBody->required;
        auto content = compileContent(op.requestBody->content, QStringLiteral("request body"), options, document);
        if (!content)
            return content.error();
        out.requestContent = *content;
    }
    for (const Response &r : op.responses) {
        auto content = compileContent(r.content, QStringLiteral("response %1").arg(r.status), options, document);
        if (!content)
            return content.error();
        out.responses.append({r.status, *content});
    }
    return out;
}

const CompiledMedia *OperationSchemas::selectMedia(const QList<CompiledMedia> &content, QByteArrayView contentType)
{
    const QString essence = QString::fromLatin1(mediaEssence(contentType)).toLower();
    const QString range = essence.section(u'/', 0, 0) + QStringLiteral("/*");
    for (const QString &wanted : {essence, range, QStringLiteral("*/*")}) {
        for (const CompiledMedia &m : content) {
            if (m.contentType == wanted)
                return &m;
        }
    }
    return nullptr;
}

const CompiledResponse *OperationSchemas::selectResponse(int status) const
{
    const QString exact = QString::number(status);
    const QString range = QString::number(status / 100) + QStringLiteral("XX");
    for (const QString &wanted : {exact, range, QStringLiteral("default")}) {
        for (const CompiledResponse &r : responses) {
            if (r.status.compare(wanted, Qt::CaseInsensitive) == 0)
                return &r;
        }
    }
    return nullptr;
}

Result<QJsonValue> parseJsonBody(const QByteArray &body, int maxDepth)
{
    // QJsonDocument wants an object or array at the top; other values are wrapped (a copy, only
    // for bodies that are a bare string or number).
    const QByteArrayView trimmed = QByteArrayView(body).trimmed();
    const bool container = !trimmed.isEmpty() && (trimmed.front() == '{' || trimmed.front() == '[');
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(container ? body : "[" + body + "]", &error);
    if (error.error != QJsonParseError::NoError) {
        const qsizetype offset = qMax(0, error.offset - (container ? 0 : 1));
        return Error{ErrorSource::Downstream, QStringLiteral("%1 at byte %2").arg(error.errorString()).arg(offset), false};
    }
    const QJsonValue value = container ? (doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(doc.array()))
                                       : doc.array().at(0);
    // Qt reads numbers too large for a double as infinity; JSON has no such value. And nesting:
    // checked here, so a shallow limit holds whatever the schema looks at.
    struct Walk
    {
        int maxDepth;
        QString problem;
        bool run(const QJsonValue &v, int depth)
        {
            if (v.isDouble() && !std::isfinite(v.toDouble()))
                return fail(QStringLiteral("a number is too large"));
            if (!v.isArray() && !v.isObject())
                return true;
            if (depth >= maxDepth)
                return fail(QStringLiteral("the document is nested deeper than %1 levels").arg(maxDepth));
            if (v.isArray()) {
                for (const QJsonValue &item : v.toArray()) {
                    if (!run(item, depth + 1))
                        return false;
                }
            } else {
                const QJsonObject o = v.toObject();
                for (auto it = o.begin(); it != o.end(); ++it) {
                    if (!run(it.value(), depth + 1))
                        return false;
                }
            }
            return true;
        }
        bool fail(const QString &p)
        {
            problem = p;
            return false;
        }
    } walk{maxDepth, {}};
    if (!walk.run(value, 0))
        return Error{ErrorSource::Downstream, walk.problem, false};
    return value;
}

QueryPairs parseQuery(QByteArrayView query)
{
    QueryPairs out;
    if (query.startsWith('?'))
        query = query.sliced(1);
    for (QByteArrayView part : QByteArray::fromRawData(query.data(), query.size()).split('&')) {
        if (part.isEmpty())
            continue;
        const qsizetype eq = part.indexOf('=');
        auto decode = [](QByteArrayView v) {
            QByteArray b = v.toByteArray();
            b.replace('+', ' ');
            return QString::fromUtf8(QByteArray::fromPercentEncoding(b));
        };
        out.append({decode(eq < 0 ? part : part.first(eq)), eq < 0 ? QString() : decode(part.sliced(eq + 1))});
    }
    return out;
}

std::optional<QJsonValue> readParameter(const CompiledParameter &p, const RequestContext &ctx, QByteArrayView pathValue,
                                        const QueryPairs &query)
{
    QStringList values;
    switch (p.in) {
    case ParameterLocation::Path:
        values.append(QString::fromUtf8(QByteArray::fromPercentEncoding(pathValue.toByteArray())));
        break;
    case ParameterLocation::Query:
        for (const auto &[name, value] : query) {
            if (name == p.name)
                values.append(value);
        }
        break;
    case ParameterLocation::Header: {
        if (!ctx.headers)
            break;
        const QByteArray name = p.name.toLatin1();
        for (const Http1Field &f : *ctx.headers) {
            if (httpEqualsIgnoreCase(f.name, name))
                values.append(QString::fromUtf8(f.value.toByteArray()).trimmed());
        }
        break;
    }
    case ParameterLocation::Cookie: break;
    }
    if (values.isEmpty())
        return std::nullopt;
    if (!p.isArray) {
        // Repeated where one value is expected: the list, so the validator names the mismatch.
        if (values.size() == 1)
            return typed(values.first(), p.itemSchema);
        QJsonArray all;
        for (const QString &v : std::as_const(values))
            all.append(typed(v, p.itemSchema));
        return all;
    }
    QJsonArray items;
    for (const QString &v : std::as_const(values)) {
        // Unexploded lists and headers separate items with commas (simple and form styles).
        const QStringList parts = (p.explode && p.in == ParameterLocation::Query) ? QStringList{v} : v.split(u',');
        for (const QString &item : parts)
            items.append(typed(p.in == ParameterLocation::Header ? item.trimmed() : item, p.itemSchema));
    }
    return items;
}

} // namespace Gatehouse
