#!/usr/bin/env bash
# The spec author's loop: edit one description in specs/modelarts.yaml, `cargo xtask
# regenerate`, then rebuild a dependent binary (benches/downstream, debug, incremental).
# Prints each round's regenerate and rebuild seconds; the edit is undone (and regenerated) at the
# end. Usage: benches/author-loop.sh [rounds] [downstream cargo flags, e.g. --no-default-features]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-3}"
shift || true
spec=specs/modelarts.yaml
target="$(mktemp -d)"
backup="$(mktemp)"
cp "$spec" "$backup"
restore() {
  cp "$backup" "$spec"
  cargo xtask regenerate >/dev/null 2>&1 || true
  rm -rf "$target" "$backup"
}
trap restore EXIT
cargo build --quiet -p xtask
(cd benches/downstream && CARGO_TARGET_DIR="$target" cargo build --quiet "$@")
seconds() { awk -v start="$1" -v end="$2" 'BEGIN { printf "%.2f", (end - start) / 1e9 }'; }
for round in $(seq "$rounds"); do
  # The description of the Notebook's `description` field, as an author would touch it.
  sed -i "0,/description: Instance description\./s//description: Instance description (round $round)./" "$spec"
  grep -q "(round $round)" "$spec" || { echo "the edited description was not found in $spec" >&2; exit 1; }
  start=$(date +%s%N)
  cargo xtask regenerate >/dev/null 2>&1
  middle=$(date +%s%N)
  if git diff --quiet -- generated-client/src/generated/modelarts.rs; then
    echo "the edit did not change the generated code: pick another description" >&2
    exit 1
  fi
  (cd benches/downstream && CARGO_TARGET_DIR="$target" cargo build --quiet "$@")
  end=$(date +%s%N)
  echo "round $round: regenerate $(seconds "$start" "$middle") s, rebuild $(seconds "$middle" "$end") s, loop $(seconds "$start" "$end") s"
  cp "$backup" "$spec"
done
