// The authentication stage: a route's security requirements (OR of ANDs) checked with the
// authenticators of their schemes.
#include "authenticationfilter.h"

#include "apikeyauthenticator.h"
#include "basicauthenticator.h"
#include "mtlsauthenticator.h"
#include "tokenauthenticator.h"

#include "pipeline/gatewayservices.h"
#include "project/gatewayconfig.h"

#include <algorithm>
#include <utility>

namespace Gatehouse {

namespace {

QLatin1StringView schemeKind(SecuritySchemeType type)
{
    switch (type) {
    case SecuritySchemeType::ApiKey: return QLatin1StringView("API key");
    case SecuritySchemeType::HttpBasic: return QLatin1StringView("HTTP Basic");
    case SecuritySchemeType::HttpBearer: return QLatin1StringView("bearer token");
    case SecuritySchemeType::OAuth2: return QLatin1StringView("OAuth2");
    case SecuritySchemeType::OpenIdConnect: return QLatin1StringView("OpenID Connect");
    case SecuritySchemeType::MutualTls: return QLatin1StringView("mutual TLS");
    }
    return QLatin1StringView("unknown");
}

AuthenticatorFactory factoryFor(SecuritySchemeType type)
{
    switch (type) {
    case SecuritySchemeType::HttpBasic: return &makeBasicAuthenticator;
    case SecuritySchemeType::MutualTls: return &makeMutualTlsAuthenticator;
    case SecuritySchemeType::HttpBearer:
    case SecuritySchemeType::OAuth2:
    case SecuritySchemeType::OpenIdConnect: return &makeTokenAuthenticator;
    case SecuritySchemeType::ApiKey: return &makeApiKeyAuthenticator;
    }
    return nullptr;
}

void mergeScopes(QStringList &into, const QStringList &more)
{
    for (const QString &s : more) {
        if (!into.contains(s))
            into.append(s);
    }
}

} // namespace

AuthenticationFilter::AuthenticationFilter(QList<Requirement> requirements, bool anonymousAllowed,
                                           QStringList routeScopes, QByteArray stripHeader)
    : m_requirements(std::move(requirements)), m_anonymousAllowed(anonymousAllowed),
      m_routeScopes(std::move(routeScopes)), m_stripHeader(std::move(stripHeader))
{
    QList<QByteArray> seen;
    for (const Requirement &r : std::as_const(m_requirements)) {
        // A met requirement asks for the route's scopes and every item's, in this order.
        QStringList scopes = m_routeScopes;
        for (const Item &item : r)
            mergeScopes(scopes, item.scopes);
        m_requiredScopes.append(scopes);
        for (const Item &item : r) {
            const QByteArray c = item.authenticator ? item.authenticator->challenge() : QByteArray();
            if (!c.isEmpty() && !seen.contains(c))
                seen.append(c);
        }
    }
    if (seen.isEmpty())
        seen.append(QByteArrayLiteral("Bearer realm=\"gatehouse\""));
    m_challenges = seen.join(", ");
}

FilterStatus AuthenticationFilter::onRequest(RequestContext &ctx) const
{
    // Outcomes of the requirements tried, for the answer when none is met.
    QString invalidReason;
    qint64 invalidExpiredAt = 0;   // the refused credential's exp when it expired
    QString forbiddenReason;
    QString unavailableReason;
    QString missingSchemes;
    for (int r = ctx.authRequirement; r < m_requirements.size(); ++r) {
        const Requirement &requirement = m_requirements.at(r);
        // AND of several credentials: the first one names the caller, the others add their
        // scopes. A requirement of one credential (the usual case) leaves the authenticator's
        // shared Principal in ctx.principal as it is.
        const bool compound = requirement.size() > 1;
        std::shared_ptr<const Principal> first;   // only AND requirements use it
        bool met = true;
        const int resumeAt = r == ctx.authRequirement ? ctx.authItem : 0;
        if (resumeAt > 0)
            first = ctx.principal;   // rerun after an asynchronous item: the items before it passed
        for (int i = resumeAt; i < requirement.size(); ++i) {
            const Item &item = requirement.at(i);
            QString reason;
            AuthResult result = AuthResult::Invalid;
            if (item.authenticator) {
                result = item.authenticator->authenticate(ctx, reason);
            } else {
                reason = QStringLiteral("security scheme '%1' cannot be validated by this gateway")
                             .arg(item.scheme);
            }
            if (result == AuthResult::Pending) {
                ctx.authRequirement = r;
                ctx.authItem = i;
                return FilterStatus::Suspend;
            }
            if (result == AuthResult::Authenticated && !ctx.principal) {
                result = AuthResult::Invalid;   // an authenticator that names nobody admits nobody
                reason = QStringLiteral("security scheme '%1' established no caller").arg(item.scheme);
            }
            if (result != AuthResult::Authenticated) {
                met = false;
                const qint64 expiredAt = std::exchange(ctx.credentialExpiredAt, 0);
                if (result == AuthResult::Invalid && invalidReason.isEmpty()) {
                    invalidReason = reason;
                    invalidExpiredAt = expiredAt;
                } else if (result == AuthResult::Forbidden && forbiddenReason.isEmpty()) {
                    forbiddenReason = reason;
                } else if (result == AuthResult::Unavailable && unavailableReason.isEmpty()) {
                    unavailableReason = reason;
                } else if (result == AuthResult::Missing && !missingSchemes.contains(item.scheme)) {
                    missingSchemes += (missingSchemes.isEmpty() ? QString() : QStringLiteral(", ")) + item.scheme;
                }
                break;
            }
            if (!compound)
                continue;
            if (!first) {
                first = ctx.principal;
            } else if (ctx.principal != first) {
                // AND: the first credential names the caller; the others add their scopes (to a
                // copy: the shared one may be a cache's).
                const QStringList &more = ctx.principal->scopes;
                const bool adds = std::any_of(more.cbegin(), more.cend(),
                                              [&](const QString &s) { return !first->scopes.contains(s); });
                if (adds) {
                    auto merged = std::make_shared<Principal>(*first);
                    mergeScopes(merged->scopes, more);
                    first = std::move(merged);
                }
                ctx.principal = first;
            }
        }
        ctx.authItem = 0;
        if (met) {
            ctx.principalScheme = requirement.constFirst().scheme;   // the one that names the caller
            const QStringList &required = m_requiredScopes.at(r);
            if (!required.isEmpty() || !ctx.requiredScopes.isEmpty())
                ctx.requiredScopes = required;
            if (!m_stripHeader.isEmpty())
                ctx.removeUpstreamHeaders.append(m_stripHeader);
            if (ctx.recordDecisions) {
                ctx.decide(Phase::Authn, QStringLiteral("authentication"), true,
                           QStringLiteral("%1 '%2' via %3").arg(ctx.principal->method, ctx.principal->subject,
                                                                 ctx.principalScheme.toString()));
            }
            return FilterStatus::Continue;
        }
        ctx.principal.reset();
    }
    ctx.authRequirement = int(m_requirements.size());

    if (invalidReason.isEmpty() && forbiddenReason.isEmpty() && unavailableReason.isEmpty() && m_anonymousAllowed) {
        ctx.requiredScopes = m_routeScopes;
        ctx.decide(Phase::Authn, QStringLiteral("authentication"), true,
                   QStringLiteral("anonymous: the operation allows calls without credentials"));
        return FilterStatus::Continue;
    }
    if (!invalidReason.isEmpty()) {
        ctx.respond(401, GatewayErrorCode::InvalidCredentials, QStringLiteral("Invalid credentials"),
                    invalidReason);
    } else if (!forbiddenReason.isEmpty()) {
        // The caller is known and genuine, but not allowed here: no challenge, a new credential
        // would not help.
        ctx.respond(403, GatewayErrorCode::ApiForbidden, QStringLiteral("Forbidden"), forbiddenReason);
    } else if (!unavailableReason.isEmpty()) {
        ctx.respond(503, GatewayErrorCode::AuthServiceUnavailable,
                    QStringLiteral("Authentication service unavailable"), unavailableReason);
    } else {
        ctx.respond(401, GatewayErrorCode::MissingCredentials, QStringLiteral("Missing credentials"),
                    QStringLiteral("This operation requires credentials (%1)").arg(missingSchemes));
    }
    if (ctx.error.status == 401)
        ctx.responseHeaders.append({QByteArrayLiteral("WWW-Authenticate"), m_challenges});
    if (!ctx.recordDecisions)
        return FilterStatus::Respond;
    // "token expired 3 min ago" was true when the request came; the explain view says it
    // relative to when it is read, from the expiry itself.
    const qsizetype expired = invalidExpiredAt > 0 && ctx.error.status == 401 && !invalidReason.isEmpty()
                                  ? invalidReason.lastIndexOf(QLatin1StringView(" expired "))
                                  : -1;
    if (expired >= 0) {
        ctx.decide(Phase::Authn, QStringLiteral("authentication"), false, invalidReason.left(expired + 8),
                   DecisionTime::Expired, invalidExpiredAt * 1000);
    } else if (ctx.error.code == GatewayErrorCode::MissingCredentials) {
        ctx.decide(Phase::Authn, QStringLiteral("authentication"), false,
                   QStringLiteral("no credential: the operation requires %1, and the request carries none")
                       .arg(missingSchemes));
    } else {
        ctx.decide(Phase::Authn, QStringLiteral("authentication"), false, ctx.error.description);
    }
    return FilterStatus::Respond;
}

std::shared_ptr<const Filter> makeAuthenticationFilter(const Route &route, const GatewayConfig &config,
                                                       GatewayServices &services, Diagnostics &diagnostics)
{
    if (route.securityDisabled || route.security.isEmpty())
        return nullptr;
    QList<AuthenticationFilter::Requirement> requirements;
    bool anonymous = false;
    for (const SecurityRequirement &requirement : route.security) {
        if (requirement.isEmpty()) {
            anonymous = true;
            continue;
        }
        AuthenticationFilter::Requirement built;
        for (const SecurityRequirementItem &item : requirement) {
            AuthenticationFilter::Item i{item.scheme, nullptr, item.scopes};
            const auto scheme = route.api ? route.api->securitySchemes.constFind(item.scheme)
                                          : QMap<QString, SecurityScheme>::const_iterator();
            if (!route.api || scheme == route.api->securitySchemes.cend()) {
                diagnostics.error(route.location,
                                  QStringLiteral("operation %1 %2 requires security scheme '%3', which the "
                                                 "API does not define")
                                      .arg(route.method, route.pathTemplate, item.scheme));
            } else if (AuthenticatorFactory factory = factoryFor(scheme->type)) {
                i.authenticator = factory(*scheme, route, config, services, diagnostics);
            } else {
                services.warnOnce(diagnostics, scheme->location,
                                    QStringLiteral("security scheme '%1' (%2) cannot be validated by this "
                                                   "gateway yet: requests that need it are refused")
                                        .arg(item.scheme, schemeKind(scheme->type)));
            }
            built.append(i);
        }
        requirements.append(built);
    }
    if (requirements.isEmpty())
        return nullptr;   // only {}: anyone may call
    const QByteArray strip = config.settings.security.forwardAuthorization
                                 ? QByteArray()
                                 : route.authHeader.toLatin1().toLower();
    return std::make_shared<const AuthenticationFilter>(std::move(requirements), anonymous,
                                                        route.requiredScopes, strip);
}

} // namespace Gatehouse
