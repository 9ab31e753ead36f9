// JWKS URLs: fetched in the background, refetched on request at most once per minRefetch, and a
// failing endpoint keeps the last good keys. The endpoint is a tiny loopback HTTP server.
#include "security/jwksfetcher.h"
#include "security/jwk.h"
#include "security/jws.h"
#include "security/tokenservices.h"

#include "project/projectsettings.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <openssl/evp.h>

using namespace Gatehouse;

namespace {

// Answers every request with the current status and body, then closes, or leaves it unanswered
// while `hang` is set; counts requests.
class JwksEndpoint : public QObject
{
public:
    JwksEndpoint()
    {
        m_server.listen(QHostAddress::LocalHost);
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = m_server.nextPendingConnection()) {
                connect(s, &QTcpSocket::readyRead, s, [this, s] {
                    if (!s->readAll().contains("\r\n\r\n"))
                        return;
                    ++requests;
                    if (hang)
                        return;   // read, never answered: a stuck endpoint
                    s->write("HTTP/1.1 " + QByteArray::number(status) + " X\r\nContent-Type: application/json\r\n"
                             "Content-Length: " + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
                    s->disconnectFromHost();
                });
                connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
            }
        });
    }
    QUrl url() const { return QUrl(QStringLiteral("http://127.0.0.1:%1/jwks").arg(m_server.serverPort())); }

    int status = 200;
    QByteArray body;
    bool hang = false;
    int requests = 0;

private:
    QTcpServer m_server;
};

QByteArray jwksWith(const QString &kid, std::shared_ptr<EVP_PKEY> key = {})
{
    if (!key)
        key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"), EVP_PKEY_free);
    const QJsonObject jwk = *publicJwk(key.get(), kid, JwsAlgorithm::ES256);
    return QJsonDocument(QJsonObject{{QStringLiteral("keys"), QJsonArray{jwk}}}).toJson(QJsonDocument::Compact);
}

QString firstKid(const IssuerKeys &keys)
{
    const IssuerKeys::Set set = keys.current();
    return set && !set->isEmpty() ? set->first().kid : QString();
}

} // namespace

class tst_JwksFetcher : public QObject
{
    Q_OBJECT
private slots:
    void fetchesRefetchesAndKeepsTheLastGoodKeys();
    void aReloadKeepsTheKeysOfAnUnchangedUrl();
    void aHungFetchGivesWayToTheNextRefetch();
};

void tst_JwksFetcher::fetchesRefetchesAndKeepsTheLastGoodKeys()
{
    JwksEndpoint endpoint;
    endpoint.body = jwksWith(QStringLiteral("k1"));
    auto keys = std::make_shared<IssuerKeys>();
    JwksFetcher fetcher;
    QSignalSpy fetched(&fetcher, &JwksFetcher::fetched);
    const int id = fetcher.addSource({QStringLiteral("remote"), endpoint.url(), std::chrono::seconds(3600),
                                      std::chrono::seconds(1), keys});
    fetcher.start();
    QVERIFY(fetched.wait(10'000));
    QCOMPARE(fetched.last().at(1).toBool(), true);
    QCOMPARE(firstKid(*keys), QStringLiteral("k1"));

    // Refetches within minRefetch are dropped; after it one goes through.
    endpoint.body = jwksWith(QStringLiteral("k2"));
    fetcher.requestRefetch(id);
    fetcher.requestRefetch(id);
    QTest::qWait(300);
    QCOMPARE(endpoint.requests, 1);
    QTest::qWait(900);
    fetcher.requestRefetch(id);
    fetcher.requestRefetch(id);
    QTRY_COMPARE_WITH_TIMEOUT(firstKid(*keys), QStringLiteral("k2"), 10'000);
    QCOMPARE(endpoint.requests, 2);

    // A failing endpoint (500, then not JSON) keeps the keys it served last.
    endpoint.status = 500;
    QTest::qWait(1100);
    fetched.clear();
    fetcher.requestRefetch(id);
    QVERIFY(fetched.wait(10'000));
    QCOMPARE(fetched.last().at(1).toBool(), false);
    QCOMPARE(firstKid(*keys), QStringLiteral("k2"));
    endpoint.status = 200;
    endpoint.body = "<html>";
    QTest::qWait(1100);
    fetched.clear();
    fetcher.requestRefetch(id);
    QVERIFY(fetched.wait(10'000));
    QCOMPARE(fetched.last().at(1).toBool(), false);
    QCOMPARE(firstKid(*keys), QStringLiteral("k2"));
}

void tst_JwksFetcher::aHungFetchGivesWayToTheNextRefetch()
{
    // The endpoint is stuck when the gateway starts, then recovers: a token that asks for keys one
    // minRefetch after the stuck fetch began gets a new fetch instead of waiting for the 10 s
    // transfer timeout.
    JwksEndpoint endpoint;
    endpoint.hang = true;
    endpoint.body = jwksWith(QStringLiteral("k1"));
    auto keys = std::make_shared<IssuerKeys>();
    JwksFetcher fetcher;
    QSignalSpy fetched(&fetcher, &JwksFetcher::fetched);
    const int id = fetcher.addSource({QStringLiteral("remote"), endpoint.url(), std::chrono::seconds(3600),
                                      std::chrono::seconds(1), keys});
    fetcher.start();
    QTRY_COMPARE(endpoint.requests, 1);
    endpoint.hang = false;
    fetcher.requestRefetch(id);   // within minRefetch of the stuck fetch: it keeps waiting
    QTest::qWait(300);
    QCOMPARE(endpoint.requests, 1);
    QCOMPARE(firstKid(*keys), QString());

    QTest::qWait(900);
    fetcher.requestRefetch(id);
    QTRY_COMPARE_WITH_TIMEOUT(firstKid(*keys), QStringLiteral("k1"), 5'000);
    QCOMPARE(endpoint.requests, 2);
    QCOMPARE(fetched.size(), 1);   // the given-up fetch reports nothing; the new one succeeded
    QCOMPARE(fetched.last().at(1).toBool(), true);
}

void tst_JwksFetcher::aReloadKeepsTheKeysOfAnUnchangedUrl()
{
    JwksEndpoint endpoint;
    std::shared_ptr<EVP_PKEY> key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"), EVP_PKEY_free);
    endpoint.body = jwksWith(QStringLiteral("k1"), key);
    QTemporaryDir dir;
    ProjectSettings settings;
    settings.security.apiKeys.enabled = false;
    JwtIssuer issuer;
    issuer.name = QStringLiteral("remote");
    issuer.issuer = QStringLiteral("https://remote.example/");
    issuer.jwksUrl = endpoint.url();
    settings.security.issuers.append(issuer);
    Diagnostics diagnostics;
    auto first = std::make_unique<TokenServices>(settings, dir.path(), 1, nullptr, diagnostics);
    QVERIFY(!diagnostics.hasErrors());
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    const QByteArray token = *signCompactJws({{QStringLiteral("kid"), QStringLiteral("k1")}},
                                             QJsonDocument(QJsonObject{{QStringLiteral("iss"), issuer.issuer},
                                                                       {QStringLiteral("exp"), now + 300}})
                                                 .toJson(QJsonDocument::Compact),
                                             key.get(), JwsAlgorithm::ES256);
    std::shared_ptr<const VerifiedToken> out;
    QString why;
    // Before the first fetch: unavailable, never a wait.
    QCOMPARE(int(first->bearerTokens()->verify(token, now, 0, out, why)), int(TokenCheck::Unavailable));
    QTRY_COMPARE_WITH_TIMEOUT(int(first->bearerTokens()->verify(token, now, 0, out, why)), int(TokenCheck::Valid), 10'000);

    // The endpoint goes down; the reloaded services still verify with the keys fetched before.
    endpoint.status = 503;
    TokenServices second(settings, dir.path(), 1, first.get(), diagnostics);
    first.reset();
    QCOMPARE(int(second.bearerTokens()->verify(token, now, 0, out, why)), int(TokenCheck::Valid));
    QTest::qWait(200);
    QCOMPARE(int(second.bearerTokens()->verify(token, now, 0, out, why)), int(TokenCheck::Valid));
}

QTEST_GUILESS_MAIN(tst_JwksFetcher)
#include "tst_jwksfetcher.moc"
