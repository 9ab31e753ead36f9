// Histogram series of one worker shard, keyed by a 32-bit label key: written by the owning worker
// thread only, read by the scraping thread at any time, without locks.
#pragma once

#include <QtGlobal>

#include <array>
#include <atomic>
#include <bit>
#include <memory>
#include <span>
#include <vector>

namespace Gatehouse {

// Adds to a cell only its owner thread writes: a relaxed load and store (plain moves on x86, no
// locked instruction), yet data-race-free for a concurrent reader.
inline void ownerAdd(std::atomic<quint64> &cell, quint64 by = 1)
{
    cell.store(cell.load(std::memory_order_relaxed) + by, std::memory_order_relaxed);
}

// Bucket bounds in nanoseconds, increasing, positive (at most 255); observations above the last
// bound land in +Inf. An observation's bucket starts from a table indexed by its bit width (the
// first bound that a value of that width can fall under), then walks the few bounds within that
// power of two: a handful of instructions and well-predicted branches where a binary search took
// about 50 with a mispredicted branch per step.
class BucketBounds
{
public:
    explicit BucketBounds(std::span<const qint64> boundsNs);

    std::span<const qint64> boundsNs() const { return m_boundsNs; }
    // The index of the first bound >= ns; boundsNs().size() (+Inf) when there is none.
    int index(qint64 ns) const
    {
        int i = m_firstByWidth[size_t(std::bit_width(quint64(ns > 0 ? ns : 0)))];
        while (i < m_count && m_boundsNs[size_t(i)] < ns)
            ++i;
        return i;
    }

private:
    std::span<const qint64> m_boundsNs;
    int m_count;
    std::array<quint8, 65> m_firstByWidth{};
};

class HistogramTable
{
public:
    // Every key beyond `maxSeries - 1` distinct ones is counted under `overflowKey`.
    HistogramTable(std::span<const qint64> boundsNs, int maxSeries, quint32 overflowKey);
    HistogramTable(const HistogramTable &) = delete;
    HistogramTable &operator=(const HistogramTable &) = delete;

    std::span<const qint64> boundsNs() const { return m_buckets.boundsNs(); }

    // Owner thread only. Negative durations (a clock step) count as 0. Inline in the request
    // path's two callers: a call would cost a fifth of the observation.
    Q_ALWAYS_INLINE void observe(quint32 key, qint64 ns)
    {
        std::atomic<quint64> *cells = series(key);
        ownerAdd(cells[m_buckets.index(ns)]);
        ownerAdd(cells[m_cellsPerSeries - 1], quint64(ns > 0 ? ns : 0));
    }

    // Any thread: fn(key, counts, sumNs) for every series; counts are per bucket (not
    // cumulative), boundsNs().size() + 1 of them, the last for +Inf.
    template<typename Fn>
    void forEach(Fn &&fn) const
    {
        std::vector<quint64> counts(m_cellsPerSeries - 1);
        for (size_t s = 0; s <= m_mask; ++s) {
            const quint64 packed = slot(s).load(std::memory_order_acquire);
            if (packed == 0)
                continue;
            const std::atomic<quint64> *cells = cellsAt(quint32(packed & 0xffffffffu) - 1);
            for (size_t i = 0; i < counts.size(); ++i)
                counts[i] = cells[i].load(std::memory_order_relaxed);
            fn(quint32(packed >> 32), std::span<const quint64>(counts),
               cells[counts.size()].load(std::memory_order_relaxed));
        }
    }

private:
    static constexpr int kBlockSeries = 32;
    Q_ALWAYS_INLINE std::atomic<quint64> *series(quint32 key)
    {
        const quint64 hash = (quint64(key) * 0x9E3779B97F4A7C15ull) >> m_shift;
        const quint64 packed = slot(size_t(hash & m_mask)).load(std::memory_order_relaxed);
        if (packed != 0 && quint32(packed >> 32) == key)
            return cellsAt(quint32(packed & 0xffffffffu) - 1);
        return find(key, size_t(hash & m_mask));
    }
    std::atomic<quint64> *find(quint32 key, size_t start);
    std::atomic<quint64> *cellsAt(quint32 index) const
    {
        std::atomic<quint64> *block = m_blocks[index / kBlockSeries].load(std::memory_order_acquire);
        return block + size_t(index % kBlockSeries) * m_cellsPerSeries;
    }

    BucketBounds m_buckets;
    size_t m_cellsPerSeries;   // the buckets, +Inf, the sum
    quint32 m_maxSeries;
    quint32 m_overflowKey;
    quint32 m_used = 0;          // owner thread only
    int m_shift;
    quint64 m_mask;
    // Open addressing: (key << 32) | (series index + 1), 0 = free. Published with release after
    // the series' cells exist; never moved (fixed capacity), so readers need no lock. Mapped pages
    // rather than a zero-filled allocation: a page stays out of the process's memory until a key
    // hashes into it (a handful of the 32 for the few dozen series of a typical project).
    struct UnmapSlots
    {
        size_t bytes;
        void operator()(quint64 *table) const;
    };
    std::atomic_ref<quint64> slot(size_t i) const { return std::atomic_ref<quint64>(m_slots[i]); }
    std::unique_ptr<quint64[], UnmapSlots> m_slots;
    // Cells of kBlockSeries series per block, allocated as series come; the pointers are what
    // readers see, the storage is the owner's.
    std::vector<std::atomic<std::atomic<quint64> *>> m_blocks;
    std::vector<std::unique_ptr<std::atomic<quint64>[]>> m_blockStorage;
};

} // namespace Gatehouse
