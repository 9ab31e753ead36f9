// Building the filter of an installed policy package.
#include "packagepolicy.h"

#include "policypackage.h"

#include "policies/lua/luapolicy.h"
#include "policies/plugin/nativeplugin.h"
#include "policies/registry/policyregistry.h"
#include "project/gatewayconfig.h"

#include <QJsonArray>
#include <QJsonObject>

#include <cmath>

namespace Gatehouse {

namespace {

void appendLua(QByteArray &out, const QJsonValue &v, int depth)
{
    if (depth > 32) {
        out += "nil";
        return;
    }
    switch (v.type()) {
    case QJsonValue::Bool: out += v.toBool() ? "true" : "false"; return;
    case QJsonValue::Double: {
        const double d = v.toDouble();
        if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9007199254740992.0)
            out += QByteArray::number(qint64(d));
        else if (std::isfinite(d))
            out += QByteArray::number(d, 'g', 17);
        else
            out += "nil";
        return;
    }
    case QJsonValue::String: {
        const QByteArray s = v.toString().toUtf8();
        out += '"';
        for (char c : s) {
            const auto u = static_cast<unsigned char>(c);
            if (c == '"' || c == '\\')
                out += '\\' + QByteArray(1, c);
            else if (u < 0x20 || u == 0x7f)
                out += '\\' + QByteArray::number(u).rightJustified(3, '0');
            else
                out += c;
        }
        out += '"';
        return;
    }
    case QJsonValue::Array: {
        out += '{';
        for (const QJsonValue &item : v.toArray()) {
            appendLua(out, item, depth + 1);
            out += ',';
        }
        out += '}';
        return;
    }
    case QJsonValue::Object: {
        out += '{';
        const QJsonObject o = v.toObject();
        for (auto it = o.begin(); it != o.end(); ++it) {
            out += '[';
            appendLua(out, it.key(), depth + 1);
            out += "]=";
            appendLua(out, it.value(), depth + 1);
            out += ',';
        }
        out += '}';
        return;
    }
    case QJsonValue::Null:
    case QJsonValue::Undefined: break;
    }
    out += "nil";
}

} // namespace

QByteArray luaLiteral(const QJsonValue &value)
{
    QByteArray out;
    appendLua(out, value, 0);
    return out;
}

std::shared_ptr<const Filter> buildPackagePolicy(const PolicyBuildContext &ctx, const PolicyPackagePin &pin)
{
    const QString display = QStringLiteral("policies/") + pin.name;
    const QString dir = ctx.config.projectDir + u'/' + display;
    QString error;
    const std::optional<QString> checksum = packageChecksum(dir, &error);
    if (!checksum) {
        ctx.error(QStringLiteral("package %1 %2 is pinned in gatehouse.yaml but %3 cannot be read (%4): install it with "
                                 "`gatehoused policy install %1@%2 PROJECT`").arg(pin.name, pin.version, display, error));
        return nullptr;
    }
    if (*checksum != pin.sha256) {
        ctx.error(QStringLiteral("%1 was changed after it was installed: its checksum is %2, gatehouse.yaml pins %3 "
                                 "(reinstall with `gatehoused policy install %4@%5 PROJECT`)")
                      .arg(display, *checksum, pin.sha256, pin.name, pin.version));
        return nullptr;
    }
    const std::optional<PolicyPackage> package = readPackageManifest(dir, display, ctx.diagnostics);
    if (!package)
        return nullptr;
    if (package->name != pin.name || package->version != pin.version) {
        ctx.error(QStringLiteral("%1/manifest.yaml says %2 %3, gatehouse.yaml pins %4 %5")
                      .arg(display, package->name, package->version, pin.name, pin.version));
        return nullptr;
    }
    QStringList problems;
    QJsonObject settings = ctx.settings;
    if (!package->settingsSchema.isEmpty()) {
        Result<JsonSchema> compiled = JsonSchema::compile(package->settingsSchema);
        if (!compiled) {
            ctx.error(QStringLiteral("%1/manifest.yaml: the settings schema is invalid: %2").arg(display, compiled.error().message));
            return nullptr;
        }
        settings = validateSchemaSettings(package->settingsSchema, *compiled, settings, problems);
    }
    for (const QString &p : std::as_const(problems))
        ctx.error(p);
    if (!problems.isEmpty())
        return nullptr;
    const QString entry = pin.name + u'/' + package->entry;
    if (package->kind == PackageEntryKind::Lua)
        return buildLuaScript(ctx, entry, LuaSandbox::Limits{}, "settings = " + luaLiteral(settings) + '\n');
    const PolicyDescriptor *native = PolicyRegistry::builtin().find(QStringLiteral("native"));
    settings.insert(QStringLiteral("library"), entry);
    const PolicyBuildContext nativeCtx{ctx.attachment, settings, ctx.route, ctx.config, ctx.services, ctx.diagnostics};
    return native->build(nativeCtx);
}

} // namespace Gatehouse
