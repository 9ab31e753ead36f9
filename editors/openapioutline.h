// OpenApiOutline: the operations of the API in the current editor (method badge, path, summary),
// live as the text changes; clicking one moves the editor's cursor to it.
#pragma once

#include <QPointer>
#include <QWidget>

class QLabel;
class QStandardItemModel;
class QTreeView;

namespace Gatehouse {

class CodeEditor;
class OpenApiLiveParser;

class OpenApiOutline : public QWidget
{
    Q_OBJECT
public:
    enum Role {
        MethodRole = Qt::UserRole + 1,   // "GET"
        PathRole,                        // "/pets/{petId}"
        SummaryRole,
        LineRole,                        // 1-based, in the editor's file
        ColumnRole,
    };

    explicit OpenApiOutline(QWidget *parent = nullptr);

    // Follows the editor's OpenApiLiveParser. An editor without one (not an API file), or nullptr,
    // shows a short hint instead of operations.
    void setEditor(CodeEditor *editor);
    CodeEditor *editor() const { return m_editor; }

    QTreeView *view() const { return m_view; }
    QStandardItemModel *model() const { return m_model; }
    QString headerText() const;

private:
    void rebuild();
    void followCursor();
    void activate(const QModelIndex &index);

    QPointer<CodeEditor> m_editor;
    QPointer<OpenApiLiveParser> m_parser;
    QList<QMetaObject::Connection> m_connections;
    QLabel *m_header;
    QLabel *m_hint;
    QTreeView *m_view;
    QStandardItemModel *m_model;
};

} // namespace Gatehouse
