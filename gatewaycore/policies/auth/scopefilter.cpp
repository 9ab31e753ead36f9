// The authorization stage: every scope the operation requires must be granted to the caller.
#include "scopefilter.h"

#include "base/textutil.h"
#include "pipeline/requestcontext.h"
#include "project/gatewayconfig.h"

#include <algorithm>

namespace Gatehouse {

namespace {

QString quotedScopes(const QStringList &scopes)
{
    return scopes.isEmpty() ? QStringLiteral("no scope") : quotedList(scopes);
}

// Who holds the scopes, as the caller knows it: "the token", "the API key".
QString holder(const Principal *p)
{
    if (!p)
        return QStringLiteral("an anonymous caller");
    if (p->method == u"jwt" || p->method == u"introspection")
        return QStringLiteral("the token");
    if (p->method == u"apikey")
        return QStringLiteral("the API key");
    return QStringLiteral("the credential");
}

// The scopes as RFC 6749 scope-tokens for a quoted header parameter: a name with other bytes (a
// quote, a backslash, a control character, non-ASCII) is left out rather than break the field.
QByteArray scopeTokens(const QStringList &scopes)
{
    QByteArray out;
    for (const QString &scope : scopes) {
        const bool token = !scope.isEmpty() && std::all_of(scope.cbegin(), scope.cend(), [](QChar c) {
            const char16_t u = c.unicode();
            return u == 0x21 || (u >= 0x23 && u <= 0x5B) || (u >= 0x5D && u <= 0x7E);
        });
        if (!token)
            continue;
        if (!out.isEmpty())
            out += ' ';
        out += scope.toLatin1();
    }
    return out;
}

} // namespace

FilterStatus ScopeFilter::onRequest(RequestContext &ctx) const
{
    if (ctx.requiredScopes.isEmpty())
        return FilterStatus::Continue;
    const QStringList &granted = ctx.caller().scopes;
    QStringList missing;
    for (const QString &scope : std::as_const(ctx.requiredScopes)) {
        if (!granted.contains(scope))
            missing.append(scope);
    }
    if (missing.isEmpty()) {
        if (ctx.recordDecisions)
            ctx.decide(Phase::Authz, QStringLiteral("scopes"), true,
                       QStringLiteral("granted %1").arg(quotedScopes(ctx.requiredScopes)));
        return FilterStatus::Continue;
    }
    const QString detail = QStringLiteral("scope %1 missing: %2 has %3")
                               .arg(quotedScopes(missing), holder(ctx.principal.get()), quotedScopes(granted));
    ctx.respond(403, GatewayErrorCode::ScopeForbidden, QStringLiteral("Forbidden"), detail);
    ctx.responseHeaders.append({QByteArrayLiteral("WWW-Authenticate"),
                                QByteArrayLiteral("Bearer realm=\"gatehouse\", error=\"insufficient_scope\", scope=\"")
                                    + scopeTokens(missing) + '"'});
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
