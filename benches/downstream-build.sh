#!/usr/bin/env bash
# Clean build of a minimal crate depending on otc-client: wall time and crates compiled.
# Usage: benches/downstream-build.sh [--release] [--no-default-features (ModelArts only)]
set -euo pipefail
cd "$(dirname "$0")/downstream"
target="$(mktemp -d)"
trap 'rm -rf "$target"' EXIT
cargo fetch --quiet
start=$(date +%s%N)
CARGO_TARGET_DIR="$target" cargo build "$@" --message-format=json > "$target/messages.json"
end=$(date +%s%N)
crates=$(grep -c '"reason":"compiler-artifact"' "$target/messages.json")
tenths=$(( (end - start) / 100000000 ))
printf 'clean build %s: %d.%d s wall, %d crates compiled\n' "${*:-(debug)}" $((tenths / 10)) $((tenths % 10)) "$crates"
