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

signals:
    // The operation under the editor's cursor (or clicked); an empty method when the cursor is
    // outside every operation, where the whole API is meant.
    void currentOperationChanged(const QString &method, const QString &pathTemplate);

private:
    void rebuild();
    void followCursor();
    void activate(const QModelIndex &index);
    void setCurrent(const QString &method, const QString &pathTemplate);

    QPointer<CodeEditor> m_editor;
    QPointer<OpenApiLiveParser> m_parser;
    QList<QMetaObject::Connection> m_connections;
    QLabel *m_header;
    QLabel *m_hint;
    QTreeView *m_view;
    QStandardItemModel *m_model;
    QString m_currentMethod;
    QString m_currentPath;
};

} // namespace Gatehouse
