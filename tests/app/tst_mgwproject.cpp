// Opening a WSO2 MGW 3.x project (tests/app/data/mgw-bookstore): the layout is recognised, nothing
// is written without a yes, and after one the project opens with MGW's APIs, tiers and ports.
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
    void recognisesTheLayout();
    void aGatehouseProjectIsNotMgw();
    void writesNothingWithoutAYes();
    void opensAfterConversion();
    void aConvertedProjectOpensWithoutAsking();

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
    m_sample = qEnvironmentVariable("GATEHOUSE_SOURCE_DIR") + QStringLiteral("/tests/app/data/mgw-bookstore");
    QVERIFY(QFileInfo::exists(m_sample + QStringLiteral("/policies.yaml")));
}

void tst_MgwProject::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_project = m_dir->filePath(QStringLiteral("bookstore"));
    copyTree(m_sample, m_project);
}

void tst_MgwProject::recognisesTheLayout()
{
    const MgwLayout layout = detectMgwLayout(m_project);
    QVERIFY(layout.isMgw());
    QVERIFY(layout.needsConversion());
    QCOMPARE(layout.apiDir, QStringLiteral("api_definitions"));
    QCOMPARE(layout.apiFiles, QStringList{QStringLiteral("api_definitions/bookstore.yaml")});
    QCOMPARE(layout.wso2ApiFiles, 1);
    QCOMPARE(layout.policies, QStringLiteral("policies.yaml"));
    QCOMPARE(layout.httpPort, 9190);
    QCOMPARE(layout.httpsPort, 9195);
    QCOMPARE(layout.interceptors, QStringList{QStringLiteral("interceptors/validate_request.bal")});
    const QStringList planned = layout.plannedChanges();
    QCOMPARE(planned.size(), 2);
    QVERIFY(planned.first().contains(QStringLiteral("api_definitions")));
    QVERIFY(planned.last().contains(QStringLiteral("policies.yaml")));
    QVERIFY(layout.notCarriedOver().first().contains(QStringLiteral("interceptor")));
}

void tst_MgwProject::aGatehouseProjectIsNotMgw()
{
    const QString petstore = qEnvironmentVariable("GATEHOUSE_SOURCE_DIR") + QStringLiteral("/resources/samples/petstore");
    const MgwLayout layout = detectMgwLayout(petstore);
    QVERIFY(!layout.isMgw());
    QVERIFY(!layout.needsConversion());
    QVERIFY(!detectMgwLayout(m_dir->path()).isMgw());   // a folder without APIs
}

void tst_MgwProject::writesNothingWithoutAYes()
{
    const QStringList before = filesIn(m_project);
    MainWindow w;
    int asked = 0;
    QVERIFY(!w.openMgwProject(m_project, [&](const MgwLayout &) { return ++asked, false; }));
    QCOMPARE(asked, 1);
    QCOMPARE(filesIn(m_project), before);
    QVERIFY(w.project().rootDir.isEmpty());
}

void tst_MgwProject::opensAfterConversion()
{
    MainWindow w;
    QVERIFY(w.openMgwProject(m_project, [](const MgwLayout &) { return true; }));
    QVERIFY(QFileInfo(m_project + QStringLiteral("/apis")).isSymLink());
    QVERIFY(QFileInfo::exists(m_project + QStringLiteral("/gatehouse.yaml")));

    const Project &project = w.project();
    QVERIFY2(!w.diagnostics().hasErrors(), qPrintable(w.diagnostics().toString()));
    QCOMPARE(project.apis.size(), 1);
    const ApiSpec &api = project.apis.first();
    QCOMPARE(api.file, QStringLiteral("apis/bookstore.yaml"));
    QCOMPARE(api.basePath, QStringLiteral("/bookstore/1.0.0"));
    QCOMPARE(api.extensions.throttlingTier, QStringLiteral("10kPerMin"));
    QVERIFY(project.settings.throttling.tiers.contains(QStringLiteral("10kPerMin")));
    QCOMPARE(project.settings.throttling.tiers.value(QStringLiteral("10kPerMin")).count, qint64(10000));
    QCOMPARE(project.settings.listeners.http.port, quint16(9190));
    QCOMPARE(project.settings.listeners.https.port, quint16(9195));

    // MGW's own files are as they were.
    QFile original(m_sample + QStringLiteral("/api_definitions/bookstore.yaml"));
    QFile copy(m_project + QStringLiteral("/api_definitions/bookstore.yaml"));
    QVERIFY(original.open(QIODevice::ReadOnly) && copy.open(QIODevice::ReadOnly));
    QCOMPARE(copy.readAll(), original.readAll());
}

void tst_MgwProject::aConvertedProjectOpensWithoutAsking()
{
    QString error;
    QVERIFY2(convertMgwProject(detectMgwLayout(m_project), &error), qPrintable(error));
    QVERIFY(!detectMgwLayout(m_project).needsConversion());
    MainWindow w;
    int asked = 0;
    QVERIFY(w.openMgwProject(m_project, [&](const MgwLayout &) { return ++asked, true; }));
    QCOMPARE(asked, 0);
    QCOMPARE(w.project().apis.size(), 1);
}

QTEST_MAIN(tst_MgwProject)
#include "tst_mgwproject.moc"
