#!/usr/bin/env bash
# Ships a trained model: copies RUN/model.safetensors, log.csv, log.jsonl and run.json into
# models/NAME/, draws the learning curve (gnuplot), measures the model with `lmzip bench` (round
# trips, 2048-byte chunks) beside xz -9e and the built-in order2 on held-out texts, and writes
# the model card models/NAME/README.md.
#   scripts/model-card.sh RUN_DIR NAME [CORPUS_DIR] [CHUNKS]
# CHUNKS (default 200) caps the chunks measured per text (the held-out part is 4.3 MB); the whole
# held-out part is also coded through the command line, the figure the training issue's goals are
# stated on (HELDOUT_ALL=0 skips it: about 10 minutes for a 3.2M model on 2 cores).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN=${1:?usage: model-card.sh RUN_DIR NAME [CORPUS_DIR] [CHUNKS]}
NAME=${2:?usage: model-card.sh RUN_DIR NAME [CORPUS_DIR] [CHUNKS]}
CORPUS=${3:-$ROOT/data/corpus}
CHUNKS=${4:-200}
LMZIP="$ROOT/build/lmzip"
S="${LMZIP_SHARED_DATA:-$ROOT/../shared/data}"
OUT="$ROOT/models/$NAME"
# A model larger than the GPU machine returns in one file comes back in parts (gpu-session.sh).
PARTS=("$RUN"/model.safetensors.part-*)
[[ -f "$RUN/model.safetensors" || ! -f ${PARTS[0]} ]] || PARTS_ONLY=1
for f in model.safetensors log.csv log.jsonl run.json; do
  [[ -f "$RUN/$f" || ( $f = model.safetensors && -n ${PARTS_ONLY:-} ) ]] || { echo "model-card: $RUN/$f missing" >&2; exit 1; }
done
command -v gnuplot >/dev/null || { echo "model-card: gnuplot missing (scripts/install-deps.sh installs gnuplot-nox)" >&2; exit 1; }
mkdir -p "$OUT"
if [[ -n ${PARTS_ONLY:-} ]]; then
  cat "${PARTS[@]}" >"$OUT/model.safetensors"
else
  cp "$RUN/model.safetensors" "$OUT/"
fi
cp "$RUN/log.csv" "$RUN/log.jsonl" "$RUN/run.json" "$OUT/"

# Learning curve: training loss per step, held-out bits per byte at the evaluations.
gnuplot <<GP
set terminal pngcairo size 900,560 noenhanced
set output '$OUT/curve.png.tmp'
set title '$NAME: learning curve'
set datafile separator ','
set xlabel 'step'
set ylabel 'bits per byte'
set grid
set key top right
plot '$OUT/log.csv' using 1:2 every ::1 with lines lw 1 lc rgb '#9bb7d4' title 'training loss (batch)', \
     '$OUT/log.csv' using 1:(\$3 >= 0 ? \$3 : 1/0) every ::1 with linespoints pt 7 lw 2 lc rgb '#c0392b' title 'held-out (valid.txt)'
GP
mv "$OUT/curve.png.tmp" "$OUT/curve.png"

# Round-trip measurements on 2048-byte chunks of held-out texts.
BENCH_JSON="$OUT/bench.json"
"$LMZIP" bench --data "text:heldout=$CORPUS/valid.txt" --data "text:wikitext2=$S/text/wikitext2/test.txt" \
  --data "text:alice29=$S/text/canterbury/alice29.txt" --data "text:lcet10=$S/text/canterbury/lcet10.txt" \
  --data "text:asyoulik=$S/text/canterbury/asyoulik.txt" --data "text:plrabn12=$S/text/canterbury/plrabn12.txt" \
  --codecs "lm:$OUT/model.safetensors,xz-9e,lm:order2" --mode chunked --chunks "$CHUNKS" -T "$(nproc)" -q \
  --json "$BENCH_JSON" --csv "$OUT/bench.csv"

# The whole held-out part through the command line, decoded and compared.
HELDOUT_ROW=""
if [[ ${HELDOUT_ALL:-1} != 0 ]]; then
  ARCHIVE="$(mktemp)"
  trap 'rm -f "$ARCHIVE"' EXIT
  "$LMZIP" -m "$OUT/model.safetensors" -T "$(nproc)" -c "$CORPUS/valid.txt" >"$ARCHIVE"
  "$LMZIP" -d -m "$OUT/model.safetensors" -T "$(nproc)" -c "$ARCHIVE" | cmp - "$CORPUS/valid.txt"
  ORIGINAL=$(stat -c %s "$CORPUS/valid.txt")
  PACKED=$(stat -c %s "$ARCHIVE")
  HELDOUT_ROW="| held-out part, all of it, through the int8 engine | $(awk -v p="$PACKED" -v o="$ORIGINAL" 'BEGIN {printf "%.3f", 8 * p / o}') bits per byte: \`lmzip -m model.safetensors -c valid.txt\`, $(( (ORIGINAL + 2047) / 2048 )) chunks of 2048, $PACKED bytes with the container, decoded and compared |"
fi

# The card.
# A field of run.json, empty when absent (older runs lack some: device, backend).
field() { { grep -o "\"$1\": *\(\"[^\"]*\"\|[^,}]*\)" "$OUT/run.json" || true; } | head -1 | sed 's/^[^:]*: *//; s/"//g'; }
SHA=$(sha256sum "$OUT/model.safetensors" | cut -d' ' -f1)
CORPUS_SHA=$(grep ' train.txt$' "$CORPUS/MANIFEST" | grep sha256 | cut -d' ' -f2)
VALID_SHA=$(grep ' valid.txt$' "$CORPUS/MANIFEST" | grep sha256 | cut -d' ' -f2)
INFO=$(cd "$ROOT" && "$LMZIP" model info "models/$NAME/model.safetensors")
SECONDS_TRAINED=$(printf '%.0f' "$(field train_seconds)")
DEVICE=$(field device); [[ -n "$DEVICE" ]] || DEVICE="$(field threads) threads"  # runs before the backends
BACKEND=$(field backend); [[ -n "$BACKEND" ]] || BACKEND=cpu
VALID_BPB=$(printf '%.3f' "$(field valid_bits_per_byte)")
TABLE=$(awk -F, -v m="lm:$OUT/model.safetensors" 'NR > 1 {
    name = $1 == m ? "'"$NAME"'" : ($1 == "lm:order2" ? "order2 (built in)" : $1)
    bpb[name, $3] = sprintf("%.3f", 8 * $10); if (!(name in seen)) { seen[name] = 1; names[++n] = name }
    if (!($3 in dseen)) { dseen[$3] = 1; ds[++k] = $3; chunks[$3] = $4 } }
  END { printf "| bits per byte |"; for (j = 1; j <= k; j++) printf " %s (%d chunks) |", ds[j], chunks[ds[j]]; printf "\n|---|"
        for (j = 1; j <= k; j++) printf "---|"; printf "\n"
        for (i = 1; i <= n; i++) { printf "| %s |", names[i]; for (j = 1; j <= k; j++) printf " %s |", bpb[names[i], ds[j]]; printf "\n" } }' "$OUT/bench.csv")
# A run started from another model (--init), and the steps and windows of each session (short
# windows first, then the full context), when run.json has them.
EXTRA_ROWS=$(python3 - "$OUT/run.json" <<'PY'
import json, sys
run = json.load(open(sys.argv[1]))
init = run.get("init_model")
if init:
    print(f"| started from | `{init['name']}` (sha256 `{init['sha256']}`) with `lmzip train --init`: a fresh "
          "optimizer and schedule; the steps, bytes and time here are this run's, its start's are in its own card |")
phases = [f"{s['steps'][0]}-{s['steps'][1]}: batch {s['batch']} x {s['seq_len']}" for s in run["sessions"] if "steps" in s]
if len(phases) > 1:
    print("| sessions (steps: windows) | " + "; ".join(phases) + " |")
PY
)
cat > "$OUT/README.md" <<CARD
# Model card: $NAME

A byte-level transformer of lmzip (docs/model.md), trained by \`lmzip train\` (docs/training.md).

\`\`\`
$INFO
\`\`\`

| | |
|---|---|
| file | \`model.safetensors\`, sha256 \`$SHA\` |
| corpus | scripts/make-corpus.sh: train.txt sha256 \`$CORPUS_SHA\`, held-out valid.txt \`$VALID_SHA\` (docs/corpus.md); no evaluation text trained on |
| training | $(field steps_done) steps of batch $(field batch) x $(field seq_len) bytes, $(field bytes_seen) bytes seen, lr $(field lr) -> $(field min_lr) (warm-up $(field warmup), cosine), weight decay $(field weight_decay), clip $(field clip), seed $(field seed) |
| hardware | $(field cpu), $DEVICE ($BACKEND backend) |
| time | $SECONDS_TRAINED s of training |
| held-out bits per byte at the end of training | $VALID_BPB (first $(field eval_bytes) bytes of valid.txt in windows of $(field seq_len) bytes, float32 training forward) |
$HELDOUT_ROW
$EXTRA_ROWS

![learning curve](curve.png)

## Compression, measured by lmzip bench (round trips through the int8 engine, 2048-byte chunks)

At most $CHUNKS chunks per text; every figure decoded and compared. Command: \`scripts/model-card.sh $RUN $NAME\`
(its bench command is in the script; raw figures in bench.json / bench.csv).
The table's model row is this file through lmzip's int8 engine, xz -9e and order2 on the same chunks.

$TABLE

Files: log.csv / log.jsonl (every step), run.json (the run's options and machine), curve.png.
CARD
echo "model-card: wrote $OUT/README.md"
