// `gatehoused export`: a project written as a resolved, validated, self-contained bundle.
#include "bundlewriter.h"

#include "apibundler.h"

#include "project/gatewayconfig.h"
#include "project/project.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <set>

namespace Gatehouse {

namespace {

bool looksLikePrivateKey(const QByteArray &bytes)
{
    const qsizetype begin = bytes.indexOf("-----BEGIN");
    return begin >= 0 && bytes.indexOf("PRIVATE KEY", begin) >= 0;
}

// A project-relative path that stays inside the project, or empty.
QString insideProject(const QString &path)
{
    if (path.isEmpty() || QDir::isAbsolutePath(path))
        return {};
    const QString clean = QDir::cleanPath(path);
    return clean == u".." || clean.startsWith(QStringLiteral("../")) ? QString() : clean;
}

class BundleTreeWriter
{
public:
    BundleTreeWriter(const BundleOptions &options, BundleResult &result) : m_options(options), m_result(result)
    {}

    bool write(const QString &relative, const QByteArray &bytes, bool secret = false)
    {
        const QString path = m_result.outDir + u'/' + relative;
        if (!QDir().mkpath(QFileInfo(path).path())) {
            m_error = QStringLiteral("cannot create the folder of %1").arg(path);
            return false;
        }
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(bytes) != bytes.size()
            || !file.flush()) {
            m_error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
            return false;
        }
        file.setPermissions(secret ? QFile::ReadOwner | QFile::WriteOwner
                                   : QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther);
        m_written.insert(relative);
        return true;
    }

    // Copies a project file; a file holding a private key is left out unless secrets are included.
    bool copy(const QString &relative, bool secret = false)
    {
        if (m_written.count(relative))
            return true;
        QFile file(m_options.projectDir + u'/' + relative);
        if (!file.open(QIODevice::ReadOnly)) {
            m_error = QStringLiteral("cannot read %1: %2").arg(file.fileName(), file.errorString());
            return false;
        }
        const QByteArray bytes = file.readAll();
        if ((secret || looksLikePrivateKey(bytes)) && !m_options.includeSecrets) {
            leaveOut(relative);
            return true;
        }
        return write(relative, bytes, secret || looksLikePrivateKey(bytes));
    }

    void leaveOut(const QString &relative)
    {
        if (!m_result.leftOut.contains(relative))
            m_result.leftOut.append(relative);
    }

    QStringList written() const { return QStringList(m_written.begin(), m_written.end()); }
    QString error() const { return m_error; }

private:
    const BundleOptions &m_options;
    BundleResult &m_result;
    std::set<QString> m_written;
    QString m_error;
};

QStringList filesUnder(const QString &root, const QString &relativeDir)
{
    QStringList out;
    QDirIterator it(root + u'/' + relativeDir, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = QDir(root).relativeFilePath(it.next());
        if (!QFileInfo(path).fileName().startsWith(u'.'))
            out.append(path);
    }
    out.sort();
    return out;
}

// Public files gatehouse.yaml names (certificates, JWKS, imported tiers ...), project-relative.
QStringList referencedPublicFiles(const ProjectSettings &s)
{
    QStringList files{s.listeners.https.clientCaFile, s.upstream.caFile, s.upstream.clientCertificateFile,
                      s.security.apiKeys.jwksFile, s.security.apiKeys.revocationFile};
    for (const JwtIssuer &issuer : s.security.issuers)
        files << issuer.jwksFile << issuer.certificateFile;
    files << s.throttling.imports;
    return files;
}

QByteArray markerJson(const BundleResult &result)
{
    QJsonArray variables;
    for (const EnvironmentVariable &v : result.variables) {
        variables.append(QJsonObject{{QStringLiteral("name"), v.name},
                                     {QStringLiteral("meaning"), v.meaning},
                                     {QStringLiteral("default"), v.defaultValue},
                                     {QStringLiteral("secret"), v.secret}});
    }
    return QJsonDocument(QJsonObject{{QStringLiteral("format"), 1},
                                     {QStringLiteral("name"), result.name},
                                     {QStringLiteral("environment"), variables}})
        .toJson(QJsonDocument::Indented);
}

QByteArray readme(const BundleResult &result, bool includeSecrets)
{
    QString t;
    t += QStringLiteral("# %1: Gatehouse bundle\n\n").arg(result.name);
    t += QStringLiteral("A resolved, validated, self-contained export of the project (made by `gatehoused "
                        "export`). Run it with:\n\n```sh\ngatehoused serve /path/to/this/folder\n```\n\n");
    t += QStringLiteral("`gatehoused check` validates it. Listeners: HTTP %1, HTTPS %2, admin %3 (`GET /health`, "
                        "`GET /metrics`). Health check for containers: `GET /health` on the admin port answers "
                        "200 while the gateway serves.\n\n")
             .arg(result.httpPort).arg(result.httpsPort).arg(result.adminPort);
    if (includeSecrets) {
        t += QStringLiteral("**This bundle contains secrets** (it was exported with --include-secrets): keep it "
                            "private.\n\n");
    }
    t += QStringLiteral("## Environment\n\nEvery variable is optional unless a secret setting names it: then "
                        "the gateway refuses to start without it. See docs/export.md.\n\n"
                        "| variable | meaning | default |\n|---|---|---|\n");
    for (const EnvironmentVariable &v : result.variables) {
        t += QStringLiteral("| `%1` | %2%3 | %4 |\n")
                 .arg(v.name, v.meaning, v.secret ? QStringLiteral(" (secret)") : QString(),
                      v.defaultValue.isEmpty() ? QString() : u'`' + v.defaultValue + u'`');
    }
    if (!result.leftOut.isEmpty()) {
        t += QStringLiteral("\n## Left out\n\nThese files of the project hold secrets and are not here; mount "
                            "them, or point the variables above at their mounted copies:\n\n");
        for (const QString &f : result.leftOut)
            t += QStringLiteral("- `%1`\n").arg(f);
    }
    return t.toUtf8();
}

} // namespace

Result<BundleResult> writeBundle(const BundleOptions &options, Diagnostics &diagnostics)
{
    const Project project = Project::load(options.projectDir, diagnostics);
    if (!diagnostics.hasErrors())
        compileProject(project, diagnostics);
    if (diagnostics.hasErrors())
        return Error::config(QStringLiteral("the project has errors; fix them before exporting"));

    BundleResult result;
    result.name = project.settings.name;
    const ProjectSettings &s = project.settings;
    result.httpPort = s.listeners.http.enabled ? s.listeners.http.port : 0;
    result.httpsPort = s.listeners.https.enabled ? s.listeners.https.port : 0;
    result.adminPort = s.listeners.admin.enabled ? s.listeners.admin.port : 0;
    result.drainTimeout = s.limits.drainTimeout;
    result.apiKeysEnabled = s.security.apiKeys.enabled;
    result.redisHost = s.throttling.redis.host;
    result.redisPort = s.throttling.redis.port;
    const QDir out(options.outDir);
    if (out.exists() && !out.isEmpty())
        return Error::io(QStringLiteral("%1 exists and is not empty; choose a new folder").arg(options.outDir));
    if (!QDir().mkpath(options.outDir))
        return Error::io(QStringLiteral("cannot create %1").arg(options.outDir));
    result.outDir = QFileInfo(options.outDir).canonicalFilePath();

    BundleOptions resolved = options;
    resolved.projectDir = project.rootDir;
    BundleTreeWriter writer(resolved, result);
    auto failed = [&] { return Error::io(writer.error()); };

    QStringList secretFiles;
    if (!s.file.isEmpty()) {
        QFile file(project.rootDir + u'/' + s.file);
        if (!file.open(QIODevice::ReadOnly))
            return Error::io(QStringLiteral("cannot read %1: %2").arg(s.file, file.errorString()));
        const SettingsExport settings = exportSettingsText(file.readAll(), s.file, options.includeSecrets,
                                                           diagnostics);
        if (diagnostics.hasErrors())
            return Error::config(QStringLiteral("%1 cannot be exported").arg(s.file));
        if (!writer.write(s.file, settings.text))
            return failed();
        result.secrets = settings.secrets;
        secretFiles = settings.secretFiles;
    }
    for (const ApiSpec &api : project.apis) {
        const Result<QByteArray> text = bundleApiDocument(project.rootDir, api.file, diagnostics);
        if (!text)
            return text.error();
        if (!writer.write(api.file, *text))
            return failed();
    }
    for (const QString &file : filesUnder(project.rootDir, QStringLiteral("protos"))) {
        if (file.endsWith(QStringLiteral(".proto")) && !writer.copy(file))
            return failed();
    }
    for (const QString &file : filesUnder(project.rootDir, QStringLiteral("policies"))) {
        if (!writer.copy(file, secretFiles.contains(file)))
            return failed();
    }
    for (const QString &path : referencedPublicFiles(s)) {
        const QString file = insideProject(path);
        if (!file.isEmpty() && QFileInfo(project.rootDir + u'/' + file).isFile() && !writer.copy(file))
            return failed();
    }
    // Private keys and their certificates (a pair: a certificate alone is an error at start).
    const QStringList secretPairs{s.listeners.https.certificateFile, s.listeners.https.privateKeyFile,
                                  s.upstream.clientKeyFile, s.security.apiKeys.privateKeyFile};
    for (const QString &path : secretPairs + secretFiles) {
        const QString file = insideProject(path);
        if (file.isEmpty() || !QFileInfo(project.rootDir + u'/' + file).isFile())
            continue;
        if (!options.includeSecrets)
            writer.leaveOut(file);
        else if (!writer.copy(file, true))
            return failed();
    }
    if (!options.includeSecrets && !s.upstream.clientKeyFile.isEmpty()) {
        diagnostics.warning({s.file, 0, 0}, QStringLiteral("the upstream client key '%1' is a private key and was "
                                                           "left out: mount it at that path in the bundle")
                                                .arg(s.upstream.clientKeyFile));
    }

    result.variables = overrideVariables(project);
    QStringList seen;
    for (const ExportedSecret &secret : std::as_const(result.secrets)) {
        if (secret.variable.isEmpty() || seen.contains(secret.variable))
            continue;
        seen.append(secret.variable);
        result.variables.append({secret.variable, QStringLiteral("secret for %1").arg(secret.setting), {}, true});
    }
    if (!writer.write(bundleMarkerFileName(), markerJson(result))
        || !writer.write(QStringLiteral("README.md"), readme(result, options.includeSecrets)))
        return failed();
    result.files = writer.written();
    result.files.sort();

    // The bundle must stand on its own: load and compile it as `gatehoused serve` will.
    Diagnostics bundleDiagnostics;
    const Project bundle = Project::load(result.outDir, bundleDiagnostics);
    if (!bundleDiagnostics.hasErrors())
        compileProject(bundle, bundleDiagnostics);
    if (bundleDiagnostics.hasErrors()) {
        for (const Diagnostic &d : bundleDiagnostics.items()) {
            if (d.severity == Severity::Error)
                diagnostics.add(d);
        }
        return Error::config(QStringLiteral("the bundle written to %1 does not load").arg(result.outDir));
    }
    return result;
}

} // namespace Gatehouse
