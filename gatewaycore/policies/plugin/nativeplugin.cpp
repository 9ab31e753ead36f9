// Loading a native interceptor library: symbols, ABI version, declaration and settings schema.
#include "nativeplugin.h"

#include <gatehouse/interceptor.h>

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLibrary>

#include <exception>

Q_LOGGING_CATEGORY(lcNative, "gatehouse.native")

namespace Gatehouse {

namespace {

using AbiVersionFn = std::uint32_t (*)();
using PluginFn = const gatehouse::InterceptorPlugin *(*)();

Error refuse(const QString &file, const QString &reason)
{
    return Error::config(QStringLiteral("%1: refused: %2").arg(file, reason));
}

// Calls a plugin entry point; a C++ exception out of it is a refusal, not a crash.
template<typename Fn>
bool callEntry(Fn fn, decltype(fn()) *out, QString *error)
{
    try {
        *out = fn();
        return true;
    } catch (const std::exception &e) {
        *error = QStringLiteral("its entry point threw: %1").arg(QString::fromUtf8(e.what()));
    } catch (...) {
        *error = QStringLiteral("its entry point threw an exception");
    }
    return false;
}

Result<std::shared_ptr<const NativePlugin>> inspect(QLibrary &library, const QString &file)
{
    const auto abiVersion = reinterpret_cast<AbiVersionFn>(library.resolve("gatehouse_interceptor_abi_version"));
    if (!abiVersion)
        return refuse(file, QStringLiteral("it exports no gatehouse_interceptor_abi_version() (not built with "
                                           "GATEHOUSE_INTERCEPTOR_PLUGIN from gatehouse/interceptor.h)"));
    std::uint32_t abi = 0;
    QString error;
    if (!callEntry(abiVersion, &abi, &error))
        return refuse(file, error);
    if (abi != gatehouse::kInterceptorAbiVersion)
        return refuse(file, QStringLiteral("it was built for interceptor ABI version %1, this gatehoused speaks "
                                           "version %2: rebuild it against this release's gatehouse/interceptor.h")
                                .arg(abi)
                                .arg(gatehouse::kInterceptorAbiVersion));
    const auto pluginFn = reinterpret_cast<PluginFn>(library.resolve("gatehouse_interceptor_plugin"));
    if (!pluginFn)
        return refuse(file, QStringLiteral("it exports no gatehouse_interceptor_plugin()"));
    const gatehouse::InterceptorPlugin *plugin = nullptr;
    if (!callEntry(pluginFn, &plugin, &error))
        return refuse(file, error);
    if (!plugin || !plugin->create || !plugin->name || !*plugin->name)
        return refuse(file, QStringLiteral("its declaration has no name or no create function"));
    const std::uint32_t known = gatehouse::kHookRequest | gatehouse::kHookRequestBody | gatehouse::kHookResponse;
    if (plugin->hooks == 0 || (plugin->hooks & ~known) != 0)
        return refuse(file, QStringLiteral("it declares hooks 0x%1 (known: request 1, request body 2, response 4)")
                                .arg(plugin->hooks, 0, 16));
    if ((plugin->hooks & gatehouse::kHookRequestBody) && plugin->maxRequestBodyBytes <= 0)
        return refuse(file, QStringLiteral("it reads request bodies but declares no maxRequestBodyBytes"));

    auto out = std::make_shared<NativePlugin>();
    out->file = file;
    out->plugin = plugin;
    const QByteArray schemaText = plugin->settingsSchema ? QByteArray(plugin->settingsSchema) : QByteArray();
    if (!schemaText.trimmed().isEmpty()) {
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(schemaText, &parseError);
        if (!doc.isObject())
            return refuse(file, QStringLiteral("its settings schema is not a JSON object (%1 at offset %2)")
                                    .arg(parseError.errorString())
                                    .arg(parseError.offset));
        Result<JsonSchema> compiled = JsonSchema::compile(doc.object());
        if (!compiled)
            return refuse(file, QStringLiteral("its settings schema is invalid: %1").arg(compiled.error().message));
        out->settingsSchema = doc.object();
        out->compiledSchema = std::move(compiled.value());
    }
    return std::shared_ptr<const NativePlugin>(std::move(out));
}

// "/header/0/name" -> "settings.header[0].name"
QString fieldPath(const QString &pointer)
{
    QString path = QStringLiteral("settings");
    const QStringList parts = pointer.split(u'/', Qt::SkipEmptyParts);
    for (QString part : parts) {
        part.replace(QStringLiteral("~1"), QStringLiteral("/")).replace(QStringLiteral("~0"), QStringLiteral("~"));
        bool isIndex = false;
        part.toUInt(&isIndex);
        path += isIndex ? u'[' + part + u']' : u'.' + part;
    }
    return path;
}

} // namespace

Result<std::shared_ptr<const NativePlugin>> loadNativePlugin(const QString &projectDir, const QString &relativeFile)
{
    const QString file = QStringLiteral("policies/") + relativeFile;
    const QFileInfo info(QDir(projectDir).filePath(file));
    if (!info.isFile())
        return refuse(file, QStringLiteral("no such file"));
    QLibrary library(info.absoluteFilePath());
    // Every undefined symbol resolved now: a library that needs one it cannot find is refused here,
    // not when a request first reaches the code that uses it.
    library.setLoadHints(QLibrary::ResolveAllSymbolsHint);
    if (!library.load())
        return refuse(file, QStringLiteral("it cannot be loaded: %1").arg(library.errorString()));
    Result<std::shared_ptr<const NativePlugin>> result = inspect(library, file);
    if (!result)
        library.unload();   // never kept half-way (QLibrary counts loads: an accepted copy stays)
    return result;
}

QJsonObject validateNativeSettings(const NativePlugin &plugin, const QJsonObject &settings, QStringList &problems)
{
    return validateSchemaSettings(plugin.settingsSchema, plugin.compiledSchema, settings, problems);
}

QJsonObject validateSchemaSettings(const QJsonObject &schemaJson, const JsonSchema &compiled,
                                   const QJsonObject &settings, QStringList &problems)
{
    QJsonObject out = settings;
    if (schemaJson.isEmpty())
        return out;
    QList<SchemaProblem> found;
    if (!compiled.validate(settings, &found)) {
        for (const SchemaProblem &p : std::as_const(found))
            problems.append(QStringLiteral("%1: %2").arg(fieldPath(p.pointer), p.message));
        return out;
    }
    const QJsonObject properties = schemaJson.value(u"properties").toObject();
    for (auto it = properties.begin(); it != properties.end(); ++it) {
        const QJsonValue defaultValue = it.value().toObject().value(u"default");
        if (!out.contains(it.key()) && !defaultValue.isUndefined())
            out.insert(it.key(), defaultValue);
    }
    return out;
}

} // namespace Gatehouse
