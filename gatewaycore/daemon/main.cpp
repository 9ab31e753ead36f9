// Entry point of gatehoused, the headless Gatehouse gateway.
#include "cli.h"

#include <QCoreApplication>

#include <cstdio>

int main(int argc, char *argv[])
{
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
