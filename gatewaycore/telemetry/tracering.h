// The per-worker ring of recent traced requests: the worker fills records without a lock or a
// wait, the engine's thread drains them in batches (GatewayEngine::traceBatch, the OTLP exporter).
#pragma once

#include "tracerecord.h"

#include <QList>

#include <atomic>
#include <vector>

namespace Gatehouse {

// Single producer (the worker), single consumer (the engine's drain timer). A full ring drops the
// new record and counts it: the worker never waits for the engine.
class TraceRing
{
public:
    // capacity: records waiting to be drained; 0 = the ring is off (nothing is recorded).
    explicit TraceRing(int capacity);

    // --- Worker thread ---
    bool isEnabled() const { return !m_slots.empty(); }
    // A slot to fill and push(), or nullptr when the ring is full (counted) or off. The slot keeps
    // whatever the previous record left: overwrite every field.
    TraceRecord *slot();
    void push();

    // --- Consumer thread ---
    // Moves every pushed record to the end of `out`; returns how many.
    int drainInto(QList<TraceRecord> &out);
    quint64 dropped() const { return m_dropped.load(std::memory_order_relaxed); }
    int capacity() const { return int(m_slots.size()); }

private:
    std::vector<TraceRecord> m_slots;
    std::atomic<quint64> m_head{0};   // next slot the consumer reads
    std::atomic<quint64> m_tail{0};   // next slot the worker fills
    std::atomic<quint64> m_dropped{0};
};

} // namespace Gatehouse
