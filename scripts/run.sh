#!/usr/bin/env bash
# Installs what is missing (Debian 12, apt), builds Gatehouse and starts it on the sample project.
#   scripts/run.sh                     the workbench (gatehouse) on resources/samples/petstore
#   scripts/run.sh --daemon            gatehoused serve on it instead (headless gateway)
#   scripts/run.sh [--daemon] DIR      another project folder
#   other options go to the program: e.g. --daemon --http-port 8080 --workers 2 (gatehoused serve)
# Without a display the workbench runs under xvfb-run (invisible; for screenshots and smoke tests).
set -euo pipefail
cd "$(dirname "$0")/.."

mode=workbench
project=resources/samples/petstore
passthrough=()
while [ $# -gt 0 ]; do
    case "$1" in
        --daemon) mode=daemon ;;
        -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        --http-port|--https-port|--admin-port|--workers)   # options with a value
            passthrough+=("$1" "${2:?run.sh: $1 needs a value}")
            shift ;;
        -*) passthrough+=("$1") ;;
        *) project="$1" ;;
    esac
    shift
done

if [ "$mode" = daemon ]; then
    scripts/deps.sh build
    cmake --preset release -DGATEHOUSE_BUILD_GUI=OFF >/dev/null
else
    scripts/deps.sh build run
    cmake --preset release -DGATEHOUSE_BUILD_GUI=ON >/dev/null
fi
cmake --build --preset release -j "$(nproc)"

if [ "$mode" = daemon ]; then
    exec build/release/gatewaycore/daemon/gatehoused serve "$project" "${passthrough[@]}"
fi
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
    echo "run.sh: no display found; starting the workbench under xvfb-run (use --daemon for the gateway alone)" >&2
    exec xvfb-run -a build/release/app/gatehouse "$project" "${passthrough[@]}"
fi
exec build/release/app/gatehouse "$project" "${passthrough[@]}"
