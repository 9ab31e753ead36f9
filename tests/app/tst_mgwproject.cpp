// File ▸ Open MGW Project over the MGW 3.2 sample (tests/gatewaycore/export/data/mgw-petstore): the
// workbench runs the same importer as `gatehoused import-wso2`, writes nothing without a folder,
// opens the imported project, and shows refusals with file:line:col.
#include "mainwindow.h"
#include "mgwproject.h"

#include "project/project.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Gatehouse;

class tst_MgwProject : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void writesNothingWithoutAFolder();
    void importsIntoTheChosenFolderAndOpensIt();
    void anImportedProjectOpensWithoutAsking();
    void aBrokenProjectIsRefusedWithItsPlace();
    void suggestsAFreeFolderNextToTheProject();

private:
    QString m_sample;
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_project;   // a fresh copy of the sample per test
};

static void copyTree(const QString &from, const QString &to)
{
    QDirIterator it(from, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString file = it.next();
        const QString target = to + u'/' + QDir(from).relativeFilePath(file);
        QDir().mkpath(QFileInfo(target).absolutePath());
        QFile::copy(file, target);
    }
}

static QStringList filesIn(const QString &dir)
{
    QStringList out;
    QDirIterator it(dir, QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot | QDir::System,
                    QDirIterator::Subdirectories);
    while (it.hasNext())
        out.append(QDir(dir).relativeFilePath(it.next()));
    out.sort();
    return out;
}

void tst_MgwProject::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    m_sample = qEnvironmentVariable("GATEHOUSE_SOURCE_DIR") + QStringLiteral("/tests/gatewaycore/export/data/mgw-petstore");
    QVERIFY(QFileInfo::exists(m_sample + QStringLiteral("/policies.yaml")));
}

void tst_MgwProject::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_project = m_dir->filePath(QStringLiteral("petstore"));
    copyTree(m_sample, m_project);
}

void tst_MgwProject::writesNothingWithoutAFolder()
{
    const QStringList before = filesIn(m_dir->path());
    MainWindow w;
    int asked = 0;
    MgwImportUi ui;
    ui.chooseTarget = [&](const MgwLayout &layout, const QString &suggested) {
        ++asked;
        [&] {
            QCOMPARE(layout.apiFiles.size(), 2);
            QCOMPARE(suggested, m_project + QStringLiteral("-gatehouse"));
        }();
        return QString();
    };
    QVERIFY(!w.openMgwProject(m_project, ui));
    QCOMPARE(asked, 1);
    QCOMPARE(filesIn(m_dir->path()), before);
    QVERIFY(w.project().rootDir.isEmpty());
}

void tst_MgwProject::importsIntoTheChosenFolderAndOpensIt()
{
    const QStringList mgwBefore = filesIn(m_project);
    const QString target = m_dir->filePath(QStringLiteral("imported"));
    MainWindow w;
    int reports = 0;
    MgwImportUi ui;
    ui.chooseTarget = [&](const MgwLayout &, const QString &) { return target; };
    ui.showReport = [&](const MgwImportResult &result) {
        ++reports;
        QVERIFY(!result.notCarried.isEmpty());
        QVERIFY(!result.check.hasErrors());
    };
    QVERIFY(w.openMgwProject(m_project, ui));
    QCOMPARE(reports, 1);
    QCOMPARE(filesIn(m_project), mgwBefore);   // MGW's folder is not written to

    const Project &project = w.project();
    QCOMPARE(project.rootDir, QFileInfo(target).canonicalFilePath());
    QVERIFY2(!w.diagnostics().hasErrors(), qPrintable(w.diagnostics().toString()));
    QCOMPARE(project.apis.size(), 2);
    QCOMPARE(project.protos.services.size(), 1);
    QCOMPARE(project.settings.listeners.http.port, quint16(9590));
    QVERIFY(project.settings.throttling.tiers.contains(QStringLiteral("Nightly")));
    QVERIFY(QFileInfo::exists(target + QStringLiteral("/IMPORT-REPORT.md")));
}

void tst_MgwProject::anImportedProjectOpensWithoutAsking()
{
    const QString target = m_dir->filePath(QStringLiteral("imported"));
    Diagnostics d;
    QVERIFY(importMgwProject({m_project, target, {}, {}}, d));
    MainWindow w;
    int asked = 0;
    MgwImportUi ui;
    ui.chooseTarget = [&](const MgwLayout &, const QString &) { return ++asked, QString(); };
    QVERIFY(w.openMgwProject(target, ui));
    QCOMPARE(asked, 0);
    QCOMPARE(w.project().apis.size(), 2);
}

void tst_MgwProject::aBrokenProjectIsRefusedWithItsPlace()
{
    QFile conf(m_project + QStringLiteral("/conf/micro-gw.conf"));
    QVERIFY(conf.open(QIODevice::WriteOnly | QIODevice::Truncate));
    conf.write("[listenerConfig]\nhttpPort = nine\n");
    conf.close();
    const QString target = m_dir->filePath(QStringLiteral("imported"));
    MainWindow w;
    QString shown;
    MgwImportUi ui;
    ui.chooseTarget = [&](const MgwLayout &, const QString &) { return target; };
    ui.showError = [&](const QString &message) { shown = message; };
    QVERIFY(!w.openMgwProject(m_project, ui));
    QVERIFY2(shown.contains(QStringLiteral("conf/micro-gw.conf:2:12: error: 'nine' is not a TOML value")), qPrintable(shown));
    QVERIFY(!QFileInfo::exists(target));
    QVERIFY(w.project().rootDir.isEmpty());
}

void tst_MgwProject::suggestsAFreeFolderNextToTheProject()
{
    const MgwLayout layout = detectMgwLayout(m_project);
    QCOMPARE(suggestedMgwImportTarget(layout), m_project + QStringLiteral("-gatehouse"));
    QDir().mkpath(m_project + QStringLiteral("-gatehouse/apis"));
    QCOMPARE(suggestedMgwImportTarget(layout), m_project + QStringLiteral("-gatehouse-2"));
}

QTEST_MAIN(tst_MgwProject)
#include "tst_mgwproject.moc"
