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

void warnUnknownKeys(Context &ctx, const Node &object, const QStringList &known, const QString &what)
{
    for (const QString &key : object.keys()) {
        if (!known.contains(key) && !key.startsWith(u"x-")) {
            ctx.warning(object[key].keyLocation(), QStringLiteral("unknown key '%1' in %2%3 is ignored "
                                                                  "(known: %4)")
                                                       .arg(key, what, didYouMean(key, known),
                                                            known.join(QStringLiteral(", "))));
        }
    }
}

// {urls, type, advanceEndpointConfig: {timeoutInMillis}, securityConfig: {type, username, password}}
Context::NamedEndpoint parseEndpointObject(Context &ctx, const Node &n, const QString &what)
{
    Context::NamedEndpoint out;
    if (!ctx.isObject(n, what))
        return out;
    warnUnknownKeys(ctx, n, {QStringLiteral("urls"), QStringLiteral("type"),
                             QStringLiteral("advanceEndpointConfig"), QStringLiteral("securityConfig")},
                    QStringLiteral("the endpoint settings"));
    EndpointSet set;
    set.location = n.location();
    const Node urls = n[u"urls"];
    if (urls.value.isUndefined()) {
        ctx.error(n.location(), QStringLiteral("'%1' has no 'urls': list the upstream URLs").arg(what));
        return out;
    }
    const QStringList written = ctx.stringList(urls, QStringLiteral("urls"), true).value_or(QStringList());
    for (qsizetype i = 0; i < written.size(); ++i) {
        const QUrl url(written[i]);
        if (const QString problem = endpointUrlProblem(url); !problem.isEmpty()) {
            const Node at = urls.value.isArray() ? urls[i] : urls;
            ctx.error(at.location(), QStringLiteral("endpoint URL '%1' is not valid: %2").arg(written[i], problem));
            continue;
        }
        set.urls.append(url);
    }
    if (written.isEmpty() && urls.value.isArray())
        ctx.error(urls.location(), QStringLiteral("'urls' is empty: list at least one upstream URL"));
    set.strategy = set.urls.size() > 1 ? EndpointStrategy::LoadBalance : EndpointStrategy::Single;
    if (const std::optional<QString> type = ctx.string(n[u"type"], QStringLiteral("type"))) {
        const QString t = type->toLower();
        if (t == u"load_balance" || t == u"loadbalance")
            set.strategy = EndpointStrategy::LoadBalance;
        else if (t == u"failover")
            set.strategy = EndpointStrategy::Failover;
        else if (t == u"http" || t == u"https" || t == u"single")
            set.strategy = set.urls.size() > 1 ? EndpointStrategy::LoadBalance : EndpointStrategy::Single;
        else
            ctx.error(n[u"type"].location(), QStringLiteral("unknown endpoint type '%1' (expected "
                                                            "load_balance or failover)")
                                                 .arg(*type));
    }
    const Node advanced = n[u"advanceEndpointConfig"];
    if (ctx.isObject(advanced, QStringLiteral("advanceEndpointConfig"))) {
        warnUnknownKeys(ctx, advanced, {QStringLiteral("timeoutInMillis")},
                        QStringLiteral("advanceEndpointConfig"));
        if (const auto ms = ctx.integer(advanced[u"timeoutInMillis"], QStringLiteral("timeoutInMillis"), 1))
            set.timeout = std::chrono::milliseconds(*ms);
    }
    const Node security = n[u"securityConfig"];
    if (ctx.isObject(security, QStringLiteral("securityConfig"))) {
        warnUnknownKeys(ctx, security, {QStringLiteral("type"), QStringLiteral("username"),
                                        QStringLiteral("password")},
                        QStringLiteral("securityConfig"));
        const QString type = ctx.string(security[u"type"], QStringLiteral("type")).value_or(QStringLiteral("basic"));
        if (type.compare(u"basic", Qt::CaseInsensitive) != 0)
            ctx.error(security[u"type"].location(), QStringLiteral("unsupported upstream security type "
                                                                   "'%1' (only basic is supported)")
                                                        .arg(type));
        set.basicAuthUser = ctx.string(security[u"username"], QStringLiteral("username")).value_or(QString());
        if (set.basicAuthUser.isEmpty())
            ctx.error(security.location(), QStringLiteral("securityConfig needs a 'username' for upstream "
                                                          "Basic authentication"));
        if (const auto password = ctx.string(security[u"password"], QStringLiteral("password"))) {
            set.basicAuthPasswordRef = *password;
            if (!password->startsWith(u"env:")) {
                ctx.warning(security[u"password"].location(),
                            QStringLiteral("a password written in the API file travels with it; write "
                                           "'env:NAME' to read it from the environment instead"));
            }
        } else {
            out.passwordFromEnvironment = true;
        }
    }
    out.set = set;
    return out;
}

// "#/x-gatehouse-endpoints/name" or "#/x-wso2-endpoints/name" (MGW's list of one-key maps).
std::optional<EndpointSet> lookupNamed(Context &ctx, const Node &at, const QString &ref,
                                       const QString &environment)
{
    QString registry;
    for (const QString &prefix : {QStringLiteral("x-gatehouse-endpoints"), QStringLiteral("x-wso2-endpoints")}) {
        if (ref.startsWith(QStringLiteral("#/") + prefix + u'/'))
            registry = prefix;
    }
    if (registry.isEmpty()) {
        ctx.error(at.location(), QStringLiteral("endpoint reference '%1' must have the form "
                                                "'#/x-gatehouse-endpoints/NAME'")
                                     .arg(ref));
        return std::nullopt;
    }
    const std::optional<QStringList> segments = JsonPointer::split(QStringView(ref).mid(1));
    const QString name = segments && segments->size() == 2 ? segments->at(1) : QString();
    const Node list = ctx.root[registry];
    Node entry;
    QStringList names;
    if (list.value.isObject()) {
        names = list.keys();
        if (list.has(name))
            entry = list[name];
    } else if (list.value.isArray()) {
        for (qsizetype i = 0; i < list.array().size(); ++i) {
            const QJsonObject item = list[i].object();
            if (item.size() != 1)
                continue;   // reported when the registry itself is read
            names.append(item.begin().key());
            if (item.begin().key() == name)
                entry = list[i][name];
        }
    }
    if (!entry.isValid()) {
        ctx.error(at.location(), QStringLiteral("endpoint reference '%1' names no endpoint%2 (%3 defines "
                                                "%4)")
                                     .arg(ref, didYouMean(name, names), registry, quotedList(names)));
        return std::nullopt;
    }
    auto cached = ctx.namedEndpoints.find(entry.pointer);
    if (cached == ctx.namedEndpoints.end())
        cached = ctx.namedEndpoints.insert(entry.pointer, parseEndpointObject(ctx, entry, name));
    std::optional<EndpointSet> set = cached->set;
    if (set && cached->passwordFromEnvironment)
        set->basicAuthPasswordRef = QStringLiteral("env:%1_%2_basic_password").arg(name, environment);
    return set;
}

std::optional<EndpointSet> parseEndpoints(Context &ctx, const Entry &e, const QString &environment)
{
    const Node &n = e.value;
    QString ref;
    if (n.value.isString())
        ref = n.value.toString();
    else if (n.value.isObject() && n.has(u"$ref"))
        ref = n[u"$ref"].value.toString();
    if (ref.startsWith(u'#'))
        return lookupNamed(ctx, n, ref, environment);
    if (n.value.isString()) {
        // A bare URL is shorthand for {urls: [URL]}.
        const QUrl url(ref);
        if (const QString problem = endpointUrlProblem(url); !problem.isEmpty()) {
            ctx.error(n.location(), QStringLiteral("endpoint URL '%1' is not valid: %2").arg(ref, problem));
            return std::nullopt;
        }
        EndpointSet set;
        set.urls = {url};
        set.location = n.location();
        return set;
    }
    return parseEndpointObject(ctx, n, e.written).set;
}

void readRegistry(Context &ctx, const Entry &e)
{
    const Node &n = e.value;
    if (n.value.isObject()) {
        for (const QString &name : n.keys())
            ctx.namedEndpoints.insert(n[name].pointer, parseEndpointObject(ctx, n[name], name));
        return;
    }
    if (!n.value.isArray()) {
        ctx.wrongKind(n, e.written, QStringLiteral("a map of named endpoints"));
        return;
    }
    for (qsizetype i = 0; i < n.array().size(); ++i) {
        const Node item = n[i];
        if (!item.value.isObject() || item.object().size() != 1) {
            ctx.error(item.location(), QStringLiteral("each item of '%1' must be a map with one key, the "
                                                      "endpoint's name, holding its settings (urls ...)")
                                           .arg(e.written));
            continue;
        }
        const QString name = item.object().begin().key();
        ctx.namedEndpoints.insert(item[name].pointer, parseEndpointObject(ctx, item[name], name));
    }
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
        out.productionEndpoints = parseEndpoints(ctx, e, QStringLiteral("prod"));
    } else if (name == u"sandbox-endpoints") {
        out.sandboxEndpoints = parseEndpoints(ctx, e, QStringLiteral("sandbox"));
    } else if (name == u"endpoints") {
        readRegistry(ctx, e);
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
