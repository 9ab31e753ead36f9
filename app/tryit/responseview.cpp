// ResponseView: status line, pretty body, headers and raw text of a try-it response.
#include "responseview.h"

#include "codeeditor.h"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>

namespace Gatehouse {

namespace {
constexpr int kMaxShownBodyBytes
    = 4 * 1024 * 1024;   // a bigger body is cut to keep the UI responsive
}

ResponseView::ResponseView(QWidget *parent)
    : QWidget(parent)
    , m_status(new QLabel)
    , m_meta(new QLabel)
    , m_stack(new QStackedWidget)
    , m_message(new QLabel)
    , m_tabs(new QTabWidget)
    , m_body(new CodeEditor)
    , m_headers(new QTableWidget(0, 2))
    , m_raw(new QPlainTextEdit)
{
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_meta->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *statusRow = new QHBoxLayout;
    statusRow->setContentsMargins(0, 0, 0, 0);
    statusRow->addWidget(m_status);
    statusRow->addWidget(m_meta, 1);

    m_message->setWordWrap(true);
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->setMargin(12);

    m_body->setReadOnly(true);
    m_body->setLineWrapMode(
        QPlainTextEdit::WidgetWidth);   // long values (error descriptions) readable at once
    m_body->setFilePath(
        QStringLiteral("response.json"));   // JSON colouring; the name is never shown
    m_body->setPlaceholderText(tr("(empty body)"));
    m_headers->setHorizontalHeaderLabels({tr("Header"), tr("Value")});
    m_headers->horizontalHeader()->setStretchLastSection(true);
    m_headers->setColumnWidth(0, 180);
    m_headers->verticalHeader()->hide();
    m_headers->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_headers->setWordWrap(false);
    m_raw->setReadOnly(true);
    m_raw->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_raw->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(m_body, tr("Body"));
    m_tabs->addTab(m_headers, tr("Headers"));
    m_tabs->addTab(m_raw, tr("Raw"));

    m_stack->addWidget(m_message);
    m_stack->addWidget(m_tabs);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(statusRow);
    layout->addWidget(m_stack, 1);
    clear();
}

QColor ResponseView::statusColor(int status)
{
    if (status >= 500 || status <= 0)
        return QColor(0xc6, 0x28, 0x28);
    if (status >= 400)
        return QColor(0xd8, 0x5c, 0x00);
    if (status >= 300)
        return QColor(0x15, 0x65, 0xc0);
    if (status >= 200)
        return QColor(0x2e, 0x7d, 0x32);
    return QColor(0x61, 0x61, 0x61);
}

void ResponseView::setStatus(const QString &text, const QColor &color)
{
    m_status->setText(text);
    m_status->setVisible(!text.isEmpty());
    // A filled pill in the class colour reads the same on light and dark palettes.
    m_status->setStyleSheet(
        QStringLiteral("QLabel { color: white; background: %1; border-radius: 3px;"
                       " padding: 2px 8px; font-weight: bold; }")
            .arg(color.name()));
}

void ResponseView::clear()
{
    setStatus({}, Qt::gray);
    m_meta->clear();
    showMessage(
        tr("Pick an operation in the project tree, then Send (Ctrl+Enter). The answer "
           "appears here."));
}

void ResponseView::showPending(const QString &method, const QString &url)
{
    setStatus(tr("Sending…"), QColor(0x61, 0x61, 0x61));
    m_meta->setText(method + u' ' + url);
    m_message->setText(tr("Waiting for the gateway to answer. Cancel stops the request."));
    m_stack->setCurrentWidget(m_message);
}

void ResponseView::showMessage(const QString &sentence)
{
    m_message->setText(sentence);
    m_stack->setCurrentWidget(m_message);
}

void ResponseView::showResponse(const TryItResponse &response)
{
    const QString time = tr("%1 ms").arg(response.elapsedMs);
    if (!response.hasResponse()) {
        setStatus(response.cancelled  ? tr("Cancelled")
                  : response.timedOut ? tr("Timed out")
                                      : tr("Failed"),
                  response.cancelled ? QColor(0x61, 0x61, 0x61) : statusColor(0));
        m_meta->setText(time);
        showMessage(response.error);
        return;
    }

    setStatus(
        QStringLiteral("%1 %2").arg(response.status).arg(QString::fromLatin1(response.reason)),
        statusColor(response.status));
    m_meta->setText(tr("%1 · %2").arg(time, formatSize(response.body.size())));

    const QByteArray shown = response.body.left(kMaxShownBodyBytes);
    const QByteArray contentType = response.header(QByteArrayLiteral("Content-Type")).toLower();
    // Many upstreams (static file servers, older frameworks) label JSON as octet-stream or
    // text/plain: a body that parses as JSON is shown as JSON unless it says it is markup.
    std::optional<QString> pretty;
    if (!contentType.contains("html") && !contentType.contains("xml"))
        pretty = prettyJson(shown);
    QString body = pretty ? *pretty : QString::fromUtf8(shown);
    if (response.body.size() > shown.size())
        body += tr("\n… (%1 not shown)").arg(formatSize(response.body.size() - shown.size()));
    m_body->setPlainText(body);

    m_headers->setRowCount(0);
    for (const auto &[name, value] : response.headers) {
        const int row = m_headers->rowCount();
        m_headers->insertRow(row);
        m_headers->setItem(row, 0, new QTableWidgetItem(QString::fromLatin1(name)));
        m_headers->setItem(row, 1, new QTableWidgetItem(QString::fromUtf8(value)));
    }
    m_tabs->setTabText(1, tr("Headers (%1)").arg(response.headers.size()));
    m_raw->setPlainText(QString::fromUtf8(response.rawText().left(kMaxShownBodyBytes)));
    m_stack->setCurrentWidget(m_tabs);
}

QString ResponseView::statusText() const
{
    return m_status->text();
}

QString ResponseView::metaText() const
{
    return m_meta->text();
}

QString ResponseView::messageText() const
{
    return m_stack->currentWidget() == m_message ? m_message->text() : QString();
}

QString ResponseView::bodyText() const
{
    return m_body->toPlainText();
}

QString ResponseView::rawText() const
{
    return m_raw->toPlainText();
}

QString ResponseView::headerValue(const QString &name) const
{
    for (int r = 0; r < m_headers->rowCount(); ++r) {
        if (m_headers->item(r, 0)->text().compare(name, Qt::CaseInsensitive) == 0)
            return m_headers->item(r, 1)->text();
    }
    return {};
}

bool ResponseView::isShowingResponse() const
{
    return m_stack->currentWidget() == m_tabs;
}

} // namespace Gatehouse
