// Opaque OAuth 2.0 tokens from a real authorization server, oidc-provider from npm (OpenID
// certified, written by others; tests/peers/oidc), nothing scripted: the test obtains tokens with
// the client credentials grant, the gateway introspects them (RFC 7662) and admits or refuses by
// their scopes, and a token revoked at the server (RFC 7009) stops working; in-process and through
// gatehoused.
#include "testgateway.h"
#include "testupstream.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>
#include <QUrl>

using namespace Gatehouse;
using namespace Gatehouse::Test;

class tst_OidcProvider : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase_data() { addGatewayModeRows(); }
    void initTestCase();
    void cleanupTestCase();

    void clientCredentialsTokensAreAdmittedByTheirScopes();
    void aRevokedTokenIsRefused();
    void aTokenTheServerNeverIssuedIsRefused();

private:
    QByteArray token(const QByteArray &scope);
    HttpResponse call(const QByteArray &method, const QByteArray &path, const QByteArray &token);
    GatewayUnderTest &gateway() { return m_gateways.current(); }

    QProcess m_server;
    QString m_issuer;
    quint16 m_serverPort = 0;
    TestUpstream m_upstream;
    TestProject m_project;
    GatewayPair m_gateways;
};

void tst_OidcProvider::initTestCase()
{
    const QString peer = QDir(QStringLiteral(QT_TESTCASE_SOURCEDIR)).absoluteFilePath(QStringLiteral("../peers/oidc"));
    if (QStandardPaths::findExecutable(QStringLiteral("node")).isEmpty()
        || !QFileInfo::exists(peer + QStringLiteral("/node_modules/oidc-provider")))
        QSKIP("the OIDC peer is not installed (scripts/test.sh runs npm ci in tests/peers/oidc)");
    m_server.setWorkingDirectory(peer);
    m_server.start(QStringLiteral("node"), {QStringLiteral("server.mjs")});
    QVERIFY(m_server.waitForStarted(10'000));
    QVERIFY2(waitUntil([this] { return m_server.canReadLine(); }, 30'000), m_server.readAllStandardError().constData());
    m_issuer = QString::fromLatin1(m_server.readLine().trimmed());
    m_serverPort = quint16(QUrl(m_issuer).port());
    QVERIFY2(m_serverPort != 0, qPrintable(m_issuer));

    QVERIFY(m_project.isValid());
    QVERIFY(m_upstream.start());
    // Never cached: a revocation must show on the next request.
    const QByteArray settings = keyManagerSettings(QStringLiteral("oidc"), m_issuer + QStringLiteral("/token/introspection"),
                                                  QStringLiteral("s3cret"), QStringLiteral("0s"));
    QVERIFY(m_project.write(QStringLiteral("gatehouse.yaml"), settingsYaml(settings)));
    QVERIFY(m_project.write(QStringLiteral("apis/orders.yaml"), oauthOrdersApiYaml(m_upstream.url(), m_issuer)));
    QString error;
    QVERIFY2(m_gateways.start(m_project.path(), &error), qPrintable(error));
}

void tst_OidcProvider::cleanupTestCase()
{
    m_gateways.stop();
    m_upstream.stop();
    if (m_server.state() != QProcess::NotRunning) {
        m_server.closeWriteChannel();
        if (!m_server.waitForFinished(5'000))
            m_server.kill();
    }
}

// An access token from the server's token endpoint (client "app", client_credentials).
QByteArray tst_OidcProvider::token(const QByteArray &scope)
{
    const HttpResponse r = httpRequest(m_serverPort, "POST", "/token",
                                       {{"Authorization", basicAuthorization("app", "app-secret")},
                                        {"Content-Type", "application/x-www-form-urlencoded"}},
                                       "grant_type=client_credentials&scope=" + QUrl::toPercentEncoding(QString::fromLatin1(scope)));
    if (r.status != 200)
        qWarning("token endpoint: %s %s", qPrintable(r.describe()), r.body.constData());
    return r.json().value(QLatin1StringView("access_token")).toString().toLatin1();
}

HttpResponse tst_OidcProvider::call(const QByteArray &method, const QByteArray &path, const QByteArray &token)
{
    return httpRequest(gateway().httpPort(), method, path, {{"Authorization", "Bearer " + token}},
                       method == "POST" ? QByteArray("{}") : QByteArray());
}

void tst_OidcProvider::clientCredentialsTokensAreAdmittedByTheirScopes()
{
    const QByteArray reader = token("read");
    QVERIFY(!reader.isEmpty());
    HttpResponse r = call("GET", "/orders/list", reader);
    QVERIFY2(r.status == 200, qPrintable(r.describe() + QString::fromUtf8(r.body)));
    QVERIFY2(m_upstream.lastRequest().header("Authorization").isNull(), "the token was forwarded upstream");
    r = call("POST", "/orders/change", reader);
    QVERIFY2(r.status == 403, qPrintable(r.describe()));
    QVERIFY2(r.json().value(QLatin1StringView("description")).toString().contains(QStringLiteral("'write' missing")),
             r.body.constData());
    const QByteArray writer = token("read write");
    QVERIFY(!writer.isEmpty());
    r = call("POST", "/orders/change", writer);
    QVERIFY2(r.status == 200, qPrintable(r.describe() + QString::fromUtf8(r.body)));
}

void tst_OidcProvider::aRevokedTokenIsRefused()
{
    const QByteArray t = token("read");
    QVERIFY(!t.isEmpty());
    HttpResponse r = call("GET", "/orders/list", t);
    QVERIFY2(r.status == 200, qPrintable(r.describe()));
    const HttpResponse revoked = httpRequest(m_serverPort, "POST", "/token/revocation",
                                             {{"Authorization", basicAuthorization("app", "app-secret")},
                                              {"Content-Type", "application/x-www-form-urlencoded"}},
                                             "token=" + t);
    QCOMPARE(revoked.status, 200);
    r = call("GET", "/orders/list", t);
    QVERIFY2(r.status == 401, qPrintable(r.describe()));
    QVERIFY2(r.json().value(QLatin1StringView("description")).toString().contains(QStringLiteral("not active")),
             r.body.constData());
}

void tst_OidcProvider::aTokenTheServerNeverIssuedIsRefused()
{
    QByteArray forged = token("read");
    QVERIFY(!forged.isEmpty());
    forged[forged.size() / 2] = forged.at(forged.size() / 2) == 'A' ? 'B' : 'A';
    const HttpResponse r = call("GET", "/orders/list", forged);
    QVERIFY2(r.status == 401, qPrintable(r.describe()));
    QVERIFY(r.header("WWW-Authenticate").startsWith("Bearer"));
}

QTEST_GUILESS_MAIN(tst_OidcProvider)
#include "tst_oidcprovider.moc"
