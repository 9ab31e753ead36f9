// RFC 9111 arithmetic of the response cache: directives, HTTP dates, storability (validators
// included), freshness lifetime, age and whether a stored response may answer, with every time
// given by the test.
#include "policies/cache/cachefreshness.h"

#include <QTest>

using namespace Gatehouse;

namespace {

constexpr qint64 kT = 1'700'000'000;   // a fixed "now" for the rows (2023-11-14T22:13:20Z)

Http1FieldList fieldsOf(const QList<std::pair<QByteArray, QByteArray>> &pairs)
{
    Http1FieldList list;
    for (const auto &[n, v] : pairs)
        list.append(n, v);
    return list;
}

} // namespace

class tst_CacheFreshness : public QObject
{
    Q_OBJECT
private slots:
    void directives_data();
    void directives();
    void httpDates_data();
    void httpDates();
    void lifetimeAndAge_data();
    void lifetimeAndAge();
    void storability_data();
    void storability();
    void serving_data();
    void serving();
};

void tst_CacheFreshness::directives_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<bool>("noStore");
    QTest::addColumn<bool>("noCache");
    QTest::addColumn<bool>("isPrivate");
    QTest::addColumn<bool>("isPublic");
    QTest::addColumn<qint64>("maxAge");
    QTest::addColumn<qint64>("sMaxAge");
    QTest::newRow("max-age and public are read") << QByteArray("public, max-age=60") << false << false << false << true
                                                 << qint64(60) << qint64(-1);
    QTest::newRow("names are case-insensitive") << QByteArray("MAX-AGE=5, S-MaxAge=7") << false << false << false
                                                << false << qint64(5) << qint64(7);
    QTest::newRow("a quoted max-age is accepted") << QByteArray("max-age=\"30\"") << false << false << false << false
                                                  << qint64(30) << qint64(-1);
    QTest::newRow("an invalid max-age counts as zero") << QByteArray("max-age=soon") << false << false << false
                                                       << false << qint64(0) << qint64(-1);
    QTest::newRow("duplicate max-age keeps the smaller") << QByteArray("max-age=100, max-age=10") << false << false
                                                         << false << false << qint64(10) << qint64(-1);
    QTest::newRow("qualified private with a comma inside quotes is private")
        << QByteArray("private=\"set-cookie, x-a\", max-age=9") << false << false << true << false << qint64(9) << qint64(-1);
    QTest::newRow("no-store and no-cache are flags") << QByteArray("no-store,no-cache") << true << true << false
                                                     << false << qint64(-1) << qint64(-1);
    QTest::newRow("a huge max-age is capped at 2^31") << QByteArray("max-age=99999999999999999999") << false << false
                                                      << false << false << qint64(2147483648LL) << qint64(-1);
    QTest::newRow("unknown directives are ignored") << QByteArray("stale-while-revalidate=5, foo") << false << false
                                                    << false << false << qint64(-1) << qint64(-1);
}

void tst_CacheFreshness::directives()
{
    QFETCH(QByteArray, value);
    CacheControl cc;
    cc.parse(value);
    QTEST(cc.noStore, "noStore");
    QTEST(cc.noCache, "noCache");
    QTEST(cc.isPrivate, "isPrivate");
    QTEST(cc.isPublic, "isPublic");
    QTEST(cc.maxAgeSeconds, "maxAge");
    QTEST(cc.sharedMaxAgeSeconds, "sMaxAge");
}

void tst_CacheFreshness::httpDates_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<qint64>("seconds");
    QTest::newRow("IMF-fixdate of RFC 9110") << QByteArray("Sun, 06 Nov 1994 08:49:37 GMT") << qint64(784111777);
    QTest::newRow("RFC 850 form") << QByteArray("Sunday, 06-Nov-94 08:49:37 GMT") << qint64(784111777);
    QTest::newRow("asctime form") << QByteArray("Sun Nov  6 08:49:37 1994") << qint64(784111777);
    QTest::newRow("the epoch") << QByteArray("Thu, 01 Jan 1970 00:00:00 GMT") << qint64(0);
    QTest::newRow("a leap day") << QByteArray("Thu, 29 Feb 2024 12:00:00 GMT") << qint64(1709208000);
    QTest::newRow("zero as in Expires: 0 is invalid") << QByteArray("0") << qint64(-1);
    QTest::newRow("another zone is invalid") << QByteArray("Sun, 06 Nov 1994 08:49:37 CET") << qint64(-1);
    QTest::newRow("an unknown month is invalid") << QByteArray("Sun, 06 Nox 1994 08:49:37 GMT") << qint64(-1);
    QTest::newRow("hour 25 is invalid") << QByteArray("Sun, 06 Nov 1994 25:49:37 GMT") << qint64(-1);
    QTest::newRow("empty is invalid") << QByteArray() << qint64(-1);
}

void tst_CacheFreshness::httpDates()
{
    QFETCH(QByteArray, text);
    QTEST(parseHttpDate(text), "seconds");
}

void tst_CacheFreshness::lifetimeAndAge_data()
{
    QTest::addColumn<QByteArray>("cacheControl");
    QTest::addColumn<qint64>("expires");        // -1 absent, -2 invalid, else offset from kT
    QTest::addColumn<qint64>("dateOffset");     // Date = kT + offset; 1: no Date
    QTest::addColumn<qint64>("ageValue");
    QTest::addColumn<qint64>("requestOffset");  // request sent at kT + offset
    QTest::addColumn<qint64>("defaultTtl");
    QTest::addColumn<qint64>("lifetime");
    QTest::addColumn<qint64>("initialAge");
    QTest::newRow("max-age alone gives the lifetime, age zero")
        << QByteArray("max-age=60") << qint64(-1) << qint64(0) << qint64(0) << qint64(0) << qint64(0) << qint64(60) << qint64(0);
    QTest::newRow("s-maxage wins over max-age for a shared cache")
        << QByteArray("max-age=60, s-maxage=5") << qint64(-1) << qint64(0) << qint64(0) << qint64(0) << qint64(0) << qint64(5) << qint64(0);
    QTest::newRow("max-age wins over Expires")
        << QByteArray("max-age=60") << qint64(3600) << qint64(0) << qint64(0) << qint64(0) << qint64(0) << qint64(60) << qint64(0);
    QTest::newRow("Expires minus Date when no max-age")
        << QByteArray() << qint64(300) << qint64(-100) << qint64(0) << qint64(0) << qint64(0) << qint64(400) << qint64(100);
    QTest::newRow("Expires without Date counts from the response time")
        << QByteArray() << qint64(300) << qint64(1) << qint64(0) << qint64(0) << qint64(0) << qint64(300) << qint64(0);
    QTest::newRow("an invalid Expires is already expired")
        << QByteArray() << qint64(-2) << qint64(0) << qint64(0) << qint64(0) << qint64(600) << qint64(0) << qint64(0);
    QTest::newRow("Expires before Date is lifetime zero")
        << QByteArray() << qint64(-50) << qint64(0) << qint64(0) << qint64(0) << qint64(0) << qint64(0) << qint64(0);
    QTest::newRow("the default TTL applies when nothing is said")
        << QByteArray() << qint64(-1) << qint64(0) << qint64(0) << qint64(0) << qint64(120) << qint64(120) << qint64(0);
    QTest::newRow("an upstream Age plus the response delay is the initial age")
        << QByteArray("max-age=60") << qint64(-1) << qint64(0) << qint64(10) << qint64(-2) << qint64(0) << qint64(60) << qint64(12);
    QTest::newRow("a Date in the past counts when larger than Age")
        << QByteArray("max-age=60") << qint64(-1) << qint64(-30) << qint64(5) << qint64(0) << qint64(0) << qint64(60) << qint64(30);
    QTest::newRow("a Date in the future gives no negative age")
        << QByteArray("max-age=60") << qint64(-1) << qint64(500) << qint64(0) << qint64(0) << qint64(0) << qint64(60) << qint64(0);
}

void tst_CacheFreshness::lifetimeAndAge()
{
    QFETCH(QByteArray, cacheControl);
    QFETCH(qint64, expires);
    QFETCH(qint64, dateOffset);
    QFETCH(qint64, ageValue);
    QFETCH(qint64, requestOffset);
    QFETCH(qint64, defaultTtl);
    CacheControl cc;
    cc.parse(cacheControl);
    ResponseTimes times;
    times.requestTime = kT + requestOffset;
    times.responseTime = kT;
    times.dateValue = dateOffset == 1 ? -1 : kT + dateOffset;
    times.ageValue = ageValue;
    const qint64 expiresAt = expires < 0 ? expires : kT + expires;
    QTEST(freshnessLifetime(cc, times, expiresAt, defaultTtl), "lifetime");
    QTEST(initialAge(times), "initialAge");
}

void tst_CacheFreshness::storability_data()
{
    QTest::addColumn<bool>("get");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("requestCc");
    QTest::addColumn<QByteArray>("responseCc");
    QTest::addColumn<bool>("authorization");
    QTest::addColumn<QByteArray>("extra");   // "vary*", "cookie", "expires", "notype", "validator"
    QTest::addColumn<qint64>("defaultTtl");
    QTest::addColumn<QByteArray>("verdict");
    const QByteArray none;
    QTest::newRow("a 200 with max-age is stored") << true << 200 << none << QByteArray("max-age=60") << false << none << qint64(0) << QByteArray("stored");
    QTest::newRow("POST answers are not stored") << false << 200 << none << QByteArray("max-age=60") << false << none << qint64(0) << QByteArray("method");
    QTest::newRow("a 500 is not stored") << true << 500 << none << QByteArray("max-age=60") << false << none << qint64(0) << QByteArray("status");
    QTest::newRow("a 404 with max-age is stored") << true << 404 << none << QByteArray("max-age=60") << false << none << qint64(0) << QByteArray("stored");
    QTest::newRow("a 302 without freshness is not stored") << true << 302 << none << none << false << none << qint64(60) << QByteArray("status");
    QTest::newRow("a 302 with max-age is stored") << true << 302 << none << QByteArray("max-age=5") << false << none << qint64(0) << QByteArray("stored");
    QTest::newRow("no-store in the response is not stored") << true << 200 << none << QByteArray("no-store, max-age=60") << false << none << qint64(0) << QByteArray("no-store");
    QTest::newRow("no-store in the request is not stored") << true << 200 << QByteArray("no-store") << QByteArray("max-age=60") << false << none << qint64(0) << QByteArray("no-store");
    QTest::newRow("private is not stored by a shared cache") << true << 200 << none << QByteArray("private, max-age=60") << false << none << qint64(0) << QByteArray("private");
    QTest::newRow("no-cache without a validator is not stored") << true << 200 << none << QByteArray("no-cache") << false << none << qint64(60) << QByteArray("no-cache");
    QTest::newRow("no-cache with a validator is stored to be revalidated") << true << 200 << none << QByteArray("no-cache") << false << QByteArray("validator") << qint64(0) << QByteArray("stored");
    QTest::newRow("no freshness with a validator is stored to be revalidated") << true << 200 << none << none << false << QByteArray("validator") << qint64(0) << QByteArray("stored");
    QTest::newRow("a validator does not make private storable") << true << 200 << none << QByteArray("private") << false << QByteArray("validator") << qint64(0) << QByteArray("private");
    QTest::newRow("a validator does not make no-store storable") << true << 200 << none << QByteArray("no-store") << false << QByteArray("validator") << qint64(0) << QByteArray("no-store");
    QTest::newRow("an authorized request with max-age only is not stored") << true << 200 << none << QByteArray("max-age=60") << true << none << qint64(0) << QByteArray("authorization");
    QTest::newRow("an authorized request with public is stored") << true << 200 << none << QByteArray("public, max-age=60") << true << none << qint64(0) << QByteArray("stored");
    QTest::newRow("an authorized request with s-maxage is stored") << true << 200 << none << QByteArray("s-maxage=60") << true << none << qint64(0) << QByteArray("stored");
    QTest::newRow("Vary star is not stored") << true << 200 << none << QByteArray("max-age=60") << false << QByteArray("vary*") << qint64(0) << QByteArray("vary-star");
    QTest::newRow("Set-Cookie is not stored") << true << 200 << none << QByteArray("max-age=60") << false << QByteArray("cookie") << qint64(0) << QByteArray("set-cookie");
    QTest::newRow("nothing said and no default TTL is not stored") << true << 200 << none << none << false << none << qint64(0) << QByteArray("no-freshness");
    QTest::newRow("nothing said with a default TTL is stored") << true << 200 << none << none << false << none << qint64(30) << QByteArray("stored");
    QTest::newRow("Expires alone is explicit freshness") << true << 200 << none << none << false << QByteArray("expires") << qint64(0) << QByteArray("stored");
    QTest::newRow("a body without Content-Type is not stored") << true << 200 << none << QByteArray("max-age=60") << false << QByteArray("notype") << qint64(0) << QByteArray("no-content-type");
}

void tst_CacheFreshness::storability()
{
    QFETCH(QByteArray, requestCc);
    QFETCH(QByteArray, responseCc);
    QFETCH(QByteArray, extra);
    StoreInputs in;
    QFETCH(bool, get);
    in.getRequest = get;
    QFETCH(int, status);
    in.status = status;
    in.request.parse(requestCc);
    in.response.parse(responseCc);
    QFETCH(bool, authorization);
    in.requestHasAuthorization = authorization;
    in.varyStar = extra == "vary*";
    in.setCookie = extra == "cookie";
    in.hasExpires = extra == "expires";
    in.hasContentType = extra != "notype";
    in.hasBody = true;
    in.hasValidator = extra == "validator";
    QFETCH(qint64, defaultTtl);
    in.defaultTtlSeconds = defaultTtl;
    QTEST(storeVerdictName(storeVerdict(in)).toByteArray(), "verdict");
}

void tst_CacheFreshness::serving_data()
{
    QTest::addColumn<qint64>("lifetime");
    QTest::addColumn<qint64>("stored");       // seconds since it was stored
    QTest::addColumn<qint64>("initialAge");
    QTest::addColumn<QByteArray>("requestCc");
    QTest::addColumn<bool>("pragma");
    QTest::addColumn<qint64>("age");
    QTest::addColumn<bool>("served");
    QTest::newRow("fresh one second after storing") << qint64(60) << qint64(1) << qint64(0) << QByteArray() << false << qint64(1) << true;
    QTest::newRow("stale exactly at the lifetime") << qint64(60) << qint64(60) << qint64(0) << QByteArray() << false << qint64(60) << false;
    QTest::newRow("the initial age shortens the life") << qint64(60) << qint64(50) << qint64(15) << QByteArray() << false << qint64(65) << false;
    QTest::newRow("the request's no-cache forces the upstream") << qint64(60) << qint64(1) << qint64(0) << QByteArray("no-cache") << false << qint64(1) << false;
    QTest::newRow("Pragma no-cache counts without Cache-Control") << qint64(60) << qint64(1) << qint64(0) << QByteArray() << true << qint64(1) << false;
    QTest::newRow("the request's max-age refuses an older answer") << qint64(60) << qint64(20) << qint64(0) << QByteArray("max-age=10") << false << qint64(20) << false;
    QTest::newRow("the request's max-age accepts a younger answer") << qint64(60) << qint64(5) << qint64(0) << QByteArray("max-age=10") << false << qint64(5) << true;
    QTest::newRow("min-fresh needs that much life left") << qint64(60) << qint64(50) << qint64(0) << QByteArray("min-fresh=20") << false << qint64(50) << false;
    QTest::newRow("lifetime zero is never served") << qint64(0) << qint64(0) << qint64(0) << QByteArray() << false << qint64(0) << false;
}

void tst_CacheFreshness::serving()
{
    QFETCH(qint64, lifetime);
    QFETCH(qint64, stored);
    QFETCH(qint64, initialAge);
    QFETCH(QByteArray, requestCc);
    QFETCH(bool, pragma);
    const qint64 age = currentAge(initialAge, kT, kT + stored);
    QTEST(age, "age");
    CacheControl request;
    request.parse(requestCc);
    QTEST(mayServe(lifetime, age, request, pragma), "served");
    // CacheControl::from() reads every Cache-Control field of a head.
    const CacheControl both = CacheControl::from(fieldsOf({{"Cache-Control", "max-age=3"}, {"cache-control", "public"}}));
    QVERIFY(both.isPublic && both.maxAgeSeconds == 3);
}

QTEST_APPLESS_MAIN(tst_CacheFreshness)
#include "tst_cachefreshness.moc"
