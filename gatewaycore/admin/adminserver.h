// The control plane on QHttpServer (loopback by default): GET /health, GET /metrics,
// POST /admin/reload, GET /.well-known/jwks.json, GET/POST /apikey.
#pragma once

#include "base/result.h"

#include <QHostAddress>
#include <QObject>

class QHttpServer;

namespace Gatehouse {

class GatewayEngine;

// Runs on the engine's thread (never on a data-plane worker).
class AdminServer : public QObject
{
    Q_OBJECT
public:
    AdminServer(GatewayEngine *engine, QObject *parent = nullptr);
    ~AdminServer() override;

    Result<void> listen(const QHostAddress &address, quint16 port);
    quint16 port() const { return m_port; }

private:
    GatewayEngine *m_engine;
    QHttpServer *m_server;
    quint16 m_port = 0;
};

} // namespace Gatehouse
