#!/usr/bin/env bash
# Web pages against text releases, side by side in one run, per document:
#   yoshiki parse RELEASE.txt          (the text path: read, recognise, JSON)
#   yoshiki parse PAGE.utf8.html       (the HTML path, same release as a page)
#   yoshiki parse PAGE.sjis.html       (the same page in Shift_JIS, CRLF)
#   yoshiki dump  on both              (the readers alone)
# and a batch: `convert --jobs 1` over 40 copies of the five releases as
# text and as pages (each copy made distinct by a trailing comment or blank
# line), wall time per document.
# Wall time by hyperfine (warm cache, mean of runs), peak memory by
# /usr/bin/time -v. Prints Markdown tables; BENCHMARKS.md's web page
# section is this script's output.
#
# Run from the repository root:  bench/html.sh
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release --quiet
bin=target/release/yoshiki
releases=(minato-2022-plan minato-2022-plan-revision minato-2021-midterm-review taisho-2016-progress unknown-ward-summary)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

rss() { # peak RSS in MiB of a command
  /usr/bin/time -v "$@" >/dev/null 2>"$tmp/time" || true
  awk '/Maximum resident set size/ {printf "%.1f", $6/1024}' "$tmp/time"
}

echo "| release | text parse | page parse (UTF-8) | page parse (Shift_JIS) | page / text | text dump (reader) | page dump (reader) |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
for r in "${releases[@]}"; do
  t=fixtures/corpus/text/$r.txt
  u=fixtures/html/$r.utf8.html
  s=fixtures/html/$r.sjis.html
  hyperfine --style none --warmup 3 --min-runs 20 --export-json "$tmp/h.json" \
    -n text "$bin parse $t" -n utf8 "$bin parse $u" -n sjis "$bin parse $s" \
    -n tdump "$bin dump $t" -n udump "$bin dump $u" >/dev/null 2>&1
  read -r a b c d e < <(python3 -c '
import json, sys
r = {x["command"]: x["mean"] for x in json.load(open(sys.argv[1]))["results"]}
print(r["text"], r["utf8"], r["sjis"], r["tdump"], r["udump"])' "$tmp/h.json")
  ra=$(rss "$bin" parse "$t"); rb=$(rss "$bin" parse "$u"); rc=$(rss "$bin" parse "$s")
  python3 -c '
import sys
r, a, b, c, d, e, ra, rb, rc, ts, us = sys.argv[1:]
a, b, c, d, e = map(float, (a, b, c, d, e))
ms = lambda s: "%.1f ms" % (s * 1000)
print("| %s (%s KB text, %s KB page) | %s, %s MiB | %s, %s MiB | %s, %s MiB | %.2f× | %s | %s |"
      % (r, ts, us, ms(a), ra, ms(b), rb, ms(c), rc, b / a, ms(d), ms(e)))' \
    "$r" "$a" "$b" "$c" "$d" "$e" "$ra" "$rb" "$rc" \
    "$(( $(stat -c %s "$t") / 1024 ))" "$(( $(stat -c %s "$u") / 1024 ))"
done

# The batch: 40 distinct copies of each release, as text and as pages.
mkdir -p "$tmp/text" "$tmp/pages"
for r in "${releases[@]}"; do
  for i in $(seq 1 40); do
    { cat "fixtures/corpus/text/$r.txt"; printf '\n%*s\n' "$i" ''; } >"$tmp/text/$r-$i.txt"
    { cat "fixtures/html/$r.utf8.html"; printf '<!-- copy %d -->\n' "$i"; } >"$tmp/pages/$r-$i.html"
  done
done
n=$(ls "$tmp/text" | wc -l)
hyperfine --style none --warmup 1 --min-runs 5 --export-json "$tmp/b.json" \
  --prepare "rm -rf $tmp/out-text $tmp/out-pages" \
  -n text "$bin convert --jobs 1 --out $tmp/out-text $tmp/text" \
  -n pages "$bin convert --jobs 1 --out $tmp/out-pages $tmp/pages" >/dev/null 2>&1
python3 -c '
import json, sys
r = {x["command"]: x["mean"] for x in json.load(open(sys.argv[1]))["results"]}
n = int(sys.argv[2])
print()
print("| batch (convert --jobs 1) | documents | text | pages | pages / text |")
print("| --- | ---: | ---: | ---: | ---: |")
print("| 40 copies of the five releases | %d | %.0f ms (%.2f ms/doc) | %.0f ms (%.2f ms/doc) | %.2f× |"
      % (n, r["text"] * 1000, r["text"] * 1000 / n, r["pages"] * 1000, r["pages"] * 1000 / n, r["pages"] / r["text"]))' \
  "$tmp/b.json" "$n"
