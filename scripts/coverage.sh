#!/usr/bin/env bash
# Line coverage of the test suite, per folder, with a floor for the core.
# Builds the `coverage` preset (GCC --coverage, -O0), runs the unit, widget and non-slow integration
# tests with fresh counters, prints line coverage per folder (gatewaycore/<module>/, editors/, app/)
# with gcovr, and exits 1 if gatewaycore's total is below the floor (or if a test failed).
# Not part of .ci/run: see docs/security.md ("Coverage") for what it costs.
#   scripts/coverage.sh [BUILD_DIR]    default build/coverage
#   COVERAGE_FLOOR=PERCENT             gatewaycore's minimum line coverage (default below)
#   GATEHOUSE_COVERAGE_LABELS=REGEX    ctest labels to run (default unit|integration|ui; slow never)
#   GATEHOUSE_COVERAGE_SKIP_TESTS=1    report the counters of an earlier run without running tests
# Reports in BUILD_DIR: coverage-summary.json (per file), coverage.txt, coverage-html/index.html.
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir="${1:-build/coverage}"
floor="${COVERAGE_FLOOR:-87}"
labels="${GATEHOUSE_COVERAGE_LABELS:-unit|integration|ui}"
jobs=2   # the -O0 build and tests are long; nice'd and two jobs, as on the shared machines

scripts/deps.sh build run test coverage

cmake --preset coverage -B "$build_dir" >/dev/null
nice cmake --build "$build_dir" -j "$jobs"

tests_failed=0
if [ "${GATEHOUSE_COVERAGE_SKIP_TESTS:-}" != 1 ]; then
    # Counters accumulate across runs in the .gcda files next to the objects: start from zero.
    find "$build_dir" -name '*.gcda' -delete
    nice ctest --test-dir "$build_dir" -j "$jobs" --label-regex "$labels" --label-exclude slow \
        --output-on-failure || tests_failed=1
fi

mkdir -p "$build_dir/coverage-html"
# The build tree may sit inside the checkout (build/...): its moc and resource files are not ours.
# Worker threads bump the same counters without atomics, so a branch count can come out negative
# ("branch 1 taken -18"); gcovr stops at such a line unless told to skip it. Line counts stay usable.
nice gcovr --root . --object-directory "$build_dir" -j "$jobs" --gcov-ignore-parse-errors \
    --filter 'gatewaycore/' --filter 'editors/' --filter 'app/' --exclude 'build/' \
    --json-summary "$build_dir/coverage-summary.json" --txt "$build_dir/coverage.txt" \
    --html-details "$build_dir/coverage-html/index.html" >/dev/null
python3 - "$build_dir/coverage-summary.json" "$floor" "$tests_failed" <<'EOF'
import json, sys

summary_path, floor, tests_failed = sys.argv[1], float(sys.argv[2]), sys.argv[3] == "1"
files = json.load(open(summary_path))["files"]

def folder(path):
    parts = path.split("/")
    if parts[0] == "gatewaycore" and len(parts) > 2:
        return "gatewaycore/" + parts[1] + "/"
    return parts[0] + "/"

folders = {}
for f in files:
    covered, total = folders.get(folder(f["filename"]), (0, 0))
    folders[folder(f["filename"])] = (covered + f["line_covered"], total + f["line_total"])

def percent(covered, total):
    return 100.0 * covered / total if total else 100.0

print(f"{'folder':<26} {'lines':>7} {'covered':>8} {'cover':>7}")
core = [0, 0]
for name in sorted(folders, key=lambda n: (not n.startswith("gatewaycore/"), n)):
    covered, total = folders[name]
    print(f"{name:<26} {total:>7} {covered:>8} {percent(covered, total):>6.1f}%")
    if name.startswith("gatewaycore/"):
        core[0] += covered
        core[1] += total
core_percent = percent(*core)
print(f"{'gatewaycore (total)':<26} {core[1]:>7} {core[0]:>8} {core_percent:>6.1f}%")

status = 0
if core[1] == 0:
    print("coverage: no counters for gatewaycore (did the tests run in this build?)", file=sys.stderr)
    status = 1
elif core_percent < floor:
    print(f"coverage: gatewaycore at {core_percent:.1f}% is below the floor of {floor:g}% "
          "(COVERAGE_FLOOR)", file=sys.stderr)
    status = 1
else:
    print(f"coverage: gatewaycore at {core_percent:.1f}% (floor {floor:g}%)")
if tests_failed:
    print("coverage: some tests failed (see above); their counters are included", file=sys.stderr)
    status = 1
sys.exit(status)
EOF
