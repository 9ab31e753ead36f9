// ProtoServicesView: one tree row per service with its methods below; a delegate edits the option
// cells and hands the values to setOption(), which edits the text; the table itself is only ever
// rebuilt from what the live parser read back.
#include "protoservicesview.h"

#include "codeeditor.h"
#include "protoliveparser.h"

#include <QComboBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpression>
#include <QStyledItemDelegate>
#include <QTextCursor>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace Gatehouse {

namespace {

QStringList securityNames(const QStringList &kinds)
{
    QStringList names;
    for (const QString &kind : kinds)
        names << kind.toUpper();
    return names;
}

QStringList splitValues(const QString &text)
{
    static const QRegularExpression separators(QStringLiteral("[\\s,]+"));
    return text.split(separators, Qt::SkipEmptyParts);
}

class OptionDelegate : public QStyledItemDelegate
{
public:
    explicit OptionDelegate(ProtoServicesView *view) : QStyledItemDelegate(view), m_view(view) {}

    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &,
                          const QModelIndex &index) const override
    {
        const auto field = ProtoOptionField(ProtoServicesView::fieldOf(item(index), index.column()));
        if (int(field) == 0)
            return nullptr;
        if (field == ProtoOptionField::ServiceTier || field == ProtoOptionField::MethodTier) {
            auto *box = new QComboBox(parent);
            box->setEditable(true);
            box->addItem(QString());
            box->addItems(m_view->tiers());
            box->setToolTip(ProtoServicesView::tr("A tier of gatehouse.yaml; empty: none of its own"));
            return box;
        }
        auto *edit = new QLineEdit(parent);
        edit->setPlaceholderText(field == ProtoOptionField::ServiceSecurity
                                     ? ProtoServicesView::tr("JWT, OAUTH2, APIKEY, BASIC or NONE")
                                     : ProtoServicesView::tr("scopes, separated by spaces"));
        return edit;
    }

    void setEditorData(QWidget *editor, const QModelIndex &index) const override
    {
        const QStringList own = index.data(ProtoServicesView::OwnValuesRole).toStringList();
        if (auto *box = qobject_cast<QComboBox *>(editor))
            box->setCurrentText(own.value(0));
        else if (auto *edit = qobject_cast<QLineEdit *>(editor))
            edit->setText(own.join(index.column() == ProtoServicesView::SecurityColumn
                                       ? QStringLiteral(", ")
                                       : QStringLiteral(" ")));
    }

    // The model is not written: the text is, and the table follows once it is parsed again.
    void setModelData(QWidget *editor, QAbstractItemModel *, const QModelIndex &index) const override
    {
        QString text;
        if (auto *box = qobject_cast<QComboBox *>(editor))
            text = box->currentText();
        else if (auto *edit = qobject_cast<QLineEdit *>(editor))
            text = edit->text();
        const QStringList values = splitValues(text);
        if (values == index.data(ProtoServicesView::OwnValuesRole).toStringList())
            return;
        const auto field = ProtoOptionField(ProtoServicesView::fieldOf(item(index), index.column()));
        m_view->setOption(index.data(ProtoServicesView::ServiceRole).toString(),
                          index.data(ProtoServicesView::MethodRole).toString(), field, values);
    }

private:
    QTreeWidgetItem *item(const QModelIndex &index) const
    {
        return m_view->table()->itemFromIndex(index);
    }
    ProtoServicesView *m_view;
};

QString kindText(const GrpcMethod &method)
{
    if (method.clientStreaming && method.serverStreaming)
        return ProtoServicesView::tr("bidirectional streaming");
    if (method.serverStreaming)
        return ProtoServicesView::tr("server streaming");
    if (method.clientStreaming)
        return ProtoServicesView::tr("client streaming");
    return ProtoServicesView::tr("unary");
}

// A cell that shows the service's value: greyed and italic, with where it comes from.
void showInherited(QTreeWidgetItem *item, int column, const QString &text, const QString &toolTip)
{
    item->setText(column, text);
    item->setToolTip(column, toolTip);
    QFont font = item->font(column);
    font.setItalic(true);
    item->setFont(column, font);
    item->setForeground(column, item->treeWidget()->palette().brush(QPalette::Disabled, QPalette::Text));
}

} // namespace

ProtoServicesView::ProtoServicesView(QWidget *parent)
    : QWidget(parent), m_status(new QLabel), m_tree(new QTreeWidget)
{
    setObjectName(QStringLiteral("ProtoServicesView"));
    m_status->setWordWrap(true);
    m_status->hide();
    m_tree->setColumnCount(ColumnCount);
    m_tree->setHeaderLabels({tr("Service / method"), tr("Kind"), tr("Security"), tr("Scopes"),
                             tr("Tier")});
    m_tree->setItemDelegate(new OptionDelegate(this));
    m_tree->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed
                            | QAbstractItemView::SelectedClicked);
    m_tree->setAlternatingRowColors(true);
    m_tree->setUniformRowHeights(true);
    m_tree->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_tree->setToolTip(tr("Double-click Security, Scopes or Tier to change the option in the text"));
    // The name cell jumps to the declaration.
    connect(m_tree, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem *item, int column) {
        const int line = item->data(NameColumn, Qt::UserRole).toInt();
        if (m_editor && column == NameColumn && line > 0)
            m_editor->goToLine(line);
    });
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_status);
    layout->addWidget(m_tree);
    setEditor(nullptr);
}

void ProtoServicesView::setEditor(CodeEditor *editor)
{
    disconnect(m_parserConnection);
    m_editor = editor;
    m_parser = ProtoLiveParser::of(editor);
    if (m_parser)
        m_parserConnection = connect(m_parser, &ProtoLiveParser::updated, this, &ProtoServicesView::refresh);
    refresh();
}

void ProtoServicesView::setTiers(const QStringList &tiers)
{
    m_tiers = tiers;
}

int ProtoServicesView::fieldOf(const QTreeWidgetItem *item, int column)
{
    if (!item)
        return 0;
    const bool method = !item->data(NameColumn, MethodRole).toString().isEmpty();
    switch (column) {
    case SecurityColumn: return method ? 0 : int(ProtoOptionField::ServiceSecurity);
    case ScopesColumn: return method ? int(ProtoOptionField::MethodScopes) : 0;
    case TierColumn: return int(method ? ProtoOptionField::MethodTier : ProtoOptionField::ServiceTier);
    default: return 0;
    }
}

QTreeWidgetItem *ProtoServicesView::item(const QString &service, const QString &method) const
{
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i) {
        QTreeWidgetItem *top = m_tree->topLevelItem(i);
        if (top->data(NameColumn, ServiceRole).toString() != service)
            continue;
        if (method.isEmpty())
            return top;
        for (int m = 0; m < top->childCount(); ++m)
            if (top->child(m)->data(NameColumn, MethodRole).toString() == method)
                return top->child(m);
    }
    return nullptr;
}

QString ProtoServicesView::statusText() const
{
    return m_status->isHidden() ? QString() : m_status->text();
}

void ProtoServicesView::showStatus(const QString &text, bool error)
{
    m_status->setText(text);
    m_status->setVisible(!text.isEmpty());
    m_status->setStyleSheet(error ? QStringLiteral("color: #c62828;") : QString());
}

bool ProtoServicesView::setOption(const QString &service, const QString &method,
                                  ProtoOptionField field, const QStringList &values)
{
    if (!m_editor)
        return false;
    const auto replacements = protoOptionReplacements(m_editor->toPlainText(), {service, method},
                                                      field, values);
    if (!replacements) {
        showStatus(tr("Not written: %1").arg(replacements.error().message), true);
        return false;
    }
    QTextCursor cursor(m_editor->document());
    cursor.beginEditBlock();   // one undo step, however many places change
    for (auto it = replacements->crbegin(); it != replacements->crend(); ++it) {
        cursor.setPosition(int(it->position));
        cursor.setPosition(int(it->position + it->length), QTextCursor::KeepAnchor);
        cursor.insertText(it->text);
    }
    cursor.endEditBlock();
    showStatus(QString(), false);
    if (m_parser)
        m_parser->parseNow();
    return true;
}

void ProtoServicesView::refresh()
{
    QString current;
    if (QTreeWidgetItem *item = m_tree->currentItem())
        current = item->data(NameColumn, ServiceRole).toString() + u'/'
                  + item->data(NameColumn, MethodRole).toString();
    m_tree->clear();
    setEnabled(m_parser != nullptr);
    if (!m_parser) {
        showStatus(QString(), false);
        return;
    }
    if (m_parser->lastParseFailed()) {
        QString where;
        for (const Diagnostic &d : m_parser->diagnostics().items()) {
            if (d.severity == Severity::Error) {
                where = tr("line %1: %2").arg(d.location.line).arg(d.message);
                break;
            }
        }
        showStatus(m_parser->isStale()
                       ? tr("The text does not parse (%1). The table shows the last version that did.")
                             .arg(where)
                       : tr("The text does not parse (%1).").arg(where),
                   true);
    } else if (m_parser->hasParsed() && m_parser->services().isEmpty()) {
        showStatus(tr("This file declares no services."), false);
    } else {
        showStatus(QString(), false);
    }

    for (const GrpcService &service : m_parser->services()) {
        auto *top = new QTreeWidgetItem(m_tree);
        top->setText(NameColumn, service.fullName);
        top->setData(NameColumn, Qt::UserRole, service.location.line);
        QFont bold = top->font(NameColumn);
        bold.setBold(true);
        top->setFont(NameColumn, bold);
        const QStringList security = securityNames(service.security);
        if (security.isEmpty())
            showInherited(top, SecurityColumn, tr("project default"),
                          tr("No security option: the project's default security applies"));
        else
            top->setText(SecurityColumn, security.join(QStringLiteral(", ")));
        top->setText(TierColumn, service.throttlingTier);
        top->setData(SecurityColumn, OwnValuesRole, security);
        if (!service.throttlingTier.isEmpty())
            top->setData(TierColumn, OwnValuesRole, QStringList{service.throttlingTier});
        for (const GrpcMethod &method : service.methods) {
            auto *row = new QTreeWidgetItem(top);
            row->setText(NameColumn, method.name);
            row->setToolTip(NameColumn, method.path(service.fullName));
            row->setData(NameColumn, Qt::UserRole, method.location.line);
            row->setText(KindColumn, kindText(method));
            showInherited(row, SecurityColumn, top->text(SecurityColumn),
                          tr("Inherited from the service %1").arg(service.fullName));
            row->setText(ScopesColumn, method.scopes.join(u' '));
            row->setData(ScopesColumn, OwnValuesRole, method.scopes);
            if (!method.throttlingTier.isEmpty()) {
                row->setText(TierColumn, method.throttlingTier);
                row->setData(TierColumn, OwnValuesRole, QStringList{method.throttlingTier});
            } else if (!service.throttlingTier.isEmpty()) {
                showInherited(row, TierColumn, service.throttlingTier,
                              tr("Inherited from the service %1").arg(service.fullName));
            }
            for (int column = 0; column < ColumnCount; ++column) {
                row->setData(column, ServiceRole, service.fullName);
                row->setData(column, MethodRole, method.name);
            }
            row->setFlags(row->flags() | Qt::ItemIsEditable);
            if (current == service.fullName + u'/' + method.name)
                m_tree->setCurrentItem(row);
        }
        for (int column = 0; column < ColumnCount; ++column)
            top->setData(column, ServiceRole, service.fullName);
        top->setFlags(top->flags() | Qt::ItemIsEditable);
        top->setExpanded(true);
        if (current == service.fullName + u'/')
            m_tree->setCurrentItem(top);
    }
}

} // namespace Gatehouse
