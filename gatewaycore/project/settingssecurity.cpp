// gatehouse.yaml `security:`: JWT issuers, introspection key managers, the API-key issuer, Basic users.
#include "settingssections.h"

#include "security/passwordhash.h"
#include "settingsvalues.h"

#include <QHostAddress>
#include <QRegularExpression>

namespace Gatehouse::SettingsSections {

namespace {

const QStringList kHmacAlgorithms{QStringLiteral("HS256"), QStringLiteral("HS384"), QStringLiteral("HS512")};
const QStringList kPublicKeyAlgorithms{
    QStringLiteral("RS256"), QStringLiteral("RS384"), QStringLiteral("RS512"), QStringLiteral("PS256"),
    QStringLiteral("PS384"), QStringLiteral("PS512"), QStringLiteral("ES256"), QStringLiteral("ES384"),
    QStringLiteral("ES512"), QStringLiteral("EdDSA")};

void readClaims(SettingsReader &r, const SettingsField &field, ClaimMapping &out)
{
    const std::optional<SettingsMap> map = r.map(field, {
        QStringLiteral("scopes"), QStringLiteral("subject"), QStringLiteral("application"),
        QStringLiteral("applicationTier"), QStringLiteral("subscriptionTier")});
    if (!map)
        return;
    if (const SettingsField *f = map->find(u"scopes"))
        r.readString(*f, out.scopes);
    if (const SettingsField *f = map->find(u"subject"))
        r.readString(*f, out.subject);
    if (const SettingsField *f = map->find(u"application"))
        r.readString(*f, out.application);
    if (const SettingsField *f = map->find(u"applicationTier"))
        r.readString(*f, out.applicationTier);
    if (const SettingsField *f = map->find(u"subscriptionTier"))
        r.readString(*f, out.subscriptionTier);
}

// Reads `name:` of a list entry and refuses a missing or repeated one.
bool readName(SettingsReader &r, const SettingsMap &map, const SettingsField &entry, const QString &what,
              QStringList &seen, QString &out)
{
    const SettingsField *f = map.find(u"name");
    if (!f) {
        r.error(entry, QStringLiteral("%1 '%2' needs a 'name'").arg(what, entry.path));
        return false;
    }
    if (!r.readString(*f, out))
        return false;
    if (seen.contains(out)) {
        r.error(*f, QStringLiteral("%1 name '%2' is used twice").arg(what, out));
        return false;
    }
    seen.append(out);
    return true;
}

bool isLoopbackUrl(const QUrl &url)
{
    return url.host() == u"localhost" || QHostAddress(url.host()).isLoopback();
}

void readIssuer(SettingsReader &r, const SettingsField &entry, const ApiKeyIssuerSettings &apiKeys,
                QStringList &names, QStringList &issuers, QList<JwtIssuer> &out)
{
    const std::optional<SettingsMap> map = r.map(entry, {
        QStringLiteral("name"), QStringLiteral("issuer"), QStringLiteral("audiences"),
        QStringLiteral("jwksFile"), QStringLiteral("jwksUrl"), QStringLiteral("jwksRefresh"),
        QStringLiteral("jwksMinRefetch"), QStringLiteral("certificate"), QStringLiteral("secret"),
        QStringLiteral("algorithms"), QStringLiteral("claims"), QStringLiteral("clockSkew"),
        QStringLiteral("requireExp")});
    if (!map)
        return;
    JwtIssuer issuer;
    issuer.location = r.locationOf(entry);
    if (!readName(r, *map, entry, QStringLiteral("issuer"), names, issuer.name))
        return;
    if (const SettingsField *f = map->find(u"issuer")) {
        if (r.readString(*f, issuer.issuer)) {
            if (issuers.contains(issuer.issuer))
                r.error(*f, QStringLiteral("two issuers expect iss '%1'; a token could not tell them apart")
                                .arg(issuer.issuer));
            issuers.append(issuer.issuer);
        }
    } else {
        r.error(entry, QStringLiteral("issuer '%1' needs 'issuer', the iss claim its tokens carry")
                           .arg(issuer.name));
    }
    if (const SettingsField *f = map->find(u"audiences"))
        r.readStringList(*f, issuer.audiences);
    if (const SettingsField *f = map->find(u"jwksFile")) {
        // The API-key issuer's own JWKS is written on first run, so it may not exist yet.
        QString path;
        const bool generated = r.readString(*f, path) && path == apiKeys.jwksFile;
        r.readFile(*f, generated ? FileCheck::GeneratedOnFirstRun : FileCheck::MustExist, issuer.jwksFile);
    }
    if (const SettingsField *f = map->find(u"jwksUrl")) {
        if (r.readUrl(*f, {QStringLiteral("http"), QStringLiteral("https")}, issuer.jwksUrl)
            && issuer.jwksUrl.scheme().toLower() == u"http" && !isLoopbackUrl(issuer.jwksUrl)) {
            r.warning(*f, QStringLiteral("issuer '%1' fetches its keys over plain http; anyone on the path "
                                         "could replace them (use https)").arg(issuer.name));
        }
    }
    if (const SettingsField *f = map->find(u"jwksRefresh"))
        r.readSeconds(*f, seconds(10), issuer.jwksRefresh);
    if (const SettingsField *f = map->find(u"jwksMinRefetch"))
        r.readSeconds(*f, seconds(1), issuer.jwksMinRefetch);
    if (const SettingsField *f = map->find(u"certificate"))
        r.readFile(*f, FileCheck::MustExist, issuer.certificateFile);
    if (const SettingsField *f = map->find(u"secret"))
        r.readSecret(*f, issuer.hmacSecret);
    const SettingsField *algorithms = map->find(u"algorithms");
    if (algorithms) {
        QStringList allowed;
        if (r.readStringList(*algorithms, allowed)) {
            const QStringList known = kPublicKeyAlgorithms + kHmacAlgorithms;
            for (const QString &name : allowed) {
                if (!known.contains(name)) {
                    r.error(*algorithms, QStringLiteral("unknown value '%1' for '%2' (allowed: %3)")
                                             .arg(name, algorithms->path, known.join(QStringLiteral(", "))));
                    allowed.clear();
                    break;
                }
            }
            issuer.algorithms = allowed;
        }
    }
    if (const SettingsField *f = map->find(u"claims"))
        readClaims(r, *f, issuer.claims);
    if (const SettingsField *f = map->find(u"clockSkew"))
        r.readSeconds(*f, seconds(0), issuer.clockSkew);
    if (const SettingsField *f = map->find(u"requireExp"))
        r.readBool(*f, issuer.requireExp);

    // One kind of key per issuer: mixing an HMAC secret with public keys is how RS→HS confusion
    // attacks start, so it is refused here rather than guarded on every request.
    const bool hasSecret = map->contains(u"secret");
    const bool hasPublic = map->contains(u"jwksFile") || map->contains(u"jwksUrl") || map->contains(u"certificate");
    const auto anyOf = [&](const QStringList &set) {
        for (const QString &a : issuer.algorithms) {
            if (set.contains(a))
                return a;
        }
        return QString();
    };
    if (!hasSecret && !hasPublic) {
        r.error(entry, QStringLiteral("issuer '%1' has no key source: set jwksFile, jwksUrl, certificate "
                                      "or secret").arg(issuer.name));
    } else if (hasSecret && hasPublic) {
        r.error(*map->find(u"secret"), QStringLiteral("issuer '%1' mixes an HMAC secret with public keys; "
                                                      "split it into two issuers").arg(issuer.name));
    } else if (const QString hmac = anyOf(kHmacAlgorithms); !hmac.isEmpty() && !hasSecret) {
        r.error(*algorithms, QStringLiteral("issuer '%1' allows %2 but has no 'secret'").arg(issuer.name, hmac));
    } else if (const QString pk = anyOf(kPublicKeyAlgorithms); !pk.isEmpty() && !hasPublic) {
        r.error(*algorithms, QStringLiteral("issuer '%1' allows %2 but has no public keys (jwksFile, "
                                            "jwksUrl or certificate)").arg(issuer.name, pk));
    }
    out.append(issuer);
}

void readKeyManager(SettingsReader &r, const SettingsField &entry, QStringList &names, QList<KeyManager> &out)
{
    const std::optional<SettingsMap> map = r.map(entry, {
        QStringLiteral("name"), QStringLiteral("introspectionUrl"), QStringLiteral("auth"),
        QStringLiteral("clientId"), QStringLiteral("clientSecret"), QStringLiteral("bearerToken"),
        QStringLiteral("cacheTtl"), QStringLiteral("timeout"), QStringLiteral("onError"),
        QStringLiteral("claims")});
    if (!map)
        return;
    KeyManager km;
    km.location = r.locationOf(entry);
    if (!readName(r, *map, entry, QStringLiteral("key manager"), names, km.name))
        return;
    if (const SettingsField *f = map->find(u"introspectionUrl")) {
        r.readUrl(*f, {QStringLiteral("http"), QStringLiteral("https")}, km.introspectionUrl);
    } else {
        r.error(entry, QStringLiteral("key manager '%1' needs 'introspectionUrl', its RFC 7662 endpoint")
                           .arg(km.name));
    }
    const SettingsField *auth = map->find(u"auth");
    if (auth) {
        r.readEnum(*auth, EnumChoices<IntrospectionAuth>{{QStringLiteral("basic"), IntrospectionAuth::Basic},
                                                         {QStringLiteral("bearer"), IntrospectionAuth::Bearer}},
                   km.auth);
    }
    if (const SettingsField *f = map->find(u"clientId"))
        r.readString(*f, km.clientId);
    if (const SettingsField *f = map->find(u"clientSecret"))
        r.readSecret(*f, km.clientSecret);
    if (const SettingsField *f = map->find(u"bearerToken"))
        r.readSecret(*f, km.bearerToken);
    if (const SettingsField *f = map->find(u"cacheTtl"))
        r.readSeconds(*f, seconds(0), km.cacheTtl);
    if (const SettingsField *f = map->find(u"timeout"))
        r.readDuration(*f, milliseconds(1), km.timeout);
    if (const SettingsField *f = map->find(u"onError")) {
        r.readEnum(*f, EnumChoices<IntrospectionFailure>{
                           {QStringLiteral("unauthorized"), IntrospectionFailure::Unauthorized},
                           {QStringLiteral("unavailable"), IntrospectionFailure::Unavailable}},
                   km.onError);
    }
    if (const SettingsField *f = map->find(u"claims"))
        readClaims(r, *f, km.claims);
    const SettingsField &where = auth ? *auth : entry;
    if (km.auth == IntrospectionAuth::Basic && (!map->contains(u"clientId") || !map->contains(u"clientSecret"))) {
        r.error(where, QStringLiteral("key manager '%1' authenticates with 'auth: basic' and needs "
                                      "'clientId' and 'clientSecret'").arg(km.name));
    } else if (km.auth == IntrospectionAuth::Bearer && !map->contains(u"bearerToken")) {
        r.error(where, QStringLiteral("key manager '%1' authenticates with 'auth: bearer' and needs "
                                      "'bearerToken'").arg(km.name));
    }
    out.append(km);
}

void readApiKeys(SettingsReader &r, const SettingsField &field, ApiKeyIssuerSettings &out)
{
    const std::optional<SettingsMap> map = r.map(field, {
        QStringLiteral("enabled"), QStringLiteral("issuer"), QStringLiteral("privateKey"),
        QStringLiteral("jwksFile"), QStringLiteral("algorithm"), QStringLiteral("defaultTtl"),
        QStringLiteral("maxTtl"), QStringLiteral("revocationFile"), QStringLiteral("httpsEndpoint")});
    if (!map)
        return;
    if (const SettingsField *f = map->find(u"enabled"))
        r.readBool(*f, out.enabled);
    if (const SettingsField *f = map->find(u"issuer"))
        r.readString(*f, out.issuer);
    if (const SettingsField *f = map->find(u"privateKey"))
        r.readFile(*f, FileCheck::GeneratedOnFirstRun, out.privateKeyFile);
    if (const SettingsField *f = map->find(u"jwksFile"))
        r.readFile(*f, FileCheck::GeneratedOnFirstRun, out.jwksFile);
    if (const SettingsField *f = map->find(u"algorithm")) {
        const int index = r.readChoice(*f, {QStringLiteral("RS256"), QStringLiteral("ES256")});
        if (index >= 0)
            out.algorithm = index == 0 ? QStringLiteral("RS256") : QStringLiteral("ES256");
    }
    if (const SettingsField *f = map->find(u"defaultTtl"))
        r.readSeconds(*f, seconds(1), out.defaultTtl);
    if (const SettingsField *f = map->find(u"maxTtl"))
        r.readSeconds(*f, seconds(1), out.maxTtl);
    if (out.defaultTtl > out.maxTtl) {
        const SettingsField *f = map->find(u"defaultTtl") ? map->find(u"defaultTtl") : map->find(u"maxTtl");
        r.error(*f, QStringLiteral("'security.apiKeys.defaultTtl' (%1 s) is longer than 'maxTtl' (%2 s)")
                        .arg(out.defaultTtl.count()).arg(out.maxTtl.count()));
    }
    if (const SettingsField *f = map->find(u"revocationFile"))
        r.readFile(*f, FileCheck::GeneratedOnFirstRun, out.revocationFile);
    if (const SettingsField *f = map->find(u"httpsEndpoint"))
        r.readBool(*f, out.httpsEndpoint);
}

void readUser(SettingsReader &r, const SettingsField &entry, QStringList &names, QList<BasicUser> &out)
{
    const std::optional<SettingsMap> map = r.map(entry, {QStringLiteral("name"), QStringLiteral("passwordHash"),
                                                         QStringLiteral("password"), QStringLiteral("scopes")});
    if (!map)
        return;
    BasicUser user;
    user.location = r.locationOf(entry);
    if (!readName(r, *map, entry, QStringLiteral("user"), names, user.name))
        return;
    if (user.name.contains(u':')) {
        // Basic auth splits "user:password" at the first colon.
        r.error(*map->find(u"name"), QStringLiteral("user name '%1' must not contain ':'").arg(user.name));
    }
    const SettingsField *hash = map->find(u"passwordHash");
    const SettingsField *password = map->find(u"password");
    if (hash && hash->value.IsScalar() && hash->value.Scalar().rfind("${", 0) == 0) {
        // A reference (exported bundles): the hash itself is read and checked at start.
        r.readSecret(*hash, user.passwordHashRef);
    } else if (hash && r.readString(*hash, user.passwordHash)) {
        const Result<PasswordHashInfo> info = parsePasswordHash(user.passwordHash);
        if (!info) {
            r.error(*hash, QStringLiteral("invalid password hash for user '%1': %2").arg(user.name, info.error().message));
        } else if (info->isLegacy()) {
            r.warning(*hash, QStringLiteral("user '%1' has an unsalted legacy %2 hash; replace it with a "
                                            "pbkdf2-sha256 or scrypt hash (gatehoused user hash)").arg(user.name, info->digest));
        } else if (info->scheme == PasswordHashScheme::Scrypt) {
            if (info->scryptLogN < kRecommendedScryptLogN)
                r.warning(*hash, QStringLiteral("the scrypt hash of user '%1' uses only N = 2^%2; use at least 2^%3")
                                     .arg(user.name).arg(info->scryptLogN).arg(kRecommendedScryptLogN));
        } else if (info->iterations < kRecommendedPbkdf2Iterations) {
            r.warning(*hash, QStringLiteral("the password hash of user '%1' uses only %2 iterations; use "
                                            "at least %3").arg(user.name).arg(info->iterations)
                                 .arg(kRecommendedPbkdf2Iterations));
        }
    }
    if (password)
        r.readSecret(*password, user.password);
    if (hash && password) {
        r.error(*password, QStringLiteral("user '%1' has both 'passwordHash' and 'password'; keep one")
                               .arg(user.name));
    } else if (!hash && !password) {
        r.error(entry, QStringLiteral("user '%1' has no password: set 'passwordHash' or 'password' "
                                      "(such as ${env:NAME})").arg(user.name));
    }
    if (const SettingsField *f = map->find(u"scopes"))
        r.readStringList(*f, user.scopes);
    out.append(user);
}

} // namespace

void readSecurity(SettingsReader &r, const SettingsField &field, SecuritySettings &out)
{
    const std::optional<SettingsMap> map = r.map(field, {
        QStringLiteral("authorizationHeader"), QStringLiteral("forwardAuthorization"),
        QStringLiteral("tokenCacheEntries"), QStringLiteral("issuers"), QStringLiteral("keyManagers"),
        QStringLiteral("apiKeys"), QStringLiteral("users")});
    if (!map)
        return;
    if (const SettingsField *f = map->find(u"authorizationHeader")) {
        static const QRegularExpression token(QStringLiteral("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$"));
        QString header;
        if (r.readString(*f, header)) {
            if (token.match(header).hasMatch())
                out.defaultAuthHeader = header;
            else
                r.error(*f, QStringLiteral("'%1' is not a valid HTTP header name").arg(header));
        }
    }
    if (const SettingsField *f = map->find(u"forwardAuthorization"))
        r.readBool(*f, out.forwardAuthorization);
    if (const SettingsField *f = map->find(u"tokenCacheEntries"))
        r.readInt(*f, 0, 10'000'000, out.tokenCacheEntries);
    // The API-key issuer first: issuers may point at its generated JWKS.
    if (const SettingsField *f = map->find(u"apiKeys"))
        readApiKeys(r, *f, out.apiKeys);
    if (const SettingsField *f = map->find(u"issuers")) {
        QStringList names, issuers;
        for (const SettingsField &entry : r.sequence(*f).value_or(QList<SettingsField>()))
            readIssuer(r, entry, out.apiKeys, names, issuers, out.issuers);
    }
    if (const SettingsField *f = map->find(u"keyManagers")) {
        QStringList names;
        for (const SettingsField &entry : r.sequence(*f).value_or(QList<SettingsField>()))
            readKeyManager(r, entry, names, out.keyManagers);
    }
    if (const SettingsField *f = map->find(u"users")) {
        QStringList names;
        for (const SettingsField &entry : r.sequence(*f).value_or(QList<SettingsField>()))
            readUser(r, entry, names, out.users);
    }
}

} // namespace Gatehouse::SettingsSections
