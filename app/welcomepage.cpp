// WelcomePage: the editor area's first screen, describing the open project and the next steps.
#include "welcomepage.h"

#include "project/project.h"

#include <QDir>
#include <QFileInfo>
#include <QGridLayout>
#include <QLabel>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

namespace Gatehouse {

WelcomePage::WelcomePage(QWidget *parent)
    : QWidget(parent)
    , m_title(new QLabel)
    , m_summary(new QLabel)
    , m_steps(new QLabel)
    , m_start(new QPushButton(tr("Start Gateway")))
    , m_openApi(new QPushButton(tr("Open API")))
    , m_newProject(new QPushButton(tr("New Project…")))
    , m_openProject(new QPushButton(tr("Open Project…")))
{
    setObjectName(QStringLiteral("WelcomePage"));
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::Base);

    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.6);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    for (QLabel *label : {m_summary, m_steps}) {
        label->setWordWrap(true);
        label->setTextFormat(Qt::RichText);
        label->setTextInteractionFlags(Qt::TextBrowserInteraction);
        label->setOpenExternalLinks(false);
    }
    m_steps->setText(tr(
        "<p><b>Try it in three steps</b></p><ol>"
        "<li>Start the embedded gateway (Ctrl+R).</li>"
        "<li>Select an operation in the Project tree: the Try it console fills in the request.</li>"
        "<li>Send it with Ctrl+Enter and read the status, headers and body.</li></ol>"
        "<p>Editing an API and saving it reloads the running gateway when the project is "
        "valid; the Problems pane lists what is not.</p>"));

    m_start->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
    m_openApi->setIcon(style()->standardIcon(QStyle::SP_FileIcon));
    m_newProject->setIcon(style()->standardIcon(QStyle::SP_FileDialogNewFolder));
    m_openProject->setIcon(style()->standardIcon(QStyle::SP_DirOpenIcon));
    m_start->setDefault(true);
    auto *buttons = new QGridLayout;
    buttons->addWidget(m_start, 0, 0);
    buttons->addWidget(m_openApi, 0, 1);
    buttons->addWidget(m_newProject, 1, 0);
    buttons->addWidget(m_openProject, 1, 1);

    auto *column = new QWidget;
    column->setMaximumWidth(620);
    auto *inner = new QVBoxLayout(column);
    inner->addWidget(m_title);
    inner->addWidget(m_summary);
    inner->addSpacing(8);
    inner->addLayout(buttons);
    inner->addSpacing(8);
    inner->addWidget(m_steps);

    auto *outer = new QGridLayout(this);
    outer->addWidget(column, 1, 1);
    outer->setRowStretch(0, 1);
    outer->setRowStretch(2, 2);
    outer->setColumnStretch(0, 1);
    outer->setColumnStretch(2, 1);

    connect(m_start, &QPushButton::clicked, this, &WelcomePage::startGatewayRequested);
    connect(m_openApi, &QPushButton::clicked, this, &WelcomePage::openApiRequested);
    connect(m_newProject, &QPushButton::clicked, this, &WelcomePage::newProjectRequested);
    connect(m_openProject, &QPushButton::clicked, this, &WelcomePage::openProjectRequested);
    setProject(Project());
}

void WelcomePage::setProject(const Project &project)
{
    if (project.rootDir.isEmpty()) {
        m_title->setText(tr("Welcome to Gatehouse"));
        m_summary->setText(
            tr("<p>Design, secure and try APIs on this machine, through the same gateway "
               "that runs in production. Create a project from the template, or open a "
               "project folder.</p>"));
        m_openApi->setEnabled(false);
        m_hasProject = false;
        setGatewayRunning(m_running);
        return;
    }
    const bool sample = QFileInfo(project.rootDir).dir().dirName() == QStringLiteral("samples");
    const QString name = project.settings.name.isEmpty() ? QFileInfo(project.rootDir).fileName()
                                                         : project.settings.name;
    m_title->setText(sample ? tr("Welcome to Gatehouse") : name);

    QStringList apis;
    for (const ApiSpec &api : project.apis) {
        const QString upstream = api.serverEndpoints.isEmpty()
                                     ? tr("no upstream yet")
                                     : api.serverEndpoints.urls.first().toString();
        const QString count = tr("%n operation(s)", nullptr, int(api.operations.size()));
        apis.append(tr("<li><b>%1 %2</b> at <code>%3</code>: %4, forwarded to <code>%5</code></li>")
                        .arg(api.title.toHtmlEscaped(), api.apiVersion.toHtmlEscaped(),
                             api.basePath.toHtmlEscaped(), count, upstream.toHtmlEscaped()));
    }
    QStringList services;
    for (const GrpcService &s : project.protos.services)
        services.append(s.fullName.toHtmlEscaped());

    QString text
        = sample ? tr("<p>This is the bundled <b>%1</b> sample: a small pet shop API secured with "
                      "OAuth2 tokens, API keys and Basic auth, with rate-limit tiers, and a gRPC "
                      "greeter. Its upstream is expected on <code>127.0.0.1:8080</code>; its "
                      "<code>GET /health</code> needs no credentials.</p>")
                       .arg(name.toHtmlEscaped())
                 : tr("<p>Project folder <code>%1</code>.</p>")
                       .arg(QDir::toNativeSeparators(project.rootDir).toHtmlEscaped());
    text += apis.isEmpty() ? tr("<p>No APIs yet: add an OpenAPI file under <code>apis/</code>.</p>")
                           : QStringLiteral("<ul>%1</ul>").arg(apis.join(QString()));
    if (!services.isEmpty())
        text += tr("<p>gRPC: %1.</p>").arg(services.join(QStringLiteral(", ")));
    m_summary->setText(text);
    m_openApi->setEnabled(!project.apis.isEmpty());
    m_openApi->setToolTip(project.apis.isEmpty() ? QString() : project.apis.first().file);
    m_hasProject = true;
    setGatewayRunning(m_running);
}

void WelcomePage::setGatewayRunning(bool running)
{
    m_start->setText(running ? tr("Gateway Running") : tr("Start Gateway"));
    m_running = running;
    m_start->setEnabled(!running && m_hasProject);
}

QString WelcomePage::summaryText() const
{
    return m_summary->text();
}

} // namespace Gatehouse
