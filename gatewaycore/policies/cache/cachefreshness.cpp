// RFC 9111 arithmetic for a shared cache: directives, dates, storability, freshness and age.
#include "cachefreshness.h"

#include "http/http1head.h"

#include <array>

namespace Gatehouse {

namespace {

constexpr qint64 kDeltaMax = 2147483648LL;   // RFC 9111 §1.2.2: "the greatest integer ... 2^31"

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
qint64 daysFromCivil(qint64 y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const qint64 era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = unsigned(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + qint64(doe) - 719468;
}

int monthIndex(QByteArrayView name)
{
    static constexpr std::array<const char *, 12> kMonths{"jan", "feb", "mar", "apr", "may", "jun",
                                                          "jul", "aug", "sep", "oct", "nov", "dec"};
    if (name.size() != 3)
        return -1;
    for (int i = 0; i < 12; ++i) {
        if (httpEqualsIgnoreCase(name, QByteArrayView(kMonths[size_t(i)], 3)))
            return i + 1;
    }
    return -1;
}

// Digits of exactly `count` characters at `text[at]`, or -1.
int digits(QByteArrayView text, qsizetype at, int count)
{
    if (at < 0 || at + count > text.size())
        return -1;
    int value = 0;
    for (int i = 0; i < count; ++i) {
        const char c = text[at + i];
        if (c < '0' || c > '9')
            return -1;
        value = value * 10 + (c - '0');
    }
    return value;
}

// "HH:MM:SS" at `at` as seconds of the day, or -1.
qint64 timeOfDay(QByteArrayView text, qsizetype at)
{
    const int h = digits(text, at, 2);
    const int m = digits(text, at + 3, 2);
    const int s = digits(text, at + 6, 2);
    if (h < 0 || m < 0 || s < 0 || text[at + 2] != ':' || text[at + 5] != ':' || h > 23 || m > 59 || s > 60)
        return -1;
    return qint64(h) * 3600 + m * 60 + s;
}

qint64 combine(int year, int month, int day, qint64 seconds)
{
    if (year < 0 || month < 1 || day < 1 || day > 31 || seconds < 0)
        return -1;
    return daysFromCivil(year, unsigned(month), unsigned(day)) * 86400 + seconds;
}

} // namespace

void CacheControl::parse(QByteArrayView value)
{
    while (!value.isEmpty()) {
        // One directive up to the next comma outside a quoted string.
        qsizetype end = 0;
        bool quoted = false;
        for (; end < value.size(); ++end) {
            const char c = value[end];
            if (c == '"')
                quoted = !quoted;
            else if (c == '\\' && quoted)
                ++end;
            else if (c == ',' && !quoted)
                break;
        }
        const QByteArrayView directive = httpTrimOws(value.first(qMin(end, value.size())));
        value = end < value.size() ? value.sliced(end + 1) : QByteArrayView();
        const qsizetype eq = directive.indexOf('=');
        const QByteArrayView name = httpTrimOws(eq < 0 ? directive : directive.first(eq));
        QByteArrayView argument = eq < 0 ? QByteArrayView() : httpTrimOws(directive.sliced(eq + 1));
        if (argument.size() >= 2 && argument.front() == '"' && argument.back() == '"')
            argument = argument.sliced(1, argument.size() - 2);
        if (httpEqualsIgnoreCase(name, "no-store")) {
            noStore = true;
        } else if (httpEqualsIgnoreCase(name, "no-cache")) {
            noCache = true;
        } else if (httpEqualsIgnoreCase(name, "private")) {
            isPrivate = true;
        } else if (httpEqualsIgnoreCase(name, "public")) {
            isPublic = true;
        } else if (httpEqualsIgnoreCase(name, "must-revalidate") || httpEqualsIgnoreCase(name, "proxy-revalidate")) {
            mustRevalidate = true;
        } else if (httpEqualsIgnoreCase(name, "only-if-cached")) {
            onlyIfCached = true;
        } else if (httpEqualsIgnoreCase(name, "max-age") || httpEqualsIgnoreCase(name, "s-maxage") || httpEqualsIgnoreCase(name, "min-fresh")) {
            // An invalid value of a freshness directive makes the response stale (§4.2.1): 0.
            qint64 seconds = parseDeltaSeconds(argument);
            if (seconds < 0)
                seconds = 0;
            qint64 &slot = httpEqualsIgnoreCase(name, "max-age") ? maxAgeSeconds
                           : httpEqualsIgnoreCase(name, "s-maxage") ? sharedMaxAgeSeconds
                                                      : minFreshSeconds;
            // Conflicting duplicates: the most restrictive wins (§4.2.1 "SHOULD consider ... stale").
            slot = slot < 0 ? seconds : qMin(slot, seconds);
        }
    }
}

CacheControl CacheControl::from(const Http1FieldList &fields)
{
    CacheControl cc;
    for (const Http1Field &f : fields) {
        if (httpNameIs(f.name, "cache-control"))
            cc.parse(f.value);
    }
    return cc;
}

qint64 parseDeltaSeconds(QByteArrayView text)
{
    if (text.isEmpty())
        return -1;
    qint64 value = 0;
    for (const char c : text) {
        if (c < '0' || c > '9')
            return -1;
        if (value < kDeltaMax)
            value = value * 10 + (c - '0');
    }
    return qMin(value, kDeltaMax);
}

qint64 parseHttpDate(QByteArrayView text)
{
    text = httpTrimOws(text);
    const qsizetype comma = text.indexOf(',');
    if (comma == 3 && text.size() == 29) {
        // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
        if (text[4] != ' ' || text[7] != ' ' || text[11] != ' ' || text[16] != ' ' || text.sliced(25) != " GMT")
            return -1;
        return combine(digits(text, 12, 4), monthIndex(text.sliced(8, 3)), digits(text, 5, 2), timeOfDay(text, 17));
    }
    if (comma > 3) {
        // RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT" (two-digit year: the closest century, §5.6.7
        // says "50 years in the future" is taken as the past; fixed here at 1970-2069)
        const QByteArrayView rest = text.sliced(comma + 1);
        if (rest.size() != 23 || rest[0] != ' ' || rest[3] != '-' || rest[7] != '-' || rest[10] != ' '
            || rest.sliced(19) != " GMT")
            return -1;
        int year = digits(rest, 8, 2);
        if (year < 0)
            return -1;
        year += year < 70 ? 2000 : 1900;
        return combine(year, monthIndex(rest.sliced(4, 3)), digits(rest, 1, 2), timeOfDay(rest, 11));
    }
    if (comma < 0 && text.size() == 24) {
        // asctime: "Sun Nov  6 08:49:37 1994"
        if (text[3] != ' ' || text[7] != ' ' || text[10] != ' ' || text[19] != ' ')
            return -1;
        const int day = text[8] == ' ' ? digits(text, 9, 1) : digits(text, 8, 2);
        return combine(digits(text, 20, 4), monthIndex(text.sliced(4, 3)), day, timeOfDay(text, 11));
    }
    return -1;
}

QByteArrayView storeVerdictName(StoreVerdict verdict)
{
    switch (verdict) {
    case StoreVerdict::Stored: return "stored";
    case StoreVerdict::MethodNotCached: return "method";
    case StoreVerdict::StatusNotCached: return "status";
    case StoreVerdict::NoStore: return "no-store";
    case StoreVerdict::Private: return "private";
    case StoreVerdict::NoCache: return "no-cache";
    case StoreVerdict::Authorization: return "authorization";
    case StoreVerdict::VaryStar: return "vary-star";
    case StoreVerdict::SetCookie: return "set-cookie";
    case StoreVerdict::NoFreshness: return "no-freshness";
    case StoreVerdict::NoContentType: return "no-content-type";
    }
    return "unknown";
}

StoreVerdict storeVerdict(const StoreInputs &in)
{
    if (!in.getRequest)
        return StoreVerdict::MethodNotCached;
    const CacheControl &cc = in.response;
    const bool explicitFreshness = cc.sharedMaxAgeSeconds >= 0 || cc.maxAgeSeconds >= 0 || in.hasExpires;
    // Heuristically cacheable statuses (RFC 9110 §15.1) plus temporary redirects with explicit
    // freshness. 204 and 206 are not stored: they carry no body this cache keeps.
    switch (in.status) {
    case 200: case 203: case 300: case 301: case 308: case 404: case 405: case 410: case 414: case 501:
        break;
    case 302: case 307:
        if (!explicitFreshness)
            return StoreVerdict::StatusNotCached;
        break;
    default:
        return StoreVerdict::StatusNotCached;
    }
    if (in.request.noStore || cc.noStore)
        return StoreVerdict::NoStore;
    if (cc.isPrivate)
        return StoreVerdict::Private;
    if (cc.noCache && !in.hasValidator)
        return StoreVerdict::NoCache;
    // §3.5: a shared cache reuses an answer to an authorized request only when it says so.
    if (in.requestHasAuthorization && !cc.isPublic && !cc.mustRevalidate && cc.sharedMaxAgeSeconds < 0)
        return StoreVerdict::Authorization;
    if (in.varyStar)
        return StoreVerdict::VaryStar;
    if (in.setCookie)
        return StoreVerdict::SetCookie;
    if (!explicitFreshness && in.defaultTtlSeconds <= 0 && !in.hasValidator)
        return StoreVerdict::NoFreshness;
    if (in.hasBody && !in.hasContentType)
        return StoreVerdict::NoContentType;
    return StoreVerdict::Stored;
}

qint64 freshnessLifetime(const CacheControl &response, const ResponseTimes &times, qint64 expires,
                         qint64 defaultTtlSeconds)
{
    if (response.sharedMaxAgeSeconds >= 0)
        return response.sharedMaxAgeSeconds;
    if (response.maxAgeSeconds >= 0)
        return response.maxAgeSeconds;
    if (expires == -2)
        return 0;   // an invalid Expires is a time in the past (§5.3)
    if (expires >= 0) {
        const qint64 date = times.dateValue >= 0 ? times.dateValue : times.responseTime;
        return expires > date ? expires - date : 0;
    }
    return qMax<qint64>(0, defaultTtlSeconds);
}

qint64 initialAge(const ResponseTimes &times)
{
    const qint64 date = times.dateValue >= 0 ? times.dateValue : times.responseTime;
    const qint64 apparentAge = qMax<qint64>(0, times.responseTime - date);
    const qint64 responseDelay = qMax<qint64>(0, times.responseTime - times.requestTime);
    const qint64 correctedAgeValue = times.ageValue + responseDelay;
    return qMax(apparentAge, correctedAgeValue);
}

namespace {

// The next entity-tag of a list at `at` (after OWS and commas): [W/]"etagc*". Its opaque part
// (quotes included) in `opaque`; false at the end or when malformed.
bool nextEntityTag(QByteArrayView list, qsizetype &at, QByteArrayView &opaque)
{
    while (at < list.size() && (list[at] == ' ' || list[at] == '\t' || list[at] == ','))
        ++at;
    if (at >= list.size())
        return false;
    if (list.sliced(at).startsWith("W/"))
        at += 2;
    if (at >= list.size() || list[at] != '"')
        return false;
    const qsizetype close = list.indexOf('"', at + 1);
    if (close < 0)
        return false;
    opaque = list.sliced(at, close + 1 - at);
    at = close + 1;
    return true;
}

QByteArrayView opaqueTag(QByteArrayView etag)
{
    etag = httpTrimOws(etag);
    return etag.startsWith("W/") ? etag.sliced(2) : etag;
}

} // namespace

bool ifNoneMatchMatches(QByteArrayView ifNoneMatch, QByteArrayView etag)
{
    ifNoneMatch = httpTrimOws(ifNoneMatch);
    if (ifNoneMatch == "*")
        return !etag.isNull();
    const QByteArrayView stored = opaqueTag(etag);
    if (stored.size() < 2 || stored.front() != '"' || stored.back() != '"')
        return false;
    qsizetype at = 0;
    QByteArrayView candidate;
    while (nextEntityTag(ifNoneMatch, at, candidate)) {
        if (candidate == stored)
            return true;
    }
    return false;
}

bool notModifiedSince(QByteArrayView ifModifiedSince, QByteArrayView lastModified)
{
    const qint64 since = parseHttpDate(ifModifiedSince);
    const qint64 modified = parseHttpDate(lastModified);
    return since >= 0 && modified >= 0 && modified <= since;
}

bool notModifiedSelects(QByteArrayView newEtag, QByteArrayView newLastModified, QByteArrayView storedEtag,
                        QByteArrayView storedLastModified)
{
    if (!newEtag.isNull())
        return !storedEtag.isNull() && opaqueTag(newEtag) == opaqueTag(storedEtag);
    if (!newLastModified.isNull())
        return !storedLastModified.isNull() && parseHttpDate(newLastModified) >= 0
               && parseHttpDate(newLastModified) == parseHttpDate(storedLastModified);
    return true;
}

bool mayServe(qint64 lifetimeSeconds, qint64 ageSeconds, const CacheControl &request, bool pragmaNoCache)
{
    if (request.noCache || request.noStore || pragmaNoCache)
        return false;
    if (ageSeconds >= lifetimeSeconds)
        return false;   // stale: this cache never serves stale responses
    if (request.maxAgeSeconds >= 0 && ageSeconds > request.maxAgeSeconds)
        return false;
    if (request.minFreshSeconds >= 0 && lifetimeSeconds - ageSeconds < request.minFreshSeconds)
        return false;
    return true;
}

} // namespace Gatehouse
