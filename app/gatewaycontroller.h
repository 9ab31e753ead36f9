// Runs the embedded GatewayEngine for the workbench: Start/Stop/Reload actions, a status label,
// and reload-on-save that never takes a running gateway down because of a bad edit. Request
// capture for Replay is on for this engine (telemetry.tracing.capture, forced).
#pragma once

#include "base/diagnostic.h"
#include "engine/gatewayengine.h"

#include <QObject>

class QAction;
class QLabel;

namespace Gatehouse {

class GatewayController : public QObject
{
    Q_OBJECT
public:
    explicit GatewayController(QObject *parent = nullptr);
    ~GatewayController() override;

    QAction *startAction() const { return m_start; }
    QAction *stopAction() const { return m_stop; }
    QAction *reloadAction() const { return m_reload; }
    QLabel *statusLabel() const { return m_label; }
    GatewayEngine *engine() const { return m_engine; }

    void setProjectDir(const QString &dir);   // stops a gateway running another project
    // Listener ports and worker count for the next start(), over gatehouse.yaml's; 0 = the
    // project's own value.
    void setOverrides(quint16 httpPort, quint16 httpsPort, quint16 adminPort, int workers);
    bool start();
    void stop();
    // Reloads when running; returns false (and keeps the running config) on project errors.
    bool reload();
    bool isRunning() const { return m_engine->state() == GatewayEngine::State::Running; }

    // The base URL of the HTTP listener while running ("http://127.0.0.1:9090"), else empty.
    QString httpBaseUrl() const;

signals:
    // Diagnostics of a failed start or reload, for the Problems dock.
    void problems(const Gatehouse::Diagnostics &diagnostics);
    void message(const QString &text);
    void runningChanged(bool running);

private:
    void updateUi();

    GatewayEngine *m_engine;
    QString m_projectDir;
    GatewayEngine::Options m_overrides;
    QAction *m_start;
    QAction *m_stop;
    QAction *m_reload;
    QLabel *m_label;
};

} // namespace Gatehouse
