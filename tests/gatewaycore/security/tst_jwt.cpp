// JWT validation across issuers (claims, keys, cache), the gateway's API-key issuer and revocation,
// and interoperability with python3-jwt (PyJWT), an implementation we did not write.
#include "security/apikeyissuer.h"
#include "security/joseencoding.h"
#include "security/jws.h"
#include "security/revocationlist.h"
#include "security/tokenverifier.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <openssl/evp.h>
#include <openssl/pem.h>

using namespace Gatehouse;

namespace {

constexpr qint64 kNow = 1'800'000'000;

std::shared_ptr<EVP_PKEY> keygen(const char *type, const char *param)
{
    return std::shared_ptr<EVP_PKEY>(param ? EVP_PKEY_Q_keygen(nullptr, nullptr, type, param)
                                           : EVP_PKEY_Q_keygen(nullptr, nullptr, type, size_t(2048)),
                                     EVP_PKEY_free);
}

QByteArray pem(EVP_PKEY *key, bool priv)
{
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
    if (priv)
        PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
    else
        PEM_write_bio_PUBKEY(bio.get(), key);
    char *data = nullptr;
    const long n = BIO_get_mem_data(bio.get(), &data);
    return QByteArray(data, qsizetype(n));
}

Jwk verifierOf(EVP_PKEY *key, const QString &kid, JwsAlgorithm alg)
{
    return *parseJwk(*publicJwk(key, kid, alg));
}

TrustedIssuer issuer(const QString &name, const QString &iss, QList<Jwk> keys, QStringList audiences = {})
{
    TrustedIssuer t;
    t.iss = iss;
    t.rules.issuerName = name;
    t.rules.audiences = audiences;
    t.keys = std::make_shared<IssuerKeys>();
    t.keys->replace(std::make_shared<const QList<Jwk>>(std::move(keys)));
    return t;
}

QByteArray sign(const QJsonObject &claims, EVP_PKEY *key, JwsAlgorithm alg, const QString &kid = QStringLiteral("k1"))
{
    QJsonObject header;
    if (!kid.isEmpty())
        header.insert(QStringLiteral("kid"), kid);
    return *signCompactJws(header, QJsonDocument(claims).toJson(QJsonDocument::Compact), key, alg);
}

// Runs /usr/bin/python3 (Debian's python3-jwt) with `script`; stdin → stdout.
QByteArray python(const QString &script, const QByteArray &input, bool *ok)
{
    QProcess p;
    p.start(QStringLiteral("/usr/bin/python3"), {QStringLiteral("-c"), script});
    p.write(input);
    p.closeWriteChannel();
    *ok = p.waitForFinished(30'000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
    if (!*ok)
        qWarning("python3: %s", p.readAllStandardError().constData());
    return p.readAllStandardOutput().trimmed();
}

} // namespace

class tst_Jwt : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void claims_data();
    void claims();
    void scopesAndClaimMapping();
    void unknownKidAsksForARefetch();
    void cacheServesRepeatedTokensUntilExp();
    void apiKeyIssuerGeneratesKeysAndIssues();
    void revocationTakesEffectWithoutRestart();
    void pythonMintedTokensVerify_data();
    void pythonMintedTokensVerify();
    void pythonVerifiesOurTokens_data();
    void pythonVerifiesOurTokens();

private:
    std::shared_ptr<EVP_PKEY> m_rsa;
    std::shared_ptr<EVP_PKEY> m_ec;
    std::shared_ptr<EVP_PKEY> m_other;
    std::unique_ptr<TokenVerifier> m_verifier;
};

void tst_Jwt::initTestCase()
{
    m_rsa = keygen("RSA", nullptr);
    m_ec = keygen("EC", "P-256");
    m_other = keygen("RSA", nullptr);
    // Two issuers whose keys share the kid "k1": one issuer's key must never verify the other's token.
    m_verifier = std::make_unique<TokenVerifier>(
        QList<TrustedIssuer>{issuer(QStringLiteral("auth0"), QStringLiteral("https://auth0.example/"),
                                    {verifierOf(m_rsa.get(), QStringLiteral("k1"), JwsAlgorithm::RS256)},
                                    {QStringLiteral("api"), QStringLiteral("admin")}),
                             issuer(QStringLiteral("corp"), QStringLiteral("https://corp.example/"),
                                    {verifierOf(m_ec.get(), QStringLiteral("k1"), JwsAlgorithm::ES256)})},
        1, 100);
}

void tst_Jwt::claims_data()
{
    QTest::addColumn<QByteArray>("token");
    QTest::addColumn<QString>("reason");   // empty = valid
    const QJsonObject good{{QStringLiteral("iss"), QStringLiteral("https://auth0.example/")},
                           {QStringLiteral("sub"), QStringLiteral("alice")},
                           {QStringLiteral("aud"), QStringLiteral("api")},
                           {QStringLiteral("exp"), kNow + 600},
                           {QStringLiteral("iat"), kNow}};
    auto with = [&](const char *name, const QJsonValue &v) {
        QJsonObject c = good;
        if (v.isUndefined())
            c.remove(QLatin1StringView(name));
        else
            c.insert(QLatin1StringView(name), v);
        return sign(c, m_rsa.get(), JwsAlgorithm::RS256);
    };
    QTest::newRow("a valid token") << with("sub", QStringLiteral("alice")) << QString();
    QTest::newRow("aud as an array with one accepted member")
        << with("aud", QJsonArray{QStringLiteral("x"), QStringLiteral("admin")}) << QString();
    QTest::newRow("expired beyond the skew") << with("exp", kNow - 180) << QStringLiteral("token expired 3 min ago");
    QTest::newRow("expired within the skew") << with("exp", kNow - 30) << QString();
    QTest::newRow("no exp") << with("exp", QJsonValue::Undefined) << QStringLiteral("token has no expiry (exp)");
    QTest::newRow("exp as a string") << with("exp", QStringLiteral("tomorrow")) << QStringLiteral("exp is not a number");
    QTest::newRow("nbf in the future") << with("nbf", kNow + 3600) << QStringLiteral("not valid for another 60 min");
    QTest::newRow("iat in the future") << with("iat", kNow + 7200) << QStringLiteral("in the future (iat)");
    QTest::newRow("wrong audience") << with("aud", QStringLiteral("billing"))
                                    << QStringLiteral("token audience 'billing' is not accepted by issuer 'auth0'");
    QTest::newRow("no audience") << with("aud", QJsonValue::Undefined) << QStringLiteral("audience (none)");
    QTest::newRow("untrusted issuer") << with("iss", QStringLiteral("https://evil.example/"))
                                      << QStringLiteral("issuer 'https://evil.example/' is not trusted");
    QTest::newRow("no issuer") << with("iss", QJsonValue::Undefined) << QStringLiteral("token has no issuer");
    QJsonObject corpClaims = good;
    corpClaims.insert(QStringLiteral("iss"), QStringLiteral("https://corp.example/"));
    QTest::newRow("another issuer's key (same kid)")
        << sign(corpClaims, m_rsa.get(), JwsAlgorithm::RS256) << QStringLiteral("the token says RS256 but its key verifies ES256");
    QTest::newRow("signed by a stranger") << sign(good, m_other.get(), JwsAlgorithm::RS256)
                                          << QStringLiteral("signature does not verify with key 'k1' of issuer 'auth0'");
    QTest::newRow("swapped kid") << sign(good, m_rsa.get(), JwsAlgorithm::RS256, QStringLiteral("k2"))
                                 << QStringLiteral("key 'k2' is not among the keys of issuer 'auth0'");
    QTest::newRow("HS256 under the RSA key's kid")
        << [&] {
               const QByteArray input = base64UrlEncode(R"({"alg":"HS256","kid":"k1"})") + '.'
                                        + base64UrlEncode(QJsonDocument(good).toJson(QJsonDocument::Compact));
               return input + '.' + base64UrlEncode(QByteArray(32, 'x'));
           }()
        << QStringLiteral("the token says HS256 but its key verifies RS256");
    QTest::newRow("duplicate claim") << [&] {
        const QByteArray token = sign(good, m_rsa.get(), JwsAlgorithm::RS256);
        const QByteArray claims = R"({"iss":"https://auth0.example/","sub":"alice","sub":"root","aud":"api","exp":1800000600})";
        return token.first(token.indexOf('.') + 1) + base64UrlEncode(claims) + token.sliced(token.lastIndexOf('.'));
    }() << QStringLiteral("duplicate member");
}

void tst_Jwt::claims()
{
    QFETCH(QByteArray, token);
    QFETCH(QString, reason);
    std::shared_ptr<const VerifiedToken> out;
    QString why;
    const TokenCheck check = m_verifier->verify(token, kNow, 0, out, why);
    if (reason.isEmpty()) {
        QVERIFY2(check == TokenCheck::Valid, qPrintable(why));
        QCOMPARE(out->subject, QStringLiteral("alice"));
        QCOMPARE(out->issuer, QStringLiteral("auth0"));
    } else {
        QCOMPARE(int(check), int(TokenCheck::Invalid));
        QVERIFY2(why.contains(reason), qPrintable(why));
    }
}

void tst_Jwt::scopesAndClaimMapping()
{
    TrustedIssuer azure = issuer(QStringLiteral("azure"), QStringLiteral("https://login.example/"),
                                 {verifierOf(m_ec.get(), QString(), JwsAlgorithm::ES256)});
    azure.rules.mapping.application = QStringLiteral("appid");
    azure.rules.mapping.applicationTier = QStringLiteral("tier");
    TokenVerifier verifier({azure}, 1, 0);
    const QJsonObject claims{{QStringLiteral("iss"), QStringLiteral("https://login.example/")},
                             {QStringLiteral("sub"), QStringLiteral("bob")},
                             {QStringLiteral("exp"), kNow + 60},
                             {QStringLiteral("scp"), QStringLiteral("read  write")},
                             {QStringLiteral("appid"), QStringLiteral("app-7")},
                             {QStringLiteral("tier"), QStringLiteral("Gold")},
                             {QStringLiteral("jti"), QStringLiteral("t-1")}};
    std::shared_ptr<const VerifiedToken> out;
    QString why;
    QCOMPARE(int(verifier.verify(sign(claims, m_ec.get(), JwsAlgorithm::ES256, QStringLiteral("any")), kNow, 0, out, why)),
             int(TokenCheck::Valid));
    QCOMPARE(out->scopes, (QStringList{QStringLiteral("read"), QStringLiteral("write")}));
    QCOMPARE(out->application, QStringLiteral("app-7"));
    QCOMPARE(out->applicationTier, QStringLiteral("Gold"));
    QCOMPARE(out->tokenId, QStringLiteral("t-1"));
    QCOMPARE(out->expiresAt, kNow + 60);
    QJsonObject arrayScopes = claims;
    arrayScopes.insert(QStringLiteral("scp"), QJsonArray{QStringLiteral("a"), QStringLiteral("b")});
    QCOMPARE(int(verifier.verify(sign(arrayScopes, m_ec.get(), JwsAlgorithm::ES256, {}), kNow, 0, out, why)),
             int(TokenCheck::Valid));
    QCOMPARE(out->scopes, (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
}

void tst_Jwt::unknownKidAsksForARefetch()
{
    TrustedIssuer remote = issuer(QStringLiteral("remote"), QStringLiteral("https://remote.example/"), {});
    remote.refetchId = 7;
    QList<int> asked;
    TokenVerifier verifier({remote}, 1, 10, [&](int id) { asked.append(id); });
    const QJsonObject claims{{QStringLiteral("iss"), QStringLiteral("https://remote.example/")},
                             {QStringLiteral("exp"), kNow + 60}};
    std::shared_ptr<const VerifiedToken> out;
    QString why;
    // No keys loaded yet: unavailable (503), never a wait on the network.
    QCOMPARE(int(verifier.verify(sign(claims, m_rsa.get(), JwsAlgorithm::RS256), kNow, 0, out, why)),
             int(TokenCheck::Unavailable));
    remote.keys->replace(std::make_shared<const QList<Jwk>>(
        QList<Jwk>{verifierOf(m_rsa.get(), QStringLiteral("old"), JwsAlgorithm::RS256)}));
    QCOMPARE(int(verifier.verify(sign(claims, m_rsa.get(), JwsAlgorithm::RS256), kNow, 0, out, why)),
             int(TokenCheck::Invalid));
    QVERIFY2(why.contains(QStringLiteral("key 'k1' is not among")), qPrintable(why));
    QCOMPARE(asked, (QList<int>{7, 7}));
    // The refreshed set is used by the next request.
    remote.keys->replace(std::make_shared<const QList<Jwk>>(
        QList<Jwk>{verifierOf(m_rsa.get(), QStringLiteral("k1"), JwsAlgorithm::RS256)}));
    QCOMPARE(int(verifier.verify(sign(claims, m_rsa.get(), JwsAlgorithm::RS256), kNow, 0, out, why)),
             int(TokenCheck::Valid));
}

void tst_Jwt::cacheServesRepeatedTokensUntilExp()
{
    TrustedIssuer t = issuer(QStringLiteral("auth0"), QStringLiteral("https://auth0.example/"),
                             {verifierOf(m_rsa.get(), QStringLiteral("k1"), JwsAlgorithm::RS256)});
    t.rules.clockSkewSeconds = 0;
    TokenVerifier verifier({t}, 2, 2);
    const QByteArray token = sign({{QStringLiteral("iss"), QStringLiteral("https://auth0.example/")},
                                   {QStringLiteral("exp"), kNow + 10}},
                                  m_rsa.get(), JwsAlgorithm::RS256);
    std::shared_ptr<const VerifiedToken> first, second;
    QString why;
    QCOMPARE(int(verifier.verify(token, kNow, 1, first, why)), int(TokenCheck::Valid));
    // Keys gone: only a cached verdict can still answer, and it does until exp.
    t.keys->replace(std::make_shared<const QList<Jwk>>(
        QList<Jwk>{verifierOf(m_other.get(), QStringLiteral("k1"), JwsAlgorithm::RS256)}));
    QCOMPARE(int(verifier.verify(token, kNow + 5, 1, second, why)), int(TokenCheck::Valid));
    QCOMPARE(first.get(), second.get());
    QCOMPARE(int(verifier.verify(token, kNow + 11, 1, second, why)), int(TokenCheck::Invalid));
    // Another worker has its own shard.
    QCOMPARE(int(verifier.verify(token, kNow + 5, 0, second, why)), int(TokenCheck::Invalid));

    // A repeated token costs a hash and a lookup, not a signature check.
    t.keys->replace(std::make_shared<const QList<Jwk>>(
        QList<Jwk>{verifierOf(m_rsa.get(), QStringLiteral("k1"), JwsAlgorithm::RS256)}));
    QVERIFY(verifier.verify(token, kNow, 0, first, why) == TokenCheck::Valid);
    // The cache compares whole tokens: one differing in its last byte is verified (and refused),
    // never served the cached verdict of its neighbour.
    QByteArray tampered = token;
    tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
    QCOMPARE(int(verifier.verify(tampered, kNow, 0, second, why)), int(TokenCheck::Invalid));
    QElapsedTimer timer;
    timer.start();
    constexpr int kRounds = 20'000;
    for (int i = 0; i < kRounds; ++i)
        verifier.verify(token, kNow, 0, first, why);
    qInfo("cached JWT check: %.2f us", double(timer.nsecsElapsed()) / kRounds / 1000.0);
}

void tst_Jwt::apiKeyIssuerGeneratesKeysAndIssues()
{
    QTemporaryDir dir;
    ApiKeyIssuerSettings settings;
    settings.algorithm = QStringLiteral("ES256");
    settings.maxTtl = std::chrono::seconds(3600);
    auto opened = ApiKeyIssuer::open(settings, dir.path());
    QVERIFY2(opened, opened ? "" : qPrintable(opened.error().message));
    const QFileInfo keyFile(dir.filePath(QStringLiteral("keys/apikey.pem")));
    QVERIFY(keyFile.permissions().testFlags(QFileDevice::ReadOwner | QFileDevice::WriteOwner));
    QCOMPARE(keyFile.permissions() & (QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ExeGroup
                                      | QFileDevice::ReadOther | QFileDevice::WriteOther | QFileDevice::ExeOther),
             QFileDevice::Permissions());
    QFile jwks(dir.filePath(QStringLiteral("keys/jwks.json")));
    QVERIFY(jwks.open(QIODevice::ReadOnly));
    const QByteArray published = jwks.readAll();
    QVERIFY(!published.contains("\"d\""));
    QCOMPARE(parseJwks(published)->first().kid, (*opened)->kid());

    // Reopening keeps the key (same kid); a too long validity is refused.
    auto again = ApiKeyIssuer::open(settings, dir.path());
    QCOMPARE((*again)->kid(), (*opened)->kid());
    QVERIFY(!(*opened)->issue({QStringLiteral("alice"), {}, 7200, {}}, kNow));

    auto key = (*opened)->issue({QStringLiteral("alice"), {QStringLiteral("read")}, 600, {QStringLiteral("Pets")}}, kNow);
    QVERIFY(key);
    TrustedIssuer own = issuer(QStringLiteral("gatehouse"), settings.issuer, *parseJwks(published));
    TokenVerifier verifier({own}, 1, 10);
    std::shared_ptr<const VerifiedToken> out;
    QString why;
    QVERIFY2(verifier.verify(*key, kNow + 1, 0, out, why) == TokenCheck::Valid, qPrintable(why));
    QCOMPARE(out->subject, QStringLiteral("alice"));
    QCOMPARE(out->scopes, QStringList{QStringLiteral("read")});
    QCOMPARE(out->allowedApis, QStringList{QStringLiteral("Pets")});
    QCOMPARE(out->keyType, QStringLiteral("PRODUCTION"));
    QCOMPARE(out->expiresAt, kNow + 600);
    QVERIFY(!out->tokenId.isEmpty());

    // Custom claims travel in the payload; the issuer's own claims cannot be overridden.
    ApiKeyIssuer::Request custom{QStringLiteral("bob"), {}, 600, {}};
    custom.extraClaims = {{QStringLiteral("tier"), QStringLiteral("Gold")}};
    auto withTier = (*opened)->issue(custom, kNow);
    QVERIFY(withTier);
    QVERIFY2(verifier.verify(*withTier, kNow + 1, 0, out, why) == TokenCheck::Valid, qPrintable(why));
    QCOMPARE(out->claims.value(QStringLiteral("tier")).toString(), QStringLiteral("Gold"));
    custom.extraClaims = {{QStringLiteral("iss"), QStringLiteral("https://evil.example/")}};
    const auto forged = (*opened)->issue(custom, kNow);
    QVERIFY(!forged);
    QVERIFY(forged.error().message.contains(QStringLiteral("'iss'")));

    // An RSA key under an ES256 setting is a configuration error, not a silent switch.
    settings.algorithm = QStringLiteral("RS256");
    QVERIFY(!ApiKeyIssuer::open(settings, dir.path()));
}

void tst_Jwt::revocationTakesEffectWithoutRestart()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("keys/revoked.txt"));
    RevocationList list(path);
    QVERIFY(!list.isRevoked(QStringLiteral("abc")));
    QVERIFY(RevocationList::revoke(path, QStringLiteral("abc")));
    QVERIFY(!RevocationList::revoke(path, QStringLiteral("two\nlines")));
    QTRY_VERIFY_WITH_TIMEOUT(list.isRevoked(QStringLiteral("abc")), 3000);
    QVERIFY(!list.isRevoked(QStringLiteral("abd")));
}

void tst_Jwt::pythonMintedTokensVerify_data()
{
    QTest::addColumn<QString>("alg");
    for (const char *alg : {"RS256", "ES256", "PS256", "EdDSA", "HS256"})
        QTest::newRow(alg) << QString::fromLatin1(alg);
}

void tst_Jwt::pythonMintedTokensVerify()
{
    QFETCH(QString, alg);
    const auto a = *jwsAlgorithmFromName(alg);
    const QByteArray secret(48, 's');
    std::shared_ptr<EVP_PKEY> key = a == JwsAlgorithm::ES256 ? m_ec : m_rsa;
    if (a == JwsAlgorithm::EdDSA)
        key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"), EVP_PKEY_free);
    const QByteArray keyMaterial = a == JwsAlgorithm::HS256 ? secret : pem(key.get(), true);
    bool ok = false;
    const QByteArray token = python(
        QStringLiteral("import sys, jwt, time\n"
                       "key = sys.stdin.read()\n"
                       "print(jwt.encode({'iss': 'https://py.example/', 'sub': 'py-user', 'scope': 'a b',\n"
                       "                  'exp': int(time.time()) + 300, 'iat': int(time.time())},\n"
                       "                 key, algorithm='%1', headers={'kid': 'py'}))\n").arg(alg),
        keyMaterial, &ok);
    QVERIFY(ok);
    const Jwk jwk = a == JwsAlgorithm::HS256 ? *hmacKey(secret, QStringLiteral("py"))
                                             : verifierOf(key.get(), QStringLiteral("py"), a);
    TokenVerifier verifier({issuer(QStringLiteral("py"), QStringLiteral("https://py.example/"), {jwk})}, 1, 0);
    std::shared_ptr<const VerifiedToken> out;
    QString why;
    QVERIFY2(verifier.verify(token, QDateTime::currentSecsSinceEpoch(), 0, out, why) == TokenCheck::Valid,
             qPrintable(why));
    QCOMPARE(out->subject, QStringLiteral("py-user"));
    QCOMPARE(out->scopes, (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
}

void tst_Jwt::pythonVerifiesOurTokens_data()
{
    QTest::addColumn<QString>("alg");
    for (const char *alg : {"RS256", "ES256", "PS256", "EdDSA"})
        QTest::newRow(alg) << QString::fromLatin1(alg);
}

void tst_Jwt::pythonVerifiesOurTokens()
{
    QFETCH(QString, alg);
    const auto a = *jwsAlgorithmFromName(alg);
    std::shared_ptr<EVP_PKEY> key = a == JwsAlgorithm::ES256 ? m_ec : m_rsa;
    if (a == JwsAlgorithm::EdDSA)
        key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"), EVP_PKEY_free);
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    const QByteArray token = sign({{QStringLiteral("iss"), QStringLiteral("https://gatehouse.example/")},
                                   {QStringLiteral("sub"), QStringLiteral("ours")},
                                   {QStringLiteral("exp"), now + 300}},
                                  key.get(), a);
    bool ok = false;
    const QByteArray sub = python(
        QStringLiteral("import sys, jwt\n"
                       "pem, token = sys.stdin.read().split('\\n--\\n')\n"
                       "print(jwt.decode(token.strip(), pem, algorithms=['%1'], issuer='https://gatehouse.example/')['sub'])\n")
            .arg(alg),
        pem(key.get(), false) + "\n--\n" + token, &ok);
    QVERIFY(ok);
    QCOMPARE(sub, QByteArray("ours"));
}

QTEST_GUILESS_MAIN(tst_Jwt)
#include "tst_jwt.moc"
