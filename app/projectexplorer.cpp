// Project explorer: a tree of the loaded project with jump-to-source on activation.
#include "projectexplorer.h"

#include <QDir>
#include <QDirIterator>
#include <QHeaderView>
#include <QSet>
#include <QStandardItemModel>

namespace Gatehouse {

namespace {
constexpr int kFileRole = Qt::UserRole + 1;
constexpr int kLineRole = Qt::UserRole + 2;
constexpr int kColumnRole = Qt::UserRole + 3;
// Operation items only: what operationSelected() carries.
constexpr int kApiFileRole = Qt::UserRole + 4;
constexpr int kMethodRole = Qt::UserRole + 5;
constexpr int kPathTemplateRole = Qt::UserRole + 6;
constexpr int kFullPathRole = Qt::UserRole + 7;

QString itemKey(const QModelIndex &index)
{
    QStringList parts;
    for (QModelIndex i = index; i.isValid(); i = i.parent())
        parts.prepend(i.data(Qt::DisplayRole).toString());
    return parts.join(u'\x1f');
}
} // namespace

ProjectExplorer::ProjectExplorer(QWidget *parent)
    : QTreeView(parent), m_model(new QStandardItemModel(this))
{
    setModel(m_model);
    setHeaderHidden(true);
    setUniformRowHeights(true);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    connect(this, &QTreeView::activated, this, [this](const QModelIndex &index) {
        const QString file = index.data(kFileRole).toString();
        if (!file.isEmpty())
            emit openRequested(file, index.data(kLineRole).toInt(), index.data(kColumnRole).toInt());
    });
    connect(selectionModel(), &QItemSelectionModel::currentChanged, this, [this](const QModelIndex &index) {
        const QString method = index.data(kMethodRole).toString();
        if (!method.isEmpty())
            emit operationSelected(index.data(kApiFileRole).toString(), method,
                                   index.data(kPathTemplateRole).toString(), index.data(kFullPathRole).toString());
    });
}

QStandardItem *ProjectExplorer::addItem(QStandardItem *parent, const QString &text, const QString &file,
                                        int line, int column, const QString &toolTip)
{
    auto *item = new QStandardItem(text);
    if (!file.isEmpty()) {
        item->setData(QDir::isAbsolutePath(file) ? file : m_rootDir + u'/' + file, kFileRole);
        item->setData(line, kLineRole);
        item->setData(column, kColumnRole);
    }
    item->setToolTip(toolTip.isEmpty() ? file : toolTip);
    parent->appendRow(item);
    return item;
}

void ProjectExplorer::setProject(const Project &project)
{
    QSet<QString> expanded;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        QList<QModelIndex> stack{m_model->index(row, 0)};
        while (!stack.isEmpty()) {
            const QModelIndex i = stack.takeLast();
            if (isExpanded(i))
                expanded.insert(itemKey(i));
            for (int r = 0; r < m_model->rowCount(i); ++r)
                stack.append(m_model->index(r, 0, i));
        }
    }

    m_model->clear();
    m_rootDir = project.rootDir;
    QStandardItem *root = m_model->invisibleRootItem();

    if (!project.rootDir.isEmpty()) {
        addItem(root, tr("Settings (gatehouse.yaml)"),
                project.settings.file.isEmpty() ? QString() : project.settings.file, 1, 1,
                project.settings.file.isEmpty() ? tr("No gatehouse.yaml: defaults apply") : QString());
    }

    QStandardItem *apis = addItem(root, tr("APIs (%1)").arg(project.apis.size()));
    for (const ApiSpec &api : project.apis) {
        QStandardItem *apiItem = addItem(apis, QStringLiteral("%1 %2  %3").arg(api.title, api.apiVersion, api.basePath),
                                         api.file, api.location.line, api.location.column);
        for (const Operation &op : api.operations) {
            QString text = op.method + u' ' + op.pathTemplate;
            if (!op.summary.isEmpty())
                text += QStringLiteral("  — ") + op.summary;
            QStandardItem *opItem = addItem(apiItem, text, api.file, op.location.line, op.location.column,
                                            op.operationId.isEmpty() ? op.pathTemplate : op.operationId);
            opItem->setData(api.file, kApiFileRole);
            opItem->setData(op.method, kMethodRole);
            opItem->setData(op.pathTemplate, kPathTemplateRole);
            opItem->setData(api.basePath == QStringLiteral("/") ? op.pathTemplate : api.basePath + op.pathTemplate,
                            kFullPathRole);
        }
    }

    QStandardItem *grpc = addItem(root, tr("gRPC services (%1)").arg(project.protos.services.size()));
    for (const GrpcService &service : project.protos.services) {
        QStandardItem *svc = addItem(grpc, service.fullName, service.file, service.location.line,
                                     service.location.column);
        for (const GrpcMethod &m : service.methods) {
            QString kind = m.clientStreaming && m.serverStreaming ? tr("bidi")
                           : m.clientStreaming                    ? tr("client stream")
                           : m.serverStreaming                    ? tr("server stream")
                                                                  : tr("unary");
            addItem(svc, QStringLiteral("%1  (%2)").arg(m.name, kind), service.file, m.location.line,
                    m.location.column, m.path(service.fullName));
        }
    }

    for (const auto &[folder, label] : {std::pair{QStringLiteral("policies"), tr("Policies")},
                                        std::pair{QStringLiteral("keys"), tr("Keys")}}) {
        QStandardItem *group = addItem(root, label);
        if (project.rootDir.isEmpty())
            continue;
        QDirIterator it(project.rootDir + u'/' + folder, QDir::Files, QDirIterator::Subdirectories);
        QStringList files;
        while (it.hasNext())
            files.append(QDir(project.rootDir).relativeFilePath(it.next()));
        files.sort();
        for (const QString &f : files)
            addItem(group, f.section(u'/', 1), f);
    }

    QList<QModelIndex> stack;
    for (int row = 0; row < m_model->rowCount(); ++row)
        stack.append(m_model->index(row, 0));
    while (!stack.isEmpty()) {
        const QModelIndex i = stack.takeLast();
        if (expanded.contains(itemKey(i)) || (expanded.isEmpty() && !i.parent().isValid()))
            expand(i);
        for (int r = 0; r < m_model->rowCount(i); ++r)
            stack.append(m_model->index(r, 0, i));
    }
}

} // namespace Gatehouse
