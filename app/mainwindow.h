// The workbench main window: project explorer, editors, problems dock, status bar.
#pragma once

#include <QMainWindow>

namespace Gatehouse {

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
};

} // namespace Gatehouse
