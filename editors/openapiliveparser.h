// OpenApiLiveParser: re-reads an OpenAPI editor's text shortly after typing stops, off the UI
// thread, and feeds what it understood to the outline and its diagnostics to the editor.
#pragma once

#include "project/project.h"

#include <QFutureWatcher>
#include <QObject>

#include <chrono>
#include <memory>
#include <optional>

class QTimer;

namespace Gatehouse {

class CodeEditor;

class OpenApiLiveParser : public QObject
{
    Q_OBJECT
public:
    // Becomes a child of `editor`, whose filePath()/projectDir() name the file; parses once soon.
    explicit OpenApiLiveParser(CodeEditor *editor);
    ~OpenApiLiveParser() override;

    // The parser attached to an editor, if any.
    static OpenApiLiveParser *of(const CodeEditor *editor);
    // True for the files a project reads as APIs: *.yaml, *.yml, *.json directly under apis/.
    static bool isApiFile(const QString &absolutePath, const QString &projectDir);

    CodeEditor *editor() const { return m_editor; }

    // The project the file belongs to: its settings, protos and other APIs give the checks that
    // span files (tiers, scopes, issuers ...) the same verdict as a save would. Without a project
    // only the file itself is checked. Re-checks unsaved text against the new project.
    void setProject(const Project &project);
    void setDelay(std::chrono::milliseconds delay);
    std::chrono::milliseconds delay() const { return m_delay; }
    void schedule();   // parse once the text has been still for delay()
    void parseNow();   // parse at once (still on a worker thread)

    // What the last parse understood. When the text stops being an OpenAPI document (a syntax
    // error half-way through an edit), the last good API stays and isStale() turns true, so the
    // outline keeps its operations instead of flashing empty.
    const std::optional<ApiSpec> &api() const { return m_api; }
    bool isStale() const { return m_stale; }
    const Diagnostics &diagnostics() const { return m_diagnostics; }
    bool isBusy() const { return m_running; }
    int parseCount() const { return m_parseCount; }   // finished parses, for tests and tools

signals:
    // api() and diagnostics() changed; the editor already shows the new diagnostics.
    void updated();

private:
    struct Result;
    // Runs on a worker thread: everything it touches was copied in.
    static std::shared_ptr<const Result> analyse(const QString &projectDir,
                                                 const QString &relativePath,
                                                 const QByteArray &text,
                                                 const std::optional<Project> &project);
    void start();
    void finish();

    CodeEditor *m_editor;
    QTimer *m_timer;
    std::chrono::milliseconds m_delay{300};
    std::optional<Project> m_project;
    std::optional<ApiSpec> m_api;
    Diagnostics m_diagnostics;
    QString m_parsedText;   // the text the running (or last) parse reads
    QString m_shownText;    // the text api() and diagnostics() describe
    bool m_stale = false;
    bool m_running = false;
    bool m_force = false;     // parse even if the text is unchanged (the project changed)
    int m_parseCount = 0;
    // Owned, so a result arriving after the editor closed goes nowhere.
    QFutureWatcher<std::shared_ptr<const Result>> *m_watcher;
};

} // namespace Gatehouse
