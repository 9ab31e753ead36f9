// gatehoused policy list|show: the policy registry as text for people and JSON for the workbench.
#include "cli.h"

#include "base/textutil.h"
#include "policies/registry/policyregistry.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace Gatehouse::Cli {

namespace {

QString phasesText(const PolicyDescriptor &d)
{
    QStringList phases;
    if (d.requestPhase)
        phases.append(QStringLiteral("request"));
    if (d.responsePhase)
        phases.append(QStringLiteral("response"));
    return phases.join(u',');
}

int list(Context &ctx, bool json)
{
    const PolicyRegistry &registry = PolicyRegistry::builtin();
    if (json) {
        QJsonArray all;
        for (const PolicyDescriptor &d : registry.policies())
            all.append(d.toJson());
        ctx.out << QJsonDocument(all).toJson(QJsonDocument::Indented);
        return kExitOk;
    }
    for (const PolicyDescriptor &d : registry.policies()) {
        const QString summary = d.description.section(QStringLiteral(". "), 0, 0);
        ctx.out << d.name.leftJustified(16) << ' ' << d.version.leftJustified(5) << ' '
                << phasesText(d).leftJustified(17) << ' ' << QString::number(d.priority).rightJustified(4) << "  "
                << summary << (summary.endsWith(u'.') ? "" : ".") << '\n';
    }
    return kExitOk;
}

int show(Context &ctx, const QString &name, bool json)
{
    const PolicyRegistry &registry = PolicyRegistry::builtin();
    const PolicyDescriptor *d = registry.find(name);
    if (!d) {
        ctx.err << "gatehoused policy show: unknown policy '" << name << "'" << didYouMean(name, registry.names())
                << " (known: " << registry.names().join(QStringLiteral(", ")) << ")\n";
        return kExitErrors;
    }
    if (json) {
        ctx.out << QJsonDocument(d->toJson()).toJson(QJsonDocument::Indented);
        return kExitOk;
    }
    ctx.out << d->name << ' ' << d->version << "  (priority " << d->priority << "; phases: " << phasesText(*d)
            << ")\n\n" << d->description << "\n\nSettings:\n";
    for (const QString &row : settingsTableRows(d->settings))
        ctx.out << "  " << row << '\n';
    if (!d->notes.isEmpty())
        ctx.out << '\n' << d->notes << '\n';
    return kExitOk;
}

} // namespace

int runPolicy(Context &ctx)
{
    const QString usage = QStringLiteral("Usage: gatehoused policy list [--json] | policy show NAME [--json]\n");
    QStringList args = ctx.args;
    const bool json = args.removeAll(QStringLiteral("--json")) > 0;
    for (const QString &a : std::as_const(args)) {
        if (a.startsWith(u'-')) {
            ctx.err << "gatehoused policy: unknown option '" << a << "'\n" << usage;
            return kExitUsage;
        }
    }
    if (args.size() == 1 && args.first() == u"list")
        return list(ctx, json);
    if (args.size() == 2 && args.first() == u"show")
        return show(ctx, args.at(1), json);
    ctx.err << usage;
    return kExitUsage;
}

} // namespace Gatehouse::Cli
