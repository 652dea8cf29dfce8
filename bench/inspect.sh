#!/usr/bin/env bash
# Inspection reports, side by side in one run on the same files:
#   yoshiki inspect FILE -o R.html   (release build: read, the reader's page
#                                     view, recognise, report)
#   yoshiki parse FILE               (the same reading and recognising, JSON out)
#   pdfplumber visual debugging      (PDFs: every page rendered with its
#                                     characters' boxes and table finder
#                                     drawn, saved as PNGs; bench/pdf_debug_images.py)
# and the ward-year report (inspect OUT/<ward>/<year>.json) of the corpus.
# Wall time by hyperfine (warm cache, mean of runs), peak memory by
# /usr/bin/time -v. Prints a Markdown table; BENCHMARKS.md's "Inspection
# reports" section is this script's output.
#
# Run from the repository root:  bench/inspect.sh
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release --quiet
bin=target/release/yoshiki
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin" convert fixtures/corpus -o "$tmp/out" 2>/dev/null || true

rss() { # peak RSS in MiB of a command
  /usr/bin/time -v "$@" >/dev/null 2>"$tmp/time" || true
  awk '/Maximum resident set size/ {printf "%.1f", $6/1024}' "$tmp/time"
}
ms() { python3 -c 'import json,sys; r={x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}; x=r[sys.argv[2]]; print("%.1f ms ± %.1f" % (x["mean"]*1000, x["stddev"]*1000))' "$tmp/h.json" "$1"; }

echo "| input | yoshiki inspect | report size | yoshiki parse | pdfplumber visual debugging |"
echo "| --- | ---: | ---: | ---: | ---: |"
for f in fixtures/corpus/pdf/minato-2022-plan.pdf fixtures/corpus/xlsx/minato-2022-plan.xlsx fixtures/corpus/text/minato-2021-midterm-review.txt; do
  peer=()
  case "$f" in *.pdf) peer=(-n pdfplumber "python3 bench/pdf_debug_images.py $f $tmp/png") ;; esac
  hyperfine --style none --warmup 2 --min-runs 10 --export-json "$tmp/h.json" \
    -n inspect "$bin inspect $f -o $tmp/r.html" \
    -n parse "$bin parse $f" "${peer[@]}" >/dev/null 2>&1
  size=$(python3 -c 'import os,sys; print("%.0f KiB" % (os.path.getsize(sys.argv[1])/1024))' "$tmp/r.html")
  p="—"
  if [ ${#peer[@]} -gt 0 ]; then p="$(ms pdfplumber), $(rss python3 bench/pdf_debug_images.py "$f" "$tmp/png") MiB"; fi
  echo "| $(basename "$f") | $(ms inspect), $(rss "$bin" inspect "$f" -o "$tmp/r.html") MiB | $size | $(ms parse), $(rss "$bin" parse "$f") MiB | $p |"
done
wy="$tmp/out/271071/2022.json"
hyperfine --style none --warmup 2 --min-runs 10 --export-json "$tmp/h.json" \
  -n inspect "$bin inspect $wy -o $tmp/r.html" >/dev/null 2>&1
size=$(python3 -c 'import os,sys; print("%.0f KiB" % (os.path.getsize(sys.argv[1])/1024))' "$tmp/r.html")
echo "| ward-year 271071/2022.json (4 documents) | $(ms inspect), $(rss "$bin" inspect "$wy" -o "$tmp/r.html") MiB | $size | — | — |"
