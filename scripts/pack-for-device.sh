#!/usr/bin/env bash
# Prepares a GPU session (docs/training.md, "Training on a GPU machine"): builds lmzip with the
# CUDA backend here (the GPU machine has nvcc and cuBLAS but not lmzip's other Debian libraries),
# and packs the stripped program, its test binary, the shared libraries they need (CUDA's own
# excepted) and the corpus into .device/pack.tar.xz (git-ignored), which the session carries.
# Then scripts/device-tree.sh slim [INIT_MODEL] and, on the GPU machine:
# scripts/gpu-session.sh PRESET SECONDS BATCH; afterwards scripts/device-tree.sh restore
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${BUILD:-$ROOT/build-gpu}"
[[ -f "$ROOT/data/corpus/train.txt" ]] || "$ROOT/scripts/make-corpus.sh"
grep -qx '/.device/' "$ROOT/.git/info/exclude" 2>/dev/null || echo '/.device/' >>"$ROOT/.git/info/exclude"
# One embedded model instead of three: training needs none, and the pack, with the working tree,
# must stay under the device's 64 MiB.
cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLMZIP_CUDA=ON -DLMZIP_EMBEDDED_MODELS_ONLY=lmzip-200k >/dev/null
cmake --build "$BUILD" -j"$(nproc)" --target lmzip lmzip_tests
STAGE="$(mktemp -d)"
trap 'rm -rf "$STAGE"' EXIT
mkdir -p "$STAGE/bin" "$STAGE/lib" "$STAGE/corpus"
strip -o "$STAGE/bin/lmzip" "$BUILD/lmzip"
strip -o "$STAGE/bin/lmzip_tests" "$BUILD/lmzip_tests"
# Every shared library the two need, except the C and C++ runtimes and CUDA's: the GPU machine has
# its own, newer ones, which cuBLAS may need (a carried older libstdc++ would shadow them).
ldd "$BUILD/lmzip" "$BUILD/lmzip_tests" | awk '/=> \//{print $3}' | sort -u |
  grep -Ev '/(libc|libm|libdl|librt|libpthread|ld-linux[^/]*|libstdc\+\+|libgcc_s|libcuda|libcublas[^/]*|libcudart)\.so' |
  while read -r lib; do cp -L "$lib" "$STAGE/lib/"; done
cp "$ROOT/data/corpus/train.txt" "$ROOT/data/corpus/valid.txt" "$ROOT/data/corpus/MANIFEST" "$STAGE/corpus/"
mkdir -p "$ROOT/.device"
tar -C "$STAGE" -cf - bin lib corpus | xz -T"$(nproc)" -9 >"$ROOT/.device/pack.tar.xz"
ls -l "$ROOT/.device/pack.tar.xz"
# The pack and the working tree travel together under 64 MiB: scripts/device-tree.sh slim sets the
# models a session does not start from aside (and restore brings them back).
"$ROOT/scripts/device-tree.sh" size || true
