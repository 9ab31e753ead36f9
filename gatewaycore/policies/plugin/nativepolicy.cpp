// The native interceptor policy: settings, loading, the plugin's own settings check, instances.
#include "nativepolicy.h"

#include "nativefilter.h"

#include <gatehouse/interceptor.h>

#include "pipeline/gatewayservices.h"
#include "policies/registry/policyregistry.h"
#include "project/gatewayconfig.h"

#include <QDir>
#include <QJsonDocument>

#include <array>
#include <exception>

namespace Gatehouse {

namespace {

void checkNative(const QJsonObject &settings, QStringList &problems)
{
    const QString library = settings.value(u"library").toString();
    if (QDir::isAbsolutePath(library) || library.split(u'/').contains(QStringLiteral("..")))
        problems.append(QStringLiteral("settings.library: '%1' must name a file inside the project's policies/ folder")
                            .arg(library));
}

// One instance from the plugin; nullptr with the plugin's reason.
std::unique_ptr<gatehouse::Interceptor> createInstance(const NativePlugin &p, const QByteArray &json, QString *error)
{
    std::array<char, 512> message{};
    try {
        gatehouse::Interceptor *instance = p.plugin->create(gatehouse::Text(json.constData(), std::size_t(json.size())),
                                                            message.data(), message.size());
        if (instance)
            return std::unique_ptr<gatehouse::Interceptor>(instance);
        message.back() = '\0';
        *error = QString::fromUtf8(message.data());
        if (error->isEmpty())
            *error = QStringLiteral("create() returned no instance");
    } catch (const std::exception &e) {
        *error = QStringLiteral("create() threw %1").arg(QString::fromUtf8(e.what()));
    } catch (...) {
        *error = QStringLiteral("create() threw an exception");
    }
    return nullptr;
}

std::shared_ptr<const Filter> buildNative(const PolicyBuildContext &ctx)
{
    const QString library = ctx.settings.value(u"library").toString();
    Result<std::shared_ptr<const NativePlugin>> loaded = loadNativePlugin(ctx.config.projectDir, library);
    if (!loaded) {
        ctx.error(loaded.error().message);
        return nullptr;
    }
    const NativePlugin &plugin = **loaded;
    QJsonObject own = ctx.settings;
    own.remove(QStringLiteral("library"));
    QStringList problems;
    own = validateNativeSettings(plugin, own, problems);
    for (const QString &p : std::as_const(problems))
        ctx.error(QStringLiteral("%1 (%2)").arg(p, plugin.file));
    if (!problems.isEmpty())
        return nullptr;
    const QByteArray json = QJsonDocument(own).toJson(QJsonDocument::Compact);
    std::vector<std::unique_ptr<gatehouse::Interceptor>> instances;
    const int workers = qMax(1, ctx.services.workerCount());
    for (int i = 0; i < workers; ++i) {
        QString error;
        std::unique_ptr<gatehouse::Interceptor> instance = createInstance(plugin, json, &error);
        if (!instance) {
            ctx.error(QStringLiteral("%1: %2").arg(plugin.file, error));
            return nullptr;
        }
        instances.push_back(std::move(instance));
    }
    return std::make_shared<const NativeFilter>(*loaded, std::move(instances));
}

} // namespace

PolicyDescriptor nativePolicy()
{
    PolicyDescriptor d;
    d.name = QStringLiteral("native");
    d.version = QStringLiteral("1.0");
    d.description = QStringLiteral(
        "Runs a native C++ interceptor: a shared library in the project's policies/ folder built against "
        "gatehouse/interceptor.h (docs/native-plugins.md). The other settings are the plugin's own, "
        "checked against the schema it declares.");
    d.priority = 450;
    d.requestPhase = true;
    d.responsePhase = true;
    d.openSettings = true;
    d.settings = SettingSchema::object({
        {QStringLiteral("library"), SettingSchema::text(QStringLiteral("The library, relative to policies/"))
                                        .withPattern(QStringLiteral("[A-Za-z0-9_./-]+\\.so"), QStringLiteral("a .so file name"))
                                        .asRequired()},
    });
    d.notes = QStringLiteral(
        "The library is loaded when the config is compiled (also by `gatehoused check`), with every symbol "
        "resolved. It is refused, with a diagnostic naming the file and the reason, when it cannot be "
        "loaded, exports no `gatehouse_interceptor_abi_version()` or `gatehouse_interceptor_plugin()`, "
        "was built for another interceptor ABI version, declares a malformed settings schema, or when its "
        "`create()` rejects the settings. Settings problems carry the field's path:\n\n"
        "    apis/pets.yaml:9:11: error: policy 'native': settings.header: expected string, got integer (policies/addheader.so)\n\n"
        "Each worker thread gets its own instance. A hook that throws answers 500 (request) or leaves the "
        "response unchanged (response), and the exception is logged (category `gatehouse.native`).");
    d.check = &checkNative;
    d.build = &buildNative;
    return d;
}

} // namespace Gatehouse
