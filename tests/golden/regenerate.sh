#!/bin/sh
# Remakes the golden archives listed in MANIFEST with the given lmzip binary:
#   tests/golden/regenerate.sh build/lmzip
# Only after a format version bump (or a new built-in model version): the archives kept here are
# what older lmzip versions wrote, and the tests check that they still decode. docs/format.md.
set -eu
lmzip=$(realpath "${1:?usage: regenerate.sh PATH/TO/lmzip}")
cd "$(dirname "$0")"
grep -v '^#' MANIFEST | while read -r archive input model chunk; do
  [ -n "$archive" ] || continue
  "$lmzip" -f -T 1 -m "$model" --chunk-size "$chunk" -o "$archive" "$input"
  echo "$archive: $(wc -c < "$archive") bytes"
done
