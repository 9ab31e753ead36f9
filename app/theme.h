// Light and dark palettes for the workbench: View ▸ Theme ▸ System / Light / Dark, kept in QSettings.
#pragma once

#include <QString>

class QMenu;
class QPalette;
class QWidget;

namespace Gatehouse {

enum class Theme { System = 1, Light, Dark };

Theme savedTheme();             // QSettings "ui/theme"; System when unset
void applyTheme(Theme theme);   // application-wide style and palette; does not save
void saveTheme(Theme theme);    // saves; does not apply
void setTheme(Theme theme);     // applies and saves
Theme currentTheme();

// Light and Dark use the Fusion style so that every widget follows the palette; System restores
// the style and palette the application started with.
QPalette darkPalette();

// The View ▸ Theme submenu: three exclusive, checkable choices bound to setTheme().
QMenu *createThemeMenu(QWidget *parent);

} // namespace Gatehouse
