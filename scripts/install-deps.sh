#!/usr/bin/env bash
# Installs every Debian package lmzip needs to build, test and run its benchmark.
# Only missing packages are installed; apt-get is the only network access used.
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config ca-certificates
  libgtest-dev libgmock-dev libbenchmark-dev
  zlib1g-dev liblzma-dev libzstd-dev libbz2-dev libbrotli-dev
  libpng-dev libjpeg62-turbo-dev libjxl-dev
  libflac-dev libsndfile1-dev libsoxr-dev
  libxxhash-dev libssl-dev nlohmann-json3-dev libcli11-dev libfmt-dev
  libicu-dev gnuplot-nox libopenblas-dev
  gzip xz-utils bzip2 zstd
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
