// The main window opens a project, lists what it understood, shows problems and jumps to them;
// the embedded gateway keeps serving through a bad save and takes the fix, as the status bar
// says; File ▸ Open Recent lists the projects opened, newest first; the Edit menu reaches the
// current editor's find and go to line; the window fits a laptop's screen; `gatehouse --help`
// needs no display; and issue 4's main flow from opening a project to an upstream's answer.
#include "mainwindow.h"
#include "testupstream.h"

#include "codeeditor.h"
#include "findbar.h"
#include "gatewaycontroller.h"
#include "gotolinebar.h"
#include "problemspane.h"
#include "projectchecker.h"
#include "projectexplorer.h"
#include "responseview.h"
#include "tryitconsole.h"

#include <QFile>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace Gatehouse;

class tst_MainWindow : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void opensProjectAndListsOperations();
    void problemJumpsToItsLine();
    void savingAFixReloadsTheProject();
    void missingFolderIsReportedNotCrashed();
    void aBadSaveNeverStopsTheRunningGateway();
    void openRecentListsProjectsNewestFirst();
    void editMenuReachesTheCurrentEditor();
    void fitsALaptopScreen();
    void helpAnswersWithoutADisplay();
    void openEditStartSendAndSeeTheResponse();

private:
    void write(const QString &relative, const QByteArray &text);
    // The status of a GET through the running gateway (-1: no answer).
    static int statusOf(const QString &url);
    QTemporaryDir m_dir;
};

static const QByteArray kPets = R"(openapi: 3.0.3
info: {title: Pets, version: v1}
servers: [{url: 'http://127.0.0.1:8080/api'}]
paths:
  /pets:
    get: {operationId: listPets, responses: {'200': {description: ok}}}
    post: {operationId: addPet, responses: {'201': {description: created}}}
)";

void tst_MainWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
    write(QStringLiteral("apis/pets.yaml"), kPets);
}

// Writes `text` to `path`, making its folder first.
static bool writeFile(const QString &path, const QByteArray &text)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(text) == text.size();
}

// A project's settings for a gateway the test starts: HTTP on a free port, no HTTPS, no admin.
static const QByteArray kStartableSettings =
    "version: 1\nlisteners: {http: {port: 0}, https: {enabled: false}, admin: {enabled: false}}\n";

void tst_MainWindow::write(const QString &relative, const QByteArray &text)
{
    QVERIFY(writeFile(m_dir.filePath(relative), text));
}

void tst_MainWindow::opensProjectAndListsOperations()
{
    MainWindow w;
    QVERIFY(w.openProject(m_dir.path()));
    QVERIFY2(!w.diagnostics().hasErrors(), qPrintable(w.diagnostics().toString()));
    QCOMPARE(w.project().apis.size(), 1);
    const QAbstractItemModel *model = w.explorer()->model();
    QModelIndex apis;
    for (int r = 0; r < model->rowCount(); ++r) {
        if (model->index(r, 0).data().toString().startsWith(u"APIs"))
            apis = model->index(r, 0);
    }
    QVERIFY(apis.isValid());
    QCOMPARE(model->rowCount(apis), 1);
    QCOMPARE(model->rowCount(model->index(0, 0, apis)), 2);
    QCOMPARE(w.problems()->topLevelItemCount(), int(w.diagnostics().items().size()));
}

void tst_MainWindow::problemJumpsToItsLine()
{
    write(QStringLiteral("apis/broken.yaml"), "openapi: 3.0.3\ninfo: {title: B, version: '1'}\npaths: [\n");
    MainWindow w;
    w.openProject(m_dir.path());
    QVERIFY(w.diagnostics().hasErrors());
    QTreeWidgetItem *problem = nullptr;
    for (int i = 0; i < w.problems()->topLevelItemCount(); ++i) {
        if (w.problems()->topLevelItem(i)->text(1).startsWith(u"apis/broken.yaml:"))
            problem = w.problems()->topLevelItem(i);
    }
    QVERIFY2(problem, qPrintable(w.diagnostics().toString()));
    emit w.problems()->itemActivated(problem, 0);
    auto *editor = qobject_cast<CodeEditor *>(w.editors()->currentWidget());
    QVERIFY(editor);
    const int line = problem->text(1).section(u':', 1, 1).toInt();
    QVERIFY(line > 0);
    QCOMPARE(editor->textCursor().blockNumber() + 1, line);
}

void tst_MainWindow::savingAFixReloadsTheProject()
{
    write(QStringLiteral("apis/broken.yaml"), "openapi: 3.0.3\ninfo: {title: B, version: '1'}\npaths: [\n");
    MainWindow w;
    w.openProject(m_dir.path());
    CodeEditor *editor = w.openFile(m_dir.filePath(QStringLiteral("apis/broken.yaml")));
    QVERIFY(editor);
    editor->selectAll();
    editor->insertPlainText(QString::fromUtf8(kPets).replace(QStringLiteral("Pets"), QStringLiteral("Broken no more")).replace(QStringLiteral("/pets"), QStringLiteral("/fixed")));
    QVERIFY(editor->document()->isModified());
    QVERIFY(w.saveCurrent());
    QVERIFY(!editor->document()->isModified());
    QVERIFY2(!w.diagnostics().hasErrors(), qPrintable(w.diagnostics().toString()));
    QCOMPARE(w.project().apis.size(), 2);
    QFile::remove(m_dir.filePath(QStringLiteral("apis/broken.yaml")));
}

void tst_MainWindow::missingFolderIsReportedNotCrashed()
{
    MainWindow w;
    QVERIFY(!w.openProject(m_dir.filePath(QStringLiteral("no-such-project"))));
    QCOMPARE(w.problems()->topLevelItemCount(), 1);
    QVERIFY(w.problems()->topLevelItem(0)->text(0).contains(u"does not exist"));
}

int tst_MainWindow::statusOf(const QString &url)
{
    QNetworkAccessManager network;
    QNetworkReply *reply = network.get(QNetworkRequest(QUrl(url)));
    if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, 10000))
        return -1;
    reply->deleteLater();
    return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
}

void tst_MainWindow::aBadSaveNeverStopsTheRunningGateway()
{
    QTemporaryDir dir;
    QVERIFY(writeFile(dir.filePath(QStringLiteral("gatehouse.yaml")), kStartableSettings));
    QVERIFY(writeFile(dir.filePath(QStringLiteral("apis/pets.yaml")), kPets));

    MainWindow w;
    QVERIFY(w.openProject(dir.path()));
    QVERIFY(w.gateway()->start());
    QVERIFY(w.gateway()->isRunning());
    const quint64 version = w.gateway()->engine()->configVersion();
    const QString status = w.gateway()->statusLabel()->text();
    const QString port = QString::number(w.gateway()->engine()->httpPort());
    QVERIFY2(status.startsWith(QStringLiteral("Gateway: running — http :%1").arg(port)), qPrintable(status));
    QVERIFY2(status.contains(QStringLiteral("config v%1").arg(version)), qPrintable(status));
    const QString url = w.gateway()->httpBaseUrl() + QStringLiteral("/nowhere");
    QCOMPARE(statusOf(url), 404);   // the gateway's own answer: it serves

    // A save that breaks the API: Problems shows it, the gateway keeps its config and serves on.
    CodeEditor *editor = w.openFile(dir.filePath(QStringLiteral("apis/pets.yaml")));
    QVERIFY(editor);
    editor->selectAll();
    editor->insertPlainText(QStringLiteral("openapi: 3.0.3\ninfo: {title: Pets, version: v1}\npaths: [\n"));
    QVERIFY(w.saveCurrent());
    QVERIFY(w.diagnostics().hasErrors());
    QVERIFY(w.problems()->topLevelItemCount() > 0);
    QVERIFY(w.gateway()->isRunning());
    QCOMPARE(w.gateway()->engine()->configVersion(), version);
    QVERIFY(w.gateway()->statusLabel()->text().contains(QStringLiteral("config v%1").arg(version)));
    QCOMPARE(statusOf(url), 404);

    // The fix goes live at once, under a new config version.
    editor->selectAll();
    editor->insertPlainText(QString::fromUtf8(kPets));
    QVERIFY(w.saveCurrent());
    QVERIFY2(!w.diagnostics().hasErrors(), qPrintable(w.diagnostics().toString()));
    QTRY_VERIFY(w.gateway()->engine()->configVersion() > version);
    const QString reloaded = QStringLiteral("config v%1").arg(w.gateway()->engine()->configVersion());
    QTRY_VERIFY2(w.gateway()->statusLabel()->text().contains(reloaded), qPrintable(w.gateway()->statusLabel()->text()));
    QCOMPARE(statusOf(url), 404);

    w.gateway()->engine()->stopAndWait();
    QVERIFY(w.gateway()->statusLabel()->text().startsWith(QStringLiteral("Gateway: stopped")));
}

void tst_MainWindow::openRecentListsProjectsNewestFirst()
{
    QSettings().remove(QStringLiteral("recentProjects"));
    QTemporaryDir other;
    QVERIFY(writeFile(other.filePath(QStringLiteral("apis/other.yaml")), QByteArray(kPets).replace("Pets", "Other")));

    MainWindow w;
    QVERIFY(w.openProject(m_dir.path()));
    QVERIFY(w.openProject(other.path()));
    QMenu *recent = nullptr;
    for (QAction *menu : w.menuBar()->actions()) {
        if (!menu->menu())
            continue;
        for (QAction *action : menu->menu()->actions()) {
            if (action->menu() && action->text() == QStringLiteral("Open &Recent"))
                recent = action->menu();
        }
    }
    QVERIFY(recent);
    QCOMPARE(recent->actions().size(), 2);
    QCOMPARE(recent->actions().at(0)->text(), QDir::toNativeSeparators(QFileInfo(other.path()).canonicalFilePath()));
    QCOMPARE(recent->actions().at(1)->text(), QDir::toNativeSeparators(QFileInfo(m_dir.path()).canonicalFilePath()));

    recent->actions().at(1)->trigger();   // the older one opens, and moves to the top
    QCOMPARE(w.project().rootDir, QFileInfo(m_dir.path()).canonicalFilePath());
    QCOMPARE(recent->actions().at(0)->text(), QDir::toNativeSeparators(QFileInfo(m_dir.path()).canonicalFilePath()));
    QSettings().remove(QStringLiteral("recentProjects"));
}

void tst_MainWindow::editMenuReachesTheCurrentEditor()
{
    MainWindow w;
    QVERIFY(w.openProject(m_dir.path()));
    while (w.editors()->count() > 0)
        delete w.editors()->widget(0);
    QMenu *edit = nullptr;
    for (QAction *menu : w.menuBar()->actions()) {
        if (menu->text() == QStringLiteral("&Edit"))
            edit = menu->menu();
    }
    QVERIFY(edit);
    auto action = [edit](const QString &text) -> QAction * {
        for (QAction *a : edit->actions()) {
            if (a->text() == text)
                return a;
        }
        return nullptr;
    };
    QAction *find = action(QStringLiteral("&Find…"));
    QAction *goToLine = action(QStringLiteral("&Go to Line…"));
    QVERIFY(find && action(QStringLiteral("&Replace…")) && goToLine);
    QCOMPARE(goToLine->shortcut(), QKeySequence(QStringLiteral("Ctrl+L")));   // shown in the menu
    QCOMPARE(goToLine->shortcutContext(), Qt::WidgetShortcut);               // the editor's own
    QVERIFY(!find->isEnabled());   // no editor open

    CodeEditor *editor = w.openFile(m_dir.filePath(QStringLiteral("apis/pets.yaml")));
    QVERIFY(editor);
    QVERIFY(find->isEnabled());
    goToLine->trigger();
    QVERIFY(!editor->goToLineBar()->isHidden());
    find->trigger();
    QVERIFY(!editor->findBar()->isHidden());
}

void tst_MainWindow::fitsALaptopScreen()
{
    // 1366×768 less a task bar: the docks scroll rather than push the window past the screen.
    MainWindow w;
    QVERIFY(w.openProject(m_dir.path()));
    w.show();
    const QSize smallest = w.minimumSizeHint();
    QVERIFY2(smallest.width() <= 1366 && smallest.height() <= 700,
             qPrintable(QStringLiteral("%1×%2").arg(smallest.width()).arg(smallest.height())));
}

void tst_MainWindow::helpAnswersWithoutADisplay()
{
    const QString gatehouse = qEnvironmentVariable("GATEHOUSE");
    if (gatehouse.isEmpty())
        QSKIP("GATEHOUSE (the workbench binary) is not set");
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const QString &name : {QStringLiteral("DISPLAY"), QStringLiteral("WAYLAND_DISPLAY"), QStringLiteral("QT_QPA_PLATFORM")})
        environment.remove(name);
    environment.insert(QStringLiteral("LANGUAGE"), QStringLiteral("en"));
    for (const QString &option : {QStringLiteral("--help"), QStringLiteral("--version")}) {
        QProcess process;
        process.setProcessEnvironment(environment);
        process.start(gatehouse, {option});
        QVERIFY2(process.waitForStarted(), qPrintable(gatehouse + u' ' + process.errorString()));
        QVERIFY(process.waitForFinished(20000));
        const QString out = QString::fromUtf8(process.readAllStandardOutput());
        QVERIFY2(process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0,
                 qPrintable(option + u' ' + QString::fromUtf8(process.readAllStandardError())));
        if (option == u"--help") {
            QVERIFY2(out.contains(QStringLiteral("--start")) && out.contains(QStringLiteral("[PROJECT_DIR]")), qPrintable(out));
        } else {
            QVERIFY2(out.startsWith(QStringLiteral("Gatehouse ")), qPrintable(out));
        }
    }
}

void tst_MainWindow::openEditStartSendAndSeeTheResponse()
{
    // Issue 4's main flow in one window: open a project, edit an API (a typo shows up in the
    // editor and in Problems before it is saved), fix and save it, start the embedded gateway,
    // send the operation from the try-it console and read the upstream's answer.
    TestUpstream upstream;
    QVERIFY(upstream.listen(QHostAddress::LocalHost));
    QTemporaryDir dir;
    QVERIFY(writeFile(dir.filePath(QStringLiteral("gatehouse.yaml")), kStartableSettings));
    QVERIFY(writeFile(dir.filePath(QStringLiteral("apis/pets.yaml")), QByteArray(R"(openapi: 3.0.3
info: {title: Pets, version: v1}
servers: [{url: 'http://127.0.0.1:PORT/api'}]
x-gatehouse-throttling-tier: Gold
paths:
  /pets:
    get: {security: [], responses: {'200': {description: ok}}}
)").replace("PORT", QByteArray::number(upstream.serverPort()))));

    MainWindow w;
    QVERIFY(w.openProject(dir.path()));
    w.checker()->setDelay(std::chrono::milliseconds(20));
    CodeEditor *editor = w.openFile(dir.filePath(QStringLiteral("apis/pets.yaml")));
    QVERIFY(editor);
    QTextCursor cursor = editor->document()->find(QStringLiteral("tier: Gold"));
    cursor.insertText(QStringLiteral("tier: Goldd"));
    QTRY_VERIFY(!editor->markers().isEmpty());            // underlined as typed
    QTRY_VERIFY(w.problems()->topLevelItemCount() > 0);   // and listed, unsaved
    QVERIFY(w.problems()->topLevelItem(0)->toolTip(0).contains(QStringLiteral("Goldd")));
    cursor = editor->document()->find(QStringLiteral("tier: Goldd"));
    cursor.insertText(QStringLiteral("tier: Gold"));
    QVERIFY(w.saveCurrent());
    QVERIFY2(!w.diagnostics().hasErrors(), qPrintable(w.diagnostics().toString()));
    QTRY_COMPARE(w.problems()->topLevelItemCount(), 0);

    QVERIFY(w.gateway()->start());
    TryItConsole *console = w.tryIt();
    QVERIFY(console->selectOperation(QStringLiteral("apis/pets.yaml"), QStringLiteral("GET"), QStringLiteral("/pets")));
    QSignalSpy shown(console, &TryItConsole::responseShown);
    console->send();
    QVERIFY(shown.wait(15000));
    QVERIFY2(console->responseView()->statusText().startsWith(QStringLiteral("200")),
             qPrintable(console->responseView()->statusText()));
    QVERIFY(console->responseView()->bodyText().contains(QStringLiteral("Rex")));
    QCOMPARE(upstream.requests, 1);
    w.gateway()->engine()->stopAndWait();
}

QTEST_MAIN(tst_MainWindow)
#include "tst_mainwindow.moc"
