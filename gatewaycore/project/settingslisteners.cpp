// gatehouse.yaml sections about the network: listeners (incl. TLS and client certificates), limits,
// upstream connections and gRPC endpoints.
#include "settingssections.h"

#include "settingsvalues.h"

#include <QFileInfo>
#include <QHostAddress>
#include <QRegularExpression>

namespace Gatehouse::SettingsSections {

namespace {

// Where each listener's port came from, to point at the second of two clashing listeners.
struct PortUse
{
    QString name;
    const ListenerSettings *listener = nullptr;
    SourceLocation where;
};

bool isHeaderName(const QString &name)
{
    static const QRegularExpression token(QStringLiteral("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$"));
    return token.match(name).hasMatch();
}

bool readAddress(SettingsReader &r, const SettingsField &field, QString &out)
{
    QString text;
    if (!r.readString(field, text))
        return false;
    if (text != u"localhost" && QHostAddress(text).isNull()) {
        r.error(field, QStringLiteral("'%1' must be an IP address such as 0.0.0.0, 127.0.0.1 or ::, "
                                      "found '%2'").arg(field.path, text));
        return false;
    }
    out = text == u"localhost" ? QStringLiteral("127.0.0.1") : text;
    return true;
}

// Reads the keys every listener has; returns the map for the TLS reader to continue with.
std::optional<SettingsMap> readListener(SettingsReader &r, const SettingsField &field,
                                        const QStringList &keys, ListenerSettings &out,
                                        SourceLocation &portLocation)
{
    std::optional<SettingsMap> map = r.map(field, keys);
    if (!map)
        return map;
    out.location = r.locationOf(field);
    portLocation = out.location;
    if (const SettingsField *f = map->find(u"enabled"))
        r.readBool(*f, out.enabled);
    if (const SettingsField *f = map->find(u"address"))
        readAddress(r, *f, out.address);
    if (const SettingsField *f = map->find(u"port")) {
        if (r.readInt(*f, 0, 65535, out.port))
            portLocation = r.locationOf(*f);
    }
    return map;
}

void readTls(SettingsReader &r, const SettingsMap &map, TlsListenerSettings &out)
{
    const SettingsField *certificate = map.find(u"certificate");
    const SettingsField *privateKey = map.find(u"privateKey");
    if (certificate)
        r.readFile(*certificate, FileCheck::GeneratedOnFirstRun, out.certificateFile);
    if (privateKey)
        r.readFile(*privateKey, FileCheck::GeneratedOnFirstRun, out.privateKeyFile);
    // A pair is generated only when both halves are missing: half a pair cannot be completed.
    const bool haveCertificate = r.fileExists(out.certificateFile);
    const bool haveKey = r.fileExists(out.privateKeyFile);
    if (out.enabled && haveCertificate != haveKey) {
        const SettingsField *missing = haveCertificate ? privateKey : certificate;
        const QString message = QStringLiteral("'%1' exists but '%2' does not; give both files, or "
                                               "neither to have a self-signed pair generated")
                                    .arg(haveCertificate ? out.certificateFile : out.privateKeyFile,
                                         haveCertificate ? out.privateKeyFile : out.certificateFile);
        if (missing)
            r.error(*missing, message);
        else
            r.error(out.location, message);
    }
    const SettingsField *mode = map.find(u"clientCertificates");
    if (mode) {
        r.readEnum(*mode, EnumChoices<ClientCertMode>{{QStringLiteral("none"), ClientCertMode::None},
                                                      {QStringLiteral("request"), ClientCertMode::Request},
                                                      {QStringLiteral("require"), ClientCertMode::Require}},
                   out.clientCertificates);
    }
    if (const SettingsField *f = map.find(u"clientCa"))
        r.readFile(*f, FileCheck::MustExist, out.clientCaFile);
    if (mode && out.clientCertificates != ClientCertMode::None && !map.contains(u"clientCa")) {
        r.error(*mode, QStringLiteral("'%1' needs 'clientCa', the CA bundle that client certificates "
                                      "must chain to").arg(mode->path));
    }
    if (const SettingsField *f = map.find(u"alpn")) {
        QStringList protocols;
        if (r.readStringList(*f, protocols)) {
            const QStringList known{QStringLiteral("h2"), QStringLiteral("http/1.1")};
            bool ok = !protocols.isEmpty();
            for (const QString &protocol : protocols) {
                if (!known.contains(protocol)) {
                    r.error(*f, QStringLiteral("unknown protocol '%1' in '%2' (allowed: h2, http/1.1)")
                                    .arg(protocol, f->path));
                    ok = false;
                }
            }
            if (protocols.isEmpty())
                r.error(*f, QStringLiteral("'%1' must name at least one protocol").arg(f->path));
            if (ok)
                out.alpn = protocols;
        }
    }
    if (const SettingsField *f = map.find(u"clientCertificateHeader")) {
        if (r.readString(*f, out.clientCertificateHeader) && !isHeaderName(out.clientCertificateHeader)) {
            r.error(*f, QStringLiteral("'%1' is not a valid HTTP header name").arg(out.clientCertificateHeader));
            out.clientCertificateHeader.clear();
        }
    }
    if (const SettingsField *f = map.find(u"trustedProxies")) {
        QStringList proxies;
        if (r.readStringList(*f, proxies)) {
            for (const QString &proxy : proxies) {
                const bool valid = proxy.contains(u'/') ? !QHostAddress::parseSubnet(proxy).first.isNull()
                                                        : !QHostAddress(proxy).isNull();
                if (!valid) {
                    r.error(*f, QStringLiteral("'%1' in '%2' is not an address or a CIDR range such as "
                                               "10.0.0.0/8").arg(proxy, f->path));
                    proxies.clear();
                    break;
                }
            }
            out.trustedProxies = proxies;
        }
    }
    if (!out.clientCertificateHeader.isEmpty() && out.trustedProxies.isEmpty()) {
        r.error(*map.find(u"clientCertificateHeader"),
                QStringLiteral("'clientCertificateHeader' needs 'trustedProxies': without it any client "
                               "could claim any certificate"));
    }
}

bool overlaps(const QString &a, const QString &b)
{
    const auto isAny = [](const QString &address) { return address == u"0.0.0.0" || address == u"::"; };
    return a == b || isAny(a) || isAny(b);
}

} // namespace

void readListeners(SettingsReader &r, const SettingsField &field, Listeners &out)
{
    const std::optional<SettingsMap> map = r.map(field, {QStringLiteral("http"), QStringLiteral("https"),
                                                         QStringLiteral("admin")});
    if (!map)
        return;
    const QStringList plainKeys{QStringLiteral("enabled"), QStringLiteral("address"), QStringLiteral("port")};
    QList<PortUse> uses{{QStringLiteral("http"), &out.http, {}},
                        {QStringLiteral("https"), &out.https, {}},
                        {QStringLiteral("admin"), &out.admin, {}}};
    if (const SettingsField *f = map->find(u"http"))
        readListener(r, *f, plainKeys, out.http, uses[0].where);
    if (const SettingsField *f = map->find(u"https")) {
        const QStringList tlsKeys = plainKeys + QStringList{
            QStringLiteral("certificate"), QStringLiteral("privateKey"), QStringLiteral("clientCertificates"),
            QStringLiteral("clientCa"), QStringLiteral("alpn"), QStringLiteral("clientCertificateHeader"),
            QStringLiteral("trustedProxies")};
        if (const std::optional<SettingsMap> tls = readListener(r, *f, tlsKeys, out.https, uses[1].where))
            readTls(r, *tls, out.https);
    }
    if (const SettingsField *f = map->find(u"admin"))
        readListener(r, *f, plainKeys, out.admin, uses[2].where);

    for (qsizetype i = 0; i < uses.size(); ++i) {
        const ListenerSettings &a = *uses[i].listener;
        for (qsizetype j = 0; j < i; ++j) {
            const ListenerSettings &b = *uses[j].listener;
            if (!a.enabled || !b.enabled || a.port == 0 || a.port != b.port || !overlaps(a.address, b.address))
                continue;
            const SourceLocation where = uses[i].where.isValid() ? uses[i].where : uses[j].where;
            r.error(where.isValid() ? where : r.locationOf(field.value),
                    QStringLiteral("listeners '%1' and '%2' both use port %3 on %4")
                        .arg(uses[j].name, uses[i].name).arg(a.port)
                        .arg(a.address == b.address ? a.address : QStringLiteral("overlapping addresses")));
            break;
        }
    }
}

void readLimits(SettingsReader &r, const SettingsField &field, Limits &out)
{
    const std::optional<SettingsMap> map = r.map(field, {
        QStringLiteral("maxRequestLine"), QStringLiteral("maxHeaderSize"), QStringLiteral("maxHeaderCount"),
        QStringLiteral("maxBodySize"), QStringLiteral("maxConnections"), QStringLiteral("headerTimeout"),
        QStringLiteral("bodyTimeout"), QStringLiteral("idleTimeout"), QStringLiteral("drainTimeout"),
        QStringLiteral("http2MaxConcurrentStreams"), QStringLiteral("http2MaxHeaderListSize")});
    if (!map)
        return;
    if (const SettingsField *f = map->find(u"maxRequestLine"))
        r.readSize(*f, 256, out.maxRequestLineBytes);
    if (const SettingsField *f = map->find(u"maxHeaderSize"))
        r.readSize(*f, 1024, out.maxHeaderBytes);
    if (const SettingsField *f = map->find(u"maxHeaderCount"))
        r.readInt(*f, 1, 10'000, out.maxHeaderCount);
    if (const SettingsField *f = map->find(u"maxBodySize"))
        r.readSize(*f, 0, out.maxBodyBytes);
    if (const SettingsField *f = map->find(u"maxConnections"))
        r.readInt(*f, 0, 10'000'000, out.maxConnections);
    if (const SettingsField *f = map->find(u"headerTimeout"))
        r.readDuration(*f, milliseconds(100), out.headerTimeout);
    if (const SettingsField *f = map->find(u"bodyTimeout"))
        r.readDuration(*f, milliseconds(100), out.bodyTimeout);
    if (const SettingsField *f = map->find(u"idleTimeout"))
        r.readDuration(*f, milliseconds(0), out.idleTimeout);
    if (const SettingsField *f = map->find(u"drainTimeout"))
        r.readDuration(*f, milliseconds(0), out.drainTimeout);
    if (const SettingsField *f = map->find(u"http2MaxConcurrentStreams"))
        r.readInt(*f, 1, 10'000, out.http2MaxConcurrentStreams);
    if (const SettingsField *f = map->find(u"http2MaxHeaderListSize"))
        r.readSize(*f, 1024, out.http2MaxHeaderListBytes);
}

void readUpstream(SettingsReader &r, const SettingsField &field, UpstreamSettings &out)
{
    const std::optional<SettingsMap> map = r.map(field, {
        QStringLiteral("connectTimeout"), QStringLiteral("requestTimeout"), QStringLiteral("idleTimeout"),
        QStringLiteral("maxRetries"), QStringLiteral("maxIdleConnectionsPerHost"), QStringLiteral("verifyTls"),
        QStringLiteral("caFile"), QStringLiteral("clientCertificate"), QStringLiteral("clientKey"),
        QStringLiteral("circuitBreaker")});
    if (!map)
        return;
    if (const SettingsField *f = map->find(u"connectTimeout"))
        r.readDuration(*f, milliseconds(1), out.connectTimeout);
    if (const SettingsField *f = map->find(u"requestTimeout"))
        r.readDuration(*f, milliseconds(1), out.requestTimeout);
    if (const SettingsField *f = map->find(u"idleTimeout"))
        r.readDuration(*f, milliseconds(0), out.idleTimeout);
    if (const SettingsField *f = map->find(u"maxRetries"))
        r.readInt(*f, 0, 10, out.maxRetries);
    if (const SettingsField *f = map->find(u"maxIdleConnectionsPerHost"))
        r.readInt(*f, 0, 100'000, out.maxIdleConnectionsPerHost);
    if (const SettingsField *f = map->find(u"verifyTls"))
        r.readBool(*f, out.verifyTls);
    if (const SettingsField *f = map->find(u"caFile"))
        r.readFile(*f, FileCheck::MustExist, out.caFile);
    const SettingsField *certificate = map->find(u"clientCertificate");
    const SettingsField *key = map->find(u"clientKey");
    if (certificate)
        r.readFile(*certificate, FileCheck::MustExist, out.clientCertificateFile);
    if (key)
        r.readFile(*key, FileCheck::MustExist, out.clientKeyFile);
    if (bool(certificate) != bool(key)) {
        r.error(certificate ? *certificate : *key,
                QStringLiteral("'upstream.clientCertificate' and 'upstream.clientKey' go together; "
                               "give both"));
    }
    if (const SettingsField *f = map->find(u"circuitBreaker")) {
        if (const auto breaker = r.map(*f, {QStringLiteral("failureThreshold"), QStringLiteral("openDuration")})) {
            if (const SettingsField *g = breaker->find(u"failureThreshold"))
                r.readInt(*g, 0, 1000, out.circuitBreaker.failureThreshold);
            if (const SettingsField *g = breaker->find(u"openDuration"))
                r.readDuration(*g, milliseconds(100), out.circuitBreaker.openDuration);
        }
    }
}

namespace {

// grpc.cors: the cors policy's settings, for browsers calling gRPC methods with gRPC-Web.
void readGrpcCors(SettingsReader &r, const SettingsField &field, ProjectSettings &out)
{
    const std::optional<SettingsMap> map = r.map(
        field, {QStringLiteral("allowOrigins"), QStringLiteral("allowMethods"), QStringLiteral("allowHeaders"),
                QStringLiteral("exposeHeaders"), QStringLiteral("allowCredentials"), QStringLiteral("maxAge")});
    if (!map)
        return;
    CorsSettings cors;
    cors.enabled = true;
    cors.location = r.locationOf(field);
    // A gRPC-Web client reads the status from these when the answer is trailers-only.
    cors.exposeHeaders = {QStringLiteral("grpc-status"), QStringLiteral("grpc-message"),
                          QStringLiteral("grpc-status-details-bin")};
    if (const SettingsField *f = map->find(u"allowOrigins"))
        r.readStringList(*f, cors.allowOrigins);
    if (const SettingsField *f = map->find(u"allowMethods")) {
        QStringList methods;
        if (r.readStringList(*f, methods)) {
            for (const QString &m : std::as_const(methods))
                cors.allowMethods.append(m.toUpper());
        }
    }
    if (const SettingsField *f = map->find(u"allowHeaders"))
        r.readStringList(*f, cors.allowHeaders);
    if (const SettingsField *f = map->find(u"exposeHeaders"))
        r.readStringList(*f, cors.exposeHeaders);
    if (const SettingsField *f = map->find(u"allowCredentials"))
        r.readBool(*f, cors.allowCredentials);
    if (const SettingsField *f = map->find(u"maxAge")) {
        std::chrono::seconds age{};
        if (r.readSeconds(*f, std::chrono::seconds(0), age))
            cors.maxAge = age;
    }
    if (cors.allowCredentials && cors.allowOrigins.contains(QStringLiteral("*")))
        r.warning(*map->find(u"allowCredentials"),
                  QStringLiteral("browsers refuse credentials when the allowed origin is '*': list the origins instead"));
    out.grpcCors = cors;
}

} // namespace

void readGrpc(SettingsReader &r, const SettingsField &field, ProjectSettings &out)
{
    const std::optional<SettingsMap> map = r.map(field, {QStringLiteral("endpoints"), QStringLiteral("cors")});
    if (!map)
        return;
    if (const SettingsField *cors = map->find(u"cors"))
        readGrpcCors(r, *cors, out);
    const SettingsField *endpoints = map->find(u"endpoints");
    if (!endpoints)
        return;
    const std::optional<SettingsMap> services = r.namedMap(*endpoints);
    if (!services)
        return;
    static const QRegularExpression serviceName(
        QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*$"));
    for (const SettingsField &service : services->fields()) {
        if (!serviceName.match(service.key).hasMatch()) {
            r.error(r.locationOf(service.keyNode),
                    QStringLiteral("'%1' is not a gRPC service name; write the full name, such as "
                                   "helloworld.Greeter").arg(service.key));
            continue;
        }
        QList<SettingsField> items;
        if (service.value.IsSequence()) {
            items = r.sequence(service).value_or(QList<SettingsField>());
            if (items.isEmpty())
                r.error(service, QStringLiteral("'%1' lists no endpoint").arg(service.path));
        } else {
            items.append(service);
        }
        QList<QUrl> urls;
        for (const SettingsField &item : items) {
            QUrl url;
            if (r.readUrl(item, {QStringLiteral("http"), QStringLiteral("https")}, url))
                urls.append(url);
        }
        if (!urls.isEmpty() && urls.size() == items.size()) {
            out.grpcEndpoints.insert(service.key, urls);
            out.grpcEndpointLocations.insert(service.key, r.locationOf(service.keyNode));
        }
    }
}

} // namespace Gatehouse::SettingsSections
