#!/usr/bin/env bash
# Builds lmzip's English training corpus from Debian (bookworm) packages only, or splits a text
# file of your own (enwik8, ...) the same way. See docs/corpus.md.
#
#   scripts/make-corpus.sh                 Debian corpus  -> data/corpus/{train.txt,valid.txt,MANIFEST}
#   scripts/make-corpus.sh --from FILE     FILE (bytes kept as they are) -> the same three files
#   options: --out DIR (default data/corpus), --force (rebuild even if the outputs match MANIFEST),
#            --keep-work (keep DIR/.work: the .debs, their extracted trees and per-source texts)
#
# Packages are fetched with `apt-get download` and unpacked with `dpkg -x` into DIR/.work; nothing
# is installed, except the tools the script itself needs if they are missing (python3, groff-base,
# libreadline8, via apt-get install). Each source is normalised (CRLF -> LF, control bytes and
# invalid UTF-8 dropped, trailing blanks removed, at most 2 blank lines in a row), capped, cut into
# 64 KiB blocks at line ends and interleaved round-robin in the fixed order below; block i of a
# source goes to valid.txt when i % 20 == 10, else to train.txt. LC_ALL=C, sorted file lists and no
# timestamps: the same package versions give byte-identical outputs. The evaluation texts
# (../shared/data/text, or $LMZIP_EVAL_TEXT) are probed for in the result and the build fails on a hit.
set -euo pipefail
export LC_ALL=C TZ=UTC

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HELP="$ROOT/scripts/corpus/corpus.py"
RECIPE="lmzip-corpus-v1"
BLOCK=65536
EVERY=20
MIB=1048576

OUT="$ROOT/data/corpus"
FROM=""
FORCE=0
KEEP=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --from) FROM="${2:?--from needs a file}"; shift 2 ;;
    --out) OUT="${2:?--out needs a folder}"; shift 2 ;;
    --force) FORCE=1; shift ;;
    --keep-work) KEEP=1; shift ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "make-corpus: unknown argument '$1' (see --help)" >&2; exit 1 ;;
  esac
done
say() { echo "make-corpus: $*" >&2; }
die() { say "$*"; exit 1; }

SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
need_pkg() {  # need_pkg COMMAND-TEST PACKAGE: install PACKAGE (a tool) when the test fails
  if ! eval "$1" >/dev/null 2>&1; then
    say "installing $2 (needed to build the corpus)"
    $SUDO apt-get install -y -qq "$2" >/dev/null || { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq "$2" >/dev/null; }
  fi
}
need_pkg "command -v python3" python3-minimal

# ---------------------------------------------------------------- idempotence
if [[ -n "$FROM" ]]; then
  [[ -r "$FROM" && -s "$FROM" ]] || die "cannot read '$FROM' (or it is empty)"
  FROM="$(cd "$(dirname "$FROM")" && pwd)/$(basename "$FROM")"
  FROM_SHA="$(sha256sum "$FROM" | cut -d' ' -f1)"
  MODE="file $FROM_SHA"
else
  MODE="debian bookworm"
fi
manifest_matches() {
  [[ -f "$OUT/MANIFEST" && -f "$OUT/train.txt" && -f "$OUT/valid.txt" ]] || return 1
  grep -qxF "recipe $RECIPE" "$OUT/MANIFEST" && grep -qxF "mode $MODE" "$OUT/MANIFEST" || return 1
  local f want
  for f in train.txt valid.txt; do
    want="$(awk -v f="$f" '$1 == "sha256" && $3 == f {print $2}' "$OUT/MANIFEST")"
    [[ -n "$want" && "$(sha256sum "$OUT/$f" | cut -d' ' -f1)" == "$want" ]] || return 1
  done
}
if [[ $FORCE -eq 0 ]] && manifest_matches; then
  say "$OUT is up to date (outputs match its MANIFEST); --force rebuilds"
  exit 0
fi

mkdir -p "$OUT"
WORK="$OUT/.work"
rm -rf "$WORK"
mkdir -p "$WORK/src" "$WORK/x"
chmod 755 "$WORK"   # apt-get download runs as _apt where it can
[[ $KEEP -eq 1 ]] || trap 'rm -rf "$WORK"' EXIT
rm -f "$OUT/train.txt" "$OUT/valid.txt" "$OUT/MANIFEST"
START=$SECONDS

SPECS=()   # NAME:CAP:FILE, in interleaving order
if [[ -n "$FROM" ]]; then
  # A user's file: bytes kept as they are (no normalisation), one source, no cap.
  python3 - "$FROM" "$OUT" "$BLOCK" "$EVERY" <<'EOF'
import sys
src, out, size, every = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
data = open(src, 'rb').read()
with open(out + '/train.txt', 'wb') as tr, open(out + '/valid.txt', 'wb') as va:
    i = p = 0
    while p < len(data):
        e = min(p + size, len(data))
        if e < len(data):
            nl = data.rfind(b'\n', p, e)
            if nl >= p:
                e = nl + 1
        (va if i % every == every // 2 else tr).write(data[p:e])
        p, i = e, i + 1
EOF
  SOURCES_TSV="$(printf 'source\tnormalised_bytes\ttrain_bytes\tvalid_bytes\n%s\t%d\t%d\t%d\n' \
    "$(basename "$FROM")" "$(stat -c %s "$FROM")" "$(stat -c %s "$OUT/train.txt")" "$(stat -c %s "$OUT/valid.txt")")"
  PKGS_TXT="input $FROM_SHA $(basename "$FROM")"
else
  need_pkg "command -v groff && test -f /usr/share/groff/current/tmac/an.tmac" groff-base

  # Fixed package list (order irrelevant here; the source order is SPECS below).
  PACKAGES=(python3.11-doc perl-doc debian-handbook debian-reference-en debian-faq debian-policy
            developers-reference maint-guide autoconf-doc bash-doc gnu-standards zsh-doc git-doc
            postgresql-doc-15 sqlite3-doc vim-runtime nodejs-doc manpages manpages-dev
            r-cran-janeaustenr bible-kjv bible-kjv-text fortunes fortunes-min
            dict-foldoc dict-jargon dict-vera dict-devil dict-wn dict-gcide)
  cd "$WORK"
  if ! apt-get download "${PACKAGES[@]}" >/dev/null 2>&1; then
    say "apt-get download failed; running apt-get update and retrying"
    $SUDO apt-get update -qq
    apt-get download "${PACKAGES[@]}" >/dev/null || die "apt-get download failed"
  fi
  for p in "${PACKAGES[@]}"; do
    deb="$(ls ./"${p}"_*.deb)"
    dpkg -x "$deb" "x/$p"
  done
  PKGS_TXT="$(for p in "${PACKAGES[@]}"; do dpkg-deb -f ./"${p}"_*.deb Package Version | paste -sd' ' -; done)"
  X="$WORK/x"; S="$WORK/src"
  files() { find "$@" -type f | sort; }            # sorted, LC_ALL=C
  py() { python3 "$HELP" "$@"; }

  say "extracting text"
  # 1. Python 3.11 documentation, reStructuredText sources
  files "$X/python3.11-doc/usr/share/doc/python3.11/html/_sources" -name '*.txt' | xargs -d '\n' cat > "$S/python-docs"
  # 2. Perl documentation, POD
  files "$X/perl-doc/usr/share/perl" -name '*.pod' | xargs -d '\n' cat > "$S/perl-pod"
  # 3. The Debian Administrator's Handbook, English HTML
  files "$X/debian-handbook/usr/share/doc/debian-handbook/html/en-US" -maxdepth 1 -name '*.html' | xargs -d '\n' python3 "$HELP" html > "$S/debian-handbook"
  # 4. Debian Reference, FAQ, Policy, Developer's Reference, New Maintainers' Guide
  {
    zcat "$X/debian-reference-en/usr/share/debian-reference/debian-reference.en.txt.gz"
    zcat "$X/debian-faq/usr/share/doc/debian/FAQ/debian-faq.en.txt.gz"
    files "$X/debian-policy/usr/share/doc/debian-policy/policy.html/_sources" -name '*.txt' | xargs -d '\n' cat
    files "$X/developers-reference/usr/share/developers-reference/_sources" -name '*.txt' | xargs -d '\n' cat
    files "$X/maint-guide/usr/share/doc/maint-guide/html" -name '*.en.html' | xargs -d '\n' python3 "$HELP" html
  } > "$S/debian-guides"
  # 5. GNU manuals in info format: Autoconf, Bash, GNU Coding Standards, Maintainers, Zsh
  files "$X/autoconf-doc/usr/share/info" "$X/bash-doc/usr/share/info" "$X/gnu-standards/usr/share/info" \
        "$X/zsh-doc/usr/share/info" -name '*.info*.gz' | xargs -d '\n' python3 "$HELP" info > "$S/gnu-info"
  # 6. Git documentation, AsciiDoc sources
  files "$X/git-doc/usr/share/doc/git-doc" -name '*.txt' | xargs -d '\n' cat > "$S/git-doc"
  # 7. PostgreSQL 15 manual, HTML
  files "$X/postgresql-doc-15/usr/share/doc/postgresql-doc-15/html" -name '*.html' | xargs -d '\n' python3 "$HELP" html > "$S/postgresql-doc"
  # 8. SQLite documentation, HTML
  files "$X/sqlite3-doc/usr/share/doc/sqlite3" -name '*.html' | xargs -d '\n' python3 "$HELP" html > "$S/sqlite-doc"
  # 9. Vim help files
  files "$X/vim-runtime/usr/share/vim/vim90/doc" -name '*.txt' | xargs -d '\n' cat > "$S/vim-help"
  # 10. Node.js API documentation, Markdown
  files "$X/nodejs-doc/usr/share/doc/nodejs/api" -name '*.md.gz' | xargs -d '\n' zcat > "$S/nodejs-doc"
  # 11. Linux man-pages (manpages, manpages-dev), rendered by groff (links skipped: files only)
  for f in $(files "$X/manpages/usr/share/man" "$X/manpages-dev/usr/share/man" -name '*.gz'); do
    zcat "$f" | groff -t -e -Tutf8 -mandoc -P-cbou 2>/dev/null || true
  done > "$S/man-pages"
  # 12. Jane Austen's six novels (r-cran-janeaustenr's R data)
  py rdb "$X/r-cran-janeaustenr/usr/lib/R/site-library/janeaustenr/data/Rdata.rdb" > "$S/jane-austen"
  # 13. King James Bible, decompressed by the package's own program (run from the unpacked tree)
  "$X/bible-kjv/usr/bin/bible" -f -l79 -p "$X/bible-kjv-text/usr/lib" gen1:1-rev22:21 < /dev/null > "$S/bible-kjv" \
    || die "bible-kjv's program failed (it needs libreadline8)"
  # 14. Fortunes (the 'fortunes' and 'fortunes-min' sets only; no offensive set)
  files "$X/fortunes/usr/share/games/fortunes" "$X/fortunes-min/usr/share/games/fortunes" ! -name '*.dat' ! -name '*.u8' \
    | xargs -d '\n' cat > "$S/fortunes"
  # 15.-18. Dictionaries (dictd format; .dict.dz is dictzip = gzip)
  gzip -dc "$X/dict-foldoc/usr/share/dictd/foldoc.dict.dz" > "$S/dict-foldoc"
  for d in jargon vera devil; do gzip -dc "$X/dict-$d/usr/share/dictd/$d.dict.dz"; done > "$S/dict-jargon-vera-devil"
  gzip -dc "$X/dict-wn/usr/share/dictd/wn.dict.dz" > "$S/dict-wn"
  # gcide: skip the first 4 MiB (lmzip's sample bench text), then start at the next line
  gzip -dc "$X/dict-gcide/usr/share/dictd/gcide.dict.dz" | tail -c +$((4 * MIB + 1)) | tail -n +2 > "$S/dict-gcide"

  CAP=$((8 * MIB))
  SPECS=(python-docs:$CAP:$S/python-docs perl-pod:$CAP:$S/perl-pod debian-handbook:$CAP:$S/debian-handbook
         debian-guides:$CAP:$S/debian-guides gnu-info:$CAP:$S/gnu-info git-doc:$CAP:$S/git-doc
         postgresql-doc:$((6 * MIB)):$S/postgresql-doc sqlite-doc:$((5 * MIB)):$S/sqlite-doc
         vim-help:$((6 * MIB)):$S/vim-help nodejs-doc:$CAP:$S/nodejs-doc man-pages:$CAP:$S/man-pages
         jane-austen:$CAP:$S/jane-austen bible-kjv:$CAP:$S/bible-kjv fortunes:$CAP:$S/fortunes
         dict-foldoc:$((5 * MIB)):$S/dict-foldoc dict-jargon-vera-devil:$CAP:$S/dict-jargon-vera-devil
         dict-wn:$((5 * MIB)):$S/dict-wn dict-gcide:$CAP:$S/dict-gcide)
  say "assembling"
  SOURCES_TSV="$(py assemble "$OUT" "$BLOCK" "$EVERY" "${SPECS[@]}")"
fi

# ---------------------------------------------------------------- evaluation texts must be absent
EVAL="${LMZIP_EVAL_TEXT:-$ROOT/../shared/data/text}"
EVAL_NOTE="not checked ($EVAL not found)"
if [[ -d "$EVAL" ]]; then
  mapfile -t EVAL_FILES < <(find "$EVAL" -type f \( -name '*.txt' -o -name '*.raw' -o -name '*.tokens' \) | sort)
  if [[ -d "$ROOT/data/sample/text" ]]; then
    mapfile -t -O "${#EVAL_FILES[@]}" EVAL_FILES < <(find "$ROOT/data/sample/text" -type f | sort)
  fi
  python3 "$HELP" patterns 2048 "${EVAL_FILES[@]}" > "$WORK/probes"
  NPROBE=$(wc -l < "$WORK/probes")
  if [[ -z "$FROM" ]]; then
    if grep -F -o -f "$WORK/probes" "$OUT/train.txt" "$OUT/valid.txt" > "$WORK/hits"; then
      head -5 "$WORK/hits" >&2
      rm -f "$OUT/train.txt" "$OUT/valid.txt"
      die "$(wc -l < "$WORK/hits") lines of the evaluation texts appear in the corpus; not written"
    fi
  elif grep -F -q -f "$WORK/probes" "$OUT/train.txt" "$OUT/valid.txt"; then
    say "WARNING: lines of the evaluation texts in $EVAL appear in '$FROM'"
  fi
  EVAL_NOTE="$NPROBE probe lines from ${#EVAL_FILES[@]} files (longest line of each 2048-byte chunk, <= 100 bytes) absent"
  [[ -n "$FROM" ]] && EVAL_NOTE="$NPROBE probe lines checked (user file: warning only)"
fi

# ---------------------------------------------------------------- manifest
TRAIN_BYTES=$(stat -c %s "$OUT/train.txt")
VALID_BYTES=$(stat -c %s "$OUT/valid.txt")
if [[ -z "$FROM" && $TRAIN_BYTES -lt $((50 * 1000 * 1000)) ]]; then
  die "train.txt has only $TRAIN_BYTES bytes (< 50 MB)"
fi
{
  echo "# lmzip training corpus, made by scripts/make-corpus.sh (see docs/corpus.md)"
  echo "recipe $RECIPE"
  echo "mode $MODE"
  echo "block $BLOCK every $EVERY (block i of each source -> valid.txt when i % $EVERY == $((EVERY / 2)))"
  echo "eval-check $EVAL_NOTE"
  echo "## packages"
  echo "$PKGS_TXT"
  echo "## sources (interleaving order)"
  echo "$SOURCES_TSV"
  echo "## outputs"
  echo "bytes $TRAIN_BYTES train.txt"
  echo "bytes $VALID_BYTES valid.txt"
  echo "sha256 $(sha256sum "$OUT/train.txt" | cut -d' ' -f1) train.txt"
  echo "sha256 $(sha256sum "$OUT/valid.txt" | cut -d' ' -f1) valid.txt"
} > "$OUT/MANIFEST"
say "wrote $OUT: train.txt $TRAIN_BYTES bytes, valid.txt $VALID_BYTES bytes in $((SECONDS - START)) s"
grep '^sha256' "$OUT/MANIFEST" >&2
