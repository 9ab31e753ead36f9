// GCRA (the generic cell rate algorithm): the rate-limit decision alone, on one 64-bit state per
// key, with time passed in so that tests drive it with a fake clock (docs/rate-limiting.md).
#pragma once

#include <QtGlobal>

#include <functional>

namespace Gatehouse {

struct ThrottleTier;

// Nanoseconds on a steady clock. The stores read time through this, tests substitute their own.
using RateLimitClock = std::function<qint64()>;
RateLimitClock monotonicRateLimitClock();   // CLOCK_MONOTONIC

// A tier as GCRA sees it. count per period with `burst` extra: a fresh key admits count + burst
// requests at once, then one every period / count.
struct GcraLimit
{
    qint64 count = 0;
    qint64 burst = 0;
    qint64 periodNs = 0;
    qint64 intervalNs = 0;     // T: the steady gap between two requests, period / count (>= 1 ns)
    qint64 toleranceNs = 0;    // tau = (count + burst - 1) * T: how far ahead of time a key may run

    qint64 capacity() const { return count + burst; }
    static GcraLimit fromTier(const ThrottleTier &tier);
    static GcraLimit make(qint64 count, qint64 periodNs, qint64 burst = 0);
};

struct GcraResult
{
    bool admitted = false;
    qint64 tat = 0;            // the key's new state when admitted (theoretical arrival time, ns)
    qint64 remaining = 0;      // requests still admissible right now, after this one
    qint64 retryAfterNs = 0;   // rejected: when the next request would be admitted (> 0)
    qint64 resetNs = 0;        // until the key is back to its full capacity
};

// One decision. `tat` is the key's stored state (0 for a key never seen); `now` in the same
// clock. The caller stores result.tat only when admitted: a rejected request costs nothing.
GcraResult gcraDecide(const GcraLimit &limit, qint64 tat, qint64 now);

// A key whose state is <= now is indistinguishable from a key never seen: it may be forgotten.
inline bool gcraIsIdle(qint64 tat, qint64 now) { return tat <= now; }

} // namespace Gatehouse
