// backend-jwt through the real gateway (in-process and gatehoused): the upstream gets a token in
// X-JWT-Assertion that python3-jwt (PyJWT) verifies with the project's published JWKS, audience
// and issuer, with the caller's claims; the same caller gets the same token again (no new
// signature), another caller another one; without an authenticated caller the upstream gets no
// header even when the client sends one; the token is refused when replayed to the gateway as an
// API key.
#include "testgateway.h"
#include "testupstream.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace Gatehouse;
using namespace Gatehouse::Test;

namespace {

QByteArray apiDocument(const QString &upstream)
{
    return apiYamlHead(QStringLiteral("Orders"), QStringLiteral("2.0"), QStringLiteral("/orders"), upstream)
         + QByteArray(
               "components:\n"
               "  securitySchemes:\n"
               "    basicAuth: {type: http, scheme: basic}\n"
               "    key: {type: apiKey, in: header, name: X-API-Key}\n"
               "x-gatehouse-request-policies:\n"
               "  - {name: backend-jwt, settings: {audience: orders-service, ttlSeconds: 120}}\n"
               "paths:\n"
               "  /mine:\n"
               "    get:\n"
               "      security: [{basicAuth: []}]\n"
               "      responses: {'200': {description: ok}}\n"
               "  /open:\n"
               "    get:\n"
               "      responses: {'200': {description: ok}}\n"
               "  /keyed:\n"
               "    get:\n"
               "      security: [{key: []}]\n"
               "      responses: {'200': {description: ok}}\n");
}

// Verifies argv[1] (a token file) with the JWKS in argv[2] and prints the claims as JSON.
// (moc does not read raw string literals: plain ones)
const QString kVerify = QStringLiteral(
    "import json, sys, jwt\n"
    "token = open(sys.argv[1]).read().strip()\n"
    "jwks = json.load(open(sys.argv[2]))\n"
    "kid = jwt.get_unverified_header(token)[\"kid\"]\n"
    "key = next(k for k in jwks[\"keys\"] if k.get(\"kid\") == kid)\n"
    "claims = jwt.decode(token, jwt.PyJWK(key).key, algorithms=[\"RS256\", \"ES256\"],\n"
    "                    audience=\"orders-service\", issuer=\"https://gatehouse.local/backend\",\n"
    "                    options={\"require\": [\"exp\", \"iat\", \"sub\", \"iss\", \"aud\"]})\n"
    "print(json.dumps(claims))\n");

} // namespace

class tst_BackendJwtProxy : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase_data() { addGatewayModeRows(); }
    void initTestCase();
    void cleanupTestCase();

    void theUpstreamVerifiesTheCallersToken();
    void aCallerCallingAgainGetsTheSameToken();
    void noCallerNoHeader();
    void aForwardedTokenIsNoApiKey();

private:
    GatewayUnderTest &gateway() { return m_gateways.current(); }
    // The X-JWT-Assertion the upstream got for GET `target` with `headers`.
    QByteArray forwardedToken(const QByteArray &target, const FieldPairs &headers, int *status = nullptr)
    {
        const HttpResponse r = httpRequest(gateway().httpPort(), "GET", target, headers);
        if (status)
            *status = r.status;
        return r.status == 200 ? m_upstream.lastRequest().header("x-jwt-assertion") : QByteArray("no answer");
    }
    QJsonObject verified(const QByteArray &token, QString *failure)
    {
        QFile file(m_tmp.filePath(QStringLiteral("token")));
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(token) != token.size())
            return {};
        file.close();
        const ProcessResult r = runProcess(QStringLiteral("/usr/bin/python3"),
                                           {QStringLiteral("-c"), kVerify, file.fileName(),
                                            m_project.filePath(QStringLiteral("keys/jwks.json"))});
        if (r.exitCode != 0) {
            *failure = r.describe() + QString::fromUtf8(r.err);
            return {};
        }
        return QJsonDocument::fromJson(r.out).object();
    }

    TestUpstream m_upstream;
    TestProject m_project;
    GatewayPair m_gateways;
    QTemporaryDir m_tmp;
};

void tst_BackendJwtProxy::initTestCase()
{
    QVERIFY(m_project.isValid() && m_tmp.isValid());
    const ProcessResult pyjwt = runProcess(QStringLiteral("/usr/bin/python3"), {QStringLiteral("-c"), QStringLiteral("import jwt")});
    if (pyjwt.exitCode != 0)
        QSKIP("python3-jwt is not installed (apt-get install python3-jwt)");
    QVERIFY(m_upstream.start());
    QVERIFY(m_project.write(QStringLiteral("gatehouse.yaml"),
                            settingsYaml("security:\n"
                                         "  users:\n"
                                         "    - {name: alice, password: alice-pw, scopes: [orders:read, orders:write]}\n"
                                         "    - {name: bob, password: bob-pw, scopes: [orders:read]}\n")));
    QVERIFY(m_project.write(QStringLiteral("apis/orders.yaml"), apiDocument(m_upstream.url())));
    QString error;
    QVERIFY2(m_gateways.start(m_project.path(), &error, 1), qPrintable(error));
}

void tst_BackendJwtProxy::cleanupTestCase()
{
    m_gateways.stop();
    m_upstream.stop();
}

void tst_BackendJwtProxy::theUpstreamVerifiesTheCallersToken()
{
    int status = 0;
    const QByteArray token = forwardedToken("/orders/mine", {{"Authorization", basicAuthorization("alice", "alice-pw")}}, &status);
    QCOMPARE(status, 200);
    QVERIFY(!token.isEmpty());
    QString failure;
    const QJsonObject claims = verified(token, &failure);
    QVERIFY2(!claims.isEmpty(), qPrintable(failure));
    QCOMPARE(claims.value(u"sub").toString(), QStringLiteral("alice"));
    QCOMPARE(claims.value(u"exp").toInteger() - claims.value(u"iat").toInteger(), qint64(120));
    QCOMPARE(claims.value(u"scope").toString(), QStringLiteral("orders:read orders:write"));
    QCOMPARE(claims.value(u"api").toString(), QStringLiteral("Orders"));
    QCOMPARE(claims.value(u"apiVersion").toString(), QStringLiteral("2.0"));
    QCOMPARE(claims.value(u"authMethod").toString(), QStringLiteral("basic"));
}

void tst_BackendJwtProxy::aCallerCallingAgainGetsTheSameToken()
{
    const FieldPairs alice{{"Authorization", basicAuthorization("alice", "alice-pw")}};
    const FieldPairs bob{{"Authorization", basicAuthorization("bob", "bob-pw")}};
    const QByteArray first = forwardedToken("/orders/mine", alice);
    for (int i = 0; i < 5; ++i)
        QCOMPARE(forwardedToken("/orders/mine", alice), first);
    const QByteArray bobs = forwardedToken("/orders/mine", bob);
    QVERIFY(bobs != first);
    QString failure;
    QCOMPARE(verified(bobs, &failure).value(u"sub").toString(), QStringLiteral("bob"));
    QCOMPARE(verified(bobs, &failure).value(u"scope").toString(), QStringLiteral("orders:read"));
}

void tst_BackendJwtProxy::noCallerNoHeader()
{
    QVERIFY(forwardedToken("/orders/open", {}).isNull());
    const QByteArray forged = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.";
    QVERIFY(forwardedToken("/orders/open", {{"X-JWT-Assertion", forged}}).isNull());
    const QByteArray forwarded = forwardedToken("/orders/mine", {{"Authorization", basicAuthorization("alice", "alice-pw")},
                                                                 {"X-JWT-Assertion", forged}});
    QVERIFY(!forwarded.isEmpty() && forwarded != forged);
    QCOMPARE(m_upstream.lastRequest().headerCount("x-jwt-assertion"), 1);
}

void tst_BackendJwtProxy::aForwardedTokenIsNoApiKey()
{
    const QByteArray token = forwardedToken("/orders/mine", {{"Authorization", basicAuthorization("alice", "alice-pw")}});
    QVERIFY(!token.isEmpty());
    const HttpResponse r = httpRequest(gateway().httpPort(), "GET", "/orders/keyed", {{"X-API-Key", token}});
    QCOMPARE(r.status, 401);
}

QTEST_MAIN(tst_BackendJwtProxy)
#include "tst_backendjwtproxy.moc"
