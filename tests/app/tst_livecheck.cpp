// The live project check: the Problems dock follows unsaved text in gatehouse.yaml and the APIs
// (debounced, off the UI thread), the files on disk stay untouched, an undo or a discarded tab
// brings the saved verdict back, and double-clicking a problem opens its file at line:column.
#include "codeeditor.h"
#include "mainwindow.h"
#include "problemspane.h"
#include "projectchecker.h"

#include <QFile>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>

using namespace Gatehouse;

class tst_LiveCheck : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void isProjectFile_data();
    void isProjectFile();
    void checkReadsOverlaysInsteadOfDisk();
    void unsavedSettingsShowInProblems();
    void unsavedApiTextShowsInProblems();
    void doubleClickJumpsToLineAndColumn();

private:
    void write(const QString &relative, const QByteArray &text);
    static QStringList problems(const MainWindow &w);
    QTemporaryDir m_dir;
};

static const QByteArray kSettings = R"(version: 1
throttling:
  tiers:
    Kennel: {count: 100, unit: minute}
)";

static const QByteArray kApi = R"(openapi: 3.0.3
info: {title: Pets, version: v1}
servers: [{url: 'http://127.0.0.1:8080/api'}]
x-gatehouse-throttling-tier: Kennel
paths:
  /pets:
    get: {security: [], responses: {'200': {description: ok}}}
)";

void tst_LiveCheck::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    write(QStringLiteral("gatehouse.yaml"), kSettings);
    write(QStringLiteral("apis/pets.yaml"), kApi);
}

void tst_LiveCheck::write(const QString &relative, const QByteArray &text)
{
    QDir().mkpath(QFileInfo(m_dir.filePath(relative)).absolutePath());
    QFile f(m_dir.filePath(relative));
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(text);
}

QStringList tst_LiveCheck::problems(const MainWindow &w)
{
    QStringList out;
    for (int i = 0; i < w.problems()->topLevelItemCount(); ++i)
        out.append(w.problems()->topLevelItem(i)->toolTip(0));
    return out;
}

void tst_LiveCheck::isProjectFile_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<bool>("project");
    auto s = [](const char *t) { return QString::fromUtf8(t); };
    QTest::newRow("the settings file") << s("gatehouse.yaml") << true;
    QTest::newRow("an API") << s("apis/pets.json") << true;
    QTest::newRow("a fragment below apis/") << s("apis/common/schemas.yaml") << false;
    QTest::newRow("a Lua script") << s("policies/x.lua") << false;
}

void tst_LiveCheck::isProjectFile()
{
    QFETCH(QString, path);
    QFETCH(bool, project);
    QCOMPARE(ProjectChecker::isProjectFile(path), project);
}

void tst_LiveCheck::checkReadsOverlaysInsteadOfDisk()
{
    QVERIFY(ProjectChecker::check(m_dir.path(), {}).isEmpty());
    QByteArray renamed = kSettings;
    renamed.replace("Kennel", "Cattery");
    const Diagnostics d = ProjectChecker::check(m_dir.path(), {{QStringLiteral("gatehouse.yaml"), renamed}});
    QVERIFY(d.hasErrors());
    QCOMPARE(d.items().first().location.file, QStringLiteral("apis/pets.yaml"));
    QCOMPARE(d.items().first().location.line, 4);
    QVERIFY2(d.items().first().message.contains(QStringLiteral("Kennel")), qPrintable(d.toString()));
}

void tst_LiveCheck::unsavedSettingsShowInProblems()
{
    MainWindow w;
    QVERIFY(w.openProject(m_dir.path()));
    w.checker()->setDelay(std::chrono::milliseconds(20));
    QVERIFY(problems(w).isEmpty());
    CodeEditor *settings = w.openFile(m_dir.filePath(QStringLiteral("gatehouse.yaml")));
    QVERIFY(settings);

    // Rename the tier without saving: the API that names it is now wrong.
    QTextCursor cursor = settings->document()->find(QStringLiteral("Kennel"));
    QVERIFY(!cursor.isNull());
    cursor.insertText(QStringLiteral("Cattery"));
    QTRY_VERIFY(!problems(w).isEmpty());
    QVERIFY2(problems(w).first().startsWith(QStringLiteral("apis/pets.yaml:4:")), qPrintable(problems(w).join(u'\n')));
    QVERIFY(w.diagnostics().hasErrors());
    QFile disk(m_dir.filePath(QStringLiteral("gatehouse.yaml")));
    QVERIFY(disk.open(QIODevice::ReadOnly));
    QCOMPARE(disk.readAll(), kSettings);   // nothing was saved

    settings->undo();
    QTRY_VERIFY(problems(w).isEmpty());

    // Discarding unsaved text brings back the verdict of the file on disk.
    cursor = settings->document()->find(QStringLiteral("minute"));
    cursor.insertText(QStringLiteral("fortnight"));
    QTRY_VERIFY(!problems(w).isEmpty());
    QVERIFY2(problems(w).filter(QStringLiteral("gatehouse.yaml:4:")).size() == 1,
             qPrintable(problems(w).join(u'\n')));
    QVERIFY(!settings->markers().isEmpty());   // underlined in its own editor as well
    settings->document()->setModified(false);   // as "Discard" leaves it before the tab closes
    const int checks = w.checker()->checkCount();
    w.editors()->removeTab(w.editors()->indexOf(settings));
    delete settings;
    w.checker()->schedule();
    QTRY_VERIFY(w.checker()->checkCount() > checks);
    QTRY_VERIFY(problems(w).isEmpty());
}

void tst_LiveCheck::unsavedApiTextShowsInProblems()
{
    MainWindow w;
    QVERIFY(w.openProject(m_dir.path()));
    w.checker()->setDelay(std::chrono::milliseconds(20));
    CodeEditor *api = w.openFile(m_dir.filePath(QStringLiteral("apis/pets.yaml")));
    QTextCursor cursor = api->document()->find(QStringLiteral("tier: Kennel"));
    cursor.insertText(QStringLiteral("tier: Kennell"));
    QTRY_VERIFY(!problems(w).isEmpty());
    QVERIFY2(problems(w).first().contains(QStringLiteral("Kennell")), qPrintable(problems(w).join(u'\n')));
    api->undo();
    QTRY_VERIFY(problems(w).isEmpty());
}

void tst_LiveCheck::doubleClickJumpsToLineAndColumn()
{
    MainWindow w;
    QVERIFY(w.openProject(m_dir.path()));
    w.checker()->setDelay(std::chrono::milliseconds(20));
    w.resize(1200, 800);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    CodeEditor *settings = w.openFile(m_dir.filePath(QStringLiteral("gatehouse.yaml")));
    QTextCursor cursor = settings->document()->find(QStringLiteral("Kennel"));
    cursor.insertText(QStringLiteral("Cattery"));
    QTRY_COMPARE(w.problems()->topLevelItemCount(), 1);

    QTreeWidgetItem *item = w.problems()->topLevelItem(0);
    const QRect rect = w.problems()->visualItemRect(item);
    // A real double-click: press and release, then the second press that the system reports as
    // a double-click (QTest::mouseDClick alone sends only the last).
    QTest::mouseClick(w.problems()->viewport(), Qt::LeftButton, {}, rect.center());
    QTest::mouseDClick(w.problems()->viewport(), Qt::LeftButton, {}, rect.center());
    auto *editor = qobject_cast<CodeEditor *>(w.editors()->currentWidget());
    QVERIFY(editor);
    QCOMPARE(editor->relativeFilePath(), QStringLiteral("apis/pets.yaml"));
    const QTextCursor at = editor->textCursor();
    QCOMPARE(at.blockNumber() + 1, 4);
    const int column = at.positionInBlock() + 1;
    QVERIFY2(editor->document()->findBlockByNumber(3).text().mid(column - 1).startsWith(u"Kennel"),
             qPrintable(QString::number(column)));
    settings->document()->setModified(false);   // no "save changes?" on close
}

QTEST_MAIN(tst_LiveCheck)
#include "tst_livecheck.moc"
