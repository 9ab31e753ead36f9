// Comparisons whose time does not depend on where two byte strings differ.
#pragma once

#include <QByteArrayView>

#include <cstdint>
#include <cstring>

namespace Gatehouse {

// True when `a` and `b` hold the same bytes. The time depends on their lengths only (lengths are
// not secret here: a token's length is visible on the wire), not on their contents. Eight bytes
// per step, 32 per loop turn.
inline bool constantTimeEquals(QByteArrayView a, QByteArrayView b) noexcept
{
    if (a.size() != b.size())
        return false;
    const char *pa = a.data();
    const char *pb = b.data();
    const qsizetype n = a.size();
    std::uint64_t diff = 0;
    qsizetype i = 0;
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
