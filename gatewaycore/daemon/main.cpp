// Entry point of gatehoused, the headless Gatehouse gateway.
#include "cli.h"
#include "proxy/epolleventdispatcher.h"

#include <QCoreApplication>

#include <cstdio>

int main(int argc, char *argv[])
{
    // The main thread (admin API, signals, reloads, exporters) runs on the same epoll dispatcher as
    // the workers: one event loop implementation to trust, and GLib's main context (Qt's default on
    // Linux) is never set up (about 0.1 MB less resident in the idle daemon).
    QCoreApplication::setEventDispatcher(new Gatehouse::EpollEventDispatcher);
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("gatehoused"));
    QCoreApplication::setOrganizationName(QStringLiteral("Gatehouse"));
    QTextStream out(stdout);
    QTextStream err(stderr);
    const int code = Gatehouse::Cli::dispatch(app.arguments().mid(1), out, err);
    out.flush();
    err.flush();
    return code;
}
