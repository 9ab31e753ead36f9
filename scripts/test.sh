#!/usr/bin/env bash
# Installs what is missing (Debian 12, apt), builds Gatehouse and runs the whole test suite:
# unit, integration and widget tests (offscreen); then, in a second build by clang-14 with
# AddressSanitizer + UndefinedBehaviorSanitizer (`fuzz` preset), each libFuzzer target as a short
# regression and every test again, widget and slow ones included (`sanitized` test preset; halt on
# the first report), but the packaging check. That build makes only what it runs (no benchmarks). Then
# scripts/tsan.sh: the dispatcher, engine/worker, rate-limit and reload tests under ThreadSanitizer
# (`tsan` preset, only their targets; a report fails the run). Under CI=true the first build and
# the third compile the core as a unity build (GATEHOUSE_UNITY_BUILD), the second one file by file
# as developers do, so that both ways are built.
#   GATEHOUSE_SKIP_FUZZ=1        skip the sanitized build and everything run in it
#   GATEHOUSE_SKIP_TSAN=1        skip the ThreadSanitizer build and its tests
#   GATEHOUSE_FUZZ_SECONDS=N     seconds per fuzz target (default 10)
#   GATEHOUSE_TEST_LABELS=REGEX  run only tests whose label matches (e.g. unit) in the GCC build
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh build run test
# Test peers from the npm registry (OAuth2 authorization servers), installed once from their lock files.
for peer in tests/peers/oauth tests/peers/oidc; do
    if [ ! -d "$peer/node_modules" ] && command -v npm >/dev/null; then
        (cd "$peer" && npm ci --silent --no-audit --no-fund)
    fi
done

preset=dev
configure_args=()
if [ "${CI:-}" = true ]; then
    # CI: warnings are errors; line tables only (-g1: function names and lines in backtraces), which
    # compiles in ~30 % less CPU than the preset's full -g and links smaller objects; the core as a
    # unity build (batches of 8 files: ~43 % less CPU for the core). See docs/security.md, "What CI
    # costs". Given here rather than in the preset, which is also the developers' build.
    preset=ci
    configure_args=(-DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" -DGATEHOUSE_UNITY_BUILD=ON)
fi
jobs=$(nproc)
# Tests run two per core: most of them wait on sockets, timers and child processes (the `ci` suite
# kept 2 cores 50 % busy at -j2: 156 CPU-s in 155 s; 88 s at -j4). Fuzz targets and ThreadSanitizer
# keep a core busy each and run one per core. gatehouse_add_test's COST starts the long tests first,
# PROCESSORS gives a busy one two slots.
test_jobs=$((2 * jobs))

cmake --preset "$preset" "${configure_args[@]}" >/dev/null
cmake --build --preset "$preset" -j "$jobs"

label_args=(--label-exclude fuzz)
[ -n "${GATEHOUSE_TEST_LABELS:-}" ] && label_args=(--label-regex "$GATEHOUSE_TEST_LABELS")

if [ "${GATEHOUSE_SKIP_FUZZ:-}" != 1 ]; then
    cmake --preset fuzz >/dev/null
    # The targets of the tests the `fuzz` and `sanitized` test presets select (a test is named after its
    # target), gatehoused, which the integration tests start, and the workbench, whose command line
    # tst_mainwindow runs.
    mapfile -t targets < <({ ctest --preset fuzz -N; ctest --preset sanitized -N; } | awk '/Test +#/ {print $3}')
    [ ${#targets[@]} -gt 0 ] || { echo "test.sh: no tests configured in build/fuzz" >&2; exit 1; }
    cmake --build --preset fuzz -j "$jobs" --target gatehoused gatehouse "${targets[@]}"
    GATEHOUSE_FUZZ_SECONDS="${GATEHOUSE_FUZZ_SECONDS:-10}" ctest --preset fuzz -j "$jobs"
    ctest --preset sanitized -j "$test_jobs"
fi

if [ "${GATEHOUSE_SKIP_TSAN:-}" != 1 ]; then
    scripts/tsan.sh
fi

# Last, so that its closing line ("100% tests passed, 0 tests failed out of N") ends the output.
ctest --preset "$preset" -j "$test_jobs" "${label_args[@]}"
