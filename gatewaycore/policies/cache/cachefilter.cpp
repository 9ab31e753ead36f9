// The response-cache filter: lookups, revalidation (§4.3), storing (§3) and invalidation (§4.4).
#include "cachefreshness.h"
#include "cacheinvalidation.h"
#include "cachepolicy.h"

#include "policies/headers/headerpolicies.h"
#include "proxy/forwarding.h"

#include <QDateTime>

namespace Gatehouse {

namespace {

qint64 cacheClock()
{
    return QDateTime::currentSecsSinceEpoch();
}

// Methods whose successful answer invalidates what is stored for the target (RFC 9110 §9.2.1).
bool isUnsafe(QByteArrayView method)
{
    return method != "GET" && method != "HEAD" && method != "OPTIONS" && method != "TRACE";
}

void appendCacheStatus(RequestContext &ctx, QByteArrayView upstreamValue, const QByteArray &ours)
{
    // RFC 9211 §2: caches append their member; the one closest to the client comes last.
    setResponseHeader(ctx, "Cache-Status",
                      upstreamValue.isEmpty() ? ours : upstreamValue.toByteArray() + ", " + ours);
}

// The client validates its own copy (If-None-Match, If-Modified-Since, If-Range ...): such a
// request is forwarded as it came, never with the cache's validators.
bool isConditional(const RequestContext &ctx)
{
    if (!ctx.headers)
        return false;
    for (const Http1Field &f : *ctx.headers) {
        if (f.name.size() > 3 && httpEqualsIgnoreCase(f.name.first(3), "if-"))
            return true;
    }
    return false;
}

// §4.3.2: the client's conditional GET/HEAD is answered 304 from a fresh entry it already has.
bool clientHasCurrentCopy(const RequestContext &ctx, const CachedResponse &entry)
{
    if (const QByteArrayView inm = ctx.header("if-none-match"); !inm.isNull())
        return ifNoneMatchMatches(inm, entry.etag);
    if (const QByteArrayView ims = ctx.header("if-modified-since"); !ims.isNull())
        return notModifiedSince(ims, entry.lastModified);
    return false;
}

// The fields a 304 carries (RFC 9110 §15.4.5), and Last-Modified.
bool describesNotModified(QByteArrayView name)
{
    for (const char *kept : {"cache-control", "content-location", "date", "etag", "expires", "vary", "last-modified"}) {
        if (httpEqualsIgnoreCase(name, kept))
            return true;
    }
    return false;
}

} // namespace

// Fields a stored response never keeps: framing and hop-by-hop ones, those the gateway writes
// per answer (Age, Content-Type is kept apart), per-request CORS answers and our own status.
bool ResponseCacheFilter::storesField(QByteArrayView name, const ConnectionOptions &connection)
{
    if (isHopByHop(name) || connection.names(name) || isViaField(name))
        return false;
    if (httpEqualsIgnoreCase(name, "age") || httpEqualsIgnoreCase(name, "content-type")
        || httpEqualsIgnoreCase(name, "server-timing") || httpEqualsIgnoreCase(name, "cache-status"))
        return false;
    return !(name.size() > 15 && httpEqualsIgnoreCase(name.first(15), "access-control-"));
}

ResponseCacheFilter::ResponseCacheFilter(ResponseCacheOptions options, int workerCount, Clock clock,
                                         std::shared_ptr<CacheInvalidationLog> invalidations)
    : m_options(options), m_workerBytes(options.maxTotalBytes / qMax(1, workerCount)),
      m_clock(clock ? clock : &cacheClock), m_invalidations(std::move(invalidations))
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
    if (!slot) {
        slot = std::make_unique<ResponseStore>(m_workerBytes);
        slot->invalidationPosition = m_invalidations ? m_invalidations->head() : 0;   // nothing stored before
    }
    if (m_invalidations) {
        ResponseStore &s = *slot;
        s.invalidationPosition = m_invalidations->drain(
            s.invalidationPosition, [&s](quint32 uriHash) { s.removeUri(uriHash); }, [&s] { s.clear(); });
    }
    return *slot;
}

bool ResponseCacheFilter::handles(const RequestContext &ctx) const
{
    return (m_options.get && ctx.method == "GET") || (m_options.head && ctx.method == "HEAD");
}

QByteArray ResponseCacheFilter::primaryKey(const RequestContext &ctx) const
{
    // The store belongs to one route: the target names the resource. An authenticated caller
    // gets entries of its own unless the settings share them. The URI comes first, up to a NUL
    // (invalidation finds entries by it).
    QByteArray key;
    key.reserve(ctx.path.size() + ctx.query.size() + 64);
    key.append(ctx.path);
    key.append(ctx.query);
    if (ctx.principal && !m_options.shared) {
        const Principal &p = *ctx.principal;
        key.append('\0');
        key.append(p.method.toUtf8());
        key.append('\0');
        key.append(p.issuer.toUtf8());
        key.append('\0');
        key.append(p.subject.toUtf8());
        key.append('\0');
        key.append(p.application.toUtf8());
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
            const bool notModified = clientHasCurrentCopy(ctx, *entry);
            answer.status = notModified ? 304 : entry->status;
            answer.message = QStringLiteral("Cached response");
            if (!notModified) {
                answer.contentType = entry->contentType;
                answer.body = entry->body;   // shared, not copied
            }
            for (const OwnedField &f : entry->fields) {
                // Policies that ran before the cache for this request decide their own fields.
                if (ctx.removesResponseField(f.name) || (notModified && !describesNotModified(f.name)))
                    continue;
                ctx.responseHeaders.append(f);
            }
            setResponseHeader(ctx, "Age", QByteArray::number(age));
            appendCacheStatus(ctx, {}, "gatehouse; hit; ttl=" + QByteArray::number(entry->lifetime - age));
            ctx.decide(Phase::Interceptor, QStringLiteral("response-cache"), true,
                       notModified ? QStringLiteral("answered 304 from the cache: the client's copy is current (age %1 s)").arg(age)
                                   : QStringLiteral("answered from the cache (age %1 s)").arg(age));
            return FilterStatus::Respond;
        }
        const bool stale = age >= entry->lifetime;
        forward = stale ? "gatehouse; fwd=stale" : "gatehouse; fwd=request";
        if (entry->hasValidator() && !isConditional(ctx)) {
            // §4.3.1: ask the upstream whether the stored response is still current; a 304
            // answers the client with it (answerRevalidated), a 200 replaces it. A HEAD asks
            // with a HEAD (§4.3: it may be answered from the stored GET response); its 200
            // freshens or outdates the entry (freshenFromHead) but stores no body.
            ctx.revalidatedResponse = std::make_shared<const CachedResponse>(*entry);
            if (!entry->etag.isNull())
                ctx.upstreamHeaders.append({"If-None-Match", entry->etag});
            if (!entry->lastModified.isNull())
                ctx.upstreamHeaders.append({"If-Modified-Since", entry->lastModified});
        } else if (stale && !entry->hasValidator()) {
            worker.remove(key, ctx.headers);
        }
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
    if (isUnsafe(ctx.method)) {
        if (status >= 200 && status < 400)   // §4.4: a non-error answer changed the resource
            invalidate(ctx);
        return;
    }
    if (!handles(ctx) || !ctx.upstreamResponseHeaders)
        return;
    if (status == 200 && ctx.method == "HEAD")
        freshenFromHead(ctx);
    const QByteArrayView upstream = ctx.upstreamResponseHeaders->value("cache-status");
    if (upstream.isNull())
        return;
    const QByteArray ours = currentResponseHeader(ctx, "cache-status");
    appendCacheStatus(ctx, upstream, ours);
}

void ResponseCacheFilter::invalidate(const RequestContext &ctx) const
{
    if (!m_invalidations)
        return;
    QByteArray uri;
    uri.reserve(ctx.path.size() + ctx.query.size());
    uri.append(ctx.path);
    uri.append(ctx.query);
    m_invalidations->publish(uri);
    if (!ctx.upstreamResponseHeaders)
        return;
    for (const char *name : {"location", "content-location"}) {
        const QByteArrayView value = ctx.upstreamResponseHeaders->value(name);
        if (value.isNull())
            continue;
        const QByteArray target = sameOriginTarget(value, ctx.path, ctx.header("host"));
        if (!target.isEmpty() && target != uri)
            m_invalidations->publish(target);
    }
}

FilterStatus ResponseCacheFilter::onResponseBody(RequestContext &ctx, int status, QByteArray &body) const
{
    if (status == 304)
        return answerRevalidated(ctx);
    if (ctx.method != "GET" || !m_options.get || !ctx.upstreamResponseHeaders)
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
    QByteArray etag;
    QByteArray lastModified;
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
        } else if (httpNameIs(f.name, "etag")) {
            etag = f.value.toByteArray();
        } else if (httpNameIs(f.name, "last-modified")) {
            lastModified = f.value.toByteArray();
        }
    }
    in.hasValidator = !etag.isNull() || !lastModified.isNull();
    const QByteArray key = primaryKey(ctx);
    StoreVerdict verdict = storeVerdict(in);
    const qint64 lifetime = in.response.noCache ? 0 : freshnessLifetime(in.response, times, expires, m_options.defaultTtlSeconds);
    const qint64 age = initialAge(times);
    QByteArray detail;
    if (verdict == StoreVerdict::Stored && lifetime <= age && !in.hasValidator)
        detail = "stale";   // already stale when it arrived, and it cannot be revalidated
    else if (verdict != StoreVerdict::Stored)
        detail = storeVerdictName(verdict).toByteArray();
    ResponseStore &worker = store(ctx.workerIndex);
    QByteArray current = currentResponseHeader(ctx, "cache-status");
    if (ctx.revalidatedResponse)
        current += "; fwd-status=" + QByteArray::number(status);   // the upstream's answer to our validators
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
    entry.etag = std::move(etag);
    entry.lastModified = std::move(lastModified);
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

} // namespace Gatehouse
