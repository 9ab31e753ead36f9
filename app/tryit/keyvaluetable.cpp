// KeyValueTable: name/value rows with add/remove and completion, used for headers and query parameters.
#include "keyvaluetable.h"

#include <algorithm>
#include <functional>

#include <QAction>
#include <QCompleter>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QStyledItemDelegate>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace Gatehouse {

namespace {

// An editor with a completer: names from the table's list, values from the list for the row's name.
class CompletingDelegate : public QStyledItemDelegate
{
public:
    explicit CompletingDelegate(KeyValueTable *table) : QStyledItemDelegate(table), m_table(table)
    {}

    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &,
                          const QModelIndex &index) const override
    {
        auto *edit = new QLineEdit(parent);
        edit->setFrame(false);
        const QStringList words
            = index.column() == 0
                  ? m_table->nameCompletions()
                  : m_table->valueCompletions(index.siblingAtColumn(0).data().toString());
        if (!words.isEmpty()) {
            auto *completer = new QCompleter(words, edit);
            completer->setCaseSensitivity(Qt::CaseInsensitive);
            completer->setFilterMode(Qt::MatchContains);
            edit->setCompleter(completer);
        }
        return edit;
    }

private:
    KeyValueTable *m_table;
};

} // namespace

KeyValueTable::KeyValueTable(const QString &nameTitle, const QString &valueTitle, QWidget *parent)
    : QWidget(parent)
    , m_table(new QTableWidget(0, 2))
    , m_add(new QToolButton)
    , m_remove(new QToolButton)
{
    m_table->setHorizontalHeaderLabels({nameTitle, valueTitle});
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Interactive);
    m_table->setColumnWidth(0, 160);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::AllEditTriggers);
    m_table->setItemDelegate(new CompletingDelegate(this));

    m_add->setText(tr("Add"));
    m_add->setToolTip(tr("Add a row"));
    m_remove->setText(tr("Remove"));
    m_remove->setToolTip(tr("Remove the selected rows (Delete)"));
    m_remove->setEnabled(false);
    connect(m_add, &QToolButton::clicked, this, [this] {
        addRow();
        m_table->setCurrentCell(m_table->rowCount() - 1, 0);
        m_table->editItem(m_table->item(m_table->rowCount() - 1, 0));
    });
    connect(m_remove, &QToolButton::clicked, this, &KeyValueTable::removeSelectedRows);
    connect(m_table, &QTableWidget::itemSelectionChanged, this,
            [this] { m_remove->setEnabled(!m_table->selectedItems().isEmpty()); });
    connect(m_table, &QTableWidget::itemChanged, this, [this] {
        if (!m_updating)
            emit edited();
    });
    auto *deleteAction = new QAction(this);
    deleteAction->setShortcut(QKeySequence::Delete);
    deleteAction->setShortcutContext(Qt::WidgetShortcut);
    connect(deleteAction, &QAction::triggered, this, &KeyValueTable::removeSelectedRows);
    m_table->addAction(deleteAction);

    auto *buttons = new QHBoxLayout;
    buttons->setContentsMargins(0, 0, 0, 0);
    buttons->addWidget(m_add);
    buttons->addWidget(m_remove);
    buttons->addStretch();
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_table);
    layout->addLayout(buttons);
}

void KeyValueTable::setItems(const NameValueList &items)
{
    if (items == this->items())
        return;   // keeps the user's empty rows and cursor while the other side echoes back
    m_updating = true;
    m_table->setRowCount(0);
    for (const NameValue &item : items)
        addRow(item.name, item.value);
    m_updating = false;
}

NameValueList KeyValueTable::items() const
{
    NameValueList list;
    for (int r = 0; r < m_table->rowCount(); ++r) {
        const QTableWidgetItem *name = m_table->item(r, 0);
        const QTableWidgetItem *value = m_table->item(r, 1);
        if (name && !name->text().trimmed().isEmpty())
            list.append({name->text().trimmed(), value ? value->text() : QString()});
    }
    return list;
}

void KeyValueTable::setNameCompletions(const QStringList &names)
{
    m_names = names;
}

void KeyValueTable::setValueCompletions(const QHash<QString, QStringList> &valuesByLowerName)
{
    m_values = valuesByLowerName;
}

QStringList KeyValueTable::valueCompletions(const QString &name) const
{
    return m_values.value(name.trimmed().toLower());
}

void KeyValueTable::addRow(const QString &name, const QString &value)
{
    const bool wasUpdating = m_updating;
    m_updating = true;
    const int row = m_table->rowCount();
    m_table->insertRow(row);
    m_table->setItem(row, 0, new QTableWidgetItem(name));
    m_table->setItem(row, 1, new QTableWidgetItem(value));
    m_updating = wasUpdating;
}

void KeyValueTable::removeSelectedRows()
{
    QList<int> rows;
    for (const QModelIndex &index : m_table->selectionModel()->selectedRows())
        rows.append(index.row());
    if (rows.isEmpty() && m_table->currentRow() >= 0)
        rows.append(m_table->currentRow());
    std::sort(rows.begin(), rows.end(), std::greater<>());
    for (int row : rows)
        m_table->removeRow(row);
    if (!rows.isEmpty())
        emit edited();
}

QStringList commonRequestHeaders()
{
    return {QStringLiteral("Accept"),           QStringLiteral("Accept-Encoding"),
            QStringLiteral("Accept-Language"),  QStringLiteral("Authorization"),
            QStringLiteral("Cache-Control"),    QStringLiteral("Content-Type"),
            QStringLiteral("Cookie"),           QStringLiteral("If-Match"),
            QStringLiteral("If-None-Match"),    QStringLiteral("Origin"),
            QStringLiteral("Prefer"),           QStringLiteral("traceparent"),
            QStringLiteral("User-Agent"),       QStringLiteral("X-API-Key"),
            QStringLiteral("X-Correlation-ID"), QStringLiteral("X-Forwarded-For"),
            QStringLiteral("X-Request-ID")};
}

QHash<QString, QStringList> commonHeaderValues()
{
    const QStringList types = {QStringLiteral("application/json"),
                               QStringLiteral("application/xml"),
                               QStringLiteral("application/x-www-form-urlencoded"),
                               QStringLiteral("multipart/form-data"),
                               QStringLiteral("text/plain"),
                               QStringLiteral("application/grpc"),
                               QStringLiteral("*/*")};
    return {
        {QStringLiteral("accept"), types},
        {QStringLiteral("content-type"), types},
        {QStringLiteral("accept-encoding"), {QStringLiteral("gzip"), QStringLiteral("identity")}},
        {QStringLiteral("authorization"), {QStringLiteral("Bearer "), QStringLiteral("Basic ")}},
        {QStringLiteral("cache-control"), {QStringLiteral("no-cache"), QStringLiteral("no-store")}},
        {QStringLiteral("prefer"),
         {QStringLiteral("return=minimal"), QStringLiteral("return=representation")}},
    };
}

} // namespace Gatehouse
