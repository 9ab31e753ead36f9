// The per-worker ring of recent traced requests.
#include "tracering.h"

namespace Gatehouse {

TraceRing::TraceRing(int capacity) : m_slots(size_t(qMax(0, capacity))) {}

TraceRecord *TraceRing::slot()
{
    if (m_slots.empty())
        return nullptr;
    const quint64 tail = m_tail.load(std::memory_order_relaxed);
    if (tail - m_head.load(std::memory_order_acquire) >= m_slots.size()) {
        m_dropped.fetch_add(1, std::memory_order_relaxed);
        return nullptr;
    }
    return &m_slots[size_t(tail % m_slots.size())];
}

void TraceRing::push()
{
    m_tail.store(m_tail.load(std::memory_order_relaxed) + 1, std::memory_order_release);
}

int TraceRing::drainInto(QList<TraceRecord> &out)
{
    const quint64 head = m_head.load(std::memory_order_relaxed);
    const quint64 tail = m_tail.load(std::memory_order_acquire);
    out.reserve(out.size() + qsizetype(tail - head));
    for (quint64 i = head; i != tail; ++i)
        out.append(std::move(m_slots[size_t(i % m_slots.size())]));
    m_head.store(tail, std::memory_order_release);
    return int(tail - head);
}

} // namespace Gatehouse
