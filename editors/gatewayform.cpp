// GatewayForm: fields filled from the live parse, compared with what was loaded, and the changed
// ones turned into MemberEdit changes applied inside one QTextCursor edit block.
#include "gatewayform.h"

#include "codeeditor.h"
#include "memberedit.h"
#include "openapiliveparser.h"
#include "policylisteditor.h"
#include "policysamplerun.h"
#include "wheelguard.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QTextCursor>
#include <QVBoxLayout>

namespace Gatehouse {

namespace {

QStringList words(const QString &text)
{
    return text.split(QRegularExpression(QStringLiteral("[\\s,]+")), Qt::SkipEmptyParts);
}

QJsonArray toArray(const QStringList &list)
{
    QJsonArray out;
    for (const QString &s : list)
        out.append(s);
    return out;
}

QJsonArray attachments(const QList<PolicyAttachment> &policies)
{
    QJsonArray out;
    for (const PolicyAttachment &p : policies) {
        QJsonObject o{{QStringLiteral("name"), p.name}};
        if (!p.settings.isEmpty())
            o.insert(QStringLiteral("settings"), p.settings);
        out.append(o);
    }
    return out;
}

const Operation *findOperation(const ApiSpec &api, const QString &method, const QString &path)
{
    for (const Operation &op : api.operations) {
        if (op.method == method && op.pathTemplate == path)
            return &op;
    }
    return nullptr;
}

} // namespace

GatewayForm::GatewayForm(QWidget *parent)
    : QWidget(parent), m_title(new QLabel), m_basePath(new QLineEdit),
      m_endpoints(new QPlainTextEdit), m_strategy(new QComboBox), m_security(new QComboBox),
      m_schemes(new QListWidget), m_scopes(new QLineEdit), m_tier(new QComboBox),
      m_disableSecurity(new QCheckBox(tr("Let requests through without credentials"))),
      m_requestPolicies(new PolicyListEditor(PolicyListEditor::Phase::Request)),
      m_responsePolicies(new PolicyListEditor(PolicyListEditor::Phase::Response)),
      m_error(new QLabel), m_apply(new QPushButton(tr("&Apply"))),
      m_revert(new QPushButton(tr("Re&vert")))
{
    setObjectName(QStringLiteral("GatewayForm"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 6);
    m_title->setTextFormat(Qt::RichText);
    m_title->setWordWrap(true);
    layout->addWidget(m_title);

    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setRowWrapPolicy(QFormLayout::WrapLongRows);   // labels above the fields in a narrow dock
    m_basePath->setToolTip(tr("x-gatehouse-basePath: where the gateway exposes the API; {version} "
                              "is replaced by info.version"));
    form->addRow(tr("Base path:"), m_basePath);
    m_endpoints->setPlaceholderText(tr("One upstream URL per line; empty = servers[0]"));
    m_endpoints->setTabChangesFocus(true);
    m_endpoints->setFixedHeight(m_endpoints->fontMetrics().lineSpacing() * 3 + 12);
    form->addRow(tr("Endpoints:"), m_endpoints);
    m_strategy->addItem(tr("Single upstream"), QString());
    m_strategy->addItem(tr("Load balance"), QStringLiteral("load_balance"));
    m_strategy->addItem(tr("Failover"), QStringLiteral("failover"));
    form->addRow(tr("Strategy:"), m_strategy);
    form->addRow(tr("Security:"), m_security);
    m_schemes->setFixedHeight(m_schemes->fontMetrics().lineSpacing() * 3 + 12);
    m_schemes->setToolTip(tr("A request needs the credentials of one checked scheme"));
    form->addRow(QString(), m_schemes);
    m_scopes->setPlaceholderText(tr("pets:read pets:write"));
    m_scopes->setToolTip(tr("x-gatehouse-scopes: scopes a token must carry, besides those in security"));
    form->addRow(tr("Scopes:"), m_scopes);
    m_tier->setToolTip(tr("x-gatehouse-throttling-tier: a rate-limit tier from gatehouse.yaml"));
    form->addRow(tr("Throttling tier:"), m_tier);
    form->addRow(QString(), m_disableSecurity);
    m_requestPolicies->setToolTip(tr("x-gatehouse-request-policies, run in this order"));
    form->addRow(tr("Request policies:"), m_requestPolicies);
    m_responsePolicies->setToolTip(tr("x-gatehouse-response-policies, run in this order"));
    form->addRow(tr("Response policies:"), m_responsePolicies);
    layout->addLayout(form);

    m_error->setWordWrap(true);
    m_error->setVisible(false);
    m_error->setStyleSheet(QStringLiteral("color: #c62828"));
    layout->addWidget(m_error);
    auto *buttons = new QHBoxLayout;
    // The policies as listed (applied or not) on an edited sample, in-process.
    auto *sample = new QPushButton(tr("Run on a &Sample…"));
    sample->setObjectName(QStringLiteral("RunOnSample"));
    sample->setToolTip(tr("Run the request and response policies on a sample request you edit, "
                          "without the network"));
    connect(sample, &QPushButton::clicked, this, [this] {
        const Values v = fromFields();
        PolicySampleRun::openDialog(this, PolicySampleRun::contextFor(
            m_parser && m_parser->api() ? &*m_parser->api() : nullptr, m_editor ? m_editor->projectDir() : QString(),
            m_method, m_path, v.requestPolicies.toArray(), v.responsePolicies.toArray()));
    });
    buttons->addWidget(sample);
    buttons->addStretch();
    buttons->addWidget(m_revert);
    buttons->addWidget(m_apply);
    layout->addLayout(buttons);
    layout->addStretch();
    m_apply->setDefault(true);

    auto changed = [this] {
        if (!m_filling)
            setDirty(fromFields() != m_loaded);
        m_schemes->setEnabled(m_security->currentData().toInt() == int(SecurityMode::Schemes));
    };
    connect(m_basePath, &QLineEdit::textChanged, this, changed);
    connect(m_endpoints, &QPlainTextEdit::textChanged, this, changed);
    for (QWidget *field : {static_cast<QWidget *>(m_strategy), static_cast<QWidget *>(m_security), static_cast<QWidget *>(m_tier)})
        leaveWheelToTheForm(field);   // the form scrolls in its dock
    connect(m_strategy, &QComboBox::currentIndexChanged, this, changed);
    connect(m_security, &QComboBox::currentIndexChanged, this, changed);
    connect(m_schemes, &QListWidget::itemChanged, this, changed);
    connect(m_scopes, &QLineEdit::textChanged, this, changed);
    connect(m_tier, &QComboBox::currentIndexChanged, this, changed);
    connect(m_disableSecurity, &QCheckBox::toggled, this, changed);
    connect(m_requestPolicies, &PolicyListEditor::changed, this, changed);
    connect(m_responsePolicies, &PolicyListEditor::changed, this, changed);
    connect(m_apply, &QPushButton::clicked, this, &GatewayForm::apply);
    connect(m_revert, &QPushButton::clicked, this, &GatewayForm::revert);
    setEditor(nullptr);
}

void GatewayForm::setEditor(CodeEditor *editor)
{
    disconnect(m_parserConnection);
    m_editor = editor;
    m_parser = OpenApiLiveParser::of(editor);
    if (m_parser) {
        m_parserConnection = connect(m_parser, &OpenApiLiveParser::updated, this, [this] {
            if (!m_dirty)
                reload();
        });
    }
    m_method.clear();
    m_path.clear();
    setDirty(false);
    reload();
}

void GatewayForm::setTiers(const QStringList &tiers)
{
    m_tiers = tiers;
    if (!m_dirty)
        reload();
}

void GatewayForm::setOperation(const QString &method, const QString &pathTemplate)
{
    if (method == m_method && pathTemplate == m_path)
        return;
    m_method = method;
    m_path = pathTemplate;
    setDirty(false);
    reload();
}

QString GatewayForm::errorText() const { return m_error->isVisible() ? m_error->text() : QString(); }

QStringList GatewayForm::ownerPath() const
{
    if (m_method.isEmpty())
        return {};
    return {QStringLiteral("paths"), m_path, m_method.toLower()};
}

GatewayForm::Values GatewayForm::fromDocument(QStringList *allSchemes) const
{
    Values v;
    const ApiSpec &api = *m_parser->api();
    *allSchemes = api.securitySchemes.keys();
    const Operation *op = m_method.isEmpty() ? nullptr : findOperation(api, m_method, m_path);
    const GatewayExtensions &ext = op ? op->extensions : api.extensions;
    QJsonObject owner = api.document;
    if (op) {
        owner = api.document.value(u"paths").toObject().value(m_path).toObject()
                    .value(m_method.toLower()).toObject();
    } else {
        v.basePath = api.basePathTemplate;
        // A base path taken from servers[0] is not an extension: show it only when written.
        if (!owner.contains(u"x-gatehouse-basePath") && !owner.contains(u"x-wso2-basePath"))
            v.basePath.clear();
    }
    if (ext.productionEndpoints) {
        for (const QUrl &url : ext.productionEndpoints->urls)
            v.urls.append(url.toString());
        if (ext.productionEndpoints->strategy == EndpointStrategy::Failover)
            v.strategy = QStringLiteral("failover");
        else if (ext.productionEndpoints->strategy == EndpointStrategy::LoadBalance)
            v.strategy = QStringLiteral("load_balance");
    }
    v.securityValue = owner.value(u"security");
    if (v.securityValue.isArray()) {
        v.security = v.securityValue.toArray().isEmpty() ? SecurityMode::Open : SecurityMode::Schemes;
        for (const QJsonValue &item : v.securityValue.toArray()) {
            const QJsonObject o = item.toObject();
            if (o.size() != 1) {
                v.security = SecurityMode::AsWritten;
                break;
            }
            v.schemes.append(o.begin().key());
        }
    } else if (!v.securityValue.isUndefined()) {
        v.security = SecurityMode::AsWritten;
    }
    if (v.security == SecurityMode::AsWritten)
        v.schemes.clear();
    v.scopes = ext.scopes;
    v.tier = ext.throttlingTier;
    v.disableSecurity = ext.disableSecurity.value_or(false);
    v.requestPolicies = attachments(ext.requestPolicies);
    v.responsePolicies = attachments(ext.responsePolicies);
    return v;
}

void GatewayForm::reload()
{
    const bool active = m_editor && m_parser && m_parser->api();
    if (active && !m_method.isEmpty() && !findOperation(*m_parser->api(), m_method, m_path)) {
        m_method.clear();   // renamed or deleted in the text: fall back to the API
        m_path.clear();
    }
    QStringList allSchemes;
    m_loaded = active ? fromDocument(&allSchemes) : Values();
    if (!active) {
        m_title->setText(tr("Open an OpenAPI file from apis/ to edit its gateway settings here."));
    } else if (m_method.isEmpty()) {
        m_title->setText(tr("<b>%1</b> — the whole API").arg(m_parser->api()->title.toHtmlEscaped()));
    } else {
        m_title->setText(QStringLiteral("<b>%1 %2</b>").arg(m_method, m_path.toHtmlEscaped()));
    }
    // An operation has no base path of its own: say so rather than show an example.
    m_basePath->setPlaceholderText(m_method.isEmpty() ? tr("/petstore/{version}")
                                                      : tr("Set on the whole API"));
    show(m_loaded, allSchemes);
    m_error->setVisible(false);
    updateEnabled();
}

void GatewayForm::show(const Values &values, const QStringList &allSchemes)
{
    m_filling = true;
    const bool api = m_method.isEmpty();
    m_basePath->setText(values.basePath);
    m_endpoints->setPlainText(values.urls.join(u'\n'));
    m_strategy->setCurrentIndex(qMax(0, m_strategy->findData(values.strategy)));

    m_security->clear();
    m_security->addItem(api ? tr("Not set: no credentials needed") : tr("Same as the API"),
                        int(SecurityMode::Unset));
    m_security->addItem(tr("No credentials needed (security: [])"), int(SecurityMode::Open));
    m_security->addItem(tr("Any one of the checked schemes"), int(SecurityMode::Schemes));
    if (values.security == SecurityMode::AsWritten)
        m_security->addItem(tr("As written in the text (schemes combined)"), int(SecurityMode::AsWritten));
    m_security->setCurrentIndex(m_security->findData(int(values.security)));
    m_schemes->clear();
    for (const QString &scheme : allSchemes) {
        auto *item = new QListWidgetItem(scheme, m_schemes);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
        item->setCheckState(values.schemes.contains(scheme) ? Qt::Checked : Qt::Unchecked);
    }
    m_schemes->setEnabled(values.security == SecurityMode::Schemes);

    m_scopes->setText(values.scopes.join(u' '));
    m_tier->clear();
    m_tier->addItem(api ? tr("None") : tr("Same as the API"), QString());
    for (const QString &tier : m_tiers)
        m_tier->addItem(tier, tier);
    if (!values.tier.isEmpty() && m_tier->findData(values.tier) < 0)
        m_tier->addItem(tr("%1 (not defined)").arg(values.tier), values.tier);
    m_tier->setCurrentIndex(m_tier->findData(values.tier));
    m_disableSecurity->setChecked(values.disableSecurity);
    m_requestPolicies->setPolicies(values.requestPolicies.toArray());
    m_responsePolicies->setPolicies(values.responsePolicies.toArray());
    m_filling = false;
}

GatewayForm::Values GatewayForm::fromFields() const
{
    Values v;
    v.basePath = m_basePath->text().trimmed();
    v.urls = words(m_endpoints->toPlainText());
    v.strategy = m_strategy->currentData().toString();
    v.security = SecurityMode(m_security->currentData().toInt());
    v.securityValue = m_loaded.securityValue;
    if (v.security == SecurityMode::Schemes) {
        // The schemes keep the order they are written in; newly checked ones go last.
        QStringList added;
        for (int i = 0; i < m_schemes->count(); ++i) {
            if (m_schemes->item(i)->checkState() == Qt::Checked)
                added.append(m_schemes->item(i)->text());
        }
        for (const QString &scheme : m_loaded.schemes) {
            if (added.removeOne(scheme))
                v.schemes.append(scheme);
        }
        v.schemes += added;
    }
    v.scopes = words(m_scopes->text());
    v.tier = m_tier->currentData().toString();
    v.disableSecurity = m_disableSecurity->isChecked();
    v.requestPolicies = m_requestPolicies->policies();
    v.responsePolicies = m_responsePolicies->policies();
    return v;
}

QJsonValue GatewayForm::securityJson(const Values &values) const
{
    switch (values.security) {
    case SecurityMode::Unset:
        return QJsonValue::Undefined;
    case SecurityMode::Open:
        return QJsonArray();
    case SecurityMode::AsWritten:
        return values.securityValue;
    case SecurityMode::Schemes:
        break;
    }
    // Each scheme keeps the scopes it was written with.
    QJsonObject written;
    for (const QJsonValue &item : values.securityValue.toArray()) {
        const QJsonObject o = item.toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            written.insert(it.key(), it.value());
    }
    QJsonArray out;
    for (const QString &scheme : values.schemes)
        out.append(QJsonObject{{scheme, written.value(scheme).isArray() ? written.value(scheme) : QJsonArray()}});
    return out;
}

bool GatewayForm::apply()
{
    if (!m_editor || !m_parser || !m_parser->api())
        return false;
    const Values v = fromFields();
    struct Member
    {
        QString key;
        QJsonValue value;
    };
    QList<Member> members;
    auto set = [&](bool changed, const QString &key, const QJsonValue &value, const QStringList &aliases) {
        if (!changed)
            return;
        members.append({key, value});
        for (const QString &alias : aliases)   // one spelling only, or the loader warns
            members.append({alias, QJsonValue::Undefined});
    };
    const auto undefinedIf = [](bool empty, const QJsonValue &value) {
        return empty ? QJsonValue(QJsonValue::Undefined) : value;
    };
    if (m_method.isEmpty()) {
        set(v.basePath != m_loaded.basePath, QStringLiteral("x-gatehouse-basePath"),
            undefinedIf(v.basePath.isEmpty(), v.basePath), {QStringLiteral("x-wso2-basePath")});
    }
    QJsonObject endpoints{{QStringLiteral("urls"), toArray(v.urls)}};
    if (!v.strategy.isEmpty())
        endpoints.insert(QStringLiteral("type"), v.strategy);
    set(v.urls != m_loaded.urls || v.strategy != m_loaded.strategy,
        QStringLiteral("x-gatehouse-production-endpoints"), undefinedIf(v.urls.isEmpty(), endpoints),
        {QStringLiteral("x-wso2-production-endpoints")});
    set(v.security != m_loaded.security || v.schemes != m_loaded.schemes, QStringLiteral("security"),
        securityJson(v), {});
    set(v.scopes != m_loaded.scopes, QStringLiteral("x-gatehouse-scopes"),
        undefinedIf(v.scopes.isEmpty(), toArray(v.scopes)), {});
    set(v.tier != m_loaded.tier, QStringLiteral("x-gatehouse-throttling-tier"),
        undefinedIf(v.tier.isEmpty(), v.tier),
        {QStringLiteral("x-wso2-throttling-tier"), QStringLiteral("x-throttling-tier")});
    set(v.disableSecurity != m_loaded.disableSecurity, QStringLiteral("x-gatehouse-disable-security"),
        undefinedIf(!v.disableSecurity, true),
        {QStringLiteral("x-wso2-disable-security"), QStringLiteral("x-auth-type")});
    const QJsonArray request = v.requestPolicies.toArray();
    set(v.requestPolicies != m_loaded.requestPolicies, QStringLiteral("x-gatehouse-request-policies"),
        undefinedIf(request.isEmpty(), request), {QStringLiteral("x-wso2-request-interceptor")});
    const QJsonArray response = v.responsePolicies.toArray();
    set(v.responsePolicies != m_loaded.responsePolicies, QStringLiteral("x-gatehouse-response-policies"),
        undefinedIf(response.isEmpty(), response), {QStringLiteral("x-wso2-response-interceptor")});

    // Work the changes out on a copy first: either all of them go in, or none.
    QString text = m_editor->toPlainText();
    QList<TextChange> changes;
    for (const Member &m : std::as_const(members)) {
        QString error;
        const std::optional<TextChange> change = memberChange(text, ownerPath(), m.key, m.value, &error);
        if (!change) {
            m_error->setText(tr("Cannot write %1 here: %2").arg(m.key, error));
            m_error->setVisible(true);
            return false;
        }
        if (change->removed == 0 && change->inserted.isEmpty())
            continue;
        text = applyTextChange(text, *change);
        changes.append(*change);
    }
    m_error->setVisible(false);
    if (!changes.isEmpty()) {
        QTextCursor cursor(m_editor->document());
        cursor.beginEditBlock();
        for (const TextChange &change : std::as_const(changes)) {
            cursor.setPosition(change.position);
            cursor.setPosition(change.position + change.removed, QTextCursor::KeepAnchor);
            cursor.insertText(change.inserted);
        }
        cursor.endEditBlock();
    }
    m_loaded = v;
    m_loaded.securityValue = securityJson(v);
    setDirty(false);
    emit applied();
    return true;
}

void GatewayForm::revert()
{
    setDirty(false);
    reload();
}

void GatewayForm::setDirty(bool dirty)
{
    m_dirty = dirty;
    m_apply->setEnabled(dirty);
    m_revert->setEnabled(dirty);
}

void GatewayForm::updateEnabled()
{
    const bool active = m_editor && m_parser && m_parser->api();
    for (QWidget *w : {static_cast<QWidget *>(m_endpoints), static_cast<QWidget *>(m_strategy),
                       static_cast<QWidget *>(m_security), static_cast<QWidget *>(m_scopes),
                       static_cast<QWidget *>(m_tier), static_cast<QWidget *>(m_disableSecurity),
                       static_cast<QWidget *>(m_requestPolicies),
                       static_cast<QWidget *>(m_responsePolicies)})
        w->setEnabled(active);
    m_basePath->setEnabled(active && m_method.isEmpty());
    m_schemes->setEnabled(active && m_security->currentData().toInt() == int(SecurityMode::Schemes));
}

} // namespace Gatehouse
