// The rate-limit filter on the local store with a fake clock: every level and its key, the 429
// answer (code, body, Retry-After, headers), header styles, Unlimited, report-only tiers, reloads,
// gRPC keys, and the stage factory's diagnostics.
#include "pipeline/gatewayservices.h"
#include "pipeline/requestcontext.h"
#include "policies/ratelimit/ratelimitfilter.h"
#include "project/gatewayconfig.h"

#include <QDateTime>
#include <QTemporaryDir>
#include <QTest>

using namespace Gatehouse;

namespace {

constexpr qint64 kSecond = 1'000'000'000;

ThrottleTier tier(const QString &name, qint64 count, TimeUnit unit = TimeUnit::Minute, bool stop = true)
{
    ThrottleTier t;
    t.name = name;
    t.count = count;
    t.unit = unit;
    t.stopOnQuotaReach = stop;
    return t;
}

Route restRoute(const QString &path, const QString &apiTier, const QString &resourceTier)
{
    static const auto api = std::make_shared<const ApiConfig>(ApiConfig{QStringLiteral("Pets"), QStringLiteral("1.0"),
                                                                        {}, QStringLiteral("/pets"), {}});
    Route r;
    r.api = api;
    r.method = QStringLiteral("GET");
    r.pathTemplate = path;
    r.apiTier = apiTier;
    r.resourceTier = resourceTier;
    return r;
}

struct Fixture
{
    std::shared_ptr<std::atomic<qint64>> now = std::make_shared<std::atomic<qint64>>(1000 * kSecond);
    ThrottlingSettings settings = defaultProjectSettings().throttling;
    RateLimitService service{4, [n = now] { return n->load(); }};

    Fixture()
    {
        for (const ThrottleTier &t : {tier(QStringLiteral("Api5"), 5), tier(QStringLiteral("Res3"), 3),
                                      tier(QStringLiteral("Two"), 2), tier(QStringLiteral("Report"), 1, TimeUnit::Minute, false)})
            settings.tiers.insert(t.name, t);
        configure();
    }
    void configure()
    {
        Diagnostics d;
        service.configure(settings, QString(), d);
        QVERIFY(!d.hasErrors());
    }
    RateLimitFilter filter(const Route &route, const QString &unauthenticated = {}, bool tokenTiers = false)
    {
        RateLimitFilter::Options o;
        o.local = service.local();
        o.tiers = service.tiers();
        o.headers = service.headers();
        o.unauthenticatedTier = unauthenticated;
        o.tokenTiers = tokenTiers;
        return RateLimitFilter(route, o);
    }
};

struct Request
{
    RequestContext ctx;
    FilterStatus status = FilterStatus::Continue;

    Request(const RateLimitFilter &f, const QString &peer = QStringLiteral("192.0.2.1"),
            std::shared_ptr<const Principal> principal = nullptr)
    {
        ctx.peer = QHostAddress(peer);
        ctx.recordDecisions = true;   // the explain view's texts are checked too
        ctx.principal = std::move(principal);
        status = f.onRequest(ctx);
    }
    QByteArray header(QByteArrayView name) const
    {
        for (const OwnedField &f : ctx.responseHeaders) {
            if (f.name.compare(name, Qt::CaseInsensitive) == 0)
                return f.value;
        }
        return {};
    }
};

int admitted(const RateLimitFilter &f, int n, const QString &peer = QStringLiteral("192.0.2.1"),
             const std::shared_ptr<const Principal> &principal = nullptr)
{
    int ok = 0;
    for (int i = 0; i < n; ++i)
        ok += Request(f, peer, principal).status == FilterStatus::Continue ? 1 : 0;
    return ok;
}

std::shared_ptr<const Principal> caller(const QString &application, const QString &subscriptionTier,
                                        const QString &applicationTier)
{
    auto p = std::make_shared<Principal>();
    Principal &c = *p;
    c.issuer = QStringLiteral("idp");
    c.subject = QStringLiteral("alice");
    c.application = application;
    c.subscriptionTier = subscriptionTier;
    c.applicationTier = applicationTier;
    return p;
}

} // namespace

class tst_RateLimitFilter : public QObject
{
    Q_OBJECT
private slots:
    void apiAndResourceLevelsAreBothEnforced();
    void rejectionNamesTheLevelAndTier();
    void admittedResponsesCarryTheTightestLevel();
    void headerStyles_data();
    void headerStyles();
    void subscriptionAndApplicationLevelsAreKeyedByCaller();
    void unknownTierFromATokenIsExplained();
    void unauthenticatedCallersAreLimitedPerAddress();
    void reportOnlyTierNeverRejects();
    void countersSurviveAReloadUnlessTheTierChanged();
    void grpcServiceAndMethodLevels();
    void stageFactory();
};

void tst_RateLimitFilter::apiAndResourceLevelsAreBothEnforced()
{
    Fixture fx;
    const RateLimitFilter a = fx.filter(restRoute(QStringLiteral("/pets/a"), QStringLiteral("Api5"), QStringLiteral("Res3")));
    const RateLimitFilter b = fx.filter(restRoute(QStringLiteral("/pets/b"), QStringLiteral("Api5"), QString()));
    QCOMPARE(admitted(a, 10), 3);    // the resource tier
    QCOMPARE(admitted(b, 10), 2);    // what the API tier has left: a's rejections cost nothing
    QCOMPARE(admitted(a, 10), 0);
    fx.now->fetch_add(20 * kSecond);  // one API refill (12 s), one resource refill (20 s)
    QCOMPARE(admitted(a, 10), 1);
}

void tst_RateLimitFilter::rejectionNamesTheLevelAndTier()
{
    Fixture fx;
    const RateLimitFilter a = fx.filter(restRoute(QStringLiteral("/pets/a"), QStringLiteral("Api5"), QStringLiteral("Res3")));
    QCOMPARE(admitted(a, 3), 3);
    const qint64 beforeMs = QDateTime::currentMSecsSinceEpoch();
    Request r(a);
    const qint64 afterMs = QDateTime::currentMSecsSinceEpoch();
    QCOMPARE(r.status, FilterStatus::Respond);
    QCOMPARE(r.ctx.error.status, 429);
    QCOMPARE(r.ctx.error.code, GatewayErrorCode::ResourceThrottled);
    QCOMPARE(r.ctx.error.description, QStringLiteral("tier Res3 (resource level): 3/min exceeded, retry in 20 s"));
    QCOMPARE(r.header("Retry-After"), QByteArray("20"));
    QCOMPARE(r.header("RateLimit-Policy"), QByteArray("\"Res3\";q=3;w=60"));
    QCOMPARE(r.header("RateLimit"), QByteArray("\"Res3\";r=0;t=60"));
    QCOMPARE(r.ctx.decisions.size(), 1);
    QVERIFY(!r.ctx.decisions[0].allowed);
    // The explain view says "retry in ..." relative to when it reads the decision: the instant.
    QCOMPARE(r.ctx.decisions[0].detail, QStringLiteral("tier Res3 (resource level): 3/min exceeded"));
    QCOMPARE(r.ctx.decisions[0].time, DecisionTime::RetryAt);
    QVERIFY(r.ctx.decisions[0].atUnixMs > beforeMs + 19'000 && r.ctx.decisions[0].atUnixMs <= afterMs + 20'000);

    const RateLimitFilter b = fx.filter(restRoute(QStringLiteral("/pets/b"), QStringLiteral("Api5"), QString()));
    QCOMPARE(admitted(b, 2), 2);
    Request api(b);
    QCOMPARE(api.ctx.error.code, GatewayErrorCode::ApiThrottled);
    QVERIFY2(api.ctx.error.description.startsWith(QStringLiteral("tier Api5 (API level): 5/min exceeded")),
             qPrintable(api.ctx.error.description));
}

void tst_RateLimitFilter::admittedResponsesCarryTheTightestLevel()
{
    Fixture fx;
    const RateLimitFilter a = fx.filter(restRoute(QStringLiteral("/pets/a"), QStringLiteral("Api5"), QStringLiteral("Res3")));
    Request first(a);
    QCOMPARE(first.status, FilterStatus::Continue);
    QCOMPARE(first.header("RateLimit-Policy"), QByteArray("\"Res3\";q=3;w=60"));
    QCOMPARE(first.header("RateLimit"), QByteArray("\"Res3\";r=2;t=20"));
    QCOMPARE(first.ctx.decisions.size(), 1);
    QCOMPARE(first.ctx.decisions[0].detail,
             QStringLiteral("tier Api5 (API level); tier Res3 (resource level)"));
}

void tst_RateLimitFilter::headerStyles_data()
{
    QTest::addColumn<QByteArray>("style");
    QTest::addColumn<QList<QByteArray>>("fields");   // name=value
    using L = QList<QByteArray>;
    QTest::newRow("ietf") << QByteArray("ietf") << L{"RateLimit-Policy=\"Two\";q=2;w=60", "RateLimit=\"Two\";r=1;t=30"};
    QTest::newRow("x-ratelimit") << QByteArray("x-ratelimit")
                                 << L{"X-RateLimit-Limit=2", "X-RateLimit-Remaining=1", "X-RateLimit-Reset=30"};
    QTest::newRow("none") << QByteArray("none") << L{};
}

void tst_RateLimitFilter::headerStyles()
{
    QFETCH(QByteArray, style);
    QFETCH(QList<QByteArray>, fields);
    Fixture fx;
    fx.settings.headers = style == "ietf" ? RateLimitHeaders::Ietf
                          : style == "none" ? RateLimitHeaders::None : RateLimitHeaders::XRateLimit;
    fx.configure();
    const RateLimitFilter f = fx.filter(restRoute(QStringLiteral("/pets"), QStringLiteral("Two"), QString()));
    Request r(f);
    QList<QByteArray> got;
    for (const OwnedField &h : r.ctx.responseHeaders)
        got.append(h.name + '=' + h.value);
    QCOMPARE(got, fields);
    QCOMPARE(admitted(f, 1), 1);
    Request limited(f);
    QCOMPARE(limited.header("Retry-After"), QByteArray("30"));   // 429s always say when
}

void tst_RateLimitFilter::subscriptionAndApplicationLevelsAreKeyedByCaller()
{
    Fixture fx;
    const RateLimitFilter pets = fx.filter(restRoute(QStringLiteral("/pets"), QString(), QString()), {}, true);
    Route other = restRoute(QStringLiteral("/orders"), QString(), QString());
    other.api = std::make_shared<const ApiConfig>(ApiConfig{QStringLiteral("Orders"), QStringLiteral("1.0"), {}, {}, {}});
    const RateLimitFilter orders = fx.filter(other, {}, true);

    // Subscription Two: per application and API.
    QCOMPARE(admitted(pets, 5, {}, caller(QStringLiteral("app1"), QStringLiteral("Two"), QString())), 2);
    QCOMPARE(admitted(orders, 5, {}, caller(QStringLiteral("app1"), QStringLiteral("Two"), QString())), 2);
    QCOMPARE(admitted(pets, 5, {}, caller(QStringLiteral("app2"), QStringLiteral("Two"), QString())), 2);
    Request sub(pets, {}, caller(QStringLiteral("app1"), QStringLiteral("Two"), QString()));
    QCOMPARE(sub.ctx.error.code, GatewayErrorCode::SubscriptionThrottled);

    // Application Res3: per application across APIs.
    QCOMPARE(admitted(pets, 2, {}, caller(QStringLiteral("app3"), QString(), QStringLiteral("Res3"))), 2);
    QCOMPARE(admitted(orders, 5, {}, caller(QStringLiteral("app3"), QString(), QStringLiteral("Res3"))), 1);
    Request app(orders, {}, caller(QStringLiteral("app3"), QString(), QStringLiteral("Res3")));
    QCOMPARE(app.ctx.error.code, GatewayErrorCode::ApplicationThrottled);
    // Without an application the subject is the caller.
    QCOMPARE(admitted(pets, 5, {}, caller(QString(), QString(), QStringLiteral("Two"))), 2);
    // Unlimited costs nothing and limits nothing.
    QCOMPARE(admitted(pets, 50, {}, caller(QStringLiteral("app4"), QStringLiteral("Unlimited"), QString())), 50);
}

void tst_RateLimitFilter::unknownTierFromATokenIsExplained()
{
    Fixture fx;
    const RateLimitFilter f = fx.filter(restRoute(QStringLiteral("/pets"), QString(), QString()), {}, true);
    Request r(f, {}, caller(QStringLiteral("app"), QStringLiteral("Platinum"), QString()));
    QCOMPARE(r.status, FilterStatus::Continue);
    QCOMPARE(r.ctx.decisions.size(), 1);
    QVERIFY2(r.ctx.decisions[0].detail.contains(QStringLiteral("subscription tier 'Platinum'")),
             qPrintable(r.ctx.decisions[0].detail));
}

void tst_RateLimitFilter::unauthenticatedCallersAreLimitedPerAddress()
{
    Fixture fx;
    const RateLimitFilter f = fx.filter(restRoute(QStringLiteral("/pets"), QString(), QString()), QStringLiteral("Two"));
    QCOMPARE(admitted(f, 5, QStringLiteral("192.0.2.1")), 2);
    QCOMPARE(admitted(f, 5, QStringLiteral("2001:db8::1")), 2);
    Request r(f, QStringLiteral("192.0.2.1"));
    QCOMPARE(r.ctx.error.code, GatewayErrorCode::ClientThrottled);
    QVERIFY(r.ctx.error.description.contains(QStringLiteral("unauthenticated client level")));
    // A caller with credentials is not counted per address.
    QCOMPARE(admitted(f, 5, QStringLiteral("192.0.2.1"), caller(QStringLiteral("a"), {}, {})), 5);
}

void tst_RateLimitFilter::reportOnlyTierNeverRejects()
{
    Fixture fx;
    const RateLimitFilter f = fx.filter(restRoute(QStringLiteral("/pets"), QStringLiteral("Report"), QString()));
    QCOMPARE(admitted(f, 5), 5);
    Request r(f);
    QVERIFY2(r.ctx.decisions.value(0).detail.contains(QStringLiteral("not enforced")),
             qPrintable(r.ctx.decisions.value(0).detail));
    QCOMPARE(r.header("RateLimit"), QByteArray("\"Report\";r=0;t=60"));
}

void tst_RateLimitFilter::countersSurviveAReloadUnlessTheTierChanged()
{
    Fixture fx;
    const Route route = restRoute(QStringLiteral("/pets"), QStringLiteral("Api5"), QString());
    QCOMPARE(admitted(fx.filter(route), 4), 4);
    fx.configure();   // the same tiers: the same counters
    QCOMPARE(admitted(fx.filter(route), 5), 1);
    fx.settings.tiers[QStringLiteral("Api5")].count = 6;   // changed: counted afresh
    fx.configure();
    QCOMPARE(admitted(fx.filter(route), 10), 6);
}

void tst_RateLimitFilter::grpcServiceAndMethodLevels()
{
    Fixture fx;
    auto grpc = [](const QString &method) {
        Route r;
        r.kind = RouteKind::Grpc;
        r.method = QStringLiteral("POST");
        r.operationId = QStringLiteral("shop.Orders/") + method;
        r.apiTier = QStringLiteral("Api5");
        r.resourceTier = QStringLiteral("Two");
        return r;
    };
    const RateLimitFilter get = fx.filter(grpc(QStringLiteral("Get")));
    const RateLimitFilter list = fx.filter(grpc(QStringLiteral("List")));
    QCOMPARE(admitted(get, 5), 2);    // method tier
    QCOMPARE(admitted(list, 5), 2);   // another method: its own method tier
    QCOMPARE(admitted(fx.filter(grpc(QStringLiteral("Put"))), 5), 1);   // the service tier's last one
}

void tst_RateLimitFilter::stageFactory()
{
    QTemporaryDir dir;
    GatewayConfig config;
    config.settings = defaultProjectSettings();
    config.settings.throttling.tiers.insert(QStringLiteral("Gold"), tier(QStringLiteral("Gold"), 100));
    GatewayServices services(2, dir.path());
    Diagnostics d;
    services.configure(config, d);
    QVERIFY(!d.hasErrors());

    QVERIFY(!makeRateLimitFilter(restRoute(QStringLiteral("/a"), QString(), QString()), config, services, d));
    QVERIFY2(!makeRateLimitFilter(restRoute(QStringLiteral("/a"), QStringLiteral("Unlimited"), QStringLiteral("Unlimited")),
                                  config, services, d),
             "Unlimited costs nothing: no filter at all");
    QVERIFY(makeRateLimitFilter(restRoute(QStringLiteral("/a"), QStringLiteral("Gold"), QString()), config, services, d));
    QVERIFY(!d.hasErrors());

    Route typo = restRoute(QStringLiteral("/a"), QString(), QStringLiteral("Goldd"));
    typo.location = {QStringLiteral("apis/pets.yaml"), 14, 7};
    QVERIFY(!makeRateLimitFilter(typo, config, services, d));
    QCOMPARE(d.errorCount(), 1);
    QVERIFY2(d.items().constFirst().toString().startsWith(
                 QStringLiteral("apis/pets.yaml:14:7: error: unknown throttling tier 'Goldd' (did you mean 'Gold'?)")),
             qPrintable(d.items().constFirst().toString()));

    config.settings.throttling.unauthenticatedTier = QStringLiteral("Gold");
    services.configure(config, d);
    QVERIFY2(makeRateLimitFilter(restRoute(QStringLiteral("/a"), QString(), QString()), config, services, d),
             "an unauthenticated tier applies to every route");
}

QTEST_GUILESS_MAIN(tst_RateLimitFilter)
#include "tst_ratelimitfilter.moc"
