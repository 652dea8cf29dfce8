#!/usr/bin/env python3
"""Generates the table in src/readers/pdf/radicals.rs (prints it).

Kangxi Radicals (U+2F00-U+2FD5): their Unicode NFKC decomposition.
CJK Radicals Supplement (U+2E80-U+2EFF): the unified ideograph that has the
same glyph in IPAexGothic, else in Noto Sans CJK JP (the fonts Japanese
releases are printed with on this machine), read from the fonts' cmap
tables; a radical sharing its glyph with more than one ideograph is left
out. Needs fonts-ipaexfont and fonts-noto-cjk installed.
"""
import struct,sys
def cmap(path, index=0):
    data=open(path,'rb').read()
    if data[:4]==b'ttcf':
        n=struct.unpack('>I',data[8:12])[0]
        off=struct.unpack('>I',data[12+4*index:16+4*index])[0]
    else: off=0
    numTables=struct.unpack('>H',data[off+4:off+6])[0]
    tables={}
    for i in range(numTables):
        tag,cs,o,l=struct.unpack('>4sIII',data[off+12+16*i:off+28+16*i]); tables[tag]=(o,l)
    o,_=tables[b'cmap']
    n=struct.unpack('>H',data[o+2:o+4])[0]
    best=None
    for i in range(n):
        pid,eid,so=struct.unpack('>HHI',data[o+4+8*i:o+12+8*i])
        fmt=struct.unpack('>H',data[o+so:o+so+2])[0]
        if fmt==12: best=o+so
    m={}
    fmt,_,l,lang,ng=struct.unpack('>HHIII',data[best:best+16])
    for g in range(ng):
        s,e,gid=struct.unpack('>III',data[best+16+12*g:best+28+12*g])
        for cp in range(s,e+1): m[cp]=gid+(cp-s)
    return m
import unicodedata
ipa=cmap('/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf')
noto=cmap('/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',0)
def shared(m):
    inv={}
    for cp,g in m.items():
        if 0x4E00<=cp<=0x9FFF or 0x3400<=cp<=0x4DBF: inv.setdefault(g,[]).append(cp)
    return {cp: inv[m[cp]] for cp in range(0x2E80,0x2F00) if cp in m and m[cp] in inv}
a=shared(ipa); b=shared(noto)
table={}
for cp in range(0x2F00,0x2FD6):
    table[cp]=ord(unicodedata.normalize('NFKC',chr(cp)))
for cp in sorted(set(a)|set(b)):
    cands = a.get(cp) or b.get(cp)
    if len(cands)!=1: print('ambiguous', hex(cp), cands); continue
    table[cp]=cands[0]
lines=[]
for cp in sorted(table):
    lines.append(f"    ('\\u{{{cp:04X}}}', '\\u{{{table[cp]:04X}}}'), // {chr(cp)} → {chr(table[cp])}")
print('\n'.join(lines))
