// LiveParser: what the OpenAPI and .proto editors share to check their text as the user types:
// a debounce on the UI thread, the parse on the thread pool, and a result applied only if the text
// is still the one parsed (else the parse starts over once typing pauses again).
#pragma once

#include "project/project.h"

#include <QFutureWatcher>
#include <QObject>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

class QTimer;

namespace Gatehouse {

class CodeEditor;

class LiveParser : public QObject
{
    Q_OBJECT
public:
    ~LiveParser() override;

    CodeEditor *editor() const { return m_editor; }
    void setDelay(std::chrono::milliseconds delay);
    std::chrono::milliseconds delay() const { return m_delay; }
    void schedule();   // parse once the text has been still for delay()
    void parseNow();   // parse at once (still on a worker thread)

    // This file's diagnostics from the last parse; the editor shows them already.
    const Diagnostics &diagnostics() const { return m_diagnostics; }
    // The last parse could not read the text (a syntax error half-way through an edit).
    bool lastParseFailed() const { return m_lastFailed; }
    // ... and an earlier one could: what it understood is still shown, so an outline keeps its
    // entries instead of flashing empty.
    bool isStale() const { return m_lastFailed && m_everRead; }
    bool hasParsed() const { return m_parseCount > 0; }
    int parseCount() const { return m_parseCount; }   // finished parses, for tests and tools
    bool isBusy() const { return m_running; }

signals:
    // The parse results and diagnostics() changed.
    void updated();

protected:
    struct Result
    {
        virtual ~Result() = default;
        bool read = false;   // the text was understood (the subclass keeps what it read)
        Diagnostics diagnostics;
    };
    using Task = std::function<std::shared_ptr<const Result>()>;

    // Becomes a child of `editor` and parses once soon.
    LiveParser(CodeEditor *editor, const QString &objectName);
    // UI thread: the parse of `text`, to run on the thread pool. It must own copies of all it
    // reads (the project, paths): the editor may close while it runs.
    virtual Task makeTask(const QByteArray &text) = 0;
    // UI thread: a result whose `read` is true, for the text now shown.
    virtual void keep(const Result &result) = 0;
    // The next parse runs even if the text has not changed (the project it is checked against did).
    void forceNextParse() { m_force = true; }

    std::optional<Project> m_project;   // what cross-file checks compare the text with

private:
    void start();
    void finish();

    CodeEditor *m_editor;
    QTimer *m_timer;
    std::chrono::milliseconds m_delay{300};
    Diagnostics m_diagnostics;
    QString m_parsedText;   // the text the running (or last) parse reads
    QString m_shownText;    // the text the results and diagnostics() describe
    bool m_lastFailed = false;
    bool m_everRead = false;
    bool m_running = false;
    bool m_force = false;   // parse even if the text is unchanged
    int m_parseCount = 0;
    // Owned, so a result arriving after the editor closed goes nowhere.
    QFutureWatcher<std::shared_ptr<const Result>> *m_watcher;
};

} // namespace Gatehouse
