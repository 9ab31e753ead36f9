// KeyValueTable: an editable two-column table of name/value rows (headers, query parameters) with
// add/remove buttons and completion of names and values.
#pragma once

#include "tryitmodel.h"

#include <QHash>
#include <QWidget>

class QTableWidget;
class QToolButton;

namespace Gatehouse {

class KeyValueTable : public QWidget
{
    Q_OBJECT
public:
    explicit KeyValueTable(const QString &nameTitle, const QString &valueTitle,
                           QWidget *parent = nullptr);

    // Replaces the rows without emitting edited().
    void setItems(const NameValueList &items);
    NameValueList items() const;   // rows with a name, in order

    // Completion: names offered in the name column, and values offered for some names.
    void setNameCompletions(const QStringList &names);
    void setValueCompletions(const QHash<QString, QStringList> &valuesByLowerName);
    QStringList nameCompletions() const { return m_names; }
    QStringList valueCompletions(const QString &name) const;

    void addRow(const QString &name = {}, const QString &value = {});
    void removeSelectedRows();
    QTableWidget *table() const { return m_table; }

signals:
    void edited();   // the user changed, added or removed a row

private:
    QTableWidget *m_table;
    QToolButton *m_add;
    QToolButton *m_remove;
    QStringList m_names;
    QHash<QString, QStringList> m_values;
    bool m_updating = false;
};

// Common request headers and their usual values, for the headers table's completion.
QStringList commonRequestHeaders();
QHash<QString, QStringList> commonHeaderValues();

} // namespace Gatehouse
