// CORS, the first stage of a route with x-gatehouse-cors (or MGW's x-wso2-cors): preflights are
// answered by the gateway (204), actual requests get Access-Control-* on whatever answers them.
#pragma once

#include "base/diagnostic.h"
#include "pipeline/filter.h"

#include <QByteArray>
#include <QList>

#include <memory>

namespace Gatehouse {

struct CorsSettings;
struct GatewayConfig;
struct Route;
class GatewayServices;

class CorsFilter final : public Filter
{
public:
    // `pathMethods`: the methods the route's path serves, for Allow and as the default allowed
    // methods. `preflightOnly`: the route exists only to answer OPTIONS (no such operation).
    CorsFilter(const CorsSettings &settings, QList<QByteArray> pathMethods, bool preflightOnly);

    Phase phase() const override { return Phase::Cors; }
    QLatin1StringView name() const override { return QLatin1StringView("cors"); }
    FilterStatus onRequest(RequestContext &ctx) const override;

private:
    bool originAllowed(QByteArrayView origin) const;
    bool headersAllowed(QByteArrayView requested) const;
    FilterStatus preflight(RequestContext &ctx, QByteArrayView origin) const;
    QByteArray allowOrigin(QByteArrayView origin) const;

    QList<QByteArray> m_origins;   // empty or containing "*": any
    bool m_anyOrigin;
    QList<QByteArray> m_methods;   // upper case
    QList<QByteArray> m_headers;   // lower case; empty: the requested ones are reflected
    QByteArray m_expose;
    QByteArray m_allowMethods;     // joined
    QByteArray m_allowHeaders;     // joined (when configured)
    QByteArray m_maxAge;           // seconds, or empty
    QByteArray m_allow;            // the Allow value of the path
    bool m_credentials;
    bool m_preflightOnly;
};

// The stage factory (pipelinebuilder.cpp): nullptr for routes without enabled CORS.
std::shared_ptr<const Filter> makeCorsFilter(const Route &route, const GatewayConfig &config,
                                             GatewayServices &services, Diagnostics &diagnostics);

} // namespace Gatehouse
