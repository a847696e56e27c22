#!/usr/bin/env bash
# Compress and decompress speed of the byte transformer through the real CLI, on data the model
# really codes (not stored raw): a confident random model (--logit-scale 8) of each preset and
# CHUNKS 2048-byte samples of itself. Usage: scripts/lm-speed.sh [CHUNKS_200K] [CHUNKS_3.2M]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LMZIP="$ROOT/build/lmzip"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

measure() {  # measure PRESET CHUNKS
  local preset=$1 chunks=$2 m="$WORK/$1.safetensors" in="$WORK/$1.in"
  "$LMZIP" model init --preset "$preset" --seed 1 --logit-scale 8 -o "$m" >/dev/null
  : > "$in"
  for ((i = 0; i < chunks; i++)); do
    "$LMZIP" sample -m "$m" -n 2048 --seed "$i" -o "$WORK/s" && cat "$WORK/s" >> "$in"
  done
  local bytes; bytes=$(stat -c %s "$in")
  for t in 1 2; do
    local t0 t1 t2
    t0=$(date +%s.%N)
    "$LMZIP" -m "$m" -T $t -c "$in" > "$WORK/a.lmz"
    t1=$(date +%s.%N)
    "$LMZIP" -d -m "$m" -T $t -c "$WORK/a.lmz" | cmp - "$in"
    t2=$(date +%s.%N)
    awk -v p="$preset" -v t=$t -v b="$bytes" -v a="$(stat -c %s "$WORK/a.lmz")" -v t0="$t0" -v t1="$t1" -v t2="$t2" \
      'BEGIN { printf "%-5s -T %d  %8d bytes  ratio %6.2f%%  compress %7.1f KB/s  decompress %7.1f KB/s\n",
               p, t, b, 100 * a / b, b / 1000 / (t1 - t0), b / 1000 / (t2 - t1) }'
  done
}

grep -m1 "model name" /proc/cpuinfo
measure 200K "${1:-64}"
measure 3.2M "${2:-16}"
