//! Opening the file with lopdf and walking its page tree.
//!
//! lopdf 0.47 is hardened where we checked its source: its object parser
//! stops at 100 levels of nesting (its own tests parse 200,000-deep arrays),
//! it bounds stream decompression by `LoadOptions::max_decompressed_size`,
//! rebuilds a damaged cross-reference table by scanning, and decrypts RC4
//! and AES files that open with the empty user password. What it leaves to
//! us: its page iterator bounds a page tree that contains itself only by the
//! object count (each cycle yields the same pages again), so we walk the tree
//! ourselves with a visited set; and inherited `/Resources` and boxes.

use super::PdfError;
use super::objects;
use crate::limits::Limits;
use lopdf::{Dictionary, Document, LoadOptions, Object, ObjectId};
use std::collections::HashSet;

/// Open the bytes as a PDF document.
pub fn open(bytes: &[u8], limits: &Limits) -> Result<Document, PdfError> {
    let options = LoadOptions {
        max_decompressed_size: Some(limits.max_stream_bytes.min(usize::MAX as u64) as usize),
        ..LoadOptions::default()
    };
    let doc = match Document::load_mem_with_options(bytes, options) {
        Ok(doc) => doc,
        Err(e) => return Err(classify(bytes, e)),
    };
    if doc.is_encrypted() {
        // lopdf leaves the trailer's /Encrypt in place only when the empty
        // user password does not open the file.
        return Err(PdfError::NeedsPassword);
    }
    Ok(doc)
}

fn classify(bytes: &[u8], e: lopdf::Error) -> PdfError {
    match e {
        lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { limit }) => PdfError::StreamTooLarge {
            limit: super::objects::Limit::Stream(limit as u64),
        },
        lopdf::Error::InvalidPassword => PdfError::NeedsPassword,
        lopdf::Error::Decryption(d) => PdfError::Encryption(d.to_string()),
        lopdf::Error::Unimplemented(what) if what.contains("encrypt") || what.contains("password") => {
            PdfError::Encryption(what.to_string())
        }
        e if !has_eof_marker(bytes) => PdfError::Truncated(e.to_string()),
        e => PdfError::Damaged(e.to_string()),
    }
}

/// Whether the file ends with `%%EOF` (in its last kilobyte).
pub fn has_eof_marker(bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(1024)..];
    tail.windows(5).any(|w| w == b"%%EOF")
}

/// A page with what it inherits.
pub struct Page {
    pub id: ObjectId,
    pub resources: Option<Dictionary>,
    /// The visible area (CropBox, else MediaBox) in user space.
    pub bbox: [f64; 4],
    /// Clockwise rotation in degrees (0, 90, 180, 270).
    pub rotate: i64,
}

/// What walking the page tree found.
pub struct Pages {
    pub pages: Vec<Page>,
    /// Pages beyond `Limits::max_pages` that were not read.
    pub skipped: usize,
    /// Nodes seen twice (a tree that contains itself) or unreadable.
    pub damaged: usize,
}

#[derive(Clone, Default)]
struct Inherited {
    resources: Option<Dictionary>,
    media_box: Option<[f64; 4]>,
    crop_box: Option<[f64; 4]>,
    rotate: Option<i64>,
}

/// Walk the page tree depth-first in document order, each node once.
pub fn pages(doc: &Document, limits: &Limits) -> Pages {
    let mut out = Pages {
        pages: Vec::new(),
        skipped: 0,
        damaged: 0,
    };
    let root = doc
        .catalog()
        .ok()
        .and_then(|c| c.get(b"Pages").ok())
        .and_then(|o| o.as_reference().ok());
    let Some(root) = root else {
        return out;
    };
    let mut seen: HashSet<ObjectId> = HashSet::new();
    // An explicit stack (node, what it inherits), children pushed in reverse.
    let mut stack: Vec<(ObjectId, Inherited)> = vec![(root, Inherited::default())];
    while let Some((id, inh)) = stack.pop() {
        if !seen.insert(id) {
            out.damaged += 1;
            continue;
        }
        let Ok(Object::Dictionary(node)) = doc.get_object(id) else {
            out.damaged += 1;
            continue;
        };
        let mut here = inh;
        if let Some(r) = objects::dict(doc, node, b"Resources") {
            here.resources = Some(r.clone());
        }
        if let Some(b) = rect(doc, node, b"MediaBox") {
            here.media_box = Some(b);
        }
        if let Some(b) = rect(doc, node, b"CropBox") {
            here.crop_box = Some(b);
        }
        if let Some(r) = objects::num(doc, node, b"Rotate") {
            here.rotate = Some(r as i64);
        }
        let kids = objects::array(doc, node, b"Kids");
        let is_page = objects::name(doc, node, b"Type") == Some(b"Page") || (kids.is_none() && node.has(b"Contents"));
        if is_page {
            if out.pages.len() >= limits.max_pages as usize {
                out.skipped += 1;
                continue;
            }
            let media = here.media_box.unwrap_or([0.0, 0.0, 612.0, 792.0]);
            let bbox = here.crop_box.map(|c| intersect(c, media)).unwrap_or(media);
            out.pages.push(Page {
                id,
                resources: here.resources.clone(),
                bbox,
                rotate: here.rotate.unwrap_or(0).rem_euclid(360) / 90 * 90,
            });
            continue;
        }
        if let Some(kids) = kids {
            for k in kids.iter().rev() {
                if let Object::Reference(kid) = k {
                    stack.push((*kid, here.clone()));
                }
            }
        } else {
            out.damaged += 1;
        }
    }
    out
}

fn rect(doc: &Document, d: &Dictionary, key: &[u8]) -> Option<[f64; 4]> {
    let v = objects::numbers(doc, objects::array(doc, d, key)?);
    if v.len() != 4 {
        return None;
    }
    let r = [v[0].min(v[2]), v[1].min(v[3]), v[0].max(v[2]), v[1].max(v[3])];
    (r[2] - r[0] > 1.0 && r[3] - r[1] > 1.0).then_some(r)
}

fn intersect(a: [f64; 4], b: [f64; 4]) -> [f64; 4] {
    let r = [a[0].max(b[0]), a[1].max(b[1]), a[2].min(b[2]), a[3].min(b[3])];
    if r[2] - r[0] > 1.0 && r[3] - r[1] > 1.0 { r } else { b }
}

/// The content streams of a page, in order.
pub fn content_streams<'d>(doc: &'d Document, page: &Page) -> Vec<&'d lopdf::Stream> {
    let Ok(Object::Dictionary(d)) = doc.get_object(page.id) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    match d.get(b"Contents").ok().map(|o| objects::resolve(doc, o)) {
        Some(Object::Stream(s)) => out.push(s),
        Some(Object::Array(a)) => {
            for o in a {
                if let Object::Stream(s) = objects::resolve(doc, o) {
                    out.push(s);
                }
            }
        }
        _ => {}
    }
    out
}

/// `/Producer` and `/Title` from the document information dictionary.
pub fn info(doc: &Document) -> (Option<String>, Option<String>) {
    let Some(info) = doc.trailer.get(b"Info").ok().map(|o| objects::resolve(doc, o)) else {
        return (None, None);
    };
    let Object::Dictionary(d) = info else {
        return (None, None);
    };
    let s = |k: &[u8]| objects::get(doc, d, k).and_then(objects::text_string);
    (s(b"Producer"), s(b"Title"))
}
