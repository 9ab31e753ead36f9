// Opaque OAuth2 tokens through the real gateway, checked by RFC 7662 introspection at an
// authorization server written by others (oauth2-mock-server from npm, tests/peers/oauth):
// active and inactive tokens, scopes from the answer, expiry, caching, the endpoint failing or
// unreachable (fail closed: 503 or 401 as configured); in-process and through gatehoused.
#include "testgateway.h"
#include "testupstream.h"

#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>

using namespace Gatehouse;
using namespace Gatehouse::Test;

class tst_Introspection : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase_data() { addGatewayModeRows(); }
    void initTestCase();
    void cleanupTestCase();

    void activeTokenIsAdmittedWithItsScopes();
    void inactiveOrExpiredTokensAreRefused_data();
    void inactiveOrExpiredTokensAreRefused();
    void answersAreCached();
    void failingEndpointFailsClosed();
    void unreachableEndpointAnswersAsConfigured();

private:
    int introspectionCalls();
    HttpResponse get(const QByteArray &path, const QByteArray &token);
    GatewayUnderTest &gateway() { return m_gateways.current(); }
    QProcess m_oauth;
    QString m_oauthUrl;
    quint16 m_callsPort = 0;
    TestUpstream m_upstream;
    BlackholeListener m_blackhole;
    TestProject m_project;
    GatewayPair m_gateways;
};

void tst_Introspection::initTestCase()
{
    const QString peer = QDir(QStringLiteral(QT_TESTCASE_SOURCEDIR)).absoluteFilePath(QStringLiteral("../peers/oauth"));
    if (QStandardPaths::findExecutable(QStringLiteral("node")).isEmpty()
        || !QFileInfo::exists(peer + QStringLiteral("/node_modules/oauth2-mock-server")))
        QSKIP("the OAuth peer is not installed (scripts/test.sh runs npm ci in tests/peers/oauth)");
    m_oauth.setWorkingDirectory(peer);
    m_oauth.start(QStringLiteral("node"), {QStringLiteral("server.mjs")});
    QVERIFY(m_oauth.waitForStarted(10'000));
    QVERIFY2(waitUntil([this] { return m_oauth.canReadLine(); }, 30'000), m_oauth.readAllStandardError().constData());
    const QList<QByteArray> parts = m_oauth.readLine().trimmed().split(' ');
    QCOMPARE(parts.size(), 2);
    m_oauthUrl = QString::fromLatin1(parts.at(0));
    m_callsPort = quint16(parts.at(1).toUInt());

    QVERIFY(m_project.isValid());
    QVERIFY(m_upstream.start());
    QVERIFY(m_blackhole.start());
    qputenv("GATEHOUSE_TEST_OAUTH_SECRET", "s3cret");
    const QByteArray settings = keyManagerSettings(QStringLiteral("corp"), m_oauthUrl + QStringLiteral("/introspect"),
                                                  QStringLiteral("${env:GATEHOUSE_TEST_OAUTH_SECRET}"), QStringLiteral("30s"));
    QVERIFY(m_project.write(QStringLiteral("gatehouse.yaml"), settingsYaml(settings)));
    QVERIFY(m_project.write(QStringLiteral("apis/orders.yaml"), oauthOrdersApiYaml(m_upstream.url(), m_oauthUrl)));
    QString error;
    QVERIFY2(m_gateways.start(m_project.path(), &error), qPrintable(error));
}

void tst_Introspection::cleanupTestCase()
{
    m_gateways.stop();
    m_upstream.stop();
    if (m_oauth.state() != QProcess::NotRunning) {
        m_oauth.closeWriteChannel();
        if (!m_oauth.waitForFinished(5'000))
            m_oauth.kill();
    }
}

int tst_Introspection::introspectionCalls()
{
    return httpRequest(m_callsPort, "GET", "/").body.toInt();
}

HttpResponse tst_Introspection::get(const QByteArray &path, const QByteArray &token)
{
    return httpRequest(gateway().httpPort(), "GET", path, {{"Authorization", "Bearer " + token}});
}

void tst_Introspection::activeTokenIsAdmittedWithItsScopes()
{
    HttpResponse r = get("/orders/list", "opaque-alice-read");
    QVERIFY2(r.status == 200, qPrintable(r.describe()));
    QVERIFY2(m_upstream.lastRequest().header("Authorization").isNull(), "the token was forwarded upstream");
    r = httpRequest(gateway().httpPort(), "POST", "/orders/change", {{"Authorization", "Bearer opaque-alice-read"}}, "{}");
    QVERIFY2(r.status == 403, qPrintable(r.describe()));
    QVERIFY(r.json().value(QStringLiteral("description")).toString().contains(QStringLiteral("'write' missing")));
    r = httpRequest(gateway().httpPort(), "POST", "/orders/change", {{"Authorization", "Bearer opaque-bob-read+write"}}, "{}");
    QVERIFY2(r.status == 200, qPrintable(r.describe()));
}

void tst_Introspection::inactiveOrExpiredTokensAreRefused_data()
{
    QTest::addColumn<QByteArray>("token");
    QTest::addColumn<QString>("reason");
    QTest::newRow("inactive") << QByteArray("opaque-unknown") << QStringLiteral("not active");
    QTest::newRow("expired") << QByteArray("opaque-expired") << QStringLiteral("expired");
    QTest::newRow("huge") << QByteArray(5000, 'a') << QStringLiteral("longer than");
}

void tst_Introspection::inactiveOrExpiredTokensAreRefused()
{
    QFETCH(QByteArray, token);
    QFETCH(QString, reason);
    const int before = m_upstream.requestCount();
    const HttpResponse r = get("/orders/list", token);
    QVERIFY2(r.status == 401, qPrintable(r.describe()));
    QCOMPARE(r.json().value(QStringLiteral("code")).toString(), QStringLiteral("900901"));
    QVERIFY2(r.json().value(QStringLiteral("description")).toString().contains(reason), qPrintable(r.describe()));
    QCOMPARE(m_upstream.requestCount(), before);
}

void tst_Introspection::answersAreCached()
{
    const QByteArray token = "opaque-carol-read";
    const int before = introspectionCalls();
    // Two workers: at most one call per worker, then every answer comes from the caches.
    for (int i = 0; i < 20; ++i) {
        const HttpResponse r = get("/orders/list", token);
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
    }
    const int calls = introspectionCalls() - before;
    QVERIFY2(calls >= 1 && calls <= 2, qPrintable(QString::number(calls)));
}

void tst_Introspection::failingEndpointFailsClosed()
{
    const HttpResponse r = get("/orders/list", "opaque-error");
    QVERIFY2(r.status == 503, qPrintable(r.describe()));
    QCOMPARE(r.json().value(QStringLiteral("code")).toString(), QStringLiteral("900903"));
    QVERIFY(r.json().value(QStringLiteral("description")).toString().contains(QStringLiteral("HTTP status 500")));
}

void tst_Introspection::unreachableEndpointAnswersAsConfigured()
{
    // A second project whose key manager never answers (a listener that never accepts), with
    // onError: unauthorized and a short timeout.
    TestProject project;
    const QByteArray settings = QStringLiteral(R"(security:
  keyManagers:
    - name: dead
      introspectionUrl: http://127.0.0.1:%1/introspect
      clientId: gatehouse
      clientSecret: ${env:GATEHOUSE_TEST_OAUTH_SECRET}
      timeout: 500ms
      onError: unauthorized
)").arg(m_blackhole.port()).toUtf8();
    QVERIFY(project.write(QStringLiteral("gatehouse.yaml"), settingsYaml(settings)));
    QFile source(m_project.filePath(QStringLiteral("apis/orders.yaml")));
    QVERIFY(source.open(QIODevice::ReadOnly));
    QVERIFY(project.write(QStringLiteral("apis/orders.yaml"), source.readAll()));
    GatewayUnderTest g(currentGatewayMode());
    QVERIFY2(g.start(project.path(), 1), qPrintable(g.errorString()));
    const HttpResponse r = httpRequest(g.httpPort(), "GET", "/orders/list", {{"Authorization", "Bearer opaque-dave-read"}});
    QVERIFY2(r.status == 401, qPrintable(r.describe()));
    QVERIFY2(r.json().value(QStringLiteral("description")).toString().contains(QStringLiteral("'dead' failed")),
             qPrintable(r.describe()));
    g.stop();
}

QTEST_GUILESS_MAIN(tst_Introspection)
#include "tst_introspection.moc"
