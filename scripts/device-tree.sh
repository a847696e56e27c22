#!/usr/bin/env bash
# The working tree that a GPU session carries (docs/training.md, "Training on a GPU machine"): the
# device copies the tracked files, the untracked ones git does not ignore and the carried
# .device/pack.tar.xz, 64 MiB in all. The shipped models (a 3.2M file is 13 MB) and the 41 MB pack
# no longer fit together, and a session needs at most the one model it starts from (INIT), so:
#   scripts/device-tree.sh size            the bytes a run would carry, against the limit
#   scripts/device-tree.sh slim [NAME...]  removes every models/*/model.safetensors from the working
#                                          tree except models/NAME's (committed: git keeps them)
#   scripts/device-tree.sh restore         brings them back from git (git checkout -- models)
# slim refuses while models/ has changes git does not hold, so that restore loses nothing.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LIMIT=$(( 64 * 1024 * 1024 ))
cd "$ROOT"

carried_bytes() {
  local total=0 size
  while IFS= read -r -d '' f; do
    [[ -f $f ]] || continue  # a tracked file set aside by slim does not travel
    size=$(stat -c %s "$f")
    total=$(( total + size ))
  done < <(git ls-files -z --cached --others --exclude-standard)
  [[ -f .device/pack.tar.xz ]] && total=$(( total + $(stat -c %s .device/pack.tar.xz) ))
  echo "$total"
}

case ${1:-size} in
  size)
    bytes=$(carried_bytes)
    printf 'a device run carries %d bytes (%.1f MiB; limit 64 MiB)%s\n' "$bytes" \
      "$(awk -v b="$bytes" 'BEGIN {print b / 1048576}')" "$( ((bytes > LIMIT)) && echo ': too large, see slim')"
    ((bytes <= LIMIT))
    ;;
  slim)
    shift
    # Any change but a model file a previous slim set aside.
    if git status --porcelain --untracked-files=all -- models | grep -qvE '^ D models/[^/]+/model\.safetensors$'; then
      echo "device-tree: models/ has changes that are not committed; commit them first (restore would lose them)" >&2
      exit 1
    fi
    for name in "$@"; do
      [[ -f models/$name/model.safetensors ]] || { echo "device-tree: models/$name/model.safetensors: no such model" >&2; exit 1; }
    done
    for f in models/*/model.safetensors; do
      name=$(basename "$(dirname "$f")")
      [[ " $* " == *" $name "* ]] || rm "$f"
    done
    "$0" size
    ;;
  restore)
    git checkout -- models
    "$0" size || true
    ;;
  *)
    echo "usage: scripts/device-tree.sh size | slim [NAME...] | restore" >&2
    exit 2
    ;;
esac
