// gatehoused check DIR: load and validate a project, print diagnostics and a summary.
#include "cli.h"

#include "pipeline/gatewayservices.h"
#include "pipeline/pipelinebuilder.h"
#include "project/gatewayconfig.h"
#include "project/project.h"

#include <QDir>

namespace Gatehouse::Cli {

namespace {

QString upstreamText(const EndpointSet &endpoints)
{
    if (endpoints.urls.isEmpty())
        return QStringLiteral("(no upstream)");
    QStringList urls;
    for (const QUrl &u : endpoints.urls)
        urls.append(u.toString());
    return urls.join(QStringLiteral(", "));
}

void printSummary(QTextStream &out, const Project &project, const GatewayConfig *config)
{
    out << "Project '" << project.settings.name << "' (" << QDir::toNativeSeparators(project.rootDir)
        << ")\n";
    int operations = 0, methods = 0;
    if (!project.apis.isEmpty())
        out << "  APIs:\n";
    for (const ApiSpec &api : project.apis) {
        operations += int(api.operations.size());
        const QString upstream = upstreamText(api.extensions.productionEndpoints
                                                  ? *api.extensions.productionEndpoints
                                                  : api.serverEndpoints);
        out << "    " << api.title << ' ' << api.apiVersion << "  "
            << (api.basePath.isEmpty() ? QStringLiteral("/") : api.basePath) << "  "
            << api.operations.size() << (api.operations.size() == 1 ? " operation" : " operations")
            << "  -> " << upstream << "  [" << api.file << ", OpenAPI "
            << openApiVersionName(api.version) << "]\n";
    }
    if (!project.protos.services.isEmpty())
        out << "  gRPC services:\n";
    for (const GrpcService &service : project.protos.services) {
        methods += int(service.methods.size());
        int unary = 0, client = 0, server = 0, bidi = 0;
        for (const GrpcMethod &m : service.methods) {
            if (m.clientStreaming && m.serverStreaming)
                ++bidi;
            else if (m.clientStreaming)
                ++client;
            else if (m.serverStreaming)
                ++server;
            else
                ++unary;
        }
        EndpointSet endpoints = service.endpoints;
        if (endpoints.isEmpty())
            endpoints.urls = project.settings.grpcEndpoints.value(service.fullName);
        out << "    " << service.fullName << "  " << service.methods.size()
            << (service.methods.size() == 1 ? " method" : " methods") << " (" << unary << " unary, "
            << server << " server-streaming, " << client << " client-streaming, " << bidi
            << " bidirectional)  -> " << upstreamText(endpoints) << "  [" << service.file << "]\n";
    }
    out << "  " << operations << " REST operations, " << methods << " gRPC methods";
    if (config)
        out << ", " << config->routes.size() << " routes";
    out << "; " << project.settings.throttling.tiers.size() << " throttling tiers\n";
}

} // namespace

int runCheck(Context &ctx)
{
    bool quiet = false;
    QString dir;
    for (const QString &arg : ctx.args) {
        if (arg == u"--quiet" || arg == u"-q") {
            quiet = true;
        } else if (arg.startsWith(u'-')) {
            ctx.err << "gatehoused check: unknown option '" << arg << "'\n"
                    << "Usage: gatehoused check DIR [--quiet]\n";
            return kExitUsage;
        } else if (dir.isEmpty()) {
            dir = arg;
        } else {
            ctx.err << "gatehoused check: more than one project folder given ('" << dir << "', '" << arg
                    << "')\n";
            return kExitUsage;
        }
    }
    if (dir.isEmpty()) {
        ctx.err << "gatehoused check: missing project folder\nUsage: gatehoused check DIR [--quiet]\n";
        return kExitUsage;
    }

    Diagnostics diagnostics;
    const Project project = Project::load(dir, diagnostics);
    std::shared_ptr<GatewayConfig> config;
    if (!diagnostics.hasErrors())
        config = compileProject(project, diagnostics);
    if (config) {
        // The filter chains find what only running can tell (secrets, CA files, schemes no
        // configured issuer can validate); a check must report it before a deploy does.
        GatewayServices services(1, project.rootDir);
        services.configure(*config, diagnostics);
        buildFilterChains(*config, services, diagnostics);
    }
    diagnostics.sort();
    for (const Diagnostic &d : diagnostics.items())
        ctx.err << d.toString() << '\n';
    ctx.err.flush();
    if (!quiet && !project.rootDir.isEmpty())
        printSummary(ctx.out, project, config.get());
    if (!quiet) {
        ctx.out << diagnostics.errorCount() << (diagnostics.errorCount() == 1 ? " error, " : " errors, ")
                << diagnostics.warningCount() << (diagnostics.warningCount() == 1 ? " warning\n" : " warnings\n");
    }
    return diagnostics.hasErrors() ? kExitErrors : kExitOk;
}

} // namespace Gatehouse::Cli
