#!/usr/bin/env bash
# Records the SHA-256 of every book pressbook builds from input/ and from each
# fixture (EPUB, PDF and KEPUB), so a refactoring can prove its output is unchanged:
#   bash examples/output-hashes.sh > before.txt   # on the old code
#   bash examples/output-hashes.sh | diff before.txt -
# Also builds a generated 40-article corpus (both layouts and page sizes are
# covered by the fixtures; the corpus covers volume and the contents' length).
set -euo pipefail
cd "$(dirname "$0")/.."
# PRESSBOOK_BIN: hash the output of another build (e.g. the old code's).
if [[ -z ${PRESSBOOK_BIN:-} ]]; then
  cargo build --release -q
fi
bin=${PRESSBOOK_BIN:-target/release/pressbook}
work=target/output-hashes
rm -rf "$work"; mkdir -p "$work"
export SOURCE_DATE_EPOCH=1700000000
"$bin" gen-corpus "$work/corpus" --articles 40 >/dev/null
for dir in input tests/fixtures/* "$work/corpus"; do
  [[ -f $dir/pressbook.toml ]] || continue
  name=$(basename "$dir")
  out="$work/out-$name"
  # --allow-outside: the pdf-fonts fixture names the repository's fonts.
  if "$bin" build "$dir" --out "$out" -q --allow-outside >/dev/null 2>&1; then
    for f in "$out"/*; do
      printf '%s  %s/%s\n' "$(sha256sum < "$f" | cut -c1-64)" "$name" "$(basename "$f")"
    done
  else
    echo "build-failed  $name"
  fi
  # Kobo's flavour is not part of `all`.
  if "$bin" build "$dir" --out "$out-kepub" -f kepub -q --allow-outside >/dev/null 2>&1; then
    for f in "$out-kepub"/*; do
      printf '%s  %s/%s\n' "$(sha256sum < "$f" | cut -c1-64)" "$name" "$(basename "$f")"
    done
  else
    echo "build-failed  $name (kepub)"
  fi
done
