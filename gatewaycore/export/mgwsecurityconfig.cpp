// micro-gw.conf's security sections as gatehouse.yaml's: [[jwtTokenConfig]] → issuers,
// [apikey.issuer.tokenConfig] → apiKeys, ["b7a.users.NAME"] → users.
#include "mgwconfigmapper.h"

#include <QDir>
#include <QRegularExpression>
#include <QUrl>

namespace Gatehouse {

QString MgwConfigMapper::issuerName(const QString &issuer, const std::optional<QString> &given)
{
    QString base = given.value_or(QUrl(issuer).host());
    base.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9_.-]+")), QStringLiteral("-"));
    if (base.isEmpty())
        base = QStringLiteral("issuer");
    QString name = base;
    for (int i = 2; m_issuerNames.contains(name); ++i)
        name = QStringLiteral("%1-%2").arg(base).arg(i);
    m_issuerNames.append(name);
    return name;
}

// A truststore alias becomes a PEM file when the user supplied one with --certs.
QString MgwConfigMapper::certificateFor(const QString &alias)
{
    if (m_certificateDir.isEmpty() || alias.isEmpty())
        return {};
    for (const QString &ext : {QStringLiteral(".pem"), QStringLiteral(".crt"), QStringLiteral(".cer")}) {
        const QFileInfo file(QDir(m_certificateDir).filePath(alias + ext));
        if (file.isFile()) {
            const QString target = QStringLiteral("certs/%1.pem").arg(alias);
            m_out.copies.append({target, file.absoluteFilePath()});
            return target;
        }
    }
    return {};
}

void MgwConfigMapper::jwtIssuers()
{
    const TomlValue *v = m_root.find(QStringLiteral("jwtTokenConfig"));
    if (!v)
        return;
    QList<const TomlValue *> configs;
    if (v->isTable())
        configs.append(v);   // MGW 3.0: one [jwtTokenConfig]
    else if (v->kind == TomlValue::Kind::Array)
        for (const TomlValue &item : v->items)
            configs.append(&item);
    for (const TomlValue *c : configs) {
        const QString where = QStringLiteral("[[jwtTokenConfig]]");
        if (!c->isTable()) {
            wrongType(*c, QStringLiteral("jwtTokenConfig"), QStringLiteral("micro-gw.conf"), QStringLiteral("a table"));
            continue;
        }
        const std::optional<QString> issuer = string(c, QStringLiteral("issuer"), where);
        if (!issuer || issuer->isEmpty()) {
            note(*c, where, QStringLiteral("no issuer: a token issuer is selected by its 'iss' claim"));
            continue;
        }
        QString audiences;
        if (const TomlValue *aud = c->find(QStringLiteral("audience"))) {
            QStringList list;
            if (aud->kind == TomlValue::Kind::String)
                list.append(aud->text);
            else if (aud->kind == TomlValue::Kind::Array)
                for (const TomlValue &a : aud->items)
                    if (a.kind == TomlValue::Kind::String)
                        list.append(a.text);
            for (QString &a : list)
                a = mgwYamlScalar(a);
            if (!list.isEmpty())
                audiences = QStringLiteral("      audiences: [%1]\n").arg(list.join(QStringLiteral(", ")));
        }
        const QString jwks = string(c, QStringLiteral("jwksURL"), where)
                                 .value_or(string(c, QStringLiteral("jwksUrl"), where).value_or(QString()));
        const QString alias = string(c, QStringLiteral("certificateAlias"), where).value_or(QString());
        QString key;
        if (!jwks.isEmpty()) {
            key = QStringLiteral("      jwksUrl: %1\n").arg(mgwYamlScalar(jwks));
        } else if (const QString pem = certificateFor(alias); !pem.isEmpty()) {
            key = QStringLiteral("      certificate: %1\n").arg(pem);
        } else {
            note(*c, QStringLiteral("%1 issuer %2").arg(where, *issuer),
                 alias.isEmpty()
                     ? QStringLiteral("neither jwksURL nor certificateAlias: the issuer has no key to check tokens with")
                     : QStringLiteral("its key is certificate '%1' in MGW's truststore, which Gatehouse does not "
                                      "read: export it ('keytool -exportcert -rfc -alias %1 -keystore "
                                      "ballerinaTruststore.p12 > %1.pem') and import again with --certs DIR, "
                                      "or add the issuer with 'certificate:' yourself").arg(alias));
            continue;
        }
        const QString name = issuerName(*issuer, string(c, QStringLiteral("name"), where));
        m_issuers += QStringLiteral("    - name: %1\n      issuer: %2\n").arg(mgwYamlScalar(name), mgwYamlScalar(*issuer))
                     + audiences + key;
        if (const std::optional<QString> claim = string(c, QStringLiteral("consumerKeyClaim"), where))
            m_issuers += QStringLiteral("      claims:\n        application: %1\n").arg(mgwYamlScalar(*claim));
        m_out.carried.append(QStringLiteral("JWT issuer %1 as '%2'").arg(*issuer, name));
        if (boolean(c, QStringLiteral("validateSubscription"), where).value_or(false))
            note(*c->find(QStringLiteral("validateSubscription")), QStringLiteral("%1 validateSubscription").arg(where),
                 QStringLiteral("subscriptions live in API Manager, which Gatehouse does not ask: name the "
                                "subscription tier in a claim (issuers[].claims.subscriptionTier)"));
        if (const TomlValue *claims = c->find(QStringLiteral("claims")))
            note(*claims, QStringLiteral("%1 claims").arg(where),
                 QStringLiteral("claim mapping for backend JWTs is not supported"));
    }
}

void MgwConfigMapper::apiKeys()
{
    const QString where = QStringLiteral("[apikey.issuer.tokenConfig]");
    if (const TomlValue *t = section({QStringLiteral("apikey.issuer.tokenConfig"),
                                      QStringLiteral("apiKey.issuer.tokenConfig")})) {
        const std::optional<bool> enabled = boolean(t, QStringLiteral("enabled"), where);
        const std::optional<QString> issuer = string(t, QStringLiteral("issuer"), where);
        const std::optional<qint64> validity = integer(t, QStringLiteral("validityTime"), where);
        if (enabled)
            m_apiKeys += QStringLiteral("    enabled: %1\n").arg(*enabled ? u"true" : u"false");
        if (issuer) {
            m_apiKeys += QStringLiteral("    issuer: %1\n").arg(mgwYamlScalar(*issuer));
            m_apiKeyIssuer = *issuer;
        }
        if (validity && *validity > 0) {
            m_apiKeys += QStringLiteral("    defaultTtl: %1s\n").arg(*validity);
            if (*validity > 365LL * 86400)
                m_apiKeys += QStringLiteral("    maxTtl: %1s\n").arg(*validity);
        } else if (validity) {
            note(*t->find(QStringLiteral("validityTime")), QStringLiteral("%1 validityTime %2").arg(where).arg(*validity),
                 QStringLiteral("keys that never expire are not issued: a key lives at most "
                                "security.apiKeys.maxTtl (365 days by default)"));
        }
        m_out.carried.append(QStringLiteral("the API-key issuer %1").arg(issuer.value_or(QStringLiteral("(default)"))));
        if (const TomlValue *alias = t->find(QStringLiteral("certificateAlias")))
            note(*alias, QStringLiteral("%1 certificateAlias").arg(where),
                 QStringLiteral("API keys are signed with a new key pair generated on first run (keys/apikey.pem): "
                                "keys MGW issued are not accepted"));
        if (const TomlValue *apis = m_root.path({QStringLiteral("apikey"), QStringLiteral("issuer"), QStringLiteral("api")}))
            note(*apis, QStringLiteral("[[apikey.issuer.api]]"),
                 QStringLiteral("which APIs keys may be issued for is asked per key ('apis' of /apikey, "
                                "'gatehoused key issue --apis')"));
    }
    const TomlValue *configs = m_root.path({QStringLiteral("apikey"), QStringLiteral("tokenConfigs")});
    if (configs && configs->kind == TomlValue::Kind::Array) {
        for (const TomlValue &c : configs->items) {
            const QString issuer = string(&c, QStringLiteral("issuer"), QStringLiteral("[[apikey.tokenConfigs]]")).value_or(QString());
            if (!issuer.isEmpty() && issuer == m_apiKeyIssuer)
                continue;   // the gateway's own keys: accepted without configuration
            note(c, QStringLiteral("[[apikey.tokenConfigs]] issuer %1").arg(issuer),
                 QStringLiteral("Gatehouse accepts only API keys it issued itself (security.apiKeys)"));
        }
    }
}

void MgwConfigMapper::user(const QString &name, const TomlValue &t)
{
    const QString where = QStringLiteral("[b7a.users.%1]").arg(name);
    if (!t.isTable()) {
        wrongType(t, name, QStringLiteral("[b7a.users]"), QStringLiteral("a table"));
        return;
    }
    if (name.isEmpty() || name.contains(u':')) {
        note(t, where, QStringLiteral("a Basic-auth user name cannot be empty or contain ':'"));
        return;
    }
    const std::optional<QString> password = string(&t, QStringLiteral("password"), where);
    if (!password) {
        note(t, where, QStringLiteral("no password"));
        return;
    }
    m_users += QStringLiteral("    - name: %1\n").arg(mgwYamlScalar(name));
    static const QRegularExpression hash(QStringLiteral("^(@sha(1|256|384|512):\\{[0-9A-Fa-f]+\\}|[0-9A-Fa-f]{40})$"));
    if (hash.match(*password).hasMatch()) {
        m_users += QStringLiteral("      passwordHash: %1\n").arg(mgwYamlScalar(*password));
    } else {
        QString file = name.toLower();
        file.replace(QRegularExpression(QStringLiteral("[^a-z0-9_.-]+")), QStringLiteral("-"));
        m_users += QStringLiteral("      password: %1\n").arg(secretFile(QStringLiteral("mgw-user-%1-password").arg(file), *password));
    }
    QStringList scopes;
    if (const TomlValue *s = t.find(QStringLiteral("scopes"))) {
        if (s->kind == TomlValue::Kind::String)
            scopes = s->text.split(QRegularExpression(QStringLiteral("[,\\s]+")), Qt::SkipEmptyParts);
        else if (s->kind == TomlValue::Kind::Array)
            for (const TomlValue &x : s->items)
                if (x.kind == TomlValue::Kind::String)
                    scopes.append(x.text);
    }
    for (QString &s : scopes)
        s = mgwYamlScalar(s);
    if (!scopes.isEmpty())
        m_users += QStringLiteral("      scopes: [%1]\n").arg(scopes.join(QStringLiteral(", ")));
    m_out.carried.append(QStringLiteral("Basic-auth user '%1'").arg(name));
}

void MgwConfigMapper::users()
{
    // ["b7a.users.NAME"] (one quoted key, as MGW's docs write it) or [b7a.users.NAME].
    for (size_t i = 0; i < m_root.items.size(); ++i) {
        const QString &key = m_root.keys.at(qsizetype(i));
        if (key.startsWith(QStringLiteral("b7a.users.")))
            user(key.mid(10), m_root.items[i]);
    }
    if (const TomlValue *nested = m_root.path({QStringLiteral("b7a"), QStringLiteral("users")}); nested && nested->isTable())
        for (size_t i = 0; i < nested->items.size(); ++i)
            user(nested->keys.at(qsizetype(i)), nested->items[i]);
}

} // namespace Gatehouse
