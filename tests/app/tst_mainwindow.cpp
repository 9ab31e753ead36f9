// The main window opens a project, lists what it understood, shows problems and jumps to them.
#include "mainwindow.h"

#include "codeeditor.h"
#include "problemspane.h"
#include "projectexplorer.h"

#include <QFile>
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

private:
    void write(const QString &relative, const QByteArray &text);
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

void tst_MainWindow::write(const QString &relative, const QByteArray &text)
{
    const QString path = m_dir.filePath(relative);
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(text);
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

QTEST_MAIN(tst_MainWindow)
#include "tst_mainwindow.moc"
