// Shape rules of the OpenAPI JSON schemas that matter to users: unknown top-level keys, servers,
// parameter styles, example vs examples, links, schema kinds. Checked on the main document.
#include "openapicontext.h"

#include "base/textutil.h"

#include <QRegularExpression>

namespace Gatehouse::OpenApi {

namespace {

constexpr int kMaxNesting = 8;   // callbacks inside callbacks ...

QStringList list(std::initializer_list<const char16_t *> items)
{
    QStringList out;
    for (const char16_t *i : items)
        out.append(QString::fromUtf16(i));
    return out;
}

class StructureChecker
{
public:
    explicit StructureChecker(Context &ctx) : m_ctx(ctx) {}

    void run()
    {
        rootKeys();
        if (m_ctx.isSwagger()) {
            const Node definitions = m_ctx.root[u"definitions"];
            if (m_ctx.isObject(definitions, QStringLiteral("definitions"))) {
                for (const QString &name : definitions.keys())
                    schemaValue(definitions[name], QStringLiteral("schema '%1'").arg(name));
            }
            return;
        }
        const Node license = m_ctx.root[u"info"][u"license"];
        if (m_ctx.is31() && license.has(u"identifier") && license.has(u"url")) {
            m_ctx.error(license[u"identifier"].keyLocation(),
                        QStringLiteral("the license has both 'identifier' and 'url'; give only one"));
        }
        if (m_ctx.is31() && !m_ctx.root.has(u"paths") && !m_ctx.root.has(u"components")
            && !m_ctx.root.has(u"webhooks")) {
            m_ctx.error(m_ctx.root.location(), QStringLiteral("the document has none of 'paths', 'webhooks' "
                                                              "and 'components': an OpenAPI 3.1 document "
                                                              "needs at least one"));
        }
        servers(m_ctx.root[u"servers"]);
        components();
        const Node paths = m_ctx.root[u"paths"];
        for (const QString &path : paths.keys()) {
            if (path.startsWith(u'/'))
                pathItem(paths[path], 0);
        }
        const Node webhooks = m_ctx.root[u"webhooks"];
        if (m_ctx.is31() && m_ctx.isObject(webhooks, QStringLiteral("webhooks"))) {
            for (const QString &name : webhooks.keys())
                pathItem(webhooks[name], 0);
        }
    }

    void parameter(const Node &p)
    {
        if (!m_ctx.budget.spend())
            return;
        if (!p.value.isObject() || p.has(u"$ref"))
            return;
        const QString in = p[u"in"].value.toString();
        const QString style = p[u"style"].value.toString();
        QStringList allowed;
        if (in == u"path")
            allowed = list({u"matrix", u"label", u"simple"});
        else if (in == u"query")
            allowed = list({u"form", u"spaceDelimited", u"pipeDelimited", u"deepObject"});
        else if (in == u"header")
            allowed = list({u"simple"});
        else if (in == u"cookie")
            allowed = list({u"form"});
        if (p.has(u"style") && !allowed.isEmpty() && !allowed.contains(style)) {
            m_ctx.error(p[u"style"].location(), QStringLiteral("style '%1' is not allowed for a %2 parameter "
                                                               "(allowed: %3)")
                                                    .arg(style, in, quotedList(allowed)));
        }
        // allowReserved only makes sense where values are percent-encoded: query, and cookies in
        // the default form style (as the OpenAPI 3.1 schema tests read it).
        const bool encoded = in == u"query" || (in == u"cookie" && (style.isEmpty() || style == u"form"));
        if (p.has(u"allowReserved") && !encoded && !in.isEmpty()) {
            m_ctx.error(p[u"allowReserved"].keyLocation(),
                        QStringLiteral("'allowReserved' is only allowed on query (and form-style cookie) "
                                       "parameters, not on a %1 parameter")
                            .arg(in));
        }
        if (in == u"path" && p[u"name"].value.toString().contains(QRegularExpression(QStringLiteral("[{}]")))) {
            m_ctx.error(p[u"name"].location(), QStringLiteral("a path parameter's name must not contain '{' "
                                                              "or '}'"));
        }
        schemaOrContent(p, QStringLiteral("parameter"));
    }

private:
    void rootKeys()
    {
        QStringList allowed;
        if (m_ctx.isSwagger()) {
            allowed = list({u"swagger", u"info", u"host", u"basePath", u"schemes", u"consumes", u"produces",
                            u"paths", u"definitions", u"parameters", u"responses", u"securityDefinitions",
                            u"security", u"tags", u"externalDocs"});
        } else {
            allowed = list({u"openapi", u"info", u"servers", u"paths", u"components", u"security", u"tags",
                            u"externalDocs"});
            if (m_ctx.is31())
                allowed += list({u"webhooks", u"jsonSchemaDialect"});
        }
        for (const QString &key : m_ctx.root.keys()) {
            if (allowed.contains(key) || key.startsWith(u"x-"))
                continue;
            m_ctx.error(m_ctx.root[key].keyLocation(),
                        QStringLiteral("unknown top-level key '%1'%2 (allowed: %3; extensions start with "
                                       "'x-')")
                            .arg(key, didYouMean(key, allowed), allowed.join(QStringLiteral(", "))));
        }
    }

    void schemaValue(const Node &s, const QString &what)
    {
        if (s.value.isUndefined() || s.value.isObject() || (m_ctx.is31() && s.value.isBool()))
            return;
        m_ctx.error(s.location(), QStringLiteral("%1 must be a schema (a map%2), found %3")
                                      .arg(what, m_ctx.is31() ? QStringLiteral(" or true/false") : QString(),
                                           jsonKindName(s.value)));
    }

    void exampleOrExamples(const Node &n, const QString &what)
    {
        if (n.has(u"example") && n.has(u"examples")) {
            m_ctx.error(n[u"examples"].keyLocation(), QStringLiteral("a %1 may have 'example' or 'examples', "
                                                                     "not both")
                                                          .arg(what));
        }
    }

    void schemaOrContent(const Node &n, const QString &what)
    {
        exampleOrExamples(n, what);
        if (n.has(u"schema") && n.has(u"content")) {
            m_ctx.error(n[u"content"].keyLocation(), QStringLiteral("a %1 has either 'schema' or 'content', "
                                                                    "not both")
                                                         .arg(what));
        }
        schemaValue(n[u"schema"], QStringLiteral("the schema"));
        const Node c = n[u"content"];
        if (c.value.isObject() && c.object().size() != 1) {
            m_ctx.error(c.keyLocation(), QStringLiteral("the 'content' of a %1 must list exactly one media "
                                                        "type")
                                             .arg(what));
        }
        content(c);
    }

    void header(const Node &h)
    {
        if (!m_ctx.budget.spend())
            return;
        if (!h.value.isObject() || h.has(u"$ref"))
            return;
        if (h.has(u"allowReserved")) {
            m_ctx.error(h[u"allowReserved"].keyLocation(),
                        QStringLiteral("'allowReserved' is not allowed on a header (it only applies to "
                                       "query parameters)"));
        }
        if (h.has(u"style") && h[u"style"].value.toString() != u"simple") {
            m_ctx.error(h[u"style"].location(), QStringLiteral("a header's style must be 'simple', found '%1'")
                                                    .arg(h[u"style"].value.toString()));
        }
        schemaOrContent(h, QStringLiteral("header"));
    }

    void content(const Node &c)
    {
        if (!m_ctx.budget.spend())
            return;
        if (!m_ctx.isObject(c, QStringLiteral("content")))
            return;
        for (const QString &type : c.keys()) {
            const Node media = c[type];
            if (!m_ctx.isObject(media, QStringLiteral("media type '%1'").arg(type)))
                continue;
            exampleOrExamples(media, QStringLiteral("media type"));
            schemaValue(media[u"schema"], QStringLiteral("the schema"));
        }
    }

    void response(const Node &r)
    {
        if (!m_ctx.budget.spend())
            return;
        if (!r.value.isObject() || r.has(u"$ref"))
            return;
        const Node headers = r[u"headers"];
        for (const QString &name : headers.keys())
            header(headers[name]);
        content(r[u"content"]);
        const Node links = r[u"links"];
        for (const QString &name : links.keys())
            link(links[name], name);
    }

    void link(const Node &l, const QString &name)
    {
        if (!m_ctx.budget.spend())
            return;
        if (!m_ctx.isObject(l, QStringLiteral("link '%1'").arg(name)) || l.has(u"$ref"))
            return;
        const QStringList allowed = list({u"operationRef", u"operationId", u"parameters", u"requestBody",
                                          u"description", u"server"});
        for (const QString &key : l.keys()) {
            if (!allowed.contains(key) && !key.startsWith(u"x-")) {
                m_ctx.error(l[key].keyLocation(), QStringLiteral("unknown key '%1' in link '%2'%3 (allowed: %4)")
                                                      .arg(key, name, didYouMean(key, allowed),
                                                           allowed.join(QStringLiteral(", "))));
            }
        }
        if (l.has(u"operationRef") == l.has(u"operationId")) {
            m_ctx.error(l.keyLocation(), QStringLiteral("link '%1' needs exactly one of 'operationId' and "
                                                        "'operationRef'")
                                             .arg(name));
        }
        if (l.has(u"server"))
            server(l[u"server"]);
    }

    void servers(const Node &s)
    {
        if (!m_ctx.isArray(s, QStringLiteral("servers")))
            return;
        for (qsizetype i = 0; i < s.array().size(); ++i)
            server(s[i]);
    }

    void server(const Node &s)
    {
        if (!m_ctx.budget.spend())
            return;
        if (!m_ctx.isObject(s, QStringLiteral("server")))
            return;
        if (!s.has(u"url"))
            m_ctx.error(s.location(), QStringLiteral("a server needs a 'url'"));
        const Node variables = s[u"variables"];
        if (!m_ctx.isObject(variables, QStringLiteral("variables")))
            return;
        for (const QString &name : variables.keys()) {
            const Node v = variables[name];
            if (!m_ctx.isObject(v, QStringLiteral("server variable '%1'").arg(name)))
                continue;
            const std::optional<QString> def = m_ctx.string(v[u"default"], QStringLiteral("default"));
            if (!v.has(u"default"))
                m_ctx.error(v.keyLocation(), QStringLiteral("server variable '%1' needs a 'default'").arg(name));
            const Node enumNode = v[u"enum"];
            const std::optional<QStringList> values = m_ctx.stringList(enumNode, QStringLiteral("enum"));
            if (!values)
                continue;
            if (values->isEmpty()) {
                m_ctx.error(enumNode.location(), QStringLiteral("the 'enum' of server variable '%1' is empty: "
                                                                "list at least one value")
                                                     .arg(name));
            } else if (def && !values->contains(*def)) {
                m_ctx.diags.add({m_ctx.is31() ? Severity::Error : Severity::Warning, v[u"default"].location(),
                                 QStringLiteral("the default '%1' of server variable '%2' is not one of its "
                                                "enum values %3")
                                     .arg(*def, name, quotedList(*values))});
            }
        }
    }

    void pathItem(const Node &item, int depth)
    {
        if (!m_ctx.budget.spend())
            return;
        if (!item.value.isObject() || item.has(u"$ref") || depth > kMaxNesting)
            return;
        servers(item[u"servers"]);
        const Node params = item[u"parameters"];
        for (qsizetype i = 0; i < params.array().size(); ++i)
            parameter(params[i]);
        for (const QString &method : httpMethods()) {
            if (item[method].value.isObject())
                operation(item[method], depth);
        }
    }

    void operation(const Node &op, int depth)
    {
        if (!m_ctx.budget.spend())
            return;
        servers(op[u"servers"]);
        const Node params = op[u"parameters"];
        for (qsizetype i = 0; i < params.array().size(); ++i)
            parameter(params[i]);
        const Node body = op[u"requestBody"];
        if (body.value.isObject() && !body.has(u"$ref"))
            content(body[u"content"]);
        const Node responses = op[u"responses"];
        for (const QString &code : responses.keys()) {
            if (!code.startsWith(u"x-"))
                response(responses[code]);
        }
        const Node callbacks = op[u"callbacks"];
        for (const QString &name : callbacks.keys())
            callback(callbacks[name], depth + 1);
    }

    void callback(const Node &c, int depth)
    {
        if (!m_ctx.budget.spend())
            return;
        if (!c.value.isObject() || c.has(u"$ref"))
            return;
        for (const QString &expression : c.keys()) {
            if (!expression.startsWith(u"x-"))
                pathItem(c[expression], depth);
        }
    }

    void components()
    {
        const Node components = m_ctx.root[u"components"];
        if (!m_ctx.isObject(components, QStringLiteral("components")))
            return;
        QStringList sections = list({u"schemas", u"responses", u"parameters", u"examples", u"requestBodies",
                                     u"headers", u"securitySchemes", u"links", u"callbacks"});
        if (m_ctx.is31())
            sections.append(QStringLiteral("pathItems"));
        static const QRegularExpression namePattern(QStringLiteral("^[a-zA-Z0-9._-]+$"));
        for (const QString &section : components.keys()) {
            const Node n = components[section];
            if (section.startsWith(u"x-"))
                continue;
            if (!sections.contains(section)) {
                m_ctx.error(n.keyLocation(), QStringLiteral("unknown key '%1' in components%2 (allowed: %3)")
                                                 .arg(section, didYouMean(section, sections),
                                                      sections.join(QStringLiteral(", "))));
                continue;
            }
            if (!m_ctx.isObject(n, QStringLiteral("components.%1").arg(section)))
                continue;
            for (const QString &name : n.keys()) {
                const Node item = n[name];
                if (!namePattern.match(name).hasMatch()) {
                    m_ctx.warning(item.keyLocation(), QStringLiteral("component name '%1' should use only "
                                                                     "letters, digits, '.', '_' and '-'")
                                                          .arg(name));
                }
                if (section == u"schemas")
                    schemaValue(item, QStringLiteral("schema '%1'").arg(name));
                else if (section == u"responses")
                    response(item);
                else if (section == u"parameters")
                    parameter(item);
                else if (section == u"requestBodies" && item.value.isObject() && !item.has(u"$ref"))
                    content(item[u"content"]);
                else if (section == u"headers")
                    header(item);
                else if (section == u"links")
                    link(item, name);
                else if (section == u"callbacks")
                    callback(item, 1);
                else if (section == u"pathItems")
                    pathItem(item, 0);
            }
        }
    }

    Context &m_ctx;
};

} // namespace

void checkStructure(Context &ctx)
{
    StructureChecker(ctx).run();
}

void checkParameterObject(Context &ctx, const Node &parameter)
{
    if (!ctx.isSwagger())
        StructureChecker(ctx).parameter(parameter);
}

} // namespace Gatehouse::OpenApi
