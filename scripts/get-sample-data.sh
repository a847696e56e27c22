#!/usr/bin/env bash
# Fetches the sample data of the default `lmzip bench` run from Debian packages only:
# `apt-get download` + `dpkg -x` (no dependencies installed, nothing installed system-wide).
#   text:   the first 4 MiB of the GNU Collaborative International Dictionary of English (dict-gcide)
#   images: 12 photographs from scikit-image's data folder (python3-skimage)
#   audio:  LibriVox recordings and spoken card names (pocketsphinx-testdata), 16 kHz speech
# Result: data/sample/{text,images,audio} (ignored by git). Re-running is a no-op once done.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/data/sample"
STAMP="$OUT/.complete-v1"
if [[ -f "$STAMP" ]]; then
  echo "get-sample-data: $OUT already present"
  exit 0
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
chmod 755 "$WORK"  # apt-get download runs as _apt where it can

PACKAGES=(dict-gcide python3-skimage pocketsphinx-testdata)
if ! apt-get download "${PACKAGES[@]}" >/dev/null 2>&1; then
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  apt-get download "${PACKAGES[@]}"
fi
for deb in ./*.deb; do dpkg -x "$deb" extract; done

rm -rf "$OUT"
mkdir -p "$OUT/text" "$OUT/images" "$OUT/audio"

# gcide.dict.dz is dictzip, which is gzip-compatible.
# (head closes the pipe early, so gzip's SIGPIPE is expected; the size is checked instead.)
{ gzip -dc extract/usr/share/dictd/gcide.dict.dz || true; } | head -c 4194304 > "$OUT/text/gcide-first-4MiB.txt"
if [[ $(stat -c %s "$OUT/text/gcide-first-4MiB.txt") -ne 4194304 ]]; then
  echo "get-sample-data: dict-gcide gave less than 4 MiB of text" >&2
  exit 1
fi

SK=extract/usr/lib/python3/dist-packages/skimage/data
for f in astronaut.png brick.png camera.png chelsea.png coffee.png coins.png grass.png gravel.png \
         moon.png motorcycle_left.png hubble_deep_field.jpg rocket.jpg; do
  cp "$SK/$f" "$OUT/images/"
done

PS=extract/usr/share/pocketsphinx/test/data
cp "$PS"/librivox/*.wav "$OUT/audio/"
for f in "$PS"/cards/*.wav; do cp "$f" "$OUT/audio/cards-$(basename "$f")"; done

{
  echo "# Sample data for lmzip bench, from Debian packages (apt-get download + dpkg -x)"
  for deb in ./*.deb; do dpkg-deb -f "$deb" Package Version | paste -sd' ' -; done
  (cd "$OUT" && find . -type f ! -name SOURCES.txt | sort | xargs sha256sum)
} > "$OUT/SOURCES.txt"
touch "$STAMP"
echo "get-sample-data: wrote $OUT ($(du -sh "$OUT" | cut -f1))"
