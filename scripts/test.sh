#!/usr/bin/env bash
# The whole test suite on a fresh machine: install, configure, build, run every test.
# Tests that need ../shared/data skip (and say so) when it is absent.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/scripts/build.sh"
cd "$ROOT/build"
ctest --output-on-failure -j"$(nproc)" "$@"
