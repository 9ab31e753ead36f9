// Entry point of the Gatehouse workbench: gatehouse [PROJECT_DIR].
#include "gatewaycontroller.h"
#include "mainwindow.h"
#include "theme.h"

#include "base/version.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QSettings>

namespace {

// The bundled sample: next to an installed binary, else in the source tree this was built from.
QString sampleProject()
{
    const QStringList candidates = {
        QCoreApplication::applicationDirPath() + QStringLiteral("/../share/gatehouse/samples/petstore"),
        QStringLiteral(GATEHOUSE_SAMPLES_DIR "/petstore"),
    };
    for (const QString &c : candidates) {
        if (QFileInfo(c).isDir())
            return QDir(c).canonicalPath();
    }
    return {};
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Gatehouse"));
    QApplication::setOrganizationName(QStringLiteral("Gatehouse"));
    QApplication::setApplicationVersion(Gatehouse::versionString());

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Gatehouse: API workbench with an embedded API gateway."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("project"),
                                 QStringLiteral("Project folder to open (default: the last one, or the sample)."),
                                 QStringLiteral("[PROJECT_DIR]"));
    const QCommandLineOption start(QStringLiteral("start"),
                                   QStringLiteral("Start the embedded gateway once the project is open."));
    parser.addOption(start);
    parser.process(app);
    Gatehouse::applyTheme(Gatehouse::savedTheme());

    QString dir = parser.positionalArguments().value(0);
    if (dir.isEmpty()) {
        const QStringList recent = QSettings().value(QStringLiteral("recentProjects")).toStringList();
        dir = !recent.isEmpty() && QFileInfo(recent.first()).isDir() ? recent.first() : sampleProject();
    }

    Gatehouse::MainWindow window;
    if (!dir.isEmpty() && window.openProject(dir) && parser.isSet(start))
        window.gateway()->start();
    window.show();
    return QApplication::exec();
}
