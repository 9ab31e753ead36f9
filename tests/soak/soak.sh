#!/usr/bin/env bash
# Soak (issue 12; not in CI): gatehoused proxying to an nginx upstream for MINUTES at 70 % of the
# request rate it reached in a short unthrottled run, sampling its RSS and open descriptors every
# 10 s, then saying whether both stayed flat.
#
# Usage: tests/soak/soak.sh BUILD_DIR [MINUTES]      (default 10 minutes)
#   env CONNECTIONS=32 PROBE=10s WORKERS=2 SHARE=70 (percent of the probed rate)
# Needs (installs nothing): wrk (the probe), h2load (the paced load), nginx, python3.
#   Debian 12: apt-get install -y wrk nghttp2-client nginx-light
# Flat means: the mean of the last third of the samples is within 10 % (and 8 MiB) of the mean of
# the first third for RSS, and within 2 for descriptors. Exit 0 flat, 1 growing, 2 setup problem.
set -euo pipefail

build=$(cd "${1:?usage: $0 BUILD_DIR [MINUTES]}" && pwd)
minutes=${2:-10}
here=$(cd "$(dirname "$0")" && pwd)
gatehoused=$build/gatewaycore/daemon/gatehoused
connections=${CONNECTIONS:-32} probe=${PROBE:-10s} workers=${WORKERS:-2} share=${SHARE:-70}
python=/usr/bin/python3
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v h2load >/dev/null || missing+=(nghttp2-client)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
[ -x "$python" ] || missing+=(python3)
if [ ${#missing[@]} -gt 0 ]; then
    echo "missing: ${missing[*]} (Debian: apt-get install -y ${missing[*]})" >&2
    exit 2
fi
[ -x "$gatehoused" ] || { echo "$gatehoused not found: cmake --build $build --target gatehoused" >&2; exit 2; }
nginx=$(command -v nginx || echo /usr/sbin/nginx)

work=$(mktemp -d)
chmod 755 "$work"
pids=()
cleanup() {
    local pid
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { "$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_for() { # TENTHS_OF_SECONDS COMMAND...
    local n=$1
    shift
    for _ in $(seq "$n"); do "$@" 2>/dev/null && return 0; sleep 0.1; done
    echo "timed out waiting for: $*" >&2
    exit 2
}
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
fds() { find "/proc/$1/fd" -mindepth 1 -maxdepth 1 | wc -l; }
rps_of() { awk '/^Requests\/sec:/ {printf "%d", $2}' "$1"; }

# ---------------------------------------------------------------- upstream and gateway
up_port=$(free_port)
run_as=
[ "$(id -u)" = 0 ] && run_as="user root;"
mkdir -p "$work/tmp"
cat > "$work/upstream.conf" <<CONF
$run_as
worker_processes 1;
daemon off;
pid $work/upstream.pid;
error_log $work/upstream.err warn;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_requests 100000000;
    client_body_temp_path $work/tmp/body;
    proxy_temp_path $work/tmp/proxy;
    fastcgi_temp_path $work/tmp/fastcgi;
    uwsgi_temp_path $work/tmp/uwsgi;
    scgi_temp_path $work/tmp/scgi;
    server {
        listen 127.0.0.1:$up_port backlog=4096;
        location / { default_type application/json; return 200 '{"soak":true,"padding":"$(head -c 512 /dev/zero | tr '\0' 'x')"}'; }
    }
}
CONF
"$nginx" -p "$work/" -e "$work/upstream.err" -c "$work/upstream.conf" > "$work/upstream.out" 2>&1 &
pids+=($!)

project=$work/project
mkdir -p "$project/apis"
cat > "$project/gatehouse.yaml" <<YAML
version: 1
name: soak
listeners:
  http:
    address: 127.0.0.1
  https:
    address: 127.0.0.1
  admin:
    address: 127.0.0.1
YAML
cat > "$project/apis/soak.yaml" <<YAML
openapi: 3.0.3
info:
  title: soak
  version: '1'
servers:
  - url: http://127.0.0.1:$up_port/api
x-gatehouse-basePath: /soak
paths:
  /items/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: string}}
    get:
      responses:
        '200':
          description: the upstream's JSON
YAML
"$gatehoused" serve "$project" --workers "$workers" --no-https --http-port 0 --admin-port 0 \
    > "$work/gatehoused.out" 2> "$work/gatehoused.err" &
gh_pid=$!
pids+=("$gh_pid")
wait_for 100 listening "$up_port"
wait_for 300 grep -q 'admin  http' "$work/gatehoused.out"
gh_port=$(awk '/^  http +port/ {print $3}' "$work/gatehoused.out")
url="http://127.0.0.1:$gh_port/soak/items/42"
curl -fsS "$url" > /dev/null || { echo "gatehoused does not proxy: $(cat "$work/gatehoused.err")" >&2; exit 2; }

# ---------------------------------------------------------------- the rate
wrk -t1 -c"$connections" -d"$probe" "$url" > "$work/probe.txt"
max_rps=$(rps_of "$work/probe.txt")
[ "${max_rps:-0}" -gt 0 ] || { echo "the probe run completed no request" >&2; cat "$work/probe.txt" >&2; exit 2; }
target=$((max_rps * share / 100))
per_client=$("$python" -c "print(round($target / $connections, 2))")
echo "soak: gatehoused pid $gh_pid, $workers workers, $(nproc) CPUs; probe $max_rps req/s, target $target req/s ($share %) for $minutes min"

# ---------------------------------------------------------------- the soak
# wrk cannot hold a rate (its Lua delay() is whole milliseconds and its timers do not scale):
# h2load over HTTP/1.1 paces each connection to its share of the target.
h2load --h1 -t1 -c"$connections" --rps="$per_client" -D $((minutes * 60)) "$url" > "$work/soak.txt" 2>&1 &
load_pid=$!
pids+=("$load_pid")
samples="$work/samples"
: > "$samples"
end=$((SECONDS + minutes * 60))
printf '%8s %10s %6s\n' "seconds" "rss_kib" "fds"
start=$SECONDS
while [ $SECONDS -lt $end ] && kill -0 "$gh_pid" 2>/dev/null; do
    sleep 10
    # Samples only while the load runs (its connections closing at the end is no trend).
    kill -0 "$gh_pid" 2>/dev/null && kill -0 "$load_pid" 2>/dev/null || break
    line=$(printf '%8d %10d %6d' $((SECONDS - start)) "$(rss_kib "$gh_pid")" "$(fds "$gh_pid")")
    echo "$line"
    echo "$line" >> "$samples"
done
wait "$load_pid" || true
if ! kill -0 "$gh_pid" 2>/dev/null; then
    echo "soak: gatehoused died: $(tail -5 "$work/gatehoused.err")" >&2
    exit 1
fi
echo "soak: h2load: $(grep -E '^finished in|^requests:|^status codes:' "$work/soak.txt" | tr '\n' ';')"

"$python" - "$samples" <<'PY'
import sys
rows = [tuple(int(v) for v in line.split()) for line in open(sys.argv[1]) if line.strip()]
if len(rows) < 3:
    print("soak: fewer than 3 samples; run longer"); sys.exit(2)
third = max(1, len(rows) // 3)
first, last = rows[:third], rows[-third:]
mean = lambda xs: sum(xs) / len(xs)
rss0, rss1 = mean([r[1] for r in first]), mean([r[1] for r in last])
fd0, fd1 = mean([r[2] for r in first]), mean([r[2] for r in last])
rss_flat = rss1 - rss0 <= max(0.10 * rss0, 8192)
fd_flat = fd1 - fd0 <= 2
print(f"soak: RSS {rss0 / 1024:.1f} -> {rss1 / 1024:.1f} MiB ({'flat' if rss_flat else 'GROWING'}), "
      f"descriptors {fd0:.1f} -> {fd1:.1f} ({'flat' if fd_flat else 'GROWING'})")
sys.exit(0 if rss_flat and fd_flat else 1)
PY
