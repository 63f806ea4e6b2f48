#!/usr/bin/env bash
# Line quality of justified text, pressbook against typst: the synthetic
# corpus set by both at the same font (Source Serif 4 from fonts/), size
# (10.5 pt) and measure (348 pt on A4), then measured from `pdftotext
# -bbox-layout` by examples/line_quality.py (hyphenated lines, ladders, word
# gaps, loose lines, hanging punctuation).
#
#   bash examples/line_quality.sh [ARTICLES]      (default: 100 articles)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100}
work=target/line-quality
peers=target/peers
mkdir -p "$work"

if [[ ! -x $peers/bin/python ]] || ! "$peers/bin/python" -c 'import pypandoc, typst' 2>/dev/null; then
  python3 -m venv "$peers"
  "$peers/bin/pip" install -q --disable-pip-version-check pypandoc_binary typst
fi
pandoc=$("$peers/bin/python" -c 'import pypandoc; print(pypandoc.get_pandoc_path())')

cargo build --release -q
pb=target/release/pressbook
corpus=$work/corpus-$n
rm -rf "$corpus" "$work/pb"
"$pb" gen-corpus "$corpus" --articles "$n" >/dev/null
"$pb" build "$corpus" --out "$work/pb" --format pdf -q
pdf=$(ls "$work"/pb/*.pdf | head -n1)

# typst: pandoc's body (no template) under the same page and type.
{
  echo '#set page(width: 595.28pt, margin: (x: 123.64pt))'
  echo '#set text(font: "Source Serif 4", size: 10.5pt, lang: "en")'
  echo '#set par(justify: true)'
  echo '#let horizontalrule = line(length: 100%)'
  "$pandoc" "$corpus/all.md" -t typst
} >"$work/corpus.typ"
"$peers/bin/python" -c "import typst; typst.compile('$work/corpus.typ', output='$work/typst.pdf', font_paths=['fonts'])"

pdftotext -bbox-layout "$pdf" "$work/pressbook.html"
pdftotext -bbox-layout "$work/typst.pdf" "$work/typst.html"
echo "corpus: $n articles; pressbook $(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}') pages, typst $(pdfinfo "$work/typst.pdf" | awk '/^Pages:/ {print $2}') pages"
python3 examples/line_quality.py pressbook "$work/pressbook.html" typst "$work/typst.html"
