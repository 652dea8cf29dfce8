//! Zip bombs and hand-written zip packages, for the hostile-input tests.

use std::io::{Cursor, Read};

/// A raw deflate stream that inflates to `1 + 258 × (1 + 8 × units)` zero
/// bytes from about 13 × `units` bytes: one fixed-Huffman block, a literal
/// zero, then copies of 258 bytes at distance 1. Eight copies are 104 bits,
/// so after the first copy the stream repeats a 13-byte unit.
pub fn deflate_zeros(units: usize) -> (Vec<u8>, u64) {
    struct Bits {
        out: Vec<u8>,
        acc: u64,
        n: u32,
    }
    impl Bits {
        fn put(&mut self, value: u64, len: u32) {
            self.acc |= value << self.n;
            self.n += len;
            while self.n >= 8 {
                self.out.push(self.acc as u8);
                self.acc >>= 8;
                self.n -= 8;
            }
        }
        /// Huffman codes go most significant bit first.
        fn code(&mut self, code: u64, len: u32) {
            let rev = (0..len).fold(0, |r, i| r | (((code >> i) & 1) << (len - 1 - i)));
            self.put(rev, len);
        }
        fn copy258(&mut self) {
            self.code(0b1100_0101, 8); // length code 285: 258 bytes
            self.code(0, 5); // distance code 0: distance 1
        }
    }
    let mut head = Bits {
        out: Vec::new(),
        acc: 0,
        n: 0,
    };
    head.put(1, 1); // BFINAL
    head.put(1, 2); // BTYPE 01: fixed Huffman
    head.code(0b0011_0000, 8); // literal 0
    head.copy258();
    assert_eq!(head.n, 0, "aligned after one copy");
    let mut unit = Bits {
        out: Vec::new(),
        acc: 0,
        n: 0,
    };
    for _ in 0..8 {
        unit.copy258();
    }
    assert_eq!((unit.out.len(), unit.n), (13, 0));
    let mut out = head.out;
    out.reserve(units * 13 + 2);
    for _ in 0..units {
        out.extend_from_slice(&unit.out);
    }
    let mut tail = Bits {
        out: Vec::new(),
        acc: 0,
        n: 0,
    };
    tail.code(0, 7); // end of block
    tail.put(0, 1);
    out.extend_from_slice(&tail.out);
    (out, 1 + 258 * (1 + 8 * units as u64))
}

/// A zip written by hand: (name, method, crc, declared size, data).
pub fn zip_of(entries: &[(&str, u16, u32, u32, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, method, crc, size, data) in entries {
        let offset = out.len() as u32;
        let header = |sig: u32, central_dir: bool| {
            let mut h = Vec::new();
            h.extend_from_slice(&sig.to_le_bytes());
            if central_dir {
                h.extend_from_slice(&20u16.to_le_bytes()); // made by
            }
            h.extend_from_slice(&20u16.to_le_bytes()); // needed
            h.extend_from_slice(&0u16.to_le_bytes()); // flags
            h.extend_from_slice(&method.to_le_bytes());
            h.extend_from_slice(&0u32.to_le_bytes()); // time, date
            h.extend_from_slice(&crc.to_le_bytes());
            h.extend_from_slice(&(data.len() as u32).to_le_bytes());
            h.extend_from_slice(&size.to_le_bytes());
            h.extend_from_slice(&(name.len() as u16).to_le_bytes());
            h.extend_from_slice(&0u16.to_le_bytes()); // extra
            if central_dir {
                h.extend_from_slice(&[0; 6]); // comment length, disk, internal attributes
                h.extend_from_slice(&0u32.to_le_bytes()); // external attributes
                h.extend_from_slice(&offset.to_le_bytes());
            }
            h.extend_from_slice(name.as_bytes());
            h
        };
        out.extend(header(0x0403_4b50, false));
        out.extend_from_slice(data);
        central.extend(header(0x0201_4b50, true));
    }
    let cd_offset = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&cd_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

/// The corpus workbook's parts: (name, bytes).
pub fn corpus_parts() -> Vec<(String, Vec<u8>)> {
    let whole = std::fs::read(super::fixture("corpus/xlsx/minato-2022-plan.xlsx")).expect("fixture");
    let mut zip = zip::ZipArchive::new(Cursor::new(whole)).expect("corpus zip");
    let mut parts: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).expect("part");
        let mut data = Vec::new();
        f.read_to_end(&mut data).expect("read part");
        parts.push((f.name().expect("utf-8 name").to_string(), data));
    }
    parts
}

/// The corpus workbook's parts, stored, plus `extra` parts.
pub fn corpus_parts_with(extra: &[(&str, u16, u32, u32, &[u8])]) -> Vec<u8> {
    let parts = corpus_parts();
    let mut entries: Vec<(&str, u16, u32, u32, &[u8])> = parts
        .iter()
        .map(|(n, d)| (n.as_str(), 0u16, crc32(d), d.len() as u32, d.as_slice()))
        .collect();
    entries.extend_from_slice(extra);
    zip_of(&entries)
}

pub fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}
