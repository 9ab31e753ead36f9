// HistogramTable: the bucket table of its bounds and the slow path of an observation (a key
// seen for the first time).
#include "histogramtable.h"

#include <bit>
#include <new>

#include <sys/mman.h>

namespace Gatehouse {

BucketBounds::BucketBounds(std::span<const qint64> boundsNs)
    : m_boundsNs(boundsNs), m_count(int(boundsNs.size()))
{
    Q_ASSERT(m_count <= 255);
    // Width w holds the values [2^(w-1), 2^w): none of them is below the first bound >= 2^(w-1).
    int first = 0;
    for (int w = 0; w <= 64; ++w) {
        const quint64 smallest = w == 0 ? 0 : quint64(1) << (w - 1);
        while (first < m_count && quint64(m_boundsNs[size_t(first)]) < smallest)
            ++first;
        m_firstByWidth[size_t(w)] = quint8(first);
    }
}

HistogramTable::HistogramTable(std::span<const qint64> boundsNs, int maxSeries, quint32 overflowKey)
    : m_buckets(boundsNs), m_cellsPerSeries(boundsNs.size() + 2), m_maxSeries(quint32(qMax(maxSeries, 2))),
      m_overflowKey(overflowKey)
{
    // Twice as many slots as series keeps probes short; a power of two for the mask.
    const quint64 slotCount = std::bit_ceil(quint64(m_maxSeries) * 2);
    m_mask = slotCount - 1;
    m_shift = 64 - std::countr_zero(slotCount);
    const size_t bytes = size_t(slotCount) * sizeof(quint64);
    void *pages = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (pages == MAP_FAILED)
        throw std::bad_alloc();
    m_slots = std::unique_ptr<quint64[], UnmapSlots>(static_cast<quint64 *>(pages), UnmapSlots{bytes});
    m_blocks = std::vector<std::atomic<std::atomic<quint64> *>>(m_maxSeries / kBlockSeries + 1);
}

void HistogramTable::UnmapSlots::operator()(quint64 *table) const
{
    ::munmap(table, bytes);
}

std::atomic<quint64> *HistogramTable::find(quint32 key, size_t start)
{
    for (size_t i = start;; i = (i + 1) & m_mask) {
        const quint64 packed = slot(i).load(std::memory_order_relaxed);
        if (packed == 0)
            break;
        if (quint32(packed >> 32) == key)
            return cellsAt(quint32(packed & 0xffffffffu) - 1);
    }
    // A new series; the last one left is kept for the overflow key.
    if (m_used + 1 >= m_maxSeries && key != m_overflowKey)
        return series(m_overflowKey);
    const quint32 index = m_used++;
    const size_t block = index / kBlockSeries;
    if (m_blocks[block].load(std::memory_order_relaxed) == nullptr) {
        auto storage = std::make_unique<std::atomic<quint64>[]>(size_t(kBlockSeries) * m_cellsPerSeries);
        m_blocks[block].store(storage.get(), std::memory_order_release);
        m_blockStorage.push_back(std::move(storage));
    }
    size_t i = start;
    while (slot(i).load(std::memory_order_relaxed) != 0)
        i = (i + 1) & m_mask;
    slot(i).store((quint64(key) << 32) | (index + 1), std::memory_order_release);
    return cellsAt(index);
}

} // namespace Gatehouse
