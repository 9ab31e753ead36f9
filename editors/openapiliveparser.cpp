// OpenApiLiveParser: load the editor's text as an API on the thread pool and cross-check it with
// the rest of the project.
#include "openapiliveparser.h"

#include "codeeditor.h"
#include "project/openapiloader.h"

#include <QDir>
#include <QFileInfo>

namespace Gatehouse {

namespace {

// Runs on a worker thread: everything it touches was copied in.
std::optional<ApiSpec> analyse(const QString &projectDir, const QString &relativePath,
                               const QByteArray &text, const std::optional<Project> &project,
                               Diagnostics &diagnostics)
{
    std::optional<ApiSpec> api = loadOpenApiText(projectDir, relativePath, text, diagnostics);
    if (project && api) {
        // The project as it would be after saving this text, checked as a whole; only what it
        // says about this file is kept (the other files' problems are in the Problems pane).
        Project edited = *project;
        auto same = [&](const ApiSpec &a) { return a.file == relativePath; };
        if (auto it = std::find_if(edited.apis.begin(), edited.apis.end(), same);
            it != edited.apis.end())
            *it = *api;   // in place: "duplicate route" blames the later file, as on load
        else
            edited.apis.append(*api);
        Diagnostics cross;
        validateProject(edited, cross);
        for (const Diagnostic &d : cross.items()) {
            if (d.location.file == relativePath)
                diagnostics.add(d);
        }
    }
    diagnostics.sort();
    return api;
}

} // namespace

struct OpenApiLiveParser::ApiResult : Result
{
    std::optional<ApiSpec> api;
};

OpenApiLiveParser::OpenApiLiveParser(CodeEditor *editor)
    : LiveParser(editor, QStringLiteral("OpenApiLiveParser"))
{
}

OpenApiLiveParser *OpenApiLiveParser::of(const CodeEditor *editor)
{
    return editor ? editor->findChild<OpenApiLiveParser *>(QString(), Qt::FindDirectChildrenOnly)
                  : nullptr;
}

bool OpenApiLiveParser::isApiFile(const QString &absolutePath, const QString &projectDir)
{
    if (projectDir.isEmpty())
        return false;
    const QFileInfo file(absolutePath);
    const QString suffix = file.suffix().toLower();
    return (suffix == u"yaml" || suffix == u"yml" || suffix == u"json")
           && QDir::cleanPath(file.absolutePath())
                  == QDir::cleanPath(projectDir + QStringLiteral("/apis"));
}

void OpenApiLiveParser::setProject(const Project &project)
{
    m_project = project;
    if (editor()->document()->isModified()) {
        // The saved file was just checked with the project; unsaved text needs its own check.
        forceNextParse();
        schedule();
    }
}

LiveParser::Task OpenApiLiveParser::makeTask(const QByteArray &text)
{
    // Outside a project the file's own folder stands in for it, so relative $refs still resolve.
    QString projectDir = editor()->projectDir();
    QString relative = editor()->relativeFilePath();
    if (projectDir.isEmpty()) {
        const QFileInfo file(editor()->filePath());
        projectDir = file.absolutePath();
        relative = file.fileName();
    }
    return [projectDir, relative, text, project = m_project]() -> std::shared_ptr<const Result> {
        auto result = std::make_shared<ApiResult>();
        result->api = analyse(projectDir, relative, text, project, result->diagnostics);
        result->read = result->api.has_value();
        return result;
    };
}

void OpenApiLiveParser::keep(const Result &result)
{
    m_api = static_cast<const ApiResult &>(result).api;
}

} // namespace Gatehouse
