#!/usr/bin/env bash
# Memory per input (BENCHMARKS.md, "Memory per input").
#
#   * a 256 MiB text file (the corpus plan, repeated: a release as long as
#     --max-file-bytes allows): `convert` with the default budget, and with
#     --max-memory 16 GiB and --timeout 1800 to see what its parse takes;
#   * ten slow inputs at `--timeout 1` (each the plan repeated to 16 MiB,
#     some 3 s to parse): what the timed-out parses keep;
#   * pathological text: 10 MB of newlines, 8 MB of one-character lines.
#
# Peak memory is that of the whole process tree (the run and its worker
# processes, summed), sampled every 20 ms from /proc; wall time from the
# shell. With BASE_BIN=/path/to/another/yoshiki each row is measured for it
# too, in the same run.
#
# usage: bench/memory.sh            BASE_BIN=../main/target/release/yoshiki bench/memory.sh
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release --quiet
BIN=$PWD/target/release/yoshiki
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

python3 - "$WORK" <<'EOF'
import os, sys
work = sys.argv[1]
plan = open("fixtures/corpus/text/minato-2022-plan.txt", "rb").read()
good = open("fixtures/corpus/text/taisho-2016-progress.txt", "rb").read()
def archive(name, files):
    d = os.path.join(work, name, "archive")
    os.makedirs(d)
    open(os.path.join(d, "good.txt"), "wb").write(good)
    for f, b in files:
        open(os.path.join(d, f), "wb").write(b)
big = plan * ((256 << 20) // len(plan))
archive("big", [("big.txt", big)])
slow = plan * ((16 << 20) // len(plan))
archive("slow", [(f"slow-{i}.txt", slow + b"\n" * (i + 1)) for i in range(10)])
archive("odd", [("newlines.txt", b"\n" * 10_000_000), ("short.txt", b"a\n" * 4_000_000)])
EOF

# peak PID: the largest sum of RSS over PID and its descendants, in MB.
cat >"$WORK/sample.py" <<'EOF'
import os, sys, time
root = int(sys.argv[1]); peak = 0
def tree_rss():
    kids = {}
    for p in os.listdir("/proc"):
        if not p.isdigit(): continue
        try:
            with open(f"/proc/{p}/stat") as f: ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except OSError: continue
        kids.setdefault(ppid, []).append(int(p))
    total, todo = 0, [root]
    while todo:
        p = todo.pop(); todo += kids.get(p, [])
        try:
            with open(f"/proc/{p}/status") as f:
                for l in f:
                    if l.startswith("VmRSS:"): total += int(l.split()[1])
        except OSError: pass
    return total
while os.path.exists(f"/proc/{root}"):
    peak = max(peak, tree_rss()); time.sleep(0.02)
print(f"{peak / 1024:.0f}")
EOF

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB RAM; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| input | build | options | wall s | peak RSS of the process tree, MB | outcome |"
echo "| --- | --- | --- | ---: | ---: | --- |"

# measure LABEL BUILD-LABEL BINARY ARCHIVE OPTIONS...
measure() {
    local label=$1 which=$2 bin=$3 archive=$4
    shift 4
    rm -rf "$WORK/out"
    local start end
    start=$(date +%s.%N)
    "$bin" convert "$WORK/$archive/archive" -o "$WORK/out" --jobs 2 "$@" 2>"$WORK/stderr.txt" &
    local pid=$!
    local peak
    peak=$(python3 "$WORK/sample.py" "$pid")
    local code=0
    wait "$pid" || code=$?
    end=$(date +%s.%N)
    local outcome
    if [ -f "$WORK/out/manifest.json" ]; then
        outcome=$(python3 -c "
import json, sys
m = json.load(open(sys.argv[1]))
out = []
for e in m['inputs']:
    name = e['path'].split('/')[-1]
    if name != 'good.txt':
        out.append(name + ': ' + (e['error']['code'] if e['error'] else e['status']))
print('; '.join(out) + ' (exit ' + sys.argv[2] + ')')
" "$WORK/out/manifest.json" "$code")
        # Ten slow inputs: one line.
        case $archive in slow) outcome="$(grep -o '"code": "[a-z_]*"' "$WORK/out/manifest.json" | sort | uniq -c | xargs) (exit $code)" ;; esac
    else
        outcome="no manifest (exit $code; $(tail -n1 "$WORK/stderr.txt" | cut -c1-80))"
    fi
    printf '| %s | %s | %s | %.1f | %s | %s |\n' "$label" "$which" "$*" "$(echo "$end - $start" | bc)" "$peak" "$outcome"
}

builds() {
    measure "$@" this "$BIN" "${ARCH[@]}"
    if [ -n "${BASE_BIN:-}" ]; then
        measure "$@" base "$BASE_BIN" "${ARCH[@]}"
    fi
}

ARCH=(big)
builds "256 MiB text + a release"
ARCH=(big --max-memory 17179869184 --timeout 1800)
measure "256 MiB text + a release" this "$BIN" "${ARCH[@]}"
ARCH=(slow --timeout 1)
builds "10 slow inputs + a release"
ARCH=(odd)
builds "10 MB of newlines, 8 MB of 1-char lines + a release"
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
