// OpenApiLiveParser: debounce on the UI thread, load and cross-check on the thread pool, apply the
// result only if the text did not change meanwhile (else parse again).
#include "openapiliveparser.h"

#include "codeeditor.h"
#include "project/openapiloader.h"

#include <QDir>
#include <QFileInfo>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

namespace Gatehouse {

struct OpenApiLiveParser::Result
{
    std::optional<ApiSpec> api;
    Diagnostics diagnostics;
};

OpenApiLiveParser::OpenApiLiveParser(CodeEditor *editor)
    : QObject(editor), m_editor(editor), m_timer(new QTimer(this)),
      m_watcher(new QFutureWatcher<std::shared_ptr<const Result>>(this))
{
    setObjectName(QStringLiteral("OpenApiLiveParser"));
    m_timer->setSingleShot(true);
    m_timer->setInterval(m_delay);
    connect(m_timer, &QTimer::timeout, this, &OpenApiLiveParser::start);
    connect(m_watcher, &QFutureWatcherBase::finished, this, &OpenApiLiveParser::finish);
    connect(editor->document(), &QTextDocument::contentsChanged, this,
            &OpenApiLiveParser::schedule);
    m_timer->start(0);
}

OpenApiLiveParser::~OpenApiLiveParser() = default;

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
    if (m_editor->document()->isModified()) {
        // The saved file was just checked with the project; unsaved text needs its own check.
        m_force = true;
        schedule();
    }
}

void OpenApiLiveParser::setDelay(std::chrono::milliseconds delay)
{
    m_delay = delay;
    m_timer->setInterval(delay);
}

void OpenApiLiveParser::schedule()
{
    m_timer->start(m_delay);
}

void OpenApiLiveParser::parseNow()
{
    m_force = true;
    m_timer->start(0);
}

void OpenApiLiveParser::start()
{
    if (m_running)
        return;   // finish() looks at the text again and starts over if it changed
    const QString text = m_editor->toPlainText();
    if (!m_force && m_parseCount > 0 && text == m_shownText)
        return;   // a re-highlight, or an undo back to the text already shown
    m_force = false;
    m_parsedText = text;
    m_running = true;

    // Outside a project the file's own folder stands in for it, so relative $refs still resolve.
    QString projectDir = m_editor->projectDir();
    QString relative = m_editor->relativeFilePath();
    if (projectDir.isEmpty()) {
        const QFileInfo file(m_editor->filePath());
        projectDir = file.absolutePath();
        relative = file.fileName();
    }
    m_watcher->setFuture(QtConcurrent::run(&OpenApiLiveParser::analyse, projectDir, relative,
                                           text.toUtf8(), m_project));
}

void OpenApiLiveParser::finish()
{
    m_running = false;
    const std::shared_ptr<const Result> result = m_watcher->result();
    if (m_editor->toPlainText() != m_parsedText) {
        // Diagnostics of older text would underline the wrong places: read the new text once the
        // typing pauses again.
        schedule();
        return;
    }
    ++m_parseCount;
    m_shownText = m_parsedText;
    if (result->api) {
        m_api = result->api;
        m_stale = false;
    } else {
        m_stale = m_api.has_value();
    }
    m_diagnostics = result->diagnostics;
    m_editor->setDiagnostics(m_diagnostics.items());
    emit updated();
    if (m_force)
        start();   // the project changed while this ran: check the same text against the new one
}

std::shared_ptr<const OpenApiLiveParser::Result> OpenApiLiveParser::analyse(
    const QString &projectDir, const QString &relativePath, const QByteArray &text,
    const std::optional<Project> &project)
{
    auto result = std::make_shared<OpenApiLiveParser::Result>();
    result->api = loadOpenApiText(projectDir, relativePath, text, result->diagnostics);
    if (project && result->api) {
        // The project as it would be after saving this text, checked as a whole; only what it
        // says about this file is kept (the other files' problems are in the Problems pane).
        Project edited = *project;
        auto same = [&](const ApiSpec &api) { return api.file == relativePath; };
        if (auto it = std::find_if(edited.apis.begin(), edited.apis.end(), same);
            it != edited.apis.end())
            *it = *result->api;   // in place: "duplicate route" blames the later file, as on load
        else
            edited.apis.append(*result->api);
        Diagnostics cross;
        validateProject(edited, cross);
        for (const Diagnostic &d : cross.items()) {
            if (d.location.file == relativePath)
                result->diagnostics.add(d);
        }
    }
    result->diagnostics.sort();
    return result;
}

} // namespace Gatehouse
