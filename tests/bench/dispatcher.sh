#!/usr/bin/env bash
# EpollEventDispatcher vs Qt's own dispatchers (glib, poll) on a keep-alive HTTP responder (1 KiB
# body, one worker thread): wrk req/s and server CPU per request, without and with thousands of idle
# keep-alive connections (DESIGN.md, "Data plane decisions"). Prints numbers and ratios, never fails.
# Usage: tests/bench/dispatcher.sh BUILD_DIR       (installs nothing; needs wrk and python3)
#        env DURATION=10s CONNECTIONS=50 IDLE=8000 ROUNDS=1 (best of ROUNDS is reported)
set -euo pipefail
build=${1:?usage: $0 BUILD_DIR}
here=$(cd "$(dirname "$0")" && pwd)
responder=$build/tests/bench/bench_dispatcher_responder
[ -x "$responder" ] || { echo "$responder not found: cmake --build $build --target bench_dispatcher_responder" >&2; exit 2; }
command -v wrk >/dev/null || { echo "wrk not found (Debian: apt-get install -y wrk)" >&2; exit 2; }
python=/usr/bin/python3
[ -x "$python" ] || python=python3
duration=${DURATION:-10s} connections=${CONNECTIONS:-50} idle=${IDLE:-8000} rounds=${ROUNDS:-1}
ulimit -n "$(ulimit -Hn)"
hz=$(getconf CLK_TCK)
work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

wait_for_line() { # FILE PREFIX TENTHS_OF_SECONDS
    for _ in $(seq "$3"); do grep -q "^$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
    echo "timed out waiting for '$2' in $1" >&2
    exit 1
}

# run DISPATCHER IDLE_COUNT: appends "req/s cpu-µs-per-request" to $work/results (no subshell, so
# the EXIT trap still knows every process it started)
run() {
    local out=$work/$1-$2 server idler= port before after
    case $1 in # Qt picks glib unless QT_NO_GLIB is set, then its poll() dispatcher
        glib) env -u QT_NO_GLIB "$responder" --dispatcher qt > "$out.port" & ;;
        poll) QT_NO_GLIB=1 "$responder" --dispatcher qt > "$out.port" & ;;
        epoll) "$responder" --dispatcher epoll > "$out.port" & ;;
    esac
    server=$!
    pids+=("$server")
    wait_for_line "$out.port" port 100
    port=$(awk '/^port/ {print $2}' "$out.port")
    if [ "$2" -gt 0 ]; then
        "$python" "$here/dispatcher_idle.py" "$port" "$2" > "$out.idle" &
        idler=$!
        pids+=("$idler")
        wait_for_line "$out.idle" ready 1200
    fi
    before=$(awk '{print $14 + $15}' "/proc/$server/stat")
    wrk -t1 -c"$connections" -d"$duration" "http://127.0.0.1:$port/" > "$out.wrk"
    after=$(awk '{print $14 + $15}' "/proc/$server/stat")
    if [ -n "$idler" ]; then kill "$idler"; wait "$idler" 2>/dev/null || true; fi
    kill "$server"
    wait "$server" 2>/dev/null || true
    if grep -qE 'Socket errors|Non-2xx' "$out.wrk"; then
        echo "  $1 with $2 idle: $(grep -E 'Socket errors|Non-2xx' "$out.wrk" | tr -s ' ')" >&2
    fi
    awk -v ticks=$((after - before)) -v hz="$hz" '
        /^Requests\/sec/ { rps = $2 } / requests in / { n = $1 }
        END { printf "%.0f %.2f\n", rps, ticks / hz * 1e6 / n }' "$out.wrk" >> "$work/results"
}

declare -A rps cpu
measure() { # DISPATCHER IDLE_COUNT: keeps the round with the most req/s
    : > "$work/results"
    for _ in $(seq "$rounds"); do run "$1" "$2"; done
    read -r rps[$1,$2] cpu[$1,$2] < <(sort -k1,1nr "$work/results" | head -1)
}

echo "wrk -t1 -c$connections -d$duration http://127.0.0.1/ (1 KiB body, one worker thread), best of $rounds"
echo "CPU per request = server user+system CPU during the wrk run / requests (${hz} Hz ticks)"
dispatchers="glib poll epoll"
for count in 0 "$idle"; do
    for dispatcher in $dispatchers; do measure "$dispatcher" "$count"; done
done
ratio() { echo "$1 / $2" | bc -l; }
printf '\n%-12s %10s %11s %14s %11s %13s\n' dispatcher "req/s" "µs CPU/req" "req/s +$idle" "µs CPU/req" "with/without"
for d in $dispatchers; do
    printf '%-12s %10s %11s %14s %11s %13.2f\n' "$d" "${rps[$d,0]}" "${cpu[$d,0]}" \
        "${rps[$d,$idle]}" "${cpu[$d,$idle]}" "$(ratio "${rps[$d,$idle]}" "${rps[$d,0]}")"
done
for d in glib poll; do
    printf '%-12s %10.2f %11.2f %14.2f %11.2f\n' "epoll/$d" \
        "$(ratio "${rps[epoll,0]}" "${rps[$d,0]}")" "$(ratio "${cpu[epoll,0]}" "${cpu[$d,0]}")" \
        "$(ratio "${rps[epoll,$idle]}" "${rps[$d,$idle]}")" "$(ratio "${cpu[epoll,$idle]}" "${cpu[$d,$idle]}")"
done
for d in $dispatchers; do echo "$d = $(awk '/^port/ {print $4}' "$work/$d-0.port")"; done
