// RFC 9111 arithmetic for a shared cache, without I/O or clocks: Cache-Control directives, HTTP
// dates, whether a response may be stored, its freshness lifetime and its current age. Every time
// is given by the caller (seconds since the epoch), so tests drive it with any clock.
#pragma once

#include "http/http1head.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

namespace Gatehouse {

// The directives a shared cache acts on (RFC 9111 §5.2). Durations in seconds; -1: absent.
// A qualified `no-cache="X"` or `private="X"` counts as the unqualified directive (stricter).
struct CacheControl
{
    bool noStore = false;
    bool noCache = false;
    bool isPrivate = false;
    bool isPublic = false;
    bool mustRevalidate = false;    // must-revalidate or proxy-revalidate
    bool onlyIfCached = false;
    qint64 maxAgeSeconds = -1;
    qint64 sharedMaxAgeSeconds = -1;   // s-maxage
    qint64 minFreshSeconds = -1;

    // Adds the directives of one Cache-Control field value ("max-age=60, public").
    void parse(QByteArrayView value);
    // Every Cache-Control field of `fields`.
    static CacheControl from(const Http1FieldList &fields);
};

// delta-seconds (RFC 9111 §1.2.2): digits only; a value beyond 2^31 is 2^31. -1 when invalid.
qint64 parseDeltaSeconds(QByteArrayView text);
// An HTTP-date (IMF-fixdate, RFC 850 or asctime form; RFC 9110 §5.6.7) as seconds since the epoch,
// or -1 when it is not one.
qint64 parseHttpDate(QByteArrayView text);

// Why a response is not stored (or Stored). The Cache-Status detail names it.
enum class StoreVerdict {
    Stored = 1,
    MethodNotCached,       // only GET responses are stored
    StatusNotCached,       // a status this cache does not store
    NoStore,               // no-store in the request or the response
    Private,               // private: a shared cache must not store it
    NoCache,               // no-cache without a validator: it could never be revalidated
    Authorization,         // the request had Authorization and the response does not allow sharing
    VaryStar,              // Vary: *
    SetCookie,             // Set-Cookie: one caller's cookie is never handed to another
    NoFreshness,           // neither explicit freshness nor a default TTL nor a validator
    NoContentType,         // a body without Content-Type (the gateway's answers need one)
};
QByteArrayView storeVerdictName(StoreVerdict verdict);   // "no-store", "private" ...

// What the storability check needs from the exchange.
struct StoreInputs
{
    bool getRequest = false;             // the request's method is GET
    int status = 0;
    CacheControl request;
    CacheControl response;
    bool requestHasAuthorization = false;
    bool varyStar = false;
    bool setCookie = false;
    bool hasExpires = false;
    bool hasContentType = false;
    bool hasBody = false;
    bool hasValidator = false;           // ETag or Last-Modified: a stale copy can be revalidated
    qint64 defaultTtlSeconds = 0;        // 0: no heuristic freshness
};
// With a validator, answers that are no-cache, without freshness or stale on arrival are stored
// too: each use revalidates them (§4.3).
StoreVerdict storeVerdict(const StoreInputs &in);

// --- Validators (RFC 9110 §8.8, §13.1) ---

// Whether an If-None-Match value matches the entity-tag `etag` (weak comparison: "W/" ignored;
// "*" matches any). A malformed list matches nothing.
bool ifNoneMatchMatches(QByteArrayView ifNoneMatch, QByteArrayView etag);
// Whether If-Modified-Since says the client's copy is current: Last-Modified is a valid date
// no later than it. False when either is not a valid HTTP-date.
bool notModifiedSince(QByteArrayView ifModifiedSince, QByteArrayView lastModified);
// A 304 (its ETag and Last-Modified, null when absent) refreshes a stored response with these
// validators (§4.3.4): the same entity-tag (weak ones included); without one, the same
// Last-Modified; a 304 with neither refreshes it.
bool notModifiedSelects(QByteArrayView newEtag, QByteArrayView newLastModified, QByteArrayView storedEtag,
                        QByteArrayView storedLastModified);

// The times a stored response carries (seconds since the epoch; RFC 9111 §4.2.3).
struct ResponseTimes
{
    qint64 requestTime = 0;    // when the request was sent upstream
    qint64 responseTime = 0;   // when the response arrived
    qint64 dateValue = -1;     // its Date (-1: none; then responseTime counts)
    qint64 ageValue = 0;       // its Age (0 when absent or invalid)
};

// Freshness lifetime (§4.2.1, shared cache): s-maxage, else max-age, else Expires - Date (an
// invalid Expires means already expired), else `defaultTtlSeconds`. `expires` is -1 when
// absent, -2 when present but invalid.
qint64 freshnessLifetime(const CacheControl &response, const ResponseTimes &times, qint64 expires,
                         qint64 defaultTtlSeconds);
// corrected_initial_age (§4.2.3): the age the response had when it arrived.
qint64 initialAge(const ResponseTimes &times);
// current_age at `now`.
inline qint64 currentAge(qint64 initialAgeSeconds, qint64 responseTime, qint64 now)
{
    return initialAgeSeconds + (now > responseTime ? now - responseTime : 0);
}

// Whether a stored response of `lifetime` and `age` may answer a request with directives
// `request` without revalidation (§4.2, §5.2.1): fresh, and within the request's max-age and
// min-fresh; never with the request's no-cache (or Pragma: no-cache without Cache-Control).
bool mayServe(qint64 lifetimeSeconds, qint64 ageSeconds, const CacheControl &request, bool pragmaNoCache);

} // namespace Gatehouse
