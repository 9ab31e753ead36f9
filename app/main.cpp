// Entry point of the Gatehouse workbench: gatehouse [PROJECT_DIR] [--start].
#include "gatewaycontroller.h"
#include "language.h"
#include "mainwindow.h"
#include "theme.h"

#include "base/version.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QSettings>

#include <cstdio>
#include <memory>

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

// --lang must be known before the parser is built: its help texts are translated.
QString requestedLanguage(const QStringList &arguments)
{
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString &a = arguments.at(i);
        if (a == u"--")
            break;
        if ((a == u"--lang" || a == u"-lang") && i + 1 < arguments.size())
            return arguments.at(i + 1);
        if (a.startsWith(u"--lang="))
            return a.mid(7);
    }
    return {};
}

// Whether the command line only asks for --help or --version: those are answered without a
// window system, so that they work over ssh and in scripts (QApplication needs a display).
bool onlyAsksForHelp(int argc, char *argv[])
{
    for (int i = 1; i < argc; ++i) {
        const QByteArrayView a(argv[i]);
        if (a == "--")
            break;
        if (a == "-h" || a == "-?" || a == "--help" || a == "--help-all" || a == "-v" || a == "--version")
            return true;
    }
    return false;
}

} // namespace

int main(int argc, char *argv[])
{
    const std::unique_ptr<QCoreApplication> app(onlyAsksForHelp(argc, argv) ? new QCoreApplication(argc, argv)
                                                                            : new QApplication(argc, argv));
    QApplication::setApplicationName(QStringLiteral("Gatehouse"));
    QApplication::setOrganizationName(QStringLiteral("Gatehouse"));
    QApplication::setApplicationVersion(Gatehouse::versionString());

    QString languageError;
    const QString language = Gatehouse::resolveLanguage(requestedLanguage(QApplication::arguments()),
                                                        &languageError);
    if (language.isEmpty()) {
        std::fprintf(stderr, "gatehouse: %s\n", qPrintable(languageError));
        return 1;
    }
    Gatehouse::installTranslators(language);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QCoreApplication::translate("main", "Gatehouse: API workbench with an embedded API gateway."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(
        QStringLiteral("project"),
        QCoreApplication::translate("main", "Project folder to open (default: the last one, or the sample)."),
        QStringLiteral("[PROJECT_DIR]"));
    const QCommandLineOption start(
        QStringLiteral("start"),
        QCoreApplication::translate("main", "Start the embedded gateway once the project is open."));
    parser.addOption(start);
    const QCommandLineOption lang(
        QStringLiteral("lang"),
        QCoreApplication::translate("main", "Show the workbench in LANG (en, de) instead of the "
                                            "language chosen in Settings or the system's."),
        QStringLiteral("LANG"));
    parser.addOption(lang);
    parser.process(*app);   // --help and --version print and exit here
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
