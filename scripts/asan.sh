#!/usr/bin/env bash
# The non-slow integration tests under AddressSanitizer + UndefinedBehaviorSanitizer, locally.
# They are not in .ci/run (docs/security.md, "Sanitizers": about 240 CPU-s to build and 90 s to run
# would take CI past its budget). Uses the `fuzz` preset's build tree (clang-14, ASan+UBSan) with
# GATEHOUSE_BUILD_INTEGRATION_TESTS=ON, builds only gatehoused and those tests, and halts a test on
# its first report, with the `sanitized` test preset's options.
#   GATEHOUSE_ASAN_TESTS=REGEX   run only the matching tests
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh build test
cmake --preset fuzz -DGATEHOUSE_BUILD_INTEGRATION_TESTS=ON >/dev/null
mapfile -t tests < <(ctest --test-dir build/fuzz -N -L integration -LE slow | awk '/Test +#/ {print $3}')
[ ${#tests[@]} -gt 0 ] || { echo "asan.sh: no integration tests configured" >&2; exit 1; }
nice cmake --build build/fuzz -j 2 --target gatehoused "${tests[@]}"

regex="^($(IFS='|'; echo "${tests[*]}"))\$"
[ -n "${GATEHOUSE_ASAN_TESTS:-}" ] && regex="$GATEHOUSE_ASAN_TESTS"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
export ASAN_OPTIONS="detect_leaks=1:check_initialization_order=1:strict_string_checks=1"
ctest --test-dir build/fuzz -j 2 -R "$regex" -LE slow --output-on-failure
