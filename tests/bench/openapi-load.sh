#!/bin/sh
# Times loading the two big OpenAPI specs of the corpus (target: < 150 ms each, RelWithDebInfo).
# On a busy machine read the CPU column: wall time includes waiting for a core.
# Usage: tests/bench/openapi-load.sh BUILD_DIR [RUNS]   (builds nothing; build bench_openapi_load first)
set -eu
build=${1:?usage: $0 BUILD_DIR [RUNS]}
runs=${2:-20}
here=$(cd "$(dirname "$0")" && pwd)
corpus=${GATEHOUSE_CORPUS:-$here/../../../shared/corpus}
bench=$build/tests/bench/bench_openapi_load
[ -x "$bench" ] || { echo "$bench not found: cmake --build $build --target bench_openapi_load" >&2; exit 2; }
exec "$bench" -n "$runs" \
    "$corpus/openapi/real/docker-engine-swagger-2.0.yaml" \
    "$corpus/openapi/real/twilio_verify_v2-3.0.1.json"
