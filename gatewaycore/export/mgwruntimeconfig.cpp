// micro-gw.conf → gatehouse.yaml: [listenerConfig], [authConfig], [keyManager], [[jwtTokenConfig]],
// [apikey.issuer.tokenConfig], [apikey.tokenConfigs], [b7a.users]; the rest is reported.
#include "mgwconfigmapper.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonValue>
#include <QRegularExpression>
#include <QUrl>

#include <optional>

namespace Gatehouse {

QString mgwYamlScalar(const QString &text)
{
    static const QRegularExpression plain(QStringLiteral("^[A-Za-z_/][A-Za-z0-9_./@:+-]*$"));
    static const QRegularExpression keyword(
        QStringLiteral("^(true|false|yes|no|on|off|null|y|n)$"), QRegularExpression::CaseInsensitiveOption);
    if (plain.match(text).hasMatch() && !keyword.match(text).hasMatch() && !text.contains(QStringLiteral(": ")))
        return text;
    // A JSON string is a valid YAML double-quoted scalar.
    const QByteArray json = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(json.mid(1, json.size() - 2));
}

namespace {

// Sections and what to say about them when they are not carried over.
struct SectionNote
{
    const char *name;
    const char *why;
};

constexpr SectionNote kSectionNotes[] = {
    {"filters", "Gatehouse runs the policies each operation needs; there are no global filter switches"},
    {"throttlingConfig", "MGW's global throttling through a Traffic Manager has no counterpart: set "
                         "throttling.store to a Redis URL to share counters between replicas"},
    {"analytics", "WSO2 analytics is not supported: Gatehouse serves Prometheus metrics on the admin "
                  "listener and sends traces to an OTLP collector (telemetry in gatehouse.yaml)"},
    {"jwtConfig", "backend JWT generation is not supported: a Lua policy can pass claims upstream as headers"},
    {"jwtGenerator", "backend JWT generation is not supported: a Lua policy can pass claims upstream as headers"},
    {"caching", "verified tokens are always cached until they expire (security.tokenCacheEntries)"},
    {"tokenRevocationConfig", "revocation through API Manager's JMS topic is not supported: revoke API keys "
                              "with 'gatehoused key revoke'"},
    {"mutualSSLConfig", "set listeners.https.clientCertificates and clientCa for mutual TLS"},
    {"http2", "HTTP/2 is always offered (listeners.https.alpn)"},
    {"validationConfig", "request and response validation is a policy ('validate') attached per API"},
    {"apim", "API Manager event hub and subscription sync are not supported"},
    {"b7a", "Ballerina runtime settings have no counterpart"},
    {"mgw-runtime", "Ballerina runtime settings have no counterpart"},
    {"tokenListenerConfig", "Gatehouse's /apikey endpoint is on the admin listener"},
    {"opa", "OPA authorization is not supported: a Lua policy can call out per request"},
    {"serverless", "AWS Lambda endpoints are not supported"},
};

} // namespace

MgwRuntimeImport MgwConfigMapper::run()
{
    listeners();
    authConfig();
    keyManager();
    jwtIssuers();
    apiKeys();
    users();
    otherSections();
    QString security;
    if (!m_securityTop.isEmpty())
        security += m_securityTop;
    if (!m_apiKeys.isEmpty())
        security += QStringLiteral("  apiKeys:\n") + m_apiKeys;
    if (!m_issuers.isEmpty())
        security += QStringLiteral("  issuers:\n") + m_issuers;
    if (!m_keyManagers.isEmpty())
        security += QStringLiteral("  keyManagers:\n") + m_keyManagers;
    if (!m_users.isEmpty())
        security += QStringLiteral("  users:\n") + m_users;
    if (!security.isEmpty())
        m_out.securityYaml = QStringLiteral("security:\n") + security;
    return std::move(m_out);
}

void MgwConfigMapper::listeners()
{
    const QString where = QStringLiteral("[listenerConfig]");
    const TomlValue *l = section({QStringLiteral("listenerConfig")});
    if (!l)
        return;
    const std::optional<QString> host = string(l, QStringLiteral("host"), where);
    const std::optional<int> http = port(l, QStringLiteral("httpPort"), where);
    const std::optional<int> https = port(l, QStringLiteral("httpsPort"), where);
    const std::optional<int> token = port(l, QStringLiteral("tokenListenerPort"), where);
    QString address;
    if (host)
        address = QStringLiteral("    address: %1\n").arg(mgwYamlScalar(*host));
    QString yaml;
    if (http || host)
        yaml += QStringLiteral("  http:\n") + address
                + (http ? QStringLiteral("    port: %1\n").arg(*http) : QString());
    if (https || host)
        yaml += QStringLiteral("  https:\n") + address
                + (https ? QStringLiteral("    port: %1\n").arg(*https) : QString());
    if (token) {
        yaml += QStringLiteral("  admin:\n    port: %1\n").arg(*token);
        note(*l->find(QStringLiteral("tokenListenerPort")), QStringLiteral("tokenListenerPort %1").arg(*token),
             QStringLiteral("became the admin listener's port, where /apikey is served; that listener is "
                            "loopback-only unless listeners.admin.address says otherwise"));
    }
    if (!yaml.isEmpty()) {
        m_out.listenersYaml = QStringLiteral("listeners:\n") + yaml;
        m_out.carried.append(QStringLiteral("listeners (host and ports) from %1 %2").arg(m_file, where));
    }
    for (const QString &key : {QStringLiteral("keyStorePath"), QStringLiteral("keyStore")}) {
        if (const TomlValue *v = l->find(key)) {
            note(*v, QStringLiteral("%1 %2").arg(where, key),
                 QStringLiteral("the TLS key store (PKCS#12) is not read: convert it with 'openssl pkcs12 "
                                "-in KEYSTORE.p12 -nokeys -out keys/tls.crt' and '-nocerts -nodes -out "
                                "keys/tls.key'; until then a self-signed pair is generated on first run"));
        }
    }
}

void MgwConfigMapper::authConfig()
{
    const QString where = QStringLiteral("[authConfig]");
    const TomlValue *a = section({QStringLiteral("authConfig")});
    const TomlValue *l = section({QStringLiteral("listenerConfig")});
    std::optional<QString> header = string(a, QStringLiteral("authorizationHeader"), where);
    if (!header)   // MGW 3.0 kept it in [listenerConfig]
        header = string(l, QStringLiteral("authorizationHeader"), QStringLiteral("[listenerConfig]"));
    const std::optional<bool> remove = boolean(a, QStringLiteral("removeAuthHeaderFromOutMessage"), where);
    if (header && *header != u"Authorization")
        m_securityTop += QStringLiteral("  authorizationHeader: %1\n").arg(mgwYamlScalar(*header));
    if (remove && !*remove)
        m_securityTop += QStringLiteral("  forwardAuthorization: true\n");
    if (header || remove)
        m_out.carried.append(QStringLiteral("the authorization header settings of %1").arg(m_file));
}

void MgwConfigMapper::keyManager()
{
    const QString where = QStringLiteral("[keyManager]");
    const TomlValue *k = section({QStringLiteral("keyManager"), QStringLiteral("keymanager")});
    if (!k)
        return;
    const std::optional<QString> server = string(k, QStringLiteral("serverUrl"), where);
    const QString context = string(k, QStringLiteral("tokenContext"), where).value_or(QStringLiteral("oauth2"));
    if (!server) {
        note(*k, where, QStringLiteral("no serverUrl: there is no introspection endpoint to carry over"));
        return;
    }
    const QUrl url(*server);
    if (!url.isValid() || (url.scheme() != u"https" && url.scheme() != u"http") || url.host().isEmpty()) {
        m_diagnostics.error(at(*k->find(QStringLiteral("serverUrl"))),
                            QStringLiteral("serverUrl in %1 is not an http(s) URL: '%2'").arg(where, *server));
        return;
    }
    // MGW 3.0 had username/password in the section; 3.2 moved them to .security.basic.
    const TomlValue *basic = section({QStringLiteral("keyManager.security.basic"),
                                      QStringLiteral("keymanager.security.basic")});
    const TomlValue *credentials = basic ? basic : k;
    const QString credentialsWhere = basic ? QStringLiteral("[keyManager.security.basic]") : where;
    const std::optional<QString> user = string(credentials, QStringLiteral("username"), credentialsWhere);
    const std::optional<QString> password = string(credentials, QStringLiteral("password"), credentialsWhere);
    if (!user || !password) {
        note(*credentials, credentialsWhere,
             QStringLiteral("the key manager %1 has no username and password: add it to security.keyManagers "
                            "with its clientId and clientSecret").arg(*server));
        return;
    }
    QString introspection = *server;
    while (introspection.endsWith(u'/'))
        introspection.chop(1);
    introspection += u'/' + context + QStringLiteral("/introspect");
    m_keyManagers += QStringLiteral("    - name: mgw-key-manager\n      introspectionUrl: %1\n"
                                    "      auth: basic\n      clientId: %2\n      clientSecret: %3\n")
                         .arg(mgwYamlScalar(introspection), mgwYamlScalar(*user),
                              secretFile(QStringLiteral("mgw-key-manager-password"), *password));
    m_out.carried.append(QStringLiteral("the key manager %1 as introspection endpoint %2 (opaque tokens)")
                             .arg(*server, introspection));
    if (const TomlValue *skew = k->find(QStringLiteral("timestampSkew")))
        note(*skew, QStringLiteral("%1 timestampSkew").arg(where),
             QStringLiteral("Gatehouse's clock tolerance is per issuer (issuers[].clockSkew, default 60s)"));
}

void MgwConfigMapper::otherSections()
{
    static const QStringList handled = {
        QStringLiteral("listenerConfig"), QStringLiteral("authConfig"), QStringLiteral("keyManager"),
        QStringLiteral("keymanager"), QStringLiteral("jwtTokenConfig"), QStringLiteral("apikey"),
        QStringLiteral("apiKey"), QStringLiteral("b7a.users")};
    for (size_t i = 0; i < m_root.items.size(); ++i) {
        const QString &key = m_root.keys.at(qsizetype(i));
        if (handled.contains(key) || key.startsWith(QStringLiteral("b7a.users.")))
            continue;
        const TomlValue &v = m_root.items[i];
        if (key == u"b7a" && v.isTable() && v.keys == QStringList{QStringLiteral("users")})
            continue;
        QString why = QStringLiteral("no Gatehouse counterpart");
        for (const SectionNote &s : kSectionNotes) {
            if (key == QLatin1StringView(s.name) || key.startsWith(QLatin1StringView(s.name) + u'.'))
                why = QLatin1StringView(s.why);
        }
        note(v, v.isTable() ? QStringLiteral("[%1]").arg(key) : key, why);
    }
}

MgwRuntimeImport importMgwRuntimeConfig(const TomlValue &conf, const QString &displayPath,
                                        const QString &certificateDir, Diagnostics &diagnostics)
{
    return MgwConfigMapper(conf, displayPath, certificateDir, diagnostics).run();
}

} // namespace Gatehouse
