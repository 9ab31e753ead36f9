// The in-process rate-limit store: GCRA states of every key, shared by all worker threads and
// exact under concurrency (a limit of 100 admits exactly 100, however the workers interleave).
#pragma once

#include "gcra.h"

#include <QByteArray>
#include <QHash>

#include <atomic>
#include <memory>
#include <mutex>
#include <span>

namespace Gatehouse {

// A counter's name with its hash computed once: the route's own levels hash nothing per request.
struct RateLimitKey
{
    QByteArray bytes;          // level, identity and tier (the tier's numbers are part of it)
    size_t hash = 0;

    RateLimitKey() = default;
    RateLimitKey(QByteArray key) : bytes(std::move(key)), hash(qHash(bytes)) {}
    bool operator==(const RateLimitKey &other) const { return hash == other.hash && bytes == other.bytes; }
};
inline size_t qHash(const RateLimitKey &key, size_t seed = 0) noexcept { return key.hash ^ seed; }

// One level of one request: which counter, under which limit.
struct RateLimitCheck
{
    RateLimitKey key;
    GcraLimit limit;
    bool enforce = true;       // false: count and report, never reject (stopOnQuotaReach: false)
};

// Decides for all the checks of a request at once: admitted only when every enforced check
// admits, and then every check consumes; rejected, nothing is consumed. Returns the index of the
// first enforced check that rejected, or -1.
int decideAll(std::span<const RateLimitCheck> checks, std::span<const qint64> tats, qint64 now,
              std::span<GcraResult> results);

// Keys are spread over shards by hash, each with a small mutex held for a hash lookup and a few
// arithmetic operations. Memory is bounded: idle keys (back at full capacity) are swept as a shard
// grows, and a full shard forgets the key closest to being idle. Thread-safe.
class LocalRateLimitStore
{
public:
    explicit LocalRateLimitStore(RateLimitClock clock = monotonicRateLimitClock(),
                                 qsizetype maxKeys = kDefaultMaxKeys);
    ~LocalRateLimitStore();

    // See decideAll(); the shards of all keys are locked together (in shard order), so the
    // decision is atomic across levels and threads.
    int acquire(std::span<const RateLimitCheck> checks, std::span<GcraResult> results);

    qint64 now() const { return m_clock(); }
    qsizetype keyCount() const;
    qint64 evictions() const { return m_evictions.load(std::memory_order_relaxed); }

    static constexpr int kShardCount = 64;
    static constexpr qsizetype kDefaultMaxKeys = 1 << 20;
    static constexpr int kMaxChecks = 8;

private:
    struct Shard;
    int acquireOne(const RateLimitCheck &check, GcraResult &result);
    void insert(Shard &shard, const RateLimitKey &key, qint64 tat, qint64 now);

    RateLimitClock m_clock;
    qsizetype m_maxKeysPerShard;
    std::unique_ptr<Shard[]> m_shards;
    std::atomic<qint64> m_evictions{0};
};

} // namespace Gatehouse
