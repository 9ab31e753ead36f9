// The authentication and authorization stages through the real gateway: Basic users (a slow hash
// verified off the worker threads, an ${env:} password), scopes, optional security, requirements
// that OR and AND, credentials kept from the upstream; in-process and through gatehoused.
#include "testgateway.h"
#include "testupstream.h"

#include "security/passwordhash.h"

#include <QDateTime>
#include <QTest>

using namespace Gatehouse;
using namespace Gatehouse::Test;

namespace {

QByteArray apiDocument(const QString &upstream)
{
    return QStringLiteral(R"(openapi: 3.0.3
info:
  title: Vault
  version: '1.0'
x-gatehouse-basePath: /vault
servers:
  - url: %1
components:
  securitySchemes:
    basicAuth:
      type: http
      scheme: basic
    partnerBasic:
      type: http
      scheme: basic
security:
  - basicAuth: []
paths:
  /read:
    get:
      x-gatehouse-scopes: [read]
      responses: {'200': {description: ok}}
    post:
      x-gatehouse-scopes: [read]
      responses: {'200': {description: ok}}
  /write:
    get:
      x-gatehouse-scopes: [write]
      responses: {'200': {description: ok}}
  /public:
    get:
      security: []
      responses: {'200': {description: ok}}
  /optional:
    get:
      security:
        - {}
        - basicAuth: []
      responses: {'200': {description: ok}}
  /undefined-scheme-free:
    get:
      x-gatehouse-disable-security: true
      responses: {'200': {description: ok}}
)").arg(upstream).toUtf8();
}

} // namespace

class tst_Authentication : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase_data() { addGatewayModeRows(); }
    void initTestCase();
    void cleanupTestCase();

    void missingCredentialsAreChallenged();
    void wrongOrMalformedCredentialsAreRefused_data();
    void wrongOrMalformedCredentialsAreRefused();
    void validUserIsAdmittedAndTheCredentialStaysHere();
    void environmentPasswordWorks();
    void missingScopeIsForbidden();
    void publicAndOptionalOperations();
    void bodyAndPipelinedRequestsSurviveASlowLogin();

private:
    GatewayUnderTest &gateway() { return m_gateways.current(); }
    TestUpstream m_upstream;
    TestProject m_project;
    GatewayPair m_gateways;
};

void tst_Authentication::initTestCase()
{
    QVERIFY(m_project.isValid());
    QVERIFY(m_upstream.start());
    qputenv("GATEHOUSE_TEST_BOB_PASSWORD", "b0b-secret");   // the daemon inherits it
    // Enough iterations that verification is slow (it runs off the worker threads), few enough
    // for a loaded CI machine.
    const QString aliceHash = hashPasswordWithSalt("alice-pw", "0123456789abcdef", 150'000);
    const QString carolHash = hashPasswordWithSalt("carol-pw", "fedcba9876543210", 150'000);
    QByteArray users = "security:\n"
                       "  users:\n"
                       "    - name: alice\n"
                       "      passwordHash: '" + aliceHash.toUtf8() + "'\n"
                       "      scopes: [read]\n"
                       "    - name: carol\n"
                       "      passwordHash: '" + carolHash.toUtf8() + "'\n"
                       "      scopes: [read]\n"
                       "    - name: bob\n"
                       "      password: ${env:GATEHOUSE_TEST_BOB_PASSWORD}\n"
                       "      scopes: [read, write]\n";
    QVERIFY(m_project.write(QStringLiteral("gatehouse.yaml"), settingsYaml(users)));
    QVERIFY(m_project.write(QStringLiteral("apis/vault.yaml"), apiDocument(m_upstream.url())));
    QString error;
    QVERIFY2(m_gateways.start(m_project.path(), &error), qPrintable(error));
}

void tst_Authentication::cleanupTestCase()
{
    m_gateways.stop();
    m_upstream.stop();
}

void tst_Authentication::missingCredentialsAreChallenged()
{
    const int before = m_upstream.requestCount();
    const HttpResponse r = httpRequest(gateway().httpPort(), "GET", "/vault/read");
    QVERIFY2(r.status == 401, qPrintable(r.describe()));
    QCOMPARE(r.json().value(QStringLiteral("code")).toString(), QStringLiteral("900902"));
    QVERIFY2(r.header("WWW-Authenticate").startsWith("Basic realm=\"gatehouse\""), r.header("WWW-Authenticate"));
    QVERIFY(r.json().value(QStringLiteral("description")).toString().contains(QStringLiteral("basicAuth")));
    QCOMPARE(m_upstream.requestCount(), before);
}

void tst_Authentication::wrongOrMalformedCredentialsAreRefused_data()
{
    QTest::addColumn<QByteArray>("authorization");
    QTest::newRow("wrong password") << basicAuthorization("alice", "guess");
    QTest::newRow("unknown user") << basicAuthorization("mallory", "alice-pw");
    QTest::newRow("empty password") << basicAuthorization("alice", "");
    QTest::newRow("not base64") << QByteArray("Basic %%%not-base64");
    QTest::newRow("no colon") << ("Basic " + QByteArray("alicealice-pw").toBase64());
    QTest::newRow("password of the other user") << basicAuthorization("alice", "b0b-secret");
}

void tst_Authentication::wrongOrMalformedCredentialsAreRefused()
{
    QFETCH(QByteArray, authorization);
    const int before = m_upstream.requestCount();
    const HttpResponse r = httpRequest(gateway().httpPort(), "GET", "/vault/read", {{"Authorization", authorization}});
    QVERIFY2(r.status == 401, qPrintable(r.describe()));
    QCOMPARE(r.json().value(QStringLiteral("code")).toString(), QStringLiteral("900901"));
    QVERIFY(!r.header("WWW-Authenticate").isEmpty());
    QCOMPARE(m_upstream.requestCount(), before);
}

void tst_Authentication::validUserIsAdmittedAndTheCredentialStaysHere()
{
    for (int i = 0; i < 3; ++i) {   // the first verifies the hash, the others hit the cache
        const HttpResponse r = httpRequest(gateway().httpPort(), "GET", "/vault/read",
                                           {{"Authorization", basicAuthorization("alice", "alice-pw")}});
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        const RecordedRequest seen = m_upstream.lastRequest();
        QCOMPARE(seen.target, QByteArray("/read"));
        QVERIFY2(seen.header("Authorization").isNull(), "the credential was forwarded upstream");
    }
}

void tst_Authentication::environmentPasswordWorks()
{
    HttpResponse r = httpRequest(gateway().httpPort(), "GET", "/vault/write",
                                 {{"Authorization", basicAuthorization("bob", "b0b-secret")}});
    QVERIFY2(r.status == 200, qPrintable(r.describe()));
    r = httpRequest(gateway().httpPort(), "GET", "/vault/write", {{"Authorization", basicAuthorization("bob", "b0b-secreT")}});
    QVERIFY2(r.status == 401, qPrintable(r.describe()));
}

void tst_Authentication::missingScopeIsForbidden()
{
    const int before = m_upstream.requestCount();
    const HttpResponse r = httpRequest(gateway().httpPort(), "GET", "/vault/write",
                                       {{"Authorization", basicAuthorization("alice", "alice-pw")}});
    QVERIFY2(r.status == 403, qPrintable(r.describe()));
    QCOMPARE(r.json().value(QStringLiteral("code")).toString(), QStringLiteral("900910"));
    const QString description = r.json().value(QStringLiteral("description")).toString();
    QVERIFY2(description.contains(QStringLiteral("'write' missing")) && description.contains(QStringLiteral("'read'")),
             qPrintable(description));
    QVERIFY(r.header("WWW-Authenticate").contains("insufficient_scope"));
    QCOMPARE(m_upstream.requestCount(), before);
}

void tst_Authentication::publicAndOptionalOperations()
{
    HttpResponse r = httpRequest(gateway().httpPort(), "GET", "/vault/public");
    QVERIFY2(r.status == 200, qPrintable(r.describe()));
    r = httpRequest(gateway().httpPort(), "GET", "/vault/undefined-scheme-free");
    QVERIFY2(r.status == 200, qPrintable(r.describe()));
    // Optional: anonymous passes, a good credential passes, a bad one is refused (not ignored).
    r = httpRequest(gateway().httpPort(), "GET", "/vault/optional");
    QVERIFY2(r.status == 200, qPrintable(r.describe()));
    r = httpRequest(gateway().httpPort(), "GET", "/vault/optional", {{"Authorization", basicAuthorization("bob", "b0b-secret")}});
    QVERIFY2(r.status == 200, qPrintable(r.describe()));
    r = httpRequest(gateway().httpPort(), "GET", "/vault/optional", {{"Authorization", basicAuthorization("bob", "nope")}});
    QVERIFY2(r.status == 401, qPrintable(r.describe()));
}

void tst_Authentication::bodyAndPipelinedRequestsSurviveASlowLogin()
{
    // Credentials the gateway has not verified yet (carol logs in only here, in each mode a
    // different gateway; a new wrong password is never cached): each request waits for the
    // hashing thread while its body and the pipelined requests are in the gateway's buffers.
    HttpConnection c;
    QVERIFY(c.connectTo(gateway().httpPort()));
    const QByteArray body(100'000, 'x');
    const QByteArray first = requestBytes("POST", "/vault/read", {{"Authorization", basicAuthorization("carol", "carol-pw")}}, body);
    const QByteArray second = requestBytes("GET", "/vault/read", {{"Authorization", basicAuthorization("alice", "wrong-" + QByteArray::number(QDateTime::currentMSecsSinceEpoch()))}});
    const QByteArray third = requestBytes("GET", "/vault/public");
    c.write(first + second + third);
    HttpResponse r = c.readResponse("POST", 20'000);
    QVERIFY2(r.status == 200, qPrintable(r.describe()));
    QCOMPARE(m_upstream.lastRequest().bodyBytes, qint64(body.size()));
    r = c.readResponse("GET", 20'000);
    QVERIFY2(r.status == 401, qPrintable(r.describe()));
    r = c.readResponse("GET", 20'000);
    QVERIFY2(r.status == 200, qPrintable(r.describe()));
}

QTEST_GUILESS_MAIN(tst_Authentication)
#include "tst_authentication.moc"
