// The export wizard (offscreen): defaults and the checks of its first page, the secrets choice and
// its warning, a real export of the petstore sample with an OCI image, manifests and a Dockerfile
// running off the UI thread with progress, and a project with errors refused with its diagnostics.
#include "exportwizard.h"

#include <QCheckBox>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QRadioButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Gatehouse;

class tst_ExportWizard : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void suggestsFoldersNextToTheProject();
    void firstPageRefuses_data();
    void firstPageRefuses();
    void includingSecretsShowsAWarning();
    void exportsBundleImageManifestsAndDockerfile();
    void aProjectWithErrorsIsNotExported();

private:
    std::unique_ptr<QTemporaryDir> m_tmp;
    QString m_project;
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

void tst_ExportWizard::init()
{
    m_tmp = std::make_unique<QTemporaryDir>();
    m_project = m_tmp->filePath(QStringLiteral("petstore"));
    copyTree(qEnvironmentVariable("GATEHOUSE_SOURCE_DIR") + QStringLiteral("/resources/samples/petstore"), m_project);
}

void tst_ExportWizard::suggestsFoldersNextToTheProject()
{
    ExportWizard w(m_project);
    QCOMPARE(w.outDirEdit()->text(), m_tmp->filePath(QStringLiteral("petstore-export/bundle")));
    QCOMPARE(w.imageFileEdit()->text(), m_tmp->filePath(QStringLiteral("petstore-export/petstore.tar")));
    QCOMPARE(w.k8sDirEdit()->text(), m_tmp->filePath(QStringLiteral("petstore-export/k8s")));
    QVERIFY(!w.imageFileEdit()->isEnabled());   // until the image is asked for
    w.imageCheck()->setChecked(true);
    QVERIFY(w.imageFileEdit()->isEnabled());
    QVERIFY(w.whatProblem().isEmpty() || w.gatehousedEdit()->text().isEmpty());
    const ExportJobOptions o = w.jobOptions();
    QCOMPARE(o.bundle.projectDir, m_project);
    QVERIFY(!o.bundle.includeSecrets);
}

void tst_ExportWizard::firstPageRefuses_data()
{
    QTest::addColumn<QString>("what");
    QTest::addColumn<QString>("problem");
    QTest::newRow("no bundle folder") << "empty-out" << "Choose the bundle's folder";
    QTest::newRow("a bundle folder that holds files") << "non-empty-out" << "is not an empty folder";
    QTest::newRow("an image without a gatehoused to ship") << "no-gatehoused" << "No gatehoused binary";
    QTest::newRow("manifests without a folder") << "no-k8s-dir" << "Choose the manifests' folder";
}

void tst_ExportWizard::firstPageRefuses()
{
    QFETCH(QString, what);
    QFETCH(QString, problem);
    ExportWizard w(m_project);
    if (what == u"empty-out") {
        w.outDirEdit()->clear();
    } else if (what == u"non-empty-out") {
        w.outDirEdit()->setText(m_project);
    } else if (what == u"no-gatehoused") {
        w.imageCheck()->setChecked(true);
        w.gatehousedEdit()->setText(m_tmp->filePath(QStringLiteral("nowhere/gatehoused")));
    } else {
        w.k8sCheck()->setChecked(true);
        w.k8sDirEdit()->clear();
    }
    QVERIFY2(w.whatProblem().contains(problem), qPrintable(w.whatProblem()));
    w.show();
    QVERIFY(!w.currentPage()->isComplete());
    QCOMPARE(w.findChild<QLabel *>(QStringLiteral("WhatProblem"))->text(), w.whatProblem());
}

void tst_ExportWizard::includingSecretsShowsAWarning()
{
    ExportWizard w(m_project);
    w.show();
    w.next();
    QCOMPARE(w.currentId(), int(ExportWizard::SecretsPage));
    QVERIFY(!w.secretsWarning()->isVisible());
    w.includeSecretsRadio()->setChecked(true);
    QVERIFY(w.secretsWarning()->isVisible());
    QVERIFY(w.jobOptions().bundle.includeSecrets);
}

void tst_ExportWizard::exportsBundleImageManifestsAndDockerfile()
{
    const QString gatehoused = qEnvironmentVariable("GATEHOUSED");
    QVERIFY2(QFileInfo(gatehoused).isExecutable(), "GATEHOUSED is set by ctest");
    ExportWizard w(m_project);
    w.imageCheck()->setChecked(true);
    w.gatehousedEdit()->setText(gatehoused);
    w.k8sCheck()->setChecked(true);
    w.dockerfileCheck()->setChecked(true);
    QVERIFY2(w.whatProblem().isEmpty(), qPrintable(w.whatProblem()));
    QSignalSpy progress(w.progressBar(), &QProgressBar::valueChanged);
    QSignalSpy finished(&w, &ExportWizard::exportFinished);
    w.show();
    w.next();
    w.next();   // the commit page's "Export"
    QCOMPARE(w.currentId(), int(ExportWizard::RunPage));
    QVERIFY(w.isRunning() || w.isFinished());
    QVERIFY(!w.currentPage()->isComplete() || w.isFinished());
    // The UI thread keeps serving events while the image is written: progress arrives in steps.
    QTRY_VERIFY_WITH_TIMEOUT(w.isFinished(), 300000);
    QCOMPARE(finished.size(), 1);
    QVERIFY2(w.succeeded(), qPrintable(w.summary()->toPlainText()));
    QVERIFY(w.currentPage()->isComplete());
    QCOMPARE(w.progressBar()->value(), 100);
    QVERIFY2(progress.size() >= 4, qPrintable(QString::number(progress.size())));

    const QString base = m_tmp->filePath(QStringLiteral("petstore-export"));
    QVERIFY(QFileInfo::exists(base + QStringLiteral("/bundle/gatehouse.yaml")));
    QVERIFY(QFileInfo(base + QStringLiteral("/petstore.tar")).size() > 1024 * 1024);
    QVERIFY(QFileInfo::exists(base + QStringLiteral("/k8s/deployment.yaml")));
    QVERIFY(QFileInfo::exists(base + QStringLiteral("/Dockerfile")));
    const QString summary = w.summary()->toPlainText();
    QVERIFY2(summary.contains(QStringLiteral("digest sha256:")), qPrintable(summary));
    QVERIFY(summary.contains(QStringLiteral("gatehoused serve ") + base + QStringLiteral("/bundle")));
    QVERIFY(summary.contains(QStringLiteral("kubectl apply -f ") + base + QStringLiteral("/k8s")));
    QVERIFY(summary.contains(QStringLiteral("secret variable: GATEHOUSE_")));
    QVERIFY(!summary.contains(QStringLiteral("WARNING")));
}

void tst_ExportWizard::aProjectWithErrorsIsNotExported()
{
    QFile yaml(m_project + QStringLiteral("/gatehouse.yaml"));
    QVERIFY(yaml.open(QIODevice::Append));
    yaml.write("\nworkers: many\n");
    yaml.close();
    ExportWizard w(m_project);
    QSignalSpy finished(&w, &ExportWizard::exportFinished);
    w.show();
    w.next();
    w.next();
    QTRY_VERIFY_WITH_TIMEOUT(w.isFinished(), 60000);
    QCOMPARE(finished.size(), 1);
    QCOMPARE(finished.first().first().toBool(), false);
    const QString summary = w.summary()->toPlainText();
    QVERIFY2(summary.startsWith(QStringLiteral("Not exported")), qPrintable(summary));
    QVERIFY2(summary.contains(QStringLiteral("gatehouse.yaml:")), qPrintable(summary));
    QVERIFY(!QFileInfo::exists(m_tmp->filePath(QStringLiteral("petstore-export/bundle/gatehouse.yaml"))));
}

QTEST_MAIN(tst_ExportWizard)
#include "tst_exportwizard.moc"
