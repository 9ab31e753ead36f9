// Language: which translation the workbench shows (System / English / Deutsch), where that choice
// is kept (QSettings "appearance/language"), and installing the translators at start-up.
#pragma once

#include <QString>
#include <QStringList>

class QTranslator;

namespace Gatehouse {

// Language codes the workbench ships a translation for ("en", "de"); "" means the system's.
QStringList availableLanguages();

// The saved choice: "" (follow the system) or one of availableLanguages(); anything else reads "".
QString savedLanguage();
void saveLanguage(const QString &language);

// The language to show: `requested` when it is non-empty (--lang), else the saved choice, else the
// first of the system's UI languages (QLocale::system(), which honours LANGUAGE) we have, else "en".
// Returns an empty string and sets *error for an unknown non-empty `requested`.
QString resolveLanguage(const QString &requested, QString *error = nullptr);

// Installs the workbench's translator for `language` (from the embedded :/i18n/gatehouse_*.qm)
// and Qt's own qtbase_<language>.qm from QLibraryInfo::TranslationsPath when it is there.
// The translators are children of the application object. Returns false when the workbench's
// own .qm could not be loaded.
bool installTranslators(const QString &language);

} // namespace Gatehouse
