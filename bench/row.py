#!/usr/bin/env python3
"""Helper of bench/workbook.sh.

    row.py FILE TOOL NOTE TIME_V_OUTPUT [HYPERFINE_JSON]
        one tab-separated result line: file, tool, mean s, stddev s,
        peak RSS KB, note (wall time from hyperfine, or from the one run
        /usr/bin/time -v measured; a run that failed says how);
    row.py --table RESULTS
        the Markdown table of all result lines.
"""

import json
import os
import sys


def row(file, tool, note, time_v, hyperfine=None):
    lines = open(time_v, encoding="utf-8", errors="replace").read().splitlines()
    t = {}
    other = []
    for line in lines:
        key, sep, value = line.strip().partition(": ")
        if sep and key in (
            "Maximum resident set size (kbytes)",
            "Exit status",
            "Elapsed (wall clock) time (h:mm:ss or m:ss)",
            "Command exited with non-zero status",
        ):
            t[key] = value
        elif line.strip() and not line.startswith("\t"):
            other.append(line.strip())
    if hyperfine:
        r = json.load(open(hyperfine))["results"][0]
        mean, sd = f"{r['mean']:.4f}", f"{r['stddev']:.4f}"
    else:
        wall = 0.0
        for part in t.get("Elapsed (wall clock) time (h:mm:ss or m:ss)", "0").split(":"):
            wall = wall * 60 + float(part)
        mean, sd = f"{wall:.4f}", "-"
    code = t.get("Exit status", "?")
    if not note and code != "0":
        why = " (timeout)" if code == "124" else ""
        last = [o for o in other if not o.startswith("Command")]
        note = f"did not finish: exit {code}{why}" + (f": {last[-1][:70]}" if last else "")
    kb = t.get("Maximum resident set size (kbytes)", "-")
    return "\t".join([file, tool, mean, sd, kb, note])


def table(results):
    out = [
        "| file | size | tool | wall time (mean ± σ) | peak RSS | note |",
        "| --- | ---: | --- | ---: | ---: | --- |",
    ]
    for line in open(results, encoding="utf-8"):
        f, tool, mean, sd, kb, note = line.rstrip("\n").split("\t")
        size = os.path.getsize(f) if os.path.exists(f) else 0
        t = f"{float(mean) * 1000:.1f} ms" + (f" ± {float(sd) * 1000:.1f}" if sd != "-" else " (one run)")
        mem = f"{int(kb) / 1024:.1f} MB" if kb.isdigit() else kb
        out.append(f"| {os.path.basename(f)} | {size / 1024:.0f} KB | {tool} | {t} | {mem} | {note} |")
    return "\n".join(out)


if __name__ == "__main__":
    if sys.argv[1] == "--table":
        print(table(sys.argv[2]))
    else:
        print(row(*sys.argv[1:]))
