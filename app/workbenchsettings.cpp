// WorkbenchSettings: one QSettings group per area; out-of-range values fall back to the defaults.
#include "workbenchsettings.h"

#include "language.h"

#include <QSettings>

namespace Gatehouse {

namespace {

int bounded(const QSettings &settings, const QString &key, int low, int high)
{
    const int value = settings.value(key, 0).toInt();
    return value >= low && value <= high ? value : 0;
}

} // namespace

WorkbenchSettings WorkbenchSettings::load()
{
    const QSettings settings;
    WorkbenchSettings out;
    out.theme = savedTheme();
    out.language = savedLanguage();
    out.editorFontPointSize = bounded(settings, QStringLiteral("editor/fontPointSize"), 6, 48);
    out.indentWidth = bounded(settings, QStringLiteral("editor/indentWidth"), 1, 8);
    out.httpPort = quint16(bounded(settings, QStringLiteral("gateway/httpPort"), 1, 65535));
    out.httpsPort = quint16(bounded(settings, QStringLiteral("gateway/httpsPort"), 1, 65535));
    out.adminPort = quint16(bounded(settings, QStringLiteral("gateway/adminPort"), 1, 65535));
    out.workers = bounded(settings, QStringLiteral("gateway/workers"), 1, 256);
    out.autoReloadOnSave = settings.value(QStringLiteral("gateway/autoReloadOnSave"), true).toBool();
    return out;
}

void WorkbenchSettings::save() const
{
    saveTheme(theme);
    saveLanguage(language);
    QSettings settings;
    settings.setValue(QStringLiteral("editor/fontPointSize"), editorFontPointSize);
    settings.setValue(QStringLiteral("editor/indentWidth"), indentWidth);
    settings.setValue(QStringLiteral("gateway/httpPort"), httpPort);
    settings.setValue(QStringLiteral("gateway/httpsPort"), httpsPort);
    settings.setValue(QStringLiteral("gateway/adminPort"), adminPort);
    settings.setValue(QStringLiteral("gateway/workers"), workers);
    settings.setValue(QStringLiteral("gateway/autoReloadOnSave"), autoReloadOnSave);
}

} // namespace Gatehouse
