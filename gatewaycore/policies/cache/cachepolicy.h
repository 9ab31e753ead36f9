// The response-cache policy: answers GET/HEAD requests from a per-worker store of upstream
// responses, following RFC 9111 for a shared cache (cachefreshness.h): revalidates stale entries
// with the upstream (If-None-Match / If-Modified-Since, 304), invalidates the entries of a URI an
// unsafe request changed (cacheinvalidation.h), and tells the client how through Cache-Status
// (RFC 9211).
#pragma once

#include "responsestore.h"

#include "pipeline/filter.h"

#include <memory>
#include <vector>

namespace Gatehouse {

struct PolicyDescriptor;
class CacheInvalidationLog;
class ConnectionOptions;

PolicyDescriptor responseCachePolicy();

struct ResponseCacheOptions
{
    qint64 defaultTtlSeconds = 0;      // freshness when the upstream gives none; 0: not stored
    qint64 maxEntryBytes = 1 << 20;    // the largest body stored
    qint64 maxTotalBytes = 64 << 20;   // all workers' stores together (each gets its share)
    bool get = true;                   // methods answered from the store
    bool head = true;
    bool shared = false;               // authenticated callers share entries
};

// Built once per route and config; onRequest() is thread-safe through per-worker stores.
class ResponseCacheFilter final : public Filter
{
public:
    using Clock = qint64 (*)();   // wall clock, seconds since the epoch

    // `invalidations`: the log shared by the config's cache filters (null: this filter neither
    // records nor applies invalidations).
    ResponseCacheFilter(ResponseCacheOptions options, int workerCount, Clock clock = nullptr,
                        std::shared_ptr<CacheInvalidationLog> invalidations = nullptr);
    ~ResponseCacheFilter() override;

    Phase phase() const override { return Phase::Interceptor; }
    QLatin1StringView name() const override { return QLatin1StringView("response-cache"); }
    FilterStatus onRequest(RequestContext &ctx) const override;
    void onResponseHead(RequestContext &ctx, int status) const override;
    qint64 responseBodyLimit() const override { return m_options.maxEntryBytes; }
    bool responseBodyOptional() const override { return true; }
    bool readsNotModified() const override { return true; }
    FilterStatus onResponseBody(RequestContext &ctx, int status, QByteArray &body) const override;

    // The worker's store (created on first use); for tests and the benchmark's figures.
    const ResponseStore *storeOf(int workerIndex) const;

private:
    bool handles(const RequestContext &ctx) const;
    QByteArray primaryKey(const RequestContext &ctx) const;
    // The worker's store with the invalidations recorded since its last use applied.
    ResponseStore &store(int workerIndex) const;
    void invalidate(const RequestContext &ctx) const;
    FilterStatus answerRevalidated(RequestContext &ctx) const;
    CachedResponse refreshed(const RequestContext &ctx, const CachedResponse &stored, const Http1FieldList &fields,
                             qint64 now, bool *storable) const;
    void freshenFromHead(RequestContext &ctx) const;
    // Whether a stored response keeps the upstream's field `name` (not framing, hop-by-hop, or
    // written per answer).
    static bool storesField(QByteArrayView name, const ConnectionOptions &connection);

    ResponseCacheOptions m_options;
    qint64 m_workerBytes;
    Clock m_clock;
    std::shared_ptr<CacheInvalidationLog> m_invalidations;
    // index = worker; each touched by its worker thread only
    mutable std::vector<std::unique_ptr<ResponseStore>> m_stores;
};

} // namespace Gatehouse
