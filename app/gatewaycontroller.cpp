// Runs the embedded GatewayEngine for the workbench.
#include "gatewaycontroller.h"

#include <QAction>
#include <QLabel>
#include <QStyle>
#include <QApplication>

namespace Gatehouse {

GatewayController::GatewayController(QObject *parent)
    : QObject(parent), m_engine(new GatewayEngine(this)),
      m_start(new QAction(tr("&Start Gateway"), this)), m_stop(new QAction(tr("S&top Gateway"), this)),
      m_reload(new QAction(tr("&Reload Gateway"), this)), m_label(new QLabel)
{
    QStyle *style = QApplication::style();
    m_start->setIcon(style->standardIcon(QStyle::SP_MediaPlay));
    m_start->setShortcut(QKeySequence(tr("Ctrl+R")));
    m_start->setToolTip(tr("Start the embedded gateway on this project (Ctrl+R)"));
    m_stop->setIcon(style->standardIcon(QStyle::SP_MediaStop));
    m_stop->setShortcut(QKeySequence(tr("Ctrl+Shift+R")));
    m_reload->setIcon(style->standardIcon(QStyle::SP_BrowserReload));
    // The workbench captures requests for Replay (in memory, shown in the status label and the
    // Traces dock); gatehoused never forces it.
    m_engine->setCaptureForced(true);
    connect(m_start, &QAction::triggered, this, &GatewayController::start);
    connect(m_stop, &QAction::triggered, this, &GatewayController::stop);
    connect(m_reload, &QAction::triggered, this, &GatewayController::reload);
    connect(m_engine, &GatewayEngine::stateChanged, this, [this](GatewayEngine::State s) {
        updateUi();
        if (s == GatewayEngine::State::Running || s == GatewayEngine::State::Stopped)
            emit runningChanged(s == GatewayEngine::State::Running);
    });
    connect(m_engine, &GatewayEngine::configApplied, this, &GatewayController::updateUi);
    updateUi();
}

GatewayController::~GatewayController()
{
    delete m_label;
}

void GatewayController::setProjectDir(const QString &dir)
{
    if (dir != m_projectDir && m_engine->state() != GatewayEngine::State::Stopped)
        m_engine->stopAndWait();
    m_projectDir = dir;
    updateUi();
}

void GatewayController::setOverrides(quint16 httpPort, quint16 httpsPort, quint16 adminPort,
                                     int workers)
{
    auto port = [](quint16 p) { return p > 0 ? std::optional<quint16>(p) : std::nullopt; };
    m_overrides.httpPort = port(httpPort);
    m_overrides.httpsPort = port(httpsPort);
    m_overrides.adminPort = port(adminPort);
    m_overrides.workers = qMax(0, workers);
}

bool GatewayController::start()
{
    if (m_projectDir.isEmpty() || m_engine->state() != GatewayEngine::State::Stopped)
        return false;
    GatewayEngine::Options options = m_overrides;
    options.projectDir = m_projectDir;
    Diagnostics diagnostics;
    if (!m_engine->start(options, diagnostics)) {
        emit problems(diagnostics);
        emit message(tr("The gateway did not start: see Problems"));
        return false;
    }
    emit message(tr("Gateway started on %1").arg(httpBaseUrl()));
    return true;
}

void GatewayController::stop()
{
    m_engine->stop();
}

bool GatewayController::reload()
{
    if (!isRunning())
        return false;
    Diagnostics diagnostics;
    const bool ok = m_engine->reload(diagnostics);
    emit problems(diagnostics);
    emit message(ok ? tr("Gateway reloaded (config version %1)").arg(m_engine->configVersion())
                    : tr("Reload refused: the project has errors; the gateway keeps config version %1")
                          .arg(m_engine->configVersion()));
    return ok;
}

QString GatewayController::httpBaseUrl() const
{
    if (!isRunning() || m_engine->httpPort() == 0)
        return {};
    return QStringLiteral("http://127.0.0.1:%1").arg(m_engine->httpPort());
}

void GatewayController::updateUi()
{
    const GatewayEngine::State s = m_engine->state();
    m_start->setEnabled(s == GatewayEngine::State::Stopped && !m_projectDir.isEmpty());
    m_stop->setEnabled(s == GatewayEngine::State::Running);
    m_reload->setEnabled(s == GatewayEngine::State::Running);
    switch (s) {
    case GatewayEngine::State::Stopped:
        m_label->setText(tr("Gateway: stopped"));
        break;
    case GatewayEngine::State::Starting:
        m_label->setText(tr("Gateway: starting…"));
        break;
    case GatewayEngine::State::Stopping:
        m_label->setText(tr("Gateway: stopping…"));
        break;
    case GatewayEngine::State::Running: {
        QString text = tr("Gateway: running — http :%1").arg(m_engine->httpPort());
        if (m_engine->httpsPort())
            text += tr(", https :%1").arg(m_engine->httpsPort());
        if (m_engine->adminPort())
            text += tr(", admin :%1").arg(m_engine->adminPort());
        text += tr(" — config v%1").arg(m_engine->configVersion());
        if (m_engine->captureBodyBytes() > 0)
            text += tr(" — capturing for Replay");
        m_label->setText(text);
        break;
    }
    }
}

} // namespace Gatehouse
