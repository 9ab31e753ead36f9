// The gatehoused command line: subcommand table, help, version, dispatch.
#include "cli.h"

#include "base/version.h"

#include <QtGlobal>

#include <openssl/opensslv.h>

namespace Gatehouse::Cli {

const QList<Command> &commands()
{
    static const QList<Command> table = {
        {QStringLiteral("check"), QStringLiteral("check DIR"),
         QStringLiteral("Validate a project and summarise its APIs, operations and gRPC methods"),
         QStringLiteral("Loads DIR (gatehouse.yaml, apis/, protos/, policies/) and prints every problem as\n"
                        "  file:line:col: error|warning: message\n"
                        "followed by a summary. Exit status: 0 clean (warnings allowed), 1 errors, 2 usage.\n"
                        "\nOptions:\n"
                        "  --quiet       print diagnostics only, no summary\n"),
         runCheck},
        {QStringLiteral("serve"), QStringLiteral("serve DIR [options]"),
         QStringLiteral("Run the gateway for a project until SIGTERM or SIGINT (SIGHUP reloads)"),
         QStringLiteral("Serves DIR's APIs on the HTTP and HTTPS listeners of its gatehouse.yaml and the\n"
                        "admin API (GET /health, POST /admin/reload) on loopback. A self-signed certificate\n"
                        "is generated in DIR/keys on first run when none is configured.\n"
                        "\nOptions:\n"
                        "  --http-port N    HTTP listener port (default 9090; 0 = any free port)\n"
                        "  --https-port N   HTTPS listener port (default 9095)\n"
                        "  --admin-port N   admin API port (default 9096)\n"
                        "  --workers N      worker threads (default: gatehouse.yaml, else one per core)\n"
                        "  --no-https       do not open the HTTPS listener\n"
                        "\nSignals: SIGTERM/SIGINT drain in-flight requests (limits.drainTimeout) and exit;\n"
                        "SIGHUP reloads the project (a project with errors keeps the running config).\n"),
         runServe},
        {QStringLiteral("key"), QStringLiteral("key issue|revoke DIR"),
         QStringLiteral("Issue an API key (a JWT signed by the project's own issuer) or revoke one"),
         QStringLiteral("key issue DIR --subject S [--scopes \"a b\"] [--ttl SECONDS] [--apis \"A,B\"]\n"
                        "  Prints a JWT signed with DIR's API-key issuer (security.apiKeys; the key pair in\n"
                        "  keys/ is generated on first use, the private key 0600). It carries iss, sub, iat,\n"
                        "  exp, jti, keytype, the scopes and, with --apis, the APIs (info.title) it may call.\n"
                        "  --ttl defaults to apiKeys.defaultTtl and may not exceed apiKeys.maxTtl.\n"
                        "key revoke DIR JTI\n"
                        "  Adds the key id (the token's jti) to apiKeys.revocationFile (keys/revoked.txt);\n"
                        "  running gateways refuse the key within a second, without a restart.\n"
                        "\nExit status: 0 done, 1 errors in the project or request, 2 usage.\n"),
         runKey},
        {QStringLiteral("export"), QStringLiteral("export DIR --out OUT [options]"),
         QStringLiteral("Write a project as a self-contained bundle that 'gatehoused serve' runs"),
         QStringLiteral("Validates DIR (a project with errors is not exported) and writes OUT: gatehouse.yaml,\n"
                        "the APIs with $refs into other files inlined, protos/, policies/, public keys and a\n"
                        "README. Secrets become ${env:NAME} references and private keys are left out;\n"
                        "docs/export.md lists the variables a bundle reads.\n"
                        "\nOptions:\n"
                        "  --out OUT           the bundle's folder (new, or empty)\n"
                        "  --include-secrets   copy private keys and secrets as they are (a warning says so)\n"
                        "  --image FILE.tar    also write an OCI image of the bundle (docker/podman load, skopeo)\n"
                        "  --image-name N:T    the image's name and tag (default gatehouse/<project>:latest)\n"
                        "  --k8s DIR           also write Kubernetes manifests for the image into DIR\n"
                        "  --dockerfile FILE   also write a multi-stage Debian 12 Dockerfile building the same image\n"
                        "                      from the Gatehouse sources (docs/export.md)\n"),
         runExport},
        {QStringLiteral("import-wso2"), QStringLiteral("import-wso2 MGW_PROJECT --out DIR"),
         QStringLiteral("Convert a WSO2 API Microgateway 3.x project into a new Gatehouse project"),
         QStringLiteral("Reads MGW_PROJECT (api_definitions/, grpc_definitions/, policies.yaml, interceptors/,\n"
                        "conf/micro-gw.conf) and writes a Gatehouse project to DIR: gatehouse.yaml with the\n"
                        "listeners, JWT issuers, key manager, API-key issuer, users and tiers, apis/, protos/, and\n"
                        "IMPORT-REPORT.md saying what could not be carried over and why. The result is checked\n"
                        "as 'gatehoused check' does. Broken input is reported at file:line:col; nothing is written.\n"
                        "\nOptions:\n"
                        "  --out DIR         the new project's folder (new, or empty)\n"
                        "  --conf FILE       the MGW runtime's micro-gw.conf (default MGW_PROJECT/conf/micro-gw.conf)\n"
                        "  --certs DIR       PEM certificates named after MGW truststore aliases (<alias>.pem)\n"
                        "\nExit status: 0 imported and clean, 1 errors (in the input, or in the check of the\n"
                        "result: the project is written then), 2 usage.\n"),
         runImportWso2},
        {QStringLiteral("policy"), QStringLiteral("policy list|show|search|install|publish|update"),
         QStringLiteral("Print the policies this gatehoused can attach; install policy packages from a hub"),
         QStringLiteral("policy list [--json]\n"
                        "  One line per policy: name, version, phases, priority, summary.\n"
                        "policy show NAME [--json]\n"
                        "  The policy's description and settings (type, default, rules); --json prints the\n"
                        "  declaration with its settings as a JSON Schema (what the workbench's forms read).\n"
                        "docs/policies.md is generated from the same declarations.\n"
                        "policy search [TERM] [--hub HUB]\n"
                        "  Packages of the hub whose name, description or tags contain TERM.\n"
                        "policy install NAME[@VERSION] [--hub HUB] PROJECT\n"
                        "  Copies the package (checksum verified) to PROJECT/policies/NAME/ and pins its\n"
                        "  name, version and sha256 in PROJECT/gatehouse.yaml (policyPackages:).\n"
                        "policy publish PACKAGE_DIR --hub HUB_DIR\n"
                        "  Validates the package's manifest.yaml, copies it into the hub folder and lists\n"
                        "  it with its checksum in the hub's index.yaml.\n"
                        "policy update [NAME] [--hub HUB] PROJECT\n"
                        "  Installs the newest version of each pinned package (or of NAME).\n"
                        "HUB is a folder, a git repository (path or file:// URL; cloned with git, never over\n"
                        "the network); default: PROJECT's hub.path when it holds an index.yaml, else the hub\n"
                        "installed with gatehoused (docs/policy-hub.md).\n"
                        "\nExit status: 0 done, 1 unknown policy or a refused package, 2 usage.\n"),
         runPolicy},
        {QStringLiteral("user"), QStringLiteral("user hash"),
         QStringLiteral("Hash a Basic-auth user's password for gatehouse.yaml (read from standard input)"),
         QStringLiteral("user hash [--iterations N | --scrypt [--cost LN]] < password\n"
                        "  Reads one line (the password; typed without echo on a terminal) and prints a\n"
                        "  salted hash for security.users[].passwordHash, PBKDF2-SHA256 by default:\n"
                        "    pbkdf2-sha256$<iterations>$<salt>$<hash>\n"
                        "  --iterations defaults to 600000 (1000..10000000; under 100000 is a warning).\n"
                        "  --scrypt makes a scrypt hash instead (r = 8, p = 1):\n"
                        "    scrypt$ln=<LN>,r=8,p=1$<salt>$<hash>\n"
                        "  --cost LN sets N = 2^LN, default 17 (10..18; under 15 is a warning).\n"
                        "\nExit status: 0 done, 1 no password, 2 usage.\n"),
         runUser},
    };
    return table;
}

static void printUsage(QTextStream &s)
{
    s << "Usage: gatehoused COMMAND [OPTIONS]\n"
         "       gatehoused --help | --version\n\n"
         "Gatehouse's headless API gateway.\n\nCommands:\n";
    for (const Command &c : commands())
        // The summaries start in one column; a synopsis too long for it goes on a line of its own.
        if (c.synopsis.size() < 24)
            s << "  " << c.synopsis.leftJustified(24) << c.summary << '\n';
        else
            s << "  " << c.synopsis << '\n' << QString(26, u' ') << c.summary << '\n';
    s << "\nRun 'gatehoused COMMAND --help' for a command's options.\n"
         "Exit status: 0 success, 1 errors in the project or request, 2 usage error.\n";
}

static void printVersion(QTextStream &s)
{
    s << "gatehoused " << versionString() << " (Qt " << qVersion() << ", " << OPENSSL_VERSION_TEXT
      << ")\n";
}

static const Command *findCommand(const QString &name)
{
    for (const Command &c : commands()) {
        if (c.name == name)
            return &c;
    }
    return nullptr;
}

int dispatch(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    if (arguments.isEmpty()) {
        printUsage(err);
        return kExitUsage;
    }
    const QString first = arguments.first();
    if (first == u"--help" || first == u"-h" || first == u"help") {
        if (first == u"help" && arguments.size() > 1) {
            if (const Command *c = findCommand(arguments.at(1))) {
                out << "Usage: gatehoused " << c->synopsis << "\n\n" << c->help;
                return kExitOk;
            }
        }
        printUsage(out);
        return kExitOk;
    }
    if (first == u"--version" || first == u"-V") {
        printVersion(out);
        return kExitOk;
    }
    const Command *command = findCommand(first);
    if (!command) {
        err << "gatehoused: unknown command '" << first << "'\n\n";
        printUsage(err);
        return kExitUsage;
    }
    const QStringList rest = arguments.mid(1);
    if (rest.contains(QStringLiteral("--help")) || rest.contains(QStringLiteral("-h"))) {
        out << "Usage: gatehoused " << command->synopsis << "\n\n" << command->help;
        return kExitOk;
    }
    Context ctx{rest, out, err};
    return command->run(ctx);
}

} // namespace Gatehouse::Cli
