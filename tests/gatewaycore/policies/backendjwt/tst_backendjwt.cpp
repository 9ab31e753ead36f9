// backend-jwt with a real key pair (generated in a temporary project) and a test clock: the
// forwarded token verifies with the gateway's public key and carries the caller's claims; the
// same caller gets the same token without a new signature until a fifth of its life is left;
// callers never share one; a client's own header never reaches the upstream; settings rules.
#include "policies/backendjwt/backendjwtpolicy.h"

#include "pipeline/requestcontext.h"
#include "policies/headers/headerpolicies.h"
#include "policies/registry/policyregistry.h"
#include "security/apikeyissuer.h"
#include "security/jws.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace Gatehouse;

namespace {

qint64 g_now = 1'700'000'000;
qint64 testClock() { return g_now; }

Principal caller(const QString &subject, qint64 expiresAt = 0)
{
    Principal p;
    p.method = QStringLiteral("jwt");
    p.issuer = QStringLiteral("idp");
    p.subject = subject;
    p.application = QStringLiteral("app-1");
    p.scopes = {QStringLiteral("read"), QStringLiteral("write")};
    p.expiresAt = expiresAt;
    p.claims = QJsonObject{{QStringLiteral("email"), subject + QStringLiteral("@example.com")},
                           {QStringLiteral("groups"), QJsonArray{QStringLiteral("a"), QStringLiteral("b")}}};
    return p;
}

} // namespace

class tst_BackendJwt : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init() { g_now = 1'700'000'000; }
    void tokenVerifiesAndCarriesTheClaims();
    void expiryNeverOutlivesTheCallersCredential();
    void sameCallerReusesItsTokenUntilNearExpiry();
    void callersNeverShareATokenOrItsClaims_data();
    void callersNeverShareATokenOrItsClaims();
    void anonymousRequestsGetNoHeaderEvenIfTheyBringOne();
    void settingsRules_data();
    void settingsRules();

private:
    // One request through the filter; returns the header the upstream gets (null: none).
    QByteArray forward(const BackendJwtFilter &filter, const Principal *principal, int worker = 0,
                       const QByteArray &clientHeader = {})
    {
        RequestContext ctx;
        Http1FieldList fields;
        if (!clientHeader.isNull())
            fields.append("X-JWT-Assertion", clientHeader);
        ctx.headers = &fields;
        ctx.workerIndex = worker;
        if (principal)
            ctx.principal = std::make_shared<const Principal>(*principal);
        if (filter.onRequest(ctx) != FilterStatus::Continue)
            return "refused";
        return currentUpstreamHeader(ctx, "x-jwt-assertion");
    }
    std::unique_ptr<BackendJwtFilter> makeFilter(BackendJwtOptions options = {})
    {
        if (options.issuer.isEmpty())
            options.issuer = QStringLiteral("https://gatehouse.local/backend");
        options.audience = QStringLiteral("orders-service");
        options.apiName = QStringLiteral("Orders");
        options.apiVersion = QStringLiteral("2.0");
        options.claimMap = {{QStringLiteral("mail"), QStringLiteral("email")},
                            {QStringLiteral("groups"), QStringLiteral("groups")},
                            {QStringLiteral("missing"), QStringLiteral("nope")}};
        return std::make_unique<BackendJwtFilter>(options, m_issuer, 2, &testClock);
    }
    QJsonObject verifiedClaims(const QByteArray &token)
    {
        const Result<CompactJws> jws = parseCompactJws(token);
        if (!jws)
            return {};
        if (!verifyCompactJws(jws.value(), m_issuer->publicKey(), m_issuer->algorithm()).isEmpty())
            return {};
        return QJsonDocument::fromJson(jws->payload).object();
    }

    QTemporaryDir m_dir;
    std::shared_ptr<const ApiKeyIssuer> m_issuer;
};

void tst_BackendJwt::initTestCase()
{
    QVERIFY(m_dir.isValid());
    auto issuer = ApiKeyIssuer::open(ApiKeyIssuerSettings{}, m_dir.path());
    QVERIFY2(issuer, issuer ? "" : qPrintable(issuer.error().message));
    m_issuer = issuer.value();
}

void tst_BackendJwt::tokenVerifiesAndCarriesTheClaims()
{
    auto filter = makeFilter();
    const Principal alice = caller(QStringLiteral("alice"));
    const QByteArray token = forward(*filter, &alice);
    QVERIFY(!token.isEmpty());
    const Result<CompactJws> jws = parseCompactJws(token);
    QVERIFY(jws);
    QCOMPARE(jws->kid, m_issuer->kid());
    const QJsonObject claims = verifiedClaims(token);
    QVERIFY2(!claims.isEmpty(), "the token verifies with the gateway's public key");
    QCOMPARE(claims.value(u"iss").toString(), QStringLiteral("https://gatehouse.local/backend"));
    QCOMPARE(claims.value(u"sub").toString(), QStringLiteral("alice"));
    QCOMPARE(claims.value(u"aud").toString(), QStringLiteral("orders-service"));
    QCOMPARE(claims.value(u"iat").toInteger(), g_now);
    QCOMPARE(claims.value(u"exp").toInteger(), g_now + 300);
    QCOMPARE(claims.value(u"scope").toString(), QStringLiteral("read write"));
    QCOMPARE(claims.value(u"application").toString(), QStringLiteral("app-1"));
    QCOMPARE(claims.value(u"api").toString(), QStringLiteral("Orders"));
    QCOMPARE(claims.value(u"apiVersion").toString(), QStringLiteral("2.0"));
    QCOMPARE(claims.value(u"authMethod").toString(), QStringLiteral("jwt"));
    QCOMPARE(claims.value(u"mail").toString(), QStringLiteral("alice@example.com"));
    QCOMPARE(claims.value(u"groups").toArray().size(), 2);
    QVERIFY2(!claims.contains(u"missing"), "a claim the caller does not have is left out");
    QVERIFY(!claims.value(u"jti").toString().isEmpty());
}

void tst_BackendJwt::expiryNeverOutlivesTheCallersCredential()
{
    auto filter = makeFilter();
    const Principal shortLived = caller(QStringLiteral("carol"), g_now + 42);
    QCOMPARE(verifiedClaims(forward(*filter, &shortLived)).value(u"exp").toInteger(), g_now + 42);
}

void tst_BackendJwt::sameCallerReusesItsTokenUntilNearExpiry()
{
    auto filter = makeFilter();   // 300 s: reused until 60 s are left
    const Principal alice = caller(QStringLiteral("alice"));
    const QByteArray first = forward(*filter, &alice);
    for (int i = 0; i < 100; ++i)
        QCOMPARE(forward(*filter, &alice), first);
    QCOMPARE(filter->signatures(0), qint64(1));
    g_now += 239;
    QCOMPARE(forward(*filter, &alice), first);
    g_now += 1;
    const QByteArray renewed = forward(*filter, &alice);
    QVERIFY(renewed != first);
    QCOMPARE(filter->signatures(0), qint64(2));
    QCOMPARE(verifiedClaims(renewed).value(u"iat").toInteger(), g_now);
    // Each worker keeps its own: the other signs once for itself.
    QVERIFY(!forward(*filter, &alice, 1).isEmpty());
    QCOMPARE(filter->signatures(1), qint64(1));
}

void tst_BackendJwt::callersNeverShareATokenOrItsClaims_data()
{
    QTest::addColumn<QString>("field");
    QTest::newRow("another subject") << "subject";
    QTest::newRow("another application") << "application";
    QTest::newRow("other scopes") << "scopes";
    QTest::newRow("another identity provider") << "issuer";
    QTest::newRow("another value of a mapped claim") << "claim";
}

void tst_BackendJwt::callersNeverShareATokenOrItsClaims()
{
    QFETCH(QString, field);
    auto filter = makeFilter();
    const Principal alice = caller(QStringLiteral("alice"));
    Principal other = alice;
    if (field == u"subject")
        other.subject = QStringLiteral("bob");
    else if (field == u"application")
        other.application = QStringLiteral("app-2");
    else if (field == u"scopes")
        other.scopes = {QStringLiteral("read")};
    else if (field == u"issuer")
        other.issuer = QStringLiteral("other-idp");
    else
        other.claims.insert(QStringLiteral("email"), QStringLiteral("mallory@example.com"));
    const QByteArray a = forward(*filter, &alice);
    const QByteArray b = forward(*filter, &other);
    QVERIFY(a != b);
    QCOMPARE(filter->signatures(0), qint64(2));
    QCOMPARE(verifiedClaims(a).value(u"mail").toString(), QStringLiteral("alice@example.com"));
}

void tst_BackendJwt::anonymousRequestsGetNoHeaderEvenIfTheyBringOne()
{
    auto filter = makeFilter();
    QVERIFY(forward(*filter, nullptr).isNull());
    QVERIFY(forward(*filter, nullptr, 0, "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.").isNull());
    const Principal alice = caller(QStringLiteral("alice"));
    const QByteArray forged = "forged";
    const QByteArray forwarded = forward(*filter, &alice, 0, forged);
    QVERIFY(forwarded != forged && !verifiedClaims(forwarded).isEmpty());
    QCOMPARE(filter->signatures(0), qint64(1));
}

void tst_BackendJwt::settingsRules_data()
{
    QTest::addColumn<QJsonObject>("settings");
    QTest::addColumn<QString>("problem");
    QTest::newRow("defaults are fine") << QJsonObject() << QString();
    QTest::newRow("a mapping may not replace sub")
        << QJsonObject{{QStringLiteral("claims"), QJsonObject{{QStringLiteral("sub"), QStringLiteral("email")}}}}
        << QStringLiteral("settings.claims.sub: 'sub' is set by the policy itself");
    QTest::newRow("a mapping needs a source claim")
        << QJsonObject{{QStringLiteral("claims"), QJsonObject{{QStringLiteral("mail"), QString()}}}}
        << QStringLiteral("settings.claims.mail: name the caller's claim to copy");
    QTest::newRow("the header may not be one the gateway manages")
        << QJsonObject{{QStringLiteral("header"), QStringLiteral("Content-Length")}}
        << QStringLiteral("settings.header: 'Content-Length' is managed by the gateway");
    QTest::newRow("a header with a space is not a name")
        << QJsonObject{{QStringLiteral("header"), QStringLiteral("X JWT")}} << QStringLiteral("settings.header:");
    QTest::newRow("a ttl of a day is too long")
        << QJsonObject{{QStringLiteral("ttlSeconds"), 86400}} << QStringLiteral("settings.ttlSeconds:");
}

void tst_BackendJwt::settingsRules()
{
    QFETCH(QJsonObject, settings);
    QFETCH(QString, problem);
    const PolicyDescriptor *d = PolicyRegistry::builtin().find(QStringLiteral("backend-jwt"));
    QVERIFY(d);
    QStringList problems;
    const QJsonObject filled = validateSettings(d->settings, settings, QStringLiteral("settings"), problems).toObject();
    if (problems.isEmpty())
        d->check(filled, problems);
    if (problem.isEmpty()) {
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
        return;
    }
    QVERIFY2(problems.join(u'\n').contains(problem), qPrintable(problems.join(u'\n')));
}

QTEST_APPLESS_MAIN(tst_BackendJwt)
#include "tst_backendjwt.moc"
