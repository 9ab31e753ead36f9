#!/usr/bin/env bash
# ThreadSanitizer run of the tests that exercise threads: the epoll dispatcher, the engine with its
# worker threads (in-process gateways), rate limiting (local and Redis-backed counters) and hot reload.
# Builds only those targets of the `tsan` preset (GCC, Debug, -fsanitize=thread) and runs them; any
# report fails the run, and nothing is suppressed. Qt, glib and OpenSSL are not instrumented
# (ignore_noninstrumented_modules=1 drops their own accesses), so the happens-before of their futex
# mutexes is invisible: work goes to other threads through ThreadMailbox (base/threadmailbox.h,
# a std::mutex TSan sees), not as queued lambdas through Qt's event queue.
#   GATEHOUSE_TSAN_TESTS=REGEX   run only the matching tests of the set below
set -euo pipefail
cd "$(dirname "$0")/.."

tests=(
    tst_threadmailbox tst_epolleventdispatcher tst_epolleventdispatcher_mainthread
    tst_gcra tst_localratelimitstore tst_ratelimitfilter
    tst_proxybasics tst_ratelimit tst_redisratelimitstore tst_ratelimitredis tst_reload
)

cmake --preset tsan >/dev/null
nice cmake --build --preset tsan -j "$(nproc)" --target gatehoused "${tests[@]}"

regex="^($(IFS='|'; echo "${tests[*]}"))\$"
[ -n "${GATEHOUSE_TSAN_TESTS:-}" ] && regex="$GATEHOUSE_TSAN_TESTS"
# halt_on_error: the first race fails its test (with the report in the output) instead of scrolling by.
# die_after_fork=0: QProcess forks the multi-threaded test to start redis-server or gatehoused, and
# TSan would kill that child before its exec.
export TSAN_OPTIONS="halt_on_error=1:die_after_fork=0:second_deadlock_stack=1:ignore_noninstrumented_modules=1"
ctest --preset tsan -j "$(nproc)" -R "$regex"
