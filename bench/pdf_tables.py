#!/usr/bin/env python3
"""The pdfplumber peer of bench/pdf.sh: every page's extract_tables()."""
import sys

import pdfplumber

for path in sys.argv[1:]:
    with pdfplumber.open(path) as pdf:
        n = 0
        for page in pdf.pages:
            n += len(page.extract_tables())
    print(path, n, "tables", file=sys.stderr)
