// The data plane's clock for deadlines and pool ages: CLOCK_MONOTONIC_COARSE.
#pragma once

#include <chrono>

#include <time.h>

namespace Gatehouse {

// A steady clock read without the TSC: a few nanoseconds through the vDSO, against ~20 for
// steady_clock, and a proxied request reads the time about ten times (deadlines move as the
// exchange progresses). Its resolution is the kernel's tick (1-10 ms), ample for timeouts that a
// 250 ms tick enforces. Its time points are a type of their own: mixing them with steady_clock's
// does not compile.
struct CoarseClock
{
    using duration = std::chrono::nanoseconds;
    using rep = duration::rep;
    using period = duration::period;
    using time_point = std::chrono::time_point<CoarseClock>;
    static constexpr bool is_steady = true;

    static time_point now() noexcept
    {
        timespec ts{};
        ::clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
        return time_point(std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec));
    }
};

} // namespace Gatehouse
