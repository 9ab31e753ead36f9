// W3C Trace Context (https://www.w3.org/TR/trace-context/): traceparent and tracestate parsed and
// formatted to the letter, trace and span ids from a fast per-worker generator, and the sampling
// decision (the caller's sampled flag when it sent a valid traceparent, else a ratio of trace ids).
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QtEndian>

#include <array>
#include <optional>

namespace Gatehouse {

// 16 bytes, never all zero when valid. Hex is lowercase, as the header requires.
struct TraceId
{
    std::array<quint8, 16> bytes{};
    bool isValid() const;
    QByteArray toHex() const;   // 32 lowercase hex digits
    friend bool operator==(const TraceId &, const TraceId &) = default;
};

// 8 bytes, 0 = none (the root span's parent).
using SpanId = quint64;
QByteArray spanIdHex(SpanId id);   // 16 lowercase hex digits

// The ids' lowercase hex written at `out` (32 and 16 characters, no terminator), without an
// allocation; return the end. For the per-request traceparent and the OTLP JSON.
char *writeHex(char *out, const TraceId &id);
char *writeHex(char *out, SpanId id);

// What a valid traceparent header says. Only version 00 fields are read: a later version's
// extra fields are ignored, as the specification asks of a version 00 parser.
struct TraceParent
{
    quint8 version = 0;
    TraceId traceId;
    SpanId parentId = 0;
    quint8 flags = 0;
    bool sampled() const { return flags & 0x01; }
};

// nullopt for any header the specification calls invalid: wrong length or separators, upper-case
// or non-hex digits, version ff, an all-zero trace or parent id, a version 00 header with more
// after the flags, or a later version whose extra data does not start with '-'.
std::optional<TraceParent> parseTraceparent(QByteArrayView header);
// "00-<trace id>-<span id>-01|00"; the only version this gateway writes.
QByteArray formatTraceparent(const TraceId &traceId, SpanId spanId, bool sampled);
// The same kTraceparentSize characters written at `out` (no allocation, no terminator).
inline constexpr qsizetype kTraceparentSize = 55;
void writeTraceparent(char *out, const TraceId &traceId, SpanId spanId, bool sampled);

// tracestate (after the fields of several header lines were joined with ','): true when it is a
// list of at most 32 valid key=value members with no key twice and at most kMaxTraceStateBytes
// long. A valid list is propagated verbatim; an invalid one is dropped, never forwarded.
inline constexpr int kMaxTraceStateMembers = 32;
inline constexpr int kMaxTraceStateBytes = 512;
bool isValidTracestate(QByteArrayView header);

// xoshiro256** seeded once per worker: ids cost a few ns and no system call. Not for secrets.
// Threading: one instance per thread. The steps are inline: a sampled request takes three.
class TraceIdGenerator
{
public:
    TraceIdGenerator();                        // seeded from std::random_device
    explicit TraceIdGenerator(quint64 seed);   // reproducible (tests)
    quint64 next()
    {
        const quint64 result = rotl(m_state[1] * 5, 7) * 9;
        const quint64 t = m_state[1] << 17;
        m_state[2] ^= m_state[0];
        m_state[3] ^= m_state[1];
        m_state[1] ^= m_state[2];
        m_state[0] ^= m_state[3];
        m_state[2] ^= t;
        m_state[3] = rotl(m_state[3], 45);
        return result;
    }
    TraceId newTraceId()   // never all zero
    {
        quint64 high = 0;
        quint64 low = 0;
        while ((high | low) == 0) {
            high = next();
            low = next();
        }
        TraceId id;
        qToBigEndian(high, id.bytes.data());
        qToBigEndian(low, id.bytes.data() + 8);
        return id;
    }
    SpanId newSpanId()     // never zero
    {
        SpanId id = next();
        while (id == 0)
            id = next();
        return id;
    }

private:
    static quint64 rotl(quint64 x, int k) { return (x << k) | (x >> (64 - k)); }
    void seed(quint64 seed);
    std::array<quint64, 4> m_state{};
};

// The sampling decision for a request. With a valid parent its sampled flag decides (the caller
// made the decision for the whole trace); otherwise the trace id does, compared to the ratio as
// OpenTelemetry's TraceIdRatioBased sampler does, so every gateway replica agrees on a trace.
// ratio is clamped to 0..1.
bool sampleTrace(const std::optional<TraceParent> &parent, const TraceId &traceId, double ratio);
// The ratio rule alone, for a trace the gateway starts (inline: every such request asks).
inline bool sampledByRatio(const TraceId &traceId, double ratio)
{
    if (ratio >= 1.0)
        return true;
    if (!(ratio > 0.0))   // also NaN
        return false;
    // The low 63 bits of the id's last 8 bytes against ratio * 2^63, as TraceIdRatioBased does.
    const quint64 low = qFromBigEndian<quint64>(traceId.bytes.data() + 8) & 0x7fffffffffffffffULL;
    return low < quint64(ratio * 9223372036854775808.0);
}

// The trace context of one incoming request: continued from a valid traceparent, or started.
struct IncomingTrace
{
    TraceId traceId;
    SpanId parentId = 0;          // the caller's span; 0 when the gateway started the trace
    bool continued = false;       // a valid traceparent was received
    bool malformed = false;       // a traceparent was received and refused (replaced)
    bool sampled = false;
    QByteArray tracestate;        // verbatim when valid and continued; empty otherwise
};

// Reads the request's traceparent/tracestate (each possibly sent on several lines: pass them
// joined with ',' as HTTP allows; two traceparent values make it invalid) and decides sampling.
IncomingTrace continueOrStartTrace(QByteArrayView traceparent, QByteArrayView tracestate,
                                   double ratio, TraceIdGenerator &ids);
// The same, written over `out` (a reused context: its tracestate buffer keeps its capacity).
void continueOrStartTrace(IncomingTrace &out, QByteArrayView traceparent, QByteArrayView tracestate,
                          double ratio, TraceIdGenerator &ids);

} // namespace Gatehouse
