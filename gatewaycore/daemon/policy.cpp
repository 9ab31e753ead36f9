// gatehoused policy list|show: the policy registry as text for people and JSON for the workbench;
// policy search|install|publish|update: policy packages from the offline hub.
#include "cli.h"

#include "base/textutil.h"
#include "policies/hub/policyhub.h"
#include "policies/hub/policypackage.h"
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

int reportErrors(Context &ctx, const Diagnostics &diagnostics)
{
    for (const Diagnostic &d : diagnostics.items())
        ctx.err << d.toString() << '\n';
    return kExitErrors;
}

std::unique_ptr<PolicyHub> openHub(Context &ctx, const QString &hubOption, const QString &projectDir)
{
    Diagnostics diagnostics;
    std::unique_ptr<PolicyHub> hub = PolicyHub::open(hubOption.isEmpty() ? defaultHubSpec(projectDir) : hubOption, diagnostics);
    if (!hub)
        reportErrors(ctx, diagnostics);
    return hub;
}

int search(Context &ctx, const QString &term, const QString &hubOption)
{
    const std::unique_ptr<PolicyHub> hub = openHub(ctx, hubOption, QString());
    if (!hub)
        return kExitErrors;
    Diagnostics diagnostics;
    const std::optional<QList<HubEntry>> entries = hub->entries(diagnostics);
    if (!entries)
        return reportErrors(ctx, diagnostics);
    const QList<HubEntry> found = searchHub(*entries, term);
    for (const HubEntry &e : found) {
        ctx.out << e.name.leftJustified(20) << ' ' << e.version.leftJustified(9) << ' ' << e.description;
        if (!e.tags.isEmpty())
            ctx.out << "  [" << e.tags.join(QStringLiteral(", ")) << ']';
        ctx.out << '\n';
    }
    if (found.isEmpty())
        ctx.err << "no package in " << hub->spec() << " matches '" << term << "'\n";
    return kExitOk;
}

int install(Context &ctx, const QString &spec, const QString &hubOption, const QString &projectDir)
{
    const QString name = spec.section(u'@', 0, 0);
    const QString version = spec.section(u'@', 1);
    const std::unique_ptr<PolicyHub> hub = openHub(ctx, hubOption, projectDir);
    if (!hub)
        return kExitErrors;
    Diagnostics diagnostics;
    const std::optional<HubEntry> e = installPackage(*hub, name, version, projectDir, diagnostics);
    if (!e)
        return reportErrors(ctx, diagnostics);
    ctx.out << "installed " << e->name << ' ' << e->version << " into " << projectDir << "/policies/" << e->name
            << " (sha256 " << e->sha256 << "); attach it as {name: " << e->name << ", settings: {...}}\n";
    return kExitOk;
}

int publish(Context &ctx, const QString &packageDir, const QString &hubOption)
{
    if (hubOption.isEmpty() || hubOption.contains(QStringLiteral("://"))) {
        ctx.err << "gatehoused policy publish: --hub must name a hub folder (for a git hub: a working copy; commit "
                   "afterwards)\n";
        return kExitUsage;
    }
    Diagnostics diagnostics;
    const std::optional<HubEntry> e = publishPackage(packageDir, hubOption, diagnostics);
    if (!e)
        return reportErrors(ctx, diagnostics);
    ctx.out << "published " << e->name << ' ' << e->version << " to " << hubOption << '/' << e->path << " (sha256 "
            << e->sha256 << ")\n";
    return kExitOk;
}

int update(Context &ctx, const QString &name, const QString &hubOption, const QString &projectDir)
{
    Diagnostics diagnostics;
    const std::optional<QList<PolicyPackagePin>> pins = readPins(projectDir, diagnostics);
    if (!pins)
        return reportErrors(ctx, diagnostics);
    const std::unique_ptr<PolicyHub> hub = openHub(ctx, hubOption, projectDir);
    if (!hub)
        return kExitErrors;
    const std::optional<QList<HubEntry>> entries = hub->entries(diagnostics);
    if (!entries)
        return reportErrors(ctx, diagnostics);
    bool any = false;
    int status = kExitOk;
    for (const PolicyPackagePin &pin : *pins) {
        if (!name.isEmpty() && pin.name != name)
            continue;
        any = true;
        const HubEntry *newest = findHubEntry(*entries, pin.name);
        if (!newest) {
            ctx.err << pin.name << ": not in " << hub->spec() << ", kept at " << pin.version << '\n';
            continue;
        }
        if (compareSemver(newest->version, pin.version) <= 0) {
            ctx.out << pin.name << ' ' << pin.version << " is up to date\n";
            continue;
        }
        Diagnostics one;
        const std::optional<HubEntry> e = installPackage(*hub, pin.name, newest->version, projectDir, one);
        if (!e) {
            status = reportErrors(ctx, one);
            continue;
        }
        ctx.out << "updated " << pin.name << ' ' << pin.version << " -> " << e->version << '\n';
    }
    if (!any) {
        ctx.err << "gatehoused policy update: " << (name.isEmpty() ? QStringLiteral("no package is installed in ") + projectDir
                                                                   : QStringLiteral("'%1' is not installed in %2").arg(name, projectDir))
                << '\n';
        return name.isEmpty() ? kExitOk : kExitErrors;
    }
    return status;
}

} // namespace

int runPolicy(Context &ctx)
{
    const QString usage = QStringLiteral(
        "Usage: gatehoused policy list [--json] | policy show NAME [--json] | policy search [TERM] [--hub HUB]\n"
        "       | policy install NAME[@VERSION] [--hub HUB] PROJECT | policy publish PACKAGE_DIR --hub HUB_DIR\n"
        "       | policy update [NAME] [--hub HUB] PROJECT\n");
    QStringList args = ctx.args;
    const bool json = args.removeAll(QStringLiteral("--json")) > 0;
    QString hubOption;
    const qsizetype hubAt = args.indexOf(QStringLiteral("--hub"));
    if (hubAt >= 0) {
        if (hubAt + 1 >= args.size()) {
            ctx.err << "gatehoused policy: --hub needs a folder or a file:// URL\n" << usage;
            return kExitUsage;
        }
        hubOption = args.at(hubAt + 1);
        args.remove(hubAt, 2);
    }
    if (!args.isEmpty() && args.first() == u"search" && args.size() <= 2)
        return search(ctx, args.value(1), hubOption);
    if (args.size() == 3 && args.first() == u"install")
        return install(ctx, args.at(1), hubOption, args.at(2));
    if (args.size() == 2 && args.first() == u"publish")
        return publish(ctx, args.at(1), hubOption);
    if ((args.size() == 2 || args.size() == 3) && args.first() == u"update")
        return update(ctx, args.size() == 3 ? args.at(1) : QString(), hubOption, args.constLast());
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
