// The workbench side of File ▸ Open MGW Project: where the import goes, the core importer
// (export/mgwimport.h, the same as `gatehoused import-wso2`), and what the user is told.
#pragma once

#include "export/mgwimport.h"

#include <QString>

#include <functional>

class QWidget;

namespace Gatehouse {

// Each step can be replaced (tests); empty members use dialogs.
struct MgwImportUi
{
    // The new project's folder for this MGW project, or empty to cancel (nothing is written).
    std::function<QString(const MgwLayout &layout, const QString &suggested)> chooseTarget;
    // What was carried over and what not, after a successful import.
    std::function<void(const MgwImportResult &result)> showReport;
    // The import was refused: the message and the diagnostics (file:line:col), one a line.
    std::function<void(const QString &message)> showError;
};

// A free folder next to the MGW project: <dir>-gatehouse, then -2, -3 ...
QString suggestedMgwImportTarget(const MgwLayout &layout);

// Returns the folder to open: the MGW folder itself when it already is a Gatehouse project
// (it has a gatehouse.yaml), the imported project's folder, or empty (not MGW, cancelled, refused).
QString importMgwProjectInteractively(QWidget *parent, const QString &dir, const MgwImportUi &ui = {});

} // namespace Gatehouse
