// ProtoLiveParser: debounce on the UI thread; on the thread pool, load the project's protos with this
// file's unsaved text in place of the saved one, cross-check, and keep what concerns this file.
#include "protoliveparser.h"

#include "codeeditor.h"
#include "project/protoloader.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

namespace Gatehouse {

struct ProtoLiveParser::Result
{
    bool parsed = false;   // the file loaded without errors of its own
    QList<GrpcService> services;
    Diagnostics diagnostics;
};

ProtoLiveParser::ProtoLiveParser(CodeEditor *editor)
    : QObject(editor), m_editor(editor), m_timer(new QTimer(this)),
      m_watcher(new QFutureWatcher<std::shared_ptr<const Result>>(this))
{
    setObjectName(QStringLiteral("ProtoLiveParser"));
    m_timer->setSingleShot(true);
    m_timer->setInterval(m_delay);
    connect(m_timer, &QTimer::timeout, this, &ProtoLiveParser::start);
    connect(m_watcher, &QFutureWatcherBase::finished, this, &ProtoLiveParser::finish);
    connect(editor->document(), &QTextDocument::contentsChanged, this, &ProtoLiveParser::schedule);
    m_timer->start(0);
}

ProtoLiveParser::~ProtoLiveParser()
{
    m_watcher->waitForFinished();   // the task reads nothing of ours, but its result must not leak
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
    m_force = true;
    schedule();
}

void ProtoLiveParser::setDelay(std::chrono::milliseconds delay)
{
    m_delay = delay;
    m_timer->setInterval(delay);
}

void ProtoLiveParser::schedule()
{
    m_timer->start(m_delay);
}

void ProtoLiveParser::parseNow()
{
    m_force = true;
    m_timer->start(0);
}

void ProtoLiveParser::start()
{
    if (m_running)
        return;   // finish() starts over if the text changed meanwhile
    const QString text = m_editor->toPlainText();
    if (!m_force && m_parseCount > 0 && text == m_shownText)
        return;
    m_force = false;
    m_parsedText = text;
    m_running = true;
    QString projectDir = m_editor->projectDir();
    QString relative = m_editor->relativeFilePath();
    if (projectDir.isEmpty() || !relative.startsWith(QStringLiteral("protos/"))) {
        // A .proto outside a project: its own folder stands in for protos/.
        const QFileInfo file(m_editor->filePath());
        projectDir = QString();
        relative = QStringLiteral("protos/") + file.fileName();
    }
    m_watcher->setFuture(QtConcurrent::run(&ProtoLiveParser::analyse, projectDir, relative,
                                           text.toUtf8(), m_project));
}

void ProtoLiveParser::finish()
{
    m_running = false;
    const std::shared_ptr<const Result> result = m_watcher->result();
    if (m_editor->toPlainText() != m_parsedText) {
        schedule();
        return;
    }
    ++m_parseCount;
    m_shownText = m_parsedText;
    if (result->parsed) {
        m_services = result->services;
        m_stale = false;
    } else {
        m_stale = true;   // the table keeps the last services that parsed
    }
    m_diagnostics = result->diagnostics;
    m_editor->setDiagnostics(m_diagnostics.items());
    emit updated();
    if (m_force)
        start();
}

std::shared_ptr<const ProtoLiveParser::Result> ProtoLiveParser::analyse(
    const QString &projectDir, const QString &relativePath, const QByteArray &text,
    const std::optional<Project> &project)
{
    auto result = std::make_shared<Result>();
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
    result->parsed = set.files.contains(relativePath);
    for (const GrpcService &service : std::as_const(set.services))
        if (service.file == relativePath)
            result->services << service;
    if (project && result->parsed) {
        Project edited = *project;
        edited.protos = std::move(set);
        validateProject(edited, all);
    }
    all.sort();
    for (const Diagnostic &d : all.items())
        if (d.location.file == relativePath)
            result->diagnostics.add(d);
    return result;
}

} // namespace Gatehouse
