// ExportWizard: File ▸ Export… — a project as a bundle for gatehoused, optionally with an OCI image
// (written without a container engine), Kubernetes manifests and a Dockerfile; secrets left out or
// (with a warning) included; the export runs off the UI thread with progress, then a summary.
#pragma once

#include "export/exportjob.h"

#include <QFutureWatcher>
#include <QWizard>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QRadioButton;

namespace Gatehouse {

class ExportWizard : public QWizard
{
    Q_OBJECT
public:
    enum PageId { WhatPage = 1, SecretsPage, RunPage };

    explicit ExportWizard(const QString &projectDir, QWidget *parent = nullptr);
    ~ExportWizard() override;

    // The gatehoused an image ships: next to this program, else on PATH; empty when none.
    static QString findGatehoused();

    // The widgets, for tests and for filling in defaults.
    QLineEdit *outDirEdit() const { return m_outDir; }
    QCheckBox *imageCheck() const { return m_image; }
    QLineEdit *imageFileEdit() const { return m_imageFile; }
    QLineEdit *imageNameEdit() const { return m_imageName; }
    QLineEdit *gatehousedEdit() const { return m_gatehoused; }
    QCheckBox *k8sCheck() const { return m_k8s; }
    QLineEdit *k8sDirEdit() const { return m_k8sDir; }
    QCheckBox *dockerfileCheck() const { return m_dockerfile; }
    QRadioButton *includeSecretsRadio() const { return m_includeSecrets; }
    QLabel *secretsWarning() const { return m_secretsWarning; }
    QProgressBar *progressBar() const { return m_progress; }
    QLabel *stepLabel() const { return m_step; }
    QPlainTextEdit *summary() const { return m_summary; }

    bool isRunning() const { return m_watcher.isRunning(); }
    bool isFinished() const { return m_finished; }
    bool succeeded() const { return m_succeeded; }
    // Why the first page cannot go on (empty = it can): shown under the fields.
    QString whatProblem() const;
    ExportJobOptions jobOptions() const;

signals:
    void exportFinished(bool ok);

protected:
    void initializePage(int id) override;
    bool validateCurrentPage() override;
    void reject() override;

private:
    void startExport();
    void showProgress(ExportStep step, int done, int total);
    void showResult();
    void updateWhat();

    QString m_projectDir;
    QLineEdit *m_outDir = nullptr;
    QCheckBox *m_image = nullptr;
    QLineEdit *m_imageFile = nullptr;
    QLineEdit *m_imageName = nullptr;
    QLineEdit *m_gatehoused = nullptr;
    QCheckBox *m_k8s = nullptr;
    QLineEdit *m_k8sDir = nullptr;
    QCheckBox *m_dockerfile = nullptr;
    QLabel *m_whatProblem = nullptr;
    QRadioButton *m_includeSecrets = nullptr;
    QLabel *m_secretsWarning = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_step = nullptr;
    QPlainTextEdit *m_summary = nullptr;

    struct Outcome
    {
        std::optional<ExportSummary> summary;
        QString error;
        Diagnostics diagnostics;
    };
    QFutureWatcher<Outcome> m_watcher;
    bool m_finished = false;
    bool m_succeeded = false;
};

} // namespace Gatehouse
