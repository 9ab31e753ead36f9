// Language: the .qm files come from qt_add_translations (app/CMakeLists.txt) under :/i18n; English
// has one too, for its plural forms ("1 error", "2 errors").
#include "language.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QSettings>
#include <QTranslator>

namespace Gatehouse {

namespace {

const QString kLanguageKey = QStringLiteral("appearance/language");

} // namespace

QStringList availableLanguages()
{
    return {QStringLiteral("en"), QStringLiteral("de")};
}

QString savedLanguage()
{
    const QString value = QSettings().value(kLanguageKey).toString();
    return availableLanguages().contains(value) ? value : QString();
}

void saveLanguage(const QString &language)
{
    QSettings settings;
    if (availableLanguages().contains(language))
        settings.setValue(kLanguageKey, language);
    else
        settings.remove(kLanguageKey);
}

QString resolveLanguage(const QString &requested, QString *error)
{
    if (!requested.isEmpty()) {
        const QString code = requested.section(u'_', 0, 0).section(u'-', 0, 0).toLower();
        if (availableLanguages().contains(code))
            return code;
        if (error) {
            *error = QCoreApplication::translate("Gatehouse::Language",
                                                 "unknown language '%1' (known: %2)")
                         .arg(requested, availableLanguages().join(QStringLiteral(", ")));
        }
        return {};
    }
    if (const QString saved = savedLanguage(); !saved.isEmpty())
        return saved;
    for (const QString &ui : QLocale::system().uiLanguages()) {
        const QString code = ui.section(u'-', 0, 0).section(u'_', 0, 0).toLower();
        if (availableLanguages().contains(code))
            return code;
    }
    return QStringLiteral("en");
}

bool installTranslators(const QString &language)
{
    auto *qt = new QTranslator(QCoreApplication::instance());
    if (qt->load(QStringLiteral("qtbase_") + language, QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
    else
        delete qt;

    auto *own = new QTranslator(QCoreApplication::instance());
    if (!own->load(QStringLiteral(":/i18n/gatehouse_") + language)) {
        delete own;
        return false;
    }
    QCoreApplication::installTranslator(own);
    return true;
}

} // namespace Gatehouse
