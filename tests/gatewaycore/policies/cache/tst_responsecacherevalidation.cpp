// Revalidation and invalidation in the response-cache filter, over hand-made exchanges with a test
// clock: a stale entry with a validator goes upstream with If-None-Match / If-Modified-Since, a
// 304 answers the client with the stored response refreshed from it, a 200 replaces it; no-cache
// answers are stored and always revalidated; a client's conditional request is answered 304 from
// a fresh entry or forwarded as it came; successful unsafe requests on another route invalidate
// the target and its same-origin Location.
#include "responsecachecall.h"

#include <QTest>

using namespace Gatehouse;
using namespace Gatehouse::Test;

namespace {

const Pairs kTagged{{"Content-Type", "application/json"}, {"Cache-Control", "max-age=10"}, {"ETag", "\"v1\""},
                    {"X-Version", "1"}};

} // namespace

class tst_ResponseCacheRevalidation : public QObject
{
    Q_OBJECT
private slots:
    void init() { g_now = 1'700'000'000; }
    void staleEntryIs304AnsweredFromTheStore();
    void a200ToTheValidatorsReplacesTheEntry();
    void lastModifiedIsSentAsIfModifiedSince();
    void noCacheAnswersAreStoredAndAlwaysRevalidated();
    void clientsConditionalIsAnswered304WhenCurrent_data();
    void clientsConditionalIsAnswered304WhenCurrent();
    void clientsOwnConditionalIsForwardedAsItCame();
    void a304ForAnotherRepresentationIsNotStored();
    void unsafeRequestsInvalidateOtherRoutes_data();
    void unsafeRequestsInvalidateOtherRoutes();
};

void tst_ResponseCacheRevalidation::staleEntryIs304AnsweredFromTheStore()
{
    auto filter = makeFilter();
    {
        Call miss(*filter, "GET", "/v");
        miss.upstream(200, kTagged, "stored body");
        QCOMPARE(miss.header("cache-status"), QByteArray("gatehouse; fwd=uri-miss; stored"));
    }
    g_now += 30;   // stale: max-age=10
    Call stale(*filter, "GET", "/v");
    QCOMPARE(stale.status, FilterStatus::Continue);
    QCOMPARE(stale.upstreamHeader("if-none-match"), QByteArray("\"v1\""));
    QVERIFY(stale.upstreamHeader("if-modified-since").isNull());
    QCOMPARE(stale.header("cache-status"), QByteArray("gatehouse; fwd=stale"));
    // The upstream confirms it, with new freshness and a field of its own.
    const FilterStatus answered = stale.answer(
        304, {{"ETag", "\"v1\""}, {"Cache-Control", "max-age=100"}, {"X-Refreshed", "yes"}, {"Content-Length", "99"}});
    QCOMPARE(answered, FilterStatus::Respond);
    QCOMPARE(stale.ctx.error.status, 200);
    QCOMPARE(stale.ctx.error.body, QByteArray("stored body"));
    QCOMPARE(stale.ctx.error.contentType, QByteArray("application/json"));
    QCOMPARE(stale.header("cache-status"), QByteArray("gatehouse; fwd=stale; fwd-status=304"));
    QCOMPARE(stale.header("x-version"), QByteArray("1"));
    QCOMPARE(stale.header("x-refreshed"), QByteArray("yes"));
    QCOMPARE(stale.header("cache-control"), QByteArray("max-age=100"));
    QVERIFY(stale.header("content-length").isNull());
    QCOMPARE(stale.header("age"), QByteArray("0"));
    // Fresh again for 100 s, with the refreshed fields.
    g_now += 50;
    Call hit(*filter, "GET", "/v");
    QVERIFY(hit.hit());
    QCOMPARE(hit.ctx.error.body, QByteArray("stored body"));
    QCOMPARE(hit.header("x-refreshed"), QByteArray("yes"));
    QVERIFY(hit.upstreamHeader("if-none-match").isNull());
    QCOMPARE(filter->storeOf(0)->count(), 1);
}

void tst_ResponseCacheRevalidation::a200ToTheValidatorsReplacesTheEntry()
{
    auto filter = makeFilter();
    {
        Call miss(*filter, "GET", "/r");
        miss.upstream(200, kTagged, "old");
    }
    g_now += 11;
    {
        Call stale(*filter, "GET", "/r");
        QCOMPARE(stale.upstreamHeader("if-none-match"), QByteArray("\"v1\""));
        stale.upstream(200, {{"Content-Type", "text/plain"}, {"Cache-Control", "max-age=60"}, {"ETag", "\"v2\""}}, "new");
        QCOMPARE(stale.header("cache-status"), QByteArray("gatehouse; fwd=stale; fwd-status=200; stored"));
    }
    Call hit(*filter, "GET", "/r");
    QVERIFY(hit.hit());
    QCOMPARE(hit.ctx.error.body, QByteArray("new"));
    QCOMPARE(hit.header("etag"), QByteArray("\"v2\""));
    QCOMPARE(filter->storeOf(0)->count(), 1);
}

void tst_ResponseCacheRevalidation::lastModifiedIsSentAsIfModifiedSince()
{
    auto filter = makeFilter();
    const QByteArray date = "Sun, 06 Nov 1994 08:49:37 GMT";
    {
        Call miss(*filter, "GET", "/lm");
        // No freshness at all: stored because it can be revalidated, stale from the start.
        miss.upstream(200, {{"Content-Type", "text/plain"}, {"Last-Modified", date}}, "dated");
        QCOMPARE(miss.header("cache-status"), QByteArray("gatehouse; fwd=uri-miss; stored"));
    }
    Call next(*filter, "GET", "/lm");
    QCOMPARE(next.status, FilterStatus::Continue);
    QCOMPARE(next.upstreamHeader("if-modified-since"), date);
    QVERIFY(next.upstreamHeader("if-none-match").isNull());
    QCOMPARE(next.answer(304, {{"Last-Modified", date}}), FilterStatus::Respond);
    QCOMPARE(next.ctx.error.body, QByteArray("dated"));
}

void tst_ResponseCacheRevalidation::noCacheAnswersAreStoredAndAlwaysRevalidated()
{
    auto filter = makeFilter();
    const Pairs noCache{{"Content-Type", "text/plain"}, {"Cache-Control", "no-cache, max-age=600"}, {"ETag", "W/\"n\""}};
    {
        Call miss(*filter, "GET", "/nc");
        miss.upstream(200, noCache, "body");
        QCOMPARE(miss.header("cache-status"), QByteArray("gatehouse; fwd=uri-miss; stored"));
    }
    for (int i = 0; i < 3; ++i) {
        Call again(*filter, "GET", "/nc");
        QCOMPARE(again.status, FilterStatus::Continue);   // never served without asking
        QCOMPARE(again.upstreamHeader("if-none-match"), QByteArray("W/\"n\""));
        QCOMPARE(again.answer(304, {{"ETag", "W/\"n\""}, {"Cache-Control", "no-cache"}}), FilterStatus::Respond);
        QCOMPARE(again.ctx.error.body, QByteArray("body"));
    }
    // Without a validator no-cache is still refused.
    Call bare(*filter, "GET", "/bare");
    bare.upstream(200, {{"Content-Type", "text/plain"}, {"Cache-Control", "no-cache"}});
    QCOMPARE(bare.header("cache-status"), QByteArray("gatehouse; fwd=uri-miss; detail=no-cache"));
}

void tst_ResponseCacheRevalidation::clientsConditionalIsAnswered304WhenCurrent_data()
{
    QTest::addColumn<Pairs>("request");
    QTest::addColumn<int>("status");
    QTest::addColumn<bool>("hasBody");
    QTest::newRow("a matching If-None-Match is answered 304") << Pairs{{"If-None-Match", "\"v0\", \"v1\""}} << 304 << false;
    QTest::newRow("a weak If-None-Match matches too") << Pairs{{"If-None-Match", "W/\"v1\""}} << 304 << false;
    QTest::newRow("another tag gets the stored 200") << Pairs{{"If-None-Match", "\"v9\""}} << 200 << true;
    QTest::newRow("If-Modified-Since at Last-Modified is answered 304")
        << Pairs{{"If-Modified-Since", "Sun, 06 Nov 1994 08:49:37 GMT"}} << 304 << false;
    QTest::newRow("If-Modified-Since before Last-Modified gets the stored 200")
        << Pairs{{"If-Modified-Since", "Sat, 05 Nov 1994 08:49:37 GMT"}} << 200 << true;
    QTest::newRow("If-None-Match wins over If-Modified-Since")
        << Pairs{{"If-None-Match", "\"v9\""}, {"If-Modified-Since", "Sun, 06 Nov 1994 08:49:37 GMT"}} << 200 << true;
}

void tst_ResponseCacheRevalidation::clientsConditionalIsAnswered304WhenCurrent()
{
    QFETCH(Pairs, request);
    auto filter = makeFilter();
    {
        Call miss(*filter, "GET", "/c");
        Pairs fields = kTagged;
        fields.append(std::pair<QByteArray, QByteArray>("Last-Modified", "Sun, 06 Nov 1994 08:49:37 GMT"));
        miss.upstream(200, fields, "payload");
    }
    Call call(*filter, "GET", "/c", request);
    QCOMPARE(call.status, FilterStatus::Respond);
    QTEST(call.ctx.error.status, "status");
    QFETCH(bool, hasBody);
    QCOMPARE(call.ctx.error.body.isEmpty(), !hasBody);
    QCOMPARE(call.header("etag"), QByteArray("\"v1\""));
    QVERIFY(call.header("cache-status").startsWith("gatehouse; hit; ttl="));
    // A 304 carries the validators and freshness, not the representation's other fields.
    QCOMPARE(call.header("x-version").isNull(), !hasBody);
}

void tst_ResponseCacheRevalidation::clientsOwnConditionalIsForwardedAsItCame()
{
    auto filter = makeFilter();
    {
        Call miss(*filter, "GET", "/own");
        miss.upstream(200, kTagged, "mine");
    }
    g_now += 20;
    Call own(*filter, "GET", "/own", {{"If-None-Match", "\"client\""}});
    QCOMPARE(own.status, FilterStatus::Continue);
    QVERIFY(own.ctx.upstreamHeaders.isEmpty());   // the client's validators, not ours
    QCOMPARE(own.answer(304, {{"ETag", "\"client\""}}), FilterStatus::Continue);   // its 304 goes to it
    QCOMPARE(filter->storeOf(0)->count(), 1);   // the stale entry stays for a later revalidation
    Call later(*filter, "GET", "/own");
    QCOMPARE(later.upstreamHeader("if-none-match"), QByteArray("\"v1\""));
}

void tst_ResponseCacheRevalidation::a304ForAnotherRepresentationIsNotStored()
{
    auto filter = makeFilter();
    {
        Call miss(*filter, "GET", "/o");
        miss.upstream(200, kTagged, "first");
    }
    g_now += 20;
    Call stale(*filter, "GET", "/o");
    // A 304 naming another entity-tag cannot refresh this entry: the client still gets what was
    // asked about, and the next request fetches the resource whole.
    QCOMPARE(stale.answer(304, {{"ETag", "\"other\""}, {"Cache-Control", "max-age=100"}}), FilterStatus::Respond);
    QCOMPARE(stale.ctx.error.body, QByteArray("first"));
    QCOMPARE(filter->storeOf(0)->count(), 0);
}

void tst_ResponseCacheRevalidation::unsafeRequestsInvalidateOtherRoutes_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<int>("status");
    QTest::addColumn<Pairs>("response");
    QTest::addColumn<bool>("firstGone");
    QTest::addColumn<bool>("secondGone");
    const Pairs none;
    QTest::newRow("a successful PUT invalidates its target") << QByteArray("PUT") << 200 << none << true << false;
    QTest::newRow("a DELETE answered 204 invalidates its target") << QByteArray("DELETE") << 204 << none << true << false;
    QTest::newRow("a POST invalidates its target and its Location")
        << QByteArray("POST") << 201 << Pairs{{"Location", "/api/items/2"}} << true << true;
    QTest::newRow("a PATCH invalidates a same-host Content-Location")
        << QByteArray("PATCH") << 200 << Pairs{{"Content-Location", "http://gw.test/api/items/2"}} << true << true;
    QTest::newRow("a Location of another host is left alone")
        << QByteArray("POST") << 303 << Pairs{{"Location", "http://elsewhere.test/api/items/2"}} << true << false;
    QTest::newRow("a failed PUT invalidates nothing") << QByteArray("PUT") << 409 << none << false << false;
    QTest::newRow("a server error invalidates nothing") << QByteArray("DELETE") << 500 << none << false << false;
    QTest::newRow("OPTIONS is safe and invalidates nothing") << QByteArray("OPTIONS") << 200 << none << false << false;
}

void tst_ResponseCacheRevalidation::unsafeRequestsInvalidateOtherRoutes()
{
    QFETCH(QByteArray, method);
    QFETCH(int, status);
    QFETCH(Pairs, response);
    // Two routes of one config share the log; the GET route has two workers, each with a store.
    auto log = std::make_shared<CacheInvalidationLog>();
    ResponseCacheOptions options;
    options.maxTotalBytes = 1 << 20;
    auto reads = makeFilter(options, 2, log);
    auto writes = makeFilter(options, 1, log);
    for (int worker = 0; worker < 2; ++worker) {
        for (const QByteArray path : {"/api/items/1", "/api/items/2"}) {
            Call miss(*reads, "GET", path, {}, {}, worker);
            miss.upstream(200, kFresh, path);
            // Each caller keeps its own entry: invalidation reaches them all.
            Call alice(*reads, "GET", path, {}, QStringLiteral("alice"), worker);
            alice.upstream(200, kFresh, path + " for alice");
        }
    }
    {
        Call change(*writes, method, "/api/items/1", {{"Host", "gw.test"}});
        QCOMPARE(change.status, FilterStatus::Continue);
        change.upstream(status, response, {});
    }
    QFETCH(bool, firstGone);
    QFETCH(bool, secondGone);
    for (int worker = 0; worker < 2; ++worker) {
        QCOMPARE(!Call(*reads, "GET", "/api/items/1", {}, {}, worker).hit(), firstGone);
        QCOMPARE(!Call(*reads, "GET", "/api/items/1", {}, QStringLiteral("alice"), worker).hit(), firstGone);
        QCOMPARE(!Call(*reads, "GET", "/api/items/2", {}, {}, worker).hit(), secondGone);
    }
}

QTEST_APPLESS_MAIN(tst_ResponseCacheRevalidation)
#include "tst_responsecacherevalidation.moc"
