// ProtoLiveParser: re-reads a .proto editor's text shortly after typing stops, off the UI thread,
// together with the project's other .proto files, and feeds the services it declares to the
// services table and its diagnostics to the editor.
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

class ProtoLiveParser : public QObject
{
    Q_OBJECT
public:
    // Becomes a child of `editor`, whose filePath()/projectDir() name the file; parses once soon.
    explicit ProtoLiveParser(CodeEditor *editor);
    ~ProtoLiveParser() override;

    static ProtoLiveParser *of(const CodeEditor *editor);
    // True for the files a project reads as protos: *.proto anywhere below protos/.
    static bool isProtoFile(const QString &absolutePath, const QString &projectDir);

    CodeEditor *editor() const { return m_editor; }
    // The project's settings and APIs give the cross-file checks (tiers, schemes) the verdict a
    // save would get. Re-checks unsaved text against the new project.
    void setProject(const Project &project);
    void setDelay(std::chrono::milliseconds delay);
    void schedule();   // parse once the text has been still for delay()
    void parseNow();

    // The services this file declares, from the last parse without errors in this file: while the
    // text does not parse, they stay and isStale() is true.
    const QList<GrpcService> &services() const { return m_services; }
    bool isStale() const { return m_stale; }
    bool hasParsed() const { return m_parseCount > 0; }
    const Diagnostics &diagnostics() const { return m_diagnostics; }   // this file's
    int parseCount() const { return m_parseCount; }
    bool isBusy() const { return m_running; }

signals:
    void updated();

private:
    struct Result;
    static std::shared_ptr<const Result> analyse(const QString &projectDir, const QString &relativePath,
                                                 const QByteArray &text,
                                                 const std::optional<Project> &project);
    void start();
    void finish();

    CodeEditor *m_editor;
    QTimer *m_timer;
    std::chrono::milliseconds m_delay{300};
    std::optional<Project> m_project;
    QList<GrpcService> m_services;
    Diagnostics m_diagnostics;
    QString m_parsedText;
    QString m_shownText;
    bool m_stale = false;
    bool m_running = false;
    bool m_force = false;
    int m_parseCount = 0;
    QFutureWatcher<std::shared_ptr<const Result>> *m_watcher;
};

} // namespace Gatehouse
