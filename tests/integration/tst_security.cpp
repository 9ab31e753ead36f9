// JWT bearer tokens and API keys end to end through the real gateway (in-process and gatehoused):
// tokens minted by python3-jwt, API keys from /apikey and `gatehoused key issue`, revocation.
#include "testgateway.h"
#include "testupstream.h"

#include "security/jwk.h"
#include "security/passwordhash.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <openssl/evp.h>
#include <openssl/pem.h>

using namespace Gatehouse;
using namespace Gatehouse::Test;

namespace {

QByteArray privatePem(EVP_PKEY *key)
{
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
    PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
    char *data = nullptr;
    const long n = BIO_get_mem_data(bio.get(), &data);
    return QByteArray(data, qsizetype(n));
}

QByteArray apiDocument(const QString &upstream)
{
    return QStringLiteral(
               "openapi: 3.0.3\n"
               "info: {title: Pets, version: '1.0'}\n"
               "x-gatehouse-basePath: /pets\n"
               "servers: [{url: '%1'}]\n"
               "components:\n"
               "  securitySchemes:\n"
               "    bearer: {type: http, scheme: bearer, bearerFormat: JWT}\n"
               "    key: {type: apiKey, in: header, name: x-api-key}\n"
               "    keyq: {type: apiKey, in: query, name: api_key}\n"
               "    keyc: {type: apiKey, in: cookie, name: gh_key}\n"
               "paths:\n"
               "  /jwt:\n"
               "    get: {security: [{bearer: []}], responses: {'200': {description: ok}}}\n"
               "  /key:\n"
               "    get: {security: [{key: []}], responses: {'200': {description: ok}}}\n"
               "  /keyq:\n"
               "    get: {security: [{keyq: []}], responses: {'200': {description: ok}}}\n"
               "  /keyc:\n"
               "    get: {security: [{keyc: []}], responses: {'200': {description: ok}}}\n")
        .arg(upstream)
        .toUtf8();
}

QString jtiOf(const QByteArray &token)
{
    const QList<QByteArray> parts = token.split('.');
    const QByteArray payload = QByteArray::fromBase64(parts.value(1), QByteArray::Base64UrlEncoding);
    return QJsonDocument::fromJson(payload).object().value(QLatin1StringView("jti")).toString();
}

} // namespace

class tst_Security : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase_data() { addGatewayModeRows(); }
    void initTestCase();
    void cleanupTestCase();

    void jwtOperationWithoutTokenIs401();
    void forgedAndStaleTokensAre401_data();
    void forgedAndStaleTokensAre401();
    void pythonMintedTokenPassesWithoutAuthorizationUpstream();
    void jwksIsPublished();
    void apiKeyFromAdminEndpointWorks();
    void apiKeyNeedsAUser();
    void apiKeyFromTheHttpsListener_data();
    void apiKeyFromTheHttpsListener();
    void apiKeyIsNeverServedOverPlainHttp();
    void cliIssuedKeyWorksAndRevocationTakesEffect();

private:
    GatewayUnderTest &gateway() { return m_gateways.current(); }
    QByteArray mint(const QString &claimsPython, EVP_PKEY *key);

    TestUpstream m_upstream;
    TestProject m_project;
    GatewayPair m_gateways;
    std::shared_ptr<EVP_PKEY> m_issuerKey;
    std::shared_ptr<EVP_PKEY> m_strangerKey;
};

QByteArray tst_Security::mint(const QString &claimsPython, EVP_PKEY *key)
{
    const ProcessResult r = runProcess(
        QStringLiteral("/usr/bin/python3"),
        {QStringLiteral("-c"),
         QStringLiteral("import sys, time, jwt\nnow = int(time.time())\n"
                        "print(jwt.encode(%1, sys.stdin.read(), algorithm='RS256', headers={'kid': 'py1'}))\n")
             .arg(claimsPython)},
        30'000, privatePem(key));
    if (r.exitCode != 0)
        qWarning("python3: %s", r.err.constData());
    return r.out.trimmed();
}

void tst_Security::initTestCase()
{
    QVERIFY(m_project.isValid());
    QVERIFY(m_upstream.start());
    m_issuerKey.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t(2048)), EVP_PKEY_free);
    m_strangerKey.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t(2048)), EVP_PKEY_free);
    const QJsonObject jwk = *publicJwk(m_issuerKey.get(), QStringLiteral("py1"), JwsAlgorithm::RS256);
    QVERIFY(m_project.write(QStringLiteral("keys/py-jwks.json"),
                            QJsonDocument(QJsonObject{{QStringLiteral("keys"), QJsonArray{jwk}}}).toJson()));
    const QByteArray hash = hashPasswordWithSalt("s3cret", "0123456789abcdef", 1000).toUtf8();
    QVERIFY(m_project.write(QStringLiteral("gatehouse.yaml"),
                            settingsYaml("security:\n"
                                         "  users:\n"
                                         "    - name: alice\n"
                                         "      passwordHash: '" + hash + "'\n"
                                         "      scopes: [read, write]\n"
                                         "  issuers:\n"
                                         "    - name: py\n"
                                         "      issuer: https://py.example/\n"
                                         "      audiences: [pets]\n"
                                         "      jwksFile: keys/py-jwks.json\n")));
    QVERIFY(m_project.write(QStringLiteral("apis/pets.yaml"), apiDocument(m_upstream.url())));
    QString error;
    QVERIFY2(m_gateways.start(m_project.path(), &error), qPrintable(error));
}

void tst_Security::cleanupTestCase()
{
    m_gateways.stop();
    m_upstream.stop();
}

void tst_Security::jwtOperationWithoutTokenIs401()
{
    const HttpResponse r = httpRequest(gateway().httpPort(), "GET", "/pets/jwt");
    QVERIFY2(r.status == 401, qPrintable(r.describe()));
    QVERIFY(r.header("WWW-Authenticate").contains("Bearer"));
    QCOMPARE(r.json().value(QLatin1StringView("code")).toVariant().toInt(), 900902);
}

void tst_Security::forgedAndStaleTokensAre401_data()
{
    QTest::addColumn<QString>("claims");
    QTest::addColumn<bool>("stranger");
    QTest::addColumn<QString>("reason");
    const QString base = QStringLiteral("'iss': 'https://py.example/', 'sub': 'eve', 'aud': 'pets'");
    QTest::newRow("signed by a stranger's key")
        << QStringLiteral("{%1, 'exp': now + 300}").arg(base) << true << QStringLiteral("signature does not verify");
    QTest::newRow("expired") << QStringLiteral("{%1, 'exp': now - 600}").arg(base) << false
                             << QStringLiteral("token expired 10 min ago");
    QTest::newRow("not yet valid") << QStringLiteral("{%1, 'exp': now + 9000, 'nbf': now + 7200}").arg(base) << false
                                   << QStringLiteral("not valid for another");
    QTest::newRow("wrong audience")
        << QStringLiteral("{'iss': 'https://py.example/', 'aud': 'billing', 'exp': now + 300}") << false
        << QStringLiteral("audience 'billing'");
    QTest::newRow("untrusted issuer") << QStringLiteral("{'iss': 'https://evil.example/', 'exp': now + 300}") << false
                                      << QStringLiteral("issuer 'https://evil.example/' is not trusted");
}

void tst_Security::forgedAndStaleTokensAre401()
{
    QFETCH(QString, claims);
    QFETCH(bool, stranger);
    QFETCH(QString, reason);
    const QByteArray token = mint(claims, stranger ? m_strangerKey.get() : m_issuerKey.get());
    QVERIFY(!token.isEmpty());
    const HttpResponse r = httpRequest(gateway().httpPort(), "GET", "/pets/jwt", {{"Authorization", "Bearer " + token}});
    QVERIFY2(r.status == 401, qPrintable(r.describe()));
    QVERIFY2(r.json().value(QLatin1StringView("description")).toString().contains(reason), r.body.constData());
}

void tst_Security::pythonMintedTokenPassesWithoutAuthorizationUpstream()
{
    const QByteArray token = mint(
        QStringLiteral("{'iss': 'https://py.example/', 'sub': 'py-user', 'aud': ['x', 'pets'], 'exp': now + 300}"),
        m_issuerKey.get());
    m_upstream.clearRecords();
    for (int i = 0; i < 3; ++i) {   // the repeats come from the token cache
        const HttpResponse r = httpRequest(gateway().httpPort(), "GET", "/pets/jwt", {{"Authorization", "Bearer " + token}});
        QVERIFY2(r.status == 200, qPrintable(r.describe() + QString::fromUtf8(r.body)));
    }
    QVERIFY(m_upstream.waitForRequests(3));
    QCOMPARE(m_upstream.lastRequest().headerCount("Authorization"), 0);
}

void tst_Security::jwksIsPublished()
{
    const HttpResponse r = gateway().admin("GET", "/.well-known/jwks.json");
    QVERIFY2(r.status == 200, qPrintable(r.describe()));
    const QJsonArray keys = r.json().value(QLatin1StringView("keys")).toArray();
    QCOMPARE(keys.size(), 1);
    const QJsonObject key = keys.first().toObject();
    QCOMPARE(key.value(QLatin1StringView("kty")).toString(), QStringLiteral("RSA"));
    QVERIFY(!key.value(QLatin1StringView("kid")).toString().isEmpty());
    QVERIFY(!key.contains(QLatin1StringView("d")));
}

void tst_Security::apiKeyFromAdminEndpointWorks()
{
    const HttpResponse issued = httpRequest(gateway().adminPort(), "POST", "/apikey?scopes=read",
                                            {{"Authorization", basicAuthorization("alice", "s3cret")},
                                             {"Content-Type", "application/json"}},
                                            R"({"validityTime": 600})");
    QVERIFY2(issued.status == 200, qPrintable(issued.describe() + QString::fromUtf8(issued.body)));
    const QByteArray key = issued.body.trimmed();
    QCOMPARE(key.count('.'), 2);
    m_upstream.clearRecords();
    HttpResponse r = httpRequest(gateway().httpPort(), "GET", "/pets/key", {{"x-api-key", key}});
    QVERIFY2(r.status == 200, qPrintable(r.describe() + QString::fromUtf8(r.body)));
    QVERIFY(m_upstream.waitForRequests(1));
    QCOMPARE(m_upstream.lastRequest().headerCount("x-api-key"), 0);
    r = httpRequest(gateway().httpPort(), "GET", "/pets/keyq?api_key=" + key);
    QVERIFY2(r.status == 200, qPrintable(r.describe() + QString::fromUtf8(r.body)));
    r = httpRequest(gateway().httpPort(), "GET", "/pets/keyc", {{"Cookie", "theme=dark; gh_key=" + key + "; x=1"}});
    QVERIFY2(r.status == 200, qPrintable(r.describe() + QString::fromUtf8(r.body)));
    // A JWT of another issuer is not an API key, and an API key is not a bearer token here.
    r = httpRequest(gateway().httpPort(), "GET", "/pets/jwt", {{"Authorization", "Bearer " + key}});
    QCOMPARE(r.status, 401);
    r = httpRequest(gateway().httpPort(), "GET", "/pets/key", {{"x-api-key", key.chopped(2) + "AA"}});
    QCOMPARE(r.status, 401);
    // A key restricted to other APIs does not open this one; one that names it does.
    const HttpResponse billing = httpRequest(gateway().adminPort(), "GET", "/apikey?apis=Billing",
                                             {{"Authorization", basicAuthorization("alice", "s3cret")}});
    QCOMPARE(billing.status, 200);
    r = httpRequest(gateway().httpPort(), "GET", "/pets/key", {{"x-api-key", billing.body.trimmed()}});
    QCOMPARE(r.status, 403);
    QCOMPARE(r.json().value(QLatin1StringView("code")).toString(), QStringLiteral("900908"));
    QVERIFY2(r.json().value(QLatin1StringView("description")).toString().contains(QStringLiteral("does not allow API 'Pets'")),
             r.body.constData());
    const HttpResponse pets = httpRequest(gateway().adminPort(), "GET", "/apikey?apis=Billing,Pets",
                                          {{"Authorization", basicAuthorization("alice", "s3cret")}});
    r = httpRequest(gateway().httpPort(), "GET", "/pets/key", {{"x-api-key", pets.body.trimmed()}});
    QCOMPARE(r.status, 200);
}

void tst_Security::apiKeyNeedsAUser()
{
    HttpResponse r = httpRequest(gateway().adminPort(), "GET", "/apikey", {{"Authorization", basicAuthorization("alice", "wrong")}});
    QCOMPARE(r.status, 401);
    QVERIFY(r.header("WWW-Authenticate").startsWith("Basic"));
    r = httpRequest(gateway().adminPort(), "GET", "/apikey");
    QCOMPARE(r.status, 401);
    r = httpRequest(gateway().adminPort(), "GET", "/apikey?scopes=admin", {{"Authorization", basicAuthorization("alice", "s3cret")}});
    QCOMPARE(r.status, 403);
    r = httpRequest(gateway().adminPort(), "GET", "/apikey?validityTime=999999999", {{"Authorization", basicAuthorization("alice", "s3cret")}});
    QCOMPARE(r.status, 400);
}

void tst_Security::apiKeyFromTheHttpsListener_data()
{
    QTest::addColumn<QStringList>("curlArguments");
    QTest::addColumn<int>("status");
    QTest::addColumn<qint64>("validity");
    QTest::newRow("GET with the scopes in the query") << QStringList{QStringLiteral("?scopes=read")} << 200 << qint64(3600);
    QTest::newRow("POST with a JSON body, over HTTP/2")
        << QStringList{QString(), QStringLiteral("--http2"), QStringLiteral("-H"), QStringLiteral("Content-Type: application/json"),
                       QStringLiteral("--data"), QStringLiteral(R"({"validityTime": 600, "scopes": ["write"]})")}
        << 200 << qint64(600);
    QTest::newRow("POST with a form body")
        << QStringList{QString(), QStringLiteral("--data"), QStringLiteral("validityTime=120&scope=read")} << 200 << qint64(120);
    QTest::newRow("a wrong password is 401") << QStringList{QString(), QStringLiteral("-u"), QStringLiteral("alice:wrong")}
                                              << 401 << qint64(0);
    QTest::newRow("a scope the user lacks is 403") << QStringList{QStringLiteral("?scopes=admin")} << 403 << qint64(0);
    QTest::newRow("a longer validity than allowed is 400") << QStringList{QStringLiteral("?validityTime=999999999")} << 400
                                                           << qint64(0);
    QTest::newRow("a body that is not a JSON object is 400")
        << QStringList{QString(), QStringLiteral("-H"), QStringLiteral("Content-Type: application/json"),
                       QStringLiteral("--data"), QStringLiteral("[1]")}
        << 400 << qint64(0);
}

// The same issuer as the admin listener's, served by the data plane to the HTTPS clients it
// already has (curl here), as WSO2 MGW did.
void tst_Security::apiKeyFromTheHttpsListener()
{
    QFETCH(QStringList, curlArguments);
    QFETCH(int, status);
    QFETCH(qint64, validity);
    const QString url = QStringLiteral("https://127.0.0.1:%1/apikey%2").arg(gateway().httpsPort()).arg(curlArguments.takeFirst());
    const ProcessResult r = runProcess(QStringLiteral("curl"),
                                       QStringList{QStringLiteral("-sk"), QStringLiteral("-D"), QStringLiteral("-"),
                                                   QStringLiteral("-u"), QStringLiteral("alice:s3cret")}
                                           + curlArguments + QStringList{url});
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
    const qsizetype split = r.out.indexOf("\r\n\r\n");
    QVERIFY2(split > 0, r.out.constData());
    const QByteArray head = r.out.first(split).toLower();
    const QByteArray body = r.out.sliced(split + 4).trimmed();
    QVERIFY2(head.startsWith("http/1.1 " + QByteArray::number(status)) || head.startsWith("http/2 " + QByteArray::number(status)),
             r.out.constData());
    if (status == 401)
        QVERIFY2(head.contains("www-authenticate: basic"), head.constData());
    if (status != 200)
        return;
    QVERIFY2(head.contains("cache-control: no-store"), head.constData());
    QCOMPARE(body.count('.'), 2);
    const QJsonObject claims = QJsonDocument::fromJson(QByteArray::fromBase64(body.split('.').at(1),
                                                                              QByteArray::Base64UrlEncoding)).object();
    QCOMPARE(claims.value(QLatin1StringView("sub")).toString(), QStringLiteral("alice"));
    QCOMPARE(claims.value(QLatin1StringView("exp")).toInteger() - claims.value(QLatin1StringView("iat")).toInteger(), validity);
    const HttpResponse used = httpRequest(gateway().httpPort(), "GET", "/pets/key", {{"x-api-key", body}});
    QVERIFY2(used.status == 200, qPrintable(used.describe()));
}

void tst_Security::apiKeyIsNeverServedOverPlainHttp()
{
    // Refused before the credentials are looked at, good ones included.
    const HttpResponse r = httpRequest(gateway().httpPort(), "GET", "/apikey",
                                       {{"Authorization", basicAuthorization("alice", "s3cret")}});
    QCOMPARE(r.status, 403);
    QCOMPARE(r.json().value(QLatin1StringView("message")).toString(), QStringLiteral("HTTPS required"));
}

void tst_Security::cliIssuedKeyWorksAndRevocationTakesEffect()
{
    const ProcessResult issued = runProcess(gatehousedPath(), {QStringLiteral("key"), QStringLiteral("issue"), m_project.path(),
                                                               QStringLiteral("--subject"), QStringLiteral("bob"),
                                                               QStringLiteral("--scopes"), QStringLiteral("read"),
                                                               QStringLiteral("--ttl"), QStringLiteral("120")});
    QVERIFY2(issued.exitCode == 0, qPrintable(issued.describe()));
    const QByteArray key = issued.out.trimmed();
    HttpResponse r = httpRequest(gateway().httpPort(), "GET", "/pets/key", {{"x-api-key", key}});
    QVERIFY2(r.status == 200, qPrintable(r.describe() + QString::fromUtf8(r.body)));

    const ProcessResult revoked = runProcess(gatehousedPath(), {QStringLiteral("key"), QStringLiteral("revoke"),
                                                                m_project.path(), jtiOf(key)});
    QVERIFY2(revoked.exitCode == 0, qPrintable(revoked.describe()));
    QVERIFY2(waitUntil([&] {
                 r = httpRequest(gateway().httpPort(), "GET", "/pets/key", {{"x-api-key", key}});
                 return r.status == 401;
             }, 5'000),
             qPrintable(r.describe()));
    QVERIFY2(r.json().value(QLatin1StringView("description")).toString().contains(QStringLiteral("revoked")), r.body.constData());
}

QTEST_GUILESS_MAIN(tst_Security)
#include "tst_security.moc"
