#!/usr/bin/env bash
# Batch conversion benchmark (BENCHMARKS.md, "Batch").
#
#   * documents per second and peak memory of `yoshiki convert` at --jobs 1
#     and --jobs 2 over the same 1,000-document archive, side by side;
#   * peak memory at 1,000 and at 4,000 documents (it should not grow:
#     documents are spooled to disk, not held);
#   * a re-run over the unchanged 1,000-document archive (writes nothing).
#
# The archives are made by bench/make_archive.py from the fixtures: the text
# releases, and the workbooks and the PDF when this build reads them. Each
# configuration runs REPS times (default 3) into a fresh OUT; the table gives
# the median wall time, the median CPU time and share, and the largest peak
# RSS (`/usr/bin/time -v`, "Maximum resident set size").
#
# With BASE_BIN=/path/to/another/yoshiki, every convert row is measured for
# that build too, in the same run, interleaved (e.g. main's release build,
# to compare a change side by side).
#
# usage: bench/batch.sh            BASE_BIN=../main/target/release/yoshiki [PEERS=0] bench/batch.sh
set -euo pipefail
cd "$(dirname "$0")/.."
REPS=${REPS:-3}

cargo build --release --quiet
BIN=$PWD/target/release/yoshiki
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# The formats this build reads go into the archive.
FORMATS=(--text)
"$BIN" parse fixtures/corpus/xlsx/minato-2022-plan.xlsx >/dev/null 2>&1 && FORMATS+=(--workbooks)
"$BIN" parse fixtures/corpus/pdf/minato-2022-plan.pdf >/dev/null 2>&1 && FORMATS+=(--pdf)
python3 bench/make_archive.py 1000 "$WORK/a1000" "${FORMATS[@]}" >/dev/null
python3 bench/make_archive.py 4000 "$WORK/a4000" "${FORMATS[@]}" >/dev/null

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
     "$(free -g | awk '/Mem:/ {print $2}') GB RAM, $(uname -sr), $(rustc --version)"
echo "archive: ${FORMATS[*]}; $(du -sh "$WORK/a1000" | cut -f1) for 1,000 documents, $(du -sh "$WORK/a4000" | cut -f1) for 4,000"
echo
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| run | documents | --jobs | wall s (median of $REPS) | documents/s | CPU s (user+sys) | CPU % | peak RSS MB | output |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"

# run LABEL ARCHIVE JOBS FRESH(1|0) [BINARY]
run() {
    local label=$1 archive=$2 jobs=$3 fresh=$4 bin=${5:-$BIN}
    local times=() cpus=() pcts=() rss=0
    # A re-run starts from this binary's own first run.
    [ "$fresh" = 0 ] && { rm -rf "$WORK/out"; "$bin" convert "$archive" -o "$WORK/out" --jobs "$jobs" 2>/dev/null || true; }
    for _ in $(seq "$REPS"); do
        [ "$fresh" = 1 ] && rm -rf "$WORK/out"
        # Peak RSS: the largest process (the run or one of its workers).
        /usr/bin/time -v -o "$WORK/time.txt" "$bin" convert "$archive" -o "$WORK/out" --jobs "$jobs" \
            2>"$WORK/stderr.txt" || true
        local wall kb
        wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$WORK/time.txt" |
            awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')
        kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$WORK/time.txt")
        times+=("$wall")
        cpus+=("$(awk -F': ' '/User time|System time/ {s += $2} END {print s}' "$WORK/time.txt")")
        pcts+=("$(awk -F': ' '/Percent of CPU/ {sub("%", "", $2); print $2}' "$WORK/time.txt")")
        [ "$kb" -gt "$rss" ] && rss=$kb
    done
    local median cpu pct docs size
    median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    cpu=$(printf '%s\n' "${cpus[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    pct=$(printf '%s\n' "${pcts[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    docs=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['counts']['inputs'])" "$WORK/out/manifest.json")
    size=$(du -sh "$WORK/out" | cut -f1)
    awk -v l="$label" -v d="$docs" -v j="$jobs" -v t="$median" -v c="$cpu" -v p="$pct" -v r="$rss" -v s="$size" \
        'BEGIN { printf "| %s | %d | %d | %.2f | %.0f | %.2f | %d%% | %.1f | %s |\n", l, d, j, t, d / t, c, p, r / 1024, s }'
    tail -n1 "$WORK/stderr.txt" >&2
}

# The peer: what a data team would script without convert, one
# `yoshiki parse FILE > FILE.json` process per file through xargs (no
# grouping, no manifest), at one and two processes at a time.
peer() {
    local procs=$1 times=() cpus=() pcts=() rss=0
    cat >"$WORK/one.sh" <<'EOS'
#!/bin/sh
"$YOSHIKI" parse "$1" >"$PEER_OUT/$(echo "$1" | tr / _).json" 2>/dev/null || true
EOS
    (cd "$WORK/a1000" && find . -type f | sort) >"$WORK/files.txt"
    for _ in $(seq "$REPS"); do
        rm -rf "$WORK/peer" && mkdir "$WORK/peer"
        (cd "$WORK/a1000" && YOSHIKI=$BIN PEER_OUT=$WORK/peer \
            /usr/bin/time -v -o "$WORK/time.txt" xargs -P "$procs" -n 1 sh "$WORK/one.sh" <"$WORK/files.txt")
        times+=("$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$WORK/time.txt" |
            awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')")
        cpus+=("$(awk -F': ' '/User time|System time/ {s += $2} END {print s}' "$WORK/time.txt")")
        pcts+=("$(awk -F': ' '/Percent of CPU/ {sub("%", "", $2); print $2}' "$WORK/time.txt")")
        local kb
        kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$WORK/time.txt")
        [ "$kb" -gt "$rss" ] && rss=$kb
    done
    local median cpu pct
    median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    cpu=$(printf '%s\n' "${cpus[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    pct=$(printf '%s\n' "${pcts[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    awk -v j="$procs" -v t="$median" -v c="$cpu" -v p="$pct" -v r="$rss" -v s="$(du -sh "$WORK/peer" | cut -f1)" \
        'BEGIN { printf "| peer: `xargs -P %d yoshiki parse` | 1000 | – | %.2f | %.0f | %.2f | %d%% | %.1f (one process) | %s |\n", j, t, 1000 / t, c, p, r / 1024, s }'
}

# both LABEL ARCHIVE JOBS FRESH: this build, then BASE_BIN's if given.
both() {
    run "$1" "$2" "$3" "$4"
    if [ -n "${BASE_BIN:-}" ]; then
        run "$1 (base)" "$2" "$3" "$4" "$BASE_BIN"
    fi
}

# PEERS=0 leaves the peer rows out (to compare two builds quickly).
if [ "${PEERS:-1}" != 0 ]; then
    peer 1
    peer 2
fi
both "convert" "$WORK/a1000" 1 1
both "convert" "$WORK/a1000" 2 1
both "re-run, unchanged" "$WORK/a1000" 2 0
both "convert" "$WORK/a4000" 1 1
both "convert" "$WORK/a4000" 2 1
