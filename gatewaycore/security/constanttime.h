// Comparisons whose time does not depend on where two byte strings differ.
#pragma once

#include <QByteArrayView>

namespace Gatehouse {

// True when `a` and `b` hold the same bytes. The time depends on their lengths only (lengths are
// not secret here: a token's length is visible on the wire), not on their contents. The verified-
// token cache compares every cached bearer token (~800 bytes) with this on each request, so it
// reads 64 bytes per loop turn in vector registers: AVX2 where the CPU has it, SSE2 otherwise
// (one function, chosen once by the loader).
bool constantTimeEquals(QByteArrayView a, QByteArrayView b) noexcept;

} // namespace Gatehouse
