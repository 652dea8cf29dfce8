#!/usr/bin/env bash
# Run fuzz targets, two at a time (the machine has two cores), each for
# SECS seconds (default 1860: 31 minutes), from the seeded corpora.
#   fuzz/run.sh [SECS] [TARGET…]
set -uo pipefail
cd "$(dirname "$0")"
secs=${1:-1860}; shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(text_reader normalizer workbook_reader pdf_reader html_reader)
mkdir -p logs artifacts
run() {
    local t=$1 maxlen=100000
    case $t in workbook_reader|pdf_reader|html_reader) maxlen=400000 ;; esac
    mkdir -p "artifacts/$t"
    RUSTC_BOOTSTRAP=1 cargo fuzz run -O "$t" "corpus/$t" -- \
        -max_total_time="$secs" -rss_limit_mb=2048 -timeout=30 -max_len="$maxlen" \
        -artifact_prefix="artifacts/$t/" -print_final_stats=1 > "logs/$t.log" 2>&1
    echo "$t exit $?" >> logs/summary.txt
}
i=0
for t in "${targets[@]}"; do
    run "$t" &
    i=$((i + 1))
    if [ $((i % 2)) -eq 0 ]; then wait; fi
done
wait
