// Security of an OpenAPI document: schemes (2.0 securityDefinitions, 3.x securitySchemes) and
// requirements (OR of ANDs), checked against each other.
#include "openapicontext.h"

#include "base/textutil.h"

namespace Gatehouse::OpenApi {

namespace {

// Scopes of an OAuth2 flow: a map of scope name to description.
void addScopes(Context &ctx, const Node &scopes, SecurityScheme &scheme)
{
    if (!ctx.isObject(scopes, QStringLiteral("scopes")))
        return;
    for (const QString &scope : scopes.keys()) {
        if (!scheme.declaredScopes.contains(scope))
            scheme.declaredScopes.append(scope);
    }
}

void readOAuthUrls(Context &ctx, const Node &flow, SecurityScheme &scheme)
{
    if (scheme.tokenUrl.isEmpty())
        scheme.tokenUrl = ctx.string(flow[u"tokenUrl"], QStringLiteral("tokenUrl")).value_or(QString());
    if (scheme.authorizationUrl.isEmpty())
        scheme.authorizationUrl = ctx.string(flow[u"authorizationUrl"], QStringLiteral("authorizationUrl"))
                                      .value_or(QString());
}

bool readApiKey(Context &ctx, const Node &n, SecurityScheme &s, const QStringList &locations)
{
    s.type = SecuritySchemeType::ApiKey;
    s.apiKeyName = ctx.string(n[u"name"], QStringLiteral("name")).value_or(QString());
    if (s.apiKeyName.isEmpty()) {
        ctx.error(n.location(), QStringLiteral("API-key security scheme '%1' needs a 'name': the header, "
                                               "query parameter or cookie carrying the key")
                                    .arg(s.name));
        return false;
    }
    const QString in = ctx.string(n[u"in"], QStringLiteral("in")).value_or(QString());
    if (in == u"header") {
        s.apiKeyIn = ApiKeyLocation::Header;
    } else if (in == u"query") {
        s.apiKeyIn = ApiKeyLocation::Query;
    } else if (in == u"cookie" && locations.contains(in)) {
        s.apiKeyIn = ApiKeyLocation::Cookie;
    } else {
        ctx.error(n.has(u"in") ? n[u"in"].location() : n.location(),
                  QStringLiteral("API-key security scheme '%1' needs 'in: %2'")
                      .arg(s.name, locations.join(QStringLiteral("' or 'in: "))));
        return false;
    }
    return true;
}

bool readSwaggerScheme(Context &ctx, const Node &n, const QString &type, SecurityScheme &s)
{
    if (type == u"basic") {
        s.type = SecuritySchemeType::HttpBasic;
        return true;
    }
    if (type == u"apiKey")
        return readApiKey(ctx, n, s, {QStringLiteral("header"), QStringLiteral("query")});
    if (type == u"oauth2") {
        s.type = SecuritySchemeType::OAuth2;
        const QString flow = ctx.string(n[u"flow"], QStringLiteral("flow")).value_or(QString());
        const QStringList flows{QStringLiteral("implicit"), QStringLiteral("password"),
                                QStringLiteral("application"), QStringLiteral("accessCode")};
        if (!flows.contains(flow))
            ctx.error(n.has(u"flow") ? n[u"flow"].location() : n.location(),
                      QStringLiteral("OAuth2 security scheme '%1' needs 'flow': one of %2")
                          .arg(s.name, quotedList(flows)));
        readOAuthUrls(ctx, n, s);
        addScopes(ctx, n[u"scopes"], s);
        return true;
    }
    const QStringList types{QStringLiteral("basic"), QStringLiteral("apiKey"), QStringLiteral("oauth2")};
    ctx.error(n[u"type"].location(), QStringLiteral("security scheme '%1' has unknown type '%2'%3 (Swagger "
                                                    "2.0 knows basic, apiKey and oauth2)")
                                         .arg(s.name, type, didYouMean(type, types)));
    return false;
}

bool readOpenApiScheme(Context &ctx, const Node &n, const QString &type, SecurityScheme &s)
{
    if (type == u"apiKey")
        return readApiKey(ctx, n, s, {QStringLiteral("header"), QStringLiteral("query"), QStringLiteral("cookie")});
    if (type == u"http") {
        const std::optional<QString> scheme = ctx.string(n[u"scheme"], QStringLiteral("scheme"));
        if (!scheme) {
            if (!n.has(u"scheme"))
                ctx.error(n.location(), QStringLiteral("HTTP security scheme '%1' needs 'scheme: basic' or "
                                                       "'scheme: bearer'")
                                            .arg(s.name));
            return false;
        }
        const QString lower = scheme->toLower();
        if (lower == u"basic") {
            s.type = SecuritySchemeType::HttpBasic;
            return true;
        }
        if (lower == u"bearer") {
            s.type = SecuritySchemeType::HttpBearer;
            s.bearerFormat = ctx.string(n[u"bearerFormat"], QStringLiteral("bearerFormat")).value_or(QString());
            return true;
        }
        const QString reason = QStringLiteral("HTTP '%1' authentication is not supported by Gatehouse "
                                              "(basic and bearer are)")
                                   .arg(*scheme);
        ctx.warning(n[u"scheme"].location(), QStringLiteral("security scheme '%1': %2").arg(s.name, reason));
        ctx.unusableSchemes.insert(s.name, reason);
        return false;
    }
    if (type == u"oauth2") {
        s.type = SecuritySchemeType::OAuth2;
        const Node flows = n[u"flows"];
        if (!flows.value.isObject()) {
            if (flows.value.isUndefined())
                ctx.error(n.location(), QStringLiteral("OAuth2 security scheme '%1' needs 'flows'").arg(s.name));
            else
                ctx.wrongKind(flows, QStringLiteral("flows"), QStringLiteral("a map"));
            return true;
        }
        const QStringList known{QStringLiteral("implicit"), QStringLiteral("password"),
                                QStringLiteral("clientCredentials"), QStringLiteral("authorizationCode")};
        for (const QString &name : flows.keys()) {
            if (name.startsWith(u"x-"))
                continue;
            const Node flow = flows[name];
            if (!known.contains(name)) {
                ctx.error(flow.keyLocation(), QStringLiteral("unknown OAuth2 flow '%1'%2 (expected %3)")
                                                  .arg(name, didYouMean(name, known), quotedList(known)));
                continue;
            }
            if (!ctx.isObject(flow, name))
                continue;
            readOAuthUrls(ctx, flow, s);
            if (!flow.has(u"scopes"))
                ctx.error(flow.keyLocation(), QStringLiteral("OAuth2 flow '%1' needs 'scopes' (write "
                                                             "'scopes: {}' when there are none)")
                                                  .arg(name));
            addScopes(ctx, flow[u"scopes"], s);
        }
        return true;
    }
    if (type == u"openIdConnect") {
        s.type = SecuritySchemeType::OpenIdConnect;
        s.openIdConnectUrl = ctx.string(n[u"openIdConnectUrl"], QStringLiteral("openIdConnectUrl")).value_or(QString());
        if (!n.has(u"openIdConnectUrl"))
            ctx.error(n.location(), QStringLiteral("OpenID Connect security scheme '%1' needs "
                                                   "'openIdConnectUrl'")
                                        .arg(s.name));
        return true;
    }
    if (type == u"mutualTLS" && ctx.is31()) {
        s.type = SecuritySchemeType::MutualTls;
        return true;
    }
    QStringList types{QStringLiteral("apiKey"), QStringLiteral("http"), QStringLiteral("oauth2"),
                      QStringLiteral("openIdConnect")};
    if (ctx.is31())
        types.append(QStringLiteral("mutualTLS"));
    const QString hint = type == u"mutualTLS" ? QStringLiteral(" (mutualTLS needs OpenAPI 3.1)")
                                              : didYouMean(type, types);
    ctx.error(n[u"type"].location(), QStringLiteral("security scheme '%1' has unknown type '%2'%3 "
                                                    "(expected %4)")
                                         .arg(s.name, type, hint, quotedList(types)));
    return false;
}

QString schemesPlace(const Context &ctx)
{
    return ctx.isSwagger() ? QStringLiteral("securityDefinitions")
                           : QStringLiteral("components.securitySchemes");
}

} // namespace

void readSecuritySchemes(Context &ctx, ApiSpec &spec)
{
    const Node schemes = ctx.isSwagger() ? ctx.root[u"securityDefinitions"]
                                         : ctx.root[u"components"][u"securitySchemes"];
    if (!ctx.isObject(schemes, schemesPlace(ctx)))
        return;
    for (const QString &name : schemes.keys()) {
        if (name.startsWith(u"x-") && ctx.isSwagger())
            continue;
        const Node written = schemes[name];
        const Node n = ctx.refs.deref(written);
        if (!n.isValid()) {
            ctx.unusableSchemes.insert(name, QStringLiteral("its $ref cannot be followed"));
            continue;
        }
        if (!ctx.isObject(n, QStringLiteral("security scheme '%1'").arg(name))) {
            ctx.unusableSchemes.insert(name, QStringLiteral("it is not a map"));
            continue;
        }
        SecurityScheme s;
        s.name = name;
        s.location = written.keyLocation();
        const std::optional<QString> type = ctx.string(n[u"type"], QStringLiteral("type"));
        bool ok = false;
        if (!type) {
            if (!n.has(u"type"))
                ctx.error(n.location(), QStringLiteral("security scheme '%1' has no 'type'").arg(name));
        } else {
            ok = ctx.isSwagger() ? readSwaggerScheme(ctx, n, *type, s) : readOpenApiScheme(ctx, n, *type, s);
        }
        if (ok)
            spec.securitySchemes.insert(name, s);
        else if (!ctx.unusableSchemes.contains(name))
            ctx.unusableSchemes.insert(name, QStringLiteral("its definition has errors"));
    }
}

std::optional<QList<SecurityRequirement>> readSecurity(Context &ctx, const Node &security, const ApiSpec &spec)
{
    if (security.value.isUndefined() || !ctx.isArray(security, QStringLiteral("security")))
        return std::nullopt;
    QList<SecurityRequirement> out;
    for (qsizetype i = 0; i < security.array().size(); ++i) {
        const Node requirement = security[i];
        if (!ctx.isObject(requirement, QStringLiteral("security requirement")))
            continue;
        SecurityRequirement items;
        for (const QString &name : requirement.keys()) {
            const Node scopesNode = requirement[name];
            const QStringList scopes = ctx.stringList(scopesNode, QStringLiteral("scopes of '%1'").arg(name))
                                           .value_or(QStringList());
            items.append({name, scopes});
            const auto scheme = spec.securitySchemes.constFind(name);
            if (scheme == spec.securitySchemes.constEnd()) {
                const QStringList declared = spec.securitySchemes.keys() + ctx.unusableSchemes.keys();
                if (ctx.unusableSchemes.contains(name)) {
                    ctx.error(scopesNode.keyLocation(), QStringLiteral("security requirement uses '%1', which "
                                                                       "cannot be enforced: %2")
                                                            .arg(name, ctx.unusableSchemes.value(name)));
                } else {
                    ctx.error(scopesNode.keyLocation(),
                              QStringLiteral("security requirement uses '%1'%2, but %3 declares no scheme of "
                                             "that name (declared: %4)")
                                  .arg(name, didYouMean(name, declared), schemesPlace(ctx),
                                       quotedList(declared)));
                }
                continue;
            }
            if (scheme->type != SecuritySchemeType::OAuth2)
                continue;   // other schemes' scopes are roles or JWT scopes, declared nowhere
            for (qsizetype s = 0; s < scopes.size(); ++s) {
                if (!scheme->declaredScopes.contains(scopes[s])) {
                    ctx.warning(scopesNode[s].location(),
                                QStringLiteral("scope '%1' is not declared by the OAuth2 scheme '%2'%3 "
                                               "(declared: %4)")
                                    .arg(scopes[s], name, didYouMean(scopes[s], scheme->declaredScopes),
                                         quotedList(scheme->declaredScopes)));
                }
            }
        }
        out.append(items);
    }
    return out;
}

} // namespace Gatehouse::OpenApi
