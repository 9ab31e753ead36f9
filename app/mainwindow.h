// The workbench main window: project explorer, tabbed editors, problems dock, status bar.
#pragma once

#include "base/diagnostic.h"
#include "project/project.h"
#include "workbenchsettings.h"

#include <QMainWindow>

#include <functional>

class QAction;
class QLabel;
class QMenu;
class QStackedWidget;
class QTabWidget;

namespace Gatehouse {

class CodeEditor;
class GatewayController;
class GatewayForm;
class GrpcTryIt;
class KeysDock;
class MetricsDock;
struct MgwImportUi;
class OpenApiOutline;
class ProblemsPane;
class ProjectChecker;
class ProjectExplorer;
class ProjectTokens;
class ProtoServicesView;
class TracesDock;
class TryItConsole;
class WelcomePage;

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);

    // Loads the project folder, fills the explorer and the problems pane. Returns false (and
    // shows why in the problems pane) when the folder cannot be read as a project.
    bool openProject(const QString &dir);
    void reloadProject();   // and the running gateway, when the project is valid

    // Opens (or focuses) a file in an editor tab and moves the cursor to line:column (1-based).
    CodeEditor *openFile(const QString &absolutePath, int line = 0, int column = 0);
    bool saveCurrent();
    bool saveAll();

    const Project &project() const { return m_project; }
    const Diagnostics &diagnostics() const { return m_diagnostics; }
    ProjectExplorer *explorer() const { return m_explorer; }
    ProblemsPane *problems() const { return m_problems; }
    QTabWidget *editors() const { return m_tabs; }
    GatewayController *gateway() const { return m_gateway; }
    OpenApiOutline *outline() const { return m_outline; }
    GatewayForm *gatewayForm() const { return m_gatewayForm; }
    ProtoServicesView *protoServices() const { return m_protoServices; }
    ProjectChecker *checker() const { return m_checker; }
    TryItConsole *tryIt() const { return m_tryIt; }
    GrpcTryIt *grpcTryIt() const { return m_grpcTryIt; }
    WelcomePage *welcomePage() const { return m_welcome; }
    ProjectTokens *tokens() const { return m_tokens; }
    KeysDock *keys() const { return m_keys; }
    MetricsDock *metrics() const { return m_metrics; }
    TracesDock *traces() const { return m_traces; }

    // File ▸ Open MGW Project…: imports a WSO2 MGW 3.x project folder into a new Gatehouse project
    // (mgwproject.h; `ui` replaces the dialogs in tests) and opens that.
    bool openMgwProject(const QString &dir);
    bool openMgwProject(const QString &dir, const MgwImportUi &ui);

    // Edit ▸ Settings…: the dialog; what it applies reaches applySettings().
    void showSettings();
    // Theme, every open editor's font and tab width, the gateway's ports and workers, and
    // whether a save reloads the running gateway: all at once, without a restart.
    void applySettings(const WorkbenchSettings &settings);
    const WorkbenchSettings &settings() const { return m_settings; }

    // File ▸ New Project…: asks for a name and folder, creates it from the template and opens it.
    void newProject();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void loadProject(const QString &dir);
    void projectSaved();   // re-check; reload the gateway if the settings say so
    void createActions();
    void updateRecentMenu();
    void updateTitle();
    void updateTabTitle(CodeEditor *editor);
    void pushDiagnosticsToEditors();   // the project's diagnostics into every open editor
    void showDiagnostics();            // m_diagnostics in the Problems dock and the status bar
    void collectUnsavedText();         // the modified editors' text, for the live check
    bool maybeSave(CodeEditor *editor);
    bool saveEditor(CodeEditor *editor);
    void closeTab(int index);
    void chooseProject();
    void chooseMgwProject();
    void updateEditorArea();
    void sizeDocksForFirstRun();

    Project m_project;
    WorkbenchSettings m_settings;
    Diagnostics m_diagnostics;
    ProjectExplorer *m_explorer;
    ProblemsPane *m_problems;
    QTabWidget *m_tabs;
    QMenu *m_recentMenu = nullptr;
    QList<QAction *> m_editorActions;   // Edit ▸ Find, Replace, Go to Line: need an open editor
    GatewayController *m_gateway;
    QLabel *m_problemsLabel;
    OpenApiOutline *m_outline = nullptr;
    GatewayForm *m_gatewayForm = nullptr;
    ProtoServicesView *m_protoServices = nullptr;
    GrpcTryIt *m_grpcTryIt = nullptr;
    ProjectChecker *m_checker;
    TryItConsole *m_tryIt;
    WelcomePage *m_welcome;
    ProjectTokens *m_tokens;
    KeysDock *m_keys;
    MetricsDock *m_metrics;
    TracesDock *m_traces;
    QStackedWidget *m_editorArea;   // the welcome page while no file is open, else the tabs
};

} // namespace Gatehouse
