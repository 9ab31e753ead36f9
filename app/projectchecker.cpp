// ProjectChecker: the project load of gatewaycore/project, with the settings and API loaders fed
// editor text where there is some; debounced on the UI thread, run by QtConcurrent.
#include "projectchecker.h"

#include "base/threadcrypto.h"
#include "project/openapiloader.h"
#include "project/project.h"

#include <QDir>
#include <QFileInfo>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

namespace Gatehouse {

ProjectChecker::ProjectChecker(QObject *parent)
    : QObject(parent), m_timer(new QTimer(this)), m_watcher(new QFutureWatcher<Diagnostics>(this))
{
    m_timer->setSingleShot(true);
    m_timer->setInterval(std::chrono::milliseconds(500));
    connect(m_timer, &QTimer::timeout, this, &ProjectChecker::start);
    connect(m_watcher, &QFutureWatcherBase::finished, this, &ProjectChecker::finish);
}

ProjectChecker::~ProjectChecker()
{
    m_watcher->waitForFinished();   // the check reads only copies, but let it end before we do
}

void ProjectChecker::setProjectDir(const QString &dir)
{
    if (dir == m_projectDir)
        return;
    m_projectDir = dir;
    m_overlays.clear();
    m_timer->stop();
}

void ProjectChecker::setOverlay(const QString &relativePath, const QString &text)
{
    if (text.isNull())
        m_overlays.remove(relativePath);
    else
        m_overlays.insert(relativePath, text.toUtf8());
}

void ProjectChecker::clearOverlays() { m_overlays.clear(); }

void ProjectChecker::setDelay(std::chrono::milliseconds delay) { m_timer->setInterval(delay); }

void ProjectChecker::schedule()
{
    if (!m_projectDir.isEmpty())
        m_timer->start();
}

bool ProjectChecker::isProjectFile(const QString &relativePath)
{
    const QFileInfo info(relativePath);
    const QString suffix = info.suffix().toLower();
    if (relativePath == u"gatehouse.yaml" || relativePath == u"gatehouse.yml")
        return true;
    return (suffix == u"yaml" || suffix == u"yml" || suffix == u"json")
           && QDir::cleanPath(info.path()) == u"apis";
}

void ProjectChecker::start()
{
    if (m_projectDir.isEmpty())
        return;
    if (m_running) {
        m_again = true;
        return;
    }
    m_running = true;
    emit aboutToCheck();
    m_watcher->setFuture(QtConcurrent::run([projectDir = m_projectDir, overlays = m_overlays] {
        Diagnostics diagnostics = check(projectDir, overlays);
        releaseThreadCryptoState();   // a pool thread (TLS files are read with OpenSSL): see threadcrypto.h
        return diagnostics;
    }));
}

void ProjectChecker::finish()
{
    m_running = false;
    ++m_checkCount;
    const Diagnostics diagnostics = m_watcher->result();
    if (m_again) {   // the text changed meanwhile: this result is already old
        m_again = false;
        start();
        return;
    }
    emit checked(diagnostics);
}

Diagnostics ProjectChecker::check(const QString &projectDir, const QHash<QString, QByteArray> &overlays)
{
    Diagnostics diagnostics;
    Project project;
    project.rootDir = projectDir;
    QString settingsFile;
    for (const QString &name : {QStringLiteral("gatehouse.yaml"), QStringLiteral("gatehouse.yml")}) {
        if (overlays.contains(name))
            settingsFile = name;
    }
    project.settings = settingsFile.isEmpty()
                           ? loadProjectSettings(projectDir, diagnostics)
                           : loadProjectSettingsFromBytes(overlays.value(settingsFile), projectDir,
                                                          settingsFile, diagnostics);
    if (project.settings.name.isEmpty())
        project.settings.name = QFileInfo(projectDir).fileName();

    // The files Project::load reads as APIs, each from the editor when it has unsaved text.
    const QFileInfoList entries = QDir(projectDir + QStringLiteral("/apis"))
                                      .entryInfoList(QDir::Files, QDir::Name);
    for (const QFileInfo &file : entries) {
        const QString relative = QStringLiteral("apis/") + file.fileName();
        // Worded as Project::load says it (the core's diagnostics stay English), so a save changes nothing.
        if (!isProjectFile(relative)) {
            diagnostics.warning({relative, 0, 0},
                                QStringLiteral("ignored: only .yaml, .yml and .json files under "
                                               "apis/ are read as APIs"));
            continue;
        }
        const auto overlay = overlays.constFind(relative);
        std::optional<ApiSpec> api
            = overlay == overlays.constEnd()
                  ? loadOpenApiFile(projectDir, relative, diagnostics)
                  : loadOpenApiText(projectDir, relative, *overlay, diagnostics);
        if (api)
            project.apis.append(std::move(*api));
    }
    project.protos = loadProtos(projectDir, diagnostics);
    if (project.apis.isEmpty() && project.protos.services.isEmpty() && !diagnostics.hasErrors()) {
        diagnostics.warning({QStringLiteral("apis"), 0, 0},
                            QStringLiteral("the project has no APIs yet: add OpenAPI files under "
                                           "apis/ or .proto files with services under protos/"));
    }
    validateProject(project, diagnostics);
    diagnostics.sort();
    return diagnostics;
}

} // namespace Gatehouse
