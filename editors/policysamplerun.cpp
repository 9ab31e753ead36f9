// PolicySampleRun: sample fields on the left, the two outcomes on the right; headers are edited
// as "Name: value" lines and shown the same way, bodies as text.
#include "policysamplerun.h"

#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QShortcut>
#include <QSpinBox>
#include <QSplitter>
#include <QVBoxLayout>

namespace Gatehouse {

namespace {

QString headersText(const HeaderList &headers)
{
    QStringList lines;
    for (const auto &[name, value] : headers)
        lines << QString::fromLatin1(name) + QStringLiteral(": ") + QString::fromUtf8(value);
    return lines.join(u'\n');
}

// "Name: value" lines; *badLine receives the 1-based number of the first line that is not one.
HeaderList parseHeaders(const QString &text, int *badLine)
{
    HeaderList out;
    const QStringList lines = text.split(u'\n');
    for (int i = 0; i < lines.size(); ++i) {
        const QString line = lines.at(i).trimmed();
        if (line.isEmpty())
            continue;
        const qsizetype colon = line.indexOf(u':');
        const QString name = colon > 0 ? line.left(colon).trimmed() : QString();
        static const QRegularExpression token(QStringLiteral("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$"));
        if (!token.match(name).hasMatch()) {
            *badLine = i + 1;
            return {};
        }
        out.append({name.toLatin1(), line.mid(colon + 1).trimmed().toUtf8()});
    }
    return out;
}

QPlainTextEdit *textEdit(bool readOnly)
{
    auto *edit = new QPlainTextEdit;
    edit->setReadOnly(readOnly);
    edit->setTabChangesFocus(true);
    // Results wrap (a converted body is one long line); what the user types keeps its lines.
    edit->setLineWrapMode(readOnly ? QPlainTextEdit::WidgetWidth : QPlainTextEdit::NoWrap);
    edit->setFont(QFont(QStringLiteral("monospace")));
    return edit;
}

QString describe(const QList<PolicyAttachment> &policies)
{
    QStringList names;
    for (const PolicyAttachment &p : policies)
        names << p.name;
    return names.isEmpty() ? PolicySampleRun::tr("none") : names.join(QStringLiteral(" → "));
}

} // namespace

PolicySampleRun::PolicySampleRun(QWidget *parent)
    : QWidget(parent), m_method(new QComboBox), m_path(new QLineEdit), m_requestHeaders(textEdit(false)),
      m_requestBody(textEdit(false)), m_status(new QSpinBox), m_responseHeaders(textEdit(false)),
      m_responseBody(textEdit(false)), m_upstreamView(textEdit(true)), m_clientView(textEdit(true)),
      m_message(new QLabel), m_chain(new QLabel)
{
    setObjectName(QStringLiteral("PolicySampleRun"));
    m_method->setEditable(true);
    m_method->addItems({QStringLiteral("GET"), QStringLiteral("POST"), QStringLiteral("PUT"),
                        QStringLiteral("PATCH"), QStringLiteral("DELETE"), QStringLiteral("HEAD"),
                        QStringLiteral("OPTIONS")});
    m_path->setPlaceholderText(tr("/base/path/resource?query"));
    m_requestHeaders->setPlaceholderText(tr("Name: value, one per line"));
    m_responseHeaders->setPlaceholderText(tr("Name: value, one per line"));
    m_status->setRange(100, 599);
    m_chain->setWordWrap(true);
    m_message->setWordWrap(true);
    m_message->hide();

    auto *request = new QGroupBox(tr("Sample request"));
    auto *requestForm = new QFormLayout(request);
    auto *line = new QHBoxLayout;
    line->addWidget(m_method);
    line->addWidget(m_path, 1);
    requestForm->addRow(tr("Request:"), line);
    requestForm->addRow(tr("Headers:"), m_requestHeaders);
    requestForm->addRow(tr("Body:"), m_requestBody);
    auto *response = new QGroupBox(tr("What the upstream answers"));
    auto *responseForm = new QFormLayout(response);
    responseForm->addRow(tr("Status:"), m_status);
    responseForm->addRow(tr("Headers:"), m_responseHeaders);
    responseForm->addRow(tr("Body:"), m_responseBody);
    auto *samples = new QWidget;
    auto *samplesLayout = new QVBoxLayout(samples);
    samplesLayout->setContentsMargins(0, 0, 0, 0);
    samplesLayout->addWidget(request);
    samplesLayout->addWidget(response);

    auto *upstream = new QGroupBox(tr("Request to the upstream"));
    (new QVBoxLayout(upstream))->addWidget(m_upstreamView);
    auto *client = new QGroupBox(tr("Response to the client"));
    (new QVBoxLayout(client))->addWidget(m_clientView);
    auto *results = new QWidget;
    auto *resultsLayout = new QVBoxLayout(results);
    resultsLayout->setContentsMargins(0, 0, 0, 0);
    resultsLayout->addWidget(m_message);
    resultsLayout->addWidget(upstream);
    resultsLayout->addWidget(client);

    auto *split = new QSplitter;
    split->addWidget(samples);
    split->addWidget(results);
    auto *runButton = new QPushButton(tr("&Run"));
    runButton->setToolTip(tr("Run the policies on the sample (Ctrl+Return); nothing is sent anywhere"));
    connect(runButton, &QPushButton::clicked, this, [this] { run(); });
    auto *shortcut = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), this);
    connect(shortcut, &QShortcut::activated, this, [this] { run(); });
    auto *top = new QHBoxLayout;
    top->addWidget(m_chain, 1);
    top->addWidget(runButton);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(split, 1);
}

void PolicySampleRun::setContext(const PolicySandboxInput &context)
{
    m_context = context;
    m_chain->setText(tr("Request policies: %1<br>Response policies: %2")
                         .arg(describe(context.requestPolicies).toHtmlEscaped(),
                              describe(context.responsePolicies).toHtmlEscaped()));
    m_method->setCurrentText(QString::fromLatin1(context.request.method));
    m_path->setText(QString::fromUtf8(context.request.path + context.request.query));
    m_requestHeaders->setPlainText(headersText(context.request.headers));
    m_requestBody->setPlainText(QString::fromUtf8(context.request.body));
    m_status->setValue(context.upstreamResponse.status);
    m_responseHeaders->setPlainText(headersText(context.upstreamResponse.headers));
    m_responseBody->setPlainText(QString::fromUtf8(context.upstreamResponse.body));
}

QString PolicySampleRun::message() const
{
    return m_message->isHidden() ? QString() : m_message->text();
}

void PolicySampleRun::showMessage(const QString &text, bool error)
{
    m_message->setText(text);
    m_message->setVisible(!text.isEmpty());
    m_message->setStyleSheet(error ? QStringLiteral("color: #c62828;") : QString());
}

PolicySandboxResult PolicySampleRun::run()
{
    PolicySandboxInput input = m_context;
    int bad = 0;
    input.request.headers = parseHeaders(m_requestHeaders->toPlainText(), &bad);
    if (bad > 0) {
        showMessage(tr("Request headers, line %1: not a header (Name: value)").arg(bad), true);
        return {};
    }
    input.upstreamResponse.headers = parseHeaders(m_responseHeaders->toPlainText(), &bad);
    if (bad > 0) {
        showMessage(tr("Upstream headers, line %1: not a header (Name: value)").arg(bad), true);
        return {};
    }
    const QString target = m_path->text().trimmed();
    if (!target.startsWith(u'/')) {
        showMessage(tr("The path must start with /"), true);
        return {};
    }
    const qsizetype question = target.indexOf(u'?');
    input.request.method = m_method->currentText().trimmed().toUpper().toLatin1();
    input.request.path = (question < 0 ? target : target.left(question)).toUtf8();
    input.request.query = question < 0 ? QByteArray() : target.mid(question).toUtf8();
    input.request.body = m_requestBody->toPlainText().toUtf8();
    input.upstreamResponse.status = m_status->value();
    input.upstreamResponse.body = m_responseBody->toPlainText().toUtf8();

    const PolicySandboxResult result = runPolicySandbox(input);
    m_upstreamView->clear();
    m_clientView->clear();
    if (!result.built) {
        QStringList lines;
        for (const Diagnostic &d : result.diagnostics.items())
            lines << d.message;
        showMessage(tr("The policies cannot be built:\n%1").arg(lines.join(u'\n')), true);
        return result;
    }
    if (!result.note.isEmpty()) {
        showMessage(result.note, true);
        return result;
    }
    const SampleRequest &up = result.upstreamRequest;
    if (result.answeredBeforeUpstream) {
        m_upstreamView->setPlainText(tr("(not sent: a request policy answered)"));
    } else {
        QString text = QString::fromLatin1(up.method) + u' ' + QString::fromUtf8(up.path + up.query);
        if (!up.headers.isEmpty())
            text += u'\n' + headersText(up.headers);
        if (!up.body.isEmpty())
            text += QStringLiteral("\n\n") + QString::fromUtf8(up.body);
        m_upstreamView->setPlainText(text);
    }
    const SampleResponse &down = result.response;
    QString text = QStringLiteral("HTTP %1").arg(down.status);
    if (!down.headers.isEmpty())
        text += u'\n' + headersText(down.headers);
    if (!down.body.isEmpty())
        text += QStringLiteral("\n\n") + QString::fromUtf8(down.body);
    m_clientView->setPlainText(text);
    showMessage(result.answeredByGateway ? tr("A policy answered with %1 instead of passing the exchange on.")
                                               .arg(down.status)
                                         : QString(),
                false);
    return result;
}

PolicySandboxInput PolicySampleRun::contextFor(const ApiSpec *api, const QString &projectDir,
                                               const QString &method, const QString &pathTemplate,
                                               const QJsonArray &requestPolicies,
                                               const QJsonArray &responsePolicies)
{
    auto attachments = [](const QJsonArray &list) {
        QList<PolicyAttachment> out;
        for (const QJsonValue &v : list)
            out.append({v[u"name"].toString(), v[u"settings"].toObject(), {}});
        return out;
    };
    PolicySandboxInput in;
    in.projectDir = projectDir;
    const bool operation = !method.isEmpty();
    if (api) {
        in.apiName = api->title;
        in.apiVersion = api->apiVersion;
        in.basePath = api->basePath == u"/" ? QString() : api->basePath;
    }
    in.requestPolicies = attachments(requestPolicies);
    in.responsePolicies = attachments(responsePolicies);
    if (operation && api) {
        in.requestPolicies = api->extensions.requestPolicies + in.requestPolicies;
        in.responsePolicies += api->extensions.responsePolicies;
    }
    in.operationMethod = operation ? method : QStringLiteral("GET");
    in.pathTemplate = operation ? pathTemplate : QStringLiteral("/");
    in.request.method = in.operationMethod.toLatin1();
    in.request.path = (in.basePath + in.pathTemplate).toUtf8();
    const bool body = in.request.method == "POST" || in.request.method == "PUT" || in.request.method == "PATCH";
    in.request.headers = {{QByteArrayLiteral("Accept"), QByteArrayLiteral("application/json")}};
    if (body) {
        in.request.headers.append({QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")});
        in.request.body = QByteArrayLiteral("{\"name\": \"example\", \"tag\": \"dog\"}");
    }
    in.upstreamResponse.status = 200;
    in.upstreamResponse.headers = {{QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")}};
    in.upstreamResponse.body = QByteArrayLiteral("{\"ok\": true}");
    return in;
}

PolicySampleRun *PolicySampleRun::openDialog(QWidget *parent, const PolicySandboxInput &context)
{
    auto *dialog = new QDialog(parent);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Run on a Sample Request"));
    auto *run = new PolicySampleRun;
    run->setContext(context);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    auto *layout = new QVBoxLayout(dialog);
    layout->addWidget(run, 1);
    layout->addWidget(buttons);
    dialog->resize(1000, 640);
    dialog->show();
    run->run();
    return run;
}

} // namespace Gatehouse
