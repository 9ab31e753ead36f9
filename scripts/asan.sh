#!/usr/bin/env bash
# The sanitized stage of .ci/run (scripts/test.sh) alone, to rerun by hand: every test of the
# `sanitized` test preset (all but the fuzz targets and the packaging check, widget and slow tests
# included) under AddressSanitizer + UndefinedBehaviorSanitizer. Uses the `fuzz` preset's build tree
# (clang-14, ASan+UBSan), builds only gatehoused, the workbench and the tests it runs, and runs them
# with the preset's options (halt a test on its first report; LeakSanitizer on, no suppressions).
#   GATEHOUSE_ASAN_TESTS=REGEX   run (and build) only the matching tests
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh build test
cmake --preset fuzz >/dev/null
regex="${GATEHOUSE_ASAN_TESTS:-.}"
mapfile -t tests < <(ctest --preset sanitized -N -R "$regex" | awk '/Test +#/ {print $3}')
[ ${#tests[@]} -gt 0 ] || { echo "asan.sh: no test of the sanitized preset matches '$regex'" >&2; exit 1; }
nice cmake --build build/fuzz -j "$(nproc)" --target gatehoused gatehouse "${tests[@]}"
ctest --preset sanitized -j "$((2 * $(nproc)))" -R "$regex"
