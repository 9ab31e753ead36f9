// Field names as nghttp2 takes them: lowercase (RFC 9113 §8.2.1), folded eight bytes at a time;
// and names compared with literals inline.
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
    const auto foldAt = [&fold](const char *from, char *to) {
        quint64 x;
        std::memcpy(&x, from, 8);
        x = fold(x);
        std::memcpy(to, &x, 8);
    };
    const char *in = name.data();
    const qsizetype size = name.size();
    if (size < 8) {
        for (qsizetype i = 0; i < size; ++i) {
            const char c = in[i];
            out[i] = c >= 'A' && c <= 'Z' ? char(c | 0x20) : c;
        }
        return;
    }
    qsizetype i = 0;
    for (; i + 8 <= size; i += 8)
        foldAt(in + i, out + i);
    if (i < size)   // the last eight bytes again, overlapping: folding twice changes nothing
        foldAt(in + size - 8, out + size - 8);
}

// Exact equality with a literal, as a fixed-size memcmp the compiler expands inline
// (QByteArrayView's operator== calls out of line): a request's fields are classified with it.
template <qsizetype N>
inline bool http2Equals(QByteArrayView text, const char (&literal)[N]) noexcept
{
    static_assert(N > 1);
    return text.size() == N - 1 && std::memcmp(text.data(), literal, size_t(N - 1)) == 0;
}

} // namespace Gatehouse
