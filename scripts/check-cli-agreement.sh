#!/usr/bin/env bash
# Checks that lmzip's gzip and xz rows agree with the gzip -9 and xz command-line tools on the
# same prepared bytes, whole and 2048-chunked (header H counted once, H measured the same way).
# Usage: scripts/check-cli-agreement.sh --data text=PATH [--data image=PATH ...]
# Prints one line per (data set, codec, mode) and exits 1 if any differs by more than 0.5%.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LMZIP="$ROOT/build/lmzip"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

specs=()
while (($#)); do
  case "$1" in
    --data) specs+=("$2"); shift 2 ;;
    *) echo "usage: $0 --data MODALITY=PATH [...]" >&2; exit 2 ;;
  esac
done
((${#specs[@]})) || { echo "usage: $0 --data MODALITY=PATH [...]" >&2; exit 2; }

tool_size() {  # tool_size CODEC FILE -> bytes of the CLI's output
  case "$1" in
    gzip) gzip -9 -n -c "$2" | wc -c ;;
    xz) xz -6 -c "$2" | wc -c ;;
  esac
}

status=0
printf "%-8s %-5s %-8s %12s %12s %8s\n" dataset codec rows lmzip tool diff%
for i in "${!specs[@]}"; do
  spec="${specs[$i]}"
  label="${spec%%=*}"
  "$LMZIP" prepare --data "$spec" -o "$WORK/prepared.bin" -q
  "$LMZIP" bench --data "$spec" --codecs gzip,xz --csv "$WORK/r.csv" -q
  rm -rf "$WORK/chunks" && mkdir "$WORK/chunks"
  (cd "$WORK/chunks" && split -b 2048 -a 6 "$WORK/prepared.bin" c.)
  n=$(ls "$WORK/chunks" | wc -l)
  printf '\0' > "$WORK/zero"
  for codec in gzip xz; do
    h=$(tool_size $codec "$WORK/zero")
    whole_tool=$(tool_size $codec "$WORK/prepared.bin")
    sum=0
    for c in "$WORK"/chunks/c.*; do sum=$((sum + $(tool_size $codec "$c"))); done
    chunked_tool=$((sum - (n - 1) * h))
    for rows in whole chunked; do
      ours=$(awk -F, -v c=$codec -v r=$rows '$1==c && $2==r {print $8}' "$WORK/r.csv")
      tool=$whole_tool; [[ $rows == chunked ]] && tool=$chunked_tool
      diff=$(awk -v a="$ours" -v b="$tool" 'BEGIN{printf "%.3f", (a-b)*100/b}')
      printf "%-8s %-5s %-8s %12s %12s %8s\n" "$label" $codec $rows "$ours" "$tool" "$diff"
      awk -v d="$diff" 'BEGIN{exit !(d > 0.5 || d < -0.5)}' && status=1
    done
  done
done
exit $status
