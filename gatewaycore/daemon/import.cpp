// gatehoused import-wso2 MGW_PROJECT --out DIR: a WSO2 MGW 3.x project as a new Gatehouse project,
// with a report of what could not be carried over (docs/import-wso2.md).
#include "cli.h"

#include "export/mgwimport.h"

#include <QDir>

namespace Gatehouse::Cli {

namespace {

constexpr auto kUsage = "Usage: gatehoused import-wso2 MGW_PROJECT --out DIR [--conf micro-gw.conf] [--certs DIR]\n";

} // namespace

int runImportWso2(Context &ctx)
{
    MgwImportOptions options;
    const QStringList &args = ctx.args;
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString &arg = args.at(i);
        QString *value = nullptr;
        if (arg == u"--out")
            value = &options.outDir;
        else if (arg == u"--conf")
            value = &options.runtimeConfig;
        else if (arg == u"--certs")
            value = &options.certificateDir;
        if (value) {
            if (i + 1 >= args.size()) {
                ctx.err << "gatehoused import-wso2: " << arg << " needs a value\n" << kUsage;
                return kExitUsage;
            }
            *value = args.at(++i);
        } else if (arg.startsWith(u'-')) {
            ctx.err << "gatehoused import-wso2: unknown option '" << arg << "'\n" << kUsage;
            return kExitUsage;
        } else if (options.mgwDir.isEmpty()) {
            options.mgwDir = arg;
        } else {
            ctx.err << "gatehoused import-wso2: more than one MGW project given ('" << options.mgwDir << "', '"
                    << arg << "')\n";
            return kExitUsage;
        }
    }
    if (options.mgwDir.isEmpty() || options.outDir.isEmpty()) {
        ctx.err << "gatehoused import-wso2: " << (options.mgwDir.isEmpty() ? "missing MGW project" : "missing --out DIR")
                << '\n' << kUsage;
        return kExitUsage;
    }

    Diagnostics diagnostics;
    const Result<MgwImportResult> result = importMgwProject(options, diagnostics);
    diagnostics.sort();
    for (const Diagnostic &d : diagnostics.items())
        ctx.err << d.toString() << '\n';
    if (!result) {
        ctx.err << "gatehoused import-wso2: " << result.error().message << '\n';
        return kExitErrors;
    }
    ctx.out << "Imported " << QDir::toNativeSeparators(options.mgwDir) << " into "
            << QDir::toNativeSeparators(result->outDir) << " (" << result->files.size() << " files)\n";
    ctx.out << "\nCarried over:\n";
    for (const QString &c : result->carried)
        ctx.out << "  - " << c << '\n';
    ctx.out << "\nNot carried over:\n";
    if (result->notCarried.isEmpty())
        ctx.out << "  (nothing)\n";
    for (const MgwImportNote &n : result->notCarried) {
        ctx.out << "  - ";
        if (n.where.isValid())
            ctx.out << n.where.toString() << ": ";
        ctx.out << n.what << ": " << n.why << '\n';
    }
    ctx.out << "\nCheck of the imported project: " << result->check.errorCount() << " errors, "
            << result->check.warningCount() << " warnings\n";
    for (const Diagnostic &d : result->check.items())
        ctx.out << "  " << d.toString() << '\n';
    ctx.out << "\nThe report is in " << QDir::toNativeSeparators(result->outDir + QStringLiteral("/IMPORT-REPORT.md"))
            << '\n';
    return result->check.hasErrors() ? kExitErrors : kExitOk;
}

} // namespace Gatehouse::Cli
