//! Parquet: one file a table, every column typed as [`TABLES`] declares
//! it — text as UTF-8 strings (ids and codes included), years as 32-bit
//! and other whole numbers and yen as 64-bit integers, numbers as doubles —
//! all nullable, strings dictionary-encoded, so DuckDB, pyarrow/pandas and
//! polars read every column with its type and no options. The files also
//! carry pandas' schema metadata, so that pandas reads a nullable integer
//! column as `Int32`/`Int64`, not as float64.
//!
//! Written by hand, not with the `parquet` crate: the subset needed here —
//! flat columns, one data page (v1) per column chunk, PLAIN values,
//! RLE_DICTIONARY strings, RLE definition levels, no compression, the
//! Thrift compact footer — is this one file and adds nothing to the build,
//! while the crate costs every fresh clone and every CI run: a clean
//! release build of the project took about 16 % more CPU time with
//! `parquet` without arrow (50 % with arrow, which it is mostly used with),
//! this writer about 4 % (within the noise), and
//! CI builds the dependencies three times (release, tests, clippy). Measured
//! in BENCHMARKS.md, "Build time". The Parquet format's flat subset is
//! stable; the writer is tested by reading every table back with pyarrow,
//! DuckDB and polars (`tests/export.rs`, also a file of several row groups,
//! wide dictionaries and extreme values) and by its unit tests below.
//!
//! Rows are buffered column by column and written as a row group every
//! [`ROW_GROUP_BYTES`] of buffered values (or at the end), so memory per
//! table stays bounded whatever the size of the export.

use super::out::{TableOut, Target};
use super::tables::{Cell, Sink, TABLES, Type};
use std::collections::HashMap;
use std::io::Write;

/// Buffered values of one table before its row group is written.
const ROW_GROUP_BYTES: usize = 16 << 20;
/// Rows in a row group at most (DuckDB reads row groups in parallel).
const ROW_GROUP_ROWS: usize = 1 << 20;

pub struct ParquetSink {
    tables: Vec<Option<TableWriter>>,
}

impl ParquetSink {
    /// One file per table of `tables` (indices into `TABLES`) in `target`'s folder.
    pub fn create(target: &Target, tables: &[usize]) -> std::io::Result<ParquetSink> {
        if matches!(target, Target::Stdout) {
            return Err(std::io::Error::other("Parquet is written to a folder, not stdout"));
        }
        let mut out: Vec<Option<TableWriter>> = TABLES.iter().map(|_| None).collect();
        for &i in tables {
            let Some(t) = TABLES.get(i) else { continue };
            let columns: Vec<(&str, Type)> = t.all_columns().map(|c| (c.name, c.ty)).collect();
            let file = TableOut::create(target, &format!("{}.parquet", t.name))?;
            if let Some(slot) = out.get_mut(i) {
                *slot = Some(TableWriter::new(file, t.name, &columns)?);
            }
        }
        Ok(ParquetSink { tables: out })
    }

    pub fn finish(self) -> std::io::Result<()> {
        for t in self.tables.into_iter().flatten() {
            t.finish()?;
        }
        Ok(())
    }
}

impl Sink for ParquetSink {
    fn row(&mut self, table: usize, row: Vec<Cell>) -> std::io::Result<()> {
        match self.tables.get_mut(table) {
            Some(Some(t)) => t.row(row),
            _ => Ok(()),
        }
    }
}

/// Writes one Parquet file of flat nullable columns to `W`.
pub struct TableWriter<W: Write = TableOut> {
    out: W,
    table: String,
    /// A row group is written every so many rows at most.
    row_group_rows: usize,
    offset: u64,
    columns: Vec<ColumnBuf>,
    rows: usize,
    bytes: usize,
    total_rows: i64,
    row_groups: Vec<RowGroupMeta>,
}

struct ColumnBuf {
    name: String,
    ty: Type,
    /// One per row: the value is present.
    defined: Vec<bool>,
    values: Values,
}

enum Values {
    Text {
        dict: HashMap<String, u32>,
        indices: Vec<u32>,
    },
    I32(Vec<i32>),
    I64(Vec<i64>),
    F64(Vec<f64>),
}

struct ChunkMeta {
    physical: i32,
    encodings: Vec<i32>,
    name: String,
    num_values: i64,
    size: i64,
    data_page_offset: i64,
    dictionary_page_offset: Option<i64>,
    null_count: i64,
    min_max: Option<(Vec<u8>, Vec<u8>)>,
}

struct RowGroupMeta {
    columns: Vec<ChunkMeta>,
    num_rows: i64,
    offset: i64,
    size: i64,
}

// Parquet's enums (parquet.thrift).
const T_INT32: i32 = 1;
const T_INT64: i32 = 2;
const T_DOUBLE: i32 = 5;
const T_BYTE_ARRAY: i32 = 6;
const OPTIONAL: i32 = 1;
const CONVERTED_UTF8: i32 = 0;
const ENC_PLAIN: i32 = 0;
const ENC_RLE: i32 = 3;
const ENC_RLE_DICTIONARY: i32 = 8;
const PAGE_DATA: i32 = 0;
const PAGE_DICTIONARY: i32 = 2;
const CODEC_UNCOMPRESSED: i32 = 0;

fn physical(ty: Type) -> i32 {
    match ty {
        Type::Text => T_BYTE_ARRAY,
        Type::Year => T_INT32,
        Type::Int | Type::Yen => T_INT64,
        Type::Real => T_DOUBLE,
    }
}

fn invalid(msg: String) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, msg)
}

impl<W: Write> TableWriter<W> {
    pub fn new(mut out: W, table: &str, columns: &[(&str, Type)]) -> std::io::Result<TableWriter<W>> {
        out.write_all(b"PAR1")?;
        let columns = columns
            .iter()
            .map(|&(name, ty)| ColumnBuf {
                name: name.to_string(),
                ty,
                defined: Vec::new(),
                values: match ty {
                    Type::Text => Values::Text {
                        dict: HashMap::new(),
                        indices: Vec::new(),
                    },
                    Type::Year => Values::I32(Vec::new()),
                    Type::Int | Type::Yen => Values::I64(Vec::new()),
                    Type::Real => Values::F64(Vec::new()),
                },
            })
            .collect();
        Ok(TableWriter {
            out,
            table: table.to_string(),
            row_group_rows: ROW_GROUP_ROWS,
            offset: 4,
            columns,
            rows: 0,
            bytes: 0,
            total_rows: 0,
            row_groups: Vec::new(),
        })
    }

    /// Row groups of at most `n` rows (for tests of files of several).
    pub fn with_row_group_rows(mut self, n: usize) -> TableWriter<W> {
        self.row_group_rows = n.max(1);
        self
    }

    pub fn row(&mut self, row: Vec<Cell>) -> std::io::Result<()> {
        if row.len() != self.columns.len() {
            return Err(invalid(format!(
                "{}: a row of {} cells for {} columns",
                self.table,
                row.len(),
                self.columns.len()
            )));
        }
        for (c, cell) in self.columns.iter_mut().zip(row) {
            self.bytes += c
                .push(cell)
                .map_err(|e| invalid(format!("{}.{}: {e}", self.table, c.name)))?;
        }
        self.rows += 1;
        if self.bytes >= ROW_GROUP_BYTES || self.rows >= self.row_group_rows {
            self.flush_row_group()?;
        }
        Ok(())
    }

    fn flush_row_group(&mut self) -> std::io::Result<()> {
        if self.rows == 0 {
            return Ok(());
        }
        let start = self.offset;
        let mut metas = Vec::new();
        for c in &mut self.columns {
            let (bytes, meta) = c.chunk(self.offset)?;
            self.out.write_all(&bytes)?;
            self.offset += bytes.len() as u64;
            metas.push(meta);
        }
        self.row_groups.push(RowGroupMeta {
            columns: metas,
            num_rows: self.rows as i64,
            offset: start as i64,
            size: (self.offset - start) as i64,
        });
        self.total_rows += self.rows as i64;
        self.rows = 0;
        self.bytes = 0;
        Ok(())
    }

    /// Write the last row group and the footer; the writer's output.
    pub fn finish_into(mut self) -> std::io::Result<W> {
        self.flush_row_group()?;
        let footer = self.footer();
        self.out.write_all(&footer)?;
        self.out.write_all(&(footer.len() as u32).to_le_bytes())?;
        self.out.write_all(b"PAR1")?;
        Ok(self.out)
    }

    fn footer(&self) -> Vec<u8> {
        let mut t = Thrift::default();
        // FileMetaData
        t.i32(1, 2);
        t.list(2, TC_STRUCT, self.columns.len() + 1);
        // The root of the schema, then one leaf per column.
        t.begin();
        t.bin(4, b"schema");
        t.i32(5, self.columns.len() as i32);
        t.end();
        for c in &self.columns {
            t.begin();
            t.i32(1, physical(c.ty));
            t.i32(3, OPTIONAL);
            t.bin(4, c.name.as_bytes());
            if c.ty == Type::Text {
                t.i32(6, CONVERTED_UTF8);
                t.begin_struct(10); // LogicalType
                t.begin_struct(1); // STRING
                t.end();
                t.end();
            }
            t.end();
        }
        t.i64(3, self.total_rows);
        t.list(4, TC_STRUCT, self.row_groups.len());
        for (k, g) in self.row_groups.iter().enumerate() {
            t.begin();
            t.list(1, TC_STRUCT, g.columns.len());
            for c in &g.columns {
                t.begin(); // ColumnChunk
                t.i64(2, c.dictionary_page_offset.unwrap_or(c.data_page_offset));
                t.begin_struct(3); // ColumnMetaData
                t.i32(1, c.physical);
                t.list(2, TC_I32, c.encodings.len());
                for &e in &c.encodings {
                    t.elem_i32(e);
                }
                t.list(3, TC_BINARY, 1);
                t.elem_bin(c.name.as_bytes());
                t.i32(4, CODEC_UNCOMPRESSED);
                t.i64(5, c.num_values);
                t.i64(6, c.size);
                t.i64(7, c.size);
                t.i64(9, c.data_page_offset);
                if let Some(d) = c.dictionary_page_offset {
                    t.i64(11, d);
                }
                t.begin_struct(12); // Statistics
                t.i64(3, c.null_count);
                if let Some((min, max)) = &c.min_max {
                    t.bin(5, max);
                    t.bin(6, min);
                }
                t.end();
                t.end();
                t.end();
            }
            t.i64(2, g.size);
            t.i64(3, g.num_rows);
            t.i64(5, g.offset);
            t.i64(6, g.size);
            t.i16(7, k as i16);
            t.end();
        }
        t.list(5, TC_STRUCT, 1);
        t.begin(); // KeyValue
        t.bin(1, b"pandas");
        t.bin(2, self.pandas_metadata().as_bytes());
        t.end();
        t.bin(6, format!("yoshiki version {}", env!("CARGO_PKG_VERSION")).as_bytes());
        // Column orders: min and max by the type's own order.
        t.list(7, TC_STRUCT, self.columns.len());
        for _ in &self.columns {
            t.begin();
            t.begin_struct(1);
            t.end();
            t.end();
        }
        t.stop();
        t.buf
    }

    /// pandas' own schema metadata (as pandas writes it), which pyarrow
    /// follows when it makes a DataFrame: nullable integers stay integers.
    fn pandas_metadata(&self) -> String {
        let columns: Vec<serde_json::Value> = self
            .columns
            .iter()
            .map(|c| {
                let (pandas_type, numpy_type) = match c.ty {
                    Type::Text => ("unicode", "object"),
                    Type::Year => ("int32", "Int32"),
                    Type::Int | Type::Yen => ("int64", "Int64"),
                    Type::Real => ("float64", "float64"),
                };
                serde_json::json!({
                    "name": c.name, "field_name": c.name, "pandas_type": pandas_type,
                    "numpy_type": numpy_type, "metadata": null,
                })
            })
            .collect();
        serde_json::json!({
            "index_columns": [],
            "column_indexes": [],
            "columns": columns,
            "creator": { "library": "yoshiki", "version": env!("CARGO_PKG_VERSION") },
            "pandas_version": "2.2.0",
        })
        .to_string()
    }
}

impl TableWriter<TableOut> {
    pub fn finish(self) -> std::io::Result<()> {
        self.finish_into()?.finish()
    }
}

impl ColumnBuf {
    /// Buffer one cell; the bytes it adds.
    fn push(&mut self, cell: Cell) -> Result<usize, String> {
        if cell == Cell::Null {
            self.defined.push(false);
            return Ok(1);
        }
        self.defined.push(true);
        let ty = self.ty;
        match (&mut self.values, cell) {
            (Values::Text { dict, indices }, cell) => {
                let s = match cell {
                    Cell::Text(s) => s,
                    Cell::Int(i) => i.to_string(),
                    Cell::Real(f) => f.to_string(),
                    Cell::Null => String::new(),
                };
                let next = dict.len() as u32;
                let mut added = 4;
                let i = *dict.entry(s).or_insert_with_key(|k| {
                    added += k.len() + 4;
                    next
                });
                indices.push(i);
                Ok(added)
            }
            (Values::I32(v), Cell::Int(i)) => {
                v.push(i32::try_from(i).map_err(|_| format!("{i} does not fit a 32-bit {ty:?}"))?);
                Ok(4)
            }
            (Values::I64(v), Cell::Int(i)) => {
                v.push(i);
                Ok(8)
            }
            (Values::F64(v), Cell::Int(i)) => {
                v.push(i as f64);
                Ok(8)
            }
            (Values::F64(v), Cell::Real(f)) => {
                v.push(f);
                Ok(8)
            }
            (_, other) => Err(format!("{other:?} in a column of type {ty:?}")),
        }
    }

    /// The column chunk of the buffered values (pages with their headers),
    /// which starts at `offset` in the file; the buffer is emptied.
    fn chunk(&mut self, offset: u64) -> std::io::Result<(Vec<u8>, ChunkMeta)> {
        let rows = self.defined.len();
        let null_count = self.defined.iter().filter(|d| !**d).count() as i64;
        let mut levels = Vec::new();
        rle_levels(&self.defined, &mut levels);
        let mut page = Vec::with_capacity(levels.len() + 4);
        page.extend_from_slice(&(levels.len() as u32).to_le_bytes());
        page.extend_from_slice(&levels);
        let mut out = Vec::new();
        let mut dictionary_page_offset = None;
        let mut min_max = None;
        let encoding;
        let encodings;
        match &mut self.values {
            Values::Text { dict, indices } if !dict.is_empty() => {
                // The dictionary page: the distinct strings, PLAIN, in index order.
                let mut entries: Vec<(&String, &u32)> = dict.iter().collect();
                entries.sort_unstable_by_key(|(_, i)| **i);
                let mut plain = Vec::new();
                for (s, _) in &entries {
                    plain.extend_from_slice(&(s.len() as u32).to_le_bytes());
                    plain.extend_from_slice(s.as_bytes());
                }
                dictionary_page_offset = Some(offset as i64);
                page_header(&mut out, PAGE_DICTIONARY, plain.len(), |t| {
                    t.begin_struct(7);
                    t.i32(1, entries.len() as i32);
                    t.i32(2, ENC_PLAIN);
                    t.end();
                });
                out.extend_from_slice(&plain);
                let width = bit_width(entries.len().saturating_sub(1) as u64);
                page.push(width as u8);
                bit_pack(indices, width, &mut page);
                dict.clear();
                indices.clear();
                encoding = ENC_RLE_DICTIONARY;
                encodings = vec![ENC_PLAIN, ENC_RLE, ENC_RLE_DICTIONARY];
            }
            Values::Text { .. } => {
                // No value at all: levels only.
                encoding = ENC_PLAIN;
                encodings = vec![ENC_PLAIN, ENC_RLE];
            }
            Values::I32(v) => {
                if let (Some(min), Some(max)) = (v.iter().min(), v.iter().max()) {
                    min_max = Some((min.to_le_bytes().to_vec(), max.to_le_bytes().to_vec()));
                }
                for x in v.drain(..) {
                    page.extend_from_slice(&x.to_le_bytes());
                }
                encoding = ENC_PLAIN;
                encodings = vec![ENC_PLAIN, ENC_RLE];
            }
            Values::I64(v) => {
                if let (Some(min), Some(max)) = (v.iter().min(), v.iter().max()) {
                    min_max = Some((min.to_le_bytes().to_vec(), max.to_le_bytes().to_vec()));
                }
                for x in v.drain(..) {
                    page.extend_from_slice(&x.to_le_bytes());
                }
                encoding = ENC_PLAIN;
                encodings = vec![ENC_PLAIN, ENC_RLE];
            }
            Values::F64(v) => {
                for x in v.drain(..) {
                    page.extend_from_slice(&x.to_le_bytes());
                }
                encoding = ENC_PLAIN;
                encodings = vec![ENC_PLAIN, ENC_RLE];
            }
        }
        self.defined.clear();
        let data_page_offset = offset as i64 + out.len() as i64;
        page_header(&mut out, PAGE_DATA, page.len(), |t| {
            t.begin_struct(5);
            t.i32(1, rows as i32);
            t.i32(2, encoding);
            t.i32(3, ENC_RLE);
            t.i32(4, ENC_RLE);
            t.end();
        });
        out.extend_from_slice(&page);
        if out.len() > i32::MAX as usize {
            return Err(invalid(format!("{}: a page over 2 GiB", self.name)));
        }
        let meta = ChunkMeta {
            physical: physical(self.ty),
            encodings,
            name: self.name.clone(),
            num_values: rows as i64,
            size: out.len() as i64,
            data_page_offset,
            dictionary_page_offset,
            null_count,
            min_max,
        };
        Ok((out, meta))
    }
}

/// A page header (uncompressed: both sizes `len`), with the page-kind's own
/// header written by `kind`.
fn page_header(out: &mut Vec<u8>, page_type: i32, len: usize, kind: impl FnOnce(&mut Thrift)) {
    let mut t = Thrift::default();
    t.i32(1, page_type);
    t.i32(2, len as i32);
    t.i32(3, len as i32);
    kind(&mut t);
    t.stop();
    out.extend_from_slice(&t.buf);
}

/// Bits needed for `max`, at least 1.
fn bit_width(max: u64) -> u32 {
    (64 - max.leading_zeros()).max(1)
}

fn varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Definition levels (bit width 1) in the RLE/bit-packing hybrid, as RLE
/// runs only: a run of present or absent values is one varint and a byte.
fn rle_levels(defined: &[bool], out: &mut Vec<u8>) {
    let mut i = 0;
    while let Some(&d) = defined.get(i) {
        let run = defined[i..].iter().take_while(|&&x| x == d).count();
        varint(out, (run as u64) << 1);
        out.push(u8::from(d));
        i += run;
    }
}

/// Values of `width` bits in the hybrid's bit-packed runs: groups of 8
/// values (the last padded with zeros), at most 63 groups a run, so each
/// run's header is one byte (as Arrow's encoder writes them).
fn bit_pack(values: &[u32], width: u32, out: &mut Vec<u8>) {
    for run in values.chunks(8 * 63) {
        let groups = run.len().div_ceil(8);
        varint(out, ((groups as u64) << 1) | 1);
        let mut acc: u64 = 0;
        let mut bits = 0u32;
        for k in 0..groups * 8 {
            let v = u64::from(run.get(k).copied().unwrap_or(0));
            acc |= v << bits;
            bits += width;
            while bits >= 8 {
                out.push(acc as u8);
                acc >>= 8;
                bits -= 8;
            }
        }
        // groups * 8 * width is a multiple of 8: nothing is left over.
    }
}

// Thrift compact protocol types.
const TC_I16: u8 = 4;
const TC_I32: u8 = 5;
const TC_I64: u8 = 6;
const TC_BINARY: u8 = 8;
const TC_LIST: u8 = 9;
const TC_STRUCT: u8 = 12;

/// The Thrift compact protocol, as much of it as Parquet's metadata needs:
/// field headers with id deltas, zigzag varints, binaries, lists, structs.
#[derive(Default)]
struct Thrift {
    buf: Vec<u8>,
    last: i16,
    stack: Vec<i16>,
}

impl Thrift {
    fn field(&mut self, id: i16, ty: u8) {
        let delta = id - self.last;
        if (1..=15).contains(&delta) {
            self.buf.push(((delta as u8) << 4) | ty);
        } else {
            self.buf.push(ty);
            varint(&mut self.buf, zigzag(i64::from(id)));
        }
        self.last = id;
    }
    fn i16(&mut self, id: i16, v: i16) {
        self.field(id, TC_I16);
        varint(&mut self.buf, zigzag(i64::from(v)));
    }
    fn i32(&mut self, id: i16, v: i32) {
        self.field(id, TC_I32);
        varint(&mut self.buf, zigzag(i64::from(v)));
    }
    fn i64(&mut self, id: i16, v: i64) {
        self.field(id, TC_I64);
        varint(&mut self.buf, zigzag(v));
    }
    fn bin(&mut self, id: i16, v: &[u8]) {
        self.field(id, TC_BINARY);
        self.elem_bin(v);
    }
    #[cfg(test)]
    fn bool(&mut self, id: i16, v: bool) {
        // The compact protocol's BOOLEAN_TRUE (1) and BOOLEAN_FALSE (2).
        self.field(id, if v { 1 } else { 2 });
    }
    fn list(&mut self, id: i16, elem: u8, n: usize) {
        self.field(id, TC_LIST);
        if n < 15 {
            self.buf.push(((n as u8) << 4) | elem);
        } else {
            self.buf.push(0xF0 | elem);
            varint(&mut self.buf, n as u64);
        }
    }
    fn elem_i32(&mut self, v: i32) {
        varint(&mut self.buf, zigzag(i64::from(v)));
    }
    fn elem_bin(&mut self, v: &[u8]) {
        varint(&mut self.buf, v.len() as u64);
        self.buf.extend_from_slice(v);
    }
    /// A struct as a field.
    fn begin_struct(&mut self, id: i16) {
        self.field(id, TC_STRUCT);
        self.begin();
    }
    /// A struct as a list element (or the field's body).
    fn begin(&mut self) {
        self.stack.push(self.last);
        self.last = 0;
    }
    fn end(&mut self) {
        self.buf.push(0);
        self.last = self.stack.pop().unwrap_or(0);
    }
    /// The end of the outermost struct.
    fn stop(&mut self) {
        self.buf.push(0);
    }
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thrift_compact_field_headers_and_values() {
        let mut t = Thrift::default();
        t.i32(1, 2); // delta 1, i32, zigzag(2) = 4
        t.i64(3, -1); // delta 2, i64, zigzag(-1) = 1
        t.bin(20, b"ab"); // delta 17: long form, id zigzag(20) = 40
        t.bool(21, true);
        t.stop();
        assert_eq!(t.buf, vec![0x15, 4, 0x26, 1, 0x08, 40, 2, b'a', b'b', 0x11, 0]);
    }

    #[test]
    fn long_lists_carry_their_size_after_the_header() {
        let mut t = Thrift::default();
        t.list(1, TC_I32, 20);
        assert_eq!(t.buf, vec![0x19, 0xF5, 20]);
    }

    #[test]
    fn levels_are_rle_runs() {
        let mut out = Vec::new();
        rle_levels(&[true, true, true, false, true], &mut out);
        assert_eq!(out, vec![3 << 1, 1, 1 << 1, 0, 1 << 1, 1]);
    }

    #[test]
    fn bit_packing_is_lsb_first_in_groups_of_eight() {
        let mut out = Vec::new();
        bit_pack(&[1, 2, 3], 2, &mut out);
        // one group: header (1 << 1) | 1, then 8 values of 2 bits: 01 10 11 00 | 00 00 00 00
        assert_eq!(out, vec![3, 0b0011_1001, 0]);
        let mut long = Vec::new();
        bit_pack(&[0; 600], 1, &mut long);
        // 504 values (63 groups, 63 bytes), then 96 (12 groups, 12 bytes)
        assert_eq!(long.len(), 1 + 63 + 1 + 12);
        assert_eq!(long[0], (63 << 1) | 1);
        assert_eq!(long[64], (12 << 1) | 1);
    }

    #[test]
    fn a_file_starts_and_ends_with_the_magic_and_states_its_footer_length() {
        let mut w = TableWriter::new(Vec::new(), "t", &[("id", Type::Text), ("year", Type::Year)]).expect("new");
        w.row(vec![Cell::Text("1-1-1".into()), Cell::Int(2022)]).expect("row");
        w.row(vec![Cell::Null, Cell::Null]).expect("row");
        let bytes = w.finish_into().expect("finish");
        assert_eq!(&bytes[..4], b"PAR1");
        assert_eq!(&bytes[bytes.len() - 4..], b"PAR1");
        let n = bytes.len();
        let len = u32::from_le_bytes([bytes[n - 8], bytes[n - 7], bytes[n - 6], bytes[n - 5]]) as usize;
        assert!(len < n - 12);
        // The footer names the columns and carries pandas' metadata.
        let footer = String::from_utf8_lossy(&bytes[n - 8 - len..n - 8]);
        assert!(footer.contains("schema") && footer.contains("year") && footer.contains("\"Int32\""));
    }

    #[test]
    fn a_cell_of_the_wrong_type_is_an_error_not_a_wrong_file() {
        let mut w = TableWriter::new(Vec::new(), "t", &[("year", Type::Year)]).expect("new");
        let e = w
            .row(vec![Cell::Text("2022".into())])
            .expect_err("text in a year column");
        assert!(e.to_string().contains("t.year"), "{e}");
        let e = w.row(vec![Cell::Int(1 << 40)]).expect_err("too large for 32 bits");
        assert!(e.to_string().contains("32-bit"), "{e}");
    }
}
