// TryItConsole: composes a request from an operation, sends it through the embedded gateway, shows the answer.
#include "tryitconsole.h"

#include "authhelper.h"
#include "codeeditor.h"
#include "gatewaycontroller.h"
#include "keyvaluetable.h"
#include "requesthistory.h"
#include "responseview.h"
#include "tryitclient.h"
#include "urledit.h"

#include "project/project.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QMenu>
#include <QPushButton>
#include <QSettings>
#include <QShortcut>
#include <QSplitter>
#include <QTabWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace Gatehouse {

namespace {
const QString kTimeoutKey = QStringLiteral("tryit/timeoutSeconds");

QString shellQuote(const QString &s)
{
    QString quoted = s;
    quoted.replace(u'\'', QStringLiteral("'\\''"));
    return u'\'' + quoted + u'\'';
}
} // namespace

TryItConsole::TryItConsole(QWidget *parent)
    : QWidget(parent)
    , m_method(new QComboBox)
    , m_url(new UrlEdit)
    , m_send(new QPushButton(tr("Send")))
    , m_more(new QToolButton)
    , m_banner(new QWidget)
    , m_bannerLabel(new QLabel)
    , m_bannerButton(new QPushButton)
    , m_requestTabs(new QTabWidget)
    , m_query(new KeyValueTable(tr("Parameter"), tr("Value")))
    , m_headers(new KeyValueTable(tr("Header"), tr("Value")))
    , m_contentType(new QComboBox)
    , m_body(new CodeEditor)
    , m_auth(new AuthHelper)
    , m_historyList(new QListWidget)
    , m_response(new ResponseView)
    , m_client(new TryItClient(this))
    , m_history(new RequestHistory(this))
{
    m_method->addItems({QStringLiteral("GET"), QStringLiteral("POST"), QStringLiteral("PUT"),
                        QStringLiteral("PATCH"), QStringLiteral("DELETE"), QStringLiteral("HEAD"),
                        QStringLiteral("OPTIONS")});
    m_method->setEditable(true);   // custom verbs are legal HTTP
    m_method->setMinimumContentsLength(7);
    m_send->setDefault(true);
    m_send->setToolTip(tr("Send the request through the gateway (Ctrl+Enter)"));
    m_more->setText(QStringLiteral("⋯"));
    m_more->setToolTip(tr("More: copy as curl, timeout, clear history"));
    m_more->setPopupMode(QToolButton::InstantPopup);
    auto *menu = new QMenu(m_more);
    menu->addAction(tr("Copy as curl"), this,
                    [this] { QApplication::clipboard()->setText(curlCommand()); });
    menu->addAction(tr("Timeout…"), this, &TryItConsole::chooseTimeout);
    menu->addAction(tr("Clear History"), m_history, &RequestHistory::clear);
    m_more->setMenu(menu);

    auto *top = new QHBoxLayout;
    top->setContentsMargins(0, 0, 0, 0);
    top->addWidget(m_method);
    top->addWidget(m_url, 1);
    top->addWidget(m_send);
    top->addWidget(m_more);

    // The banner says why nothing was sent and offers the fix (start the gateway, fill a parameter).
    m_bannerLabel->setWordWrap(true);
    auto *bannerLayout = new QHBoxLayout(m_banner);
    bannerLayout->setContentsMargins(6, 4, 6, 4);
    bannerLayout->addWidget(m_bannerLabel, 1);
    bannerLayout->addWidget(m_bannerButton);
    m_banner->setAutoFillBackground(true);
    m_banner->setBackgroundRole(QPalette::ToolTipBase);
    m_banner->setForegroundRole(QPalette::ToolTipText);
    m_banner->hide();

    m_headers->setNameCompletions(commonRequestHeaders());
    m_headers->setValueCompletions(commonHeaderValues());
    m_requestTabs->setDocumentMode(true);
    m_requestTabs->addTab(m_query, tr("Query"));
    m_requestTabs->addTab(m_headers, tr("Headers"));
    m_requestTabs->addTab(buildBodyTab(), tr("Body"));
    m_requestTabs->addTab(m_auth, tr("Auth"));
    m_requestTabs->addTab(buildHistoryTab(), tr("History"));

    auto *requestPane = new QWidget;
    auto *requestLayout = new QVBoxLayout(requestPane);
    requestLayout->setContentsMargins(0, 0, 0, 0);
    requestLayout->addLayout(top);
    requestLayout->addWidget(m_banner);
    requestLayout->addWidget(m_requestTabs, 1);

    auto *splitter = new QSplitter(Qt::Vertical);
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(requestPane);
    splitter->addWidget(m_response);
    // The answer is what people read; the request tables need only a few rows.
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    splitter->setSizes({240, 480});
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(splitter);

    for (const QKeySequence &keys :
         {QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)}) {
        auto *shortcut = new QShortcut(keys, this);
        shortcut->setContext(Qt::WidgetWithChildrenShortcut);
        connect(shortcut, &QShortcut::activated, this, &TryItConsole::send);
    }
    // Only while a request is in flight: otherwise Esc belongs to the editors' find bars and popups.
    m_escape = new QShortcut(QKeySequence(Qt::Key_Escape), this);
    m_escape->setContext(Qt::WidgetWithChildrenShortcut);
    m_escape->setEnabled(false);
    connect(m_escape, &QShortcut::activated, this, &TryItConsole::cancel);

    connect(m_send, &QPushButton::clicked, this, [this] { isBusy() ? cancel() : send(); });
    connect(m_url, &QLineEdit::returnPressed, this, &TryItConsole::send);
    connect(m_bannerButton, &QPushButton::clicked, this, &TryItConsole::startGatewayAndSend);
    connect(m_url, &QLineEdit::textChanged, this, [this](const QString &url) {
        if (m_syncing)
            return;
        m_syncing = true;
        m_query->setItems(queryItems(url));
        m_syncing = false;
    });
    connect(m_query, &KeyValueTable::edited, this, [this] {
        if (m_syncing)
            return;
        m_syncing = true;
        m_url->setText(withQueryItems(m_url->text(), m_query->items()));
        m_syncing = false;
    });
    connect(m_client, &TryItClient::finished, this, &TryItConsole::onFinished);
    connect(m_history, &RequestHistory::changed, this, &TryItConsole::refreshHistoryList);

    m_client->setTimeout(
        std::chrono::seconds(qBound(1, QSettings().value(kTimeoutKey, 30).toInt(), 3600)));
    m_history->load();
}

QWidget *TryItConsole::buildBodyTab()
{
    m_contentType->setEditable(true);
    m_contentType->addItems(
        {QString(), QStringLiteral("application/json"), QStringLiteral("application/xml"),
         QStringLiteral("application/x-www-form-urlencoded"), QStringLiteral("text/plain")});
    m_contentType->lineEdit()->setPlaceholderText(tr("no Content-Type"));
    m_contentType->setMinimumContentsLength(20);
    auto *prettify = new QPushButton(tr("Prettify JSON"));
    prettify->setToolTip(tr("Indent the body as JSON (also checks that it is valid JSON)"));
    connect(prettify, &QPushButton::clicked, this, &TryItConsole::prettifyBody);
    m_body->setFilePath(QStringLiteral("body.json"));   // JSON colouring; the name is never shown
    m_body->setPlaceholderText(tr("Request body (sent with POST, PUT, PATCH …)"));

    auto *tab = new QWidget;
    auto *row = new QHBoxLayout;
    row->addWidget(new QLabel(tr("Content type:")));
    row->addWidget(m_contentType, 1);
    row->addWidget(prettify);
    auto *layout = new QVBoxLayout(tab);
    layout->setContentsMargins(0, 2, 0, 0);
    layout->addLayout(row);
    layout->addWidget(m_body, 1);
    return tab;
}

QWidget *TryItConsole::buildHistoryTab()
{
    m_historyList->setToolTip(tr("Click a request to restore it"));
    m_historyList->setUniformItemSizes(true);
    connect(m_historyList, &QListWidget::itemClicked, this, [this](QListWidgetItem *item) {
        const int row = m_historyList->row(item);
        if (row >= 0 && row < m_history->entries().size())
            setRequest(m_history->entries().at(row).request);
    });
    return m_historyList;
}

void TryItConsole::setGateway(GatewayController *gateway)
{
    m_gateway = gateway;
    if (m_gateway) {
        connect(m_gateway, &GatewayController::runningChanged, this, [this] {
            rebaseUrl();
            if (m_gateway->isRunning() && m_bannerButton->isVisible())
                hideBanner();
        });
    }
    rebaseUrl();
}

void TryItConsole::setProject(const Project &project)
{
    m_apis = project.apis;
    const ListenerSettings &http = project.settings.listeners.http;
    m_configuredPort = http.enabled && http.port != 0 ? http.port : 9090;
    rebaseUrl();
}

QString TryItConsole::configuredBase() const
{
    return QStringLiteral("http://127.0.0.1:%1").arg(m_configuredPort);
}

QString TryItConsole::gatewayBase() const
{
    const QString running = m_gateway ? m_gateway->httpBaseUrl() : QString();
    return running.isEmpty() ? configuredBase() : running;
}

void TryItConsole::rebaseUrl()
{
    // A gateway on another port than the URL was built for (port 0, a restart): follow it.
    const QString base = gatewayBase();
    if (!m_usedBase.isEmpty() && base != m_usedBase && m_url->text().startsWith(m_usedBase))
        m_url->setText(base + m_url->text().mid(m_usedBase.size()));
    if (!m_usedBase.isEmpty() || !m_url->text().isEmpty())
        m_usedBase = base;
}

bool TryItConsole::selectOperation(const QString &apiFile, const QString &method,
                                   const QString &pathTemplate)
{
    for (const ApiSpec &api : std::as_const(m_apis)) {
        if (api.file != apiFile)
            continue;
        for (const Operation &op : api.operations) {
            if (op.method == method && op.pathTemplate == pathTemplate) {
                showOperation(api, op);
                return true;
            }
        }
    }
    return false;
}

void TryItConsole::showOperation(const ApiSpec &api, const Operation &op)
{
    hideBanner();
    m_usedBase = gatewayBase();
    m_method->setCurrentText(op.method);
    m_url->setText(operationUrl(m_usedBase, api, op));   // the query table follows

    NameValueList headers;
    bool json = false;
    for (const Response &r : op.responses) {
        for (const MediaType &m : r.content)
            json = json || m.contentType.contains(QStringLiteral("json"));
    }
    if (json)
        headers.append({QStringLiteral("Accept"), QStringLiteral("application/json")});
    for (const Parameter &p : op.parameters) {
        if (p.in == ParameterLocation::Header && p.required) {
            const QJsonValue v = exampleFromSchema(p.schema);
            headers.append({p.name, v.isString()   ? v.toString()
                                    : v.isDouble() ? QString::number(v.toDouble())
                                                   : QString()});
        }
    }
    m_headers->setItems(headers);

    // Optional query parameters are offered by completion rather than added to the URL.
    QStringList queryNames;
    for (const Parameter &p : op.parameters) {
        if (p.in == ParameterLocation::Query)
            queryNames.append(p.name);
    }
    m_query->setNameCompletions(queryNames);

    QString contentType;
    m_body->setPlainText(QString::fromUtf8(exampleBody(op, &contentType)));
    m_contentType->setCurrentText(contentType);
    m_requestTabs->setTabText(2, op.requestBody ? tr("Body •") : tr("Body"));
    m_auth->suggestFor(api, op);
    m_url->setCursorPosition(0);
    m_url->selectNextPlaceholder();
}

TryItRequest TryItConsole::currentRequest() const
{
    TryItRequest r;
    r.method = m_method->currentText().trimmed().toUpper();
    r.url = m_url->text().trimmed();
    r.headers = m_headers->items();
    r.body = m_body->toPlainText().toUtf8();
    r.contentType = r.body.isEmpty() ? QString() : m_contentType->currentText().trimmed();
    r.auth = m_auth->settings();
    return r;
}

void TryItConsole::setRequest(const TryItRequest &r)
{
    hideBanner();
    m_method->setCurrentText(r.method);
    m_url->setText(r.url);
    m_headers->setItems(r.headers);
    m_body->setPlainText(QString::fromUtf8(r.body));
    m_contentType->setCurrentText(r.contentType);
    AuthSettings auth = r.auth;
    if (auth.token.isEmpty() && auth.apiKey.isEmpty() && auth.password.isEmpty()) {
        // History saved on disk has no secrets: keep the ones typed in this session.
        const AuthSettings typed = m_auth->settings();
        auth.token = typed.token;
        auth.apiKey = typed.apiKey;
        auth.password = typed.password;
    }
    m_auth->setSettings(auth);
}

bool TryItConsole::isBusy() const
{
    return m_client->isBusy();
}

void TryItConsole::send()
{
    if (isBusy())
        return;
    hideBanner();
    const TryItRequest request = currentRequest();
    if (const QStringList missing = placeholderNames(request.url); !missing.isEmpty()) {
        showBanner(
            tr("Fill in {%1} in the URL first (Tab in the URL selects it).").arg(missing.first()));
        m_url->setFocus();
        m_url->setCursorPosition(0);
        m_url->selectNextPlaceholder();
        return;
    }
    const bool toGateway
        = request.url.startsWith(gatewayBase()) || request.url.startsWith(configuredBase());
    if (m_gateway && !m_gateway->isRunning() && toGateway) {
        showBanner(tr("The embedded gateway is not running, so nothing would answer on %1.")
                       .arg(configuredBase()),
                   tr("Start Gateway and Send"));
        return;
    }
    m_inFlight = request;
    m_response->showPending(request.method, request.url);
    m_client->send(request);
    updateSendButton();
}

void TryItConsole::startGatewayAndSend()
{
    if (!m_gateway)
        return;
    if (!m_gateway->isRunning() && !m_gateway->start()) {
        showBanner(tr("The gateway did not start; the Problems pane says why."));
        return;
    }
    rebaseUrl();
    send();
}

void TryItConsole::cancel()
{
    m_client->cancel();
}

void TryItConsole::onFinished(const TryItResponse &response)
{
    m_response->showResponse(response);
    if (!response.cancelled)
        m_history->add(
            {m_inFlight, response.status, response.elapsedMs, QDateTime::currentDateTime()});
    updateSendButton();
    emit responseShown(response);
}

void TryItConsole::updateSendButton()
{
    const bool busy = isBusy();
    m_escape->setEnabled(busy);
    m_send->setText(busy ? tr("Cancel") : tr("Send"));
    m_send->setToolTip(busy ? tr("Stop waiting for the answer (Esc)")
                            : tr("Send the request through the gateway (Ctrl+Enter)"));
}

void TryItConsole::showBanner(const QString &text, const QString &buttonText)
{
    m_bannerLabel->setText(text);
    m_bannerButton->setText(buttonText);
    m_bannerButton->setVisible(!buttonText.isEmpty());
    m_banner->show();
}

void TryItConsole::hideBanner()
{
    m_banner->hide();
    m_bannerButton->hide();
}

QString TryItConsole::bannerText() const
{
    return m_banner->isHidden() ? QString() : m_bannerLabel->text();
}

void TryItConsole::prettifyBody()
{
    const QByteArray body = m_body->toPlainText().toUtf8();
    QJsonParseError error;
    QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError) {
        const QByteArray before = body.left(error.offset);
        const int line = int(before.count('\n')) + 1;
        const int column = int(error.offset - before.lastIndexOf('\n'));
        showBanner(tr("The body is not valid JSON: %1 at line %2, column %3.")
                       .arg(error.errorString())
                       .arg(line)
                       .arg(column));
        m_body->goToLine(line, column);
        return;
    }
    hideBanner();
    m_body->setPlainText(prettyJson(body).value_or(QString::fromUtf8(body)));
    if (m_contentType->currentText().isEmpty())
        m_contentType->setCurrentText(QStringLiteral("application/json"));
}

void TryItConsole::chooseTimeout()
{
    bool ok = false;
    const int seconds = QInputDialog::getInt(
        this, tr("Request Timeout"), tr("Stop waiting for an answer after (seconds):"),
        int(m_client->timeout().count() / 1000), 1, 3600, 1, &ok);
    if (!ok)
        return;
    m_client->setTimeout(std::chrono::seconds(seconds));
    QSettings().setValue(kTimeoutKey, seconds);
}

void TryItConsole::refreshHistoryList()
{
    m_historyList->clear();
    for (const HistoryEntry &e : m_history->entries()) {
        auto *item = new QListWidgetItem(RequestHistory::label(e), m_historyList);
        item->setToolTip(QStringLiteral("%1 %2\n%3")
                             .arg(e.request.method, e.request.url,
                                  QLocale().toString(e.sentAt, QLocale::ShortFormat)));
        item->setForeground(ResponseView::statusColor(e.status));
    }
    m_requestTabs->setTabText(4, tr("History (%1)").arg(m_history->entries().size()));
}

QString TryItConsole::curlCommand() const
{
    const TryItRequest r = currentRequest();
    QStringList parts{QStringLiteral("curl"), QStringLiteral("-i")};
    if (r.method != QStringLiteral("GET"))
        parts << QStringLiteral("-X") << r.method;
    parts << shellQuote(r.url);
    for (const NameValue &h : r.headers)
        parts << QStringLiteral("-H") << shellQuote(h.name + QStringLiteral(": ") + h.value);
    if (!r.contentType.isEmpty())
        parts << QStringLiteral("-H")
              << shellQuote(QStringLiteral("Content-Type: ") + r.contentType);
    if (const auto auth = authHeader(r.auth))
        parts << QStringLiteral("-H")
              << shellQuote(QString::fromUtf8(auth->first + ": " + auth->second));
    if (!r.body.isEmpty() && r.method != QStringLiteral("GET")
        && r.method != QStringLiteral("HEAD"))
        parts << QStringLiteral("--data-raw") << shellQuote(QString::fromUtf8(r.body));
    return parts.join(u' ');
}

} // namespace Gatehouse
