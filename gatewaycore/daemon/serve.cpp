// gatehoused serve DIR: run a project's gateway until SIGTERM/SIGINT; SIGHUP reloads.
#include "cli.h"
#include "signalwatcher.h"

#include "engine/gatewayengine.h"

#include <QCoreApplication>

namespace Gatehouse::Cli {

namespace {

bool parsePort(const QString &text, std::optional<quint16> &out)
{
    bool ok = false;
    const uint v = text.toUInt(&ok);
    if (!ok || v > 65535)
        return false;
    out = quint16(v);
    return true;
}

} // namespace

int runServe(Context &ctx)
{
    GatewayEngine::Options options;
    const QStringList &a = ctx.args;
    for (qsizetype i = 0; i < a.size(); ++i) {
        const QString &arg = a.at(i);
        auto value = [&](QString &out) {
            if (i + 1 >= a.size())
                return false;
            out = a.at(++i);
            return true;
        };
        QString v;
        if (arg == u"--http-port" || arg == u"--https-port" || arg == u"--admin-port") {
            std::optional<quint16> &target = arg == u"--http-port"    ? options.httpPort
                                             : arg == u"--https-port" ? options.httpsPort
                                                                      : options.adminPort;
            if (!value(v) || !parsePort(v, target)) {
                ctx.err << "gatehoused serve: " << arg << " needs a port number (0-65535)\n";
                return kExitUsage;
            }
        } else if (arg == u"--workers") {
            bool ok = false;
            if (!value(v) || (options.workers = v.toInt(&ok), !ok) || options.workers < 1 || options.workers > 256) {
                ctx.err << "gatehoused serve: --workers needs a number from 1 to 256\n";
                return kExitUsage;
            }
        } else if (arg == u"--no-https") {
            options.https = false;
        } else if (arg.startsWith(u'-')) {
            ctx.err << "gatehoused serve: unknown option '" << arg << "'\n";
            return kExitUsage;
        } else if (options.projectDir.isEmpty()) {
            options.projectDir = arg;
        } else {
            ctx.err << "gatehoused serve: more than one project folder given\n";
            return kExitUsage;
        }
    }
    if (options.projectDir.isEmpty()) {
        ctx.err << "gatehoused serve: missing project folder\nUsage: gatehoused serve DIR [options]\n";
        return kExitUsage;
    }

    SignalWatcher signalWatcher;
    GatewayEngine engine;
    Diagnostics diagnostics;
    if (!engine.start(options, diagnostics)) {
        diagnostics.sort();
        for (const Diagnostic &d : diagnostics.items())
            ctx.err << d.toString() << '\n';
        ctx.err << "gatehoused: not started\n";
        return kExitErrors;
    }
    for (const Diagnostic &d : diagnostics.items())
        ctx.err << d.toString() << '\n';
    ctx.out << "gatehoused: serving " << engine.projectDir() << " with " << engine.workerCount()
            << (engine.workerCount() == 1 ? " worker" : " workers") << " (config version "
            << engine.configVersion() << ")\n";
    if (engine.httpPort())
        ctx.out << "  http   port " << engine.httpPort() << '\n';
    if (engine.httpsPort())
        ctx.out << "  https  port " << engine.httpsPort() << '\n';
    if (engine.adminPort())
        ctx.out << "  admin  http://127.0.0.1:" << engine.adminPort() << "/health\n";
    ctx.out.flush();
    ctx.err.flush();

    QObject::connect(&signalWatcher, &SignalWatcher::reloadRequested, &engine, [&] {
        Diagnostics reloadDiagnostics;
        const bool ok = engine.reload(reloadDiagnostics);
        for (const Diagnostic &d : reloadDiagnostics.items())
            ctx.err << d.toString() << '\n';
        ctx.err << (ok ? QStringLiteral("gatehoused: reloaded, config version %1\n").arg(engine.configVersion())
                       : QStringLiteral("gatehoused: reload failed; still serving config version %1\n")
                             .arg(engine.configVersion()));
        ctx.err.flush();
    });
    QObject::connect(&signalWatcher, &SignalWatcher::terminateRequested, &engine, [&](int number) {
        ctx.err << "gatehoused: signal " << number << ", draining connections\n";
        ctx.err.flush();
        engine.stop();
    });
    QObject::connect(&engine, &GatewayEngine::stateChanged, qApp, [](GatewayEngine::State s) {
        if (s == GatewayEngine::State::Stopped)
            QCoreApplication::quit();
    });
    QCoreApplication::exec();
    ctx.err << "gatehoused: stopped\n";
    return kExitOk;
}

} // namespace Gatehouse::Cli
