// The trace of the exchange in progress: its W3C context and, when sampled, the child spans the
// filter chain and the exchange record. Lives in the RequestContext; reset, never reallocated.
#pragma once

#include "tracecontext.h"

#include "pipeline/filter.h"

#include <QByteArray>
#include <QLatin1StringView>
#include <QList>

#include <array>

namespace Gatehouse {

enum class TraceSpanKind : quint8;
struct TraceRecord;
struct TraceHeaderField;
class Http1FieldList;

// Threading: the worker thread of the exchange. Unsampled or not recording, begin() costs a parse
// and an id or two and addSpan() one branch; nothing is allocated.
class RequestTrace
{
public:
    // Spans of one request beyond this are dropped (a chain of 60 policies is unusual).
    static constexpr int kMaxSpans = 48;

    struct Span
    {
        TraceSpanKind kind;
        Phase phase;
        bool error;
        QLatin1StringView name;   // static text (a filter's name(), a literal)
        int parent;               // index of the parent span, -1 = the request span
        qint64 startNs;           // CLOCK_MONOTONIC
        qint64 endNs;             // 0 while open
        SpanId spanId;
    };

    // Starts the trace of a request whose head was complete at startNs (monotonic) / startUnixNs
    // (wall clock). traceparent/tracestate are the request's values (joined when sent twice;
    // empty when absent). enabled false: no context at all (nothing sent upstream, never sampled).
    // record false: nothing would read the spans (no exporter, no traceBatch receiver), so a
    // sampled request keeps its context and flags but records no span (startUnixNs unused).
    void begin(bool enabled, double ratio, QByteArrayView traceparent, QByteArrayView tracestate,
               TraceIdGenerator &ids, qint64 startNs, qint64 startUnixNs, bool record = true);
    void reset();

    bool isActive() const { return m_active; }     // begin(enabled=true) was called
    bool isSampled() const { return m_sampled; }   // the flag sent upstream
    bool isRecording() const { return m_recording; }   // sampled, and spans are recorded
    const IncomingTrace &incoming() const { return m_incoming; }
    SpanId spanId() const { return m_spanId; }      // the gateway's span of this request
    qint64 startNs() const { return m_startNs; }
    qint64 startUnixNs() const { return m_startUnixNs; }

    // The traceparent sent upstream: this trace, the gateway's span (or the upstream attempt's
    // span, when sampled) as parent, the sampling decision. Empty when inactive.
    QByteArray upstreamTraceparent(SpanId parent = 0) const;

    // Records a span (recording only); returns its index or -1. name must outlive the trace.
    int addSpan(TraceSpanKind kind, Phase phase, QLatin1StringView name, qint64 startNs,
                qint64 endNs, int parent = -1, bool error = false);
    // Opens a span to be closed later (one left open ends with the exchange); -1 when not
    // recorded.
    int openSpan(TraceSpanKind kind, Phase phase, QLatin1StringView name, qint64 startNs,
                 int parent = -1)
    {
        return addSpan(kind, phase, name, startNs, 0, parent);
    }
    void closeSpan(int index, qint64 endNs, bool error = false)
    {
        if (index < 0 || index >= m_spanCount)
            return;
        Span &s = m_spans[size_t(index)];
        s.endNs = endNs;
        s.error = s.error || error;
    }
    // The span of the filter running now (set by the chain runner), parent of the spans a filter
    // records itself (the policies of the interceptor stage); -1 outside a filter.
    void setCurrentSpan(int index) { m_currentSpan = index; }
    int currentSpan() const { return m_currentSpan; }
    SpanId spanIdAt(int index) const;   // 0 for -1
    int spanCount() const { return m_spanCount; }
    const Span &span(int index) const { return m_spans[size_t(index)]; }

    // Fills `out` (a ring slot, reused: its lists keep their capacity) with the trace's context
    // and spans; the caller fills the request's fields. endNs: monotonic end of the exchange.
    void fillRecord(TraceRecord &out, qint64 endNs) const;

private:
    TraceIdGenerator *m_ids = nullptr;
    IncomingTrace m_incoming;
    SpanId m_spanId = 0;
    qint64 m_startNs = 0;
    qint64 m_startUnixNs = 0;
    bool m_active = false;
    bool m_sampled = false;
    bool m_recording = false;
    int m_spanCount = 0;
    int m_currentSpan = -1;
    std::array<Span, kMaxSpans> m_spans;
};

// The value of a Server-Timing response header for per-phase times (ns; phases without time are
// left out) and the total so far: "authn;dur=0.412, ratelimit;dur=0.003, upstream;dur=3.1,
// total;dur=3.6". Durations in milliseconds, as the header specifies.
QByteArray serverTimingValue(const std::array<qint64, kPhaseCount> &phaseNs, qint64 totalNs);

// Replaces `out` with the fields, credential values redacted (see isSecretHeader). Reuses the
// list's items, so a reused record allocates little.
void setRedactedFields(const Http1FieldList &fields, QList<TraceHeaderField> &out);

} // namespace Gatehouse
