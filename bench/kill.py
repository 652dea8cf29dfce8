#!/usr/bin/env python3
"""kill -9 a `convert` at random times, for one or two builds side by side
(BENCHMARKS.md, "Crash consistency").

An archive of OLD documents is converted into a base OUT; each trial copies
the base, starts a `convert` of the NEW archive (the old documents and as
many more) on the copy, kills it with SIGKILL after a random delay (uniform
over the run's length), and then:

1. looks at OUT as the kill left it (yoshiki's state folder and 0.1's lock
   file and temporaries aside): the old tree, the new tree, a commit under way (a journal,
   every file its old or its new self), or neither ("mixed": files of the
   new run beside the old manifest, or partial files);
2. runs `convert` of the OLD archive again, as a user going back would,
   and compares OUT with the base: identical, or not (strays a killed run
   left that no manifest lists, so no run removes them).

usage: bench/kill.py TRIALS BINARY [BINARY...]   (run from the repository)
"""

import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def tree(d: Path) -> dict:
    out = {}
    for root, dirs, files in os.walk(d):
        r = Path(root)
        if r == d:
            dirs[:] = [x for x in dirs if x != ".yoshiki"]
        for f in files:
            p = r / f
            rel = str(p.relative_to(d))
            # yoshiki 0.1's lock and temporaries (its spool, its half-written
            # files): litter the next run removes, not data.
            if rel == ".yoshiki.lock" or ".yoshiki-tmp-" in rel:
                continue
            out[rel] = p.read_bytes() if not p.is_symlink() else b"->" + os.readlink(p).encode()
    return out


def convert(binary: str, inputs: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [binary, "convert", str(inputs), "-o", str(out), "--jobs", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def main() -> None:
    trials = int(sys.argv[1])
    binaries = sys.argv[2:]
    work = Path(tempfile.mkdtemp())
    try:
        subprocess.run(
            [sys.executable, "bench/make_archive.py", "400", str(work / "new"), "--text"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        files = sorted(p for p in (work / "new").rglob("*") if p.is_file())
        for p in files[: len(files) // 2]:
            to = work / "old" / "new" / p.relative_to(work / "new")
            to.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(p, to)
        rng = random.Random(18)
        print(f"archive: {len(files) // 2} old documents, {len(files)} new; {trials} trials a build")
        print(f"load average before: {os.getloadavg()[0]:.2f}")
        print()
        print("| build | killed in the write phase or after | after the kill: old / new / commit under way / mixed | next run over the old archive: as a clean run / strays or damage |")
        print("| --- | ---: | --- | --- |")
        for binary in binaries:
            base = work / "base"
            shutil.rmtree(base, ignore_errors=True)
            subprocess.run([binary, "convert", str(work / "old" / "new"), "-o", str(base)], check=False, stderr=subprocess.DEVNULL)
            old = tree(base)
            clean = work / "clean"
            shutil.rmtree(clean, ignore_errors=True)
            subprocess.run([binary, "convert", str(work / "new"), "-o", str(clean)], check=False, stderr=subprocess.DEVNULL)
            new = tree(clean)
            # The run's length.
            t = work / "t"
            shutil.rmtree(t, ignore_errors=True)
            shutil.copytree(base, t, symlinks=True)
            started = time.monotonic()
            convert(binary, work / "new", t).wait()
            length = time.monotonic() - started
            counts = {"old": 0, "new": 0, "commit under way": 0, "mixed": 0}
            late = 0
            next_ok, next_bad = 0, 0
            for _ in range(trials):
                shutil.rmtree(t, ignore_errors=True)
                shutil.copytree(base, t, symlinks=True)
                delay = rng.uniform(0.5, 1.05) * length
                p = convert(binary, work / "new", t)
                time.sleep(delay)
                p.kill()
                p.wait()
                time.sleep(0.05)
                now = tree(t)
                if now == old:
                    state = "old"
                elif now == new:
                    state = "new"
                elif (t / ".yoshiki" / "journal.json").exists() and all(
                    old.get(k) == v or new.get(k) == v for k, v in now.items()
                ):
                    state = "commit under way"
                else:
                    state = "mixed"
                counts[state] += 1
                late += state != "old"
                subprocess.run([binary, "convert", str(work / "old" / "new"), "-o", str(t)], check=False, stderr=subprocess.DEVNULL)
                if tree(t) == old:
                    next_ok += 1
                else:
                    next_bad += 1
            name = binary
            states = " / ".join(f"{v}" for v in counts.values())
            print(f"| `{name}` | {late} of {trials} | {states} | {next_ok} / {next_bad} |")
        print()
        print(f"load average after: {os.getloadavg()[0]:.2f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
