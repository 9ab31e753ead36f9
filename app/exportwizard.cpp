// ExportWizard: three pages (what to write, secrets, the export itself) over runExportJob, which
// runs on a pool thread; progress comes back as queued calls, the result as the future's value.
#include "exportwizard.h"

#include "base/threadcrypto.h"
#include "base/version.h"

#include <QCheckBox>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QStandardPaths>
#include <QVBoxLayout>
#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>

namespace Gatehouse {

namespace {

// A page whose Next/Finish button follows a predicate.
class Page : public QWizardPage
{
public:
    std::function<bool()> complete;
    bool isComplete() const override { return complete ? complete() : true; }
    void changed() { emit completeChanged(); }
};

int percentFor(ExportStep step, int done, int total)
{
    switch (step) {
    case ExportStep::Bundle: return 2;
    case ExportStep::Dockerfile: return 10;
    case ExportStep::Image: return 12 + (total > 0 ? 78 * done / total : 0);
    case ExportStep::Kubernetes: return 92;
    case ExportStep::Done: return 100;
    }
    return 0;
}

} // namespace

QString ExportWizard::findGatehoused()
{
    const QString sibling = QCoreApplication::applicationDirPath() + QStringLiteral("/gatehoused");
    if (QFileInfo(sibling).isExecutable())
        return sibling;
    return QStandardPaths::findExecutable(QStringLiteral("gatehoused"));
}

ExportWizard::ExportWizard(const QString &projectDir, QWidget *parent)
    : QWizard(parent), m_projectDir(QFileInfo(projectDir).absoluteFilePath())
{
    setObjectName(QStringLiteral("ExportWizard"));
    setWindowTitle(tr("Export Project"));
    setWizardStyle(QWizard::ClassicStyle);
    setOption(QWizard::NoBackButtonOnLastPage);
    setOption(QWizard::NoCancelButtonOnLastPage);
    const QString name = QFileInfo(m_projectDir).fileName();
    const QString base = QFileInfo(m_projectDir).absolutePath() + u'/' + name + QStringLiteral("-export");

    auto *what = new Page;
    what->setTitle(tr("What to export"));
    what->setSubTitle(tr("A bundle is the project resolved and validated, ready for 'gatehoused serve'. "
                         "An image, manifests and a Dockerfile are made of the bundle."));
    m_outDir = new QLineEdit(base + QStringLiteral("/bundle"));
    m_image = new QCheckBox(tr("OCI container image (written without Docker or Podman)"));
    m_imageFile = new QLineEdit(base + u'/' + name + QStringLiteral(".tar"));
    m_imageName = new QLineEdit;
    m_imageName->setPlaceholderText(QStringLiteral("gatehouse/%1:latest").arg(kubernetesName(name)));
    m_gatehoused = new QLineEdit(findGatehoused());
    m_gatehoused->setToolTip(tr("The gatehoused binary the image ships"));
    m_k8s = new QCheckBox(tr("Kubernetes manifests (Deployment, Service, ConfigMap, Secret templates, HPA)"));
    m_k8sDir = new QLineEdit(base + QStringLiteral("/k8s"));
    m_dockerfile = new QCheckBox(tr("Dockerfile for building the image yourself (%1)").arg(base + QStringLiteral("/Dockerfile")));
    m_whatProblem = new QLabel;
    m_whatProblem->setObjectName(QStringLiteral("WhatProblem"));
    m_whatProblem->setWordWrap(true);
    auto *form = new QFormLayout(what);
    form->addRow(tr("Bundle folder:"), m_outDir);
    form->addRow(m_image);
    form->addRow(tr("Image file:"), m_imageFile);
    form->addRow(tr("Image name:"), m_imageName);
    form->addRow(tr("gatehoused:"), m_gatehoused);
    form->addRow(m_k8s);
    form->addRow(tr("Manifests folder:"), m_k8sDir);
    form->addRow(m_dockerfile);
    form->addRow(m_whatProblem);
    what->complete = [this] { return whatProblem().isEmpty(); };
    for (QLineEdit *edit : {m_outDir, m_imageFile, m_imageName, m_gatehoused, m_k8sDir})
        connect(edit, &QLineEdit::textChanged, this, [this, what] { updateWhat(), what->changed(); });
    for (QCheckBox *box : {m_image, m_k8s, m_dockerfile})
        connect(box, &QCheckBox::toggled, this, [this, what] { updateWhat(), what->changed(); });
    setPage(WhatPage, what);

    auto *secrets = new Page;
    secrets->setTitle(tr("Secrets"));
    secrets->setSubTitle(tr("Private keys, password hashes and secrets of gatehouse.yaml."));
    auto *leaveOut = new QRadioButton(tr("Leave them out: the bundle reads them from environment variables "
                                         "or mounted files (recommended)"));
    leaveOut->setChecked(true);
    m_includeSecrets = new QRadioButton(tr("Include them as they are"));
    m_secretsWarning = new QLabel(tr("<b>Warning:</b> the bundle (and the image) will contain private keys and "
                                     "secrets in clear. Anyone who can read it can impersonate this gateway "
                                     "and its users: never commit, share or publish it."));
    m_secretsWarning->setWordWrap(true);
    m_secretsWarning->setStyleSheet(QStringLiteral("color: #b00020;"));
    m_secretsWarning->setVisible(false);
    connect(m_includeSecrets, &QRadioButton::toggled, m_secretsWarning, &QLabel::setVisible);
    auto *secretsLayout = new QVBoxLayout(secrets);
    secretsLayout->addWidget(leaveOut);
    secretsLayout->addWidget(m_includeSecrets);
    secretsLayout->addWidget(m_secretsWarning);
    secretsLayout->addStretch();
    secrets->setCommitPage(true);
    setButtonText(QWizard::CommitButton, tr("Export"));
    setPage(SecretsPage, secrets);

    auto *run = new Page;
    run->setTitle(tr("Export"));
    m_step = new QLabel;
    m_step->setObjectName(QStringLiteral("ExportStep"));
    m_progress = new QProgressBar;
    m_progress->setRange(0, 100);
    m_summary = new QPlainTextEdit;
    m_summary->setReadOnly(true);
    m_summary->setObjectName(QStringLiteral("ExportSummary"));
    auto *runLayout = new QVBoxLayout(run);
    runLayout->addWidget(m_step);
    runLayout->addWidget(m_progress);
    runLayout->addWidget(m_summary, 1);
    run->complete = [this] { return m_finished; };
    setPage(RunPage, run);
    connect(&m_watcher, &QFutureWatcher<Outcome>::finished, this, [this, run] {
        showResult();
        run->changed();
    });
    updateWhat();
}

ExportWizard::~ExportWizard()
{
    m_watcher.waitForFinished();   // the job writes into folders the user chose; let it end
}

QString ExportWizard::whatProblem() const
{
    const QString out = m_outDir->text().trimmed();
    if (out.isEmpty())
        return tr("Choose the bundle's folder.");
    if (QFileInfo(out).exists() && !(QFileInfo(out).isDir() && QDir(out).isEmpty()))
        return tr("%1 exists and is not an empty folder.").arg(QDir::toNativeSeparators(out));
    if (m_image->isChecked()) {
        if (m_imageFile->text().trimmed().isEmpty())
            return tr("Choose the image file.");
        if (!QFileInfo(m_gatehoused->text().trimmed()).isExecutable())
            return tr("No gatehoused binary to put into the image: install the gatehoused package or name the binary.");
    }
    if (m_k8s->isChecked() && m_k8sDir->text().trimmed().isEmpty())
        return tr("Choose the manifests' folder.");
    return {};
}

void ExportWizard::updateWhat()
{
    for (QWidget *w : {static_cast<QWidget *>(m_imageFile), static_cast<QWidget *>(m_imageName),
                       static_cast<QWidget *>(m_gatehoused)})
        w->setEnabled(m_image->isChecked());
    m_k8sDir->setEnabled(m_k8s->isChecked());
    m_whatProblem->setText(whatProblem());
}

ExportJobOptions ExportWizard::jobOptions() const
{
    ExportJobOptions o;
    o.bundle.projectDir = m_projectDir;
    o.bundle.outDir = m_outDir->text().trimmed();
    o.bundle.includeSecrets = m_includeSecrets->isChecked();
    if (m_image->isChecked()) {
        o.imageFile = m_imageFile->text().trimmed();
        o.imageName = m_imageName->text().trimmed();
        o.gatehousedPath = m_gatehoused->text().trimmed();
    }
    if (m_k8s->isChecked())
        o.k8sDir = m_k8sDir->text().trimmed();
    if (m_dockerfile->isChecked())
        o.dockerfile = QFileInfo(o.bundle.outDir).absolutePath() + QStringLiteral("/Dockerfile");
    o.version = versionString();
    return o;
}

void ExportWizard::initializePage(int id)
{
    QWizard::initializePage(id);
    if (id == RunPage)
        startExport();
}

bool ExportWizard::validateCurrentPage()
{
    if (currentId() == WhatPage)
        return whatProblem().isEmpty();
    return QWizard::validateCurrentPage();
}

void ExportWizard::reject()
{
    if (isRunning())
        return;   // an image cannot be half written; the job is short
    QWizard::reject();
}

void ExportWizard::startExport()
{
    const ExportJobOptions options = jobOptions();
    for (const QString &file : {options.imageFile, options.dockerfile}) {
        if (!file.isEmpty())
            QDir().mkpath(QFileInfo(file).absolutePath());
    }
    m_finished = false;
    m_progress->setValue(0);
    m_summary->clear();
    m_step->setText(tr("Starting…"));
    button(QWizard::FinishButton)->setEnabled(false);
    QPointer<ExportWizard> self(this);
    m_watcher.setFuture(QtConcurrent::run([options, self] {
        Outcome outcome;
        const Result<ExportSummary> result = runExportJob(options, outcome.diagnostics, [self](ExportStep step, int done, int total) {
            if (self)
                QMetaObject::invokeMethod(self, [self, step, done, total] {
                    if (self)
                        self->showProgress(step, done, total);
                }, Qt::QueuedConnection);
        });
        if (result)
            outcome.summary = *result;
        else
            outcome.error = result.error().message;
        releaseThreadCryptoState();   // a pool thread (the project's TLS files and keys): see threadcrypto.h
        return outcome;
    }));
}

void ExportWizard::showProgress(ExportStep step, int done, int total)
{
    switch (step) {
    case ExportStep::Bundle: m_step->setText(tr("Writing the bundle…")); break;
    case ExportStep::Dockerfile: m_step->setText(tr("Writing the Dockerfile…")); break;
    case ExportStep::Image: m_step->setText(tr("Writing the image: file %1 of %2…").arg(done + 1).arg(total)); break;
    case ExportStep::Kubernetes: m_step->setText(tr("Writing the Kubernetes manifests…")); break;
    case ExportStep::Done: break;
    }
    m_progress->setValue(qMax(m_progress->value(), percentFor(step, done, total)));
}

void ExportWizard::showResult()
{
    Outcome outcome = m_watcher.result();
    m_finished = true;
    m_succeeded = outcome.summary.has_value();
    QStringList lines;
    outcome.diagnostics.sort();
    if (!m_succeeded) {
        m_step->setText(tr("The export failed."));
        lines << tr("Not exported: %1").arg(outcome.error);
        for (const Diagnostic &d : outcome.diagnostics.items())
            lines << d.toString();
        m_summary->setPlainText(lines.join(u'\n'));
        emit exportFinished(false);
        return;
    }
    const ExportSummary &s = *outcome.summary;
    m_progress->setValue(100);
    m_step->setText(tr("Exported '%1'.").arg(s.bundle.name));
    lines << tr("Bundle: %1 (%n file(s)). Run it with: gatehoused serve %1", nullptr, int(s.bundle.files.size()))
                 .arg(s.bundle.outDir);
    if (jobOptions().bundle.includeSecrets)
        lines << tr("WARNING: the bundle contains private keys and secrets in clear; keep it private.");
    for (const QString &file : s.bundle.leftOut)
        lines << tr("  left out (secret): %1").arg(file);
    for (const EnvironmentVariable &v : s.bundle.variables) {
        if (v.secret)
            lines << tr("  secret variable: %1 (%2)").arg(v.name, v.meaning);
    }
    if (s.image) {
        lines << tr("Image: %1 as %2, %3 KiB, %n file(s), digest %4", nullptr, int(s.image->layerEntries))
                     .arg(jobOptions().imageFile, s.imageReference)
                     .arg(s.image->archiveBytes / 1024)
                     .arg(s.image->manifestDigest);
        lines << tr("  load it with: docker load -i %1 (or podman load, skopeo copy oci-archive:…)").arg(jobOptions().imageFile);
    }
    if (!s.dockerfile.isEmpty())
        lines << tr("Dockerfile: %1 (docker buildx build -f %1 --build-context bundle=%2 … GATEHOUSE_SOURCES)")
                     .arg(s.dockerfile, s.bundle.outDir);
    if (!s.manifests.isEmpty())
        lines << tr("Kubernetes: %1 in %2; fill in secret.yaml, then kubectl apply -f %2")
                     .arg(s.manifests.join(QStringLiteral(", ")), s.k8sDir);
    for (const Diagnostic &d : outcome.diagnostics.items())
        lines << d.toString();
    m_summary->setPlainText(lines.join(u'\n'));
    emit exportFinished(true);
}

} // namespace Gatehouse
