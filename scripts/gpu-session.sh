#!/usr/bin/env bash
# One GPU session's work, on the GPU machine, from the pack of scripts/pack-for-device.sh
# (docs/training.md, "Training on a GPU machine"):
#   1. the CUDA backend's checks against the CPU backend (GpuModel.*, Engine.*, Trainer.*)
#   2. a 20-step probe of the training speed, from which the number of steps that fit SECONDS
#      is set (the cosine schedule needs its length up front)
#   3. training PRESET for about SECONDS with the recipe of scripts/train-presets.sh
# Everything lands in $OUT (or ./gpu-out): test log, probe log, the run's log.csv, log.jsonl,
# run.json and model.safetensors. The model card is made back on the development machine
# (scripts/model-card.sh), where ../shared's texts are.
# Usage: scripts/gpu-session.sh [PRESET] [SECONDS] [BATCH]
# (BACKEND=cpu rehearses the script on a machine without a GPU.)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PRESET=${1:-3.2M}
SECONDS_WANTED=${2:-300}
BATCH=${3:-32}
BACKEND=${BACKEND:-cuda}
OUT=${OUT:-$ROOT/gpu-out}
mkdir -p "$OUT"
W="$(mktemp -d)"
python3 -c "import lzma,tarfile,sys; tarfile.open(fileobj=lzma.open(sys.argv[1])).extractall(sys.argv[2])" \
  "$ROOT/.device/pack.tar.xz" "$W"
CUBLAS_DIR=/usr/local/cuda/lib64
[[ -e $CUBLAS_DIR/libcublas.so.13 ]] ||
  CUBLAS_DIR=$(dirname "$(find / -name 'libcublas.so.13' -not -path '/proc/*' 2>/dev/null | head -1)")
export LD_LIBRARY_PATH="$W/lib:$CUBLAS_DIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
LMZIP="$W/bin/lmzip"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv 2>&1 | tee "$OUT/gpu.txt" || true
(cd "$ROOT" && "$W/bin/lmzip_tests" --gtest_filter='GpuModel.*:Engine.*:Trainer.*' 2>&1) | tee "$OUT/tests.txt" | tail -25
# A new name: a shipped model's bytes never change (archives record its SHA-256), so a model
# trained here ships beside the CPU-trained one of the same preset, not over it.
NAME=${NAME:-"lmzip-$(echo "$PRESET" | tr 'A-Z' 'a-z')-gpu"}
recipe=(--corpus "$W/corpus" --preset "$PRESET" --name "$NAME" --backend "$BACKEND" --seq-len 2048 --batch "$BATCH"
        --lr 3e-3 --min-lr 3e-4 --warmup 100 --eval-bytes 262144 --seed 1 -q)
"$LMZIP" train "${recipe[@]}" -o "$W/probe" --steps 20 --eval-every 1000
cp "$W/probe/log.csv" "$OUT/probe.csv"
RATE=$(awk -F, 'NR > 6 {s += $6; n++} END {printf "%d", s / n}' "$W/probe/log.csv")
STEPS=$(( SECONDS_WANTED * RATE / (BATCH * 2048) ))
echo "probe: $RATE bytes/s with batch $BATCH; $STEPS steps fit $SECONDS_WANTED s" | tee "$OUT/plan.txt"
"$LMZIP" train "${recipe[@]}" -o "$W/run" --steps "$STEPS" --eval-every $(( STEPS / 8 > 0 ? STEPS / 8 : 1 )) \
  --max-seconds $(( SECONDS_WANTED + 60 ))
cp "$W/run/log.csv" "$W/run/log.jsonl" "$W/run/run.json" "$W/run/model.safetensors" "$OUT/"
tail -3 "$OUT/log.csv"
