// Cross-file checks: tiers, security schemes vs. issuers and users, scopes, upstreams, gRPC endpoints.
#include "project.h"

#include "base/textutil.h"

#include <QSet>

namespace Gatehouse {

namespace {

class Validator
{
public:
    Validator(const Project &project, Diagnostics &diagnostics)
        : m_project(project), m_settings(project.settings), m_diags(diagnostics)
    {}

    void run()
    {
        for (const ApiSpec &api : m_project.apis)
            checkApi(api);
        for (const GrpcService &service : m_project.protos.services)
            checkService(service);
        checkGrpcEndpointKeys();
    }

private:
    QStringList tierNames() const { return m_settings.throttling.tiers.keys(); }

    void checkTier(const QString &tier, const SourceLocation &where)
    {
        if (tier.isEmpty() || m_settings.throttling.tiers.contains(tier))
            return;
        const QStringList known = tierNames();
        m_diags.error(where, QStringLiteral("unknown throttling tier '%1'%2 (known: %3)")
                                 .arg(tier, didYouMean(tier, known), known.join(QStringLiteral(", "))));
    }

    bool canValidateTokens() const
    {
        return m_settings.security.apiKeys.enabled || !m_settings.security.issuers.isEmpty()
               || !m_settings.security.keyManagers.isEmpty();
    }

    void checkScheme(const ApiSpec &api, const SecurityScheme &scheme, const SourceLocation &where)
    {
        const QString key = api.file + u'#' + scheme.name;
        if (m_checkedSchemes.contains(key))
            return;
        m_checkedSchemes.insert(key);
        switch (scheme.type) {
        case SecuritySchemeType::OAuth2:
        case SecuritySchemeType::OpenIdConnect:
        case SecuritySchemeType::HttpBearer:
            if (!canValidateTokens())
                m_diags.error(where, QStringLiteral("security scheme '%1' needs tokens to be validated, but "
                                                    "gatehouse.yaml has no JWT issuer, no key manager and "
                                                    "the API-key issuer is disabled")
                                         .arg(scheme.name));
            break;
        case SecuritySchemeType::ApiKey:
            if (!m_settings.security.apiKeys.enabled)
                m_diags.error(where, QStringLiteral("security scheme '%1' is an API key, but the API-key "
                                                    "issuer is disabled in gatehouse.yaml (security.apiKeys)")
                                         .arg(scheme.name));
            break;
        case SecuritySchemeType::HttpBasic:
            if (m_settings.security.users.isEmpty())
                m_diags.warning(where, QStringLiteral("security scheme '%1' is HTTP Basic, but gatehouse.yaml "
                                                      "defines no users: every request will be refused")
                                           .arg(scheme.name));
            break;
        case SecuritySchemeType::MutualTls:
            // Certificates come from the TLS handshake, or from a load balancer that terminated it.
            if (m_settings.listeners.https.clientCertificates == ClientCertMode::None
                && m_settings.listeners.https.clientCertificateHeader.isEmpty())
                m_diags.error(where, QStringLiteral("security scheme '%1' is mutual TLS, but the HTTPS listener "
                                                    "does not ask for client certificates "
                                                    "(listeners.https.clientCertificates) and none is forwarded "
                                                    "by a load balancer (clientCertificateHeader)")
                                         .arg(scheme.name));
            break;
        }
    }

    void checkApi(const ApiSpec &api)
    {
        checkTier(api.extensions.throttlingTier, api.extensions.throttlingTierLocation);
        const EndpointSet &apiUpstream = api.extensions.productionEndpoints
                                             ? *api.extensions.productionEndpoints
                                             : api.serverEndpoints;
        bool everyOperationHasUpstream = true;
        for (const Operation &op : api.operations) {
            checkTier(op.extensions.throttlingTier, op.extensions.throttlingTierLocation);
            checkOperationSecurity(api, op);
            if (effectiveEndpoints(api, op).isEmpty())
                everyOperationHasUpstream = false;
        }
        if (apiUpstream.isEmpty() && !everyOperationHasUpstream) {
            m_diags.error(api.location,
                          QStringLiteral("API '%1' has no upstream: add servers[0].url (or host/basePath "
                                         "for Swagger 2) or x-gatehouse-production-endpoints")
                              .arg(api.title));
        }
    }

    void checkOperationSecurity(const ApiSpec &api, const Operation &op)
    {
        const bool disabled = op.extensions.disableSecurity.value_or(
            api.extensions.disableSecurity.value_or(false));
        const QList<SecurityRequirement> &requirements = op.security ? *op.security : api.security;
        const QString opName = op.method + u' ' + op.pathTemplate;
        bool anonymousAllowed = disabled || requirements.isEmpty();
        for (const SecurityRequirement &req : requirements) {
            if (req.isEmpty())
                anonymousAllowed = true;
            for (const SecurityRequirementItem &item : req) {
                const auto scheme = api.securitySchemes.constFind(item.scheme);
                if (scheme != api.securitySchemes.constEnd())
                    checkScheme(api, *scheme, scheme->location);
            }
        }
        const QStringList extra = api.extensions.scopes + op.extensions.scopes;
        if (!extra.isEmpty() && anonymousAllowed) {
            m_diags.error(op.location, QStringLiteral("%1 requires scope %2, but it can be called without "
                                                      "credentials: add a security requirement with an "
                                                      "OAuth2, bearer or API-key scheme")
                                           .arg(opName, quotedList(extra)));
        }
    }

    void checkService(const GrpcService &service)
    {
        checkTier(service.throttlingTier, service.location);
        for (const GrpcMethod &method : service.methods) {
            checkTier(method.throttlingTier, method.location);
            if (!method.scopes.isEmpty() && service.security.contains(QStringLiteral("none")))
                m_diags.error(method.location,
                              QStringLiteral("method %1 requires scope %2, but its service allows calls "
                                             "without credentials (security: none)")
                                  .arg(method.path(service.fullName), quotedList(method.scopes)));
        }
        const bool needsTokens = service.security.isEmpty() || service.security.contains(QStringLiteral("jwt"))
                                 || service.security.contains(QStringLiteral("oauth2"));
        if (needsTokens && !canValidateTokens())
            m_diags.error(service.location,
                          QStringLiteral("gRPC service %1 needs tokens to be validated, but gatehouse.yaml has "
                                         "no JWT issuer, no key manager and the API-key issuer is disabled")
                              .arg(service.fullName));
        if (service.security.contains(QStringLiteral("basic")) && m_settings.security.users.isEmpty())
            m_diags.warning(service.location,
                            QStringLiteral("gRPC service %1 accepts Basic auth, but gatehouse.yaml defines "
                                           "no users")
                                .arg(service.fullName));
        if (service.endpoints.isEmpty() && !m_settings.grpcEndpoints.contains(service.fullName)) {
            m_diags.error(service.location,
                          QStringLiteral("gRPC service %1 has no upstream: set the endpoints option in the "
                                         ".proto or grpc.endpoints.\"%1\" in gatehouse.yaml")
                              .arg(service.fullName));
        }
    }

    void checkGrpcEndpointKeys()
    {
        QStringList known;
        for (const GrpcService &s : m_project.protos.services)
            known.append(s.fullName);
        for (auto it = m_settings.grpcEndpoints.cbegin(); it != m_settings.grpcEndpoints.cend(); ++it) {
            if (!known.contains(it.key()))
                m_diags.warning({m_settings.file.isEmpty() ? QStringLiteral("gatehouse.yaml") : m_settings.file, 0, 0},
                                QStringLiteral("grpc endpoints name service '%1', which no .proto defines%2")
                                    .arg(it.key(), didYouMean(it.key(), known)));
        }
    }

    const Project &m_project;
    const ProjectSettings &m_settings;
    Diagnostics &m_diags;
    QSet<QString> m_checkedSchemes;
};

} // namespace

void validateProject(const Project &project, Diagnostics &diagnostics)
{
    Validator(project, diagnostics).run();
}

} // namespace Gatehouse
