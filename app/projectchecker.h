// ProjectChecker: checks the whole project as it would be if every open editor were saved — the
// unsaved text of gatehouse.yaml and of the APIs over the files on disk — shortly after typing
// stops, on the thread pool, for the Problems dock.
#pragma once

#include "base/diagnostic.h"

#include <QFutureWatcher>
#include <QHash>
#include <QObject>

#include <chrono>

class QTimer;

namespace Gatehouse {

class ProjectChecker : public QObject
{
    Q_OBJECT
public:
    explicit ProjectChecker(QObject *parent = nullptr);
    ~ProjectChecker() override;

    // The project folder (absolute); empty stops checking.
    void setProjectDir(const QString &dir);
    QString projectDir() const { return m_projectDir; }

    // The unsaved text of a file, by path relative to the project ("apis/petstore.yaml",
    // "gatehouse.yaml"), read instead of the file on disk. An empty QString (null) forgets it.
    void setOverlay(const QString &relativePath, const QString &text);
    void clearOverlays();

    void setDelay(std::chrono::milliseconds delay);
    void schedule();   // check once the edits have paused for the delay
    bool isBusy() const { return m_running; }
    int checkCount() const { return m_checkCount; }

    // True for the files an overlay changes the check of: gatehouse.yaml/.yml and apis/*.yaml|yml|json.
    static bool isProjectFile(const QString &relativePath);

    // Runs on any thread: the project folder checked with the overlays (relative path → text).
    static Diagnostics check(const QString &projectDir, const QHash<QString, QByteArray> &overlays);

signals:
    // Emitted just before a check reads the overlays: the moment to set them from the editors.
    void aboutToCheck();
    // The project's diagnostics, sorted, with unsaved text taken into account.
    void checked(const Gatehouse::Diagnostics &diagnostics);

private:
    void start();
    void finish();

    QString m_projectDir;
    QHash<QString, QByteArray> m_overlays;
    QTimer *m_timer;
    bool m_running = false;
    bool m_again = false;   // something changed while a check ran
    int m_checkCount = 0;
    QFutureWatcher<Diagnostics> *m_watcher;
};

} // namespace Gatehouse
