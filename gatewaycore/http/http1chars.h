// Byte classes of the HTTP/1.1 grammar (RFC 9110 §5.6, RFC 9112, RFC 3986) as one lookup table.
// Internal to the codec: one load and one mask per byte, no branches on ranges.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace Gatehouse::Http1Chars {

enum : std::uint8_t {
    Token = 0x01,      // tchar: method, field name, transfer coding, chunk extension name
    FieldValue = 0x02, // field-vchar, SP, HTAB: field values and reason phrases
    Target = 0x04,     // visible ASCII except '#': request-target bytes
    Hex = 0x08,        // HEXDIG: chunk sizes
    Host = 0x10,       // reg-name, IPv4, IP-literal and ":" port bytes of a Host value
    QuotedText = 0x20, // qdtext of a quoted-string (RFC 9110 §5.6.4)
    Digit = 0x40,
};

constexpr std::array<std::uint8_t, 256> makeTable()
{
    std::array<std::uint8_t, 256> t{};
    auto isAlpha = [](int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
    auto isDigit = [](int c) { return c >= '0' && c <= '9'; };
    auto in = [](int c, const char *set) {
        for (; *set; ++set) {
            if (*set == c)
                return true;
        }
        return false;
    };
    for (int c = 0; c < 256; ++c) {
        std::uint8_t v = 0;
        if (isAlpha(c) || isDigit(c) || in(c, "!#$%&'*+-.^_`|~"))
            v |= Token;
        if ((c >= 0x21 && c <= 0x7e) || c >= 0x80 || c == ' ' || c == '\t')
            v |= FieldValue;
        if (c >= 0x21 && c <= 0x7e && c != '#')
            v |= Target;
        if (isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))
            v |= Hex;
        if (isAlpha(c) || isDigit(c) || in(c, "-._~!$&'()*+,;=%:[]"))
            v |= Host;
        if (c == '\t' || c == ' ' || c == 0x21 || (c >= 0x23 && c <= 0x5b) || (c >= 0x5d && c <= 0x7e)
            || c >= 0x80)
            v |= QuotedText;
        if (isDigit(c))
            v |= Digit;
        t[c] = v;
    }
    return t;
}

inline constexpr std::array<std::uint8_t, 256> kTable = makeTable();

inline bool is(char c, std::uint8_t cls)
{
    return (kTable[static_cast<unsigned char>(c)] & cls) != 0;
}

inline char toLower(char c)
{
    return (c >= 'A' && c <= 'Z') ? char(c + ('a' - 'A')) : c;
}

inline bool isOws(char c)
{
    return c == ' ' || c == '\t';
}

// Non-zero when one of the bytes packed in `word` is below SP or is DEL (HTAB included: the caller
// then looks byte by byte). Exact for "is there one", not for which one; bytes >= 0x80 pass.
template<typename Word>
inline Word controlBytesIn(Word word)
{
    constexpr Word ones = Word(~Word(0)) / 0xff;
    constexpr Word high = ones * 0x80;
    const Word belowSpace = (word - ones * 0x20) & ~word & high;
    const Word notDel = word ^ (ones * 0x7f);
    return belowSpace | ((notDel - ones) & ~notDel & high);
}

template<typename Word>
inline Word loadWord(const char *p)
{
    Word word;
    std::memcpy(&word, p, sizeof word);
    return word;
}

// First byte of [p, end) that may not appear in a field value (a control byte other than HTAB, or
// DEL; CR included), or end. Sixteen bytes per step with SSE2, which every x86-64 has: values are
// most of a head's bytes, so this is where the parser spends its time. The rest is checked in at
// most two overlapping steps (most values are shorter than sixteen bytes); only a value holding a
// control byte or HTAB is walked byte by byte, to find where.
inline const char *findInvalidValueByte(const char *p, const char *end)
{
    const char *const begin = p;
#if defined(__SSE2__)
    const __m128i space = _mm_set1_epi8(0x20);
    const __m128i del = _mm_set1_epi8(0x7f);
    const __m128i tab = _mm_set1_epi8('\t');
    auto invalidIn16 = [&](const char *at) {
        const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i *>(at));
        const __m128i atLeastSpace = _mm_cmpeq_epi8(_mm_max_epu8(x, space), x);
        const __m128i ok = _mm_andnot_si128(_mm_cmpeq_epi8(x, del),
                                            _mm_or_si128(atLeastSpace, _mm_cmpeq_epi8(x, tab)));
        return ~unsigned(_mm_movemask_epi8(ok)) & 0xffffu;
    };
    while (end - p >= 16) {
        if (const unsigned bad = invalidIn16(p))
            return p + __builtin_ctz(bad);
        p += 16;
    }
    // The last sixteen bytes, overlapping the ones already checked.
    if (p != end && end - begin >= 16) {
        if (!invalidIn16(end - 16))
            return end;
        while (p < end && is(*p, FieldValue))
            ++p;
        return p;
    }
#endif
    using W64 = std::uint64_t;
    using W32 = std::uint32_t;
    if (end - p >= 8) {
        if (!(controlBytesIn(loadWord<W64>(p)) | controlBytesIn(loadWord<W64>(end - 8))))
            return end;
    } else if (end - p >= 4) {
        if (!(controlBytesIn(loadWord<W32>(p)) | controlBytesIn(loadWord<W32>(end - 4))))
            return end;
    }
    while (p < end && is(*p, FieldValue))
        ++p;
    return p;
}

// First byte of [p, end) that is not a request-target byte (visible ASCII except '#'), or end.
inline const char *findInvalidTargetByte(const char *p, const char *end)
{
#if defined(__SSE2__)
    const __m128i space = _mm_set1_epi8(0x20);
    const __m128i del = _mm_set1_epi8(0x7f);
    const __m128i hash = _mm_set1_epi8('#');
    while (end - p >= 16) {
        const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p));
        // Signed compares: bytes >= 0x80 are negative, hence not above 0x20.
        const __m128i visible = _mm_and_si128(_mm_cmpgt_epi8(x, space), _mm_cmplt_epi8(x, del));
        const __m128i ok = _mm_andnot_si128(_mm_cmpeq_epi8(x, hash), visible);
        const unsigned bad = ~unsigned(_mm_movemask_epi8(ok)) & 0xffffu;
        if (bad)
            return p + __builtin_ctz(bad);
        p += 16;
    }
#endif
    while (p < end && is(*p, Target))
        ++p;
    return p;
}

} // namespace Gatehouse::Http1Chars
