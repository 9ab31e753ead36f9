// Upstream endpoint extensions: {urls, type, advanceEndpointConfig, securityConfig} as MGW wrote
// them, a bare URL, or a reference into the x-gatehouse-endpoints / x-wso2-endpoints registry.
#include "openapicontext.h"

#include "base/textutil.h"

namespace Gatehouse::OpenApi {

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

namespace {

// h2c:// makes the set HTTP/2; mixed with http:// or https:// URLs it would make the set's protocol
// depend on which endpoint a request gets, so that is an error.
bool checkHttp2Schemes(Context &ctx, EndpointSet &set, const SourceLocation &at)
{
    qsizetype h2c = 0;
    for (const QUrl &url : std::as_const(set.urls))
        h2c += url.scheme().compare(u"h2c", Qt::CaseInsensitive) == 0 ? 1 : 0;
    if (h2c > 0 && h2c < set.urls.size()) {
        ctx.error(at, QStringLiteral("h2c:// and http(s):// URLs are mixed in one endpoint: write them all "
                                     "as http(s):// with 'http2: true', or all as h2c://"));
        return false;
    }
    if (h2c > 0)
        set.http2 = true;
    return true;
}

// {urls, type, advanceEndpointConfig: {timeoutInMillis}, securityConfig: {type, username, password}}
Context::NamedEndpoint parseEndpointObject(Context &ctx, const Node &n, const QString &what)
{
    Context::NamedEndpoint out;
    if (!ctx.isObject(n, what))
        return out;
    warnUnknownKeys(ctx, n, {QStringLiteral("urls"), QStringLiteral("type"), QStringLiteral("http2"),
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
    const Node http2 = n[u"http2"];
    set.http2 = ctx.boolean(http2, QStringLiteral("http2")).value_or(false);
    if (!checkHttp2Schemes(ctx, set, http2.value.isUndefined() ? urls.location() : http2.location()))
        return out;
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

} // namespace

std::optional<EndpointSet> readEndpoints(Context &ctx, const Node &n, const QString &written,
                                         const QString &environment)
{
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
        set.http2 = url.scheme().compare(u"h2c", Qt::CaseInsensitive) == 0;
        return set;
    }
    return parseEndpointObject(ctx, n, written).set;
}

void readEndpointRegistry(Context &ctx, const Node &n, const QString &written)
{
    if (n.value.isObject()) {
        for (const QString &name : n.keys())
            ctx.namedEndpoints.insert(n[name].pointer, parseEndpointObject(ctx, n[name], name));
        return;
    }
    if (!n.value.isArray()) {
        ctx.wrongKind(n, written, QStringLiteral("a map of named endpoints"));
        return;
    }
    for (qsizetype i = 0; i < n.array().size(); ++i) {
        const Node item = n[i];
        if (!item.value.isObject() || item.object().size() != 1) {
            ctx.error(item.location(), QStringLiteral("each item of '%1' must be a map with one key, the "
                                                      "endpoint's name, holding its settings (urls ...)")
                                           .arg(written));
            continue;
        }
        const QString name = item.object().begin().key();
        ctx.namedEndpoints.insert(item[name].pointer, parseEndpointObject(ctx, item[name], name));
    }
}

} // namespace Gatehouse::OpenApi
