#!/usr/bin/env bash
# Sizes and times of the image step on a digest of pictures: the EPUB built
# by BEFORE (an older pressbook binary), then by this one twice (the second
# build uses the picture cache in OUT/.pictures).
#   bash examples/pictures-measure.sh DIGEST BEFORE_BINARY
# A digest of generated pictures: run `cargo test --release --test suite
# pictures_are_fitted` and use target/test-scratch/pictures-fit/digest.
set -euo pipefail
dir=$1; before=$2
after=${CARGO_TARGET_DIR:-target}/release/pressbook
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
/usr/bin/time -f "before: %e s, %M KB peak" "$before" build "$dir" --out "$tmp/before" --format epub -q
/usr/bin/time -f "after, first build: %e s, %M KB peak" "$after" build "$dir" --out "$tmp/after" --format epub -q
/usr/bin/time -f "after, cached rebuild: %e s, %M KB peak" "$after" build "$dir" --out "$tmp/after" --format epub -q
ls -l "$tmp"/before/*.epub "$tmp"/after/*.epub | awk '{print $5" bytes", $9}'
