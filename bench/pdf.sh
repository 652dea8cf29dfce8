#!/usr/bin/env bash
# PDF reading, side by side in one run on the same files:
#   yoshiki parse FILE            (release build; reads, recognises, prints JSON)
#   yoshiki dump FILE             (the PDF reader alone: prints the intermediate form)
#   pdftotext -layout FILE -      (poppler; text only, no tables)
#   pdfplumber extract_tables()   (every page; tables only)
# Wall time by hyperfine (warm cache, mean of runs), peak memory by
# /usr/bin/time -v ("Maximum resident set size"). Prints a Markdown table;
# BENCHMARKS.md's PDF section is this script's output.
#
# Run from the repository root:  bench/pdf.sh
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release --quiet
bin=target/release/yoshiki
files=(
  fixtures/corpus/pdf/minato-2022-plan.pdf
  fixtures/pdf/chromium-type0-identity-h.pdf
  fixtures/pdf/reportlab-unijis-ucs2-h.pdf
  fixtures/pdf/reportlab-90ms-rksj-h.pdf
  fixtures/pdf/libreoffice-strikethrough-revision.pdf
  fixtures/pdf/encrypted-owner-only-aes-256.pdf
  fixtures/pdf/chromium-a4-portrait.pdf
  fixtures/pdf/chromium-b5-landscape-scale.pdf
  fixtures/pdf/chromium-a4-progress.pdf
  fixtures/pdf/reportlab-unruled-summary-narrow.pdf
  fixtures/pdf/reportlab-unruled-revision-narrow.pdf
  fixtures/pdf/libreoffice-overflow-print-area.pdf
)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

rss() { # peak RSS in MiB of a command
  /usr/bin/time -v "$@" >/dev/null 2>"$tmp/time" || true
  awk '/Maximum resident set size/ {printf "%.1f", $6/1024}' "$tmp/time"
}

echo "| file | pages | yoshiki parse | yoshiki dump (reader) | pdftotext -layout | pdfplumber extract_tables | parse / pdftotext | pdfplumber / parse |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for f in "${files[@]}"; do
  pages=$(pdfinfo "$f" 2>/dev/null | awk '/^Pages:/ {print $2}')
  hyperfine --style none --warmup 2 --min-runs 10 --export-json "$tmp/h.json" \
    -n yoshiki "$bin parse $f" \
    -n dump "$bin dump $f" \
    -n pdftotext "pdftotext -layout $f -" \
    -n pdfplumber "python3 bench/pdf_tables.py $f" >/dev/null 2>&1
  read -r y d p q < <(python3 -c '
import json, sys
r = {x["command"]: x["mean"] for x in json.load(open(sys.argv[1]))["results"]}
print(r["yoshiki"], r["dump"], r["pdftotext"], r["pdfplumber"])' "$tmp/h.json")
  ry=$(rss "$bin" parse "$f")
  rd=$(rss "$bin" dump "$f")
  rp=$(rss pdftotext -layout "$f" -)
  rq=$(rss python3 bench/pdf_tables.py "$f")
  python3 -c '
import sys
f, pages, y, d, p, q, ry, rd, rp, rq = sys.argv[1:]
y, d, p, q = float(y), float(d), float(p), float(q)
name = f.split("/")[-1]
ms = lambda s: "%.1f ms" % (s * 1000)
print("| %s | %s | %s, %s MiB | %s, %s MiB | %s, %s MiB | %s, %s MiB | %.2f× | %.0f× |"
      % (name, pages, ms(y), ry, ms(d), rd, ms(p), rp, ms(q), rq, y / p, q / y))' \
    "$f" "$pages" "$y" "$d" "$p" "$q" "$ry" "$rd" "$rp" "$rq"
done
