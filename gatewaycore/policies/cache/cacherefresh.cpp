// The response cache's revalidation: the upstream's 304 to the cache's own conditional request
// answers the client from the store (RFC 9111 §4.3.3, §4.3.4), and a HEAD's 200 freshens or
// outdates a stored GET response (§4.3.5).
#include "cachefreshness.h"
#include "cachepolicy.h"

#include "policies/headers/headerpolicies.h"
#include "proxy/forwarding.h"

namespace Gatehouse {

namespace {

QByteArray fieldValue(const QList<OwnedField> &fields, QByteArrayView name)
{
    for (const OwnedField &f : fields) {
        if (httpEqualsIgnoreCase(f.name, name))
            return f.value;
    }
    return {};
}

bool namesField(const QList<OwnedField> &fields, QByteArrayView name)
{
    for (const OwnedField &f : fields) {
        if (httpEqualsIgnoreCase(f.name, name))
            return true;
    }
    return false;
}

} // namespace

// §3.2 and §4.3.4: `stored` with the fields of the upstream's 304 (or of a HEAD's 200, §4.3.5)
// replacing the stored ones of the same names, the response policies' edits made on it replacing
// both, and its freshness computed anew. *storable is false when the new fields forbid storing.
CachedResponse ResponseCacheFilter::refreshed(const RequestContext &ctx, const CachedResponse &stored,
                                              const Http1FieldList &fields, qint64 now, bool *storable) const
{
    const ConnectionOptions connection(fields);
    CachedResponse fresh = stored;
    QList<OwnedField> updated;
    updated.reserve(stored.fields.size() + fields.size());
    for (const OwnedField &f : stored.fields) {
        if (!fields.contains(f.name) && !namesField(ctx.responseHeaders, f.name))
            updated.append(f);
    }
    for (const Http1Field &f : fields) {
        if (storesField(f.name, connection) && !ctx.removesResponseField(f.name) && !namesField(ctx.responseHeaders, f.name))
            updated.append({f.name.toByteArray(), f.value.toByteArray()});
    }
    for (const OwnedField &f : std::as_const(ctx.responseHeaders)) {
        if (storesField(f.name, connection))
            updated.append(f);
    }
    fresh.fields = std::move(updated);
    CacheControl cc;
    qint64 expires = -1;
    ResponseTimes times;
    times.requestTime = ctx.nowSeconds > 0 ? ctx.nowSeconds : now;
    times.responseTime = now;
    times.ageValue = qMax<qint64>(0, parseDeltaSeconds(fields.value("age")));
    for (const OwnedField &f : std::as_const(fresh.fields)) {
        if (httpNameIs(f.name, "cache-control")) {
            cc.parse(f.value);
        } else if (httpNameIs(f.name, "expires")) {
            const qint64 at = parseHttpDate(f.value);
            expires = at < 0 ? -2 : at;
        } else if (httpNameIs(f.name, "date")) {
            times.dateValue = parseHttpDate(f.value);
        }
    }
    fresh.etag = fieldValue(fresh.fields, "etag");
    fresh.lastModified = fieldValue(fresh.fields, "last-modified");
    fresh.responseTime = now;
    fresh.initialAge = initialAge(times);
    fresh.lifetime = cc.noCache ? 0 : freshnessLifetime(cc, times, expires, m_options.defaultTtlSeconds);
    *storable = !cc.noStore && !cc.isPrivate;
    return fresh;
}

// §4.3.5: a HEAD's 200 updates the stored GET response when every validator it carries (and its
// Content-Length, when it has one) matches the stored one; otherwise the stored response is out
// of date and goes. The HEAD itself is never stored: it has no body.
void ResponseCacheFilter::freshenFromHead(RequestContext &ctx) const
{
    ResponseStore &worker = store(ctx.workerIndex);
    const QByteArray key = primaryKey(ctx);
    const CachedResponse *entry = worker.find(key, ctx.headers);
    if (!entry)
        return;
    const Http1FieldList &fields = *ctx.upstreamResponseHeaders;
    const QByteArrayView etag = fields.value("etag");
    const QByteArrayView lastModified = fields.value("last-modified");
    const QByteArrayView length = fields.value("content-length");
    const bool matches = (!etag.isNull() || !lastModified.isNull())
                         && (etag.isNull() || etag == QByteArrayView(entry->etag))
                         && (lastModified.isNull() || lastModified == QByteArrayView(entry->lastModified))
                         && (length.isNull() || length == QByteArray::number(entry->body.size()));
    bool storable = false;
    const CachedResponse fresh = matches ? refreshed(ctx, *entry, fields, m_clock(), &storable) : CachedResponse();
    if (storable)
        worker.insert(key, ctx.headers, fresh);
    else
        worker.remove(key, ctx.headers);
}

// The upstream's 304 to the cache's own conditional request: the client gets the stored
// response, its fields and freshness refreshed from the 304 (§4.3.3, §4.3.4).
FilterStatus ResponseCacheFilter::answerRevalidated(RequestContext &ctx) const
{
    const std::shared_ptr<const CachedResponse> stored = ctx.revalidatedResponse;
    if (!stored || !ctx.upstreamResponseHeaders)
        return FilterStatus::Continue;   // the client's own conditional request: its 304 goes through
    const Http1FieldList &fields = *ctx.upstreamResponseHeaders;
    const ConnectionOptions connection(fields);
    const qint64 now = m_clock();
    const bool selected = notModifiedSelects(fields.value("etag"), fields.value("last-modified"), stored->etag,
                                             stored->lastModified);
    CachedResponse fresh = *stored;
    if (selected) {
        bool storable = false;
        fresh = refreshed(ctx, *stored, fields, now, &storable);
        ResponseStore &worker = store(ctx.workerIndex);
        if (!storable)
            worker.remove(primaryKey(ctx), ctx.headers);
        else
            worker.insert(primaryKey(ctx), ctx.headers, fresh);
    } else {
        // The 304 names another representation than the one stored: answer with what was asked
        // about, but fetch the resource whole next time.
        store(ctx.workerIndex).remove(primaryKey(ctx), ctx.headers);
    }

    const QByteArray cacheStatus = currentResponseHeader(ctx, "cache-status") + "; fwd-status=304";
    QList<OwnedField> answerFields;
    answerFields.reserve(fresh.fields.size() + ctx.responseHeaders.size());
    for (const OwnedField &f : std::as_const(fresh.fields)) {
        if (!ctx.removesResponseField(f.name))
            answerFields.append(f);
    }
    for (const OwnedField &f : std::as_const(ctx.responseHeaders)) {
        if (!storesField(f.name, connection))   // CORS answers and the like, made per request
            answerFields.append(f);
    }
    ctx.responseHeaders = std::move(answerFields);
    ctx.error = {};
    ctx.error.status = fresh.status;
    ctx.error.message = QStringLiteral("Cached response");
    ctx.error.contentType = fresh.contentType;
    ctx.error.body = fresh.body;
    const qint64 age = currentAge(fresh.initialAge, fresh.responseTime, now);
    setResponseHeader(ctx, "Age", QByteArray::number(age));
    setResponseHeader(ctx, "Cache-Status", cacheStatus);
    ctx.decide(Phase::Interceptor, QStringLiteral("response-cache"), true,
               QStringLiteral("revalidated with the upstream (304): answered from the cache"));
    return FilterStatus::Respond;
}

} // namespace Gatehouse
