// The workbench main window: project explorer, editors, problems dock, status bar.
#include "mainwindow.h"

#include "codeeditor.h"

namespace Gatehouse {

MainWindow::MainWindow(QWidget *parent) : QMainWindow(parent)
{
    setWindowTitle(QStringLiteral("Gatehouse"));
    setCentralWidget(new CodeEditor(this));
    resize(1280, 800);
}

} // namespace Gatehouse
