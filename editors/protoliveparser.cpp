// ProtoLiveParser: on the thread pool, load the project's protos with this file's unsaved text in
// place of the saved one, cross-check, and keep what concerns this file.
#include "protoliveparser.h"

#include "codeeditor.h"
#include "project/protoloader.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>

namespace Gatehouse {

struct ProtoLiveParser::ProtoResult : Result
{
    QList<GrpcService> services;
};

namespace {

// Runs on a worker thread: everything it touches was copied in. Whether the file loaded without
// errors of its own; its services and diagnostics in `services` and `diagnostics`.
bool analyse(const QString &projectDir, const QString &relativePath, const QByteArray &text,
             const std::optional<Project> &project, QList<GrpcService> &services,
             Diagnostics &diagnostics)
{
    const QString prefix = QStringLiteral("protos/");
    const QString importPath = relativePath.mid(prefix.size());
    // The other project files as saved (they may be imported), this one as in the editor.
    QList<ProtoSourceFile> files{{importPath, text}};
    if (!projectDir.isEmpty()) {
        const QDir root(projectDir + u'/' + prefix);
        QDirIterator it(root.path(), {QStringLiteral("*.proto")}, QDir::Files,
                        QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = root.relativeFilePath(it.next());
            QFile file(root.filePath(path));
            if (path == importPath || file.size() > kMaxProtoFileBytes
                || !file.open(QIODevice::ReadOnly))
                continue;   // the project check reports unreadable files
            files.append({path, file.readAll()});
        }
    }
    Diagnostics all;
    ProtoSet set = loadProtoSources(files, prefix, all);
    const bool parsed = set.files.contains(relativePath);
    for (const GrpcService &service : std::as_const(set.services))
        if (service.file == relativePath)
            services << service;
    if (project && parsed) {
        Project edited = *project;
        edited.protos = std::move(set);
        validateProject(edited, all);
    }
    all.sort();
    for (const Diagnostic &d : all.items())
        if (d.location.file == relativePath)
            diagnostics.add(d);
    return parsed;
}

} // namespace

ProtoLiveParser::ProtoLiveParser(CodeEditor *editor)
    : LiveParser(editor, QStringLiteral("ProtoLiveParser"))
{
}

ProtoLiveParser *ProtoLiveParser::of(const CodeEditor *editor)
{
    return editor ? editor->findChild<ProtoLiveParser *>(QString(), Qt::FindDirectChildrenOnly)
                  : nullptr;
}

bool ProtoLiveParser::isProtoFile(const QString &absolutePath, const QString &projectDir)
{
    if (projectDir.isEmpty() || !absolutePath.endsWith(QStringLiteral(".proto")))
        return false;
    const QString relative = QDir(projectDir + QStringLiteral("/protos")).relativeFilePath(absolutePath);
    return !relative.startsWith(QStringLiteral("../")) && !QDir::isAbsolutePath(relative);
}

void ProtoLiveParser::setProject(const Project &project)
{
    m_project = project;
    forceNextParse();
    schedule();
}

LiveParser::Task ProtoLiveParser::makeTask(const QByteArray &text)
{
    QString projectDir = editor()->projectDir();
    QString relative = editor()->relativeFilePath();
    if (projectDir.isEmpty() || !relative.startsWith(QStringLiteral("protos/"))) {
        // A .proto outside a project: its own folder stands in for protos/.
        const QFileInfo file(editor()->filePath());
        projectDir = QString();
        relative = QStringLiteral("protos/") + file.fileName();
    }
    return [projectDir, relative, text, project = m_project]() -> std::shared_ptr<const Result> {
        auto result = std::make_shared<ProtoResult>();
        result->read = analyse(projectDir, relative, text, project, result->services,
                               result->diagnostics);
        return result;
    };
}

void ProtoLiveParser::keep(const Result &result)
{
    m_services = static_cast<const ProtoResult &>(result).services;
}

} // namespace Gatehouse
