// The per-worker ring of recent traced requests: the worker fills records without a lock or a
// wait, the engine's thread drains them in batches (GatewayEngine::traceBatch, the OTLP exporter).
#pragma once

#include "ringslots.h"
#include "tracerecord.h"

#include <QList>

#include <atomic>

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
    // A slot to fill and push(), or nullptr when the ring is full (counted), off, or nobody
    // consumes records now (then nothing is counted). The slot keeps whatever the previous record
    // left, buffers included (so filling it allocates little): overwrite every field.
    TraceRecord *slot();
    void push();

    // --- Consumer thread ---
    // Appends a deep copy of every pushed record to `out` (the slots keep their buffers for the
    // worker, except a capture's, which moves: a slot holds no captured body once drained);
    // returns how many.
    int drainInto(QList<TraceRecord> &out);
    // Whether records are wanted at all (an exporter, a traceBatch receiver): when not, workers
    // skip filling them. Starts true.
    void setConsuming(bool consuming) { m_consuming.store(consuming, std::memory_order_relaxed); }
    bool isConsuming() const { return m_consuming.load(std::memory_order_relaxed); }
    // Whether someone explains requests (the workbench's trace view): then filters record the
    // decisions of sampled requests, also those that let a request through. Starts true.
    void setExplaining(bool explaining) { m_explaining.store(explaining, std::memory_order_relaxed); }
    bool isExplaining() const { return m_explaining.load(std::memory_order_relaxed); }
    // Bytes of each body captured with a traced request (telemetry.tracing.capture), 0 = none:
    // set by the engine only while capture is on and someone receives traceBatch. Starts 0.
    void setCaptureBytes(qint64 maxBodyBytes) { m_captureBytes.store(maxBodyBytes, std::memory_order_relaxed); }
    qint64 captureBytes() const { return m_captureBytes.load(std::memory_order_relaxed); }
    quint64 dropped() const { return m_dropped.load(std::memory_order_relaxed); }
    int capacity() const { return int(m_slots.size()); }

private:
    RingSlots<TraceRecord> m_slots;   // made as the worker first fills them
    std::atomic<quint64> m_head{0};   // next slot the consumer reads
    std::atomic<quint64> m_tail{0};   // next slot the worker fills
    std::atomic<quint64> m_dropped{0};
    std::atomic<bool> m_consuming{true};
    std::atomic<bool> m_explaining{true};
    std::atomic<qint64> m_captureBytes{0};
};

} // namespace Gatehouse
