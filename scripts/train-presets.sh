#!/usr/bin/env bash
# Trains a preset on the corpus and ships it with its model card: the exact recipe of the shipped
# models (models/*/README.md). Usage:
#   scripts/train-presets.sh PRESET [STEPS] [BATCH] [THREADS]     PRESET: 200K, 800K or 3.2M
# The corpus comes from scripts/make-corpus.sh (data/corpus). Windows are the paper's 2048 bytes
# from the first step (docs/training.md explains why). A run can be stopped and continued: the
# same command with RESUME=1 resumes from runs/<preset>/checkpoint.safetensors.
# models/lmzip-200k was made with: scripts/train-presets.sh 200K 1600 4 2   (2 CPU cores)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PRESET=${1:?usage: train-presets.sh PRESET [STEPS] [BATCH] [THREADS]}
STEPS=${2:-1600}
THREADS=${4:-$(nproc)}
BATCH=${3:-$(( (4 + THREADS - 1) / THREADS * THREADS ))}  # at least 4 windows, a multiple of THREADS
NAME="lmzip-$(echo "$PRESET" | tr 'A-Z' 'a-z')"
RUN="$ROOT/runs/$(echo "$PRESET" | tr 'A-Z' 'a-z')"
[[ -f "$ROOT/data/corpus/train.txt" ]] || "$ROOT/scripts/make-corpus.sh"
"$ROOT/scripts/build.sh" >/dev/null
resume=()
[[ "${RESUME:-0}" == 1 ]] && resume=(--resume)
"$ROOT/build/lmzip" train --corpus "$ROOT/data/corpus" --preset "$PRESET" -o "$RUN" --name "$NAME" \
  --seq-len 2048 --batch "$BATCH" -T "$THREADS" --steps "$STEPS" --lr 3e-3 --min-lr 3e-4 --warmup 100 \
  --eval-every 400 --eval-bytes 262144 --seed 1 "${resume[@]}"
# The card records the run's folder as given: relative to the checkout, so the card is portable.
cd "$ROOT" && scripts/model-card.sh "runs/$(basename "$RUN")" "$NAME"
