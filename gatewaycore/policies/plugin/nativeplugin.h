// A native interceptor library, loaded and checked: the library stays loaded for the process's
// life once accepted; a library that is refused is unloaded again before anything of it is used.
#pragma once

#include "base/result.h"
#include "policies/validate/jsonschema.h"

#include <QJsonObject>
#include <QLoggingCategory>
#include <QString>

#include <memory>

namespace gatehouse {
struct InterceptorPlugin;
}

Q_DECLARE_LOGGING_CATEGORY(lcNative)

namespace Gatehouse {

struct NativePlugin
{
    QString file;                                  // "policies/addheader.so", for messages
    const gatehouse::InterceptorPlugin *plugin = nullptr;   // static in the library
    QJsonObject settingsSchema;                    // as the plugin declares it ({} = any)
    JsonSchema compiledSchema;
};

// Loads `projectDir`/`relativeFile` with every symbol resolved, checks the ABI version and the
// plugin's declaration. The error is a sentence naming the file and the reason.
Result<std::shared_ptr<const NativePlugin>> loadNativePlugin(const QString &projectDir, const QString &relativeFile);

// Checks `settings` against a JSON Schema (`schemaJson` compiled as `compiled`); problems as
// "settings.<path>: <sentence>". Returns the settings with the schema's top-level defaults filled in.
QJsonObject validateSchemaSettings(const QJsonObject &schemaJson, const JsonSchema &compiled,
                                   const QJsonObject &settings, QStringList &problems);

// Checks `settings` against the plugin's schema; problems as "settings.<path>: <sentence>".
// Returns the settings with the schema's top-level defaults filled in.
QJsonObject validateNativeSettings(const NativePlugin &plugin, const QJsonObject &settings, QStringList &problems);

} // namespace Gatehouse
