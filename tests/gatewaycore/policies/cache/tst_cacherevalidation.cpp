// Revalidation and invalidation logic of the response cache: the validators (If-None-Match,
// If-Modified-Since, which stored response a 304 refreshes), the lock-free invalidation log shared
// by a config's cache filters (ordering, falling behind, several writers), the same-origin test for
// Location / Content-Location, and the store dropping every entry of a URI.
#include "policies/cache/cachefreshness.h"
#include "policies/cache/cacheinvalidation.h"
#include "policies/cache/responsestore.h"

#include <QSet>
#include <QTest>

#include <thread>
#include <vector>

using namespace Gatehouse;

namespace {

CachedResponse response(const QByteArray &body)
{
    CachedResponse r;
    r.status = 200;
    r.contentType = "text/plain";
    r.body = body;
    r.lifetime = 60;
    return r;
}

} // namespace

class tst_CacheRevalidation : public QObject
{
    Q_OBJECT
private slots:
    void ifNoneMatch_data();
    void ifNoneMatch();
    void ifModifiedSince_data();
    void ifModifiedSince();
    void notModifiedSelection_data();
    void notModifiedSelection();
    void sameOriginTargets_data();
    void sameOriginTargets();
    void logDeliversRecordsInOrder();
    void aReaderFarBehindEmptiesItsStore();
    void concurrentWritersLoseNoRecord();
    void storeDropsEveryEntryOfAUri();
};

void tst_CacheRevalidation::ifNoneMatch_data()
{
    QTest::addColumn<QByteArray>("ifNoneMatch");
    QTest::addColumn<QByteArray>("etag");
    QTest::addColumn<bool>("matches");
    QTest::newRow("the same strong tag matches") << QByteArray("\"v1\"") << QByteArray("\"v1\"") << true;
    QTest::newRow("another tag does not match") << QByteArray("\"v2\"") << QByteArray("\"v1\"") << false;
    QTest::newRow("weak comparison ignores W/ on the request") << QByteArray("W/\"v1\"") << QByteArray("\"v1\"") << true;
    QTest::newRow("weak comparison ignores W/ on the stored tag") << QByteArray("\"v1\"") << QByteArray("W/\"v1\"") << true;
    QTest::newRow("any tag of a list matches") << QByteArray("\"a\", \"b\" ,W/\"v1\"") << QByteArray("\"v1\"") << true;
    QTest::newRow("a comma inside a tag is part of it") << QByteArray("\"a,b\"") << QByteArray("\"a,b\"") << true;
    QTest::newRow("a star matches a stored tag") << QByteArray(" * ") << QByteArray("\"v1\"") << true;
    QTest::newRow("a star needs a stored tag") << QByteArray("*") << QByteArray() << false;
    QTest::newRow("nothing stored matches nothing") << QByteArray("\"v1\"") << QByteArray() << false;
    QTest::newRow("an unquoted tag is malformed") << QByteArray("v1") << QByteArray("\"v1\"") << false;
    QTest::newRow("an unterminated tag is malformed") << QByteArray("\"v1") << QByteArray("\"v1\"") << false;
    QTest::newRow("tags compare case-sensitively") << QByteArray("\"V1\"") << QByteArray("\"v1\"") << false;
}

void tst_CacheRevalidation::ifNoneMatch()
{
    QFETCH(QByteArray, ifNoneMatch);
    QFETCH(QByteArray, etag);
    QTEST(ifNoneMatchMatches(ifNoneMatch, etag), "matches");
}

void tst_CacheRevalidation::ifModifiedSince_data()
{
    QTest::addColumn<QByteArray>("since");
    QTest::addColumn<QByteArray>("lastModified");
    QTest::addColumn<bool>("current");
    QTest::newRow("the same date is not modified") << QByteArray("Sun, 06 Nov 1994 08:49:37 GMT")
                                                  << QByteArray("Sun, 06 Nov 1994 08:49:37 GMT") << true;
    QTest::newRow("a later If-Modified-Since is not modified") << QByteArray("Mon, 07 Nov 1994 08:49:37 GMT")
                                                              << QByteArray("Sun, 06 Nov 1994 08:49:37 GMT") << true;
    QTest::newRow("a change after the client's date is modified") << QByteArray("Sun, 06 Nov 1994 08:49:36 GMT")
                                                                  << QByteArray("Sun, 06 Nov 1994 08:49:37 GMT") << false;
    QTest::newRow("other date forms compare by time") << QByteArray("Sunday, 06-Nov-94 08:49:37 GMT")
                                                     << QByteArray("Sun Nov  6 08:49:37 1994") << true;
    QTest::newRow("an invalid If-Modified-Since is ignored") << QByteArray("yesterday")
                                                            << QByteArray("Sun, 06 Nov 1994 08:49:37 GMT") << false;
    QTest::newRow("no Last-Modified is never current") << QByteArray("Sun, 06 Nov 1994 08:49:37 GMT") << QByteArray()
                                                      << false;
}

void tst_CacheRevalidation::ifModifiedSince()
{
    QFETCH(QByteArray, since);
    QFETCH(QByteArray, lastModified);
    QTEST(notModifiedSince(since, lastModified), "current");
}

void tst_CacheRevalidation::notModifiedSelection_data()
{
    QTest::addColumn<QByteArray>("newEtag");
    QTest::addColumn<QByteArray>("newLastModified");
    QTest::addColumn<QByteArray>("storedEtag");
    QTest::addColumn<QByteArray>("storedLastModified");
    QTest::addColumn<bool>("selected");
    const QByteArray none;
    const QByteArray date = "Sun, 06 Nov 1994 08:49:37 GMT";
    QTest::newRow("the same entity-tag refreshes") << QByteArray("\"v1\"") << none << QByteArray("\"v1\"") << none << true;
    QTest::newRow("a weak 304 tag refreshes the same stored tag") << QByteArray("W/\"v1\"") << none << QByteArray("\"v1\"") << none << true;
    QTest::newRow("another entity-tag does not refresh") << QByteArray("\"v2\"") << none << QByteArray("\"v1\"") << date << false;
    QTest::newRow("an entity-tag when none is stored does not refresh") << QByteArray("\"v1\"") << date << none << date << false;
    QTest::newRow("without a tag the same Last-Modified refreshes") << none << date << none << date << true;
    QTest::newRow("without a tag another Last-Modified does not refresh")
        << none << QByteArray("Mon, 07 Nov 1994 08:49:37 GMT") << none << date << false;
    QTest::newRow("a 304 without validators refreshes what was asked about") << none << none << QByteArray("\"v1\"") << none << true;
}

void tst_CacheRevalidation::notModifiedSelection()
{
    QFETCH(QByteArray, newEtag);
    QFETCH(QByteArray, newLastModified);
    QFETCH(QByteArray, storedEtag);
    QFETCH(QByteArray, storedLastModified);
    QTEST(notModifiedSelects(newEtag, newLastModified, storedEtag, storedLastModified), "selected");
}

void tst_CacheRevalidation::sameOriginTargets_data()
{
    QTest::addColumn<QByteArray>("reference");
    QTest::addColumn<QByteArray>("target");
    const QByteArray path = "/c/items/7";
    QTest::newRow("an absolute path is taken as it is") << QByteArray("/c/items/8?x=1") << QByteArray("/c/items/8?x=1");
    QTest::newRow("an absolute URI of the same host names its path") << QByteArray("http://api.test:9090/c/items/9")
                                                                   << QByteArray("/c/items/9");
    QTest::newRow("the host compares case-insensitively") << QByteArray("https://API.test:9090/c/x") << QByteArray("/c/x");
    QTest::newRow("an absolute URI of another host is ignored") << QByteArray("http://evil.test/c/items/9") << QByteArray();
    QTest::newRow("another port is another origin") << QByteArray("http://api.test:80/c/items/9") << QByteArray();
    QTest::newRow("a network-path reference of the same host counts") << QByteArray("//api.test:9090/c/y") << QByteArray("/c/y");
    QTest::newRow("an authority without a path names the root") << QByteArray("http://api.test:9090") << QByteArray("/");
    QTest::newRow("a relative reference resolves against the request's path") << QByteArray("8") << QByteArray("/c/items/8");
    QTest::newRow("a query-only reference keeps the path") << QByteArray("?page=2") << QByteArray("/c/items/7?page=2");
    QTest::newRow("the fragment is dropped") << QByteArray("/c/items/8#top") << QByteArray("/c/items/8");
    QTest::newRow("dot segments are not guessed at") << QByteArray("../orders/1") << QByteArray();
    QTest::newRow("a URN names nothing of ours") << QByteArray("urn:isbn:123") << QByteArray();
    QTest::newRow("an empty value names nothing") << QByteArray("  ") << QByteArray();
}

void tst_CacheRevalidation::sameOriginTargets()
{
    QFETCH(QByteArray, reference);
    QTEST(sameOriginTarget(reference, "/c/items/7", "api.test:9090"), "target");
}

void tst_CacheRevalidation::logDeliversRecordsInOrder()
{
    CacheInvalidationLog log;
    CacheInvalidationLog::Position position = log.head();
    QCOMPARE(position, quint64(0));
    log.publish("/a");
    log.publish("/b?x=1");
    QList<quint32> seen;
    bool cleared = false;
    position = log.drain(position, [&](quint32 h) { seen.append(h); }, [&] { cleared = true; });
    QCOMPARE(position, quint64(2));
    QVERIFY(!cleared);
    QCOMPARE(seen, (QList<quint32>{cacheUriHash("/a"), cacheUriHash("/b?x=1")}));
    // Nothing new: nothing applied, the position stays.
    seen.clear();
    QCOMPARE(log.drain(position, [&](quint32 h) { seen.append(h); }, [&] { cleared = true; }), position);
    QVERIFY(seen.isEmpty());
}

void tst_CacheRevalidation::aReaderFarBehindEmptiesItsStore()
{
    CacheInvalidationLog log;
    for (quint64 i = 0; i < CacheInvalidationLog::kSlots + 5; ++i)
        log.publish("/r/" + QByteArray::number(i));
    int applied = 0;
    bool cleared = false;
    const auto position = log.drain(0, [&](quint32) { ++applied; }, [&] { cleared = true; });
    QVERIFY(cleared);
    QCOMPARE(applied, 0);
    QCOMPARE(position, log.head());
}

void tst_CacheRevalidation::concurrentWritersLoseNoRecord()
{
    // Four writers publish at once while this thread drains: every record arrives exactly once,
    // or the reader is told to clear (it never misses one silently).
    CacheInvalidationLog log;
    constexpr int kWriters = 4;
    constexpr int kEach = 200;   // 800 records: fewer than the ring holds
    std::vector<std::thread> writers;
    for (int w = 0; w < kWriters; ++w) {
        writers.emplace_back([&log, w] {
            for (int i = 0; i < kEach; ++i)
                log.publish("/w" + QByteArray::number(w) + "/" + QByteArray::number(i));
        });
    }
    QMultiHash<quint32, int> seen;
    bool cleared = false;
    CacheInvalidationLog::Position position = 0;
    while (position < quint64(kWriters * kEach) && !cleared)
        position = log.drain(position, [&](quint32 h) { seen.insert(h, 1); }, [&] { cleared = true; });
    for (std::thread &t : writers)
        t.join();
    QVERIFY(!cleared);
    QCOMPARE(seen.size(), kWriters * kEach);
    for (int w = 0; w < kWriters; ++w) {
        for (int i = 0; i < kEach; ++i)
            QVERIFY(seen.contains(cacheUriHash("/w" + QByteArray::number(w) + "/" + QByteArray::number(i))));
    }
}

void tst_CacheRevalidation::storeDropsEveryEntryOfAUri()
{
    ResponseStore store(1 << 20);
    Http1FieldList en;
    en.append("accept-language", "en");
    Http1FieldList de;
    de.append("accept-language", "de");
    CachedResponse varied = response("en");
    varied.varyNames = {"accept-language"};
    QVERIFY(store.insert("/c/items/1", &en, varied));
    varied.body = "de";
    QVERIFY(store.insert("/c/items/1", &de, varied));
    // Another caller's entry of the same URI, and another URI.
    QVERIFY(store.insert(QByteArray("/c/items/1\0jwt\0issuer\0alice\0app", 31), nullptr, response("alice")));
    QVERIFY(store.insert("/c/items/2", nullptr, response("two")));
    QCOMPARE(store.count(), 4);
    store.removeUri(cacheUriHash("/c/items/1"));
    QCOMPARE(store.count(), 1);
    QVERIFY(store.find("/c/items/2", nullptr));
    QVERIFY(!store.find("/c/items/1", &en));
    store.removeUri(cacheUriHash("/c/items/404"));   // nothing of it: nothing changes
    QCOMPARE(store.count(), 1);
    store.clear();
    QCOMPARE(store.count(), 0);
    QCOMPARE(store.bytes(), 0);
}

QTEST_APPLESS_MAIN(tst_CacheRevalidation)
#include "tst_cacherevalidation.moc"
