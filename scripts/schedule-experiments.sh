#!/usr/bin/env bash
# Two small experiments on the training schedule, run on the CPU with the 200K preset, that plan
# the GPU sessions (docs/training.md, "Planning the GPU sessions on the CPU"). Every figure is the
# corpus's held-out part (valid.txt, never the evaluation texts), bits per byte, whole windows.
#
#   continuation: one cosine schedule of 1200 steps (S) against 600 steps (A) followed by
#     `--init` runs of 600 steps with a fresh schedule and another seed: peak lr 3e-3 (A3),
#     1e-3 (A1), 3e-3 with a 20-step warm-up (A3w). Windows of 256, batch 8.
#   windows: 400 steps of 16,384 bytes, windows of 2048 all along (W2048) against windows of
#     SHORT bytes for SHARE% of the steps, then 2048 (W<SHORT>_<SHARE>: --stop-after, --resume),
#     held-out at 2048 at the end either way.
#
# Usage: scripts/schedule-experiments.sh OUT_DIR [RUN...]   (default: all; about 50 minutes on
# 2 cores). Runs: S A A3 A1 A3w W2048 W512_50 W512_75 W256_50 W256_75. The CPU backend is
# reproducible for a given seed and thread count, so a rerun on one machine gives the same figures.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LMZIP="${LMZIP:-$ROOT/build/lmzip}"
CORPUS="${CORPUS:-$ROOT/data/corpus}"
OUT="${1:?usage: scripts/schedule-experiments.sh OUT_DIR [RUN...]}"
shift
RUNS=("$@")
(( ${#RUNS[@]} > 0 )) || RUNS=(S A A3 A1 A3w W2048 W512_50 W512_75 W256_50 W256_75)
[[ -f $CORPUS/train.txt ]] || "$ROOT/scripts/make-corpus.sh"
mkdir -p "$OUT"

cont=(--corpus "$CORPUS" --preset 200K --seq-len 256 --batch 8 -T 2 --eval-bytes 262144 -q)
win=(--corpus "$CORPUS" --preset 200K -T 2 --lr 3e-3 --min-lr 3e-4 --warmup 40 --eval-bytes 262144 --seed 1 -q
     --steps 400 --eval-every 100)

train() {  # RUN ARGS...: a fresh run in OUT/RUN
  local run=$1
  shift
  rm -rf "${OUT:?}/$run"
  "$LMZIP" train "$@" -o "$OUT/$run"
}

for run in "${RUNS[@]}"; do
  start=$SECONDS
  case $run in
    S) train S "${cont[@]}" --lr 3e-3 --min-lr 3e-4 --warmup 100 --steps 1200 --eval-every 600 --seed 1 ;;
    A) train A "${cont[@]}" --lr 3e-3 --min-lr 3e-4 --warmup 100 --steps 600 --eval-every 600 --seed 1 ;;
    A3 | A1 | A3w)
      [[ -f $OUT/A/model.safetensors ]] || { echo "$run needs run A first" >&2; exit 1; }
      case $run in
        A3) schedule=(--lr 3e-3 --min-lr 3e-4 --warmup 100) ;;
        A1) schedule=(--lr 1e-3 --min-lr 1e-4 --warmup 100) ;;
        A3w) schedule=(--lr 3e-3 --min-lr 3e-4 --warmup 20) ;;
      esac
      train "$run" "${cont[@]}" "${schedule[@]}" --steps 600 --eval-every 600 --seed 2 --init "$OUT/A/model.safetensors" ;;
    W2048) train W2048 "${win[@]}" --seq-len 2048 --batch 8 ;;
    W*_*)
      short=${run#W}
      share=${short#*_}
      short=${short%_*}
      train "$run" "${win[@]}" --seq-len "$short" --batch $(( 16384 / short )) --stop-after $(( 400 * share / 100 ))
      "$LMZIP" train "${win[@]}" --seq-len 2048 --batch 8 --resume -o "$OUT/$run" ;;
    *) echo "unknown run $run" >&2; exit 1 ;;
  esac
  bits=$(python3 -c "import json, sys; print(json.load(open(sys.argv[1]))['valid_bits_per_byte'])" "$OUT/$run/run.json")
  echo "$run held-out $bits bits/byte, $(( SECONDS - start )) s" | tee -a "$OUT/summary.txt"
done
