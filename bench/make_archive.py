#!/usr/bin/env python3
"""Make an archive of N documents for bench/batch.sh by replicating the
corpus's text releases.

Each text release is rewritten for each of the 24 wards (its own ward's name
replaced by the other's, so the archive spreads over 24 wards like a real
one), and each round of copies gets one more trailing newline, so no two
files have the same bytes (yoshiki would otherwise convert a duplicate once)
while every copy still reads as the same document. The digest without a
ward goes to unassigned/ as in the corpus (its copies differ by trailing
spaces).

Workbook and PDF fixtures are added only with --binary (when their readers
exist): a binary copy cannot take a trailing newline harmlessly, so each is
copied once per ward-free round as the same bytes, and yoshiki converts it
once (deduplicated by sha256) however many copies there are.

usage: make_archive.py N OUT_DIR [--binary]
"""

import pathlib
import sys

WARDS = [
    "都島区", "福島区", "此花区", "西区", "港区", "大正区", "天王寺区", "浪速区",
    "西淀川区", "東淀川区", "東成区", "生野区", "旭区", "城東区", "阿倍野区", "住吉区",
    "東住吉区", "西成区", "淀川区", "鶴見区", "住之江区", "平野区", "北区", "中央区",
]

CORPUS = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "corpus"

# (file, the ward its text names)
TEXTS = [
    ("text/minato-2022-plan.txt", "港区"),
    ("text/minato-2022-plan-revision.txt", "港区"),
    ("text/minato-2021-midterm-review.txt", "港区"),
    ("text/taisho-2016-progress.txt", "大正区"),
    ("text/unknown-ward-summary.txt", None),
]
BINARIES = ["xlsx/minato-2022-plan.xlsx", "pdf/minato-2022-plan.pdf"]


def main():
    n = int(sys.argv[1])
    out = pathlib.Path(sys.argv[2])
    binary = "--binary" in sys.argv[3:]
    texts = [(CORPUS / f).read_text(encoding="utf-8") for f, _ in TEXTS]
    made = 0
    copy = 0
    while made < n:
        for ward_i, ward in enumerate(WARDS):
            for (name, own), text in zip(TEXTS, texts):
                if made >= n:
                    break
                body = text.replace(own, ward) if own else text
                path = out / f"round-{copy:03d}" / f"w{ward_i:02d}" / pathlib.Path(name).name
                path.parent.mkdir(parents=True, exist_ok=True)
                # The digest names no ward, so its copies for the 24 wards
                # differ by trailing spaces instead.
                tail = "\n" * copy + ("" if own else " " * ward_i)
                path.write_bytes((body + tail).encode("utf-8"))
                made += 1
            if binary:
                for name in BINARIES:
                    if made >= n:
                        break
                    path = out / f"round-{copy:03d}" / f"w{ward_i:02d}" / pathlib.Path(name).name
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_bytes((CORPUS / name).read_bytes())
                    made += 1
        copy += 1
    print(f"{made} files in {out}")


if __name__ == "__main__":
    main()
