// NewProjectDialog and the template copy behind it.
#include "newprojectdialog.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSettings>
#include <QStandardPaths>
#include <QUrl>

namespace Gatehouse {

namespace {
const QString kLocationKey = QStringLiteral("newProject/location");
const QString kUpstreamKey = QStringLiteral("newProject/upstream");

// Letters, digits, '.', '_' and '-': safe as a folder name, a YAML plain scalar and a bundle name.
bool isValidName(const QString &name)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"));
    return re.match(name).hasMatch();
}
} // namespace

QString defaultTemplateDir()
{
    return QStringLiteral(":/templates/default");
}

bool createProjectFromTemplate(const QString &templateDir, const QString &targetDir,
                               const QString &name, const QString &upstreamUrl, QString *error)
{
    auto fail = [error](const QString &sentence) {
        if (error)
            *error = sentence;
        return false;
    };
    if (!QFileInfo(templateDir).isDir())
        return fail(QObject::tr("The project template is missing (%1).").arg(templateDir));
    QDir target(targetDir);
    if (target.exists() && !target.isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden))
        return fail(
            QObject::tr("%1 already exists and is not empty; choose another name or folder.")
                .arg(QDir::toNativeSeparators(targetDir)));
    if (!QDir().mkpath(targetDir))
        return fail(
            QObject::tr("Cannot create the folder %1.").arg(QDir::toNativeSeparators(targetDir)));

    QDirIterator it(templateDir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString source = it.next();
        const QString relative = QDir(templateDir).relativeFilePath(source);
        const QString destination = target.filePath(relative);
        QFile in(source);
        if (!in.open(QIODevice::ReadOnly))
            return fail(QObject::tr("Cannot read the template file %1: %2")
                            .arg(relative, in.errorString()));
        QByteArray content = in.readAll();
        content.replace("@PROJECT_NAME@", name.toUtf8());
        content.replace("@UPSTREAM_URL@", upstreamUrl.toUtf8());
        QDir().mkpath(QFileInfo(destination).absolutePath());
        // A fresh file, not QFile::copy: files in Qt resources are read-only and would stay so.
        QSaveFile out(destination);
        if (!out.open(QIODevice::WriteOnly) || out.write(content) != content.size()
            || !out.flush() || !out.commit())
            return fail(QObject::tr("Cannot write %1: %2")
                            .arg(QDir::toNativeSeparators(destination), out.errorString()));
    }
    return true;
}

NewProjectDialog::NewProjectDialog(QWidget *parent)
    : QDialog(parent)
    , m_name(new QLineEdit(QStringLiteral("my-api")))
    , m_folder(new QLineEdit)
    , m_upstream(new QLineEdit)
    , m_result(new QLabel)
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel))
{
    setWindowTitle(tr("New Project"));
    const QSettings settings;
    const QString documents = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    m_folder->setText(QDir::toNativeSeparators(settings.value(kLocationKey, documents).toString()));
    m_upstream->setText(
        settings.value(kUpstreamKey, QStringLiteral("http://127.0.0.1:8080")).toString());
    m_name->setToolTip(
        tr("Letters, digits, '.', '_' and '-'. Also the name of the project's folder."));
    m_upstream->setToolTip(
        tr("Where the first API's requests go (servers[0].url of apis/hello.yaml)."));
    m_name->selectAll();

    auto *browse = new QPushButton(tr("Browse…"));
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Create the Project In"),
                                                              m_folder->text());
        if (!dir.isEmpty())
            m_folder->setText(QDir::toNativeSeparators(dir));
    });
    auto *folderRow = new QHBoxLayout;
    folderRow->addWidget(m_folder, 1);
    folderRow->addWidget(browse);

    m_result->setWordWrap(true);
    m_result->setTextFormat(Qt::RichText);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Create"));

    auto *intro
        = new QLabel(tr("A project with one API (GET /hello/v1/greeting, no credentials needed) "
                        "that forwards to your service. Add APIs, security and limits later."));
    intro->setWordWrap(true);
    // A row given a layout gets a label without a buddy, which would show the '&' literally.
    auto *folderLabel = new QLabel(tr("Create &in:"));
    folderLabel->setBuddy(m_folder);
    auto *form = new QFormLayout(this);
    form->addRow(intro);
    form->addRow(tr("&Name:"), m_name);
    form->addRow(folderLabel, folderRow);
    form->addRow(tr("&Upstream URL:"), m_upstream);
    form->addRow(m_result);
    form->addRow(m_buttons);
    setMinimumWidth(520);

    connect(m_buttons, &QDialogButtonBox::accepted, this, &NewProjectDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &NewProjectDialog::reject);
    for (QLineEdit *edit : {m_name, m_folder, m_upstream})
        connect(edit, &QLineEdit::textChanged, this, &NewProjectDialog::updateState);
    updateState();
}

QString NewProjectDialog::projectName() const
{
    return m_name->text().trimmed();
}

QString NewProjectDialog::projectDir() const
{
    return QDir(QDir::fromNativeSeparators(m_folder->text().trimmed())).filePath(projectName());
}

QString NewProjectDialog::upstreamUrl() const
{
    return m_upstream->text().trimmed();
}

QString NewProjectDialog::validationError() const
{
    if (!isValidName(projectName()))
        return tr(
            "The name may use letters, digits, '.', '_' and '-', and starts with a letter or "
            "digit.");
    if (m_folder->text().trimmed().isEmpty()
        || !QDir::isAbsolutePath(QDir::fromNativeSeparators(m_folder->text().trimmed())))
        return tr("Choose the folder to create the project in (an absolute path).");
    const QUrl url(upstreamUrl(), QUrl::StrictMode);
    if (!url.isValid()
        || (url.scheme() != QStringLiteral("http") && url.scheme() != QStringLiteral("https"))
        || url.host().isEmpty())
        return tr(
            "The upstream URL must be an http:// or https:// URL, such as http://127.0.0.1:8080.");
    const QDir target(projectDir());
    if (target.exists() && !target.isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden))
        return tr("%1 already exists and is not empty.")
            .arg(QDir::toNativeSeparators(projectDir()));
    return {};
}

void NewProjectDialog::updateState()
{
    const QString error = validationError();
    m_result->setText(
        error.isEmpty()
            ? tr("Creates %1").arg(QDir::toNativeSeparators(projectDir()).toHtmlEscaped())
            : QStringLiteral("<span style=\"color:#d84040\">%1</span>").arg(error.toHtmlEscaped()));
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(error.isEmpty());
}

bool NewProjectDialog::create()
{
    QString error = validationError();
    if (error.isEmpty()
        && createProjectFromTemplate(defaultTemplateDir(), projectDir(), projectName(),
                                     upstreamUrl(), &error)) {
        QSettings settings;
        settings.setValue(kLocationKey, QDir::fromNativeSeparators(m_folder->text().trimmed()));
        settings.setValue(kUpstreamKey, upstreamUrl());
        return true;
    }
    m_result->setText(
        QStringLiteral("<span style=\"color:#d84040\">%1</span>").arg(error.toHtmlEscaped()));
    return false;
}

void NewProjectDialog::accept()
{
    if (create())
        QDialog::accept();
}

} // namespace Gatehouse
