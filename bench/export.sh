#!/usr/bin/env bash
# Export benchmark (BENCHMARKS.md, "Export"): `yoshiki export` of one
# converted OUT of 4,000 documents (bench/make_archive.py, as bench/batch.sh
# makes it) to each format, side by side in one run: Parquet against CSV
# (the goal: Parquet within 2x of CSV), and NDJSON and SQLite beside them.
# Each export runs REPS times (default 3) into a fresh destination; the
# table gives the median wall and CPU time, the largest peak RSS
# (`/usr/bin/time -v`) and the size written.
#
# usage: bench/export.sh [DOCUMENTS]      (default 4000)
set -euo pipefail
cd "$(dirname "$0")/.."
REPS=${REPS:-3}
N=${1:-4000}

cargo build --release --quiet
BIN=$PWD/target/release/yoshiki
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

FORMATS=(--text)
"$BIN" parse fixtures/corpus/xlsx/minato-2022-plan.xlsx >/dev/null 2>&1 && FORMATS+=(--workbooks)
"$BIN" parse fixtures/corpus/pdf/minato-2022-plan.pdf >/dev/null 2>&1 && FORMATS+=(--pdf)
python3 bench/make_archive.py "$N" "$WORK/archive" "${FORMATS[@]}" >/dev/null
"$BIN" convert "$WORK/archive" -o "$WORK/out" --jobs 2 2>/dev/null || true

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
     "$(free -g | awk '/Mem:/ {print $2}') GB RAM, $(uname -sr), $(rustc --version)"
echo "OUT: $N documents (${FORMATS[*]}), $(du -sh "$WORK/out" | cut -f1),"\
     "$(find "$WORK/out" -name '*.json' | wc -l) JSON files"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| export | wall s (median of $REPS) | CPU s (user+sys) | peak RSS MB | rows | written |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# One format, REPS times, interleaved with the others by the caller.
declare -A WALL CPU RSS
run() {
    local fmt=$1 dest=$WORK/dest-$1
    [ "$fmt" = sqlite ] && dest=$WORK/dest.sqlite
    rm -rf "$dest"
    /usr/bin/time -v -o "$WORK/time.txt" "$BIN" export "$WORK/out" --format "$fmt" -o "$dest" 2>"$WORK/stderr-$fmt.txt"
    WALL[$fmt]+="$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$WORK/time.txt" |
        awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }') "
    CPU[$fmt]+="$(awk -F': ' '/User time|System time/ {s += $2} END {print s}' "$WORK/time.txt") "
    local kb
    kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$WORK/time.txt")
    [ "$kb" -gt "${RSS[$fmt]:-0}" ] && RSS[$fmt]=$kb
    SIZE[$fmt]=$(du -sh "$dest" | cut -f1)
}
declare -A SIZE
# Rounds: each round runs every format once, so load changes hit all alike.
for _ in $(seq "$REPS"); do
    for fmt in csv parquet ndjson sqlite; do run "$fmt"; done
done
for fmt in csv parquet ndjson sqlite; do
    wall=$(echo "${WALL[$fmt]}" | tr ' ' '\n' | grep . | median)
    cpu=$(echo "${CPU[$fmt]}" | tr ' ' '\n' | grep . | median)
    rows=$(awk '/rows, to/ {print $(NF-3)}' "$WORK/stderr-$fmt.txt")
    awk -v f="$fmt" -v t="$wall" -v c="$cpu" -v r="${RSS[$fmt]}" -v n="$rows" -v s="${SIZE[$fmt]}" \
        'BEGIN { printf "| %s | %.2f | %.2f | %.1f | %s | %s |\n", f, t, c, r / 1024, n, s }'
done
csv=$(echo "${WALL[csv]}" | tr ' ' '\n' | grep . | median)
pq=$(echo "${WALL[parquet]}" | tr ' ' '\n' | grep . | median)
echo
awk -v a="$pq" -v b="$csv" 'BEGIN { printf "parquet / csv wall time: %.2fx (goal: at most 2x)\n", a / b }'
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
