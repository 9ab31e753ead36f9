// Entry point of the Gatehouse workbench.
#include "mainwindow.h"

#include "base/version.h"

#include <QApplication>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Gatehouse"));
    QApplication::setOrganizationName(QStringLiteral("Gatehouse"));
    QApplication::setApplicationVersion(Gatehouse::versionString());
    Gatehouse::MainWindow window;
    window.show();
    return QApplication::exec();
}
