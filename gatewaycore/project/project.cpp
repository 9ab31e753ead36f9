// Loading a project folder: settings, every API under apis/, every .proto under protos/.
#include "project.h"

#include "export/environmentoverrides.h"

#include <QDir>
#include <QFileInfo>

namespace Gatehouse {

Project Project::load(const QString &dir, Diagnostics &diagnostics)
{
    Project project;
    const QFileInfo info(dir);
    if (!info.exists()) {
        diagnostics.error({dir, 0, 0}, QStringLiteral("project folder does not exist"));
        return project;
    }
    if (!info.isDir()) {
        diagnostics.error({dir, 0, 0},
                          QStringLiteral("not a folder: a project is a folder with gatehouse.yaml, "
                                         "apis/ and protos/"));
        return project;
    }
    project.rootDir = info.canonicalFilePath();
    project.settings = loadProjectSettings(project.rootDir, diagnostics);
    if (project.settings.name.isEmpty())
        project.settings.name = QFileInfo(project.rootDir).fileName();

    // Only files directly under apis/ are APIs; sub-folders hold fragments they $ref.
    const QDir apisDir(project.rootDir + QStringLiteral("/apis"));
    if (apisDir.exists()) {
        const QFileInfoList entries = apisDir.entryInfoList(QDir::Files | QDir::Hidden, QDir::Name);
        for (const QFileInfo &file : entries) {
            const QString relative = QStringLiteral("apis/") + file.fileName();
            const QString suffix = file.suffix().toLower();
            if (file.fileName().startsWith(u'.'))
                continue;   // editor swap files, .gitkeep
            if (suffix != u"yaml" && suffix != u"yml" && suffix != u"json") {
                diagnostics.warning({relative, 0, 0},
                                    QStringLiteral("ignored: only .yaml, .yml and .json files under "
                                                   "apis/ are read as APIs"));
                continue;
            }
            if (auto api = loadOpenApiFile(project.rootDir, relative, diagnostics))
                project.apis.append(std::move(*api));
        }
    }

    project.protos = loadProtos(project.rootDir, diagnostics);
    if (isExportedBundle(project.rootDir))
        applyEnvironmentOverrides(project, QProcessEnvironment::systemEnvironment(), diagnostics);

    if (project.apis.isEmpty() && project.protos.services.isEmpty() && !diagnostics.hasErrors()) {
        diagnostics.warning({QStringLiteral("apis"), 0, 0},
                            QStringLiteral("the project has no APIs yet: add OpenAPI files under "
                                           "apis/ or .proto files with services under protos/"));
    }

    validateProject(project, diagnostics);
    return project;
}

} // namespace Gatehouse
