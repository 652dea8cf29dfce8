#!/usr/bin/env python3
"""A larger workbook for the benchmark, made from the corpus workbook: its
two sheets copied N times (with their merged regions and styles), as a
ward's office might keep every year's plan in one file. Written to the path
given; not committed."""

import copy
import sys

import openpyxl


def main():
    src, out, times = sys.argv[1], sys.argv[2], int(sys.argv[3])
    wb = openpyxl.load_workbook(src)
    originals = list(wb.worksheets)
    for i in range(1, times):
        for ws in originals:
            new = wb.copy_worksheet(ws)
            new.title = f"{ws.title}-{i + 1}"
            for m in ws.merged_cells.ranges:
                if str(m) not in {str(x) for x in new.merged_cells.ranges}:
                    new.merge_cells(str(m))
            new.column_dimensions = copy.copy(ws.column_dimensions)
    wb.save(out)


if __name__ == "__main__":
    main()
