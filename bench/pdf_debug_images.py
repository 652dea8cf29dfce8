#!/usr/bin/env python3
"""The pdfplumber peer of bench/inspect.sh: its visual debugging of every
page (the page rendered, characters' boxes, lines and table cells drawn;
`to_image().debug_tablefinder()`), each page saved as a PNG into a
directory: what `yoshiki inspect` shows for a PDF, in pdfplumber's way."""
import os
import sys

import pdfplumber

path, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
with pdfplumber.open(path) as pdf:
    for i, page in enumerate(pdf.pages, 1):
        im = page.to_image(resolution=72)
        im.draw_rects(page.chars)
        im.debug_tablefinder()
        im.save(os.path.join(out, "page-%d.png" % i))
