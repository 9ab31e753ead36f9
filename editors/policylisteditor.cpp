// PolicyListEditor: a QListWidget whose items carry their attachment as JSON, and an Add menu
// built from PolicyRegistry::builtin() with each policy's description as its tooltip.
#include "policylisteditor.h"

#include "policysettingsform.h"

#include "policies/registry/policyregistry.h"

#include <QHBoxLayout>
#include <QJsonDocument>
#include <QJsonObject>
#include <QListWidget>
#include <QMenu>
#include <QToolButton>
#include <QVBoxLayout>

namespace Gatehouse {

namespace {
constexpr int kAttachmentRole = Qt::UserRole + 1;

void describe(QListWidgetItem *item, const QJsonObject &attachment)
{
    const QString name = attachment.value(u"name").toString();
    const QJsonObject settings = attachment.value(u"settings").toObject();
    QString text = name;
    if (!settings.isEmpty()) {   // a glimpse of the settings, whole in the tooltip
        const QString compact
            = QString::fromUtf8(QJsonDocument(settings).toJson(QJsonDocument::Compact));
        text += QStringLiteral("  ") + (compact.size() > 40 ? compact.left(39) + u'…' : compact);
    }
    item->setText(text);
    item->setData(kAttachmentRole, attachment);
    item->setToolTip(QString::fromUtf8(QJsonDocument(attachment).toJson(QJsonDocument::Indented)));
}

QListWidgetItem *itemFor(const QJsonObject &attachment)
{
    auto *item = new QListWidgetItem;
    describe(item, attachment);
    return item;
}
} // namespace

PolicyListEditor::PolicyListEditor(Phase phase, QWidget *parent)
    : QWidget(parent), m_phase(phase), m_list(new QListWidget), m_add(new QToolButton),
      m_remove(new QToolButton), m_up(new QToolButton), m_down(new QToolButton),
      m_settings(new PolicySettingsForm)
{
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    auto *layout = new QHBoxLayout;
    outer->addLayout(layout);
    // The selected policy's settings, as a form from its schema.
    m_settings->hide();
    outer->addWidget(m_settings);
    m_list->setFixedHeight(m_list->fontMetrics().lineSpacing() * 3 + 12);
    layout->addWidget(m_list, 1);
    auto *buttons = new QVBoxLayout;
    buttons->setSpacing(2);
    m_add->setText(tr("+"));
    m_add->setToolTip(tr("Add a policy; new ones run last"));
    m_add->setPopupMode(QToolButton::InstantPopup);
    auto *menu = new QMenu(m_add);
    for (const QString &name : availablePolicies()) {
        QAction *action = menu->addAction(name, this, [this, name] { addPolicy(name); });
        if (const PolicyDescriptor *d = PolicyRegistry::builtin().find(name))
            action->setToolTip(d->description);
    }
    menu->setToolTipsVisible(true);
    m_add->setMenu(menu);
    m_remove->setText(tr("−"));
    m_remove->setToolTip(tr("Remove the selected policy"));
    m_up->setArrowType(Qt::UpArrow);
    m_up->setToolTip(tr("Run earlier"));
    m_down->setArrowType(Qt::DownArrow);
    m_down->setToolTip(tr("Run later"));
    for (QToolButton *b : {m_add, m_remove, m_up, m_down})
        buttons->addWidget(b);
    buttons->addStretch();
    layout->addLayout(buttons);
    connect(m_remove, &QToolButton::clicked, this, &PolicyListEditor::removeCurrent);
    connect(m_up, &QToolButton::clicked, this, [this] { moveCurrent(-1); });
    connect(m_down, &QToolButton::clicked, this, [this] { moveCurrent(1); });
    connect(m_list, &QListWidget::currentRowChanged, this, &PolicyListEditor::updateButtons);
    connect(m_list, &QListWidget::currentRowChanged, this, &PolicyListEditor::showSettings);
    connect(m_settings, &PolicySettingsForm::settingsChanged, this, [this](const QJsonObject &settings) {
        QListWidgetItem *item = m_list->currentItem();
        if (!item)
            return;
        QJsonObject attachment = item->data(kAttachmentRole).toJsonObject();
        if (settings.isEmpty())
            attachment.remove(QStringLiteral("settings"));
        else
            attachment.insert(QStringLiteral("settings"), settings);
        describe(item, attachment);
        emit changed();
    });
    updateButtons();
}

QStringList PolicyListEditor::availablePolicies() const
{
    QStringList out;
    for (const PolicyDescriptor &d : PolicyRegistry::builtin().policies()) {
        if (m_phase == Phase::Request ? d.requestPhase : d.responsePhase)
            out.append(d.name);
    }
    return out;
}

void PolicyListEditor::setPolicies(const QJsonArray &policies)
{
    const QSignalBlocker blocker(m_list);
    m_list->clear();
    for (const QJsonValue &p : policies)
        m_list->addItem(itemFor(p.toObject()));
    updateButtons();
    showSettings();
}

QJsonArray PolicyListEditor::policies() const
{
    QJsonArray out;
    for (int i = 0; i < m_list->count(); ++i)
        out.append(m_list->item(i)->data(kAttachmentRole).toJsonObject());
    return out;
}

void PolicyListEditor::addPolicy(const QString &name)
{
    // The settings take their defaults; the live check says what a policy still needs.
    m_list->addItem(itemFor(QJsonObject{{QStringLiteral("name"), name}}));
    m_list->setCurrentRow(m_list->count() - 1);
    emit changed();
}

void PolicyListEditor::removeCurrent()
{
    const int row = m_list->currentRow();
    if (row < 0)
        return;
    delete m_list->takeItem(row);
    updateButtons();
    emit changed();
}

void PolicyListEditor::moveCurrent(int by)
{
    const int row = m_list->currentRow();
    const int to = row + by;
    if (row < 0 || to < 0 || to >= m_list->count())
        return;
    m_list->insertItem(to, m_list->takeItem(row));
    m_list->setCurrentRow(to);
    emit changed();
}

void PolicyListEditor::showSettings()
{
    const QListWidgetItem *item = m_list->currentItem();
    m_settings->setVisible(item != nullptr);
    if (!item)
        return;
    const QJsonObject attachment = item->data(kAttachmentRole).toJsonObject();
    m_settings->setPolicy(attachment.value(u"name").toString(), attachment.value(u"settings").toObject());
}

void PolicyListEditor::updateButtons()
{
    const int row = m_list->currentRow();
    m_remove->setEnabled(row >= 0);
    m_up->setEnabled(row > 0);
    m_down->setEnabled(row >= 0 && row + 1 < m_list->count());
}

} // namespace Gatehouse
