// Gateway extensions of an OpenAPI document: x-gatehouse-* and their WSO2 MGW 3.x x-wso2-* aliases.
#include "openapicontext.h"

#include "base/textutil.h"

#include <QMap>

namespace Gatehouse::OpenApi {

namespace {

enum class Form { Legacy = 1, Wso2, Gatehouse };   // higher wins when two forms are written

struct Known
{
    const char16_t *name;   // the x-gatehouse- suffix
    bool apiOnly;
};

// Every extension Gatehouse reads. MGW writes each as x-wso2-<name> (see aliasOf for the rest).
constexpr Known kKnown[] = {
    {u"basePath", true},
    {u"production-endpoints", false},
    {u"sandbox-endpoints", false},
    {u"endpoints", true},
    {u"throttling-tier", false},
    {u"disable-security", false},
    {u"auth-header", false},
    {u"scopes", false},
    {u"request-policies", false},
    {u"response-policies", false},
    {u"cors", false},
    {u"application-security", false},
    {u"transports", true},
    {u"mutual-ssl", true},
    {u"pass-request-payload-to-interceptor", false},
    {u"response-cache", true},
    {u"owner", true},
};

QStringList knownNames()
{
    QStringList names;
    for (const Known &k : kKnown)
        names.append(QStringLiteral("x-gatehouse-") + QString::fromUtf16(k.name));
    return names;
}

const Known *findKnown(QStringView name)
{
    for (const Known &k : kKnown) {
        if (name == QStringView(k.name))
            return &k;
    }
    return nullptr;
}

// The canonical name an MGW or API Manager extension stands for; empty when unknown.
QString aliasOf(const QString &key, Form *form)
{
    if (key == u"x-throttling-tier") {
        *form = Form::Legacy;   // API Manager exports carry it on every operation
        return QStringLiteral("throttling-tier");
    }
    if (key == u"x-auth-type") {
        *form = Form::Legacy;   // MGW honours only the value "None"
        return QStringLiteral("disable-security");
    }
    if (!key.startsWith(u"x-wso2-"))
        return {};
    *form = Form::Wso2;
    const QString rest = key.mid(7);
    if (rest == u"request-interceptor")
        return QStringLiteral("request-policies");
    if (rest == u"response-interceptor")
        return QStringLiteral("response-policies");
    if (rest == u"scopes" || rest == u"request-policies" || rest == u"response-policies")
        return {};   // Gatehouse-only extensions have no MGW spelling
    return findKnown(rest) ? rest : QString();
}

struct Entry
{
    Node value;
    QString written;   // the key as written, for messages
    Form form = Form::Gatehouse;
};

QMap<QString, Entry> collect(Context &ctx, const Node &owner, ExtensionLevel level)
{
    QMap<QString, Entry> entries;
    if (!owner.value.isObject())
        return entries;
    for (const QString &key : owner.keys()) {
        if (!key.startsWith(u"x-"))
            continue;
        const Node value = owner[key];
        Form form = Form::Gatehouse;
        QString canonical;
        if (key.startsWith(u"x-gatehouse-")) {
            canonical = key.mid(12);
            if (!findKnown(canonical)) {
                const QStringList known = knownNames();
                ctx.warning(value.keyLocation(), QStringLiteral("unknown extension '%1'%2 is ignored "
                                                                "(known: %3)")
                                                     .arg(key, didYouMean(key, known),
                                                          known.join(QStringLiteral(", "))));
                continue;
            }
        } else {
            canonical = aliasOf(key, &form);
            if (canonical.isEmpty()) {
                if (key.startsWith(u"x-wso2-")) {
                    ctx.warning(value.keyLocation(), QStringLiteral("the MGW extension '%1' is not "
                                                                    "supported by Gatehouse and is "
                                                                    "ignored")
                                                         .arg(key));
                }
                continue;   // other vendors' extensions are none of our business
            }
        }
        if (level != ExtensionLevel::Api && findKnown(canonical)->apiOnly) {
            ctx.warning(value.keyLocation(), QStringLiteral("'%1' applies to the whole API: write it at "
                                                            "the top level of the document; here it is "
                                                            "ignored")
                                                 .arg(key));
            continue;
        }
        const auto existing = entries.find(canonical);
        if (existing == entries.end()) {
            entries.insert(canonical, {value, key, form});
            continue;
        }
        const bool replace = form > existing->form;
        const Entry loser = replace ? *existing : Entry{value, key, form};
        const QString winner = replace ? key : existing->written;
        ctx.warning(loser.value.keyLocation(), QStringLiteral("both '%1' and '%2' are set; '%1' is used")
                                                   .arg(winner, loser.written));
        if (replace)
            *existing = {value, key, form};
    }
    return entries;
}

bool isHeaderToken(const QString &name)
{
    if (name.isEmpty())
        return false;
    for (QChar c : name) {
        const ushort u = c.unicode();
        const bool ok = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9')
                        || QStringView(u"!#$%&'*+-.^_`|~").contains(c);
        if (!ok)
            return false;
    }
    return true;
}

QList<PolicyAttachment> parsePolicies(Context &ctx, const Entry &e)
{
    QList<PolicyAttachment> out;
    const Node &n = e.value;
    if (e.form == Form::Wso2) {
        // MGW interceptors (a Ballerina function or "java:Class") become one policy attachment.
        if (const std::optional<QString> ref = ctx.string(n, e.written)) {
            QJsonObject settings;
            settings.insert(QStringLiteral("ref"), *ref);
            out.append({QStringLiteral("interceptor"), settings, n.location()});
        }
        return out;
    }
    if (!ctx.isArray(n, e.written))
        return out;
    for (qsizetype i = 0; i < n.array().size(); ++i) {
        const Node item = n[i];
        if (item.value.isString()) {
            out.append({item.value.toString(), {}, item.location()});
            continue;
        }
        if (!ctx.isObject(item, e.written + QStringLiteral(" item")))
            continue;
        warnUnknownKeys(ctx, item, {QStringLiteral("name"), QStringLiteral("settings")},
                        QStringLiteral("a policy attachment"));
        const std::optional<QString> name = ctx.string(item[u"name"], QStringLiteral("name"));
        if (!name || name->isEmpty()) {
            if (!item.has(u"name") || name)
                ctx.error(item.location(), QStringLiteral("a policy attachment needs a 'name'"));
            continue;
        }
        QJsonObject settings;
        if (ctx.isObject(item[u"settings"], QStringLiteral("settings")))
            settings = item[u"settings"].object();
        out.append({*name, settings, item.location()});
    }
    return out;
}

std::optional<CorsSettings> parseCors(Context &ctx, const Entry &e)
{
    const Node &n = e.value;
    if (!ctx.isObject(n, e.written))
        return std::nullopt;
    const QStringList known{QStringLiteral("corsConfigurationEnabled"), QStringLiteral("accessControlAllowOrigins"),
                            QStringLiteral("accessControlAllowCredentials"), QStringLiteral("accessControlAllowHeaders"),
                            QStringLiteral("accessControlAllowMethods"), QStringLiteral("accessControlExposeHeaders"),
                            QStringLiteral("accessControlMaxAge")};
    warnUnknownKeys(ctx, n, known, e.written);
    CorsSettings cors;
    cors.location = n.location();
    // Writing the extension means wanting CORS; MGW's flag can still switch it off.
    cors.enabled = ctx.boolean(n[u"corsConfigurationEnabled"], known[0]).value_or(true);
    cors.allowOrigins = ctx.stringList(n[u"accessControlAllowOrigins"], known[1], true).value_or(QStringList());
    cors.allowCredentials = ctx.boolean(n[u"accessControlAllowCredentials"], known[2]).value_or(false);
    cors.allowHeaders = ctx.stringList(n[u"accessControlAllowHeaders"], known[3], true).value_or(QStringList());
    for (const QString &m : ctx.stringList(n[u"accessControlAllowMethods"], known[4], true).value_or(QStringList()))
        cors.allowMethods.append(m.toUpper());
    cors.exposeHeaders = ctx.stringList(n[u"accessControlExposeHeaders"], known[5], true).value_or(QStringList());
    if (const auto age = ctx.integer(n[u"accessControlMaxAge"], known[6], 0))
        cors.maxAge = std::chrono::seconds(*age);
    if (cors.allowCredentials && cors.allowOrigins.contains(QStringLiteral("*"))) {
        ctx.warning(n[u"accessControlAllowCredentials"].location(),
                    QStringLiteral("browsers refuse credentials when the allowed origin is '*': list "
                                   "the origins instead"));
    }
    return cors;
}

void parseApplicationSecurity(Context &ctx, const Entry &e, GatewayExtensions &out)
{
    const Node &n = e.value;
    if (!ctx.isObject(n, e.written))
        return;
    warnUnknownKeys(ctx, n, {QStringLiteral("security-types"), QStringLiteral("optional")}, e.written);
    const QStringList allowed{QStringLiteral("oauth2"), QStringLiteral("basic_auth"), QStringLiteral("api_key")};
    const Node types = n[u"security-types"];
    const QStringList list = ctx.stringList(types, QStringLiteral("security-types")).value_or(QStringList());
    for (qsizetype i = 0; i < list.size(); ++i) {
        if (allowed.contains(list[i]))
            out.applicationSecurity.append(list[i]);
        else
            ctx.error(types[i].location(), QStringLiteral("unknown application security type '%1'%2 "
                                                          "(expected oauth2, basic_auth or api_key)")
                                               .arg(list[i], didYouMean(list[i], allowed)));
    }
    out.applicationSecurityOptional = ctx.boolean(n[u"optional"], QStringLiteral("optional")).value_or(false);
}

void apply(Context &ctx, const QString &name, const Entry &e, GatewayExtensions &out)
{
    const Node &n = e.value;
    if (name == u"production-endpoints") {
        out.productionEndpoints = readEndpoints(ctx, n, e.written, QStringLiteral("prod"));
    } else if (name == u"sandbox-endpoints") {
        out.sandboxEndpoints = readEndpoints(ctx, n, e.written, QStringLiteral("sandbox"));
    } else if (name == u"endpoints") {
        readEndpointRegistry(ctx, n, e.written);
    } else if (name == u"throttling-tier") {
        const QString tier = ctx.string(n, e.written).value_or(QString()).trimmed();
        if (tier.isEmpty() && n.value.isString())
            ctx.error(n.location(), QStringLiteral("'%1' is empty: name a tier from gatehouse.yaml").arg(e.written));
        out.throttlingTier = tier;
        out.throttlingTierLocation = n.location();
    } else if (name == u"disable-security") {
        if (e.form == Form::Legacy) {
            if (n.value.toString().compare(u"None", Qt::CaseInsensitive) == 0)
                out.disableSecurity = true;
        } else {
            out.disableSecurity = ctx.boolean(n, e.written);
        }
    } else if (name == u"auth-header") {
        const QString header = ctx.string(n, e.written).value_or(QString());
        if (n.value.isString() && !isHeaderToken(header))
            ctx.error(n.location(), QStringLiteral("'%1' is not a valid header name").arg(header));
        else
            out.authHeader = header;
    } else if (name == u"scopes") {
        for (const QString &s : ctx.stringList(n, e.written, true).value_or(QStringList()))
            out.scopes.append(s.split(u' ', Qt::SkipEmptyParts));
    } else if (name == u"request-policies") {
        out.requestPolicies = parsePolicies(ctx, e);
    } else if (name == u"response-policies") {
        out.responsePolicies = parsePolicies(ctx, e);
    } else if (name == u"cors") {
        out.cors = parseCors(ctx, e);
    } else if (name == u"application-security") {
        parseApplicationSecurity(ctx, e, out);
    } else if (name == u"transports") {
        const QStringList list = ctx.stringList(n, e.written, true).value_or(QStringList());
        for (qsizetype i = 0; i < list.size(); ++i) {
            const QString t = list[i].toLower();
            if (t == u"http" || t == u"https")
                out.transports.append(t);
            else
                ctx.error((n.value.isArray() ? n[i] : n).location(),
                          QStringLiteral("unknown transport '%1' (expected http or https)").arg(list[i]));
        }
    } else if (name == u"mutual-ssl") {
        const QString mode = ctx.string(n, e.written).value_or(QString()).toLower();
        if (mode == u"mandatory" || mode == u"optional")
            out.mutualSsl = mode;
        else if (n.value.isString())
            ctx.error(n.location(), QStringLiteral("'%1' must be 'mandatory' or 'optional'").arg(e.written));
    } else if (name == u"pass-request-payload-to-interceptor") {
        out.passRequestPayloadToInterceptor = ctx.boolean(n, e.written);
    } else if (name == u"response-cache") {
        if (!ctx.isObject(n, e.written))
            return;
        warnUnknownKeys(ctx, n, {QStringLiteral("enabled"), QStringLiteral("cacheTimeoutInSeconds")}, e.written);
        const bool enabled = ctx.boolean(n[u"enabled"], QStringLiteral("enabled")).value_or(true);
        const qint64 timeout = ctx.integer(n[u"cacheTimeoutInSeconds"], QStringLiteral("cacheTimeoutInSeconds"), 1)
                                   .value_or(300);
        if (enabled)
            out.responseCacheTimeout = std::chrono::seconds(timeout);
    } else if (name == u"owner") {
        out.owner = ctx.string(n, e.written).value_or(QString());
    }
    // basePath is read by readBasePathExtension(): it needs info.version.
}

} // namespace

GatewayExtensions readExtensions(Context &ctx, const Node &owner, ExtensionLevel level, const Node &pathItem)
{
    QMap<QString, Entry> entries;
    if (level == ExtensionLevel::Operation && pathItem.value.isObject())
        entries = collect(ctx, pathItem, ExtensionLevel::PathItem);
    const QMap<QString, Entry> own = collect(ctx, owner, level);
    for (auto it = own.begin(); it != own.end(); ++it)
        entries.insert(it.key(), it.value());   // the operation's own win over its path item's
    GatewayExtensions out;
    // The registry first, so references to it are parsed against its entries.
    if (const auto registry = entries.constFind(QStringLiteral("endpoints")); registry != entries.constEnd())
        apply(ctx, registry.key(), *registry, out);
    for (auto it = entries.constBegin(); it != entries.constEnd(); ++it) {
        if (it.key() != u"endpoints")
            apply(ctx, it.key(), it.value(), out);
    }
    return out;
}

QString readBasePathExtension(Context &ctx, SourceLocation *where)
{
    const Node gatehouse = ctx.root[u"x-gatehouse-basePath"];
    const Node n = gatehouse.value.isUndefined() ? ctx.root[u"x-wso2-basePath"] : gatehouse;
    if (n.value.isUndefined())
        return {};
    const QString name = gatehouse.value.isUndefined() ? QStringLiteral("x-wso2-basePath")
                                                       : QStringLiteral("x-gatehouse-basePath");
    const QString path = ctx.string(n, name).value_or(QString());
    *where = n.location();
    if (n.value.isString() && !path.startsWith(u'/')) {
        ctx.error(n.location(), QStringLiteral("'%1' must start with '/', for example '/petstore/{version}'")
                                    .arg(name));
        return {};
    }
    return path;
}

} // namespace Gatehouse::OpenApi
