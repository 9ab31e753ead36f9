// Problems pane: the project's diagnostics as a list; activating one opens its file at its line.
#pragma once

#include "base/diagnostic.h"

#include <QTreeWidget>

namespace Gatehouse {

class ProblemsPane : public QTreeWidget
{
    Q_OBJECT
public:
    explicit ProblemsPane(QWidget *parent = nullptr);

    // rootDir turns the project-relative locations into absolute paths for openRequested().
    void setDiagnostics(const Diagnostics &diagnostics, const QString &rootDir);

signals:
    void openRequested(const QString &absolutePath, int line, int column);
};

} // namespace Gatehouse
