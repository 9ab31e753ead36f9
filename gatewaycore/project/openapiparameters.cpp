// Parameters of an OpenAPI operation: reading a parameter list (after $ref), Swagger 2 inline
// schemas, and the name+in identity operation-level parameters override path-level ones by.
#include "openapicontext.h"

#include "base/textutil.h"

namespace Gatehouse::OpenApi {

namespace {

ParameterLocation locationOf(const QString &in)
{
    if (in == u"path")
        return ParameterLocation::Path;
    if (in == u"header")
        return ParameterLocation::Header;
    if (in == u"cookie")
        return ParameterLocation::Cookie;
    return ParameterLocation::Query;
}

// Swagger 2 describes non-body parameters with schema keywords inline; gather them into a schema.
QJsonObject swaggerParameterSchema(const QJsonObject &p)
{
    static const QStringList keywords{
        QStringLiteral("type"),      QStringLiteral("format"),        QStringLiteral("items"),
        QStringLiteral("default"),   QStringLiteral("maximum"),       QStringLiteral("exclusiveMaximum"),
        QStringLiteral("minimum"),   QStringLiteral("exclusiveMinimum"), QStringLiteral("maxLength"),
        QStringLiteral("minLength"), QStringLiteral("pattern"),       QStringLiteral("maxItems"),
        QStringLiteral("minItems"),  QStringLiteral("uniqueItems"),   QStringLiteral("enum"),
        QStringLiteral("multipleOf")};
    QJsonObject schema;
    for (const QString &k : keywords) {
        if (p.contains(k))
            schema.insert(k, p.value(k));
    }
    if (schema.value(QStringLiteral("type")).toString() == u"file") {
        schema.insert(QStringLiteral("type"), QStringLiteral("string"));
        schema.insert(QStringLiteral("format"), QStringLiteral("binary"));
    }
    return schema;
}

} // namespace

bool sameParameter(const ReadParameter &a, const ReadParameter &b)
{
    if (a.in != b.in)
        return false;
    // Header names are case-insensitive; everything else is compared as written.
    return a.parameter.name.compare(b.parameter.name,
                                    a.in == u"header" ? Qt::CaseInsensitive : Qt::CaseSensitive)
           == 0;
}

QList<ReadParameter> readParameterList(Context &ctx, const Node &list)
{
    QList<ReadParameter> out;
    if (!ctx.isArray(list, QStringLiteral("parameters")))
        return out;
    const QStringList ins = ctx.isSwagger()
                                ? QStringList{QStringLiteral("query"), QStringLiteral("header"), QStringLiteral("path"),
                                              QStringLiteral("formData"), QStringLiteral("body")}
                                : QStringList{QStringLiteral("query"), QStringLiteral("header"), QStringLiteral("path"),
                                              QStringLiteral("cookie")};
    for (qsizetype i = 0; i < list.array().size() && ctx.budget.spend(); ++i) {
        const Node written = list[i];
        const Node n = ctx.refs.deref(written);
        if (!n.isValid() || !ctx.isObject(n, QStringLiteral("parameter")))
            continue;
        ReadParameter r;
        r.node = n;
        r.useSite = written.location();
        r.parameter.location = n.location();
        const std::optional<QString> name = ctx.string(n[u"name"], QStringLiteral("name"));
        if (!name) {
            if (!n.has(u"name"))
                ctx.error(n.location(), QStringLiteral("a parameter needs a 'name'"));
            continue;
        }
        r.parameter.name = *name;
        r.in = ctx.string(n[u"in"], QStringLiteral("in")).value_or(QString());
        if (!ins.contains(r.in)) {
            ctx.error(n.has(u"in") ? n[u"in"].location() : n.location(),
                      QStringLiteral("parameter '%1' needs 'in' set to one of %2%3")
                          .arg(*name, quotedList(ins), r.in.isEmpty() ? QString() : didYouMean(r.in, ins)));
            continue;
        }
        r.parameter.in = locationOf(r.in);
        r.parameter.required = ctx.boolean(n[u"required"], QStringLiteral("required")).value_or(false);
        r.parameter.style = ctx.string(n[u"style"], QStringLiteral("style")).value_or(QString());
        if (n.has(u"explode"))
            r.parameter.explode = ctx.boolean(n[u"explode"], QStringLiteral("explode"));
        else if (ctx.isSwagger() && n.has(u"collectionFormat"))
            r.parameter.explode = n[u"collectionFormat"].value.toString() == u"multi";
        if (ctx.isSwagger() && r.in != u"body") {
            if (!n.has(u"type"))
                ctx.error(n.location(), QStringLiteral("parameter '%1' needs a 'type' (Swagger 2.0)").arg(*name));
            else if (n[u"type"].value.toString() == u"file" && r.in != u"formData")
                ctx.error(n[u"type"].location(), QStringLiteral("'type: file' is only allowed for 'in: "
                                                                "formData' parameters"));
            r.parameter.schema = swaggerParameterSchema(n.object());
        } else if (n.has(u"schema")) {
            r.parameter.schema = ctx.refs.inlineSchema(n[u"schema"]);
        } else if (n[u"content"].value.isObject() && !n[u"content"].object().isEmpty()) {
            const Node content = n[u"content"];
            r.parameter.schema = ctx.refs.inlineSchema(content[content.keys().first()][u"schema"]);
        } else if (ctx.isSwagger()) {
            ctx.error(n.location(), QStringLiteral("body parameter '%1' needs a 'schema'").arg(*name));
        }
        if (n.doc != ctx.docs.main())
            checkParameterObject(ctx, n);   // main-document parameters are checked in place
        bool duplicate = false;
        for (const ReadParameter &other : std::as_const(out)) {
            if (sameParameter(other, r)) {
                ctx.error(written.location(), QStringLiteral("parameter '%1' (in: %2) is declared twice in "
                                                             "this list")
                                                  .arg(*name, r.in));
                duplicate = true;
            }
        }
        if (!duplicate)
            out.append(r);
    }
    return out;
}

} // namespace Gatehouse::OpenApi
