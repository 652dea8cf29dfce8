#!/bin/sh
# The recogniser's cost per document, this build next to another (the
# build before a change), side by side in one run:
#
#   BEFORE=/path/to/other/yoshiki sh bench/recognise.sh
#
# For each corpus file: instructions executed (valgrind's callgrind, which
# counts instructions, not seconds: the same figure on a busy machine) by
# `yoshiki parse` and by `yoshiki dump` (the reader alone); the recogniser's
# share is the difference. Then wall time of `parse` by hyperfine, both
# builds interleaved in one run (noisy on a shared machine: say the load).
# Prints Markdown for BENCHMARKS.md. Needs valgrind and hyperfine.
set -eu

: "${BEFORE:?set BEFORE to the other build's yoshiki}"
cargo build --release --quiet
AFTER=target/release/yoshiki
RUNS=${RUNS:-30}

files="fixtures/corpus/text/minato-2022-plan.txt
fixtures/corpus/text/minato-2022-plan-revision.txt
fixtures/corpus/text/minato-2021-midterm-review.txt
fixtures/corpus/text/unknown-ward-summary.txt
fixtures/corpus/text/taisho-2016-progress.txt
fixtures/corpus/xlsx/minato-2022-plan.xlsx
fixtures/corpus/pdf/minato-2022-plan.pdf"

count() { # count BIN CMD FILE -> instructions
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$1" "$2" "$3" 2>&1 >/dev/null |
        grep -o 'refs: *[0-9,]*' | tr -dc 0-9
}

echo "load: $(uptime | sed 's/.*load average: //')"
echo
echo "| file | parse before | parse after | dump before | dump after | recogniser before | recogniser after | change |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for f in $files; do
    pb=$(count "$BEFORE" parse "$f"); pa=$(count "$AFTER" parse "$f")
    db=$(count "$BEFORE" dump "$f"); da=$(count "$AFTER" dump "$f")
    awk -v f="$(basename "$f")" -v pb="$pb" -v pa="$pa" -v db="$db" -v da="$da" 'BEGIN {
        rb = pb - db; ra = pa - da
        printf "| %s | %.1fM | %.1fM | %.1fM | %.1fM | %.1fM | %.1fM | %+.0f%% |\n",
            f, pb/1e6, pa/1e6, db/1e6, da/1e6, rb/1e6, ra/1e6, 100*(ra/rb-1) }'
done
echo
set --
for f in $files; do
    set -- "$@" "$BEFORE parse $f" "$AFTER parse $f"
done
table=$(mktemp /tmp/yoshiki-bench-XXXX)
trap 'rm -f "$table"' EXIT
hyperfine -N -w 3 -r "$RUNS" --export-markdown "$table" "$@" >/dev/null 2>&1
cat "$table"
echo
echo "load: $(uptime | sed 's/.*load average: //')"
