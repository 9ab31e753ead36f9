// KeysDock: the issuing form, the issued keys, the JWKS and the token inspector.
#include "keysdock.h"

#include "issuedkeys.h"
#include "projecttokens.h"

#include "security/jwtclaims.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDateTime>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace Gatehouse {

namespace {

constexpr qint64 kSecondsPerUnit[] = {60, 3600, 86400};

QPlainTextEdit *monospaceView(bool readOnly)
{
    auto *edit = new QPlainTextEdit;
    edit->setReadOnly(readOnly);
    edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    edit->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    return edit;
}

QStringList checkedItems(const QListWidget *list)
{
    QStringList out;
    for (int i = 0; i < list->count(); ++i) {
        if (list->item(i)->checkState() == Qt::Checked)
            out.append(list->item(i)->text());
    }
    return out;
}

void fillCheckList(QListWidget *list, const QStringList &items)
{
    const QStringList checked = checkedItems(list);
    list->clear();
    for (const QString &text : items) {
        auto *item = new QListWidgetItem(text, list);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
        item->setCheckState(checked.contains(text) ? Qt::Checked : Qt::Unchecked);
    }
}

// Claims as pretty JSON with the time claims explained in a trailing comment block.
QString describeClaims(const QJsonObject &claims)
{
    QString text = QString::fromUtf8(QJsonDocument(claims).toJson(QJsonDocument::Indented));
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    for (const char *name : {"iat", "nbf", "exp"}) {
        const QJsonValue v = claims.value(QLatin1StringView(name));
        if (!v.isDouble())
            continue;
        const auto at = qint64(v.toDouble());
        const QString when = QDateTime::fromSecsSinceEpoch(at).toString(Qt::ISODate);
        const QString relative = at >= now ? KeysDock::tr("in %1").arg(humanDuration(at - now))
                                           : KeysDock::tr("%1 ago").arg(humanDuration(now - at));
        text += QStringLiteral("\n%1: %2 (%3)").arg(QLatin1StringView(name), when, relative);
    }
    return text;
}

} // namespace

KeysDock::KeysDock(ProjectTokens *tokens, QWidget *parent)
    : QWidget(parent), m_tokens(tokens), m_model(new IssuedKeysModel(this)), m_tabs(new QTabWidget)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_tabs);
    m_tabs->addTab(buildIssueTab(), tr("Issue"));
    m_tabs->addTab(buildKeysTab(), tr("Issued Keys"));
    m_tabs->addTab(buildJwksTab(), tr("JWKS"));
    m_tabs->addTab(buildInspectTab(), tr("Inspect"));

    connect(m_tokens, &ProjectTokens::ready, this, &KeysDock::refresh);
    connect(m_tokens, &ProjectTokens::failed, this, [this](const QString &reason) {
        refresh();
        setStatus(reason, true);
    });
    connect(m_tokens, &ProjectTokens::keysChanged, this, &KeysDock::refresh);
    refresh();
}

QWidget *KeysDock::buildIssueTab()
{
    auto *page = new QWidget;
    auto *form = new QFormLayout;
    m_subject = new QLineEdit;
    m_subject->setPlaceholderText(tr("who the key is for, e.g. mobile-app"));
    form->addRow(tr("&Subject:"), m_subject);
    m_scopes = new QListWidget;
    m_scopes->setMaximumHeight(110);
    m_scopes->setToolTip(tr("Scopes the project's APIs, operations and gRPC methods declare"));
    form->addRow(tr("S&copes:"), m_scopes);
    m_apis = new QListWidget;
    m_apis->setMaximumHeight(80);
    m_apis->setToolTip(tr("None checked: the key may call every API"));
    form->addRow(tr("Allowed &APIs:"), m_apis);
    auto *validity = new QHBoxLayout;
    m_validity = new QSpinBox;
    m_validity->setRange(1, 99999);
    m_validityUnit = new QComboBox;
    m_validityUnit->addItems({tr("minutes"), tr("hours"), tr("days")});
    m_keyType = new QComboBox;
    m_keyType->addItems({QStringLiteral("PRODUCTION"), QStringLiteral("SANDBOX")});
    m_keyType->setToolTip(tr("The keytype claim: which endpoints (production or sandbox) the key reaches"));
    validity->addWidget(m_validity);
    validity->addWidget(m_validityUnit);
    validity->addStretch();
    validity->addWidget(m_keyType);
    form->addRow(tr("Validity:"), validity);
    m_claims = monospaceView(false);
    m_claims->setPlaceholderText(tr("Custom claims as a JSON object, e.g. {\"tier\": \"Gold\"}"));
    m_claims->setMaximumHeight(70);
    form->addRow(tr("C&laims:"), m_claims);
    m_sendAs = new QComboBox;
    form->addRow(tr("Send &as:"), m_sendAs);

    m_issue = new QPushButton(tr("&Issue Key"));
    m_issue->setDefault(true);
    connect(m_issue, &QPushButton::clicked, this, &KeysDock::issueFromForm);
    connect(m_subject, &QLineEdit::returnPressed, this, &KeysDock::issueFromForm);
    m_token = monospaceView(true);
    m_token->setPlaceholderText(tr("The signed key appears here"));
    m_copy = new QPushButton(tr("&Copy"));
    m_use = new QPushButton(tr("Use in &Try It"));
    m_copy->setEnabled(false);
    m_use->setEnabled(false);
    connect(m_copy, &QPushButton::clicked, this, [this] { copyToken(m_token->toPlainText().toLatin1()); });
    connect(m_use, &QPushButton::clicked, this, [this] {
        emit useInTryIt(authFor(m_token->toPlainText().toLatin1()));
        emit message(tr("The try-it console sends the key now"));
    });
    m_status = new QLabel;
    m_status->setWordWrap(true);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_issue);
    buttons->addStretch();
    buttons->addWidget(m_copy);
    buttons->addWidget(m_use);
    auto *layout = new QVBoxLayout(page);
    layout->addLayout(form);
    layout->addLayout(buttons);
    layout->addWidget(m_status);
    layout->addWidget(m_token, 1);
    return page;
}

QWidget *KeysDock::buildKeysTab()
{
    auto *page = new QWidget;
    m_keysView = new QTableView;
    m_keysView->setModel(m_model);
    m_keysView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_keysView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_keysView->horizontalHeader()->setStretchLastSection(true);
    m_keysView->verticalHeader()->hide();
    m_keysView->setWordWrap(false);
    m_revoke = new QPushButton(tr("&Revoke"));
    m_copySelected = new QPushButton(tr("Copy"));
    m_useSelected = new QPushButton(tr("Use in Try It"));
    m_inspectSelected = new QPushButton(tr("Inspect"));
    connect(m_revoke, &QPushButton::clicked, this, &KeysDock::revokeSelected);
    connect(m_copySelected, &QPushButton::clicked, this, [this] { copyToken(selectedToken()); });
    connect(m_useSelected, &QPushButton::clicked, this, [this] { emit useInTryIt(authFor(selectedToken())); });
    connect(m_inspectSelected, &QPushButton::clicked, this, [this] {
        inspectText(QString::fromLatin1(selectedToken()));
        m_tabs->setCurrentIndex(3);
    });
    auto updateButtons = [this] {
        const QModelIndexList rows = m_keysView->selectionModel()->selectedRows();
        const bool any = !rows.isEmpty();
        m_revoke->setEnabled(any && !m_model->isRevoked(rows.first().row()));
        m_copySelected->setEnabled(any);
        m_useSelected->setEnabled(any);
        m_inspectSelected->setEnabled(any);
    };
    connect(m_keysView->selectionModel(), &QItemSelectionModel::selectionChanged, this, updateButtons);
    connect(m_model, &QAbstractItemModel::modelReset, this, updateButtons);
    connect(m_model, &QAbstractItemModel::dataChanged, this, updateButtons);
    updateButtons();
    m_ledgerLabel = new QLabel;
    m_ledgerLabel->setWordWrap(true);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_revoke);
    buttons->addStretch();
    buttons->addWidget(m_inspectSelected);
    buttons->addWidget(m_copySelected);
    buttons->addWidget(m_useSelected);
    auto *layout = new QVBoxLayout(page);
    layout->addWidget(m_keysView, 1);
    layout->addLayout(buttons);
    layout->addWidget(m_ledgerLabel);
    return page;
}

QWidget *KeysDock::buildJwksTab()
{
    auto *page = new QWidget;
    m_jwks = monospaceView(true);
    auto *label = new QLabel(tr("The issuer's public keys, as the admin API serves them at "
                                "/.well-known/jwks.json: give them to anyone who verifies its keys."));
    label->setWordWrap(true);
    auto *copy = new QPushButton(tr("Copy JWKS"));
    connect(copy, &QPushButton::clicked, this, [this] { QApplication::clipboard()->setText(m_jwks->toPlainText()); });
    auto *layout = new QVBoxLayout(page);
    layout->addWidget(label);
    layout->addWidget(m_jwks, 1);
    layout->addWidget(copy, 0, Qt::AlignRight);
    return page;
}

QWidget *KeysDock::buildInspectTab()
{
    auto *page = new QWidget;
    m_inspectInput = monospaceView(false);
    m_inspectInput->setPlaceholderText(tr("Paste a JWT or API key: it is decoded and verified against the "
                                          "project's issuers"));
    m_inspectInput->setMaximumHeight(90);
    m_verdict = new QLabel;
    m_verdict->setWordWrap(true);
    m_verdict->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_header = monospaceView(true);
    m_header->setMaximumHeight(120);   // typ, alg, kid: a few lines; the claims get the room
    m_claimsView = monospaceView(true);
    connect(m_inspectInput, &QPlainTextEdit::textChanged, this,
            [this] { inspectText(m_inspectInput->toPlainText()); });
    auto *split = new QSplitter(Qt::Vertical);
    auto boxed = [](const QString &title, QWidget *w) {
        auto *box = new QWidget;
        auto *l = new QVBoxLayout(box);
        l->setContentsMargins(0, 0, 0, 0);
        l->addWidget(new QLabel(title));
        l->addWidget(w);
        return box;
    };
    split->addWidget(boxed(tr("Header"), m_header));
    split->addWidget(boxed(tr("Claims"), m_claimsView));
    split->setStretchFactor(1, 3);
    auto *layout = new QVBoxLayout(page);
    layout->addWidget(m_inspectInput);
    layout->addWidget(m_verdict);
    layout->addWidget(split, 1);
    return page;
}

void KeysDock::refresh()
{
    fillCheckList(m_scopes, m_tokens->declaredScopes());
    fillCheckList(m_apis, m_tokens->apiTitles());
    const int sendAs = m_sendAs->currentIndex();
    m_sendAs->clear();
    m_sendAs->addItem(tr("Bearer token (Authorization)"));
    m_sendAs->addItem(tr("API key header (%1)").arg(m_tokens->apiKeyHeader()));
    m_sendAs->setCurrentIndex(qMax(0, sendAs));
    if (m_validity->value() <= 1 && m_tokens->defaultTtlSeconds() > 0) {
        const qint64 ttl = m_tokens->defaultTtlSeconds();
        const int unit = ttl % 86400 == 0 ? 2 : ttl % 3600 == 0 ? 1 : 0;
        m_validityUnit->setCurrentIndex(unit);
        m_validity->setValue(int(qMin<qint64>(ttl / kSecondsPerUnit[unit], m_validity->maximum())));
    }
    const bool ready = m_tokens->isReady();
    m_issue->setEnabled(ready);
    m_jwks->setPlainText(ready ? QString::fromUtf8(m_tokens->jwks()) : m_tokens->unavailableReason());
    if (ready && m_status->property("error").toBool() == false)
        m_status->clear();
    refreshKeys();
    if (!m_inspectInput->toPlainText().isEmpty())
        inspectText(m_inspectInput->toPlainText());
}

void KeysDock::refreshKeys()
{
    QString error;
    QList<IssuedKey> keys = m_tokens->issuedKeys(&error);
    m_model->setKeys(std::move(keys), m_tokens->revokedIds());
    m_keysView->resizeColumnsToContents();
    m_ledgerLabel->setText(error.isEmpty() ? tr("Keys issued here are recorded in %1 (readable by you only, "
                                                "never part of an export).")
                                                 .arg(m_tokens->ledgerPath())
                                           : error);
}

void KeysDock::setStatus(const QString &text, bool error)
{
    m_status->setProperty("error", error);
    m_status->setText(text);
    m_status->setStyleSheet(error ? QStringLiteral("color: white; background: #b3261e; padding: 3px;")
                                  : QString());
}

bool KeysDock::issueFromForm()
{
    ApiKeyIssuer::Request request;
    request.subject = m_subject->text().trimmed();
    if (request.subject.isEmpty()) {
        setStatus(tr("A key needs a subject: who is it for?"), true);
        m_subject->setFocus();
        return false;
    }
    request.scopes = checkedItems(m_scopes);
    request.allowedApis = checkedItems(m_apis);
    request.keyType = m_keyType->currentText();
    request.ttlSeconds = qint64(m_validity->value()) * kSecondsPerUnit[qBound(0, m_validityUnit->currentIndex(), 2)];
    const QString claimsText = m_claims->toPlainText().trimmed();
    if (!claimsText.isEmpty()) {
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(claimsText.toUtf8(), &parseError);
        if (!doc.isObject()) {
            setStatus(parseError.error != QJsonParseError::NoError
                          ? tr("Claims: %1 at character %2").arg(parseError.errorString()).arg(parseError.offset)
                          : tr("Claims must be a JSON object, like {\"tier\": \"Gold\"}"),
                      true);
            return false;
        }
        request.extraClaims = doc.object();
    }
    const auto key = m_tokens->issue(request);
    if (!key) {
        setStatus(tr("Not issued: %1").arg(key.error().message), true);
        return false;
    }
    m_token->setPlainText(QString::fromLatin1(key->token));
    m_copy->setEnabled(true);
    m_use->setEnabled(true);
    setStatus(tr("Issued key %1 for '%2', valid until %3.")
                  .arg(key->jti, key->subject,
                       QDateTime::fromSecsSinceEpoch(key->expiresAt).toString(QStringLiteral("yyyy-MM-dd HH:mm"))),
              false);
    return true;
}

AuthSettings KeysDock::authFor(const QByteArray &token) const
{
    AuthSettings auth;
    if (m_sendAs->currentIndex() == 1) {
        auth.kind = AuthKind::ApiKeyHeader;
        auth.apiKeyHeader = m_tokens->apiKeyHeader();
        auth.apiKey = QString::fromLatin1(token);
    } else {
        auth.kind = AuthKind::Bearer;
        auth.token = QString::fromLatin1(token);
    }
    return auth;
}

void KeysDock::copyToken(const QByteArray &token)
{
    if (token.isEmpty())
        return;
    QApplication::clipboard()->setText(QString::fromLatin1(token));
    emit message(tr("Key copied to the clipboard"));
}

QByteArray KeysDock::selectedToken() const
{
    const QModelIndexList rows = m_keysView->selectionModel()->selectedRows();
    return rows.isEmpty() ? QByteArray() : rows.first().data(IssuedKeysModel::TokenRole).toByteArray();
}

void KeysDock::revokeSelected()
{
    const QModelIndexList rows = m_keysView->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return;
    const QString jti = rows.first().data(IssuedKeysModel::JtiRole).toString();
    if (auto r = m_tokens->revoke(jti); !r) {
        m_ledgerLabel->setText(tr("Not revoked: %1").arg(r.error().message));
        return;
    }
    emit message(tr("Key %1 revoked: the gateway refuses it within a second").arg(jti));
}

void KeysDock::inspectText(const QString &token)
{
    if (m_inspectInput->toPlainText() != token) {
        const QSignalBlocker block(m_inspectInput);
        m_inspectInput->setPlainText(token);
    }
    const TokenInspection result = m_tokens->inspect(token.toUtf8());
    QString color;
    switch (result.verdict) {
    case TokenInspection::Verdict::Valid:
        color = QStringLiteral("#1e7e34");
        break;
    case TokenInspection::Verdict::Unavailable:
        color = QStringLiteral("#9a6700");
        break;
    case TokenInspection::Verdict::Invalid:
    case TokenInspection::Verdict::Revoked:
    case TokenInspection::Verdict::Malformed:
        color = QStringLiteral("#b3261e");
        break;
    }
    m_verdict->setText(result.reason);
    m_verdict->setStyleSheet(QStringLiteral("color: %1; font-weight: bold;").arg(color));
    m_header->setPlainText(result.header.isEmpty()
                               ? QString()
                               : QString::fromUtf8(QJsonDocument(result.header).toJson(QJsonDocument::Indented)));
    m_claimsView->setPlainText(result.claims.isEmpty() ? QString() : describeClaims(result.claims));
}

} // namespace Gatehouse
