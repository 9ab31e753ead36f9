// GrpcTryIt: the form on top, the running transcript below: one JSON block per response message
// as it arrives, then the status line and the trailers.
#include "grpctryit.h"

#include "gatewaycontroller.h"

#include <QComboBox>
#include <QFormLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSplitter>
#include <QUrl>
#include <QVBoxLayout>

namespace Gatehouse {

namespace {

// gRPC's status names by code (grpc/doc/statuscodes.md).
QString statusName(int code)
{
    static const char *const kNames[] = {"OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED",
                                         "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED",
                                         "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED",
                                         "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"};
    return code >= 0 && code < int(std::size(kNames)) ? QString::fromLatin1(kNames[code]) : QStringLiteral("?");
}

QString fieldsText(const GrpcFields &fields)
{
    QStringList lines;
    for (const auto &[name, value] : fields)
        lines << QString::fromLatin1(name) + QStringLiteral(": ") + QString::fromUtf8(value);
    return lines.join(u'\n');
}

QPlainTextEdit *monoEdit()
{
    auto *edit = new QPlainTextEdit;
    edit->setFont(QFont(QStringLiteral("monospace")));
    edit->setTabChangesFocus(true);
    return edit;
}

} // namespace

GrpcTryIt::GrpcTryIt(QWidget *parent)
    : QWidget(parent), m_call(new GrpcCall(this)), m_method(new QComboBox), m_kind(new QLabel),
      m_request(monoEdit()), m_metadata(monoEdit()), m_send(new QPushButton(tr("&Call"))),
      m_cancel(new QPushButton(tr("Cancel"))), m_status(new QLabel), m_response(monoEdit())
{
    setObjectName(QStringLiteral("GrpcTryIt"));
    m_metadata->setPlaceholderText(tr("metadata, one per line: authorization: Bearer …"));
    m_metadata->setFixedHeight(m_metadata->fontMetrics().lineSpacing() * 3 + 12);
    m_response->setReadOnly(true);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_cancel->setEnabled(false);
    m_send->setToolTip(tr("Call the method through the embedded gateway (Ctrl+Return)"));
    m_send->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));

    auto *form = new QFormLayout;
    form->addRow(tr("Method:"), m_method);
    form->addRow(QString(), m_kind);
    form->addRow(tr("Metadata:"), m_metadata);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_status, 1);
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_send);
    auto *top = new QWidget;
    auto *topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addLayout(form);
    topLayout->addWidget(m_request, 1);
    topLayout->addLayout(buttons);
    auto *split = new QSplitter(Qt::Vertical);
    split->addWidget(top);
    split->addWidget(m_response);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(split);

    connect(m_method, &QComboBox::currentIndexChanged, this, &GrpcTryIt::methodChanged);
    connect(m_send, &QPushButton::clicked, this, [this] { send(); });
    connect(m_cancel, &QPushButton::clicked, this, &GrpcTryIt::cancel);
    connect(m_call, &GrpcCall::headersReceived, this, [this](const GrpcFields &headers, int status) {
        m_response->appendPlainText(tr("HTTP %1").arg(status) + u'\n' + fieldsText(headers) + u'\n');
    });
    connect(m_call, &GrpcCall::messageReceived, this, [this](const QByteArray &bytes) {
        const Method &m = m_methods.at(m_method->currentIndex());
        const auto json = m_types ? m_types->decode(m.output, bytes) : Result<QString>(Error::config(m_typesError));
        const QString text = json ? *json : tr("(%1 bytes that do not decode: %2)").arg(bytes.size()).arg(json.error().message);
        m_received << text;
        m_response->appendPlainText(tr("Message %1 (+%2 ms):").arg(m_received.size()).arg(m_clock.elapsed()) + u'\n' + text + u'\n');
    });
    connect(m_call, &GrpcCall::finished, this, &GrpcTryIt::showOutcome);
    setProject(Project());
}

void GrpcTryIt::setProject(const Project &project)
{
    const QString current = m_method->currentText();
    m_methods.clear();
    m_types.reset();
    m_typesError.clear();
    if (!project.protos.descriptorSet.isEmpty()) {
        auto types = GrpcMessages::fromDescriptorSet(project.protos.descriptorSet);
        if (types)
            m_types = std::move(*types);
        else
            m_typesError = types.error().message;
    }
    const QSignalBlocker blocker(m_method);
    m_method->clear();
    for (const GrpcService &service : project.protos.services) {
        for (const GrpcMethod &method : service.methods) {
            m_methods.append({method.path(service.fullName), method.inputType, method.outputType,
                              method.clientStreaming, method.serverStreaming});
            m_method->addItem(service.fullName + u'/' + method.name);
        }
    }
    m_method->setEnabled(!m_methods.isEmpty());
    m_send->setEnabled(!m_methods.isEmpty());
    if (m_methods.isEmpty()) {
        m_kind->setText(tr("The project declares no gRPC methods (protos/*.proto)."));
        m_request->clear();
        return;
    }
    const int index = m_method->findText(current);
    m_method->setCurrentIndex(index >= 0 ? index : 0);
    if (index < 0)
        methodChanged();
}

void GrpcTryIt::setGateway(GatewayController *gateway)
{
    m_gateway = gateway;
}

bool GrpcTryIt::selectMethod(const QString &serviceAndMethod)
{
    const int index = m_method->findText(serviceAndMethod);
    if (index < 0)
        return false;
    if (index == m_method->currentIndex())
        methodChanged();
    m_method->setCurrentIndex(index);
    return true;
}

void GrpcTryIt::methodChanged()
{
    const int index = m_method->currentIndex();
    if (index < 0 || index >= m_methods.size())
        return;
    const Method &m = m_methods.at(index);
    m_kind->setText(m.clientStreaming && m.serverStreaming ? tr("%1 → stream of %2 (bidirectional; a JSON array sends several)").arg(m.input, m.output)
                    : m.clientStreaming ? tr("stream of %1 → %2 (a JSON array sends several)").arg(m.input, m.output)
                    : m.serverStreaming ? tr("%1 → stream of %2").arg(m.input, m.output)
                                        : tr("%1 → %2").arg(m.input, m.output));
    m_request->setPlainText(m_types ? m_types->jsonTemplate(m.input) : QStringLiteral("{}"));
}

void GrpcTryIt::fail(const QString &text)
{
    m_status->setText(text);
    m_status->setStyleSheet(QStringLiteral("color: #c62828;"));
}

bool GrpcTryIt::send()
{
    const int index = m_method->currentIndex();
    if (index < 0 || index >= m_methods.size())
        return false;
    const Method &m = m_methods.at(index);
    if (!m_types) {
        fail(tr("The project's message types are not available: %1").arg(m_typesError));
        return false;
    }
    const QUrl base(m_gateway ? m_gateway->httpBaseUrl() : QString());
    if (!m_gateway || !m_gateway->isRunning() || base.port() <= 0) {
        fail(tr("Start the gateway first (Gateway ▸ Start Gateway)"));
        return false;
    }
    // One message, or for a client-streaming method a JSON array of them.
    const QByteArray text = m_request->toPlainText().toUtf8();
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(text, &error);
    if (document.isNull()) {
        fail(tr("The request is not JSON: %1 at offset %2").arg(error.errorString()).arg(error.offset));
        return false;
    }
    QList<QByteArray> jsons;
    if (document.isArray() && m.clientStreaming) {
        for (const QJsonValue &v : document.array())
            jsons << QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact);
    } else if (document.isObject()) {
        jsons << text;
    } else {
        fail(m.clientStreaming ? tr("The request must be a JSON object or an array of them")
                               : tr("The request must be a JSON object"));
        return false;
    }
    QList<QByteArray> messages;
    for (qsizetype i = 0; i < jsons.size(); ++i) {
        const auto bytes = m_types->encode(m.input, jsons.at(i));
        if (!bytes) {
            fail(jsons.size() > 1 ? tr("Message %1: %2").arg(i + 1).arg(bytes.error().message) : bytes.error().message);
            return false;
        }
        messages << *bytes;
    }
    GrpcFields metadata;
    const QStringList lines = m_metadata->toPlainText().split(u'\n', Qt::SkipEmptyParts);
    static const QRegularExpression name(QStringLiteral("^[0-9a-z_.-]+$"));
    for (int i = 0; i < lines.size(); ++i) {
        const qsizetype colon = lines.at(i).indexOf(u':');
        const QString key = lines.at(i).left(colon).trimmed().toLower();
        if (colon <= 0 || !name.match(key).hasMatch()) {
            fail(tr("Metadata line %1 is not \"name: value\"").arg(i + 1));
            return false;
        }
        metadata.append({key.toLatin1(), lines.at(i).mid(colon + 1).trimmed().toUtf8()});
    }
    m_received.clear();
    m_response->clear();
    m_status->setStyleSheet(QString());
    m_status->setText(tr("Calling %1 …").arg(m.path));
    m_send->setEnabled(false);
    m_cancel->setEnabled(true);
    m_clock.start();
    m_call->start(base.host(), quint16(base.port()), m.path.toUtf8(), metadata, messages, std::chrono::seconds(30));
    return true;
}

void GrpcTryIt::cancel()
{
    m_call->cancel();
}

void GrpcTryIt::showOutcome(const GrpcOutcome &outcome)
{
    m_send->setEnabled(true);
    m_cancel->setEnabled(false);
    if (!outcome.trailers.isEmpty() && outcome.trailers != outcome.headers)   // not trailers-only
        m_response->appendPlainText(tr("Trailers:") + u'\n' + fieldsText(outcome.trailers));
    if (outcome.grpcStatus < 0) {
        fail(outcome.error);
    } else {
        QString text = tr("%1 (%2), messages: %3, %4 ms")
                           .arg(statusName(outcome.grpcStatus))
                           .arg(outcome.grpcStatus)
                           .arg(outcome.messages)
                           .arg(m_clock.elapsed());
        if (!outcome.grpcMessage.isEmpty())
            text += QStringLiteral(": ") + outcome.grpcMessage;
        m_status->setText(text);
        m_status->setStyleSheet(outcome.grpcStatus == 0 ? QStringLiteral("color: #2e7d32;")
                                                        : QStringLiteral("color: #c62828;"));
    }
    emit finished(outcome);
}

} // namespace Gatehouse
