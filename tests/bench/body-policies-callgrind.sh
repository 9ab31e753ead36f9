#!/bin/sh
# Instructions per call of the body policies (callgrind), steadier than CPU time on a shared,
# loaded machine: each workload of bench_body_policies runs alone (--only) and only the
# instructions inside benchCall() are counted, divided by the calls (RUNS + 20 warm-up).
# Usage: tests/bench/body-policies-callgrind.sh BUILD_DIR [RUNS]   (needs valgrind)
set -eu
build=${1:?usage: $0 BUILD_DIR [RUNS]}
runs=${2:-50}
bench=$build/tests/bench/bench_body_policies
[ -x "$bench" ] || { echo "$bench not found: cmake --build $build --target bench_body_policies" >&2; exit 2; }
command -v valgrind >/dev/null || { echo "valgrind not found" >&2; exit 2; }
calls=$((runs + 20))
count() {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null --collect-atstart=no \
        --toggle-collect='*benchCall*' "$bench" --only "$1" -n "$runs" 2>&1 |
        sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
parse=$(count parse)
echo "instructions per call (callgrind, $calls calls each), ratio to the bare QJsonDocument::fromJson"
echo "  parse              $(awk -v n="$parse" -v c="$calls" 'BEGIN { printf "%10.0f", n / c }')  (1.00x)"
for w in json-to-xml json-to-xml-value validate schema xml-to-json; do
    n=$(count "$w")
    awk -v w="$w" -v n="$n" -v c="$calls" -v p="$parse" 'BEGIN { printf "  %-18s %10.0f  (%.2fx)\n", w, n / c, n / p }'
done
