#!/bin/sh
# Per-request cost of the body policies on a 10 KiB JSON body: json-to-xml (target <= 50 us) and
# validate-request (parse + schema), as median CPU time of the measuring thread, with the bare
# JSON parse measured in the same run as the reference.
# Usage: tests/bench/body-policies.sh BUILD_DIR [RUNS]   (build bench_body_policies first)
set -eu
build=${1:?usage: $0 BUILD_DIR [RUNS]}
runs=${2:-2000}
bench=$build/tests/bench/bench_body_policies
[ -x "$bench" ] || { echo "$bench not found: cmake --build $build --target bench_body_policies" >&2; exit 2; }
exec "$bench" -n "$runs"
