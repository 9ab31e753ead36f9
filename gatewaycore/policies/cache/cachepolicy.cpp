// The response-cache policy: declaration, settings rules and the filter.
#include "cachepolicy.h"

#include "cachefreshness.h"

#include "pipeline/gatewayservices.h"
#include "policies/headers/headerpolicies.h"
#include "policies/registry/policyregistry.h"
#include "proxy/forwarding.h"

#include <QDateTime>
#include <QJsonArray>

namespace Gatehouse {

namespace {

qint64 systemClock()
{
    return QDateTime::currentSecsSinceEpoch();
}

bool isGet(QByteArrayView method)
{
    return method == "GET";
}

// Fields a stored response never keeps: framing and hop-by-hop ones, those the gateway writes
// per answer (Age, Content-Type is kept apart), per-request CORS answers and our own status.
bool storesField(QByteArrayView name, const ConnectionOptions &connection)
{
    if (isHopByHop(name) || connection.names(name) || isViaField(name))
        return false;
    if (httpEqualsIgnoreCase(name, "age") || httpEqualsIgnoreCase(name, "content-type")
        || httpEqualsIgnoreCase(name, "server-timing") || httpEqualsIgnoreCase(name, "cache-status"))
        return false;
    return !(name.size() > 15 && httpEqualsIgnoreCase(name.first(15), "access-control-"));
}

void appendCacheStatus(RequestContext &ctx, QByteArrayView upstreamValue, const QByteArray &ours)
{
    // RFC 9211 §2: caches append their member; the one closest to the client comes last.
    setResponseHeader(ctx, "Cache-Status",
                      upstreamValue.isEmpty() ? ours : upstreamValue.toByteArray() + ", " + ours);
}

} // namespace

ResponseCacheFilter::ResponseCacheFilter(ResponseCacheOptions options, int workerCount, Clock clock)
    : m_options(options), m_workerBytes(options.maxTotalBytes / qMax(1, workerCount)),
      m_clock(clock ? clock : &systemClock)
{
    m_stores.resize(size_t(qMax(1, workerCount)));
}

ResponseCacheFilter::~ResponseCacheFilter() = default;

const ResponseStore *ResponseCacheFilter::storeOf(int workerIndex) const
{
    return workerIndex >= 0 && size_t(workerIndex) < m_stores.size() ? m_stores[size_t(workerIndex)].get() : nullptr;
}

ResponseStore &ResponseCacheFilter::store(int workerIndex) const
{
    std::unique_ptr<ResponseStore> &slot = m_stores[size_t(workerIndex) % m_stores.size()];
    if (!slot)
        slot = std::make_unique<ResponseStore>(m_workerBytes);
    return *slot;
}

bool ResponseCacheFilter::handles(const RequestContext &ctx) const
{
    return (m_options.get && ctx.method == "GET") || (m_options.head && ctx.method == "HEAD");
}

QByteArray ResponseCacheFilter::primaryKey(const RequestContext &ctx) const
{
    // The store belongs to one route: the target names the resource. An authenticated caller
    // gets entries of its own unless the settings share them.
    QByteArray key;
    key.reserve(ctx.path.size() + ctx.query.size() + 64);
    key.append(ctx.path);
    key.append(ctx.query);
    if (ctx.principal.authenticated && !m_options.shared) {
        key.append('\0');
        key.append(ctx.principal.method.toUtf8());
        key.append('\0');
        key.append(ctx.principal.issuer.toUtf8());
        key.append('\0');
        key.append(ctx.principal.subject.toUtf8());
        key.append('\0');
        key.append(ctx.principal.application.toUtf8());
    }
    return key;
}

FilterStatus ResponseCacheFilter::onRequest(RequestContext &ctx) const
{
    if (!handles(ctx))
        return FilterStatus::Continue;
    const CacheControl request = ctx.headers ? CacheControl::from(*ctx.headers) : CacheControl();
    const bool pragmaNoCache = !ctx.headers || ctx.headers->contains("cache-control")
                                   ? false
                                   : httpListContainsToken(ctx.header("pragma"), "no-cache");
    ResponseStore &worker = store(ctx.workerIndex);
    const QByteArray key = primaryKey(ctx);
    const CachedResponse *entry = worker.find(key, ctx.headers);
    QByteArray forward = "gatehouse; fwd=uri-miss";
    if (entry) {
        const qint64 now = m_clock();
        const qint64 age = currentAge(entry->initialAge, entry->responseTime, now);
        if (mayServe(entry->lifetime, age, request, pragmaNoCache)) {
            GatewayError &answer = ctx.error;
            answer = {};
            answer.status = entry->status;
            answer.message = QStringLiteral("Cached response");
            answer.contentType = entry->contentType;
            answer.body = entry->body;   // shared, not copied
            for (const OwnedField &f : entry->fields) {
                // Policies that ran before the cache for this request decide their own fields.
                if (ctx.removesResponseField(f.name))
                    continue;
                ctx.responseHeaders.append(f);
            }
            setResponseHeader(ctx, "Age", QByteArray::number(age));
            appendCacheStatus(ctx, {}, "gatehouse; hit; ttl=" + QByteArray::number(entry->lifetime - age));
            ctx.decide(Phase::Interceptor, QStringLiteral("response-cache"), true,
                       QStringLiteral("answered from the cache (age %1 s)").arg(age));
            return FilterStatus::Respond;
        }
        const bool stale = age >= entry->lifetime;
        forward = stale ? "gatehouse; fwd=stale" : "gatehouse; fwd=request";
        if (stale)
            worker.remove(key, ctx.headers);
    } else if (request.onlyIfCached) {
        // §5.2.1.7: nothing stored answers it, and the request forbids asking the upstream.
        ctx.respond(504, GatewayErrorCode::UpstreamTimeout, QStringLiteral("Gateway timeout"),
                    QStringLiteral("The request asks for a cached response only (only-if-cached) and none is stored"));
        setResponseHeader(ctx, "Cache-Status", "gatehouse; fwd=miss; detail=only-if-cached");
        return FilterStatus::Respond;
    }
    if (request.noCache || pragmaNoCache)
        forward = "gatehouse; fwd=request";
    setResponseHeader(ctx, "Cache-Status", forward);
    return FilterStatus::Continue;
}

void ResponseCacheFilter::onResponseHead(RequestContext &ctx, int status) const
{
    (void)status;
    if (!handles(ctx) || !ctx.upstreamResponseHeaders)
        return;
    const QByteArrayView upstream = ctx.upstreamResponseHeaders->value("cache-status");
    if (upstream.isNull())
        return;
    const QByteArray ours = currentResponseHeader(ctx, "cache-status");
    appendCacheStatus(ctx, upstream, ours);
}

FilterStatus ResponseCacheFilter::onResponseBody(RequestContext &ctx, int status, QByteArray &body) const
{
    if (!isGet(ctx.method) || !m_options.get || !ctx.upstreamResponseHeaders)
        return FilterStatus::Continue;
    const Http1FieldList &fields = *ctx.upstreamResponseHeaders;
    const qint64 now = m_clock();

    StoreInputs in;
    in.getRequest = true;
    in.status = status;
    in.request = ctx.headers ? CacheControl::from(*ctx.headers) : CacheControl();
    in.response = CacheControl::from(fields);
    in.requestHasAuthorization = !ctx.header("authorization").isNull();
    in.defaultTtlSeconds = m_options.defaultTtlSeconds;
    in.hasBody = true;
    QList<QByteArray> varyNames;
    qint64 expires = -1;
    ResponseTimes times;
    times.requestTime = ctx.nowSeconds > 0 ? ctx.nowSeconds : now;
    times.responseTime = now;
    for (const Http1Field &f : fields) {
        if (httpNameIs(f.name, "vary")) {
            for (QByteArrayView item : QByteArrayView(f.value).toByteArray().split(',')) {
                const QByteArray name = item.toByteArray().trimmed().toLower();
                if (name == "*")
                    in.varyStar = true;
                else if (!name.isEmpty() && !varyNames.contains(name))
                    varyNames.append(name);
            }
        } else if (httpNameIs(f.name, "set-cookie")) {
            in.setCookie = true;
        } else if (httpNameIs(f.name, "expires")) {
            in.hasExpires = true;
            const qint64 at = parseHttpDate(f.value);
            expires = at < 0 ? -2 : at;
        } else if (httpNameIs(f.name, "content-type")) {
            in.hasContentType = !f.value.isEmpty();
        } else if (httpNameIs(f.name, "date")) {
            times.dateValue = parseHttpDate(f.value);
        } else if (httpNameIs(f.name, "age")) {
            times.ageValue = qMax<qint64>(0, parseDeltaSeconds(f.value));
        }
    }
    const QByteArray key = primaryKey(ctx);
    StoreVerdict verdict = storeVerdict(in);
    const qint64 lifetime = freshnessLifetime(in.response, times, expires, m_options.defaultTtlSeconds);
    const qint64 age = initialAge(times);
    QByteArray detail;
    if (verdict == StoreVerdict::Stored && lifetime <= age)
        detail = "stale";   // already stale when it arrived: nothing to gain from keeping it
    else if (verdict != StoreVerdict::Stored)
        detail = storeVerdictName(verdict).toByteArray();
    ResponseStore &worker = store(ctx.workerIndex);
    const QByteArray current = currentResponseHeader(ctx, "cache-status");
    if (!detail.isEmpty()) {
        worker.remove(key, ctx.headers);   // a newer answer says the old one must not be used
        setResponseHeader(ctx, "Cache-Status", current + "; detail=" + detail);
        return FilterStatus::Continue;
    }

    CachedResponse entry;
    entry.status = status;
    entry.contentType = fields.value("content-type").toByteArray();
    entry.body = body;
    entry.varyNames = std::move(varyNames);
    entry.responseTime = now;
    entry.initialAge = age;
    entry.lifetime = lifetime;
    // The response as the client gets it: the upstream's end-to-end fields with the edits of the
    // response policies applied (a field they removed or replaced is gone; what they set is kept).
    const ConnectionOptions connection(fields);
    for (const Http1Field &f : fields) {
        if (storesField(f.name, connection) && !ctx.removesResponseField(f.name))
            entry.fields.append({f.name.toByteArray(), f.value.toByteArray()});
    }
    for (const OwnedField &f : std::as_const(ctx.responseHeaders)) {
        if (storesField(f.name, connection))
            entry.fields.append(f);
    }
    const bool stored = worker.insert(key, ctx.headers, std::move(entry));
    setResponseHeader(ctx, "Cache-Status", current + (stored ? QByteArray("; stored") : QByteArray("; detail=too-large")));
    return FilterStatus::Continue;
}

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
    return std::make_shared<const ResponseCacheFilter>(options, ctx.services.workerCount());
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
        "or `defaultTtlSeconds`. Never stored: `no-store` (request or response), `private`, `no-cache` "
        "(revalidation is not implemented, so such answers are always fetched), `Vary: *`, `Set-Cookie`, "
        "answers already stale on arrival, bodies over `maxEntryBytes`, and answers to requests with "
        "`Authorization` unless the response says `public`, `s-maxage` or `must-revalidate`.\n"
        "- Key: the route, the path and query, the request's values of the fields the response's `Vary` "
        "names, and, for an authenticated caller, its issuer, subject and application (unless "
        "`shared: true`): one caller's answer never reaches another.\n"
        "- Served: while fresh (current age per §4.2.3 from `Date`, `Age` and the request and response "
        "times) and within the request's `max-age` and `min-fresh`; a request with `no-cache` (or "
        "`Pragma: no-cache`) or `no-store` goes to the upstream; `only-if-cached` with nothing stored is "
        "answered 504. Stale entries are never served.\n"
        "- Answers carry `Age` and `Cache-Status` (RFC 9211): `gatehouse; hit; ttl=N`, "
        "`gatehouse; fwd=uri-miss; stored`, `fwd=stale`, `fwd=request`, or `detail=` the reason a response "
        "was not stored (`no-store`, `private`, `authorization`, `vary-star`, `set-cookie`, `no-freshness`, "
        "`status`, `stale`, `too-large` ...).\n"
        "- A hit is the response as the client got it when stored, the response policies' header edits "
        "included (CORS fields excepted: they are made per request); request policies listed before "
        "`response-cache` still run on a hit, those after it and the upstream do not.\n"
        "- Store: each worker thread keeps its own (no locks on the request path), of "
        "`maxTotalBytes / workers` bytes, counting bodies, fields and a fixed overhead per entry; a "
        "response is stored by the worker that fetched it, so with N workers a resource may be fetched "
        "up to N times. Stores are emptied when the configuration is applied again. Responses larger "
        "than `maxEntryBytes` stream to the client uncached.\n"
        "- Not implemented: revalidation (`If-None-Match` / `If-Modified-Since` and 304), invalidation by "
        "unsafe methods, serving stale content, caching HEAD-only answers, 204 and 206.");
    return d;
}

} // namespace Gatehouse
