// ProtoServicesView: the gRPC services and methods of the .proto file in the current editor as a
// table (streaming kind, security, scopes, throttling tier; what a method inherits from its service
// shown greyed), editable in place: an edit rewrites that option in the text as one undo step.
#pragma once

#include "protooptiontext.h"

#include <QPointer>
#include <QWidget>

class QLabel;
class QTreeWidget;
class QTreeWidgetItem;

namespace Gatehouse {

class CodeEditor;
class ProtoLiveParser;

class ProtoServicesView : public QWidget
{
    Q_OBJECT
public:
    enum Column { NameColumn, KindColumn, SecurityColumn, ScopesColumn, TierColumn, ColumnCount };

    explicit ProtoServicesView(QWidget *parent = nullptr);

    // Follows the editor's ProtoLiveParser; without one (not a .proto of the project) the table is
    // empty and disabled.
    void setEditor(CodeEditor *editor);
    CodeEditor *editor() const { return m_editor; }
    void setTiers(const QStringList &tiers);   // offered in the tier column's list
    QStringList tiers() const { return m_tiers; }

    // Writes one option into the text (one undo step). Returns false, with the reason shown above
    // the table, when the text cannot take it (an unknown scheme, unbalanced braces ...).
    bool setOption(const QString &service, const QString &method, ProtoOptionField field,
                   const QStringList &values);

    QTreeWidget *table() const { return m_tree; }
    QString statusText() const;   // the parse state or the last refusal shown above the table
    // The row of a service ("helloworld.Greeter") or of one of its methods; nullptr if not shown.
    QTreeWidgetItem *item(const QString &service, const QString &method = {}) const;

    // Roles of the cells' data: the service, the method ("" on a service row), and the values the
    // text itself sets in that column (empty when the cell shows an inherited value).
    static constexpr int ServiceRole = Qt::UserRole + 1;
    static constexpr int MethodRole = Qt::UserRole + 2;
    static constexpr int OwnValuesRole = Qt::UserRole + 3;

    // The field a cell edits, or nothing (0) when the cell is read-only.
    static int fieldOf(const QTreeWidgetItem *item, int column);

private:
    void refresh();
    void showStatus(const QString &text, bool error);

    QPointer<CodeEditor> m_editor;
    QPointer<ProtoLiveParser> m_parser;
    QMetaObject::Connection m_parserConnection;
    QStringList m_tiers;
    QLabel *m_status;
    QTreeWidget *m_tree;
};

} // namespace Gatehouse
