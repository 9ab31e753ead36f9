// The in-process rate-limit store: GCRA states sharded by key hash, one small mutex per shard.
#include "localratelimitstore.h"

#include <QVarLengthArray>

#include <algorithm>
#include <array>

namespace Gatehouse {

static_assert(LocalRateLimitStore::kShardCount == 64, "acquire() picks a shard with the top 6 bits of a hash");

struct alignas(64) LocalRateLimitStore::Shard
{
    std::mutex mutex;
    QHash<RateLimitKey, qint64> tats;
    qsizetype sweepAt = 64;   // sweep idle keys when the shard reaches this size
};

int decideAll(std::span<const RateLimitCheck> checks, std::span<const qint64> tats, qint64 now,
              std::span<GcraResult> results)
{
    int rejected = -1;
    for (size_t i = 0; i < checks.size(); ++i) {
        results[i] = gcraDecide(checks[i].limit, tats[i], now);
        if (!results[i].admitted && checks[i].enforce && rejected < 0)
            rejected = int(i);
    }
    return rejected;
}

LocalRateLimitStore::LocalRateLimitStore(RateLimitClock clock, qsizetype maxKeys)
    : m_clock(std::move(clock)),
      m_maxKeysPerShard(qMax<qsizetype>(1, maxKeys / kShardCount)),
      m_shards(new Shard[kShardCount])
{
}

LocalRateLimitStore::~LocalRateLimitStore() = default;

qsizetype LocalRateLimitStore::keyCount() const
{
    qsizetype n = 0;
    for (int i = 0; i < kShardCount; ++i) {
        std::lock_guard lock(m_shards[i].mutex);
        n += m_shards[i].tats.size();
    }
    return n;
}

namespace {

// The high bits of a multiplicative mix: the low ones pick buckets inside the shard.
int shardIndex(size_t hash)
{
    return int((hash * 0x9E3779B97F4A7C15ull) >> 58);
}

} // namespace

int LocalRateLimitStore::acquireOne(const RateLimitCheck &check, GcraResult &result)
{
    Shard &shard = m_shards[shardIndex(check.key.hash)];
    std::lock_guard lock(shard.mutex);
    const qint64 now = m_clock();
    const auto it = shard.tats.find(check.key);
    result = gcraDecide(check.limit, it == shard.tats.end() ? 0 : *it, now);
    if (!result.admitted)
        return check.enforce ? 0 : -1;
    if (it != shard.tats.end())
        *it = result.tat;
    else
        insert(shard, check.key, result.tat, now);
    return -1;
}

int LocalRateLimitStore::acquire(std::span<const RateLimitCheck> checks, std::span<GcraResult> results)
{
    Q_ASSERT(checks.size() <= size_t(kMaxChecks) && results.size() >= checks.size());
    if (checks.size() == 1)
        return acquireOne(checks[0], results[0]);   // one lock, one lookup
    const size_t n = qMin(checks.size(), size_t(kMaxChecks));
    std::array<int, kMaxChecks> shardOf{};
    QVarLengthArray<int, kMaxChecks> order;   // distinct shards, ascending: no lock-order cycles
    for (size_t i = 0; i < n; ++i) {
        shardOf[i] = shardIndex(checks[i].key.hash);
        if (!order.contains(shardOf[i]))
            order.append(shardOf[i]);
    }
    std::sort(order.begin(), order.end());
    for (int s : order)
        m_shards[s].mutex.lock();

    const qint64 now = m_clock();
    std::array<qint64, kMaxChecks> tats{};
    for (size_t i = 0; i < n; ++i)
        tats[i] = m_shards[shardOf[i]].tats.value(checks[i].key, 0);
    const int rejected = decideAll(checks.first(n), {tats.data(), n}, now, results.first(n));
    if (rejected < 0) {
        for (size_t i = 0; i < n; ++i) {
            if (results[i].admitted)
                insert(m_shards[shardOf[i]], checks[i].key, results[i].tat, now);
        }
    }

    for (auto it = order.rbegin(); it != order.rend(); ++it)
        m_shards[*it].mutex.unlock();
    return rejected;
}

void LocalRateLimitStore::insert(Shard &shard, const RateLimitKey &key, qint64 tat, qint64 now)
{
    auto it = shard.tats.find(key);
    if (it != shard.tats.end()) {
        *it = tat;
        return;
    }
    if (shard.tats.size() >= shard.sweepAt) {
        shard.tats.removeIf([now](const QHash<RateLimitKey, qint64>::iterator &e) { return gcraIsIdle(*e, now); });
        // Doubling keeps the sweeps amortised O(1) per insertion however many keys stay busy.
        shard.sweepAt = qBound<qsizetype>(64, shard.tats.size() * 2, m_maxKeysPerShard);
    }
    if (shard.tats.size() >= m_maxKeysPerShard) {
        // Full of busy keys: forget the one closest to idle, the one that loses the least.
        auto victim = std::min_element(shard.tats.begin(), shard.tats.end());
        shard.tats.erase(victim);
        m_evictions.fetch_add(1, std::memory_order_relaxed);
    }
    shard.tats.insert(key, tat);
}

} // namespace Gatehouse
