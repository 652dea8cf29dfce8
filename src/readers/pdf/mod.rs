//! PDF releases, read through lopdf into the intermediate form.
//!
//! ```text
//! document.rs     open (lopdf, decryption), walk the page tree
//! interpreter.rs  content streams → glyphs with boxes, path segments
//!                 (content.rs: the content-stream lexer)
//! fonts.rs        fonts: codes, widths, Unicode  (cmap.rs, encodings.rs,
//!                 aliases.rs)
//! hidden.rs       text outside the page box or the clip: copies left
//!                 out, text of its own read in place (with a warning)
//! strike.rs       strike-through lines → struck glyphs
//! tables.rs       rulings → grids → cells; columns across pages; page breaks
//! layout.rs       glyphs → lines → text; paragraphs
//!                 (columns.rs: frames of running text side by side)
//! assemble.rs     pages → blocks → rows
//! view.rs         what each page showed the reader (glyphs, rulings,
//!                 struck glyphs), for `yoshiki inspect`
//! objects.rs      lopdf object helpers; streams decoded within the limits
//! ```
//!
//! What the rows look like: a ruled table gives one `Table` row per row
//! band (one spreadsheet row of a printed workbook) with a cell per ruled
//! cell that starts in that band, `col` its column among the page's (and
//! neighbouring pages') column boundaries, `span` the bands and columns it
//! covers, its text in reading order with wrapped lines joined (`wrapped`
//! false; `\n` only between items the layout separates). Text outside any
//! table gives one `Line` row per physical line, an empty row between
//! paragraphs and between blocks. Struck-out text is left out of the cells
//! and reported in `Ir::revisions`.
//!
//! A broken file gives a clear error or a partial result with warnings,
//! never a panic: lopdf is hardened against deep nesting and decompression
//! bombs (see `document.rs`), we walk page trees with a visited set, bound
//! every stream by `Limits`, check the deadline while interpreting, and —
//! the last line of defence — run the whole read under `catch_unwind`, so a
//! panic in lopdf or here becomes an `internal` error for this one file
//! instead of ending a batch.

mod aliases;
mod assemble;
mod cmap;
mod columns;
mod content;
mod document;
mod encodings;
mod fonts;
mod hidden;
mod interpreter;
mod layout;
mod objects;
mod strike;
mod tables;
pub mod view;

use crate::error::{Error, Result};
use crate::ir::{Ir, Meta};
use crate::limits::Limits;
use crate::model::{Format, Location, Warning};
use interpreter::{Budget, FontCache, Interpreter, Stop};
use std::time::Instant;

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("encrypted: needs a password")]
    NeedsPassword,
    #[error("encrypted: cannot decrypt ({0})")]
    Encryption(String),
    #[error("truncated: no end of file, and what is there does not read as a PDF ({0})")]
    Truncated(String),
    #[error("damaged: not a readable PDF ({0})")]
    Damaged(String),
    #[error("no pages: the page tree is empty or unreadable{0}")]
    NoPages(String),
    #[error("stream too large: {limit}")]
    StreamTooLarge { limit: objects::Limit },
    #[error("internal error while reading the PDF ({0}); please report it with the file")]
    Internal(String),
}

impl PdfError {
    pub fn code(&self) -> &'static str {
        match self {
            PdfError::NeedsPassword => "encrypted",
            PdfError::Encryption(_) => "encryption_unsupported",
            PdfError::Truncated(_) => "truncated",
            PdfError::Damaged(_) => "damaged",
            PdfError::NoPages(_) => "no_pages",
            PdfError::StreamTooLarge { .. } => "stream_too_large",
            PdfError::Internal(_) => "internal",
        }
    }
}

/// Warning codes this reader emits.
pub mod warning {
    /// Glyphs whose codes map to no Unicode (shown as U+FFFD).
    pub const UNMAPPED_GLYPH: &str = "pdf_unmapped_glyph";
    /// A content stream that could not be read to its end.
    pub const DAMAGED_CONTENT: &str = "pdf_damaged_content";
    /// No `%%EOF`: the file was cut short; what could be recovered was read.
    pub const TRUNCATED: &str = "pdf_truncated";
    /// The cross-reference table was rebuilt by scanning the file.
    pub const XREF_REPAIRED: &str = "pdf_xref_repaired";
    /// The page tree has loops or unreadable nodes.
    pub const DAMAGED_PAGE_TREE: &str = "pdf_damaged_page_tree";
    /// Pages past `--max-pages`.
    pub const PAGE_LIMIT: &str = "pdf_page_limit";
    /// Glyphs past `--max-cells`.
    pub const GLYPH_LIMIT: &str = "pdf_glyph_limit";
    /// Text drawn outside the page's MediaBox/CropBox, read in its place.
    pub const OFF_PAGE_TEXT: &str = "pdf_text_outside_page";
    /// Text hidden by a clipping path (a cell overflowing the print
    /// area), shown nowhere else, read in its place.
    pub const CLIPPED_TEXT: &str = "pdf_text_clipped";
    /// A line break the reader could not read as a wrap or a new item.
    pub const UNDECIDED_JOIN: &str = "pdf_undecided_join";
}

pub fn read(bytes: &[u8], limits: &Limits) -> Result<Ir> {
    let started = Instant::now();
    // The last line of defence: a panic anywhere under here (lopdf or this
    // reader) fails this file only. Nothing shared is left half-updated: the
    // closure owns everything it touches.
    guarded(|| read_unguarded(bytes, limits, started, None))
}

/// [`read`], and the debug view of every page (`view.rs`) for `yoshiki
/// inspect`.
pub fn read_with_view(bytes: &[u8], limits: &Limits) -> Result<(Ir, view::View)> {
    let started = Instant::now();
    guarded(|| {
        let mut v = view::View::default();
        let ir = read_unguarded(bytes, limits, started, Some(&mut v))?;
        Ok((ir, v))
    })
}

fn guarded<T>(f: impl FnOnce() -> Result<T>) -> Result<T> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(payload) => {
            let msg = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "panic".to_string());
            Err(PdfError::Internal(msg).into())
        }
    }
}

fn read_unguarded(bytes: &[u8], limits: &Limits, started: Instant, mut view: Option<&mut view::View>) -> Result<Ir> {
    let doc = document::open(bytes, limits)?;
    let mut warnings: Vec<Warning> = Vec::new();
    let complete = document::has_eof_marker(bytes);
    if !complete {
        warnings.push(Warning::new(
            warning::TRUNCATED,
            "the file has no end-of-file marker (cut short?); read what could be recovered",
            Location::default(),
        ));
    }
    if doc.xref_recovery.is_some() {
        warnings.push(Warning::new(
            warning::XREF_REPAIRED,
            "the cross-reference table is damaged; objects were found by scanning the file",
            Location::default(),
        ));
    }
    let pages = document::pages(&doc, limits);
    if pages.damaged > 0 {
        warnings.push(Warning::new(
            warning::DAMAGED_PAGE_TREE,
            format!(
                "the page tree has {} unreadable or repeated node(s) (a tree that contains itself?); they were skipped",
                pages.damaged
            ),
            Location::default(),
        ));
    }
    if pages.skipped > 0 {
        warnings.push(Warning::new(
            warning::PAGE_LIMIT,
            format!(
                "{} page(s) past the limit of {} were not read (--max-pages)",
                pages.skipped, limits.max_pages
            ),
            Location::default(),
        ));
    }
    if pages.pages.is_empty() {
        return Err(if complete {
            PdfError::NoPages(if pages.damaged > 0 {
                format!(
                    " ({} node(s) of it could not be read: damaged, nested too deeply, or containing themselves)",
                    pages.damaged
                )
            } else {
                String::new()
            })
        } else {
            PdfError::Truncated("no pages could be recovered".into())
        }
        .into());
    }
    let (producer, title) = document::info(&doc);
    // LibreOffice starts lines with `・` (no Japanese line-breaking rules);
    // other producers do not, which tells a wrapped space (see layout.rs).
    let kinsoku = !producer
        .as_deref()
        .is_some_and(|p| p.contains("LibreOffice") || p.contains("OpenOffice"));
    let mut budget = Budget {
        streams: objects::Streams::new(limits),
        deadline: started + limits.timeout,
        glyphs_left: limits.max_cells,
    };
    let mut fonts = FontCache::default();
    let mut contents = Vec::with_capacity(pages.pages.len());
    let mut glyph_limit_hit = false;
    for (i, page) in pages.pages.iter().enumerate() {
        let n = i as u32 + 1;
        let at = Location {
            page: Some(n),
            ..Location::default()
        };
        let streams = document::content_streams(&doc, page);
        let content = match Interpreter::new(&doc, &mut fonts, &mut budget).run_page(
            &streams,
            page.resources.as_ref(),
            page.bbox,
        ) {
            Ok(c) => c,
            Err(Stop::TooLarge { limit }) => return Err(PdfError::StreamTooLarge { limit }.into()),
            Err(Stop::Timeout) => return Err(Error::Timeout(limits.timeout.as_secs())),
        };
        for (font, count) in &content.unmapped {
            warnings.push(Warning::new(
                warning::UNMAPPED_GLYPH,
                format!("{count} glyph(s) of font {font} map to no character (no ToUnicode, no known encoding); shown as U+FFFD"),
                at.clone(),
            ));
        }
        if let Some(d) = &content.damaged {
            warnings.push(Warning::new(warning::DAMAGED_CONTENT, d.clone(), at.clone()));
        }
        if content.truncated && !glyph_limit_hit {
            glyph_limit_hit = true;
            warnings.push(Warning::new(
                warning::GLYPH_LIMIT,
                format!(
                    "glyphs past the limit of {} were not read (--max-cells)",
                    limits.max_cells
                ),
                at.clone(),
            ));
        }
        contents.push(content);
        if Instant::now() > budget.deadline {
            return Err(Error::Timeout(limits.timeout.as_secs()));
        }
    }
    for k in hidden::resolve(&mut contents) {
        let (code, where_) = match k.why {
            interpreter::Hidden::OffPage => (
                warning::OFF_PAGE_TEXT,
                "outside the page's visible area (MediaBox/CropBox)",
            ),
            interpreter::Hidden::Clipped => (
                warning::CLIPPED_TEXT,
                "outside its clipping path (cut off where it is printed: a cell overflowing the print area?)",
            ),
        };
        let snippet: String = k.text.chars().take(40).collect();
        warnings.push(Warning::new(
            code,
            format!(
                "page {}: {} character(s) drawn {where_}, shown nowhere else, were read in their place: «{snippet}»",
                k.page + 1,
                k.chars
            ),
            Location::page(k.page as u32 + 1, round_box(k.bbox)),
        ));
    }
    let mut laid_out = Vec::with_capacity(contents.len());
    for (i, (content, page)) in contents.into_iter().zip(&pages.pages).enumerate() {
        if let Some(v) = view.as_deref_mut() {
            v.pages
                .push(view::PageView::new(i as u32 + 1, page.bbox, page.rotate, &content));
        }
        laid_out.push(assemble::page(i as u32 + 1, content, page.rotate, kinsoku));
        if Instant::now() > budget.deadline {
            return Err(Error::Timeout(limits.timeout.as_secs()));
        }
    }
    let assembled = assemble::rows(laid_out);
    for d in &assembled.doubts {
        warnings.push(Warning::new(
            warning::UNDECIDED_JOIN,
            format!(
                "page {}: a line ending «…{}» at the frame's edge, then «{}…» starting with a list marker: \
                 a wrapped line or a new item? read as a new item",
                d.page, d.before, d.after
            ),
            Location::page(d.page, round_box(d.bbox)),
        ));
    }
    let (rows, revisions) = (assembled.rows, assembled.revisions);
    Ok(Ir {
        format: Format::Pdf,
        meta: Meta {
            pages: Some(pages.pages.len() as u32),
            producer,
            title,
            ..Meta::default()
        },
        rows,
        revisions,
        warnings,
    })
}

fn round_box(b: [f64; 4]) -> [f64; 4] {
    b.map(|v| (v * 100.0).round() / 100.0)
}
