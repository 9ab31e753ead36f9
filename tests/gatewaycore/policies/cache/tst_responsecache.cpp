// The response-cache filter over hand-made exchanges with a test clock: a miss stored and then
// answered with Age and Cache-Status, entries kept apart per caller unless shared, Vary
// variants, refusals (private, no-store, Authorization), stale entries and the byte bound.
#include "responsecachecall.h"

#include <QTest>

using namespace Gatehouse;
using namespace Gatehouse::Test;


class tst_ResponseCache : public QObject
{
    Q_OBJECT
private slots:
    void init() { g_now = 1'700'000'000; }
    void missIsStoredThenAnsweredWithAge();
    void headIsAnsweredFromAGetEntry();
    void refusedResponsesAreFetchedEveryTime_data();
    void refusedResponsesAreFetchedEveryTime();
    void callersAreKeptApart_data();
    void callersAreKeptApart();
    void varySelectsTheVariant();
    void staleEntriesGoToTheUpstream();
    void requestDirectivesBypassTheStore();
    void onlyIfCachedWithNothingStoredIs504();
    void storeStaysWithinItsBytes();
    void workersKeepTheirOwnStores();
};

void tst_ResponseCache::missIsStoredThenAnsweredWithAge()
{
    auto filter = makeFilter();
    {
        Call miss(*filter, "GET", "/pets/1");
        QCOMPARE(miss.status, FilterStatus::Continue);
        miss.upstream(200, {{"Content-Type", "application/json"}, {"Cache-Control", "max-age=60"}, {"ETag", "\"v1\""},
                            {"Connection", "x-hop"}, {"X-Hop", "1"}, {"Cache-Status", "origin; hit"}});
        QCOMPARE(miss.header("cache-status"), QByteArray("origin; hit, gatehouse; fwd=uri-miss; stored"));
    }
    g_now += 5;
    Call hit(*filter, "GET", "/pets/1");
    QCOMPARE(hit.status, FilterStatus::Respond);
    QCOMPARE(hit.ctx.error.status, 200);
    QCOMPARE(hit.ctx.error.body, QByteArray("{\"n\":1}"));
    QCOMPARE(hit.ctx.error.contentType, QByteArray("application/json"));
    QCOMPARE(hit.header("age"), QByteArray("5"));
    QCOMPARE(hit.header("cache-status"), QByteArray("gatehouse; hit; ttl=55"));
    QCOMPARE(hit.header("etag"), QByteArray("\"v1\""));
    QVERIFY2(hit.header("x-hop").isNull(), "fields named by Connection are hop-by-hop: never stored");
    Call other(*filter, "GET", "/pets/1", {}, {}, 0);
    Call query(*filter, "GET", "/pets/1?x=1");
    QCOMPARE(query.status, FilterStatus::Continue);   // another target, another entry
}

void tst_ResponseCache::headIsAnsweredFromAGetEntry()
{
    auto filter = makeFilter();
    {
        Call head(*filter, "HEAD", "/h");
        QCOMPARE(head.status, FilterStatus::Continue);   // a HEAD miss is forwarded, not stored
    }
    {
        Call get(*filter, "GET", "/h");
        get.upstream(200, kFresh);
    }
    Call head(*filter, "HEAD", "/h");
    QCOMPARE(head.status, FilterStatus::Respond);
    ResponseCacheOptions getOnly;
    getOnly.head = false;
    auto strict = makeFilter(getOnly);
    Call ignored(*strict, "HEAD", "/h");
    QCOMPARE(ignored.status, FilterStatus::Continue);
    QVERIFY(ignored.header("cache-status").isNull());
}

void tst_ResponseCache::refusedResponsesAreFetchedEveryTime_data()
{
    QTest::addColumn<Pairs>("request");
    QTest::addColumn<int>("status");
    QTest::addColumn<Pairs>("response");
    QTest::addColumn<QByteArray>("detail");
    const Pairs none;
    QTest::newRow("private answers are never shared")
        << none << 200 << Pairs{{"Content-Type", "text/plain"}, {"Cache-Control", "private, max-age=60"}} << QByteArray("private");
    QTest::newRow("no-store answers are never stored")
        << none << 200 << Pairs{{"Content-Type", "text/plain"}, {"Cache-Control", "no-store"}} << QByteArray("no-store");
    QTest::newRow("an answer to Authorization without public is not stored")
        << Pairs{{"Authorization", "Bearer a"}} << 200 << kFresh << QByteArray("authorization");
    QTest::newRow("Vary star is not stored")
        << none << 200 << Pairs{{"Content-Type", "text/plain"}, {"Cache-Control", "max-age=60"}, {"Vary", "*"}} << QByteArray("vary-star");
    QTest::newRow("Set-Cookie is not stored")
        << none << 200 << Pairs{{"Content-Type", "text/plain"}, {"Cache-Control", "max-age=60"}, {"Set-Cookie", "s=1"}} << QByteArray("set-cookie");
    QTest::newRow("a 503 is not stored") << none << 503 << kFresh << QByteArray("status");
    QTest::newRow("silence without a default TTL is not stored")
        << none << 200 << Pairs{{"Content-Type", "text/plain"}} << QByteArray("no-freshness");
    QTest::newRow("an Age beyond max-age arrives stale")
        << none << 200 << Pairs{{"Content-Type", "text/plain"}, {"Cache-Control", "max-age=60"}, {"Age", "100"}} << QByteArray("stale");
}

void tst_ResponseCache::refusedResponsesAreFetchedEveryTime()
{
    QFETCH(Pairs, request);
    QFETCH(int, status);
    QFETCH(Pairs, response);
    auto filter = makeFilter();
    for (int i = 0; i < 2; ++i) {
        Call call(*filter, "GET", "/r", request);
        QCOMPARE(call.status, FilterStatus::Continue);
        call.upstream(status, response);
        QFETCH(QByteArray, detail);
        QCOMPARE(call.header("cache-status"), "gatehouse; fwd=uri-miss; detail=" + detail);
    }
    QCOMPARE(filter->storeOf(0)->count(), 0);
}

void tst_ResponseCache::callersAreKeptApart_data()
{
    QTest::addColumn<bool>("shared");
    QTest::addColumn<QString>("first");
    QTest::addColumn<QString>("second");
    QTest::addColumn<bool>("secondHits");
    QTest::newRow("the same caller gets its own answer again") << false << "alice" << "alice" << true;
    QTest::newRow("another caller never gets alice's answer") << false << "alice" << "bob" << false;
    QTest::newRow("an anonymous caller never gets alice's answer") << false << "alice" << "" << false;
    QTest::newRow("with shared: true callers share") << true << "alice" << "bob" << true;
}

void tst_ResponseCache::callersAreKeptApart()
{
    QFETCH(bool, shared);
    QFETCH(QString, first);
    QFETCH(QString, second);
    ResponseCacheOptions options;
    options.shared = shared;
    auto filter = makeFilter(options);
    {
        Call call(*filter, "GET", "/me", {}, first);
        call.upstream(200, kFresh, "alice's data");
    }
    Call again(*filter, "GET", "/me", {}, second);
    QTEST(again.hit(), "secondHits");
}

void tst_ResponseCache::varySelectsTheVariant()
{
    auto filter = makeFilter();
    const Pairs varying{{"Content-Type", "text/plain"}, {"Cache-Control", "max-age=60"}, {"Vary", "Accept-Language"}};
    for (const QByteArray language : {"en", "de"}) {
        Call call(*filter, "GET", "/greeting", {{"Accept-Language", language}});
        QCOMPARE(call.status, FilterStatus::Continue);
        call.upstream(200, varying, "hello " + language);
    }
    Call en(*filter, "GET", "/greeting", {{"accept-language", "en"}});
    QCOMPARE(en.ctx.error.body, QByteArray("hello en"));
    Call de(*filter, "GET", "/greeting", {{"Accept-Language", " de "}});
    QCOMPARE(de.ctx.error.body, QByteArray("hello de"));
    Call fr(*filter, "GET", "/greeting", {{"Accept-Language", "fr"}});
    QCOMPARE(fr.status, FilterStatus::Continue);
    Call absent(*filter, "GET", "/greeting");
    QCOMPARE(absent.status, FilterStatus::Continue);
    QCOMPARE(filter->storeOf(0)->count(), 2);
}

void tst_ResponseCache::staleEntriesGoToTheUpstream()
{
    auto filter = makeFilter();
    {
        Call call(*filter, "GET", "/s");
        call.upstream(200, {{"Content-Type", "text/plain"}, {"Cache-Control", "s-maxage=10, max-age=1000"}});
    }
    g_now += 9;
    QVERIFY(Call(*filter, "GET", "/s").hit());
    g_now += 1;
    Call stale(*filter, "GET", "/s");
    QCOMPARE(stale.status, FilterStatus::Continue);
    QCOMPARE(stale.header("cache-status"), QByteArray("gatehouse; fwd=stale"));
    QCOMPARE(filter->storeOf(0)->count(), 0);
}

void tst_ResponseCache::requestDirectivesBypassTheStore()
{
    auto filter = makeFilter();
    {
        Call call(*filter, "GET", "/d");
        call.upstream(200, kFresh, "old");
    }
    Call noCache(*filter, "GET", "/d", {{"Cache-Control", "no-cache"}});
    QCOMPARE(noCache.status, FilterStatus::Continue);
    QCOMPARE(noCache.header("cache-status"), QByteArray("gatehouse; fwd=request"));
    noCache.upstream(200, kFresh, "new");   // the fresh answer replaces the stored one
    QCOMPARE(Call(*filter, "GET", "/d").ctx.error.body, QByteArray("new"));
    g_now += 20;
    QVERIFY(!Call(*filter, "GET", "/d", {{"Cache-Control", "max-age=10"}}).hit());
    QVERIFY(!Call(*filter, "GET", "/d", {{"Pragma", "no-cache"}}).hit());
    QVERIFY(Call(*filter, "GET", "/d", {{"Cache-Control", "max-age=30"}}).hit());
}

void tst_ResponseCache::onlyIfCachedWithNothingStoredIs504()
{
    auto filter = makeFilter();
    Call call(*filter, "GET", "/o", {{"Cache-Control", "only-if-cached"}});
    QCOMPARE(call.status, FilterStatus::Respond);
    QCOMPARE(call.ctx.error.status, 504);
}

void tst_ResponseCache::storeStaysWithinItsBytes()
{
    ResponseCacheOptions options;
    options.maxEntryBytes = 4096;
    options.maxTotalBytes = 40 * 1024;
    auto filter = makeFilter(options);
    const QByteArray body(3000, 'x');
    for (int i = 0; i < 100; ++i) {
        Call call(*filter, "GET", "/big/" + QByteArray::number(i));
        call.upstream(200, kFresh, body);
        if (i == 0 || i % 5 == 0) {
            // /big/0 is used again and again: the least recently used go first, not it.
            QVERIFY(Call(*filter, "GET", "/big/0").hit());
        }
    }
    const ResponseStore *store = filter->storeOf(0);
    QVERIFY2(store->bytes() <= options.maxTotalBytes, qPrintable(QString::number(store->bytes())));
    QVERIFY(store->count() >= 10 && store->count() < 14);
    QVERIFY(store->evictions() > 80);
    QVERIFY(Call(*filter, "GET", "/big/0").hit());
    QVERIFY(Call(*filter, "GET", "/big/99").hit());
    QVERIFY(!Call(*filter, "GET", "/big/1").hit());
}

void tst_ResponseCache::workersKeepTheirOwnStores()
{
    ResponseCacheOptions options;
    options.maxTotalBytes = 1 << 20;
    auto filter = makeFilter(options, 2);
    {
        Call call(*filter, "GET", "/w", {}, {}, 0);
        call.upstream(200, kFresh);
    }
    QVERIFY(Call(*filter, "GET", "/w", {}, {}, 0).hit());
    QVERIFY(!Call(*filter, "GET", "/w", {}, {}, 1).hit());
    QCOMPARE(filter->storeOf(0)->maxBytes(), qint64(1 << 19));   // each worker's share
}

QTEST_APPLESS_MAIN(tst_ResponseCache)
#include "tst_responsecache.moc"
