//! Small PDFs written here, each for one behaviour of the reader that the
//! producer-made fixtures do not show on their own: unruled pages as lines
//! and paragraphs, a code nothing maps, a rotated page, text in a Form
//! XObject, text clipped away.

use yoshiki::ir::{Ir, RowKind};
use yoshiki::limits::Limits;

/// A PDF of numbered objects (1: catalog, 2: pages, 3: the page), its page
/// built from `page_extra` and content stream `content`, plus `more`.
fn pdf(page_extra: &str, content: &[u8], more: &[(u32, Vec<u8>)]) -> Vec<u8> {
    let mut objects: Vec<(u32, Vec<u8>)> = vec![
        (1, b"<< /Type /Catalog /Pages 2 0 R >>".to_vec()),
        (2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec()),
        (
            3,
            format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 600 800] /Contents 4 0 R {page_extra} >>")
                .into_bytes(),
        ),
        (
            4,
            [
                format!("<< /Length {} >>\nstream\n", content.len()).as_bytes(),
                content,
                b"\nendstream",
            ]
            .concat(),
        ),
    ];
    objects.extend(more.iter().cloned());
    objects.sort_by_key(|o| o.0);
    let mut out = b"%PDF-1.7\n".to_vec();
    let mut offsets = vec![0usize; objects.iter().map(|o| o.0).max().unwrap_or(0) as usize + 1];
    for (n, body) in &objects {
        offsets[*n as usize] = out.len();
        out.extend_from_slice(format!("{n} 0 obj\n").as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", offsets.len()).as_bytes());
    for o in &offsets[1..] {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            offsets.len()
        )
        .as_bytes(),
    );
    out
}

const HELVETICA: &str = "/Resources << /Font << /F1 5 0 R >> >>";

fn helvetica() -> (u32, Vec<u8>) {
    (
        5,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_vec(),
    )
}

fn read(bytes: &[u8]) -> Ir {
    yoshiki::readers::pdf::read(bytes, &Limits::default()).expect("reads")
}

fn texts(ir: &Ir) -> Vec<String> {
    ir.rows.iter().map(|r| r.text()).collect()
}

#[test]
fn an_unruled_page_is_lines_with_paragraph_breaks() {
    let content = b"BT /F1 10 Tf 72 700 Td (First line of a paragraph) Tj 0 -12 Td (and its second line.) Tj \
        0 -40 Td (A new paragraph.) Tj ET";
    let ir = read(&pdf(HELVETICA, content, &[helvetica()]));
    assert!(ir.rows.iter().all(|r| r.kind == RowKind::Line), "{:?}", ir.rows);
    assert_eq!(
        texts(&ir),
        ["First line of a paragraph and its second line.", "", "A new paragraph."]
    );
    let at = &ir.rows[0].cells[0].at;
    assert_eq!(at.page, Some(1));
    let b = at.bbox.expect("box");
    assert!((b[0] - 72.0).abs() < 0.5 && b[1] < 700.0 && b[3] > 700.0, "{b:?}");
}

#[test]
fn a_code_nothing_maps_is_a_replacement_character_and_a_warning() {
    // A Type0 font with Identity-H and no ToUnicode: glyph ids only.
    let font = (
        5,
        b"<< /Type /Font /Subtype /Type0 /BaseFont /XYZ /Encoding /Identity-H /DescendantFonts [6 0 R] >>".to_vec(),
    );
    let cid = (
        6,
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /XYZ /DW 1000 >>".to_vec(),
    );
    let ir = read(&pdf(
        HELVETICA,
        b"BT /F1 10 Tf 72 700 Td <00410042> Tj ET",
        &[font, cid],
    ));
    assert_eq!(texts(&ir), ["\u{FFFD}\u{FFFD}"]);
    let w = ir
        .warnings
        .iter()
        .find(|w| w.code == "pdf_unmapped_glyph")
        .expect("warning");
    assert!(w.message.contains("2 glyph(s) of font XYZ"), "{}", w.message);
    assert_eq!(w.at.page, Some(1));
}

#[test]
fn a_rotated_page_reads_upright_with_boxes_in_user_space() {
    // /Rotate 90 turns the page clockwise to show it: text running up the
    // page in user space reads left to right, and the line further left
    // (smaller x) is shown above the other.
    // (Two list items, so that they stay two lines.)
    let content = b"BT /F1 10 Tf 0 1 -1 0 88 100 Tm (- Shown first) Tj 0 1 -1 0 100 100 Tm (- Shown second) Tj ET";
    let ir = read(&pdf(&format!("/Rotate 90 {HELVETICA}"), content, &[helvetica()]));
    assert_eq!(texts(&ir), ["- Shown first", "- Shown second"]);
    // Boxes stay in user space: the first line stands upright, its glyphs'
    // tops toward smaller x.
    let b = ir.rows[0].cells[0].at.bbox.expect("box");
    assert!(b[0] > 78.0 && b[2] < 90.0 && b[1] >= 99.0 && b[3] > 140.0, "{b:?}");
}

#[test]
fn text_in_a_form_xobject_is_read_and_a_form_that_draws_itself_is_not_followed() {
    let body = b"BT /F1 10 Tf 72 700 Td (In a form) Tj ET /X1 Do";
    let dict = format!(
        "<< /Type /XObject /Subtype /Form /BBox [0 0 600 800] /Matrix [1 0 0 1 0 -100] \
         /Resources << /Font << /F1 5 0 R >> /XObject << /X1 6 0 R >> >> /Length {} >>\nstream\n",
        body.len()
    );
    let form = (6, [dict.as_bytes(), body.as_slice(), b"\nendstream"].concat());
    let page = "/Resources << /Font << /F1 5 0 R >> /XObject << /X1 6 0 R >> >>";
    let ir = read(&pdf(page, b"/X1 Do", &[helvetica(), form]));
    assert_eq!(texts(&ir), ["In a form"]);
    let b = ir.rows[0].cells[0].at.bbox.expect("box");
    assert!(b[1] < 600.0 && b[3] > 600.0, "the form's matrix moves it down: {b:?}");
}

#[test]
fn text_clipped_away_or_off_the_page_is_read_in_place_with_a_warning() {
    let content = b"q 0 0 300 800 re W n BT /F1 10 Tf 72 700 Td (Seen) Tj 400 0 Td (Clipped) Tj ET Q \
        BT /F1 10 Tf 72 600 Td (Outside the page) Tj 0 -900 Td (below it) Tj ET";
    let ir = read(&pdf(HELVETICA, content, &[helvetica()]));
    let t = texts(&ir).join("|");
    assert!(t.contains("Seen") && t.contains("Outside the page"), "{t}");
    assert!(t.contains("Clipped") && t.contains("below it"), "{t}");
    let said: Vec<(&str, Option<u32>)> = ir.warnings.iter().map(|w| (w.code.as_str(), w.at.page)).collect();
    assert!(said.contains(&("pdf_text_clipped", Some(1))), "{said:?}");
    assert!(said.contains(&("pdf_text_outside_page", Some(1))), "{said:?}");
    let below = ir
        .warnings
        .iter()
        .find(|w| w.code == "pdf_text_outside_page")
        .expect("warning");
    assert!(
        below.message.starts_with("page 1:") && below.message.contains("below it"),
        "{}",
        below.message
    );
}

#[test]
fn a_marker_after_a_full_line_that_stops_mid_sentence_is_a_doubt_said() {
    // The first line fills the frame and stops mid-sentence; the next
    // starts with `(2)`: a wrapped reference or a new item?
    let content =
        b"BT /F1 10 Tf 72 700 Td (the figures are given in the table under item) Tj 0 -12 Td ((2) of the annex) Tj ET";
    let ir = read(&pdf(HELVETICA, content, &[helvetica()]));
    assert_eq!(
        texts(&ir),
        ["the figures are given in the table under item", "(2) of the annex"]
    );
    let w = ir
        .warnings
        .iter()
        .find(|w| w.code == "pdf_undecided_join")
        .expect("a warning for the undecided join");
    assert_eq!(w.at.page, Some(1));
    assert!(w.message.contains("(2) of the annex"), "{}", w.message);
}

#[test]
fn a_wrapped_target_is_one_line() {
    // `38.6` / `% or more` wrapped apart: one line, the figure with its unit.
    let content = b"BT /F1 10 Tf 72 700 Td (share of residents: 38.6) Tj 0 -12 Td (% or more) Tj ET";
    let ir = read(&pdf(HELVETICA, content, &[helvetica()]));
    assert_eq!(texts(&ir), ["share of residents: 38.6% or more"]);
}
