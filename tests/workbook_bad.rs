//! Broken and hostile workbooks: each is a clear error with a stable reason
//! (or a result), never a panic, a hang or unbounded memory. Every run here
//! is the real binary under a 1 GiB address-space limit and a 60 s timeout,
//! so a reader that allocated the declared range or inflated a bomb would
//! fail the test instead of the machine.
//!
//! The fixtures under fixtures/workbook/bad/ are made by
//! scripts/fixtures/workbook/bad_workbooks.py; the zip bombs and the other
//! hostile packages too large or too odd to commit are made here.

mod common;

use common::{Run, fixture, yoshiki_bounded};
use std::io::{Cursor, Read, Seek, SeekFrom, Write};
use std::path::Path;

/// `yoshiki ARGS` with at most 1 GiB of address space and 60 s.
fn bounded(args: &[&str], cwd: &Path) -> Run {
    let run = yoshiki_bounded(args, cwd, 1_048_576, 60);
    if run.code == 124 {
        run.fail("timed out: the reader hung");
    }
    if run.stderr.contains("panicked") || run.stderr.contains("memory allocation") || run.code > 2 || run.code < 0 {
        run.fail("crashed");
    }
    run
}

/// Parse `bytes` written as `name`; the error line must carry `expect`.
fn expect_error(name: &str, bytes: &[u8], expect: &str) -> Run {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("write");
    let run = bounded(&["parse", path.to_str().expect("utf-8 path")], dir.path());
    if run.code != 1 {
        run.fail("expected the input to be refused (exit code 1)");
    }
    if !run.stderr.contains(expect) {
        run.fail(&format!("expected the error to say {expect:?}"));
    }
    run
}

fn read_fixture(rel: &str) -> Vec<u8> {
    std::fs::read(fixture(rel)).expect("fixture")
}

#[test]
fn a_truncated_package_says_so() {
    expect_error(
        "plan.xlsx",
        &read_fixture("workbook/bad/truncated.xlsx"),
        "truncated: the zip package has no central directory",
    );
    // Cut inside the central directory, and inside a part's data.
    let whole = read_fixture("corpus/xlsx/minato-2022-plan.xlsx");
    for cut in [whole.len() - 30, whole.len() - 300, 4000] {
        let run = expect_error("plan.xlsx", &whole[..cut], "");
        assert!(
            run.stderr.contains("truncated:") || run.stderr.contains("corrupt workbook:"),
            "cut at {cut}: {}",
            run.stderr
        );
    }
}

#[test]
fn a_text_file_named_xlsx_is_read_as_the_text_it_is() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("plan.xlsx");
    std::fs::write(&path, read_fixture("workbook/bad/text-named.xlsx")).expect("write");
    let run = bounded(&["parse", path.to_str().expect("utf-8 path")], dir.path());
    let doc = run.json();
    assert_eq!(doc["source"]["format"], "text");
    assert_eq!(doc["kind"], "plan");
    // And text that is no form is refused as such, not as a broken workbook.
    expect_error("notes.xlsx", "予算メモ\t未定\n".as_bytes(), "not a ward planning form");
}

#[test]
fn a_password_protected_workbook_needs_a_password() {
    let run = expect_error(
        "plan.xlsx",
        &read_fixture("workbook/bad/password-protected.xlsx"),
        "encrypted: needs a password",
    );
    assert!(!run.stderr.contains("OLE"), "{}", run.stderr);
}

#[test]
fn a_million_empty_styled_rows_cost_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = fixture("workbook/bad/million-empty-styled-rows.xlsx");
    let run = bounded(&["dump", path.to_str().expect("utf-8 path")], dir.path());
    if run.code != 0 {
        run.fail("expected the sheet to be read");
    }
    let rows: Vec<&str> = run.stdout.lines().filter(|l| l.starts_with("T ")).collect();
    assert_eq!(rows.len(), 4, "{}", run.stdout);
    assert_eq!(rows[3], "T [16383 様式1!XFD1000004] 1");
}

// ---- zip bombs ----------------------------------------------------------

use common::zipbomb::{corpus_parts, corpus_parts_with, crc32, deflate_zeros, zip_of};

#[test]
fn a_part_that_inflates_to_gigabytes_is_refused_before_inflating() {
    // 3.2 GB of zeros in 20 MB, its size declared honestly.
    let (bomb, size) = deflate_zeros(1_550_000);
    assert!(size > 3_000_000_000 && size < u32::MAX as u64);
    // The CRC is not that of the zeros: nothing may read far enough to check it.
    let honest = corpus_parts_with(&[("xl/sharedStrings.xml", 8, 0, size as u32, &bomb)]);
    expect_error(
        "bomb.xlsx",
        &honest,
        "too large: part xl/sharedStrings.xml inflates to 3",
    );
    // The same stream declaring 4 KB: the zip reader stops at 4 KB.
    let lying = corpus_parts_with(&[("xl/sharedStrings.xml", 8, 0, 4096, &bomb)]);
    expect_error(
        "bomb.xlsx",
        &lying,
        "too large: part xl/sharedStrings.xml inflates past the size its directory entry declares",
    );
    // And a worksheet that lies, read by calamine.
    let lying_sheet = {
        let parts = corpus_parts();
        let entries: Vec<(&str, u16, u32, u32, &[u8])> = parts
            .iter()
            .map(|(n, d)| {
                if n == "xl/worksheets/sheet2.xml" {
                    (n.as_str(), 8u16, 0, 65_536, bomb.as_slice())
                } else {
                    (n.as_str(), 0u16, crc32(d), d.len() as u32, d.as_slice())
                }
            })
            .collect();
        zip_of(&entries)
    };
    expect_error("bomb.xlsx", &lying_sheet, "too large:");
    // Many parts whose sizes add up past the total.
    let (small, small_size) = deflate_zeros(100_000); // 206 MB each
    let many: Vec<(String, Vec<u8>)> = (0..6)
        .map(|i| (format!("xl/media/image{i}.bin"), small.clone()))
        .collect();
    let extra: Vec<(&str, u16, u32, u32, &[u8])> = many
        .iter()
        .map(|(n, d)| (n.as_str(), 8u16, 0, small_size as u32, d.as_slice()))
        .collect();
    expect_error(
        "many.xlsx",
        &corpus_parts_with(&extra),
        "in all (--max-total-decompressed)",
    );
}

#[test]
fn deeply_nested_xml_is_refused() {
    let deep = format!(
        "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><si>{}{}</si></sst>",
        "<r>".repeat(100_000),
        "</r>".repeat(100_000)
    );
    let bytes = corpus_parts_with(&[(
        "xl/sharedStrings.xml",
        0,
        crc32(deep.as_bytes()),
        deep.len() as u32,
        deep.as_bytes(),
    )]);
    expect_error(
        "deep.xlsx",
        &bytes,
        "too deep: xl/sharedStrings.xml nests elements deeper than 256",
    );
}

#[test]
fn an_ods_whose_repeats_expand_to_billions_of_cells_is_refused() {
    // LibreOffice writes repeats for empty rows; a file can repeat a value.
    let content = r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="様式1"><table:table-row><table:table-cell office:value-type="string"><text:p>◆計画</text:p></table:table-cell></table:table-row><table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="16384" office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#;
    let mime = b"application/vnd.oasis.opendocument.spreadsheet";
    let manifest = br#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    let ods = |content: &[u8]| {
        zip_of(&[
            ("mimetype", 0, crc32(mime), mime.len() as u32, mime),
            (
                "META-INF/manifest.xml",
                0,
                crc32(manifest),
                manifest.len() as u32,
                manifest,
            ),
            ("content.xml", 0, crc32(content), content.len() as u32, content),
        ])
    };
    let bytes = ods(content.as_bytes());
    expect_error("repeats.ods", &bytes, "too large: sheet 様式1 spreads over");
    // Empty repeated rows, as LibreOffice writes them, cost nothing.
    let fine = content.replace(
        r#"office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>"#,
        "/>",
    );
    let fine = fine.replace("/>/>", "/>");
    let bytes = ods(fine.as_bytes());
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("repeats.ods");
    std::fs::write(&path, &bytes).expect("write");
    let run = bounded(&["dump", path.to_str().expect("utf-8 path")], dir.path());
    if run.code != 0 || !run.stdout.contains("T [0 様式1!A1] ◆計画") {
        run.fail("expected the one real cell");
    }
}

/// The plan's xls with its first sheet's DIMENSIONS record rewritten.
fn xls_with_dimensions(rows: (u32, u32), cols: (u16, u16)) -> Vec<u8> {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("plan.xls");
    std::fs::copy(fixture("workbook/minato-2022-plan.xls"), &path).expect("copy");
    {
        let mut cf = cfb::open_rw(&path).expect("open compound file");
        let mut stream = Vec::new();
        cf.open_stream("/Workbook")
            .expect("stream")
            .read_to_end(&mut stream)
            .expect("read");
        // The first DIMENSIONS record (0x0200, 14 bytes) after the globals.
        let mut pos = 0;
        let mut found = None;
        while pos + 4 <= stream.len() {
            let typ = u16::from_le_bytes([stream[pos], stream[pos + 1]]);
            let len = u16::from_le_bytes([stream[pos + 2], stream[pos + 3]]) as usize;
            if typ == 0x0200 && len == 14 {
                found = Some(pos + 4);
                break;
            }
            pos += 4 + len;
        }
        let at = found.expect("a DIMENSIONS record");
        stream[at..at + 4].copy_from_slice(&rows.0.to_le_bytes());
        stream[at + 4..at + 8].copy_from_slice(&rows.1.to_le_bytes());
        stream[at + 8..at + 10].copy_from_slice(&cols.0.to_le_bytes());
        stream[at + 10..at + 12].copy_from_slice(&cols.1.to_le_bytes());
        let mut s = cf.open_stream("/Workbook").expect("stream");
        s.seek(SeekFrom::Start(0)).expect("seek");
        s.write_all(&stream).expect("write");
        drop(s);
        cf.flush().expect("flush");
    }
    std::fs::read(&path).expect("read back")
}

#[test]
fn an_xls_declaring_a_huge_or_backwards_sheet_is_refused() {
    // 65536 rows × 256 columns: 16.8 million cells reserved up front.
    expect_error(
        "plan.xls",
        &xls_with_dimensions((0, 65_536), (0, 256)),
        "too large: sheet 様式1 declares 65536 rows × 256 columns",
    );
    // Last row before the first: calamine's arithmetic would overflow.
    expect_error(
        "plan.xls",
        &xls_with_dimensions((100, 5), (0, 2)),
        "corrupt workbook: sheet 様式1",
    );
}

#[test]
fn a_zip_or_ole_file_that_is_no_workbook_says_what_it_is() {
    let note = b"hello";
    let bytes = zip_of(&[("notes.txt", 0, crc32(note), note.len() as u32, note)]);
    expect_error(
        "notes.xlsx",
        &bytes,
        "not a workbook: a zip package without the parts of a workbook",
    );
    let mut cf = cfb::CompoundFile::create(Cursor::new(Vec::new())).expect("create");
    cf.create_stream("/WordDocument")
        .expect("stream")
        .write_all(b"x")
        .expect("write");
    let bytes = cf.into_inner().into_inner();
    expect_error(
        "letter.xls",
        &bytes,
        "not a workbook: an OLE compound file without a Workbook stream",
    );
}
