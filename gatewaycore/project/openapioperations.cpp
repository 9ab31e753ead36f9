// Operations of an OpenAPI document: paths, parameters (merged by name+in), request bodies,
// responses, with Swagger 2 body/formData parameters turned into request bodies.
#include "openapicontext.h"

#include "base/textutil.h"

#include <QRegularExpression>

namespace Gatehouse::OpenApi {

namespace {

const QString kJson = QStringLiteral("application/json");

// Names of the template expressions of a path, or the reason it is not a valid template.
QString checkPathTemplate(const QString &path, QStringList *names)
{
    if (path.contains(u'?') || path.contains(u'#'))
        return QStringLiteral("a path must not contain a query string ('?') or a fragment ('#')");
    qsizetype open = -1;
    for (qsizetype i = 0; i < path.size(); ++i) {
        if (path[i] == u'{') {
            if (open >= 0)
                return QStringLiteral("'{' inside a template expression at position %1").arg(i + 1);
            open = i;
        } else if (path[i] == u'}') {
            if (open < 0)
                return QStringLiteral("'}' without a matching '{' at position %1").arg(i + 1);
            const QString name = path.mid(open + 1, i - open - 1);
            if (name.isEmpty())
                return QStringLiteral("empty template expression '{}' at position %1").arg(open + 1);
            if (name.contains(u'/'))
                return QStringLiteral("the template expression '{%1}' spans a '/'").arg(name);
            if (names->contains(name))
                return QStringLiteral("'{%1}' appears twice").arg(name);
            names->append(name);
            open = -1;
        }
    }
    if (open >= 0)
        return QStringLiteral("the '{' at position %1 is never closed").arg(open + 1);
    return {};
}

QStringList mediaTypes(Context &ctx, const Node &op, const QString &key)
{
    for (const Node &owner : {op, ctx.root}) {
        if (owner.has(key)) {
            const QStringList list = ctx.stringList(owner[key], key).value_or(QStringList());
            return list.isEmpty() ? QStringList{kJson} : list;
        }
    }
    return {kJson};
}

QList<MediaType> readContent(Context &ctx, const Node &content)
{
    QList<MediaType> out;
    if (!ctx.isObject(content, QStringLiteral("content")))
        return out;
    for (const QString &type : content.keys()) {
        const Node media = content[type];
        if (!ctx.isObject(media, QStringLiteral("media type '%1'").arg(type)))
            continue;
        out.append({type, media.has(u"schema") ? ctx.refs.inlineSchema(media[u"schema"]) : QJsonValue()});
    }
    return out;
}

// Swagger 2 `in: body` / `in: formData` parameters as the request body OpenAPI 3 would write.
void swaggerRequestBody(Context &ctx, const Node &op, QList<ReadParameter> &params, Operation &out)
{
    const ReadParameter *body = nullptr;
    QList<const ReadParameter *> form;
    for (const ReadParameter &p : params) {
        if (p.in == u"body") {
            if (body)
                ctx.error(p.useSite, QStringLiteral("an operation can have only one 'in: body' parameter"));
            else
                body = &p;
        } else if (p.in == u"formData") {
            form.append(&p);
        }
    }
    if (body && !form.isEmpty())
        ctx.error(form.first()->useSite, QStringLiteral("an operation cannot have both 'in: body' and "
                                                        "'in: formData' parameters"));
    const QStringList consumes = mediaTypes(ctx, op, QStringLiteral("consumes"));
    if (body) {
        RequestBody rb;
        rb.required = body->parameter.required;
        rb.location = body->parameter.location;
        for (const QString &type : consumes)
            rb.content.append({type, body->parameter.schema});
        out.requestBody = rb;
    } else if (!form.isEmpty()) {
        QJsonObject properties;
        QJsonArray required;
        bool hasFile = false;
        for (const ReadParameter *p : std::as_const(form)) {
            properties.insert(p->parameter.name, p->parameter.schema);
            if (p->parameter.required)
                required.append(p->parameter.name);
            hasFile = hasFile || p->node[u"type"].value.toString() == u"file";
        }
        QJsonObject schema{{QStringLiteral("type"), QStringLiteral("object")},
                           {QStringLiteral("properties"), properties}};
        if (!required.isEmpty())
            schema.insert(QStringLiteral("required"), required);
        RequestBody rb;
        rb.required = !required.isEmpty();
        rb.location = form.first()->parameter.location;
        for (const QString &type : consumes) {
            if (type.startsWith(u"multipart/form-data") || type.startsWith(u"application/x-www-form-urlencoded"))
                rb.content.append({type, schema});
        }
        if (rb.content.isEmpty()) {
            rb.content.append({hasFile ? QStringLiteral("multipart/form-data")
                                       : QStringLiteral("application/x-www-form-urlencoded"),
                               schema});
        }
        out.requestBody = rb;
    }
    params.removeIf([](const ReadParameter &p) { return p.in == u"body" || p.in == u"formData"; });
}

void readRequestBody(Context &ctx, const Node &written, Operation &out)
{
    if (written.value.isUndefined())
        return;
    const Node n = ctx.refs.deref(written);
    if (!n.isValid() || !ctx.isObject(n, QStringLiteral("requestBody")))
        return;
    RequestBody rb;
    rb.location = n.location();
    rb.required = ctx.boolean(n[u"required"], QStringLiteral("required")).value_or(false);
    if (!n.has(u"content"))
        ctx.error(n.location(), QStringLiteral("requestBody needs 'content': the media types it accepts"));
    rb.content = readContent(ctx, n[u"content"]);
    out.requestBody = rb;
}

void readResponses(Context &ctx, const Node &op, Operation &out)
{
    const Node responses = op[u"responses"];
    if (responses.value.isUndefined()) {
        if (!ctx.is31())
            ctx.warning(op.keyLocation(), QStringLiteral("%1 %2 has no 'responses'; OpenAPI %3 requires them")
                                              .arg(out.method, out.pathTemplate, openApiVersionName(ctx.version)));
        return;
    }
    if (!ctx.isObject(responses, QStringLiteral("responses")))
        return;
    static const QRegularExpression status(QStringLiteral("^[1-5](\\d\\d|XX)$"));
    const QStringList produces = ctx.isSwagger() ? mediaTypes(ctx, op, QStringLiteral("produces")) : QStringList();
    for (const QString &code : responses.keys()) {
        if (code.startsWith(u"x-") || !ctx.budget.spend())
            continue;
        if (code != u"default" && !status.match(code).hasMatch()) {
            ctx.error(responses[code].keyLocation(),
                      QStringLiteral("response status '%1' is not valid: use a code such as 200, a range "
                                     "such as 4XX, or default")
                          .arg(code));
            continue;
        }
        const Node n = ctx.refs.deref(responses[code]);
        if (!n.isValid() || !ctx.isObject(n, QStringLiteral("response '%1'").arg(code)))
            continue;
        Response r;
        r.status = code;
        r.description = ctx.string(n[u"description"], QStringLiteral("description")).value_or(QString());
        if (ctx.isSwagger()) {
            if (n.has(u"schema")) {
                const QJsonValue schema = ctx.refs.inlineSchema(n[u"schema"]);
                for (const QString &type : produces)
                    r.content.append({type, schema});
            }
        } else if (n.has(u"content")) {
            r.content = readContent(ctx, n[u"content"]);
        }
        out.responses.append(r);
    }
}

struct PathContext
{
    QString path;
    QStringList templateNames;
    Node item;
    QList<ReadParameter> parameters;
    QList<QUrl> servers;
    EndpointSet serverEndpoints;
};

void checkPathParameters(Context &ctx, const PathContext &pc, const Node &op, const QList<ReadParameter> &params,
                         const Operation &out)
{
    QStringList declared;
    for (const ReadParameter &p : params) {
        if (p.parameter.in != ParameterLocation::Path)
            continue;
        declared.append(p.parameter.name);
        if (!pc.templateNames.contains(p.parameter.name)) {
            ctx.error(p.useSite, QStringLiteral("path parameter '%1' is declared, but the path '%2' has no "
                                                "'{%1}'%3")
                                     .arg(p.parameter.name, pc.path, didYouMean(p.parameter.name, pc.templateNames)));
        } else if (!p.parameter.required) {
            ctx.warning(p.useSite, QStringLiteral("path parameter '%1' must be marked 'required: true'")
                                       .arg(p.parameter.name));
        }
    }
    for (const QString &name : pc.templateNames) {
        if (!declared.contains(name)) {
            ctx.error(op.keyLocation(), QStringLiteral("%1 %2 declares no path parameter '%3': add one with "
                                                       "'in: path' and 'required: true'")
                                            .arg(out.method, pc.path, name));
        }
    }
}

void readOperation(Context &ctx, ApiSpec &spec, const PathContext &pc, const QString &method,
                   QHash<QString, QString> &operationIds)
{
    const Node op = pc.item[method];
    if (!ctx.isObject(op, method) || !ctx.budget.spend())
        return;
    Operation out;
    out.method = method.toUpper();
    out.pathTemplate = pc.path;
    out.location = op.keyLocation();
    const QString name = out.method + u' ' + pc.path;
    if (const std::optional<QString> id = ctx.string(op[u"operationId"], QStringLiteral("operationId"))) {
        out.operationId = *id;
        const auto previous = operationIds.constFind(*id);
        if (previous != operationIds.constEnd()) {
            ctx.error(op[u"operationId"].location(), QStringLiteral("operationId '%1' is already used by %2; "
                                                                    "each operation needs its own")
                                                         .arg(*id, *previous));
        } else {
            operationIds.insert(*id, QStringLiteral("%1 (line %2)").arg(name).arg(out.location.line));
        }
    }
    out.summary = ctx.string(op[u"summary"], QStringLiteral("summary")).value_or(QString());
    out.tags = ctx.stringList(op[u"tags"], QStringLiteral("tags")).value_or(QStringList());
    out.deprecated = ctx.boolean(op[u"deprecated"], QStringLiteral("deprecated")).value_or(false);

    // Operation-level parameters override path-level ones with the same name and location.
    QList<ReadParameter> params = pc.parameters;
    for (const ReadParameter &p : readParameterList(ctx, op[u"parameters"])) {
        const auto same = std::find_if(params.begin(), params.end(),
                                       [&](const ReadParameter &q) { return sameParameter(p, q); });
        if (same != params.end())
            *same = p;
        else
            params.append(p);
    }
    if (ctx.isSwagger())
        swaggerRequestBody(ctx, op, params, out);
    else
        readRequestBody(ctx, op[u"requestBody"], out);
    checkPathParameters(ctx, pc, op, params, out);
    for (const ReadParameter &p : std::as_const(params))
        out.parameters.append(p.parameter);
    readResponses(ctx, op, out);
    out.security = readSecurity(ctx, op[u"security"], spec);
    out.extensions = readExtensions(ctx, op, ExtensionLevel::Operation, pc.item);
    if (op.has(u"servers")) {
        readServerList(ctx, op[u"servers"], out.servers, out.serverEndpoints, false);
    } else {
        out.servers = pc.servers;
        out.serverEndpoints = pc.serverEndpoints;
    }
    spec.operations.append(out);
}

} // namespace

void readPaths(Context &ctx, ApiSpec &spec)
{
    const Node paths = ctx.root[u"paths"];
    if (!ctx.isObject(paths, QStringLiteral("paths")))
        return;
    QHash<QString, QString> operationIds;
    const QStringList &methods = httpMethods();
    const QStringList pathKeys{QStringLiteral("$ref"), QStringLiteral("summary"), QStringLiteral("description"),
                               QStringLiteral("parameters"), QStringLiteral("servers")};
    for (const QString &path : paths.keys()) {
        if (path.startsWith(u"x-"))
            continue;
        const Node written = paths[path];
        if (!path.startsWith(u'/')) {
            ctx.error(written.keyLocation(), QStringLiteral("path '%1' must start with '/'").arg(path));
            continue;
        }
        PathContext pc;
        pc.path = path;
        if (const QString problem = checkPathTemplate(path, &pc.templateNames); !problem.isEmpty()) {
            ctx.error(written.keyLocation(), QStringLiteral("invalid path template '%1': %2").arg(path, problem));
            continue;
        }
        if (written.has(u"$ref")) {
            for (const QString &key : written.keys()) {
                if (key != u"$ref" && key != u"summary" && key != u"description" && !key.startsWith(u"x-")) {
                    ctx.warning(written[key].keyLocation(),
                                QStringLiteral("'%1' next to $ref in path item '%2' is ignored: the path item "
                                               "comes from the $ref; move '%1' there")
                                    .arg(key, path));
                }
            }
        }
        pc.item = ctx.refs.deref(written);
        if (!pc.item.isValid() || !ctx.isObject(pc.item, QStringLiteral("path item '%1'").arg(path)))
            continue;
        pc.parameters = readParameterList(ctx, pc.item[u"parameters"]);
        if (!ctx.isSwagger())
            readServerList(ctx, pc.item[u"servers"], pc.servers, pc.serverEndpoints, false);
        for (const QString &key : pc.item.keys()) {
            if (methods.contains(key)) {
                if (key == u"trace" && ctx.isSwagger())
                    ctx.warning(pc.item[key].keyLocation(), QStringLiteral("Swagger 2.0 has no 'trace' "
                                                                           "operation; it is read anyway"));
                readOperation(ctx, spec, pc, key, operationIds);
            } else if (!key.startsWith(u"x-") && !pathKeys.contains(key)) {
                ctx.error(pc.item[key].keyLocation(),
                          QStringLiteral("unknown key '%1' in path item '%2'%3: operations are named by "
                                         "HTTP method (%4)")
                              .arg(key, path, didYouMean(key, methods), methods.join(QStringLiteral(", "))));
            }
        }
    }
}

} // namespace Gatehouse::OpenApi
