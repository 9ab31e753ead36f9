// Constant-time byte comparison, vectorised for the CPU it runs on.
#include "constanttime.h"

#include <cstdint>
#include <cstring>

namespace Gatehouse {

namespace {

// GCC's generic vectors: one 32-byte register with AVX2, two 16-byte ones with SSE2. (Loaded in
// place: a function returning one would change its ABI between the two builds.)
typedef std::uint64_t Lanes __attribute__((vector_size(32)));

} // namespace

// No early exit anywhere: every byte is read and folded into `diff`, whatever it holds.
// Not cloned under ThreadSanitizer: the ifunc resolver runs while the dynamic loader relocates the
// program, before the TSan runtime is set up, and its instrumented body crashes the program at start.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && defined(__linux__) \
    && !defined(__SANITIZE_THREAD__)
__attribute__((target_clones("avx2", "default")))
#endif
bool constantTimeEquals(QByteArrayView a, QByteArrayView b) noexcept
{
    if (a.size() != b.size())
        return false;
    const char *pa = a.data();
    const char *pb = b.data();
    const qsizetype n = a.size();
    qsizetype i = 0;
    Lanes d0 = {0, 0, 0, 0};
    Lanes d1 = d0;
    Lanes x0, y0, x1, y1;
    for (; i + 64 <= n; i += 64) {
        std::memcpy(&x0, pa + i, 32);
        std::memcpy(&y0, pb + i, 32);
        std::memcpy(&x1, pa + i + 32, 32);
        std::memcpy(&y1, pb + i + 32, 32);
        d0 |= x0 ^ y0;
        d1 |= x1 ^ y1;
    }
    if (i + 32 <= n) {
        std::memcpy(&x0, pa + i, 32);
        std::memcpy(&y0, pb + i, 32);
        d0 |= x0 ^ y0;
        i += 32;
    }
    d0 |= d1;
    std::uint64_t diff = d0[0] | d0[1] | d0[2] | d0[3];
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
