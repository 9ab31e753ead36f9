// The trace of the exchange in progress, Server-Timing values and header redaction.
#include "requesttrace.h"

#include "tracerecord.h"

#include "http/http1head.h"

#include <span>
#include <string_view>

namespace Gatehouse {

namespace {

char asciiLower(char c)
{
    return c >= 'A' && c <= 'Z' ? char(c + ('a' - 'A')) : c;
}

void setRecordBytes(QByteArray &to, QByteArrayView from)
{
    to.resize(0);   // keeps the capacity when not shared
    to.append(from);
}

} // namespace

bool isSecretHeader(QByteArrayView name)
{
    // Over-redacting a harmless header costs a value in the timeline; under-redacting leaks a
    // credential: any name that smells of one is redacted. One pass over the name: at each byte,
    // only the parts starting with that letter are compared (every header of every recorded
    // request goes through here).
    static constexpr std::string_view kA[] = {"authorization", "api-key", "apikey", "api_key"};
    static constexpr std::string_view kC[] = {"cookie"};
    static constexpr std::string_view kP[] = {"password"};
    static constexpr std::string_view kS[] = {"secret", "signature", "session"};
    static constexpr std::string_view kT[] = {"token"};
    // Lowercased once on the stack; a name too long for the buffer is treated as a secret.
    std::array<char, 128> buffer;
    if (name.size() > qsizetype(buffer.size()))
        return true;
    for (qsizetype i = 0; i < name.size(); ++i)
        buffer[size_t(i)] = asciiLower(name[i]);
    const std::string_view lower(buffer.data(), size_t(name.size()));
    auto startsAt = [&lower](size_t at, std::span<const std::string_view> parts) {
        for (std::string_view part : parts) {
            if (lower.size() - at >= part.size() && lower.compare(at, part.size(), part) == 0)
                return true;
        }
        return false;
    };
    for (size_t i = 0; i < lower.size(); ++i) {
        bool found = false;
        switch (lower[i]) {
        case 'a': found = startsAt(i, kA); break;
        case 'c': found = startsAt(i, kC); break;
        case 'p': found = startsAt(i, kP); break;
        case 's': found = startsAt(i, kS); break;
        case 't': found = startsAt(i, kT); break;
        default: break;
        }
        if (found)
            return true;
    }
    return false;
}

void setRedactedFields(const Http1FieldList &fields, QList<TraceHeaderField> &out)
{
    out.resize(fields.size());
    for (qsizetype i = 0; i < fields.size(); ++i) {
        const Http1Field &f = fields.at(i);
        setRecordBytes(out[i].name, f.name);
        setRecordBytes(out[i].value, isSecretHeader(f.name) ? kRedacted : f.value);
    }
}

void RequestTrace::begin(bool enabled, double ratio, QByteArrayView traceparent,
                         QByteArrayView tracestate, TraceIdGenerator &ids, qint64 startNs,
                         qint64 startUnixNs, bool record)
{
    if (!enabled) {
        reset();
        return;
    }
    m_ids = &ids;
    m_active = true;
    m_spanCount = 0;
    m_currentSpan = -1;
    if (traceparent.isEmpty()) {
        // The usual case at an edge gateway, without a call: a new trace, sampled by its id.
        m_incoming.traceId = ids.newTraceId();
        m_incoming.parentId = 0;
        m_incoming.continued = m_incoming.malformed = false;
        if (!m_incoming.tracestate.isEmpty())
            m_incoming.tracestate.resize(0);
        m_incoming.sampled = sampledByRatio(m_incoming.traceId, ratio);
    } else {
        continueOrStartTrace(m_incoming, traceparent, tracestate, ratio, ids);
    }
    m_sampled = m_incoming.sampled;
    m_recording = m_sampled && record;
    m_spanId = ids.newSpanId();
    m_startNs = startNs;
    m_startUnixNs = startUnixNs;
}

void RequestTrace::reset()
{
    m_active = false;
    m_sampled = false;
    m_recording = false;
    m_spanCount = 0;
    m_currentSpan = -1;
    m_spanId = 0;
    if (!m_incoming.tracestate.isEmpty())
        m_incoming.tracestate.clear();
    m_incoming.continued = m_incoming.malformed = m_incoming.sampled = false;
    m_incoming.parentId = 0;
}

QByteArray RequestTrace::upstreamTraceparent(SpanId parent) const
{
    if (!m_active)
        return {};
    return formatTraceparent(m_incoming.traceId, parent != 0 ? parent : m_spanId, m_sampled);
}

int RequestTrace::addSpan(TraceSpanKind kind, Phase phase, QLatin1StringView name, qint64 startNs,
                          qint64 endNs, int parent, bool error)
{
    if (!m_recording || m_spanCount == kMaxSpans)
        return -1;
    m_spans[size_t(m_spanCount)] = {kind, phase, error, name, parent, startNs, endNs, m_ids->newSpanId()};
    return m_spanCount++;
}

SpanId RequestTrace::spanIdAt(int index) const
{
    return index >= 0 && index < m_spanCount ? m_spans[size_t(index)].spanId : 0;
}

void RequestTrace::fillRecord(TraceRecord &out, qint64 endNs) const
{
    out.traceId = m_incoming.traceId;
    out.spanId = m_spanId;
    out.parentSpanId = m_incoming.parentId;
    setRecordBytes(out.traceState, m_incoming.tracestate);
    out.startUnixNs = m_startUnixNs;
    out.durationNs = endNs - m_startNs;
    out.spans.resize(m_spanCount);
    for (int i = 0; i < m_spanCount; ++i) {
        const Span &s = m_spans[size_t(i)];
        TraceSpanRecord &r = out.spans[i];
        r.kind = s.kind;
        r.phase = s.phase;
        setRecordBytes(r.name, QByteArrayView(s.name.data(), s.name.size()));
        r.spanId = s.spanId;
        r.parent = s.parent;
        r.startOffsetNs = s.startNs - m_startNs;
        // A span left open (the client went away) ends with the exchange.
        r.durationNs = qMax<qint64>(0, (s.endNs != 0 ? s.endNs : endNs) - s.startNs);
        r.error = s.error;
    }
}

QByteArray serverTimingValue(const std::array<qint64, kPhaseCount> &phaseNs, qint64 totalNs)
{
    QByteArray out;
    out.reserve(160);
    auto add = [&out](QLatin1StringView name, qint64 ns) {
        if (!out.isEmpty())
            out.append(", ");
        out.append(name.data(), name.size());
        out.append(";dur=");
        // Milliseconds with microsecond precision, without locale or exponent.
        const qint64 us = (ns + 500) / 1000;
        out.append(QByteArray::number(us / 1000));
        out.append('.');
        const QByteArray frac = QByteArray::number(us % 1000);
        out.append(3 - frac.size(), '0');
        out.append(frac);
    };
    for (int p = 0; p < kPhaseCount; ++p) {
        if (phaseNs[size_t(p)] > 0)
            add(phaseName(Phase(p)), phaseNs[size_t(p)]);
    }
    add(QLatin1StringView("total"), totalNs);
    return out;
}

} // namespace Gatehouse
