// The response-cache policy: declaration and settings rules (the filter: cachefilter.cpp).
#include "cacheinvalidation.h"
#include "cachepolicy.h"

#include "pipeline/gatewayservices.h"
#include "policies/registry/policyregistry.h"

#include <QJsonArray>

namespace Gatehouse {

// ---------------------------------------------------------------- declaration

namespace {

void checkCache(const QJsonObject &settings, QStringList &problems)
{
    const qint64 entry = settings.value(u"maxEntryBytes").toInteger();
    const qint64 total = settings.value(u"maxTotalBytes").toInteger();
    if (entry > total)
        problems.append(QStringLiteral("settings.maxEntryBytes: %1 bytes exceed maxTotalBytes (%2): no entry could "
                                       "be stored; raise maxTotalBytes or lower maxEntryBytes")
                            .arg(entry)
                            .arg(total));
    if (settings.value(u"methods").toArray().isEmpty())
        problems.append(QStringLiteral("settings.methods: name GET, HEAD or both; an empty list caches nothing"));
}

std::shared_ptr<const Filter> buildCache(const PolicyBuildContext &ctx)
{
    ResponseCacheOptions options;
    options.defaultTtlSeconds = ctx.settings.value(u"defaultTtlSeconds").toInteger();
    options.maxEntryBytes = ctx.settings.value(u"maxEntryBytes").toInteger();
    options.maxTotalBytes = ctx.settings.value(u"maxTotalBytes").toInteger();
    options.shared = ctx.settings.value(u"shared").toBool();
    const QJsonArray methods = ctx.settings.value(u"methods").toArray();
    options.get = methods.contains(QStringLiteral("GET"));
    options.head = methods.contains(QStringLiteral("HEAD"));
    return std::make_shared<const ResponseCacheFilter>(options, ctx.services.workerCount(), nullptr,
                                                       CacheInvalidationLog::forConfiguration(ctx.services));
}

} // namespace

PolicyDescriptor responseCachePolicy()
{
    PolicyDescriptor d;
    d.name = QStringLiteral("response-cache");
    d.version = QStringLiteral("1.0");
    d.description = QStringLiteral(
        "Answers GET and HEAD requests from stored upstream responses while they are fresh, as a shared cache "
        "following RFC 9111 (Cache-Control, Expires, Date, Age, Vary), and says how in Cache-Status (RFC 9211).");
    d.priority = 600;
    d.requestPhase = true;
    d.responsePhase = true;
    d.settings = SettingSchema::object({
        {QStringLiteral("defaultTtlSeconds"),
         SettingSchema::integer(QStringLiteral("Freshness (seconds) of a response that states none (no max-age, "
                                               "s-maxage or Expires); 0: such responses are not stored"))
             .withRange(0, 31536000)
             .withDefault(0)},
        {QStringLiteral("maxEntryBytes"),
         SettingSchema::integer(QStringLiteral("The largest body (bytes) stored; larger responses stream through "
                                               "uncached"))
             .withRange(1, 67108864)
             .withDefault(1048576)},
        {QStringLiteral("maxTotalBytes"),
         SettingSchema::integer(QStringLiteral("Bytes all stored responses of this attachment may take on one route "
                                               "(shared out among the workers); the least recently used go first"))
             .withRange(1024, 17179869184.0)
             .withDefault(67108864)},
        {QStringLiteral("methods"),
         SettingSchema::array(SettingSchema::text(QStringLiteral("A method"))
                                  .withEnum({QStringLiteral("GET"), QStringLiteral("HEAD")}),
                              QStringLiteral("Methods answered from the store (responses are stored from GET)"))
             .withDefault(QJsonArray{QStringLiteral("GET"), QStringLiteral("HEAD")})},
        {QStringLiteral("shared"),
         SettingSchema::boolean(QStringLiteral("Let authenticated callers share entries; by default each caller "
                                               "(issuer, subject, application) has its own"))
             .withDefault(false)},
    });
    d.check = &checkCache;
    d.build = &buildCache;
    d.notes = QStringLiteral(
        "How it decides (RFC 9111 for a shared cache):\n\n"
        "- Stored: answers to GET with status 200, 203, 300, 301, 308, 404, 405, 410, 414 or 501 (302 and 307 "
        "with explicit freshness), a Content-Type, and freshness from `s-maxage`, `max-age`, `Expires` - `Date` "
        "or `defaultTtlSeconds`. An answer with a validator (`ETag` or `Last-Modified`) is stored also when it "
        "says `no-cache`, states no freshness or is stale on arrival: each use revalidates it. Never stored: "
        "`no-store` (request or response), `private`, `no-cache` or no freshness without a validator, "
        "`Vary: *`, `Set-Cookie`, bodies over `maxEntryBytes`, and answers to requests with `Authorization` "
        "unless the response says `public`, `s-maxage` or `must-revalidate`.\n"
        "- Key: the route, the path and query, the request's values of the fields the response's `Vary` "
        "names, and, for an authenticated caller, its issuer, subject and application (unless "
        "`shared: true`): one caller's answer never reaches another.\n"
        "- Served: while fresh (current age per §4.2.3 from `Date`, `Age` and the request and response "
        "times) and within the request's `max-age` and `min-fresh`; a request with `no-cache` (or "
        "`Pragma: no-cache`) or `no-store` goes to the upstream; `only-if-cached` with nothing stored is "
        "answered 504. A client's `If-None-Match` matching a fresh entry's `ETag` (or `If-Modified-Since` "
        "not before its `Last-Modified`) is answered 304 from the store. Stale content is never served "
        "without revalidation.\n"
        "- Revalidation (§4.3): a GET for a stale entry with a validator (or with the request's "
        "`no-cache`) goes upstream with `If-None-Match` / `If-Modified-Since`; a 304 refreshes the "
        "entry's fields and freshness from it and the client gets the stored response with "
        "`Cache-Status: gatehouse; fwd=stale; fwd-status=304`; a 200 replaces the entry "
        "(`fwd-status=200; stored`). A HEAD for such an entry goes upstream as a conditional HEAD: "
        "a 304 answers it from the stored GET response (without the body) and refreshes the entry; "
        "a 200 updates the entry's fields when its validators (and Content-Length) match the stored "
        "ones and drops the entry otherwise (§4.3.5); a HEAD's answer is never stored. "
        "A request carrying its own conditional fields (`If-*`) is forwarded "
        "as it came, and the upstream's 304 goes to it.\n"
        "- Invalidation (§4.4): a 2xx or 3xx answer to POST, PUT, PATCH, DELETE (any method but GET, "
        "HEAD, OPTIONS, TRACE) on a route with this policy drops the stored entries (every variant and "
        "caller) of its target URI and of its `Location` and `Content-Location` when they name the same "
        "host, on every route and worker of the configuration; each worker applies it on its next lookup. "
        "Attach the policy to the API (or to the unsafe operations too): an operation without it "
        "invalidates nothing.\n"
        "- Answers carry `Age` and `Cache-Status` (RFC 9211): `gatehouse; hit; ttl=N`, "
        "`gatehouse; fwd=uri-miss; stored`, `fwd=stale`, `fwd=request`, `fwd-status=`, or `detail=` the "
        "reason a response was not stored (`no-store`, `private`, `authorization`, `vary-star`, "
        "`set-cookie`, `no-freshness`, `no-cache`, `status`, `stale`, `too-large` ...).\n"
        "- A hit is the response as the client got it when stored, the response policies' header edits "
        "included (CORS fields excepted: they are made per request); request policies listed before "
        "`response-cache` still run on a hit, those after it and the upstream do not.\n"
        "- Store: each worker thread keeps its own (no locks on the request path), of "
        "`maxTotalBytes / workers` bytes, counting bodies, fields and a fixed overhead per entry; a "
        "response is stored by the worker that fetched it, so with N workers a resource may be fetched "
        "up to N times. Stale entries with a validator stay until evicted (least recently used first) or "
        "invalidated. Stores are emptied when the configuration is applied again. Responses larger "
        "than `maxEntryBytes` stream to the client uncached.\n"
        "- Not implemented: serving stale content (`stale-while-revalidate`, `stale-if-error`), "
        "revalidating on HEAD requests, caching HEAD-only answers, 204 and 206.");
    return d;
}

} // namespace Gatehouse
