#!/usr/bin/env bash
# Builds the same synthetic corpus with pressbook (EPUB + PDF) and with the
# peers: pandoc 3.x (Markdown → EPUB) and pandoc → typst source → PDF (typst).
# Runs alternate, and the script prints medians and the ratios of medians.
#
#   bash examples/compare.sh [ARTICLES] [RUNS] [BIG]   (defaults: 100 articles, 5 runs, 1000)
#
# BIG: a second corpus (0 skips it) built 3 times: its median time as a
# multiple of the first's, its peak memory, and byte-identical output for 1
# and 2 threads.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100}
runs=${2:-5}
big=${3:-1000}
work=target/compare
peers=target/peers
mkdir -p "$work"

if [[ ! -x $peers/bin/python ]] || ! "$peers/bin/python" -c 'import pypandoc, typst' 2>/dev/null; then
  python3 -m venv "$peers"
  "$peers/bin/pip" install -q --disable-pip-version-check pypandoc_binary typst
fi
pandoc=$("$peers/bin/python" -c 'import pypandoc; print(pypandoc.get_pandoc_path())')
echo "pandoc: $("$pandoc" --version | head -n1)"
echo "typst (python): $("$peers/bin/pip" show typst 2>/dev/null | sed -n 's/^Version: //p')"

cargo build --release -q
pb=target/release/pressbook
corpus=$work/corpus-$n
rm -rf "$corpus"
"$pb" gen-corpus "$corpus" --articles "$n"
echo "corpus: $n articles, $(wc -w < "$corpus/all.md") words"

now() { date +%s.%N; }
declare -a t_pb t_pdf t_pe t_pt t_ty
for ((i = 0; i < runs; i++)); do
  s=$(now); "$pb" build "$corpus" --out "$work/pb" --format all -q; e=$(now)
  t_pb+=("$(awk "BEGIN {print $e - $s}")")
  s=$(now); "$pb" build "$corpus" --out "$work/pb-pdf" --format pdf -q; e=$(now)
  t_pdf+=("$(awk "BEGIN {print $e - $s}")")
  s=$(now); "$pandoc" "$corpus/all.md" -o "$work/pandoc.epub" --metadata title="Synthetic Corpus" --toc; e=$(now)
  t_pe+=("$(awk "BEGIN {print $e - $s}")")
  s=$(now); "$pandoc" "$corpus/all.md" -t typst -s -o "$work/corpus.typ" --toc; e=$(now)
  t_pt+=("$(awk "BEGIN {print $e - $s}")")
  s=$(now); "$peers/bin/python" -c "import typst; typst.compile('$work/corpus.typ', output='$work/typst.pdf')"; e=$(now)
  t_ty+=("$(awk "BEGIN {print $e - $s}")")
done

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
pb_m=$(median "${t_pb[@]}")
pdf_m=$(median "${t_pdf[@]}")
pe_m=$(median "${t_pe[@]}")
pt_m=$(median "${t_pt[@]}")
ty_m=$(median "${t_ty[@]}")
peers_m=$(awk "BEGIN {print $pe_m + $pt_m + $ty_m}")
pages=$(pdfinfo "$work"/pb/*.pdf 2>/dev/null | awk '/^Pages:/ {print $2}')
typst_pages=$(pdfinfo "$work/typst.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
printf '\nmedians over %d alternating runs (seconds)\n' "$runs"
printf '  pressbook EPUB+PDF          %8.3f   (%s pages)\n' "$pb_m" "${pages:-?}"
printf '  pressbook PDF alone         %8.3f\n' "$pdf_m"
printf '  pandoc EPUB                 %8.3f\n' "$pe_m"
printf '  pandoc → typst source       %8.3f\n' "$pt_m"
printf '  typst compile (PDF)         %8.3f   (%s pages)\n' "$ty_m" "${typst_pages:-?}"
printf 'ratios of medians\n'
printf '  peers together / pressbook  %8.1fx\n' "$(awk "BEGIN {print $peers_m / $pb_m}")"
printf '  typst PDF step / pressbook  %8.1fx\n' "$(awk "BEGIN {print $ty_m / $pb_m}")"
printf '  typst PDF step / pressbook PDF alone %5.1fx\n' "$(awk "BEGIN {print $ty_m / $pdf_m}")"
printf 'PDF size: pressbook %s bytes, typst %s bytes\n' "$(stat -c %s "$work"/pb-pdf/*.pdf)" "$(stat -c %s "$work/typst.pdf")"

# Peak memory of one pressbook build, and the output must not depend on the
# number of threads.
if [[ -x /usr/bin/time ]]; then
  rss=$(/usr/bin/time -f %M "$pb" build "$corpus" --out "$work/pb" --format all -q 2>&1 >/dev/null | tail -n1)
  printf 'pressbook peak RSS            %8.1f MiB\n' "$(awk "BEGIN {print $rss / 1024}")"
fi
rm -rf "$work/t1" "$work/t2"
RAYON_NUM_THREADS=1 "$pb" build "$corpus" --out "$work/t1" --format all -q
RAYON_NUM_THREADS=2 "$pb" build "$corpus" --out "$work/t2" --format all -q
same=yes
for f in "$work"/t1/*; do cmp -s "$f" "$work/t2/$(basename "$f")" || same=no; done
printf 'byte-identical output with 1 and 2 threads: %s\n' "$same"

if ((big > 0)); then
  bigc=$work/corpus-$big
  rm -rf "$bigc"
  "$pb" gen-corpus "$bigc" --articles "$big"
  declare -a t_big
  for ((i = 0; i < 3; i++)); do
    s=$(now); "$pb" build "$bigc" --out "$work/big" --format all -q; e=$(now)
    t_big+=("$(awk "BEGIN {print $e - $s}")")
  done
  big_m=$(median "${t_big[@]}")
  printf '\n%d articles (%s pages): median %.3f s of 3 = %.1fx the %d-article time\n' "$big" \
    "$(pdfinfo "$work"/big/*.pdf | awk '/^Pages:/ {print $2}')" "$big_m" "$(awk "BEGIN {print $big_m / $pb_m}")" "$n"
  if [[ -x /usr/bin/time ]]; then
    rss=$(/usr/bin/time -f %M "$pb" build "$bigc" --out "$work/big" --format all -q 2>&1 >/dev/null | tail -n1)
    printf 'peak RSS %.1f MiB\n' "$(awk "BEGIN {print $rss / 1024}")"
  fi
  rm -rf "$work/b1" "$work/b2"
  RAYON_NUM_THREADS=1 "$pb" build "$bigc" --out "$work/b1" --format all -q
  RAYON_NUM_THREADS=2 "$pb" build "$bigc" --out "$work/b2" --format all -q
  same=yes
  for f in "$work"/b1/*; do cmp -s "$f" "$work/b2/$(basename "$f")" || same=no; done
  printf 'byte-identical output with 1 and 2 threads: %s\n' "$same"
fi
