// WorkbenchSettings: the user's preferences for the workbench (appearance, editor, embedded
// gateway), read from and written to QSettings (organisation Gatehouse).
#pragma once

#include "theme.h"

#include <QString>
#include <QtGlobal>

namespace Gatehouse {

struct WorkbenchSettings
{
    Theme theme = Theme::System;
    QString language;   // "" = the system's; else "en" or "de" (language.h), applied after a restart
    int editorFontPointSize = 0;   // 0 = the system's fixed-width font size
    int indentWidth = 0;           // spaces per level; 0 = by file type (YAML 2, others 4)
    // The embedded gateway's listeners and workers; 0 = what the project's gatehouse.yaml says.
    quint16 httpPort = 0;
    quint16 httpsPort = 0;
    quint16 adminPort = 0;
    int workers = 0;
    bool autoReloadOnSave = true;   // a valid save goes live in a running gateway at once

    static WorkbenchSettings load();
    void save() const;
    friend bool operator==(const WorkbenchSettings &, const WorkbenchSettings &) = default;
};

} // namespace Gatehouse
