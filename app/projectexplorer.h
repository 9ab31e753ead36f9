// Project explorer: a tree of the loaded project (APIs and operations, gRPC services and methods,
// policies, keys, settings). Emits the file and line to open when an item is activated.
#pragma once

#include "project/project.h"

#include <QTreeView>

class QStandardItemModel;
class QStandardItem;

namespace Gatehouse {

class ProjectExplorer : public QTreeView
{
    Q_OBJECT
public:
    explicit ProjectExplorer(QWidget *parent = nullptr);

    // Rebuilds the tree; keeps expanded branches expanded across reloads.
    void setProject(const Project &project);

signals:
    void openRequested(const QString &absolutePath, int line, int column);
    // The current item became a REST operation (click or keyboard): the API file relative to the
    // project, the method ("GET"), the path as written ("/pets/{petId}") and the full gateway path
    // with the API's base path ("/petstore/v1/pets/{petId}").
    void operationSelected(const QString &apiFile, const QString &method, const QString &pathTemplate,
                           const QString &fullPath);

private:
    QStandardItem *addItem(QStandardItem *parent, const QString &text, const QString &file = {},
                           int line = 0, int column = 0, const QString &toolTip = {});
    QStandardItemModel *m_model;
    QString m_rootDir;
};

} // namespace Gatehouse
