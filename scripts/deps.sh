#!/usr/bin/env bash
# Installs the Debian 12 packages Gatehouse needs (idempotent, no prompt).
# Usage: scripts/deps.sh [build|run|test|coverage]...   (default: build)
set -euo pipefail

build_pkgs=(
    build-essential cmake ninja-build pkg-config ccache lld
    qt6-base-dev qt6-base-dev-tools qt6-httpserver-dev qt6-websockets-dev
    qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools libgl-dev
    libqcustomplot-dev libqcustomplot2.1-qt6
    libssl-dev libyaml-cpp-dev libprotobuf-dev libprotoc-dev protobuf-compiler
    libnghttp2-dev liblua5.4-dev libhiredis-dev
)
run_pkgs=(qt6-qpa-plugins qt6-translations-l10n fonts-dejavu-core xvfb xauth)
test_pkgs=(curl wrk nginx-light python3 clang-14 libclang-rt-14-dev xvfb xauth xfonts-base
           redis-server python3-jwt python3-cryptography python3-prometheus-client prometheus
           nghttp2-client nghttp2-server haproxy libgrpc++-dev python3-grpcio python3-grpc-tools skopeo umoci podman nodejs)

coverage_pkgs=(gcovr)   # scripts/coverage.sh only

want=()
[ $# -eq 0 ] && set -- build
for group in "$@"; do
    case "$group" in
        build) want+=("${build_pkgs[@]}") ;;
        run) want+=("${run_pkgs[@]}") ;;
        test) want+=("${test_pkgs[@]}") ;;
        coverage) want+=("${coverage_pkgs[@]}") ;;
        *) echo "deps.sh: unknown group '$group' (build, run, test, coverage)" >&2; exit 2 ;;
    esac
done

missing=()
for p in $(printf '%s\n' "${want[@]}" | sort -u); do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "deps.sh: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
