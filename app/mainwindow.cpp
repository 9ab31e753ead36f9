// The workbench main window: project explorer, tabbed editors, problems dock, status bar.
#include "mainwindow.h"

#include "codeeditor.h"
#include "exportwizard.h"
#include "gatewayform.h"
#include "mgwproject.h"
#include "gatewaycontroller.h"
#include "grpctryit.h"
#include "authhelper.h"
#include "keysdock.h"
#include "metricsdock.h"
#include "projecttokens.h"
#include "tracesdock.h"
#include "newprojectdialog.h"
#include "openapiliveparser.h"
#include "openapioutline.h"
#include "problemspane.h"
#include "projectchecker.h"
#include "projectexplorer.h"
#include "protocompletion.h"
#include "protoliveparser.h"
#include "protoservicesview.h"
#include "settingsdialog.h"
#include "theme.h"
#include "tryitconsole.h"
#include "welcomepage.h"

#include "base/savefile.h"
#include "base/version.h"
#include "pipeline/gatewayservices.h"
#include "security/tokenservices.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDateTime>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QScrollArea>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <QToolBar>

namespace Gatehouse {

namespace {
constexpr int kMaxRecent = 8;
const char kPathProperty[] = "gatehouse_path";

QString editorPath(const QWidget *w) { return w ? w->property(kPathProperty).toString() : QString(); }
} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent), m_explorer(new ProjectExplorer), m_problems(new ProblemsPane),
      m_tabs(new QTabWidget), m_gateway(new GatewayController(this)), m_problemsLabel(new QLabel),
      m_checker(new ProjectChecker(this)), m_tryIt(new TryItConsole), m_welcome(new WelcomePage),
      m_tokens(new ProjectTokens(this)), m_keys(new KeysDock(m_tokens)), m_metrics(new MetricsDock), m_traces(new TracesDock),
      m_editorArea(new QStackedWidget)
{
    setObjectName(QStringLiteral("MainWindow"));
    m_tabs->setDocumentMode(true);
    m_tabs->setTabsClosable(true);
    m_tabs->setMovable(true);
    m_editorArea->addWidget(m_welcome);
    m_editorArea->addWidget(m_tabs);
    setCentralWidget(m_editorArea);
    connect(m_tabs, &QTabWidget::tabCloseRequested, this, &MainWindow::closeTab);
    // currentChanged fires with -1 when the last tab goes and with 0 when the first one comes.
    connect(m_tabs, &QTabWidget::currentChanged, this, &MainWindow::updateEditorArea);

    auto *explorerDock = new QDockWidget(tr("Project"), this);
    explorerDock->setObjectName(QStringLiteral("ProjectDock"));
    explorerDock->setWidget(m_explorer);
    addDockWidget(Qt::LeftDockWidgetArea, explorerDock);

    auto *problemsDock = new QDockWidget(tr("Problems"), this);
    problemsDock->setObjectName(QStringLiteral("ProblemsDock"));
    problemsDock->setWidget(m_problems);
    addDockWidget(Qt::BottomDockWidgetArea, problemsDock);

    // One outline that follows the current tab (as Qt Creator's sidebar does) rather than a panel
    // in each tab: every tab stays a plain CodeEditor, and the user can move or hide it.
    m_outline = new OpenApiOutline;
    auto *outlineDock = new QDockWidget(tr("Outline"), this);
    outlineDock->setObjectName(QStringLiteral("OutlineDock"));
    outlineDock->setWidget(m_outline);
    addDockWidget(Qt::LeftDockWidgetArea, outlineDock);   // below the project tree
    // The gateway side of the API or operation under the cursor, as a form over the same text.
    m_gatewayForm = new GatewayForm;
    auto *formDock = new QDockWidget(tr("Gateway Settings"), this);
    formDock->setObjectName(QStringLiteral("GatewayFormDock"));
    auto *formScroll = new QScrollArea;   // the form may be taller than the dock: it scrolls
    formScroll->setWidget(m_gatewayForm);
    formScroll->setWidgetResizable(true);
    formScroll->setFrameShape(QFrame::NoFrame);
    formDock->setWidget(formScroll);
    addDockWidget(Qt::LeftDockWidgetArea, formDock);
    tabifyDockWidget(outlineDock, formDock);
    outlineDock->raise();
    // The services and methods of the .proto in the current tab, editable as a table.
    m_protoServices = new ProtoServicesView;
    auto *servicesDock = new QDockWidget(tr("gRPC Services"), this);
    servicesDock->setObjectName(QStringLiteral("ProtoServicesDock"));
    servicesDock->setWidget(m_protoServices);
    addDockWidget(Qt::LeftDockWidgetArea, servicesDock);
    tabifyDockWidget(formDock, servicesDock);
    outlineDock->raise();
    connect(m_tabs, &QTabWidget::currentChanged, this, [this, servicesDock, outlineDock] {
        auto *editor = qobject_cast<CodeEditor *>(m_tabs->currentWidget());
        m_gatewayForm->setEditor(editor);   // first: the outline then names the operation
        m_outline->setEditor(editor);
        m_protoServices->setEditor(editor);
        if (ProtoLiveParser::of(editor))
            servicesDock->raise();
        else if (OpenApiLiveParser::of(editor) && !servicesDock->visibleRegion().isEmpty())
            outlineDock->raise();
    });
    connect(m_outline, &OpenApiOutline::currentOperationChanged, m_gatewayForm,
            &GatewayForm::setOperation);

    auto *tryItDock = new QDockWidget(tr("Try It"), this);
    tryItDock->setObjectName(QStringLiteral("TryItDock"));
    tryItDock->setWidget(m_tryIt);
    addDockWidget(Qt::RightDockWidgetArea, tryItDock);
    m_tryIt->setGateway(m_gateway);
    connect(m_explorer, &ProjectExplorer::operationSelected, m_tryIt,
            [this](const QString &file, const QString &method, const QString &path) {
                m_tryIt->selectOperation(file, method, path);
            });

    // gRPC methods of the project's protos, called through the embedded gateway over HTTP/2.
    m_grpcTryIt = new GrpcTryIt;
    m_grpcTryIt->setGateway(m_gateway);
    auto *grpcDock = new QDockWidget(tr("gRPC Try It"), this);
    grpcDock->setObjectName(QStringLiteral("GrpcTryItDock"));
    grpcDock->setWidget(m_grpcTryIt);
    addDockWidget(Qt::RightDockWidgetArea, grpcDock);
    tabifyDockWidget(tryItDock, grpcDock);

    auto *keysDock = new QDockWidget(tr("Keys and Tokens"), this);
    keysDock->setObjectName(QStringLiteral("KeysDock"));
    auto *keysScroll = new QScrollArea;   // its issue form is tall: it scrolls, the window fits
    keysScroll->setWidget(m_keys);
    keysScroll->setWidgetResizable(true);
    keysScroll->setFrameShape(QFrame::NoFrame);
    keysDock->setWidget(keysScroll);
    addDockWidget(Qt::RightDockWidgetArea, keysDock);
    tabifyDockWidget(tryItDock, keysDock);
    tryItDock->raise();
    connect(m_keys, &KeysDock::useInTryIt, this, [this, tryItDock](const AuthSettings &auth) {
        m_tryIt->authHelper()->setSettings(auth);
        tryItDock->raise();
    });
    connect(m_keys, &KeysDock::message, this, [this](const QString &text) { statusBar()->showMessage(text, 8000); });
    // The try-it console offers the valid issued keys itself, too (once the issuer, which knows
    // the revoked ones, is open).
    connect(m_tokens, &ProjectTokens::keysChanged, this, [this] {
        m_tryIt->authHelper()->setIssuedKeys(m_tokens->isReady() ? m_tokens->issuedKeys() : QList<IssuedKey>(),
                                             m_tokens->revokedIds(), QDateTime::currentSecsSinceEpoch());
    });
    // Keys issued while the gateway runs are signed with the very key it verifies with.
    connect(m_gateway->engine(), &GatewayEngine::configApplied, m_tokens, [this] {
        if (const auto services = m_gateway->engine()->services(); services && services->tokens())
            m_tokens->adoptRunningIssuer(services->tokens()->issuer());
    });

    auto *metricsDock = new QDockWidget(tr("Metrics"), this);
    metricsDock->setObjectName(QStringLiteral("MetricsDock"));
    metricsDock->setWidget(m_metrics);
    addDockWidget(Qt::BottomDockWidgetArea, metricsDock);
    tabifyDockWidget(problemsDock, metricsDock);
    problemsDock->raise();
    m_metrics->setEngine(m_gateway->engine());

    auto *tracesDock = new QDockWidget(tr("Traces"), this);
    tracesDock->setObjectName(QStringLiteral("TracesDock"));
    tracesDock->setWidget(m_traces);
    addDockWidget(Qt::BottomDockWidgetArea, tracesDock);
    tabifyDockWidget(metricsDock, tracesDock);
    problemsDock->raise();
    m_traces->setEngine(m_gateway->engine());

    connect(m_welcome, &WelcomePage::startGatewayRequested, m_gateway, &GatewayController::start);
    connect(m_welcome, &WelcomePage::openApiRequested, this, [this] {
        if (!m_project.apis.isEmpty())
            openFile(m_project.rootDir + u'/' + m_project.apis.first().file);
    });
    connect(m_welcome, &WelcomePage::newProjectRequested, this, &MainWindow::newProject);
    connect(m_welcome, &WelcomePage::openProjectRequested, this, &MainWindow::chooseProject);
    connect(m_gateway, &GatewayController::runningChanged, m_welcome, &WelcomePage::setGatewayRunning);

    auto open = [this](const QString &path, int line, int column) { openFile(path, line, column); };
    connect(m_explorer, &ProjectExplorer::openRequested, this, open);
    connect(m_problems, &ProblemsPane::openRequested, this, open);

    statusBar()->addPermanentWidget(m_problemsLabel);
    statusBar()->addPermanentWidget(m_gateway->statusLabel());
    connect(m_gateway, &GatewayController::message, this,
            [this](const QString &text) { statusBar()->showMessage(text, 8000); });
    connect(m_gateway, &GatewayController::problems, this, [this](const Diagnostics &d) {
        Diagnostics all = d;
        all.sort();
        m_problems->setDiagnostics(all, m_project.rootDir);
    });

    // The Problems dock follows the unsaved text too, not only what was last saved.
    connect(m_checker, &ProjectChecker::aboutToCheck, this, &MainWindow::collectUnsavedText);
    connect(m_checker, &ProjectChecker::checked, this, [this](const Diagnostics &d) {
        m_diagnostics = d;
        showDiagnostics();
        // API editors check their own text as it changes; the others (gatehouse.yaml) show these.
        for (int i = 0; i < m_tabs->count(); ++i) {
            auto *editor = qobject_cast<CodeEditor *>(m_tabs->widget(i));
            if (editor && !OpenApiLiveParser::of(editor) && !ProtoLiveParser::of(editor))
                editor->setDiagnostics(d.items());
        }
    });

    createActions();
    updateEditorArea();
    applySettings(WorkbenchSettings::load());
    updateTitle();
    resize(1280, 800);
    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    if (!restoreState(settings.value(QStringLiteral("window/state")).toByteArray()))
        QTimer::singleShot(0, this, &MainWindow::sizeDocksForFirstRun);   // once the window has a size
}

void MainWindow::sizeDocksForFirstRun()
{
    auto *explorerDock = findChild<QDockWidget *>(QStringLiteral("ProjectDock"));
    auto *tryItDock = findChild<QDockWidget *>(QStringLiteral("TryItDock"));
    auto *problemsDock = findChild<QDockWidget *>(QStringLiteral("ProblemsDock"));
    resizeDocks({explorerDock, tryItDock}, {320, qMax(420, width() * 2 / 5)}, Qt::Horizontal);
    resizeDocks({problemsDock}, {150}, Qt::Vertical);
}

void MainWindow::updateEditorArea()
{
    m_editorArea->setCurrentWidget(m_tabs->count() > 0 ? static_cast<QWidget *>(m_tabs) : m_welcome);
    for (QAction *action : std::as_const(m_editorActions))
        action->setEnabled(m_tabs->count() > 0);
}

void MainWindow::createActions()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&New Project…"), QKeySequence(tr("Ctrl+Shift+N")), this, &MainWindow::newProject);
    file->addAction(tr("&Open Project…"), QKeySequence::Open, this, &MainWindow::chooseProject);
    file->addAction(tr("Open &MGW Project…"), this, &MainWindow::chooseMgwProject);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    file->addSeparator();
    file->addAction(tr("&Save"), QKeySequence::Save, this, &MainWindow::saveCurrent);
    file->addAction(tr("Save A&ll"), QKeySequence(tr("Ctrl+Shift+S")), this, &MainWindow::saveAll);
    file->addAction(tr("&Close Tab"), QKeySequence::Close, this,
                    [this] { closeTab(m_tabs->currentIndex()); });
    file->addSeparator();
    file->addAction(tr("Re&load Project"), QKeySequence::Refresh, this, &MainWindow::reloadProject);
    file->addAction(tr("&Export…"), QKeySequence(tr("Ctrl+Shift+E")), this, [this] {
        if (m_project.rootDir.isEmpty())
            return statusBar()->showMessage(tr("Open a project to export it"), 5000);
        ExportWizard(m_project.rootDir, this).exec();
    });
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    edit->addAction(tr("&Undo"), QKeySequence::Undo, this, [this] {
        if (auto *editor = qobject_cast<CodeEditor *>(m_tabs->currentWidget()))
            editor->undo();
    });
    edit->addAction(tr("&Redo"), QKeySequence::Redo, this, [this] {
        if (auto *editor = qobject_cast<CodeEditor *>(m_tabs->currentWidget()))
            editor->redo();
    });
    edit->addSeparator();
    // The current editor's find, replace and go to line. Their keys belong to the editor (they
    // work in it and in its bars); the menu shows them without claiming them, so the two never
    // compete for a key press.
    auto editorAction = [this, edit](const QString &text, const QString &keys, auto call) {
        QAction *action = edit->addAction(text, this, [this, call] {
            if (auto *editor = qobject_cast<CodeEditor *>(m_tabs->currentWidget()))
                call(editor);
        });
        action->setShortcut(QKeySequence(keys));
        action->setShortcutContext(Qt::WidgetShortcut);
        m_editorActions.append(action);
    };
    editorAction(tr("&Find…"), tr("Ctrl+F"), [](CodeEditor *editor) { editor->showFind(false); });
    editorAction(tr("&Replace…"), tr("Ctrl+H"), [](CodeEditor *editor) { editor->showFind(true); });
    editorAction(tr("&Go to Line…"), tr("Ctrl+L"), [](CodeEditor *editor) { editor->showGoToLine(); });
    edit->addSeparator();
    QAction *settingsAction = edit->addAction(tr("&Settings…"), this, &MainWindow::showSettings);
    settingsAction->setShortcut(QKeySequence(tr("Ctrl+,")));
    settingsAction->setMenuRole(QAction::PreferencesRole);

    QMenu *gatewayMenu = menuBar()->addMenu(tr("&Gateway"));
    gatewayMenu->addAction(m_gateway->startAction());
    gatewayMenu->addAction(m_gateway->stopAction());
    gatewayMenu->addAction(m_gateway->reloadAction());
    QToolBar *toolbar = addToolBar(tr("Gateway"));
    toolbar->setObjectName(QStringLiteral("GatewayToolbar"));
    toolbar->addAction(m_gateway->startAction());
    toolbar->addAction(m_gateway->stopAction());
    toolbar->addAction(m_gateway->reloadAction());

    QMenu *view = menuBar()->addMenu(tr("&View"));
    for (QDockWidget *dock : findChildren<QDockWidget *>())
        view->addAction(dock->toggleViewAction());
    view->addSeparator();
    view->addMenu(createThemeMenu(this));

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Gatehouse"), this, [this] {
        QMessageBox::about(this, tr("About Gatehouse"),
                           tr("<h3>Gatehouse %1</h3><p>API workbench with an embedded API gateway.</p>"
                              "<p>Qt %2</p>").arg(versionString(), QString::fromLatin1(qVersion())));
    });
    updateRecentMenu();
}

void MainWindow::updateRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = QSettings().value(QStringLiteral("recentProjects")).toStringList();
    for (const QString &dir : recent)
        m_recentMenu->addAction(QDir::toNativeSeparators(dir), this, [this, dir] { openProject(dir); });
    m_recentMenu->setEnabled(!recent.isEmpty());
}

void MainWindow::chooseProject()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Open Project Folder"), m_project.rootDir);
    if (!dir.isEmpty())
        openProject(dir);
}

void MainWindow::chooseMgwProject()
{
    const QString dir = QFileDialog::getExistingDirectory(
        this, tr("Open WSO2 Microgateway 3.x Project"), m_project.rootDir);
    if (!dir.isEmpty())
        openMgwProject(dir);
}

bool MainWindow::openMgwProject(const QString &dir)
{
    return openMgwProject(dir, MgwImportUi{});
}

bool MainWindow::openMgwProject(const QString &dir, const MgwImportUi &ui)
{
    const QString project = importMgwProjectInteractively(this, dir, ui);
    return !project.isEmpty() && openProject(project);
}

bool MainWindow::openProject(const QString &dir)
{
    for (int i = m_tabs->count() - 1; i >= 0; --i) {
        auto *editor = qobject_cast<CodeEditor *>(m_tabs->widget(i));
        if (editor && !maybeSave(editor))
            return false;
    }
    while (m_tabs->count() > 0)
        delete m_tabs->widget(0);

    loadProject(dir);
    if (m_project.rootDir.isEmpty())
        return false;

    QSettings settings;
    QStringList recent = settings.value(QStringLiteral("recentProjects")).toStringList();
    // The very first project (the sample, usually) keeps the welcome page in front; later ones
    // open their first API so that there is something to edit at once.
    if (!recent.isEmpty() && !m_project.apis.isEmpty())
        openFile(m_project.rootDir + u'/' + m_project.apis.first().file);
    recent.removeAll(m_project.rootDir);
    recent.prepend(m_project.rootDir);
    settings.setValue(QStringLiteral("recentProjects"), recent.mid(0, kMaxRecent));
    updateRecentMenu();
    statusBar()->showMessage(tr("Opened %1").arg(QDir::toNativeSeparators(m_project.rootDir)), 5000);
    return true;
}

void MainWindow::newProject()
{
    NewProjectDialog dialog(this);
    if (dialog.exec() != QDialog::Accepted || !openProject(dialog.projectDir()))
        return;
    if (m_tabs->count() == 0 && !m_project.apis.isEmpty())
        openFile(m_project.rootDir + u'/' + m_project.apis.first().file);
}

void MainWindow::reloadProject()
{
    if (m_project.rootDir.isEmpty())
        return;
    loadProject(m_project.rootDir);
    // A valid edit goes live at once; an invalid one leaves the running gateway as it was.
    if (m_gateway->isRunning() && !m_diagnostics.hasErrors())
        m_gateway->reload();
}

void MainWindow::projectSaved()
{
    if (m_project.rootDir.isEmpty())
        return;
    loadProject(m_project.rootDir);
    if (m_settings.autoReloadOnSave && m_gateway->isRunning() && !m_diagnostics.hasErrors())
        m_gateway->reload();
}

void MainWindow::showSettings()
{
    SettingsDialog dialog(m_settings, this);
    connect(&dialog, &SettingsDialog::applied, this, &MainWindow::applySettings);
    dialog.exec();
}

void MainWindow::applySettings(const WorkbenchSettings &settings)
{
    if (settings.theme != currentTheme())
        applyTheme(settings.theme);
    m_settings = settings;
    for (int i = 0; i < m_tabs->count(); ++i) {
        if (auto *editor = qobject_cast<CodeEditor *>(m_tabs->widget(i))) {
            editor->setFontPointSize(settings.editorFontPointSize);
            editor->setIndentWidth(settings.indentWidth);
        }
    }
    m_gateway->setOverrides(settings.httpPort, settings.httpsPort, settings.adminPort,
                            settings.workers);
}

void MainWindow::loadProject(const QString &dir)
{
    m_diagnostics = Diagnostics();
    m_project = Project::load(dir, m_diagnostics);
    m_diagnostics.sort();
    m_explorer->setProject(m_project);
    showDiagnostics();
    pushDiagnosticsToEditors();
    m_checker->setProjectDir(m_project.rootDir);
    for (int i = 0; i < m_tabs->count(); ++i) {   // what is still unsaved counts too
        auto *editor = qobject_cast<CodeEditor *>(m_tabs->widget(i));
        if (editor && editor->document()->isModified()) {
            m_checker->schedule();
            break;
        }
    }
    m_gateway->setProjectDir(m_project.rootDir);
    m_tryIt->setProject(m_project);
    m_grpcTryIt->setProject(m_project);
    m_tokens->setProject(m_project);
    m_welcome->setProject(m_project);
    m_gatewayForm->setTiers(m_project.settings.throttling.tiers.keys());
    m_protoServices->setTiers(m_project.settings.throttling.tiers.keys());
    updateTitle();
}

CodeEditor *MainWindow::openFile(const QString &absolutePath, int line, int column)
{
    const QString path = QFileInfo(absolutePath).absoluteFilePath();
    CodeEditor *editor = nullptr;
    for (int i = 0; i < m_tabs->count(); ++i) {
        if (editorPath(m_tabs->widget(i)) == path) {
            editor = qobject_cast<CodeEditor *>(m_tabs->widget(i));
            m_tabs->setCurrentIndex(i);
            break;
        }
    }
    if (!editor) {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            statusBar()->showMessage(tr("Cannot open %1: %2").arg(path, file.errorString()), 8000);
            return nullptr;
        }
        editor = new CodeEditor;
        editor->setProperty(kPathProperty, path);
        editor->setFilePath(path, m_project.rootDir);   // picks the highlighter and indentation
        editor->setFontPointSize(m_settings.editorFontPointSize);
        editor->setIndentWidth(m_settings.indentWidth);
        editor->setPlainText(QString::fromUtf8(file.readAll()));
        editor->document()->setModified(false);
        editor->setDiagnostics(m_diagnostics.items());
        if (OpenApiLiveParser::isApiFile(path, m_project.rootDir))
            (new OpenApiLiveParser(editor))->setProject(m_project);   // outline + checks as you type
        if (editor->language() == Language::Proto)   // (gatehouse.service) options, tiers ...
            (new ProtoCompletion(editor))->setTiers(m_project.settings.throttling.tiers.keys());
        if (ProtoLiveParser::isProtoFile(path, m_project.rootDir))
            (new ProtoLiveParser(editor))->setProject(m_project);   // services table + checks as you type
        connect(editor->document(), &QTextDocument::modificationChanged, this,
                [this, editor] { updateTabTitle(editor); });
        if (ProjectChecker::isProjectFile(editor->relativeFilePath())) {
            connect(editor->document(), &QTextDocument::contentsChanged, m_checker,
                    &ProjectChecker::schedule);
        }
        m_tabs->setCurrentIndex(m_tabs->addTab(editor, QFileInfo(path).fileName()));
        m_tabs->setTabToolTip(m_tabs->currentIndex(), path);
    }
    if (line > 0)
        editor->goToLine(line, qMax(1, column));
    editor->setFocus();
    return editor;
}

void MainWindow::showDiagnostics()
{
    m_problems->setDiagnostics(m_diagnostics, m_project.rootDir);
    m_problemsLabel->setText(tr("%n error(s)", nullptr, m_diagnostics.errorCount()) + QStringLiteral(", ")
                             + tr("%n warning(s)", nullptr, m_diagnostics.warningCount()));
}

void MainWindow::collectUnsavedText()
{
    m_checker->clearOverlays();
    for (int i = 0; i < m_tabs->count(); ++i) {
        auto *editor = qobject_cast<CodeEditor *>(m_tabs->widget(i));
        if (!editor || !editor->document()->isModified())
            continue;
        const QString relative = editor->relativeFilePath();
        if (ProjectChecker::isProjectFile(relative))
            m_checker->setOverlay(relative, editor->toPlainText());
    }
}

void MainWindow::pushDiagnosticsToEditors()
{
    for (int i = 0; i < m_tabs->count(); ++i) {
        auto *editor = qobject_cast<CodeEditor *>(m_tabs->widget(i));
        if (!editor)
            continue;
        editor->setDiagnostics(m_diagnostics.items());
        // Unsaved text is re-checked against the new project; saved text has just been checked.
        if (OpenApiLiveParser *parser = OpenApiLiveParser::of(editor))
            parser->setProject(m_project);
        if (ProtoCompletion *completion = ProtoCompletion::of(editor))
            completion->setTiers(m_project.settings.throttling.tiers.keys());
        if (ProtoLiveParser *parser = ProtoLiveParser::of(editor))
            parser->setProject(m_project);
    }
}

void MainWindow::updateTabTitle(CodeEditor *editor)
{
    const int index = m_tabs->indexOf(editor);
    if (index < 0)
        return;
    const QString name = QFileInfo(editorPath(editor)).fileName();
    m_tabs->setTabText(index, editor->document()->isModified() ? name + u'*' : name);
}

bool MainWindow::saveEditor(CodeEditor *editor)
{
    const QString path = editorPath(editor);
    if (const auto saved = saveFile(path, editor->toPlainText().toUtf8()); !saved) {
        QMessageBox::warning(this, tr("Save failed"), saved.error().message);
        return false;
    }
    editor->document()->setModified(false);
    return true;
}

bool MainWindow::saveCurrent()
{
    auto *editor = qobject_cast<CodeEditor *>(m_tabs->currentWidget());
    if (!editor || !saveEditor(editor))
        return false;
    projectSaved();
    return true;
}

bool MainWindow::saveAll()
{
    bool ok = true;
    for (int i = 0; i < m_tabs->count(); ++i) {
        auto *editor = qobject_cast<CodeEditor *>(m_tabs->widget(i));
        if (editor && editor->document()->isModified())
            ok = saveEditor(editor) && ok;
    }
    projectSaved();
    return ok;
}

bool MainWindow::maybeSave(CodeEditor *editor)
{
    if (!editor->document()->isModified())
        return true;
    m_tabs->setCurrentWidget(editor);
    const auto answer = QMessageBox::question(
        this, tr("Unsaved changes"),
        tr("%1 has unsaved changes. Save them?").arg(QFileInfo(editorPath(editor)).fileName()),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel);
    if (answer == QMessageBox::Cancel)
        return false;
    return answer == QMessageBox::Discard || saveEditor(editor);
}

void MainWindow::closeTab(int index)
{
    auto *editor = qobject_cast<CodeEditor *>(m_tabs->widget(index));
    if (!editor || !maybeSave(editor))
        return;
    const bool discarded = editor->document()->isModified();
    delete editor;
    if (discarded)
        m_checker->schedule();   // the file on disk counts again
}

void MainWindow::updateTitle()
{
    const QString name = m_project.settings.name.isEmpty() ? QFileInfo(m_project.rootDir).fileName()
                                                           : m_project.settings.name;
    setWindowTitle(name.isEmpty() ? QStringLiteral("Gatehouse") : name + QStringLiteral(" — Gatehouse"));
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    for (int i = 0; i < m_tabs->count(); ++i) {
        auto *editor = qobject_cast<CodeEditor *>(m_tabs->widget(i));
        if (editor && !maybeSave(editor)) {
            event->ignore();
            return;
        }
    }
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    event->accept();
}

} // namespace Gatehouse
