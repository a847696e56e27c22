#!/usr/bin/env bash
# One GPU session's work, on the GPU machine, from the pack of scripts/pack-for-device.sh
# (docs/training.md, "Training on a GPU machine"), inside a fixed wall-clock budget:
#   1. the CUDA backend's checks against the CPU backend (GpuModel.*, Engine.*, Trainer.*), bounded
#      in time; a failure is recorded, and the loss curve of step 3 shows whether it matters
#   2. 20-step probes of the training speed, from which the number of steps that fit the time left
#      is set (the cosine schedule needs its length up front): each window length with the fused
#      attention kernels and with --materialized-attention (GEMMs and the coalesced softmax), and
#      each phase trains with the faster of the two that ran
#   3. training PRESET with the recipe of scripts/train-presets.sh until the budget is nearly spent;
#      with SHORT set, in two phases: windows of SHORT bytes (as many bytes a step) for SHARE% of
#      the time, then the full 2048 (one cosine schedule across both, switched by --stop-after and
#      --resume), where the first phase's steps cost a fraction of the attention's
# Everything lands in $OUT (or ./gpu-out): session.txt (the GPU, the plan, what failed), tests.txt,
# probe.csv, and the run's folder run/ (log.csv, log.jsonl, run.json, model.safetensors; the run
# writes there directly, so a killed session still brings its log back). The model card is made
# back on the development machine (scripts/model-card.sh), where ../shared's texts are.
# Usage: scripts/gpu-session.sh [PRESET] [BUDGET_SECONDS] [BATCH]
# Environment: NAME (the model's name), INIT (a model file to train on from, e.g.
# models/lmzip-3.2m-gpu/model.safetensors: lmzip train --init, a fresh schedule; give it a SEED
# other than its first run's 1, or the same windows come again), SEED, LR (peak), SHORT and SHARE
# (e.g. 512 and 50). BACKEND=cpu rehearses the script on a machine without a GPU.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PRESET=${1:-3.2M}
BUDGET=${2:-540}
BATCH=${3:-64}
BACKEND=${BACKEND:-cuda}
INIT=${INIT:-}
SEED=${SEED:-1}
LR=${LR:-3e-3}
SHORT=${SHORT:-0}
SHARE=${SHARE:-50}
OUT=${OUT:-$ROOT/gpu-out}
TAIL=40  # seconds kept for the last evaluation, the model's export and the copies
mkdir -p "$OUT"
say() { echo "[$SECONDS s] $*" | tee -a "$OUT/session.txt"; }
W="$(mktemp -d)"
python3 -c "import lzma,tarfile,sys; tarfile.open(fileobj=lzma.open(sys.argv[1])).extractall(sys.argv[2])" \
  "$ROOT/.device/pack.tar.xz" "$W" || { say "cannot unpack .device/pack.tar.xz"; exit 1; }
CUBLAS_DIR=/usr/local/cuda/lib64
[[ -e $CUBLAS_DIR/libcublas.so.13 ]] ||
  CUBLAS_DIR=$(dirname "$(find / -name 'libcublas.so.13' -not -path '/proc/*' 2>/dev/null | head -1)")
export LD_LIBRARY_PATH="$W/lib:$CUBLAS_DIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
LMZIP="$W/bin/lmzip"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>&1 | tee -a "$OUT/session.txt"
say "preset $PRESET, batch $BATCH x 2048, budget $BUDGET s, backend $BACKEND, seed $SEED, lr $LR${INIT:+, from $INIT}$(
  (( SHORT > 0 )) && echo ", windows of $SHORT for $SHARE% of the time first")"
INIT_ARGS=()
if [[ -n $INIT ]]; then
  [[ $INIT = /* ]] || INIT="$ROOT/$INIT"
  INIT_ARGS=(--init "$INIT")
fi

# 1. The checks, at most 120 s.
(cd "$ROOT" && timeout 120 "$W/bin/lmzip_tests" --gtest_filter='GpuModel.*:GpuLayerNorm.*:GpuSoftmax.*:Engine.*:Trainer.*' >"$OUT/tests.txt" 2>&1)
say "tests: exit $? ($(grep -c '^\[       OK' "$OUT/tests.txt") ok, $(grep -c '^\[  FAILED' "$OUT/tests.txt") failed lines)"

# 2. The probes.
NAME=${NAME:-"lmzip-$(echo "$PRESET" | tr 'A-Z' 'a-z')-gpu"}
MIN_LR=$(awk -v lr="$LR" 'BEGIN {print lr / 10}')
recipe=(--corpus "$W/corpus" --preset "$PRESET" --name "$NAME" --backend "$BACKEND" --lr "$LR" --min-lr "$MIN_LR"
        --warmup 100 --eval-bytes 262144 --seed "$SEED" -q "${INIT_ARGS[@]}")
full=(--seq-len 2048 --batch "$BATCH")
probe() {
  rm -rf "$W/probe"
  timeout 90 "$LMZIP" train "${recipe[@]}" "$@" -o "$W/probe" --steps 20 --eval-every 1000 >>"$OUT/session.txt" 2>&1
}
rate() { awk -F, 'NR > 6 {s += $6; n++} END {printf "%d", s / n}' "$1"; }
# Probes windows of $1 bytes ($2 a step) both ways; sets RATE_OF and ATTENTION_OF (the faster
# path's rate and option), copies its log to $OUT/$3; RATE_OF stays 0 if neither ran.
probe_both() {
  local fused=0 materialized=0
  probe --seq-len "$1" --batch "$2" && fused=$(rate "$W/probe/log.csv") && cp "$W/probe/log.csv" "$W/fused.csv"
  probe --materialized-attention --seq-len "$1" --batch "$2" && materialized=$(rate "$W/probe/log.csv") &&
    cp "$W/probe/log.csv" "$W/materialized.csv"
  say "probe, windows of $1: fused $fused bytes/s, materialised $materialized"
  RATE_OF=0 ATTENTION_OF=()
  if (( fused >= materialized && fused > 0 )); then
    RATE_OF=$fused && cp "$W/fused.csv" "$OUT/$3"
  elif (( materialized > 0 )); then
    RATE_OF=$materialized ATTENTION_OF=(--materialized-attention) && cp "$W/materialized.csv" "$OUT/$3"
  fi
}
probe_both 2048 "$BATCH" probe.csv
RATE=$RATE_OF ATTENTION=("${ATTENTION_OF[@]}")
(( RATE > 0 )) || { say "no probe ran: no training"; exit 1; }
SHORT_RATE=0 SHORT_ATTENTION=()
if (( SHORT > 0 )); then
  short=(--seq-len "$SHORT" --batch $(( BATCH * 2048 / SHORT )))
  probe_both "$SHORT" $(( BATCH * 2048 / SHORT )) probe-short.csv
  SHORT_RATE=$RATE_OF SHORT_ATTENTION=("${ATTENTION_OF[@]}")
  (( SHORT_RATE > 0 )) || say "probe with windows of $SHORT failed: the full windows all along"
fi
(( SHORT_RATE > 0 )) || SHARE=0
LEFT=$(( BUDGET - SECONDS - TAIL ))
STEP_BYTES=$(( BATCH * 2048 ))
# 95% of what the probes' rates allow: the evaluations take their share, and a schedule that ends
# early is better than one cut before its low learning rates.
FIRST_SECONDS=$(( LEFT * SHARE / 100 ))
FIRST=$(( FIRST_SECONDS * SHORT_RATE / STEP_BYTES * 95 / 100 ))
STEPS=$(( FIRST + (LEFT - FIRST_SECONDS) * RATE / STEP_BYTES * 95 / 100 ))
(( STEPS >= 10 )) || { say "probe: $RATE bytes/s, only $LEFT s left: no training"; exit 1; }
say "plan: $RATE bytes/s with batch $BATCH ${ATTENTION[*]} (windows of $SHORT: $SHORT_RATE ${SHORT_ATTENTION[*]}); $STEPS steps ($FIRST of them short) for the $LEFT s left"

# 3. Training, stopped by --max-seconds at the latest.
EVERY=$(( STEPS / 8 > 0 ? STEPS / 8 : 1 ))
if (( FIRST > 0 )); then
  "$LMZIP" train "${recipe[@]}" "${SHORT_ATTENTION[@]}" "${short[@]}" -o "$OUT/run" --steps "$STEPS" --eval-every "$EVERY" \
    --stop-after "$FIRST" --max-seconds "$FIRST_SECONDS" >>"$OUT/session.txt" 2>&1
  say "training, windows of $SHORT: exit $?"
  rm -f "$OUT/run/model.safetensors"  # the first phase's; the model is the second's
  REST=$(( BUDGET - SECONDS - TAIL ))
  (( REST >= 1 )) || REST=1  # --max-seconds 0 would mean no limit at all
  "$LMZIP" train "${recipe[@]}" "${ATTENTION[@]}" "${full[@]}" -o "$OUT/run" --steps "$STEPS" --eval-every "$EVERY" \
    --resume --max-seconds "$REST" >>"$OUT/session.txt" 2>&1
else
  "$LMZIP" train "${recipe[@]}" "${ATTENTION[@]}" "${full[@]}" -o "$OUT/run" --steps "$STEPS" --eval-every "$EVERY" \
    --max-seconds "$LEFT" >>"$OUT/session.txt" 2>&1
fi
say "training: exit $?"
if [[ ! -f $OUT/run/model.safetensors && -f $OUT/run/checkpoint.safetensors ]]; then
  say "no model: exporting the last checkpoint (one more step, then the evaluation)"
  timeout 60 "$LMZIP" train "${recipe[@]}" "${ATTENTION[@]}" "${full[@]}" -o "$OUT/run" --steps "$STEPS" \
    --eval-every "$STEPS" --max-seconds 1 --resume >>"$OUT/session.txt" 2>&1
  say "export: exit $?"
fi
rm -f "$OUT/run/checkpoint.safetensors"  # optimizer state: too large to come back, not needed
tail -3 "$OUT/run/log.csv" | tee -a "$OUT/session.txt"
# The device returns at most 8 files of at most 16 MiB: a larger model (12.8M: 51 MB) comes back
# in 4 parts (scripts/model-card.sh joins them), the session's small files in one tar to make room.
if [[ -f $OUT/run/model.safetensors ]] && (( $(stat -c %s "$OUT/run/model.safetensors") > 16000000 )); then
  split -n 4 -d "$OUT/run/model.safetensors" "$OUT/run/model.safetensors.part-" && rm "$OUT/run/model.safetensors"
  (cd "$OUT" && tar -cf session.tar session.txt tests.txt probe*.csv && rm -f session.txt tests.txt probe*.csv)
fi
