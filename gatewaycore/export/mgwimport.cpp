// Import of a WSO2 MGW 3.x project: read and check everything first, then write the Gatehouse
// project (gatehouse.yaml, apis/, protos/, keys/, IMPORT-REPORT.md), then load and compile it.
#include "mgwimport.h"

#include "mgwruntimeconfig.h"
#include "tomldocument.h"

#include "base/savefile.h"
#include "pipeline/gatewayservices.h"
#include "pipeline/pipelinebuilder.h"
#include "project/gatewayconfig.h"
#include "project/mgwpolicies.h"
#include "project/project.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <functional>

namespace Gatehouse {

namespace {

constexpr qint64 kMaxInputBytes = 16 * 1024 * 1024;   // per file; an MGW project is text

const QRegularExpression &wso2Key()
{
    // A key, not a mention in a comment: `x-wso2-basePath:` or `"x-wso2-basePath":`.
    static const QRegularExpression re(QStringLiteral("^[ \\t{,]*\"?x-wso2-[A-Za-z-]+\"?\\s*:"),
                                       QRegularExpression::MultilineOption);
    return re;
}

QStringList filesUnder(const QString &root, const QString &relative, const QStringList &filters)
{
    QStringList out;
    QDirIterator it(root + u'/' + relative, filters, QDir::Files | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext())
        out.append(QDir(root).relativeFilePath(it.next()));
    out.sort();
    return out;
}

std::optional<QByteArray> readInput(const QString &path, const QString &display, Diagnostics &diagnostics)
{
    QFile file(path);
    if (QFileInfo(path).size() > kMaxInputBytes) {
        diagnostics.error({display, 0, 0}, QStringLiteral("larger than %1 MiB; not an MGW project file")
                                               .arg(kMaxInputBytes / (1024 * 1024)));
        return std::nullopt;
    }
    if (!file.open(QIODevice::ReadOnly)) {
        diagnostics.error({display, 0, 0}, QStringLiteral("cannot be read: %1").arg(file.errorString()));
        return std::nullopt;
    }
    return file.readAll();
}

// MGW's interceptors are Ballerina functions or Java classes: neither runs in Gatehouse. The line
// naming one is commented out in the imported API (so the API loads) and reported.
struct Interceptor
{
    SourceLocation where;
    QString ref;
};

QByteArray withoutInterceptors(const QByteArray &text, const QString &file, QList<Interceptor> &found)
{
    if (file.endsWith(u".json")) {
        QJsonDocument doc = QJsonDocument::fromJson(text);
        std::function<QJsonValue(const QJsonValue &)> strip = [&](const QJsonValue &v) -> QJsonValue {
            if (v.isArray()) {
                QJsonArray a;
                for (const QJsonValue &x : v.toArray())
                    a.append(strip(x));
                return a;
            }
            if (!v.isObject())
                return v;
            QJsonObject o;
            const QJsonObject in = v.toObject();
            for (auto it = in.begin(); it != in.end(); ++it) {
                if (it.key() == u"x-wso2-request-interceptor" || it.key() == u"x-wso2-response-interceptor") {
                    found.append({{file, 0, 0}, it.value().toString()});
                    continue;
                }
                o.insert(it.key(), strip(it.value()));
            }
            return o;
        };
        const QByteArray probe = text;
        if (!probe.contains("-interceptor\"") || !doc.isObject())
            return text;
        return QJsonDocument(strip(doc.object()).toObject()).toJson(QJsonDocument::Indented);
    }
    static const QRegularExpression line(
        QStringLiteral("^(\\s*)(?:-\\s+)?([\"']?)x-wso2-(request|response)-interceptor\\2\\s*:\\s*(.*)$"));
    QList<QByteArray> lines = text.split('\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QString s = QString::fromUtf8(lines.at(i));
        const QRegularExpressionMatch m = line.match(s);
        if (!m.hasMatch() || s.trimmed().startsWith(u'#'))
            continue;
        QString ref = m.captured(4).trimmed();
        if (ref.size() >= 2 && (ref.startsWith(u'"') || ref.startsWith(u'\'')))
            ref = ref.mid(1, ref.size() - 2);
        found.append({{file, int(i) + 1, int(m.capturedStart(2)) + 1}, ref});
        lines[i] = (m.captured(1) + QStringLiteral("# ") + s.mid(m.captured(1).size())
                    + QStringLiteral("   # Gatehouse import: not carried over, see IMPORT-REPORT.md"))
                       .toUtf8();
    }
    return lines.join('\n');
}

QString tierYaml(const ThrottleTier &tier)
{
    QString yaml = QStringLiteral("    %1:\n      count: %2\n      unit: %3\n")
                       .arg(mgwYamlScalar(tier.name))
                       .arg(tier.count)
                       .arg(timeUnitName(tier.unit));
    if (tier.unitTime != 1)
        yaml += QStringLiteral("      unitTime: %1\n").arg(tier.unitTime);
    if (!tier.stopOnQuotaReach)
        yaml += QStringLiteral("      stopOnQuotaReach: false\n");
    return yaml;
}

bool writeFile(const QString &path, const QByteArray &data, bool secret, QString *error)
{
    const auto saved = saveFile(path, data, secret ? FileAccess::OwnerOnly : FileAccess::Default);
    if (!saved)
        *error = saved.error().message;
    return bool(saved);
}

void checkImported(const QString &dir, Diagnostics &diagnostics)
{
    const Project project = Project::load(dir, diagnostics);
    if (diagnostics.hasErrors())
        return;
    std::shared_ptr<GatewayConfig> config = compileProject(project, diagnostics);
    if (!config)
        return;
    GatewayServices services(1, project.rootDir);
    services.configure(*config, diagnostics);
    buildFilterChains(*config, services, diagnostics);
    diagnostics.sort();
}

} // namespace

bool MgwLayout::isMgw() const
{
    return !apiFiles.isEmpty()
           && (wso2ApiFiles > 0 || !policies.isEmpty() || !runtimeConfig.isEmpty()
               || !deploymentConfig.isEmpty() || apiDir == u"api_definitions");
}

MgwLayout detectMgwLayout(const QString &dir)
{
    MgwLayout layout;
    layout.dir = QFileInfo(dir).absoluteFilePath();
    const QDir root(layout.dir);
    for (const QString &candidate : {QStringLiteral("api_definitions"), QStringLiteral("apis")}) {
        if (!QFileInfo(root.filePath(candidate)).isDir())
            continue;
        layout.apiDir = candidate;
        layout.apiFiles = filesUnder(layout.dir, candidate, {QStringLiteral("*.yaml"), QStringLiteral("*.yml"),
                                                             QStringLiteral("*.json")});
        for (const QString &file : std::as_const(layout.apiFiles)) {
            QFile f(root.filePath(file));
            if (f.size() <= kMaxInputBytes && f.open(QIODevice::ReadOnly)
                && wso2Key().match(QString::fromUtf8(f.readAll())).hasMatch())
                ++layout.wso2ApiFiles;
        }
        break;
    }
    if (QFileInfo(root.filePath(QStringLiteral("grpc_definitions"))).isDir()) {
        layout.grpcDir = QStringLiteral("grpc_definitions");
        layout.protoFiles = filesUnder(layout.dir, layout.grpcDir, {QStringLiteral("*.proto")});
    }
    if (QFileInfo(root.filePath(QStringLiteral("conf/micro-gw.conf"))).isFile())
        layout.runtimeConfig = QStringLiteral("conf/micro-gw.conf");
    if (QFileInfo(root.filePath(QStringLiteral("conf/deployment-config.toml"))).isFile())
        layout.deploymentConfig = QStringLiteral("conf/deployment-config.toml");
    if (QFileInfo(root.filePath(QStringLiteral("policies.yaml"))).isFile())
        layout.policies = QStringLiteral("policies.yaml");
    layout.interceptors = filesUnder(layout.dir, QStringLiteral("interceptors"), {});
    for (const QString &other : {QStringLiteral("lib"), QStringLiteral("extensions"), QStringLiteral("services")}) {
        if (QFileInfo(root.filePath(other)).isDir() && !QDir(root.filePath(other)).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot))
            layout.otherFolders.append(other);
    }
    layout.hasGatehouseYaml = root.exists(QStringLiteral("gatehouse.yaml")) || root.exists(QStringLiteral("gatehouse.yml"));
    return layout;
}

QString MgwImportResult::reportMarkdown() const
{
    QString md = QStringLiteral("# Import of a WSO2 API Microgateway project\n\n"
                                "Written by `gatehoused import-wso2` (docs/import-wso2.md). Check the project with "
                                "`gatehoused check .`\n\n## Carried over\n\n");
    for (const QString &c : carried)
        md += QStringLiteral("- %1\n").arg(c);
    md += QStringLiteral("\n## Not carried over\n\n");
    if (notCarried.isEmpty())
        md += QStringLiteral("Nothing: every part of the MGW project has a Gatehouse counterpart.\n");
    for (const MgwImportNote &n : notCarried) {
        md += QStringLiteral("- %1%2: %3\n")
                  .arg(n.where.isValid() ? QStringLiteral("`%1` ").arg(n.where.toString()) : QString(), n.what, n.why);
    }
    md += QStringLiteral("\n## Check of the imported project\n\n");
    if (check.isEmpty())
        md += QStringLiteral("No errors, no warnings.\n");
    else
        md += QStringLiteral("%1 errors, %2 warnings:\n\n```\n%3\n```\n")
                  .arg(check.errorCount())
                  .arg(check.warningCount())
                  .arg(check.toString().trimmed());
    return md;
}

Result<MgwImportResult> importMgwProject(const MgwImportOptions &options, Diagnostics &diagnostics)
{
    const MgwLayout layout = detectMgwLayout(options.mgwDir);
    const QString mgwName = QFileInfo(layout.dir).fileName();
    if (!QFileInfo(layout.dir).isDir())
        return Error::config(QStringLiteral("%1 is not a folder").arg(options.mgwDir));
    if (layout.apiFiles.isEmpty() && layout.protoFiles.isEmpty())
        return Error::config(QStringLiteral("%1 is not a WSO2 Microgateway 3.x project: it has no OpenAPI files under "
                                            "api_definitions/ and no .proto files under grpc_definitions/")
                                 .arg(layout.dir));
    const QString outDir = QFileInfo(options.outDir).absoluteFilePath();
    if (outDir == layout.dir || outDir.startsWith(layout.dir + u'/'))
        return Error::config(QStringLiteral("the output folder %1 is inside the MGW project; choose another one").arg(outDir));
    if (QFileInfo::exists(outDir)
        && (!QFileInfo(outDir).isDir() || !QDir(outDir).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System)))
        return Error::config(QStringLiteral("%1 exists and is not an empty folder").arg(outDir));

    MgwImportResult result;
    result.outDir = outDir;
    QList<std::pair<QString, QByteArray>> files;   // outDir-relative → content
    QList<std::pair<QString, QByteArray>> secrets;
    const QDir mgw(layout.dir);

    // Everything is read and checked before anything is written.
    QList<Interceptor> interceptors;
    for (const QString &api : layout.apiFiles) {
        if (QFileInfo(mgw.filePath(api)).isSymLink()) {
            result.notCarried.append({{api, 0, 0}, api, QStringLiteral("a symbolic link: copy the file itself into the project")});
            continue;
        }
        const std::optional<QByteArray> text = readInput(mgw.filePath(api), api, diagnostics);
        if (!text)
            continue;
        Diagnostics apiDiagnostics;
        loadOpenApiFile(layout.dir, api, apiDiagnostics);
        if (apiDiagnostics.hasErrors()) {
            for (const Diagnostic &d : apiDiagnostics.items())
                if (d.severity == Severity::Error)
                    diagnostics.add(d);
            continue;
        }
        const QString target = QStringLiteral("apis/") + api.mid(layout.apiDir.size() + 1);
        files.append({target, withoutInterceptors(*text, api, interceptors)});
    }
    if (!layout.apiFiles.isEmpty())
        result.carried.append(QStringLiteral("%1 OpenAPI definition(s) from %2/ into apis/ (x-wso2-* extensions are read as they are)")
                                  .arg(layout.apiFiles.size()).arg(layout.apiDir));
    for (const QString &proto : layout.protoFiles) {
        if (QFileInfo(mgw.filePath(proto)).isSymLink()) {
            result.notCarried.append({{proto, 0, 0}, proto, QStringLiteral("a symbolic link: copy the file itself into the project")});
            continue;
        }
        if (const std::optional<QByteArray> text = readInput(mgw.filePath(proto), proto, diagnostics))
            files.append({QStringLiteral("protos/") + proto.mid(layout.grpcDir.size() + 1), *text});
    }
    if (!layout.protoFiles.isEmpty())
        result.carried.append(QStringLiteral("%1 gRPC definition(s) from grpc_definitions/ into protos/ (wso2 options are understood)")
                                  .arg(layout.protoFiles.size()));

    QString tiersYaml;
    if (!layout.policies.isEmpty()) {
        Diagnostics policyDiagnostics;
        const QList<ThrottleTier> tiers = importMgwPolicies(mgw.filePath(layout.policies), layout.policies, policyDiagnostics);
        diagnostics.append(policyDiagnostics);
        for (const ThrottleTier &tier : tiers) {
            if (!tier.isUnlimited())
                tiersYaml += tierYaml(tier);
        }
        if (!policyDiagnostics.hasErrors())
            result.carried.append(QStringLiteral("%1 throttling policies from policies.yaml as tiers").arg(tiers.size()));
    }

    MgwRuntimeImport runtime;
    QString runtimePath = options.runtimeConfig;
    QString runtimeDisplay = runtimePath;
    if (runtimePath.isEmpty() && !layout.runtimeConfig.isEmpty()) {
        runtimePath = mgw.filePath(layout.runtimeConfig);
        runtimeDisplay = layout.runtimeConfig;
    }
    if (!runtimePath.isEmpty()) {
        if (const std::optional<QByteArray> text = readInput(runtimePath, runtimeDisplay, diagnostics)) {
            if (const std::optional<TomlValue> conf = parseToml(*text, runtimeDisplay, diagnostics))
                runtime = importMgwRuntimeConfig(*conf, runtimeDisplay, options.certificateDir, diagnostics);
        }
    } else {
        result.notCarried.append({{}, QStringLiteral("conf/micro-gw.conf"),
                                  QStringLiteral("not in the project: issuers, key manager, users and listeners come from "
                                                 "the MGW runtime's micro-gw.conf; import again with --conf FILE to carry them over")});
    }
    if (!layout.deploymentConfig.isEmpty()) {
        if (const std::optional<QByteArray> text = readInput(mgw.filePath(layout.deploymentConfig), layout.deploymentConfig, diagnostics)) {
            if (parseToml(*text, layout.deploymentConfig, diagnostics))
                result.notCarried.append({{layout.deploymentConfig, 0, 0}, QStringLiteral("Docker and Kubernetes settings"),
                                          QStringLiteral("'gatehoused export --image FILE.tar --k8s DIR' writes the image and "
                                                         "manifests (docs/export.md)")});
        }
    }
    if (diagnostics.hasErrors())
        return Error::config(QStringLiteral("the MGW project has errors; nothing was written"));

    for (const Interceptor &i : std::as_const(interceptors)) {
        QString source;
        if (i.ref.startsWith(u"java:")) {
            source = QStringLiteral("a Java class from lib/");
        } else {
            const QRegularExpression fn(QStringLiteral("function\\s+%1\\s*\\(").arg(QRegularExpression::escape(i.ref)));
            for (const QString &file : layout.interceptors) {
                QFile f(mgw.filePath(file));
                if (f.size() <= kMaxInputBytes && f.open(QIODevice::ReadOnly) && fn.match(QString::fromUtf8(f.readAll())).hasMatch())
                    source = file;
            }
            source = source.isEmpty() ? QStringLiteral("a Ballerina function not found under interceptors/")
                                      : QStringLiteral("the Ballerina function in %1").arg(source);
        }
        result.notCarried.append({i.where, QStringLiteral("interceptor '%1' (%2)").arg(i.ref, source),
                                  QStringLiteral("Ballerina and Java do not run in Gatehouse: the API now runs without it "
                                                 "(the line is commented out); rewrite it as a Lua policy "
                                                 "(x-gatehouse-request-policies, docs/policies.md)")});
    }
    for (const QString &file : layout.interceptors) {
        if (QFileInfo(mgw.filePath(file)).isSymLink()) {
            result.notCarried.append({{file, 0, 0}, file, QStringLiteral("a symbolic link: not copied")});
            continue;
        }
        files.append({QStringLiteral("mgw-interceptors/") + file.mid(13), readInput(mgw.filePath(file), file, diagnostics).value_or(QByteArray())});
    }
    if (!layout.interceptors.isEmpty())
        result.carried.append(QStringLiteral("the interceptor sources, for reference only, into mgw-interceptors/"));
    for (const QString &other : layout.otherFolders)
        result.notCarried.append({{}, other + u'/',
                                  other == u"lib" ? QStringLiteral("Java libraries (interceptors, extensions) do not run in Gatehouse")
                                                  : QStringLiteral("MGW extensions and services have no counterpart")});
    result.carried += runtime.carried;
    result.notCarried += runtime.notCarried;

    QString yaml = QStringLiteral("# Imported from the WSO2 API Microgateway project %1 by 'gatehoused import-wso2'.\n"
                                  "# IMPORT-REPORT.md lists what was carried over and what was not.\n"
                                  "version: 1\nname: %2\n").arg(mgwName, mgwYamlScalar(mgwName));
    if (!runtime.listenersYaml.isEmpty())
        yaml += u'\n' + runtime.listenersYaml;
    if (!runtime.securityYaml.isEmpty())
        yaml += u'\n' + runtime.securityYaml;
    if (!tiersYaml.isEmpty())
        yaml += QStringLiteral("\n# From policies.yaml (resource, application and subscription policies).\n"
                               "throttling:\n  tiers:\n") + tiersYaml;
    files.append({QStringLiteral("gatehouse.yaml"), yaml.toUtf8()});
    for (const auto &[target, source] : std::as_const(runtime.copies)) {
        QFile f(source);
        if (f.size() <= kMaxInputBytes && f.open(QIODevice::ReadOnly))
            files.append({target, f.readAll()});
    }

    QString error;
    if (!QDir().mkpath(outDir))
        return Error::io(QStringLiteral("cannot create %1").arg(outDir));
    for (const auto &[path, data] : std::as_const(files)) {
        if (!writeFile(outDir + u'/' + path, data, false, &error))
            return Error::io(error);
        result.files.append(path);
    }
    for (const auto &[path, data] : std::as_const(runtime.secretFiles)) {
        if (!writeFile(outDir + u'/' + path, data, true, &error))
            return Error::io(error);
        result.files.append(path);
    }
    checkImported(outDir, result.check);
    result.files.append(QStringLiteral("IMPORT-REPORT.md"));
    result.files.sort();
    if (!writeFile(outDir + QStringLiteral("/IMPORT-REPORT.md"), result.reportMarkdown().toUtf8(), false, &error))
        return Error::io(error);
    return result;
}

} // namespace Gatehouse
