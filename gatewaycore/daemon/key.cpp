// gatehoused key issue|revoke DIR ...: API keys from the project's own issuer, and revocation.
#include "cli.h"

#include "project/projectsettings.h"
#include "security/apikeyissuer.h"
#include "security/revocationlist.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>

namespace Gatehouse::Cli {

namespace {

// The project's settings, or nullopt after printing its errors.
std::optional<ProjectSettings> projectSettings(const QString &dir, QTextStream &err)
{
    if (!QFileInfo(dir).isDir()) {
        err << "gatehoused key: " << dir << " is not a project folder\n";
        return std::nullopt;
    }
    Diagnostics diagnostics;
    ProjectSettings settings = loadProjectSettings(dir, diagnostics);
    if (diagnostics.hasErrors()) {
        for (const Diagnostic &d : diagnostics.items())
            err << d.toString() << '\n';
        return std::nullopt;
    }
    if (!settings.security.apiKeys.enabled) {
        err << "gatehoused key: the project's API-key issuer is disabled (security.apiKeys.enabled)\n";
        return std::nullopt;
    }
    return settings;
}

int issue(Context &ctx, const QStringList &a)
{
    QString dir;
    ApiKeyIssuer::Request request;
    for (qsizetype i = 0; i < a.size(); ++i) {
        const QString &arg = a.at(i);
        const bool hasValue = i + 1 < a.size();
        if (arg == u"--subject" && hasValue) {
            request.subject = a.at(++i);
        } else if (arg == u"--scopes" && hasValue) {
            request.scopes = a.at(++i).split(u' ', Qt::SkipEmptyParts);
        } else if (arg == u"--apis" && hasValue) {
            request.allowedApis = a.at(++i).split(u',', Qt::SkipEmptyParts);
        } else if (arg == u"--ttl" && hasValue) {
            bool ok = false;
            request.ttlSeconds = a.at(++i).toLongLong(&ok);
            if (!ok || request.ttlSeconds <= 0) {
                ctx.err << "gatehoused key issue: --ttl needs a positive number of seconds\n";
                return kExitUsage;
            }
        } else if (arg.startsWith(u'-') || !dir.isEmpty()) {
            ctx.err << "gatehoused key issue: unexpected '" << arg << "'\n";
            return kExitUsage;
        } else {
            dir = arg;
        }
    }
    if (dir.isEmpty() || request.subject.isEmpty()) {
        ctx.err << "Usage: gatehoused key issue DIR --subject S [--scopes \"a b\"] [--ttl SECONDS] [--apis \"A,B\"]\n";
        return kExitUsage;
    }
    const auto settings = projectSettings(dir, ctx.err);
    if (!settings)
        return kExitErrors;
    const auto issuer = ApiKeyIssuer::open(settings->security.apiKeys, QDir(dir).absolutePath());
    const auto key = issuer ? (*issuer)->issue(request, QDateTime::currentSecsSinceEpoch())
                            : Result<QByteArray>(issuer.error());
    if (!key) {
        ctx.err << "gatehoused key issue: " << key.error().message << '\n';
        return kExitErrors;
    }
    ctx.out << *key << '\n';
    return kExitOk;
}

int revoke(Context &ctx, const QStringList &a)
{
    if (a.size() != 2 || a.at(0).startsWith(u'-') || a.at(1).startsWith(u'-')) {
        ctx.err << "Usage: gatehoused key revoke DIR JTI\n";
        return kExitUsage;
    }
    const auto settings = projectSettings(a.at(0), ctx.err);
    if (!settings)
        return kExitErrors;
    const QString file = QDir(a.at(0)).absoluteFilePath(settings->security.apiKeys.revocationFile);
    if (auto r = RevocationList::revoke(file, a.at(1)); !r) {
        ctx.err << "gatehoused key revoke: " << r.error().message << '\n';
        return kExitErrors;
    }
    ctx.out << "revoked " << a.at(1) << " (" << file << "); running gateways refuse it within a second\n";
    return kExitOk;
}

} // namespace

int runKey(Context &ctx)
{
    const QString action = ctx.args.value(0);
    if (action == u"issue")
        return issue(ctx, ctx.args.mid(1));
    if (action == u"revoke")
        return revoke(ctx, ctx.args.mid(1));
    ctx.err << "gatehoused key: expected 'issue' or 'revoke'\nUsage: gatehoused key issue|revoke DIR ...\n";
    return kExitUsage;
}

} // namespace Gatehouse::Cli
