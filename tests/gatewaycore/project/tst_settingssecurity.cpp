// gatehouse.yaml `security:`: one row per diagnostic of issuers, key managers, the API-key issuer and
// users, and a check that a complete section is read into the model.
#include "settingstesthelpers.h"

#include <QTest>

using namespace Gatehouse;
using namespace SettingsTest;

// A valid PBKDF2 hash of "demo" (1000 iterations keeps the test fast; it warns as weak).
static const char kWeakHash[] =
    "pbkdf2-sha256$1000$MDEyMzQ1Njc4OWFiY2RlZg$yqSq2SygY1sB4EcH9f2FG0JTMES+wqLsOT5YmiRBplI";

class tst_SettingsSecurity : public QObject
{
    Q_OBJECT
private slots:
    void diagnostics_data();
    void diagnostics();
    void sectionIsRead();
};

void tst_SettingsSecurity::diagnostics_data()
{
    QTest::addColumn<QString>("yaml");
    QTest::addColumn<QStringList>("files");
    QTest::addColumn<QStringList>("expected");
    const QStringList none;

    // JWT issuers
    QTest::newRow("an issuer without any key source is refused")
        << lines({"security:", "  issuers:", "    - name: corp", "      issuer: https://idp.example.com/"}) << none
        << strings({"gatehouse.yaml:3:7: error: issuer 'corp' has no key source: set jwksFile, jwksUrl, certificate "
                    "or secret"});
    QTest::newRow("an issuer without a name is refused")
        << lines({"security:", "  issuers:", "    - issuer: https://idp.example.com/"}) << none
        << strings({"gatehouse.yaml:3:7: error: issuer 'security.issuers[0]' needs a 'name'"});
    QTest::newRow("an issuer without its iss is refused")
        << lines({"security:", "  issuers:", "    - name: corp", "      jwksUrl: https://idp.example.com/jwks"}) << none
        << strings({"gatehouse.yaml:3:7: error: issuer 'corp' needs 'issuer', the iss claim its tokens carry"});
    QTest::newRow("two issuers with one name are refused")
        << lines({"security:", "  issuers:",
                  "    - {name: corp, issuer: a, jwksUrl: \"https://a/jwks\"}",
                  "    - {name: corp, issuer: b, jwksUrl: \"https://b/jwks\"}"}) << none
        << strings({"gatehouse.yaml:4:14: error: issuer name 'corp' is used twice"});
    QTest::newRow("two issuers expecting one iss are refused")
        << lines({"security:", "  issuers:",
                  "    - {name: a, issuer: same, jwksUrl: \"https://a/jwks\"}",
                  "    - {name: b, issuer: same, jwksUrl: \"https://b/jwks\"}"}) << none
        << strings({"gatehouse.yaml:4:25: error: two issuers expect iss 'same'; a token could not tell them apart"});
    QTest::newRow("a JWKS URL must be http or https")
        << lines({"security:", "  issuers:", "    - name: corp", "      issuer: corp",
                  "      jwksUrl: ftp://idp.example.com/jwks"}) << none
        << strings({"gatehouse.yaml:5:16: error: 'security.issuers[0].jwksUrl' must be an http or https URL, found "
                    "'ftp://idp.example.com/jwks'"});
    QTest::newRow("a JWKS URL over plain http is a warning")
        << lines({"security:", "  issuers:", "    - name: corp", "      issuer: corp",
                  "      jwksUrl: http://idp.example.com/jwks"}) << none
        << strings({"gatehouse.yaml:5:16: warning: issuer 'corp' fetches its keys over plain http; anyone on the path "
                    "could replace them (use https)"});
    QTest::newRow("a JWKS URL over plain http to loopback is fine")
        << lines({"security:", "  issuers:", "    - name: dev", "      issuer: dev",
                  "      jwksUrl: http://127.0.0.1:8080/jwks"}) << none << none;
    QTest::newRow("an HS256 issuer without a secret is refused")
        << lines({"security:", "  issuers:", "    - name: corp", "      issuer: corp",
                  "      jwksUrl: https://idp.example.com/jwks", "      algorithms: [RS256, HS256]"}) << none
        << strings({"gatehouse.yaml:6:19: error: issuer 'corp' allows HS256 but has no 'secret'"});
    QTest::newRow("an RS256 issuer with only a secret is refused")
        << lines({"security:", "  issuers:", "    - name: corp", "      issuer: corp",
                  "      secret: ${env:CORP_SECRET}", "      algorithms: RS256"}) << none
        << strings({"gatehouse.yaml:6:19: error: issuer 'corp' allows RS256 but has no public keys (jwksFile, jwksUrl "
                    "or certificate)"});
    QTest::newRow("an issuer mixing a secret with public keys is refused")
        << lines({"security:", "  issuers:", "    - name: corp", "      issuer: corp",
                  "      jwksUrl: https://idp.example.com/jwks", "      secret: ${env:CORP_SECRET}"}) << none
        << strings({"gatehouse.yaml:6:15: error: issuer 'corp' mixes an HMAC secret with public keys; split it into "
                    "two issuers"});
    QTest::newRow("an unknown algorithm lists the allowed ones")
        << lines({"security:", "  issuers:", "    - name: corp", "      issuer: corp",
                  "      jwksUrl: https://idp.example.com/jwks", "      algorithms: [none]"}) << none
        << strings({"gatehouse.yaml:6:19: error: unknown value 'none' for 'security.issuers[0].algorithms' (allowed: "
                    "RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA, HS256, HS384, HS512)"});
    QTest::newRow("a literal issuer secret is a warning")
        << lines({"security:", "  issuers:", "    - name: corp", "      issuer: corp", "      secret: hunter2"}) << none
        << strings({"gatehouse.yaml:5:15: warning: 'security.issuers[0].secret' holds a literal secret, which exports "
                    "leave out; use ${env:NAME} or ${file:path} instead"});
    QTest::newRow("a secret reference with a bad variable name is refused")
        << lines({"security:", "  issuers:", "    - name: corp", "      issuer: corp", "      secret: ${env:1BAD}"})
        << none
        << strings({"gatehouse.yaml:5:15: error: invalid value for 'security.issuers[0].secret': '${env:1BAD}' is not "
                    "a valid environment variable reference: write ${env:NAME} with NAME made of letters, digits and "
                    "underscores"});
    QTest::newRow("an unknown kind of secret reference is refused")
        << lines({"security:", "  issuers:", "    - name: corp", "      issuer: corp", "      secret: ${vault:corp}"})
        << none
        << strings({"gatehouse.yaml:5:15: error: invalid value for 'security.issuers[0].secret': unknown secret "
                    "reference '${vault:corp}': use ${env:NAME} or ${file:path}"});
    QTest::newRow("a missing secret file in the project is refused")
        << lines({"security:", "  issuers:", "    - name: corp", "      issuer: corp",
                  "      secret: ${file:secrets/corp.key}"}) << none
        << strings({"gatehouse.yaml:5:15: error: secret file 'secrets/corp.key' for 'security.issuers[0].secret' does "
                    "not exist (relative paths start at the project folder)"});
    QTest::newRow("an absolute secret file is a deployment mount, checked at start")
        << lines({"security:", "  issuers:", "    - name: corp", "      issuer: corp",
                  "      secret: ${file:/run/secrets/corp.key}"}) << none << none;
    QTest::newRow("the generated JWKS of the API-key issuer may be missing")
        << lines({"security:", "  issuers:", "    - name: gatehouse", "      issuer: https://gatehouse.local/apikey",
                  "      jwksFile: keys/jwks.json"}) << none << none;
    QTest::newRow("any other missing JWKS file is refused")
        << lines({"security:", "  issuers:", "    - name: corp", "      issuer: corp", "      jwksFile: keys/corp.json"})
        << none
        << strings({"gatehouse.yaml:5:17: error: file 'keys/corp.json' for 'security.issuers[0].jwksFile' does not "
                    "exist (relative paths start at the project folder)"});
    QTest::newRow("an existing certificate is a key source")
        << lines({"security:", "  issuers:", "    - name: corp", "      issuer: corp", "      certificate: certs/idp.pem"})
        << strings({"certs/idp.pem"}) << none;
    QTest::newRow("clock skew in milliseconds is refused")
        << lines({"security:", "  issuers:", "    - name: corp", "      issuer: corp", "      certificate: idp.pem",
                  "      clockSkew: 1500ms"}) << strings({"idp.pem"})
        << strings({"gatehouse.yaml:6:18: error: 'security.issuers[0].clockSkew' must be a whole number of seconds, "
                    "found \"1500ms\""});
    QTest::newRow("an empty claim name is refused")
        << lines({"security:", "  issuers:", "    - name: corp", "      issuer: corp", "      certificate: idp.pem",
                  "      claims: {scopes: \"\"}"}) << strings({"idp.pem"})
        << strings({"gatehouse.yaml:6:24: error: 'security.issuers[0].claims.scopes' must not be empty"});

    // Key managers (introspection)
    QTest::newRow("a key manager without an introspection URL is refused")
        << lines({"security:", "  keyManagers:", "    - name: idp", "      clientId: gw",
                  "      clientSecret: ${env:IDP_SECRET}"}) << none
        << strings({"gatehouse.yaml:3:7: error: key manager 'idp' needs 'introspectionUrl', its RFC 7662 endpoint"});
    QTest::newRow("a key manager's introspection URL must be http or https")
        << lines({"security:", "  keyManagers:", "    - name: idp", "      introspectionUrl: idp.example.com/introspect",
                  "      clientId: gw", "      clientSecret: ${env:IDP_SECRET}"}) << none
        << strings({"gatehouse.yaml:4:25: error: 'security.keyManagers[0].introspectionUrl' must be an http or https "
                    "URL, found 'idp.example.com/introspect'"});
    QTest::newRow("basic introspection auth needs client credentials")
        << lines({"security:", "  keyManagers:", "    - name: idp",
                  "      introspectionUrl: https://idp.example.com/introspect"}) << none
        << strings({"gatehouse.yaml:3:7: error: key manager 'idp' authenticates with 'auth: basic' and needs "
                    "'clientId' and 'clientSecret'"});
    QTest::newRow("bearer introspection auth needs a token")
        << lines({"security:", "  keyManagers:", "    - name: idp",
                  "      introspectionUrl: https://idp.example.com/introspect", "      auth: bearer"}) << none
        << strings({"gatehouse.yaml:5:13: error: key manager 'idp' authenticates with 'auth: bearer' and needs "
                    "'bearerToken'"});
    QTest::newRow("a literal client secret is a warning")
        << lines({"security:", "  keyManagers:", "    - name: idp",
                  "      introspectionUrl: https://idp.example.com/introspect", "      clientId: gw",
                  "      clientSecret: s3cret"}) << none
        << strings({"gatehouse.yaml:6:21: warning: 'security.keyManagers[0].clientSecret' holds a literal secret, "
                    "which exports leave out; use ${env:NAME} or ${file:path} instead"});

    // API-key issuer
    QTest::newRow("a missing API-key signing key is fine: it is generated on first run")
        << lines({"security:", "  apiKeys:", "    privateKey: keys/signing.pem", "    algorithm: ES256"}) << none << none;
    QTest::newRow("an API-key algorithm other than RS256 or ES256 is refused")
        << lines({"security:", "  apiKeys:", "    algorithm: HS256"}) << none
        << strings({"gatehouse.yaml:3:16: error: unknown value 'HS256' for 'security.apiKeys.algorithm' (allowed: "
                    "RS256, ES256)"});
    QTest::newRow("a default key lifetime longer than the maximum is refused")
        << lines({"security:", "  apiKeys:", "    defaultTtl: 2d", "    maxTtl: 1d"}) << none
        << strings({"gatehouse.yaml:3:17: error: 'security.apiKeys.defaultTtl' (172800 s) is longer than 'maxTtl' "
                    "(86400 s)"});
    QTest::newRow("a key lifetime without a unit is refused")
        << lines({"security:", "  apiKeys:", "    defaultTtl: 3600"}) << none
        << strings({"gatehouse.yaml:3:17: error: expected a duration with a unit for 'security.apiKeys.defaultTtl', "
                    "found the number 3600 (write \"3600s\" for seconds or \"3600ms\" for milliseconds)"});

    // Users
    QTest::newRow("a user without a password is refused")
        << lines({"security:", "  users:", "    - name: alice"}) << none
        << strings({"gatehouse.yaml:3:7: error: user 'alice' has no password: set 'passwordHash' or 'password' (such "
                    "as ${env:NAME})"});
    QTest::newRow("two users with one name are refused")
        << lines({"security:", "  users:", "    - {name: alice, password: \"${env:A}\"}",
                  "    - {name: alice, password: \"${env:B}\"}"}) << none
        << strings({"gatehouse.yaml:4:14: error: user name 'alice' is used twice"});
    QTest::newRow("a user with both a hash and a password is refused")
        << lines({"security:", "  users:", "    - name: alice",
                  "      passwordHash: \"@sha256:{8c6976e5b5410415bde908bd4dee15dfb167a9c873fc4bb8a81f6f2ab448a918}\"",
                  "      password: ${env:ALICE}"}) << none
        << strings({"gatehouse.yaml:4:21: warning: user 'alice' has an unsalted legacy sha256 hash; replace it with a "
                    "pbkdf2-sha256 or scrypt hash (gatehoused user hash)",
                    "gatehouse.yaml:5:17: error: user 'alice' has both 'passwordHash' and 'password'; keep one"});
    QTest::newRow("an invalid password hash says what is wrong")
        << lines({"security:", "  users:", "    - name: alice", "      passwordHash: $6$salt$abcdef"}) << none
        << strings({"gatehouse.yaml:4:21: error: invalid password hash for user 'alice': crypt(3), bcrypt, yescrypt and "
                    "Argon2 hashes are not supported; use a pbkdf2-sha256$... or scrypt$... hash (gatehoused user hash)"});
    QTest::newRow("a PBKDF2 hash with few iterations is a warning")
        << QString(lines({"security:", "  users:", "    - name: alice"}) + QStringLiteral("      passwordHash: ")
                   + QString::fromLatin1(kWeakHash) + u'\n')
        << none
        << strings({"gatehouse.yaml:4:21: warning: the password hash of user 'alice' uses only 1000 iterations; use at "
                    "least 100000"});
    QTest::newRow("a scrypt hash with a small N is a warning")
        << lines({"security:", "  users:", "    - name: alice",
                  "      passwordHash: scrypt$ln=10,r=8,p=1$MDEyMzQ1Njc4OWFiY2RlZg$7AnzIswxwEinpwz+ntydndYfVHPvOACmX9Vvo8hO1qM"})
        << none
        << strings({"gatehouse.yaml:4:21: warning: the scrypt hash of user 'alice' uses only N = 2^10; use at least 2^15"});
    QTest::newRow("a literal user password is a warning")
        << lines({"security:", "  users:", "    - name: alice", "      password: wonderland"}) << none
        << strings({"gatehouse.yaml:4:17: warning: 'security.users[0].password' holds a literal secret, which exports "
                    "leave out; use ${env:NAME} or ${file:path} instead"});
    QTest::newRow("a user name with a colon is refused")
        << lines({"security:", "  users:", "    - name: \"a:b\"", "      password: ${env:AB}"}) << none
        << strings({"gatehouse.yaml:3:13: error: user name 'a:b' must not contain ':'"});
    QTest::newRow("a user entry that is not a map is refused")
        << lines({"security:", "  users:", "    - alice"}) << none
        << strings({"gatehouse.yaml:3:7: error: expected a map for 'security.users[0]', found the string 'alice'"});
    QTest::newRow("an authorization header with a space is refused")
        << lines({"security:", "  authorizationHeader: X Token"}) << none
        << strings({"gatehouse.yaml:2:24: error: 'X Token' is not a valid HTTP header name"});
}

void tst_SettingsSecurity::diagnostics()
{
    QFETCH(QString, yaml);
    QFETCH(QStringList, files);
    QFETCH(QStringList, expected);
    const Loaded loaded = load(yaml, emptyFiles(files));
    QCOMPARE(loaded.lines(), expected);
}

void tst_SettingsSecurity::sectionIsRead()
{
    const Loaded loaded = load(lines({
        "security:",
        "  authorizationHeader: X-Token",
        "  forwardAuthorization: true",
        "  issuers:",
        "    - name: corp",
        "      issuer: https://idp.example.com/",
        "      audiences: [shop, admin]",
        "      jwksUrl: https://idp.example.com/jwks",
        "      jwksRefresh: 10m",
        "      algorithms: [RS256, ES256]",
        "      claims: {scopes: scp, subscriptionTier: tier}",
        "      clockSkew: 30s",
        "      requireExp: false",
        "    - name: hmac",
        "      issuer: internal",
        "      secret: ${file:/run/secrets/hmac}",
        "  keyManagers:",
        "    - name: idp",
        "      introspectionUrl: https://idp.example.com/introspect",
        "      auth: bearer",
        "      bearerToken: ${env:IDP_TOKEN}",
        "      cacheTtl: 2m",
        "      onError: unauthorized",
        "  apiKeys: {issuer: \"https://shop.example.com/keys\", defaultTtl: 1h, maxTtl: 30d}",
        "  users:",
        "    - name: admin",
        "      password: ${env:ADMIN_PASSWORD}",
        "      scopes: [admin, read]",
    }));
    QVERIFY2(loaded.diagnostics.isEmpty(), qPrintable(loaded.diagnostics.toString()));
    const SecuritySettings &s = loaded.settings.security;
    QCOMPARE(s.defaultAuthHeader, QStringLiteral("X-Token"));
    QVERIFY(s.forwardAuthorization);
    QCOMPARE(s.issuers.size(), 2);
    const JwtIssuer &corp = s.issuers.at(0);
    QCOMPARE(corp.audiences, strings({"shop", "admin"}));
    QCOMPARE(corp.jwksRefresh, seconds(600));
    QCOMPARE(corp.algorithms, strings({"RS256", "ES256"}));
    QCOMPARE(corp.claims.scopes, QStringLiteral("scp"));
    QCOMPARE(corp.claims.subject, QStringLiteral("sub"));   // default kept
    QCOMPARE(corp.claims.subscriptionTier, QStringLiteral("tier"));
    QCOMPARE(corp.clockSkew, seconds(30));
    QVERIFY(!corp.requireExp);
    QCOMPARE(corp.location.line, 5);
    QCOMPARE(s.issuers.at(1).hmacSecret.filePath, QStringLiteral("/run/secrets/hmac"));
    QCOMPARE(s.issuers.at(1).hmacSecret.toString(), QStringLiteral("${file:/run/secrets/hmac}"));
    QCOMPARE(s.keyManagers.size(), 1);
    QCOMPARE(s.keyManagers.at(0).auth, IntrospectionAuth::Bearer);
    QCOMPARE(s.keyManagers.at(0).bearerToken.envName, QStringLiteral("IDP_TOKEN"));
    QCOMPARE(s.keyManagers.at(0).cacheTtl, seconds(120));
    QCOMPARE(s.keyManagers.at(0).onError, IntrospectionFailure::Unauthorized);
    QCOMPARE(s.apiKeys.issuer, QStringLiteral("https://shop.example.com/keys"));
    QCOMPARE(s.apiKeys.maxTtl, seconds(30 * 86400));
    QCOMPARE(s.users.size(), 1);
    QCOMPARE(s.users.at(0).password.envName, QStringLiteral("ADMIN_PASSWORD"));
    QCOMPARE(s.users.at(0).scopes, strings({"admin", "read"}));
}

QTEST_GUILESS_MAIN(tst_SettingsSecurity)
#include "tst_settingssecurity.moc"
