// gatehoused export DIR --out OUT: write a project as a self-contained bundle (docs/export.md).
#include "cli.h"

#include "export/bundlewriter.h"

namespace Gatehouse::Cli {

namespace {

constexpr auto kUsage = "Usage: gatehoused export DIR --out OUT [--include-secrets]\n";

void printDiagnostics(QTextStream &err, Diagnostics &diagnostics)
{
    diagnostics.sort();
    for (const Diagnostic &d : diagnostics.items())
        err << d.toString() << '\n';
}

} // namespace

int runExport(Context &ctx)
{
    BundleOptions options;
    const QStringList &a = ctx.args;
    for (qsizetype i = 0; i < a.size(); ++i) {
        const QString &arg = a.at(i);
        if (arg == u"--out") {
            if (i + 1 >= a.size()) {
                ctx.err << "gatehoused export: --out needs a folder\n" << kUsage;
                return kExitUsage;
            }
            options.outDir = a.at(++i);
        } else if (arg == u"--include-secrets") {
            options.includeSecrets = true;
        } else if (arg.startsWith(u'-')) {
            ctx.err << "gatehoused export: unknown option '" << arg << "'\n" << kUsage;
            return kExitUsage;
        } else if (options.projectDir.isEmpty()) {
            options.projectDir = arg;
        } else {
            ctx.err << "gatehoused export: more than one project folder given\n" << kUsage;
            return kExitUsage;
        }
    }
    if (options.projectDir.isEmpty() || options.outDir.isEmpty()) {
        ctx.err << "gatehoused export: " << (options.projectDir.isEmpty() ? "missing project folder\n"
                                                                          : "missing --out OUT\n")
                << kUsage;
        return kExitUsage;
    }

    Diagnostics diagnostics;
    const Result<BundleResult> bundle = writeBundle(options, diagnostics);
    printDiagnostics(ctx.err, diagnostics);
    if (!bundle) {
        ctx.err << "gatehoused export: not exported: " << bundle.error().message << '\n';
        return kExitErrors;
    }
    if (options.includeSecrets) {
        ctx.err << "\n"
                   "*** WARNING: --include-secrets: the bundle in " << bundle->outDir << " contains\n"
                   "*** private keys, password hashes and secrets in clear. Anyone who can read it can\n"
                   "*** impersonate this gateway and its users. Never commit, share or publish it.\n\n";
    }
    ctx.out << "gatehoused: exported '" << bundle->name << "' to " << bundle->outDir << " ("
            << bundle->files.size() << " files)\n";
    for (const QString &file : bundle->leftOut)
        ctx.out << "  left out (secret): " << file << '\n';
    for (const ExportedSecret &secret : bundle->secrets) {
        if (!secret.variable.isEmpty())
            ctx.out << "  secret " << secret.setting << " <- ${env:" << secret.variable << "}\n";
    }
    ctx.out << "Run it with: gatehoused serve " << bundle->outDir << '\n';
    return kExitOk;
}

} // namespace Gatehouse::Cli
