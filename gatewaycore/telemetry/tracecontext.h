// W3C Trace Context (https://www.w3.org/TR/trace-context/): traceparent and tracestate parsed and
// formatted to the letter, trace and span ids from a fast per-worker generator, and the sampling
// decision (the caller's sampled flag when it sent a valid traceparent, else a ratio of trace ids).
#pragma once

#include <QByteArray>
#include <QByteArrayView>

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
// Threading: one instance per thread.
class TraceIdGenerator
{
public:
    TraceIdGenerator();                        // seeded from std::random_device
    explicit TraceIdGenerator(quint64 seed);   // reproducible (tests)
    quint64 next();
    TraceId newTraceId();   // never all zero
    SpanId newSpanId();     // never zero

private:
    void seed(quint64 seed);
    std::array<quint64, 4> m_state{};
};

// The sampling decision for a request. With a valid parent its sampled flag decides (the caller
// made the decision for the whole trace); otherwise the trace id does, compared to the ratio as
// OpenTelemetry's TraceIdRatioBased sampler does, so every gateway replica agrees on a trace.
// ratio is clamped to 0..1.
bool sampleTrace(const std::optional<TraceParent> &parent, const TraceId &traceId, double ratio);

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

} // namespace Gatehouse
