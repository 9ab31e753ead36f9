// The per-worker ring of recent traced requests.
#include "tracering.h"

namespace Gatehouse {

namespace {

QByteArray deep(const QByteArray &b)
{
    return b.isEmpty() ? QByteArray() : QByteArray(b.constData(), b.size());
}

// A copy that shares no buffer with the slot: the worker writes into the slot's buffers again
// without a detach (an allocation) on its request path.
TraceRecord deepCopy(TraceRecord &r)
{
    TraceRecord c;
    c.traceId = r.traceId;
    c.spanId = r.spanId;
    c.parentSpanId = r.parentSpanId;
    c.traceState = deep(r.traceState);
    c.worker = r.worker;
    c.startUnixNs = r.startUnixNs;
    c.durationNs = r.durationNs;
    c.protocol = deep(r.protocol);
    c.method = deep(r.method);
    c.target = deep(r.target);
    c.route = r.route;     // assigned (not edited in place) by the worker: sharing is safe
    c.api = r.api;
    c.caller = r.caller;
    c.peer = deep(r.peer);
    c.status = r.status;
    c.error = r.error;
    c.upstream = deep(r.upstream);
    c.spans.reserve(r.spans.size());
    for (const TraceSpanRecord &s : r.spans) {
        c.spans.append(s);
        c.spans.last().name = deep(s.name);
    }
    for (const auto *fields : {&r.requestHeaders, &r.responseHeaders}) {
        QList<TraceHeaderField> &to = fields == &r.requestHeaders ? c.requestHeaders : c.responseHeaders;
        to.reserve(fields->size());
        for (const TraceHeaderField &f : *fields)
            to.append({deep(f.name), deep(f.value)});
    }
    c.decisions = r.decisions;   // replaced, never edited in place, by the worker
    // Captured bodies (up to maxBodyBytes each) are not kept in the slot for reuse: moved out,
    // the ring holds them only while records wait to be drained.
    if (r.capture.present) {
        c.capture = std::move(r.capture);
        r.capture = TraceCapture();
    }
    return c;
}

} // namespace

TraceRing::TraceRing(int capacity) : m_slots(size_t(qMax(0, capacity))) {}

TraceRecord *TraceRing::slot()
{
    if (m_slots.empty() || !m_consuming.load(std::memory_order_relaxed))
        return nullptr;
    const quint64 tail = m_tail.load(std::memory_order_relaxed);
    if (tail - m_head.load(std::memory_order_acquire) >= m_slots.size()) {
        m_dropped.fetch_add(1, std::memory_order_relaxed);
        return nullptr;
    }
    return &m_slots.take(size_t(tail));
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
        out.append(deepCopy(m_slots.published(size_t(i))));
    m_head.store(tail, std::memory_order_release);
    return int(tail - head);
}

} // namespace Gatehouse
