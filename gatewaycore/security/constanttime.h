// Comparisons whose time does not depend on where two byte strings differ.
#pragma once

#include <QByteArrayView>

#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace Gatehouse {

// True when `a` and `b` hold the same bytes. The time depends on their lengths only (lengths are
// not secret here: a token's length is visible on the wire), not on their contents. 64 bytes per
// loop turn (SSE2), then eight per step.
inline bool constantTimeEquals(QByteArrayView a, QByteArrayView b) noexcept
{
    if (a.size() != b.size())
        return false;
    const char *pa = a.data();
    const char *pb = b.data();
    const qsizetype n = a.size();
    std::uint64_t diff = 0;
    qsizetype i = 0;
#if defined(__SSE2__)
    if (n >= 64) {
        const auto load = [](const char *p) { return _mm_loadu_si128(reinterpret_cast<const __m128i *>(p)); };
        __m128i d0 = _mm_setzero_si128(), d1 = d0, d2 = d0, d3 = d0;
        for (; i + 64 <= n; i += 64) {
            d0 = _mm_or_si128(d0, _mm_xor_si128(load(pa + i), load(pb + i)));
            d1 = _mm_or_si128(d1, _mm_xor_si128(load(pa + i + 16), load(pb + i + 16)));
            d2 = _mm_or_si128(d2, _mm_xor_si128(load(pa + i + 32), load(pb + i + 32)));
            d3 = _mm_or_si128(d3, _mm_xor_si128(load(pa + i + 48), load(pb + i + 48)));
        }
        const __m128i all = _mm_or_si128(_mm_or_si128(d0, d1), _mm_or_si128(d2, d3));
        diff = std::uint64_t(_mm_movemask_epi8(_mm_cmpeq_epi8(all, _mm_setzero_si128())) ^ 0xffff);
    }
#endif
    for (; i + 32 <= n; i += 32) {
        std::uint64_t wa[4], wb[4];
        std::memcpy(wa, pa + i, 32);
        std::memcpy(wb, pb + i, 32);
        diff |= (wa[0] ^ wb[0]) | (wa[1] ^ wb[1]) | (wa[2] ^ wb[2]) | (wa[3] ^ wb[3]);
    }
    for (; i + 8 <= n; i += 8) {
        std::uint64_t wa, wb;
        std::memcpy(&wa, pa + i, 8);
        std::memcpy(&wb, pb + i, 8);
        diff |= wa ^ wb;
    }
    for (; i < n; ++i)
        diff |= std::uint64_t(static_cast<unsigned char>(pa[i]) ^ static_cast<unsigned char>(pb[i]));
    return diff == 0;
}

} // namespace Gatehouse
