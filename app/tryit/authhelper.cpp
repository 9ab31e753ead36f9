// AuthHelper: the try-it console's credentials fields; it only builds a header (issuing is elsewhere).
#include "authhelper.h"

#include "security/jwtclaims.h"

#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace Gatehouse {

namespace {
QWidget *formPage(const QList<std::pair<QString, QWidget *>> &rows)
{
    auto *page = new QWidget;
    auto *form = new QFormLayout(page);
    form->setContentsMargins(0, 0, 0, 0);
    for (const auto &[label, field] : rows)
        form->addRow(label, field);
    return page;
}
} // namespace

AuthHelper::AuthHelper(QWidget *parent)
    : QWidget(parent)
    , m_kind(new QComboBox)
    , m_issued(new QComboBox)
    , m_issuedLabel(new QLabel(tr("Issued key:")))
    , m_pages(new QStackedWidget)
    , m_token(new QLineEdit)
    , m_keyHeader(new QLineEdit(QStringLiteral("X-API-Key")))
    , m_key(new QLineEdit)
    , m_user(new QLineEdit)
    , m_password(new QLineEdit)
    , m_preview(new QLabel)
{
    m_kind->addItem(tr("No credentials"), int(AuthKind::None));
    m_kind->addItem(tr("Bearer token (OAuth2 / JWT)"), int(AuthKind::Bearer));
    m_kind->addItem(tr("API key header"), int(AuthKind::ApiKeyHeader));
    m_kind->addItem(tr("Basic (user and password)"), int(AuthKind::Basic));

    m_token->setPlaceholderText(tr("eyJhbGciOi… (issue one in Keys and Tokens, or pick it above)"));
    m_key->setPlaceholderText(tr("the key"));
    m_password->setEchoMode(QLineEdit::Password);
    m_pages->addWidget(new QWidget);
    m_pages->addWidget(formPage({{tr("Token:"), m_token}}));
    m_pages->addWidget(formPage({{tr("Header:"), m_keyHeader}, {tr("Key:"), m_key}}));
    m_pages->addWidget(formPage({{tr("User:"), m_user}, {tr("Password:"), m_password}}));

    m_preview->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_preview->setWordWrap(true);
    m_preview->setForegroundRole(QPalette::PlaceholderText);

    auto *layout = new QVBoxLayout(this);
    auto *kindRow = new QFormLayout;
    kindRow->setContentsMargins(0, 0, 0, 0);
    kindRow->addRow(tr("Credentials:"), m_kind);
    kindRow->addRow(m_issuedLabel, m_issued);
    layout->addLayout(kindRow);
    m_issued->setToolTip(tr("Keys issued in Keys and Tokens that are neither revoked nor expired"));
    m_issued->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_issued->setMinimumContentsLength(24);
    m_issued->addItem(tr("Pick an issued key…"));
    m_issued->hide();
    m_issuedLabel->hide();
    layout->addWidget(m_pages);
    layout->addWidget(m_preview);
    layout->addStretch();

    connect(m_kind, &QComboBox::currentIndexChanged, this, [this](int index) {
        m_pages->setCurrentIndex(index);
        updatePreview();
    });
    connect(m_issued, &QComboBox::activated, this, &AuthHelper::pickIssued);
    for (QLineEdit *edit : {m_token, m_keyHeader, m_key, m_user, m_password})
        connect(edit, &QLineEdit::textChanged, this, &AuthHelper::updatePreview);
    updatePreview();
}

AuthSettings AuthHelper::settings() const
{
    AuthSettings s;
    s.kind = AuthKind(m_kind->currentData().toInt());
    s.token = m_token->text();
    s.apiKeyHeader = m_keyHeader->text();
    s.apiKey = m_key->text();
    s.user = m_user->text();
    s.password = m_password->text();
    return s;
}

void AuthHelper::setSettings(const AuthSettings &s)
{
    m_token->setText(s.token);
    m_keyHeader->setText(s.apiKeyHeader);
    m_key->setText(s.apiKey);
    m_user->setText(s.user);
    m_password->setText(s.password);
    m_kind->setCurrentIndex(qMax(0, m_kind->findData(int(s.kind))));
    updatePreview();
}

void AuthHelper::suggestFor(const ApiSpec &api, const Operation &op)
{
    const QList<SecurityRequirement> &security = op.security ? *op.security : api.security;
    // An empty requirement anywhere in the list means the operation may be called without one.
    bool open = security.isEmpty() || op.extensions.disableSecurity.value_or(false)
                || api.extensions.disableSecurity.value_or(false);
    for (const SecurityRequirement &r : security)
        open = open || r.isEmpty();
    if (open) {
        m_kind->setCurrentIndex(m_kind->findData(int(AuthKind::None)));
        return;
    }
    const QString schemeName = security.first().first().scheme;
    const auto scheme = api.securitySchemes.find(schemeName);
    if (scheme == api.securitySchemes.end())
        return;
    AuthKind kind = AuthKind::Bearer;
    switch (scheme->type) {
        case SecuritySchemeType::ApiKey:
            if (scheme->apiKeyIn == ApiKeyLocation::Header) {
                kind = AuthKind::ApiKeyHeader;
                m_keyHeader->setText(scheme->apiKeyName);
            }
            break;
        case SecuritySchemeType::HttpBasic:
            kind = AuthKind::Basic;
            break;
        default:
            break;
    }
    m_kind->setCurrentIndex(m_kind->findData(int(kind)));
}

void AuthHelper::setIssuedKeys(const QList<IssuedKey> &keys, const QSet<QString> &revoked, qint64 nowSeconds)
{
    m_issued->clear();
    m_issued->addItem(tr("Pick an issued key…"));
    for (qsizetype i = keys.size() - 1; i >= 0; --i) {   // the ledger lists the newest last
        const IssuedKey &k = keys.at(i);
        if (revoked.contains(k.jti) || (k.expiresAt > 0 && k.expiresAt <= nowSeconds) || k.token.isEmpty())
            continue;
        const QString scopes = k.scopes.isEmpty() ? tr("no scopes") : k.scopes.join(u' ');
        const QString label = k.expiresAt > 0
                                  ? tr("%1 · %2 · expires in %3").arg(k.subject, scopes, humanDuration(k.expiresAt - nowSeconds))
                                  : tr("%1 · %2").arg(k.subject, scopes);
        m_issued->addItem(label, QString::fromLatin1(k.token));
        m_issued->setItemData(m_issued->count() - 1, tr("jti %1").arg(k.jti), Qt::ToolTipRole);
    }
    const bool any = m_issued->count() > 1;
    m_issued->setVisible(any);
    m_issuedLabel->setVisible(any);
    updatePreview();
}

void AuthHelper::pickIssued(int index)
{
    const QString token = m_issued->itemData(index).toString();
    if (token.isEmpty())
        return;
    const auto kind = AuthKind(m_kind->currentData().toInt());
    if (kind == AuthKind::ApiKeyHeader) {
        m_key->setText(token);
    } else {
        m_token->setText(token);
        m_kind->setCurrentIndex(m_kind->findData(int(AuthKind::Bearer)));
    }
    updatePreview();
}

QString AuthHelper::previewText() const
{
    return m_preview->text();
}

void AuthHelper::updatePreview()
{
    // The box names the issued key in use, whichever way it got into the field.
    const auto kind = AuthKind(m_kind->currentData().toInt());
    const QString used = kind == AuthKind::ApiKeyHeader ? m_key->text()
                         : kind == AuthKind::Bearer     ? m_token->text()
                                                        : QString();
    m_issued->setCurrentIndex(used.isEmpty() ? 0 : qMax(0, m_issued->findData(used)));
    const auto header = authHeader(settings());
    if (!header) {
        m_preview->setText(settings().kind == AuthKind::None
                               ? tr("No credentials header is added.")
                               : tr("Fill in the fields to add the header."));
    } else {
        // Never show the whole secret: enough to recognise which one it is.
        QString value = QString::fromUtf8(header->second);
        if (value.size() > 24)
            value = value.left(20) + QStringLiteral("…");
        m_preview->setText(tr("Adds: %1: %2").arg(QString::fromLatin1(header->first), value));
    }
    emit changed();
}

} // namespace Gatehouse
