#!/usr/bin/env bash
# The main job on a fresh machine: install, build, fetch the sample data from Debian packages,
# and run `lmzip bench` with the default compressors and lmzip's own default model (the embedded
# lmzip-3.2m-gpu2 transformer, and the built-in order2 beside it) on text, images, audio and random
# bytes. Extra arguments go to `lmzip bench` (e.g. --codecs gzip,xz or --json results.json).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/scripts/build.sh" >/dev/null
"$ROOT/scripts/get-sample-data.sh"
S="$ROOT/data/sample"
threads=(-T "$(nproc)")  # one (data set, codec) pair per core unless the caller says otherwise
codecs=(--codecs "$("$ROOT/build/lmzip" codecs --default-names),lm:lmzip-3.2m-gpu2,lm:order2")
for a in "$@"; do
  [[ $a == -T* || $a == --threads* ]] && threads=()
  [[ $a == --codecs* ]] && codecs=()
done
exec "$ROOT/build/lmzip" bench --data text="$S/text" --data image="$S/images" --data audio="$S/audio" \
  --data random=1Mi "${threads[@]}" "${codecs[@]}" "$@"
