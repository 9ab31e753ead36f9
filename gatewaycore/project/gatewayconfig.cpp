// Compiling a loaded project into the immutable GatewayConfig the data plane runs.
#include "gatewayconfig.h"

#include "project.h"

#include <QCryptographicHash>

namespace Gatehouse {

namespace {

QString joinPath(const QString &base, const QString &path)
{
    if (base.isEmpty() || base == u"/")
        return path;
    if (base.endsWith(u'/'))
        return base.chopped(1) + path;
    return base + path;
}

// gRPC security kinds map onto synthetic schemes so that REST and gRPC share one authenticator.
SecurityScheme grpcScheme(const QString &kind)
{
    SecurityScheme s;
    s.name = kind;
    if (kind == u"basic") {
        s.type = SecuritySchemeType::HttpBasic;
    } else if (kind == u"apikey") {
        s.type = SecuritySchemeType::ApiKey;
        s.apiKeyName = QStringLiteral("apikey");
        s.apiKeyIn = ApiKeyLocation::Header;
    } else if (kind == u"jwt") {
        s.type = SecuritySchemeType::HttpBearer;
        s.bearerFormat = QStringLiteral("JWT");
    } else {
        s.type = SecuritySchemeType::OAuth2;
    }
    return s;
}

class Compiler
{
public:
    Compiler(const Project &project, Diagnostics &diagnostics) : m_project(project), m_diags(diagnostics)
    {
        m_config = std::make_shared<GatewayConfig>();
        m_config->projectDir = project.rootDir;
        m_config->settings = project.settings;
    }

    std::shared_ptr<GatewayConfig> run()
    {
        for (const ApiSpec &api : m_project.apis)
            compileApi(api);
        for (const GrpcService &service : m_project.protos.services)
            compileService(service);
        compileBuiltins();
        if (m_diags.hasErrors())
            return nullptr;
        m_config->fingerprint = m_hash.result();
        return m_config;
    }

private:
    static void setNameBytes(Route &route)
    {
        route.pathTemplateBytes = route.pathTemplate.toUtf8();
        route.apiNameBytes = route.api ? route.api->name.toUtf8() : QByteArray();
    }

    void addRoute(Route route)
    {
        route.id = int(m_config->routes.size());
        const UpstreamProtocol protocol = route.kind == RouteKind::Grpc || route.endpoints.http2
                                              ? UpstreamProtocol::Http2
                                              : UpstreamProtocol::Http1;
        for (const QUrl &url : route.endpoints.urls)
            route.upstreams.append(UpstreamEndpoint::fromUrl(url, protocol));
        if (route.kind == RouteKind::Rest && route.api && route.api->basePath != u"/")
            route.basePath = route.api->basePath.toUtf8();
        setNameBytes(route);
        int other = -1;
        const auto added = m_config->router.add(route.method.toLatin1(), route.pathTemplate, route.id,
                                                &other);
        if (!added) {
            if (other >= 0 && other < m_config->routes.size()) {
                m_diags.error(route.location, QStringLiteral("duplicate route %1 %2: also defined at %3")
                                                  .arg(route.method, route.pathTemplate,
                                                       m_config->routes.at(other).location.toString()));
            } else {
                m_diags.error(route.location, added.error().message);
            }
            return;
        }
        hashRoute(route);
        m_config->routes.append(std::move(route));
    }

    void hashRoute(const Route &r)
    {
        auto add = [this](const QString &s) {
            m_hash.addData(s.toUtf8());
            m_hash.addData(QByteArrayView("\0", 1));
        };
        add(r.method);
        add(r.pathTemplate);
        add(r.operationId);
        for (const QUrl &u : r.endpoints.urls)
            add(u.toString());
        add(QString::number(int(r.endpoints.strategy)));
        add(r.endpoints.http2 ? QStringLiteral("h2") : QStringLiteral("h1"));
        for (const SecurityRequirement &req : r.security) {
            for (const SecurityRequirementItem &item : req)
                add(item.scheme + u'|' + item.scopes.join(u' '));
            add(QStringLiteral("||"));
        }
        add(r.securityDisabled ? QStringLiteral("open") : QStringLiteral("secured"));
        add(r.requiredScopes.join(u' '));
        add(r.apiTier + u'/' + r.resourceTier);
        for (const PolicyAttachment &p : r.requestPolicies + r.responsePolicies)
            add(p.name);
    }

    void compileApi(const ApiSpec &api)
    {
        auto apiConfig = std::make_shared<ApiConfig>();
        apiConfig->name = api.title;
        apiConfig->version = api.apiVersion;
        apiConfig->file = api.file;
        apiConfig->basePath = api.basePath;
        apiConfig->securitySchemes = api.securitySchemes;
        m_config->apis.append(apiConfig);

        const GatewayExtensions &ax = api.extensions;
        for (const Operation &op : api.operations) {
            const GatewayExtensions &ox = op.extensions;
            Route r;
            r.kind = RouteKind::Rest;
            r.api = apiConfig;
            r.method = op.method;
            r.pathTemplate = joinPath(api.basePath, op.pathTemplate);
            r.operationId = op.operationId;
            r.endpoints = effectiveEndpoints(api, op);
            r.sandboxEndpoints = ox.sandboxEndpoints ? ox.sandboxEndpoints : ax.sandboxEndpoints;
            r.securityDisabled = ox.disableSecurity.value_or(ax.disableSecurity.value_or(false));
            if (!r.securityDisabled)
                r.security = op.security ? *op.security : api.security;
            r.authHeader = !ox.authHeader.isEmpty()   ? ox.authHeader
                           : !ax.authHeader.isEmpty() ? ax.authHeader
                                                      : m_project.settings.security.defaultAuthHeader;
            r.requiredScopes = ax.scopes + ox.scopes;
            r.requiredScopes.removeDuplicates();
            r.apiTier = ax.throttlingTier;
            r.resourceTier = ox.throttlingTier;
            r.requestPolicies = ax.requestPolicies + ox.requestPolicies;
            r.responsePolicies = ox.responsePolicies + ax.responsePolicies;
            r.cors = ox.cors ? ox.cors : ax.cors;
            r.location = op.location;
            r.operation = std::make_shared<const OperationSource>(OperationSource{op, api.version, api.document});
            addRoute(std::move(r));
        }
        addPreflightRoutes(api);
    }

    // Browsers send CORS preflights as OPTIONS, which OpenAPI documents rarely declare: a path
    // with CORS and no OPTIONS operation gets a route that only the CORS stage answers.
    void addPreflightRoutes(const ApiSpec &api)
    {
        QStringList served;
        for (const Operation &op : api.operations) {
            if (op.method == u"OPTIONS")
                served.append(op.pathTemplate);
        }
        for (const Operation &op : api.operations) {
            const std::optional<CorsSettings> &cors = op.extensions.cors ? op.extensions.cors : api.extensions.cors;
            if (!cors || !cors->enabled || served.contains(op.pathTemplate))
                continue;
            served.append(op.pathTemplate);
            Route r;
            r.kind = RouteKind::Rest;
            r.api = m_config->apis.last();
            r.method = QStringLiteral("OPTIONS");
            r.pathTemplate = joinPath(api.basePath, op.pathTemplate);
            r.securityDisabled = true;
            r.cors = cors;
            r.corsPreflight = true;
            r.location = cors->location;
            r.id = int(m_config->routes.size());
            setNameBytes(r);
            if (!m_config->router.add(r.method.toLatin1(), r.pathTemplate, r.id))
                continue;   // an equivalent OPTIONS route of another API answers instead
            hashRoute(r);
            m_config->routes.append(std::move(r));
        }
    }

    void compileService(const GrpcService &service)
    {
        auto apiConfig = std::make_shared<ApiConfig>();
        apiConfig->name = service.fullName;
        apiConfig->file = service.file;
        QStringList kinds = service.security.isEmpty() ? QStringList{QStringLiteral("oauth2")}
                                                       : service.security;
        const bool open = kinds.contains(QStringLiteral("none"));
        kinds.removeAll(QStringLiteral("none"));
        for (const QString &kind : kinds)
            apiConfig->securitySchemes.insert(kind, grpcScheme(kind));
        m_config->apis.append(apiConfig);

        EndpointSet endpoints = service.endpoints;
        if (endpoints.isEmpty()) {
            endpoints.urls = m_project.settings.grpcEndpoints.value(service.fullName);
            endpoints.strategy = endpoints.urls.size() > 1 ? EndpointStrategy::LoadBalance
                                                           : EndpointStrategy::Single;
        }
        for (const GrpcMethod &method : service.methods) {
            Route r;
            r.kind = RouteKind::Grpc;
            r.api = apiConfig;
            r.method = QStringLiteral("POST");
            r.pathTemplate = method.path(service.fullName);
            r.operationId = service.fullName + u'/' + method.name;
            r.endpoints = endpoints;
            r.securityDisabled = open;
            if (!open) {
                for (const QString &kind : kinds)
                    r.security.append({SecurityRequirementItem{kind, method.scopes}});
            }
            r.authHeader = m_project.settings.security.defaultAuthHeader;
            r.apiTier = service.throttlingTier;
            r.resourceTier = method.throttlingTier;
            r.clientStreaming = method.clientStreaming;
            r.serverStreaming = method.serverStreaming;
            r.location = method.location;
            r.cors = m_project.settings.grpcCors;
            addRoute(std::move(r));
        }
        if (m_project.settings.grpcCors && m_project.settings.grpcCors->enabled)
            addGrpcPreflightRoutes(service, apiConfig);
        for (const GrpcMethod &method : service.methods) {
            if (!method.httpRule)
                continue;
            for (Route &r : transcodedRoutes(service, method)) {
                r.api = apiConfig;
                r.endpoints = endpoints;
                r.securityDisabled = open;
                if (!open) {
                    for (const QString &kind : kinds)
                        r.security.append({SecurityRequirementItem{kind, method.scopes}});
                }
                r.authHeader = m_project.settings.security.defaultAuthHeader;
                r.apiTier = service.throttlingTier;
                r.resourceTier = method.throttlingTier;
                addRoute(std::move(r));
            }
        }
    }

    // google.api.http: the method's rule and its additional bindings as REST routes. They keep
    // the gRPC route's kind and operationId, so that rate limits count them with the method.
    QList<Route> transcodedRoutes(const GrpcService &service, const GrpcMethod &method)
    {
        QList<Route> out;
        if (method.clientStreaming) {
            m_diags.warning(method.httpRule->location,
                            QStringLiteral("google.api.http on %1 streaming method %2: its REST routes answer 501 "
                                           "(a REST request is one message)")
                                .arg(method.serverStreaming ? QStringLiteral("bidirectional") : QStringLiteral("client"),
                                     method.name));
        }
        if (!m_transcodeTypes) {
            auto types = TranscodeTypes::fromDescriptorSet(m_project.protos.descriptorSet);
            if (!types) {
                m_diags.error(method.httpRule->location, types.error().message);
                return out;
            }
            m_transcodeTypes = *types;
        }
        QList<HttpRule> rules{*method.httpRule};
        rules += method.httpRule->additionalBindings;
        for (const HttpRule &h : std::as_const(rules)) {
            auto path = HttpPathTemplate::parse(h.pathTemplate);
            if (!path) {
                m_diags.error(h.location, QStringLiteral("google.api.http of %1: %2").arg(method.name, path.error().message));
                continue;
            }
            const std::optional<QString> pattern = path->routerPattern();
            if (!pattern) {
                m_diags.error(h.location, QStringLiteral("google.api.http of %1: a verb after '**' is not supported")
                                              .arg(method.name));
                continue;
            }
            auto t = std::make_shared<TranscodeRoute>();
            t->rule.httpMethod = h.method.toUpper();
            t->rule.path = *path;
            t->rule.body = h.body;
            t->rule.responseBody = h.responseBody;
            t->rule.input = m_transcodeTypes->message(method.inputType);
            t->rule.output = m_transcodeTypes->message(method.outputType);
            if (const auto checked = t->rule.check(); !checked) {
                m_diags.error(h.location, QStringLiteral("google.api.http of %1: %2").arg(method.name, checked.error().message));
                continue;
            }
            t->types = m_transcodeTypes;
            t->grpcPath = method.path(service.fullName).toUtf8();
            t->methodName = service.fullName + u'.' + method.name;
            t->serverStreaming = method.serverStreaming;
            t->clientStreaming = method.clientStreaming;
            Route r;
            r.kind = RouteKind::Grpc;
            r.method = t->rule.httpMethod;
            r.pathTemplate = *pattern;
            r.operationId = service.fullName + u'/' + method.name;
            r.location = h.location;
            r.transcode = std::move(t);
            out.append(std::move(r));
        }
        return out;
    }

    // Browsers preflight their gRPC-Web calls: OPTIONS on each method's path, answered by the
    // CORS stage alone (grpc.cors in gatehouse.yaml).
    void addGrpcPreflightRoutes(const GrpcService &service, const std::shared_ptr<ApiConfig> &apiConfig)
    {
        for (const GrpcMethod &method : service.methods) {
            Route r;
            r.kind = RouteKind::Rest;
            r.api = apiConfig;
            r.method = QStringLiteral("OPTIONS");
            r.pathTemplate = method.path(service.fullName);
            r.securityDisabled = true;
            r.cors = m_project.settings.grpcCors;
            r.corsPreflight = true;
            r.location = m_project.settings.grpcCors->location;
            r.id = int(m_config->routes.size());
            setNameBytes(r);
            if (!m_config->router.add(r.method.toLatin1(), r.pathTemplate, r.id))
                continue;
            hashRoute(r);
            m_config->routes.append(std::move(r));
        }
    }

    // The gateway's own routes, after the project's: where an API already has the same method and
    // path, the API's route stays and a warning says what it hides.
    void compileBuiltins()
    {
        const ApiKeyIssuerSettings &keys = m_project.settings.security.apiKeys;
        if (!keys.enabled || !keys.httpsEndpoint)
            return;
        auto api = std::make_shared<ApiConfig>();
        api->name = QStringLiteral("gatehouse");
        api->basePath = QStringLiteral("/");
        SecurityScheme basic;
        basic.name = QStringLiteral("basic");
        basic.type = SecuritySchemeType::HttpBasic;
        api->securitySchemes.insert(basic.name, basic);
        for (const QString &method : {QStringLiteral("GET"), QStringLiteral("POST")}) {
            Route r;
            r.api = api;
            r.method = method;
            r.pathTemplate = QStringLiteral("/apikey");
            r.operationId = QStringLiteral("issueApiKey");
            r.builtin = BuiltinRoute::ApiKeyIssue;
            r.security.append({SecurityRequirementItem{basic.name, {}}});
            r.authHeader = QStringLiteral("Authorization");
            r.id = int(m_config->routes.size());
            setNameBytes(r);
            int other = -1;
            if (!m_config->router.add(r.method.toLatin1(), r.pathTemplate, r.id, &other)) {
                if (other >= 0 && other < m_config->routes.size()) {
                    m_diags.warning(m_config->routes.at(other).location,
                                    QStringLiteral("%1 /apikey hides the gateway's own /apikey on the HTTPS "
                                                   "listener (set security.apiKeys.httpsEndpoint: false to "
                                                   "silence this)").arg(method));
                }
                continue;
            }
            hashRoute(r);
            m_config->routes.append(std::move(r));
        }
    }

    const Project &m_project;
    Diagnostics &m_diags;
    std::shared_ptr<const TranscodeTypes> m_transcodeTypes;   // built at the first google.api.http
    std::shared_ptr<GatewayConfig> m_config;
    QCryptographicHash m_hash{QCryptographicHash::Sha256};
};

} // namespace

std::shared_ptr<GatewayConfig> compileProject(const Project &project, Diagnostics &diagnostics)
{
    return Compiler(project, diagnostics).run();
}

} // namespace Gatehouse
