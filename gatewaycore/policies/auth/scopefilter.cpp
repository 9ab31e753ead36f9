// The authorization stage: every scope the operation requires must be granted to the caller.
#include "scopefilter.h"

#include "pipeline/requestcontext.h"
#include "project/gatewayconfig.h"

namespace Gatehouse {

namespace {

QString quotedScopes(const QStringList &scopes)
{
    if (scopes.isEmpty())
        return QStringLiteral("no scope");
    QStringList quoted;
    for (const QString &s : scopes)
        quoted.append(u'\'' + s + u'\'');
    return quoted.join(QStringLiteral(", "));
}

} // namespace

FilterStatus ScopeFilter::onRequest(RequestContext &ctx) const
{
    if (ctx.requiredScopes.isEmpty())
        return FilterStatus::Continue;
    QStringList missing;
    for (const QString &scope : std::as_const(ctx.requiredScopes)) {
        if (!ctx.principal.scopes.contains(scope))
            missing.append(scope);
    }
    if (missing.isEmpty()) {
        ctx.decide(Phase::Authz, QStringLiteral("scopes"), true,
                   QStringLiteral("granted %1").arg(quotedScopes(ctx.requiredScopes)));
        return FilterStatus::Continue;
    }
    const QString detail = QStringLiteral("scope %1 missing: %2 has %3")
                               .arg(quotedScopes(missing),
                                    ctx.principal.authenticated ? QStringLiteral("the credential")
                                                                : QStringLiteral("an anonymous caller"),
                                    quotedScopes(ctx.principal.scopes));
    ctx.respond(403, GatewayErrorCode::ScopeForbidden, QStringLiteral("Forbidden"), detail);
    ctx.responseHeaders.append(
        {QByteArrayLiteral("WWW-Authenticate"),
         QByteArrayLiteral("Bearer realm=\"gatehouse\", error=\"insufficient_scope\", scope=\"")
             + missing.join(u' ').toUtf8() + '"'});
    ctx.decide(Phase::Authz, QStringLiteral("scopes"), false, detail);
    return FilterStatus::Respond;
}

std::shared_ptr<const Filter> makeScopeFilter(const Route &route, const GatewayConfig &config,
                                              GatewayServices &services, Diagnostics &diagnostics)
{
    (void)config;
    (void)services;
    (void)diagnostics;
    if (route.securityDisabled || route.security.isEmpty())
        return nullptr;
    bool any = !route.requiredScopes.isEmpty();
    for (const SecurityRequirement &r : route.security) {
        for (const SecurityRequirementItem &item : r)
            any = any || !item.scopes.isEmpty();
    }
    if (!any)
        return nullptr;
    static const auto filter = std::make_shared<const ScopeFilter>();
    return filter;
}

} // namespace Gatehouse
