// Problems pane: the project's diagnostics as a list; activating one opens its file at its line.
#include "problemspane.h"

#include <QDir>
#include <QHeaderView>
#include <QScrollBar>
#include <QStyle>

namespace Gatehouse {

namespace {
constexpr int kFileRole = Qt::UserRole + 1;
constexpr int kLineRole = Qt::UserRole + 2;
constexpr int kColumnRole = Qt::UserRole + 3;
} // namespace

ProblemsPane::ProblemsPane(QWidget *parent) : QTreeWidget(parent)
{
    setColumnCount(2);
    setHeaderLabels({tr("Problem"), tr("Location")});
    setRootIsDecorated(false);
    setUniformRowHeights(true);
    setAlternatingRowColors(true);
    header()->setStretchLastSection(false);
    header()->setSectionResizeMode(0, QHeaderView::Stretch);
    header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    connect(this, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem *item) {
        const QString file = item->data(0, kFileRole).toString();
        if (!file.isEmpty())
            emit openRequested(file, item->data(0, kLineRole).toInt(), item->data(0, kColumnRole).toInt());
    });
}

void ProblemsPane::setDiagnostics(const Diagnostics &diagnostics, const QString &rootDir)
{
    // Refreshed as the user types: keep the problem they selected and where they scrolled to.
    const QString selected = currentItem() ? currentItem()->toolTip(0) : QString();
    const int scroll = verticalScrollBar()->value();
    clear();
    for (const Diagnostic &d : diagnostics.items()) {
        auto *item = new QTreeWidgetItem(this);
        const QStyle::StandardPixmap icon = d.severity == Severity::Error     ? QStyle::SP_MessageBoxCritical
                                            : d.severity == Severity::Warning ? QStyle::SP_MessageBoxWarning
                                                                              : QStyle::SP_MessageBoxInformation;
        item->setIcon(0, style()->standardIcon(icon));
        item->setText(0, d.message);
        item->setToolTip(0, d.toString());
        item->setText(1, d.location.toString());
        if (d.location.isValid()) {
            const QString path = QDir::isAbsolutePath(d.location.file) ? d.location.file
                                                                       : rootDir + u'/' + d.location.file;
            item->setData(0, kFileRole, path);
            item->setData(0, kLineRole, d.location.line);
            item->setData(0, kColumnRole, d.location.column);
        }
        if (!selected.isEmpty() && item->toolTip(0) == selected)
            setCurrentItem(item);
    }
    verticalScrollBar()->setValue(scroll);
}

} // namespace Gatehouse
