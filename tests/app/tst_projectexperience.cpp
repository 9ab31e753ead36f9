// First-run and project experience: new project from the template, the welcome page, the first API
// opening on later opens, the explorer feeding the try-it console, light and dark themes.
#include "codeeditor.h"
#include "mainwindow.h"
#include "newprojectdialog.h"
#include "projectexplorer.h"
#include "theme.h"
#include "tryitconsole.h"
#include "urledit.h"
#include "welcomepage.h"

#include "project/project.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStyle>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace Gatehouse;

class tst_ProjectExperience : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void templateMakesAProjectThatLoadsClean();
    void templateRefusesAFolderInUse();
    void dialogValidatesAndCreates();
    void welcomeIsShownWhileNoTabIsOpen();
    void laterOpensShowTheFirstApi();
    void selectingAnOperationFillsTheConsole();
    void themeSwitchingChangesThePalette();

private:
    QString newProject(const QString &name);
    QTemporaryDir m_dir;
};

void tst_ProjectExperience::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
}

void tst_ProjectExperience::init()
{
    QSettings().remove(QStringLiteral("recentProjects"));
}

QString tst_ProjectExperience::newProject(const QString &name)
{
    const QString dir = m_dir.filePath(name);
    QString error;
    if (!createProjectFromTemplate(defaultTemplateDir(), dir, name,
                                   QStringLiteral("http://127.0.0.1:8081/svc"), &error))
        qWarning("%s", qPrintable(error));
    return dir;
}

void tst_ProjectExperience::templateMakesAProjectThatLoadsClean()
{
    const QString dir = newProject(QStringLiteral("demo"));
    Diagnostics diagnostics;
    const Project project = Project::load(dir, diagnostics);
    QVERIFY2(diagnostics.isEmpty(), qPrintable(diagnostics.toString()));   // no errors, no warnings
    QCOMPARE(project.settings.name, QStringLiteral("demo"));
    QCOMPARE(project.apis.size(), 1);
    const ApiSpec &api = project.apis.first();
    QCOMPARE(api.basePath, QStringLiteral("/hello/v1"));
    QCOMPARE(api.serverEndpoints.urls.value(0), QUrl(QStringLiteral("http://127.0.0.1:8081/svc")));
    QCOMPARE(api.operations.size(), 1);
    const Operation &op = api.operations.first();
    QCOMPARE(op.method, QStringLiteral("GET"));
    QCOMPARE(op.pathTemplate, QStringLiteral("/greeting"));
    QVERIFY(op.security.has_value() && op.security->isEmpty());   // callable without credentials
    QVERIFY(QFileInfo::exists(dir + QStringLiteral("/protos/README.md")));
    QVERIFY(QFileInfo(dir + QStringLiteral("/gatehouse.yaml"))
                .isWritable());   // not read-only like the resource

    QFile yaml(dir + QStringLiteral("/gatehouse.yaml"));
    QVERIFY(yaml.open(QIODevice::ReadOnly));
    const QByteArray text = yaml.readAll();
    QVERIFY(text.contains("\nname: demo\n"));
    QVERIFY(!text.contains('@'));   // every placeholder was replaced
}

void tst_ProjectExperience::templateRefusesAFolderInUse()
{
    const QString dir = m_dir.filePath(QStringLiteral("taken"));
    QDir().mkpath(dir);
    QFile f(dir + QStringLiteral("/notes.txt"));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.close();
    QString error;
    QVERIFY(!createProjectFromTemplate(defaultTemplateDir(), dir, QStringLiteral("taken"),
                                       QStringLiteral("http://h"), &error));
    QVERIFY2(error.contains(QStringLiteral("already exists and is not empty")), qPrintable(error));
    QVERIFY(!QFileInfo::exists(dir + QStringLiteral("/gatehouse.yaml")));
}

void tst_ProjectExperience::dialogValidatesAndCreates()
{
    NewProjectDialog dialog;
    dialog.folderEdit()->setText(m_dir.path());
    dialog.nameEdit()->setText(QStringLiteral("bad name"));
    QVERIFY(dialog.validationError().contains(QStringLiteral("letters, digits")));
    dialog.nameEdit()->setText(QStringLiteral("shop-api"));
    dialog.upstreamEdit()->setText(QStringLiteral("not a url"));
    QVERIFY(dialog.validationError().contains(QStringLiteral("upstream URL")));
    dialog.upstreamEdit()->setText(QStringLiteral("http://127.0.0.1:3000"));
    QCOMPARE(dialog.validationError(), QString());
    QCOMPARE(dialog.projectDir(), m_dir.filePath(QStringLiteral("shop-api")));
    QVERIFY(dialog.create());
    Diagnostics diagnostics;
    Project::load(dialog.projectDir(), diagnostics);
    QVERIFY2(!diagnostics.hasErrors(), qPrintable(diagnostics.toString()));
    QVERIFY(dialog.validationError().contains(QStringLiteral("already exists")));   // now taken
}

void tst_ProjectExperience::welcomeIsShownWhileNoTabIsOpen()
{
    const QString dir = newProject(QStringLiteral("first"));
    MainWindow w;
    QVERIFY(w.welcomePage()->isVisibleTo(&w));
    QVERIFY(!w.welcomePage()->openApiButton()->isEnabled());   // nothing open yet

    QVERIFY(w.openProject(dir));   // no project was ever opened: the welcome page stays in front
    QCOMPARE(w.editors()->count(), 0);
    QVERIFY(w.welcomePage()->isVisibleTo(&w));
    QVERIFY2(w.welcomePage()->summaryText().contains(QStringLiteral("Hello")),
             qPrintable(w.welcomePage()->summaryText()));

    w.welcomePage()->openApiButton()->click();
    QCOMPARE(w.editors()->count(), 1);
    QVERIFY(!w.welcomePage()->isVisibleTo(&w));
    QVERIFY(w.editors()->isVisibleTo(&w));

    emit w.editors()->tabCloseRequested(0);
    QCOMPARE(w.editors()->count(), 0);
    QVERIFY(w.welcomePage()->isVisibleTo(&w));
}

void tst_ProjectExperience::laterOpensShowTheFirstApi()
{
    const QString dir = newProject(QStringLiteral("second"));
    QSettings().setValue(QStringLiteral("recentProjects"), QStringList{m_dir.path()});
    MainWindow w;
    QVERIFY(w.openProject(dir));
    QCOMPARE(w.editors()->count(), 1);
    auto *editor = qobject_cast<CodeEditor *>(w.editors()->currentWidget());
    QVERIFY(editor);
    QVERIFY(editor->toPlainText().contains(QStringLiteral("/greeting")));
    QVERIFY(!w.welcomePage()->isVisibleTo(&w));
}

void tst_ProjectExperience::selectingAnOperationFillsTheConsole()
{
    const QString dir = newProject(QStringLiteral("third"));
    MainWindow w;
    QVERIFY(w.openProject(dir));
    const QAbstractItemModel *model = w.explorer()->model();
    QModelIndex operation;
    for (int r = 0; r < model->rowCount() && !operation.isValid(); ++r) {
        const QModelIndex group = model->index(r, 0);
        if (group.data().toString().startsWith(u"APIs"))
            operation = model->index(0, 0, model->index(0, 0, group));
    }
    QVERIFY(operation.isValid());
    QSignalSpy spy(w.explorer(), &ProjectExplorer::operationSelected);
    w.explorer()->setCurrentIndex(operation);
    QCOMPARE(spy.size(), 1);
    QCOMPARE(spy.first(),
             (QVariantList{QStringLiteral("apis/hello.yaml"), QStringLiteral("GET"),
                           QStringLiteral("/greeting"), QStringLiteral("/hello/v1/greeting")}));
    QCOMPARE(w.tryIt()->urlEdit()->text(),
             QStringLiteral("http://127.0.0.1:9090/hello/v1/greeting"));
}

void tst_ProjectExperience::themeSwitchingChangesThePalette()
{
    const QColor systemWindow = QApplication::palette().color(QPalette::Window);
    const QString systemStyle = QApplication::style()->name();

    MainWindow w;
    QMenu *themeMenu = nullptr;
    for (QMenu *menu : w.findChildren<QMenu *>()) {
        if (menu->title() == QStringLiteral("&Theme"))
            themeMenu = menu;
    }
    QVERIFY(themeMenu);
    QCOMPARE(themeMenu->actions().size(), 3);
    themeMenu->actions().at(2)->trigger();   // Dark
    QCOMPARE(currentTheme(), Theme::Dark);
    QCOMPARE(savedTheme(), Theme::Dark);
    QCOMPARE(QApplication::style()->name(), QStringLiteral("fusion"));
    QVERIFY(QApplication::palette().color(QPalette::Window).lightness() < 80);
    QVERIFY(QApplication::palette().color(QPalette::Text).lightness() > 180);
    QTRY_VERIFY(w.palette().color(QPalette::Base).lightness() < 80);   // widgets follow

    setTheme(Theme::Light);
    QVERIFY(QApplication::palette().color(QPalette::Window).lightness() > 180);
    QVERIFY(QApplication::palette().color(QPalette::Text).lightness() < 80);

    setTheme(Theme::System);
    QCOMPARE(savedTheme(), Theme::System);
    QCOMPARE(QApplication::style()->name(), systemStyle);
    QCOMPARE(QApplication::palette().color(QPalette::Window), systemWindow);
}

QTEST_MAIN(tst_ProjectExperience)
#include "tst_projectexperience.moc"
