// Field names as nghttp2 takes them: lowercase (RFC 9113 §8.2.1), folded eight bytes at a time.
#pragma once

#include <QByteArrayView>

#include <cstring>

namespace Gatehouse {

// Copies `name` to `out` (name.size() bytes) with ASCII 'A'-'Z' folded to lowercase; every other
// byte as it is. Eight bytes per step: a request's dozen names are folded on every call.
inline void http2LowercaseName(QByteArrayView name, char *out) noexcept
{
    const auto fold = [](quint64 x) {
        const quint64 low7 = x & 0x7f7f7f7f7f7f7f7full;
        const quint64 atLeastA = low7 + 0x3f3f3f3f3f3f3f3full;    // bit 7 set: byte >= 'A'
        const quint64 pastZ = low7 + 0x2525252525252525ull;       // bit 7 set: byte > 'Z'
        const quint64 upper = atLeastA & ~pastZ & ~x & 0x8080808080808080ull;   // ASCII only
        return x | (upper >> 2);   // 0x80 >> 2 == 0x20, the case bit
    };
    const char *in = name.data();
    qsizetype n = name.size();
    for (; n >= 8; in += 8, out += 8, n -= 8) {
        quint64 x;
        std::memcpy(&x, in, 8);
        x = fold(x);
        std::memcpy(out, &x, 8);
    }
    if (n > 0) {
        quint64 x = 0;
        std::memcpy(&x, in, size_t(n));
        x = fold(x);
        std::memcpy(out, &x, size_t(n));
    }
}

} // namespace Gatehouse
