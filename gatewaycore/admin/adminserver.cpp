// The control plane on QHttpServer: health, metrics, reload, and the issuer's JWKS and API keys.
#include "adminserver.h"
#include "apikeyroutes.h"

#include "base/version.h"
#include "engine/gatewayengine.h"
#include "telemetry/prometheuswriter.h"

#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Gatehouse {

namespace {

QHttpServerResponse json(const QJsonObject &body, QHttpServerResponse::StatusCode status)
{
    return QHttpServerResponse(body, status);
}

QHttpServerResponse error(QHttpServerResponse::StatusCode status, const QString &message,
                          const QString &description)
{
    return json({{QStringLiteral("code"), QString::number(int(status))},
                 {QStringLiteral("message"), message},
                 {QStringLiteral("description"), description}},
                status);
}

} // namespace

AdminServer::AdminServer(GatewayEngine *engine, QObject *parent)
    : QObject(parent), m_engine(engine), m_server(new QHttpServer(this))
{
    m_server->route(QStringLiteral("/health"), QHttpServerRequest::Method::Get, [this] {
        const qint64 uptime = m_engine->startedAt().isValid()
                                  ? m_engine->startedAt().secsTo(QDateTime::currentDateTimeUtc())
                                  : 0;
        return json({{QStringLiteral("status"), QStringLiteral("UP")},
                     {QStringLiteral("version"), versionString()},
                     {QStringLiteral("uptimeSeconds"), uptime},
                     {QStringLiteral("configVersion"), qint64(m_engine->configVersion())},
                     {QStringLiteral("workers"), m_engine->workerCount()},
                     {QStringLiteral("activeConnections"), m_engine->activeConnections()}},
                    QHttpServerResponse::StatusCode::Ok);
    });
    // Prometheus text 0.0.4, or OpenMetrics when the scraper's Accept asks for it.
    m_server->route(QStringLiteral("/metrics"), QHttpServerRequest::Method::Get,
                    [this](const QHttpServerRequest &request) {
                        const auto config = m_engine->config();
                        if (config && !config->settings.telemetry.metricsEnabled) {
                            return error(QHttpServerResponse::StatusCode::NotFound, QStringLiteral("Not found"),
                                         QStringLiteral("Metrics are turned off (telemetry.metrics.enabled: false)"));
                        }
                        const ExpositionFormat format = negotiateExposition(request.value("Accept"));
                        return QHttpServerResponse(expositionContentType(format).toByteArray(),
                                                   writeExposition(m_engine->collectMetrics(), format));
                    });
    m_server->route(QStringLiteral("/admin/reload"), QHttpServerRequest::Method::Post, [this] {
        Diagnostics diagnostics;
        const bool ok = m_engine->reload(diagnostics);
        QJsonArray problems;
        for (const Diagnostic &d : diagnostics.items())
            problems.append(d.toString());
        if (!ok) {
            return json({{QStringLiteral("status"), QStringLiteral("failed")},
                         {QStringLiteral("configVersion"), qint64(m_engine->configVersion())},
                         {QStringLiteral("diagnostics"), problems}},
                        QHttpServerResponse::StatusCode::UnprocessableEntity);
        }
        return json({{QStringLiteral("status"), QStringLiteral("reloaded")},
                     {QStringLiteral("configVersion"), qint64(m_engine->configVersion())},
                     {QStringLiteral("diagnostics"), problems}},
                    QHttpServerResponse::StatusCode::Ok);
    });
    m_server->route(QStringLiteral("/admin/reload"), QHttpServerRequest::Method::Get, [] {
        return error(QHttpServerResponse::StatusCode::MethodNotAllowed, QStringLiteral("Method not allowed"),
                     QStringLiteral("Use POST /admin/reload"));
    });
    addApiKeyRoutes(m_server, m_engine);   // /.well-known/jwks.json, /apikey
    m_server->setMissingHandler([](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
        const QJsonObject body{{QStringLiteral("code"), QStringLiteral("404")},
                               {QStringLiteral("message"), QStringLiteral("Not found")},
                               {QStringLiteral("description"),
                                QStringLiteral("No admin resource at %1").arg(request.url().path())}};
        responder.write(QJsonDocument(body), QHttpServerResponder::StatusCode::NotFound);
    });
}

AdminServer::~AdminServer() = default;

Result<void> AdminServer::listen(const QHostAddress &address, quint16 port)
{
    m_port = m_server->listen(address, port);
    if (m_port == 0)
        return Error::io(QStringLiteral("cannot listen on %1:%2 for the admin API (port in use?)")
                             .arg(address.toString())
                             .arg(port));
    return {};
}

} // namespace Gatehouse
