#!/bin/sh
# Workbook → JSON: `yoshiki parse` (release build) next to openpyxl's
# load_workbook + reading every cell (bench/openpyxl_read_all.py), on the
# same files, in one run. Wall time by hyperfine, peak memory by
# /usr/bin/time -v ("Maximum resident set size"). Prints a Markdown table
# for BENCHMARKS.md. Run from the repository root:
#
#   sh bench/workbook.sh
#
# Needs hyperfine, GNU time (apt install time), python3 with openpyxl.
set -eu

RUNS=${RUNS:-10}
work=$(mktemp -d /tmp/yoshiki-bench-XXXX)
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet
bin=target/release/yoshiki

# A larger workbook: the corpus plan's two sheets copied 50 times.
python3 bench/make_big_workbook.py fixtures/corpus/xlsx/minato-2022-plan.xlsx "$work/plan-x50.xlsx" 50

xlsx_files="fixtures/corpus/xlsx/minato-2022-plan.xlsx
fixtures/workbook/taisho-2016-progress.xlsx
fixtures/workbook/minato-2022-plan-revision-strikethrough.xlsx
$work/plan-x50.xlsx"
other_files="fixtures/workbook/minato-2022-plan.xls
fixtures/workbook/minato-2022-plan.ods"
million=fixtures/workbook/bad/million-empty-styled-rows.xlsx

# One line per tool and file: file, tool, mean s, stddev s, peak KB, note.
results="$work/results.tsv"
: >"$results"

measure() { # measure FILE TOOL NOTE COMMAND...
    file=$1 tool=$2 note=$3
    shift 3
    hyperfine -N -i --warmup 2 --runs "$RUNS" --export-json "$work/h.json" "$*" >/dev/null 2>&1
    /usr/bin/time -v "$@" >/dev/null 2>"$work/time.txt" || true
    python3 bench/row.py "$file" "$tool" "$note" "$work/time.txt" "$work/h.json" >>"$results"
}

for f in $xlsx_files; do
    measure "$f" yoshiki "" "$bin" parse "$f"
    measure "$f" openpyxl "" python3 bench/openpyxl_read_all.py "$f"
done
for f in $other_files; do
    measure "$f" yoshiki "openpyxl does not read $(echo "$f" | sed 's/.*\.//')" "$bin" parse "$f"
done

# A million empty styled rows and a value in XFD1000004: yoshiki reads it
# (and refuses it as no form); openpyxl's walk over the used range would
# visit 16 billion cells, so it runs once, under 4 GB and 120 s.
measure "$million" yoshiki "read, then refused: not a form" "$bin" parse "$million"
/usr/bin/time -v sh -c 'ulimit -v 4194304; exec timeout 120 python3 bench/openpyxl_read_all.py "$0"' "$million" \
    >/dev/null 2>"$work/time.txt" || true
python3 bench/row.py "$million" openpyxl "" "$work/time.txt" >>"$results"

python3 bench/row.py --table "$results"
