#!/usr/bin/env python3
"""Make an archive of N documents for bench/batch.sh by replicating the
fixtures.

Every document is rewritten for each of the 24 wards (its own ward's name
replaced by the other's), so the archive spreads over the 24 wards as a real
one does, and each round of copies differs in bytes, so yoshiki (which
converts the same bytes once) converts every copy:

* text releases (fixtures/corpus/text): one more trailing newline per round;
  the digest names no ward, so its copies for the 24 wards differ by
  trailing spaces instead (they go to unassigned/, as in the corpus);
* workbooks, with --workbooks (fixtures/corpus/xlsx, fixtures/workbook: the
  xlsx and ods ones, zip packages): the ward's name replaced in every XML
  part, and the round written into the zip comment. The xls fixtures (OLE
  compound files) are not replicated;
* the PDF, with --pdf: the same bytes plus a comment line after %%EOF naming
  the copy; its text is compressed, so every copy stays 港区 2022.

usage: make_archive.py N OUT_DIR [--text] [--workbooks] [--pdf]   (text releases always)
"""

import io
import pathlib
import sys
import zipfile

WARDS = [
    "都島区", "福島区", "此花区", "西区", "港区", "大正区", "天王寺区", "浪速区",
    "西淀川区", "東淀川区", "東成区", "生野区", "旭区", "城東区", "阿倍野区", "住吉区",
    "東住吉区", "西成区", "淀川区", "鶴見区", "住之江区", "平野区", "北区", "中央区",
]

FIXTURES = pathlib.Path(__file__).resolve().parent.parent / "fixtures"

# (file, the ward its content names)
TEXTS = [
    ("corpus/text/minato-2022-plan.txt", "港区"),
    ("corpus/text/minato-2022-plan-revision.txt", "港区"),
    ("corpus/text/minato-2021-midterm-review.txt", "港区"),
    ("corpus/text/taisho-2016-progress.txt", "大正区"),
    ("corpus/text/unknown-ward-summary.txt", None),
]
WORKBOOKS = [
    ("corpus/xlsx/minato-2022-plan.xlsx", "港区"),
    ("workbook/minato-2022-plan.ods", "港区"),
    ("workbook/minato-2022-plan-revision-strikethrough.xlsx", "港区"),
    ("workbook/taisho-2016-progress.xlsx", "大正区"),
]
PDFS = ["corpus/pdf/minato-2022-plan.pdf"]


def text_copy(text, own, ward, ward_i, copy):
    body = text.replace(own, ward) if own else text
    tail = "\n" * copy + ("" if own else " " * ward_i)
    return (body + tail).encode("utf-8")


def zip_copy(package, own, ward, copy):
    """The package with the ward renamed in its XML parts and the copy
    number in the zip comment; parts keep their order and compression (an
    ods's stored `mimetype` stays first)."""
    src = zipfile.ZipFile(io.BytesIO(package))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.endswith(".xml"):
                data = data.replace(own.encode("utf-8"), ward.encode("utf-8"))
            dst.writestr(info, data)
        dst.comment = f"yoshiki bench copy {copy}".encode("ascii")
    return out.getvalue()


def main():
    n = int(sys.argv[1])
    out = pathlib.Path(sys.argv[2])
    flags = sys.argv[3:]
    texts = [((FIXTURES / f).read_text(encoding="utf-8"), own, f) for f, own in TEXTS]
    workbooks = [((FIXTURES / f).read_bytes(), own, f) for f, own in WORKBOOKS] if "--workbooks" in flags else []
    pdfs = [((FIXTURES / f).read_bytes(), f) for f in PDFS] if "--pdf" in flags else []
    made = 0
    copy = 0
    while made < n:
        for ward_i, ward in enumerate(WARDS):
            docs = [(f, text_copy(t, own, ward, ward_i, copy)) for t, own, f in texts]
            docs += [(f, zip_copy(b, own, ward, copy)) for b, own, f in workbooks]
            docs += [(f, b + f"\n%yoshiki bench copy {copy} {ward_i}\n".encode("ascii")) for b, f in pdfs]
            for name, data in docs:
                if made >= n:
                    break
                path = out / f"round-{copy:03d}" / f"w{ward_i:02d}" / pathlib.Path(name).name
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
                made += 1
        copy += 1
    print(f"{made} files in {out}")


if __name__ == "__main__":
    main()
