// Start-time configuration of an exported bundle from environment variables (docs/export.md).
#include "environmentoverrides.h"

#include "project/project.h"

#include <QFileInfo>
#include <QHostAddress>
#include <QRegularExpression>
#include <QUrl>

#include <optional>

namespace Gatehouse {

namespace {

const QString kHttpPort = QStringLiteral("GATEHOUSE_HTTP_PORT");
const QString kHttpsPort = QStringLiteral("GATEHOUSE_HTTPS_PORT");
const QString kAdminPort = QStringLiteral("GATEHOUSE_ADMIN_PORT");
const QString kAdminAddress = QStringLiteral("GATEHOUSE_ADMIN_ADDRESS");
const QString kWorkers = QStringLiteral("GATEHOUSE_WORKERS");
const QString kTlsCertificate = QStringLiteral("GATEHOUSE_TLS_CERTIFICATE");
const QString kTlsPrivateKey = QStringLiteral("GATEHOUSE_TLS_PRIVATE_KEY");
const QString kApiKeyPrivateKey = QStringLiteral("GATEHOUSE_APIKEY_PRIVATE_KEY");

SourceLocation variableLocation(const QString &name)
{
    return {QStringLiteral("environment variable ") + name, 0, 0};
}

QString urlsText(const QList<QUrl> &urls)
{
    QStringList out;
    for (const QUrl &u : urls)
        out.append(u.toString());
    return out.join(u',');
}

void overridePort(const QProcessEnvironment &env, const QString &name, quint16 &port, Diagnostics &diagnostics)
{
    if (!env.contains(name))
        return;
    bool ok = false;
    const uint value = env.value(name).trimmed().toUInt(&ok);
    if (!ok || value > 65535) {
        diagnostics.error(variableLocation(name), QStringLiteral("'%1' is not a port number (0-65535)")
                                                      .arg(env.value(name)));
        return;
    }
    port = quint16(value);
}

// Comma- or space-separated absolute http(s) URLs.
std::optional<QList<QUrl>> parseUrls(const QProcessEnvironment &env, const QString &name,
                                     Diagnostics &diagnostics)
{
    static const QRegularExpression separators(QStringLiteral("[,\\s]+"));
    QList<QUrl> urls;
    for (const QString &text : env.value(name).split(separators, Qt::SkipEmptyParts)) {
        const QUrl url(text, QUrl::StrictMode);
        if (!url.isValid() || url.host().isEmpty()
            || (url.scheme() != u"http" && url.scheme() != u"https")) {
            diagnostics.error(variableLocation(name), QStringLiteral("'%1' is not an absolute http or https "
                                                                     "URL").arg(text));
            return std::nullopt;
        }
        urls.append(url);
    }
    if (urls.isEmpty()) {
        diagnostics.error(variableLocation(name), QStringLiteral("no URL given"));
        return std::nullopt;
    }
    return urls;
}

EndpointSet endpointSet(const QList<QUrl> &urls, const QString &variable)
{
    EndpointSet set;
    set.urls = urls;
    set.strategy = urls.size() > 1 ? EndpointStrategy::LoadBalance : EndpointStrategy::Single;
    set.location = variableLocation(variable);
    return set;
}

} // namespace

QString bundleMarkerFileName()
{
    return QStringLiteral("gatehouse-bundle.json");
}

bool isExportedBundle(const QString &projectDir)
{
    return QFileInfo(projectDir + u'/' + bundleMarkerFileName()).isFile();
}

QString environmentToken(const QString &name)
{
    QString base = name;
    if (base.startsWith(QStringLiteral("apis/")))
        base = QFileInfo(base).completeBaseName();
    QString out;
    for (const QChar c : base)
        out += c.isLetterOrNumber() && c.unicode() < 128 ? c.toUpper() : QChar(u'_');
    return out;
}

QString apiEndpointsVariable(const ApiSpec &api)
{
    return QStringLiteral("GATEHOUSE_API_%1_ENDPOINTS").arg(environmentToken(api.file));
}

QString grpcEndpointsVariable(const QString &serviceName)
{
    return QStringLiteral("GATEHOUSE_GRPC_%1_ENDPOINTS").arg(environmentToken(serviceName));
}

QList<EnvironmentVariable> overrideVariables(const Project &project)
{
    const ProjectSettings &s = project.settings;
    QList<EnvironmentVariable> out = {
        {kHttpPort, QStringLiteral("HTTP listener port"), QString::number(s.listeners.http.port)},
        {kHttpsPort, QStringLiteral("HTTPS listener port"), QString::number(s.listeners.https.port)},
        {kAdminPort, QStringLiteral("admin API port (/health, /metrics)"), QString::number(s.listeners.admin.port)},
        {kAdminAddress, QStringLiteral("admin API address; 0.0.0.0 lets probes and Prometheus reach it"),
         s.listeners.admin.address},
        {kWorkers, QStringLiteral("worker threads; 0 = one per core"), QString::number(s.workers)},
        {kTlsCertificate, QStringLiteral("PEM certificate of the HTTPS listener (with GATEHOUSE_TLS_PRIVATE_KEY)"),
         s.listeners.https.certificateFile},
        {kTlsPrivateKey, QStringLiteral("PEM private key of the HTTPS listener"), s.listeners.https.privateKeyFile},
        {kApiKeyPrivateKey, QStringLiteral("PEM signing key of the gateway's API-key issuer"),
         s.security.apiKeys.privateKeyFile},
    };
    for (const ApiSpec &api : project.apis) {
        const EndpointSet &set = api.extensions.productionEndpoints ? *api.extensions.productionEndpoints
                                                                    : api.serverEndpoints;
        out.append({apiEndpointsVariable(api),
                    QStringLiteral("upstream URLs of every operation of %1 (%2), comma-separated")
                        .arg(api.title, api.file),
                    urlsText(set.urls)});
    }
    for (const GrpcService &service : project.protos.services) {
        const QList<QUrl> urls = service.endpoints.isEmpty() ? s.grpcEndpoints.value(service.fullName)
                                                             : service.endpoints.urls;
        out.append({grpcEndpointsVariable(service.fullName),
                    QStringLiteral("upstream URLs of the gRPC service %1, comma-separated").arg(service.fullName),
                    urlsText(urls)});
    }
    return out;
}

void applyEnvironmentOverrides(Project &project, const QProcessEnvironment &env, Diagnostics &diagnostics)
{
    ProjectSettings &s = project.settings;
    overridePort(env, kHttpPort, s.listeners.http.port, diagnostics);
    overridePort(env, kHttpsPort, s.listeners.https.port, diagnostics);
    overridePort(env, kAdminPort, s.listeners.admin.port, diagnostics);
    if (env.contains(kAdminAddress)) {
        const QString address = env.value(kAdminAddress).trimmed();
        if (QHostAddress(address).isNull())
            diagnostics.error(variableLocation(kAdminAddress), QStringLiteral("'%1' is not an IP address").arg(address));
        else
            s.listeners.admin.address = address;
    }
    if (env.contains(kWorkers)) {
        bool ok = false;
        const int workers = env.value(kWorkers).trimmed().toInt(&ok);
        if (!ok || workers < 0 || workers > 1024)
            diagnostics.error(variableLocation(kWorkers), QStringLiteral("'%1' is not a number from 0 to 1024")
                                                              .arg(env.value(kWorkers)));
        else
            s.workers = workers;
    }
    if (env.contains(kTlsCertificate) != env.contains(kTlsPrivateKey)) {
        diagnostics.error(variableLocation(env.contains(kTlsCertificate) ? kTlsCertificate : kTlsPrivateKey),
                          QStringLiteral("set both GATEHOUSE_TLS_CERTIFICATE and GATEHOUSE_TLS_PRIVATE_KEY, or neither"));
    } else if (env.contains(kTlsCertificate)) {
        s.listeners.https.certificateFile = env.value(kTlsCertificate);
        s.listeners.https.privateKeyFile = env.value(kTlsPrivateKey);
    }
    if (env.contains(kApiKeyPrivateKey))
        s.security.apiKeys.privateKeyFile = env.value(kApiKeyPrivateKey);

    for (ApiSpec &api : project.apis) {
        const QString name = apiEndpointsVariable(api);
        if (!env.contains(name))
            continue;
        const std::optional<QList<QUrl>> urls = parseUrls(env, name, diagnostics);
        if (!urls)
            continue;
        // The API's production endpoints win over every servers entry; operations' own extensions
        // would win over the API's, so they go too: the variable names the upstream of the whole API.
        api.extensions.productionEndpoints = endpointSet(*urls, name);
        for (Operation &op : api.operations)
            op.extensions.productionEndpoints.reset();
    }
    for (GrpcService &service : project.protos.services) {
        const QString name = grpcEndpointsVariable(service.fullName);
        if (!env.contains(name))
            continue;
        if (const std::optional<QList<QUrl>> urls = parseUrls(env, name, diagnostics)) {
            service.endpoints = endpointSet(*urls, name);
            s.grpcEndpoints.insert(service.fullName, *urls);
        }
    }
}

} // namespace Gatehouse
