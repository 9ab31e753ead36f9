// GCRA (the generic cell rate algorithm): the rate-limit decision alone, on one 64-bit state per key.
#include "gcra.h"

#include "project/projectsettings.h"

#include <time.h>

namespace Gatehouse {

namespace {

// Bounds that keep every sum below 2^63 with a monotonic clock counting from boot: periods and
// tolerances are capped at about 73 years.
constexpr qint64 kMaxSpanNs = qint64(1) << 61;

qint64 saturatedProduct(qint64 a, qint64 b)
{
    qint64 p = 0;
    return __builtin_mul_overflow(a, b, &p) || p > kMaxSpanNs ? kMaxSpanNs : p;
}

} // namespace

RateLimitClock monotonicRateLimitClock()
{
    return [] {
        timespec ts{};
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return qint64(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
    };
}

GcraLimit GcraLimit::make(qint64 count, qint64 periodNs, qint64 burst)
{
    GcraLimit l;
    l.count = qMax<qint64>(1, count);
    l.burst = qBound<qint64>(0, burst, kMaxSpanNs);
    l.periodNs = qBound<qint64>(1, periodNs, kMaxSpanNs);
    l.intervalNs = qMax<qint64>(1, l.periodNs / l.count);
    l.toleranceNs = saturatedProduct(l.intervalNs, qMin(kMaxSpanNs, l.count - 1 + l.burst));
    return l;
}

GcraLimit GcraLimit::fromTier(const ThrottleTier &tier)
{
    const qint64 periodSeconds = qint64(timeUnitDuration(tier.unit).count()) * tier.unitTime;
    return make(tier.count, saturatedProduct(periodSeconds, 1'000'000'000), tier.burst);
}

GcraResult gcraDecide(const GcraLimit &limit, qint64 tat, qint64 now)
{
    GcraResult r;
    const qint64 start = qMax(tat, now);
    const qint64 ahead = start - now;   // how far the key runs ahead of the steady rate
    if (ahead > limit.toleranceNs) {
        r.retryAfterNs = ahead - limit.toleranceNs;
        r.resetNs = ahead;
        return r;
    }
    r.admitted = true;
    r.tat = start + limit.intervalNs;
    r.resetNs = r.tat - now;
    r.remaining = (limit.toleranceNs + limit.intervalNs - r.resetNs) / limit.intervalNs;
    return r;
}

} // namespace Gatehouse
