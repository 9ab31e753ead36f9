// W3C Trace Context: traceparent/tracestate parsing and formatting, ids, sampling.
#include "tracecontext.h"

#include "http/http1head.h"

#include <QtEndian>

#include <cstring>
#include <random>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace Gatehouse {

namespace {

#if !defined(__SSE2__)
constexpr char kHex[] = "0123456789abcdef";
#endif

// Lowercase hex only: the specification makes upper-case digits invalid.
int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

template<size_t N>
bool parseHexBytes(QByteArrayView text, std::array<quint8, N> &out)
{
    if (text.size() != qsizetype(2 * N))
        return false;
    for (size_t i = 0; i < N; ++i) {
        const int hi = hexValue(text[qsizetype(2 * i)]);
        const int lo = hexValue(text[qsizetype(2 * i + 1)]);
        if (hi < 0 || lo < 0)
            return false;
        out[i] = quint8(hi << 4 | lo);
    }
    return true;
}

#if defined(__SSE2__)
// Sixteen nibbles (0..15, one a byte) as lowercase hex digits.
__m128i hexDigits(__m128i nibbles)
{
    const __m128i letter = _mm_cmpgt_epi8(nibbles, _mm_set1_epi8(9));
    return _mm_add_epi8(_mm_add_epi8(nibbles, _mm_set1_epi8('0')),
                        _mm_and_si128(letter, _mm_set1_epi8('a' - '0' - 10)));
}

struct Nibbles
{
    __m128i first;    // of bytes 0-7
    __m128i second;   // of bytes 8-15
};

// The high and the low nibble of each byte of x, in that order.
Nibbles splitNibbles(__m128i x)
{
    const __m128i mask = _mm_set1_epi8(0x0f);
    const __m128i hi = _mm_and_si128(_mm_srli_epi16(x, 4), mask);
    const __m128i lo = _mm_and_si128(x, mask);
    return {_mm_unpacklo_epi8(hi, lo), _mm_unpackhi_epi8(hi, lo)};
}
#endif

bool isLcAlpha(char c) { return c >= 'a' && c <= 'z'; }
bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isKeyChar(char c)
{
    return isLcAlpha(c) || isDigit(c) || c == '_' || c == '-' || c == '*' || c == '/';
}

// simple-key = lcalpha 0*255(keychar); multi-tenant-key = tenant "@" system, tenant =
// (lcalpha / DIGIT) 0*240(keychar), system = lcalpha 0*13(keychar).
bool isValidKey(QByteArrayView key)
{
    const qsizetype at = key.indexOf('@');
    auto rest = [](QByteArrayView part) {
        for (qsizetype i = 1; i < part.size(); ++i) {
            if (!isKeyChar(part[i]))
                return false;
        }
        return true;
    };
    if (at < 0)
        return !key.isEmpty() && key.size() <= 256 && isLcAlpha(key[0]) && rest(key);
    const QByteArrayView tenant = key.first(at);
    const QByteArrayView system = key.sliced(at + 1);
    return !tenant.isEmpty() && tenant.size() <= 241 && (isLcAlpha(tenant[0]) || isDigit(tenant[0]))
           && rest(tenant) && !system.isEmpty() && system.size() <= 14 && isLcAlpha(system[0])
           && rest(system);
}

// value = 0*255(chr) nblk-chr; chr = %x20 / nblk-chr; nblk-chr = %x21-2B / %x2D-3C / %x3E-7E.
bool isValidValue(QByteArrayView value)
{
    if (value.isEmpty() || value.size() > 256 || value.back() == ' ')
        return false;
    for (char c : value) {
        const auto u = quint8(c);
        if (u < 0x20 || u > 0x7e || c == ',' || c == '=')
            return false;
    }
    return true;
}

quint64 splitMix64(quint64 &x)
{
    quint64 z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

// Inline here: the per-request traceparent is written with them (no call per id).
inline char *putHex(char *out, const TraceId &id)
{
#if defined(__SSE2__)
    const auto [first, second] = splitNibbles(_mm_loadu_si128(reinterpret_cast<const __m128i *>(id.bytes.data())));
    _mm_storeu_si128(reinterpret_cast<__m128i *>(out), hexDigits(first));
    _mm_storeu_si128(reinterpret_cast<__m128i *>(out + 16), hexDigits(second));
#else
    for (size_t i = 0; i < id.bytes.size(); ++i) {
        out[2 * i] = kHex[id.bytes[i] >> 4];
        out[2 * i + 1] = kHex[id.bytes[i] & 0x0f];
    }
#endif
    return out + 32;
}

inline char *putHex(char *out, SpanId id)
{
#if defined(__SSE2__)
    const __m128i x = _mm_cvtsi64_si128(qint64(qToBigEndian(id)));
    _mm_storeu_si128(reinterpret_cast<__m128i *>(out), hexDigits(splitNibbles(x).first));
#else
    for (int i = 0; i < 16; ++i)
        out[i] = kHex[(id >> (60 - 4 * i)) & 0x0f];
#endif
    return out + 16;
}

} // namespace

bool TraceId::isValid() const
{
    quint64 words[2];
    std::memcpy(words, bytes.data(), sizeof words);
    return (words[0] | words[1]) != 0;
}

char *writeHex(char *out, const TraceId &id)
{
    return putHex(out, id);
}

char *writeHex(char *out, SpanId id)
{
    return putHex(out, id);
}

QByteArray TraceId::toHex() const
{
    QByteArray out(32, Qt::Uninitialized);
    writeHex(out.data(), *this);
    return out;
}

QByteArray spanIdHex(SpanId id)
{
    QByteArray out(16, Qt::Uninitialized);
    writeHex(out.data(), id);
    return out;
}

std::optional<TraceParent> parseTraceparent(QByteArrayView h)
{
    // version "-" trace-id "-" parent-id "-" flags: 2 + 1 + 32 + 1 + 16 + 1 + 2 = 55.
    constexpr qsizetype kLength = 55;
    if (h.size() < kLength || h[2] != '-' || h[35] != '-' || h[52] != '-')
        return std::nullopt;
    std::array<quint8, 1> version{};
    if (!parseHexBytes(h.first(2), version) || version[0] == 0xff)
        return std::nullopt;
    // Version 00 is exactly 55 characters; a later version may append fields after a '-'.
    if (version[0] == 0 ? h.size() != kLength : (h.size() > kLength && h[kLength] != '-'))
        return std::nullopt;
    TraceParent p;
    p.version = version[0];
    std::array<quint8, 8> parent{};
    std::array<quint8, 1> flags{};
    if (!parseHexBytes(h.sliced(3, 32), p.traceId.bytes) || !parseHexBytes(h.sliced(36, 16), parent)
        || !parseHexBytes(h.sliced(53, 2), flags)) {
        return std::nullopt;
    }
    for (quint8 b : parent)
        p.parentId = p.parentId << 8 | b;
    p.flags = flags[0];
    if (!p.traceId.isValid() || p.parentId == 0)
        return std::nullopt;
    return p;
}

void writeTraceparent(char *out, const TraceId &traceId, SpanId spanId, bool sampled)
{
    char *w = out;
    *w++ = '0';
    *w++ = '0';
    *w++ = '-';
    w = putHex(w, traceId);
    *w++ = '-';
    w = putHex(w, spanId);
    *w++ = '-';
    *w++ = '0';
    *w = sampled ? '1' : '0';
}

QByteArray formatTraceparent(const TraceId &traceId, SpanId spanId, bool sampled)
{
    QByteArray out(kTraceparentSize, Qt::Uninitialized);
    writeTraceparent(out.data(), traceId, spanId, sampled);
    return out;
}

bool isValidTracestate(QByteArrayView header)
{
    if (header.size() > kMaxTraceStateBytes)
        return false;
    std::array<QByteArrayView, kMaxTraceStateMembers> keys;
    int members = 0;
    qsizetype start = 0;
    while (start <= header.size()) {
        qsizetype comma = header.indexOf(',', start);
        if (comma < 0)
            comma = header.size();
        const QByteArrayView member = httpTrimOws(header.sliced(start, comma - start));
        start = comma + 1;
        if (member.isEmpty())
            continue;   // empty list members are allowed and ignored
        const qsizetype eq = member.indexOf('=');
        if (eq <= 0 || !isValidKey(member.first(eq)) || !isValidValue(member.sliced(eq + 1)))
            return false;
        if (members == kMaxTraceStateMembers)
            return false;
        const QByteArrayView key = member.first(eq);
        for (int i = 0; i < members; ++i) {
            if (keys[size_t(i)] == key)
                return false;
        }
        keys[size_t(members++)] = key;
    }
    return true;
}

TraceIdGenerator::TraceIdGenerator()
{
    std::random_device device;
    seed(quint64(device()) << 32 ^ device());
}

TraceIdGenerator::TraceIdGenerator(quint64 s)
{
    seed(s);
}

void TraceIdGenerator::seed(quint64 s)
{
    for (quint64 &word : m_state)
        word = splitMix64(s);
}

bool sampleTrace(const std::optional<TraceParent> &parent, const TraceId &traceId, double ratio)
{
    return parent ? parent->sampled() : sampledByRatio(traceId, ratio);
}

IncomingTrace continueOrStartTrace(QByteArrayView traceparent, QByteArrayView tracestate,
                                   double ratio, TraceIdGenerator &ids)
{
    IncomingTrace t;
    continueOrStartTrace(t, traceparent, tracestate, ratio, ids);
    return t;
}

void continueOrStartTrace(IncomingTrace &t, QByteArrayView traceparent, QByteArrayView tracestate,
                          double ratio, TraceIdGenerator &ids)
{
    t.parentId = 0;
    t.continued = false;
    t.malformed = false;
    if (!t.tracestate.isEmpty())
        t.tracestate.resize(0);   // keeps the capacity when not shared
    if (traceparent.isEmpty()) {
        // The usual case at an edge gateway: a new trace, sampled by its id.
        t.traceId = ids.newTraceId();
        t.sampled = sampledByRatio(t.traceId, ratio);
        return;
    }
    const std::optional<TraceParent> parent = parseTraceparent(traceparent);
    t.malformed = !parent.has_value();
    if (parent) {
        t.traceId = parent->traceId;
        t.parentId = parent->parentId;
        t.continued = true;
        // tracestate belongs to the trace the caller continues; it is read only then.
        if (!tracestate.isEmpty() && isValidTracestate(tracestate))
            t.tracestate.append(tracestate);
    } else {
        t.traceId = ids.newTraceId();
    }
    t.sampled = sampleTrace(parent, t.traceId, ratio);
}

} // namespace Gatehouse
