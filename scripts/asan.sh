#!/usr/bin/env bash
# The non-slow integration tests under AddressSanitizer + UndefinedBehaviorSanitizer, alone: the part
# of .ci/run's sanitized stage (scripts/test.sh) to rerun by hand. Uses the `fuzz` preset's build tree
# (clang-14, ASan+UBSan, integration tests on), builds only gatehoused and those tests, and runs them
# with the `sanitized` test preset's options (halt a test on its first report).
#   GATEHOUSE_ASAN_TESTS=REGEX   run only the matching tests
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh build test
cmake --preset fuzz >/dev/null
mapfile -t tests < <(ctest --test-dir build/fuzz -N -L '^integration$' -LE '^slow$' | awk '/Test +#/ {print $3}')
[ ${#tests[@]} -gt 0 ] || { echo "asan.sh: no integration tests configured" >&2; exit 1; }
nice cmake --build build/fuzz -j 2 --target gatehoused "${tests[@]}"

regex="^($(IFS='|'; echo "${tests[*]}"))\$"
[ -n "${GATEHOUSE_ASAN_TESTS:-}" ] && regex="$GATEHOUSE_ASAN_TESTS"
ctest --preset sanitized -j 2 -L '^integration$' -R "$regex"
