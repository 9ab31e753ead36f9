// CORS: preflights answered by the gateway, Access-Control-* on actual requests' answers.
#include "corsfilter.h"

#include "http/http1head.h"
#include "pipeline/requestcontext.h"
#include "policies/headers/headerpolicies.h"
#include "project/gatewayconfig.h"

namespace Gatehouse {

namespace {

QList<QByteArray> toBytes(const QStringList &list, bool lower)
{
    QList<QByteArray> out;
    for (const QString &s : list)
        out.append((lower ? s.toLower() : s).toUtf8());
    return out;
}

void addField(RequestContext &ctx, QByteArrayView name, QByteArrayView value)
{
    ctx.responseHeaders.append(OwnedField{name.toByteArray(), value.toByteArray()});
}

void refuse(RequestContext &ctx, const QString &why)
{
    ctx.respond(403, GatewayErrorCode::ApiForbidden, QStringLiteral("CORS request refused"), why);
    ctx.decide(Phase::Cors, QStringLiteral("cors"), false, why);
}

} // namespace

CorsFilter::CorsFilter(const CorsSettings &settings, QList<QByteArray> pathMethods, bool preflightOnly)
    : m_origins(toBytes(settings.allowOrigins, false)),
      m_anyOrigin(settings.allowOrigins.isEmpty() || settings.allowOrigins.contains(QStringLiteral("*"))),
      m_methods(toBytes(settings.allowMethods, false)), m_headers(toBytes(settings.allowHeaders, true)),
      m_expose(settings.exposeHeaders.join(QStringLiteral(", ")).toUtf8()),
      m_credentials(settings.allowCredentials), m_preflightOnly(preflightOnly)
{
    if (!pathMethods.contains("OPTIONS"))
        pathMethods.append("OPTIONS");
    if (pathMethods.contains("GET") && !pathMethods.contains("HEAD"))
        pathMethods.append("HEAD");
    std::sort(pathMethods.begin(), pathMethods.end());
    m_allow = pathMethods.join(", ");
    if (m_methods.isEmpty())
        m_methods = pathMethods;
    m_allowMethods = m_methods.join(", ");
    m_allowHeaders = settings.allowHeaders.join(QStringLiteral(", ")).toUtf8();
    if (settings.maxAge)
        m_maxAge = QByteArray::number(qint64(settings.maxAge->count()));
}

bool CorsFilter::originAllowed(QByteArrayView origin) const
{
    if (m_anyOrigin)
        return true;
    for (const QByteArray &o : m_origins) {
        if (httpEqualsIgnoreCase(o, origin))
            return true;
    }
    return false;
}

bool CorsFilter::headersAllowed(QByteArrayView requested) const
{
    if (m_headers.isEmpty())
        return true;
    while (!requested.isEmpty()) {
        const qsizetype comma = requested.indexOf(',');
        const QByteArrayView name = httpTrimOws(comma < 0 ? requested : requested.first(comma));
        bool found = name.isEmpty();
        for (const QByteArray &h : m_headers)
            found = found || httpEqualsIgnoreCase(h, name);
        if (!found)
            return false;
        requested = comma < 0 ? QByteArrayView() : requested.sliced(comma + 1);
    }
    return true;
}

QByteArray CorsFilter::allowOrigin(QByteArrayView origin) const
{
    // With credentials browsers refuse "*": the origin is echoed instead (and Vary says so).
    return m_anyOrigin && !m_credentials ? QByteArray("*") : origin.toByteArray();
}

FilterStatus CorsFilter::preflight(RequestContext &ctx, QByteArrayView origin) const
{
    if (!originAllowed(origin)) {
        refuse(ctx, QStringLiteral("The origin '%1' is not allowed").arg(QString::fromUtf8(origin)));
        return FilterStatus::Respond;
    }
    const QByteArrayView method = httpTrimOws(ctx.header("access-control-request-method"));
    if (!m_methods.contains(method)) {
        refuse(ctx, QStringLiteral("The method '%1' is not allowed (allowed: %2)")
                        .arg(QString::fromUtf8(method), QString::fromUtf8(m_allowMethods)));
        return FilterStatus::Respond;
    }
    const QByteArrayView requested = ctx.header("access-control-request-headers");
    if (!headersAllowed(requested)) {
        refuse(ctx, QStringLiteral("A requested header is not allowed (requested: %1; allowed: %2)")
                        .arg(QString::fromUtf8(requested), QString::fromUtf8(m_allowHeaders)));
        return FilterStatus::Respond;
    }
    ctx.error = GatewayError{204, GatewayErrorCode::BadRequest, QString(), QString(), QByteArray(), QByteArray()};
    addField(ctx, "Access-Control-Allow-Origin", allowOrigin(origin));
    addField(ctx, "Access-Control-Allow-Methods", m_allowMethods);
    const QByteArray headers = m_headers.isEmpty() ? httpTrimOws(requested).toByteArray() : m_allowHeaders;
    if (!headers.isEmpty())
        addField(ctx, "Access-Control-Allow-Headers", headers);
    if (m_credentials)
        addField(ctx, "Access-Control-Allow-Credentials", "true");
    if (!m_maxAge.isEmpty())
        addField(ctx, "Access-Control-Max-Age", m_maxAge);
    addField(ctx, "Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
    ctx.decide(Phase::Cors, QStringLiteral("cors"), true, QStringLiteral("preflight answered"));
    return FilterStatus::Respond;
}

FilterStatus CorsFilter::onRequest(RequestContext &ctx) const
{
    const QByteArrayView origin = ctx.header("origin");
    if (ctx.method == "OPTIONS" && !origin.isNull() && !ctx.header("access-control-request-method").isNull())
        return preflight(ctx, origin);
    if (m_preflightOnly) {   // a plain OPTIONS on a path without an OPTIONS operation
        ctx.error = GatewayError{204, GatewayErrorCode::BadRequest, QString(), QString(), QByteArray(), QByteArray()};
        addField(ctx, "Allow", m_allow);
        return FilterStatus::Respond;
    }
    if (origin.isNull() || !originAllowed(origin))
        return FilterStatus::Continue;   // not cross-origin, or not ours: the browser blocks it
    // The gateway's CORS answer replaces the upstream's own, on its answers and the upstream's.
    for (const char *name : {"access-control-allow-origin", "access-control-allow-credentials",
                             "access-control-expose-headers"})
        removeResponseHeader(ctx, name);
    addField(ctx, "Access-Control-Allow-Origin", allowOrigin(origin));
    if (m_credentials)
        addField(ctx, "Access-Control-Allow-Credentials", "true");
    if (!m_expose.isEmpty())
        addField(ctx, "Access-Control-Expose-Headers", m_expose);
    if (!m_anyOrigin || m_credentials)
        addField(ctx, "Vary", "Origin");
    return FilterStatus::Continue;
}

std::shared_ptr<const Filter> makeCorsFilter(const Route &route, const GatewayConfig &config,
                                             GatewayServices &services, Diagnostics &diagnostics)
{
    (void)services;
    (void)diagnostics;
    if (!route.cors || !route.cors->enabled)
        return nullptr;
    QList<QByteArray> methods;
    for (const Route &r : config.routes) {
        if (r.pathTemplate == route.pathTemplate && !methods.contains(r.method.toLatin1()))
            methods.append(r.method.toLatin1());
    }
    return std::make_shared<const CorsFilter>(*route.cors, std::move(methods), route.corsPreflight);
}

} // namespace Gatehouse
