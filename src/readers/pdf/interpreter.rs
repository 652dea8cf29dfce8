//! The content-stream interpreter: graphics state and CTM (`q`/`Q`/`cm`),
//! text state and matrices, `Tj`/`TJ`/`'`/`"` with advances from the
//! fonts' widths, so every glyph has a box in user space; path operators
//! collected as straight segments with their stroke colour and width (thin
//! filled rectangles count as segments too: Chromium and Excel draw borders
//! that way); Form XObjects followed with a depth limit and a cycle guard.
//!
//! Nothing here knows about tables or lines: that is `layout.rs` and
//! `tables.rs`.

use super::content::{self, Lexer, Operand};
use super::fonts::Font;
use super::objects::{self, StreamError, Streams};
use lopdf::{Dictionary, Document, Object, ObjectId};
use std::collections::HashMap;
use std::rc::Rc;
use std::time::Instant;

/// An affine matrix `[a b c d e f]` (PDF order).
pub type Matrix = [f64; 6];

pub const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `m` then `n`.
pub fn mul(m: &Matrix, n: &Matrix) -> Matrix {
    [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]
}

pub fn apply(m: &Matrix, x: f64, y: f64) -> (f64, f64) {
    (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])
}

pub type Rgb = [f32; 3];

/// One shown glyph.
#[derive(Debug, Clone)]
pub struct Glyph {
    /// Its Unicode text (U+FFFD when nothing maps its code).
    pub text: String,
    /// `[x0, y0, x1, y1]` in user space.
    pub bbox: [f64; 4],
    /// The em size in user space.
    pub size: f64,
    /// Unit vector of the writing direction in user space: `(1, 0)` for
    /// ordinary text, `(0, -1)` for vertical writing.
    pub dir: (f64, f64),
    pub color: Rgb,
    /// Order of drawing on the page.
    pub seq: u32,
}

impl Glyph {
    pub fn cx(&self) -> f64 {
        (self.bbox[0] + self.bbox[2]) / 2.0
    }
    pub fn cy(&self) -> f64 {
        (self.bbox[1] + self.bbox[3]) / 2.0
    }
    pub fn is_space(&self) -> bool {
        self.text.chars().all(char::is_whitespace)
    }
}

/// A straight segment of a painted path, in user space.
#[derive(Debug, Clone, Copy)]
pub struct Segment {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
    pub width: f64,
    pub color: Rgb,
}

/// What a page draws.
#[derive(Debug, Default)]
pub struct PageContent {
    pub glyphs: Vec<Glyph>,
    pub segments: Vec<Segment>,
    /// Fonts with codes nothing maps: font name → count.
    pub unmapped: Vec<(String, usize)>,
    /// The content stream was damaged: how far it read.
    pub damaged: Option<String>,
    /// The glyph limit was reached on this page.
    pub truncated: bool,
    /// Glyphs drawn where nothing shows them: outside the page's visible
    /// area (MediaBox/CropBox) or outside the clipping path. Kept apart,
    /// not dropped: the reader decides whether each is a copy of text
    /// shown elsewhere (LibreOffice draws a merged cell's text on every
    /// page it spans) or text of its own (a cell overflowing the print
    /// area), which is then read in its place.
    pub hidden: Vec<(Glyph, Hidden)>,
    /// Glyphs of `glyphs` the clip or the page's edge cuts through (index,
    /// the share of the glyph's box that shows): a line cut by a page break
    /// is drawn on both pages, each showing a part of it.
    pub partial: Vec<(usize, f64)>,
}

/// Why a glyph does not show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hidden {
    /// Outside the page's MediaBox/CropBox.
    OffPage,
    /// On the page, but outside the clipping path.
    Clipped,
}

/// Why interpretation stopped for the whole file.
#[derive(Debug)]
pub enum Stop {
    TooLarge { limit: super::objects::Limit },
    Timeout,
}

#[derive(Clone)]
struct GState {
    ctm: Matrix,
    fill: Rgb,
    stroke: Rgb,
    fill_n: usize,
    stroke_n: usize,
    line_width: f64,
    font: Option<Rc<Font>>,
    size: f64,
    char_spacing: f64,
    word_spacing: f64,
    hscale: f64,
    leading: f64,
    rise: f64,
    /// The clipping path's bounding box in user space (a glyph outside it
    /// is not visible: LibreOffice draws a merged cell's text on every page
    /// the cell spans and clips it away on all but one).
    clip: [f64; 4],
}

impl GState {
    fn new(ctm: Matrix) -> GState {
        GState {
            ctm,
            fill: [0.0; 3],
            stroke: [0.0; 3],
            fill_n: 1,
            stroke_n: 1,
            line_width: 1.0,
            font: None,
            size: 0.0,
            char_spacing: 0.0,
            word_spacing: 0.0,
            hscale: 1.0,
            leading: 0.0,
            rise: 0.0,
            clip: [f64::NEG_INFINITY, f64::NEG_INFINITY, f64::INFINITY, f64::INFINITY],
        }
    }
}

/// Fonts already loaded, by object id, shared across pages.
#[derive(Default)]
pub struct FontCache {
    by_id: HashMap<ObjectId, Rc<Font>>,
}

/// The limits the interpreter works under.
pub struct Budget<'a> {
    pub streams: Streams<'a>,
    pub deadline: Instant,
    /// Glyphs left for the whole file.
    pub glyphs_left: u64,
}

const MAX_FORM_DEPTH: usize = 16;
const MAX_GSTATE_DEPTH: usize = 512;

pub struct Interpreter<'d, 'b, 'l> {
    doc: &'d Document,
    fonts: &'b mut FontCache,
    budget: &'b mut Budget<'l>,
    out: PageContent,
    unmapped: HashMap<String, usize>,
    seq: u32,
    forms: Vec<ObjectId>,
    ops: u64,
    /// The page's visible area (MediaBox/CropBox) in user space.
    page: [f64; 4],
}

impl<'d, 'b, 'l> Interpreter<'d, 'b, 'l> {
    pub fn new(doc: &'d Document, fonts: &'b mut FontCache, budget: &'b mut Budget<'l>) -> Self {
        Interpreter {
            doc,
            fonts,
            budget,
            out: PageContent::default(),
            unmapped: HashMap::new(),
            seq: 0,
            forms: Vec::new(),
            ops: 0,
            page: [f64::NEG_INFINITY, f64::NEG_INFINITY, f64::INFINITY, f64::INFINITY],
        }
    }

    /// Interpret a page's content streams (already concatenated by the caller
    /// or given one by one).
    pub fn run_page(
        mut self,
        streams: &[&lopdf::Stream],
        resources: Option<&Dictionary>,
        visible: [f64; 4],
    ) -> Result<PageContent, Stop> {
        let mut data = Vec::new();
        for s in streams {
            match self.budget.streams.decode_lenient(s) {
                Ok(d) => {
                    data.extend_from_slice(&d.data);
                    data.push(b'\n');
                    if let Some(e) = d.damage {
                        self.out.damaged = Some(format!(
                            "a content stream is damaged ({e}); what came before the damage was read"
                        ));
                    }
                }
                Err(StreamError::TooLarge { limit }) => return Err(Stop::TooLarge { limit }),
                Err(StreamError::Corrupt(e)) => {
                    self.out.damaged = Some(format!("a content stream is damaged ({e}) and was skipped"));
                }
            }
        }
        let mut gs = GState::new(IDENTITY);
        gs.clip = visible;
        self.page = visible;
        self.run(&data, resources, &mut gs)?;
        let mut unmapped: Vec<(String, usize)> = self.unmapped.into_iter().collect();
        unmapped.sort();
        self.out.unmapped = unmapped;
        Ok(self.out)
    }

    fn run(&mut self, data: &[u8], resources: Option<&Dictionary>, gs: &mut GState) -> Result<(), Stop> {
        let mut stack: Vec<GState> = Vec::new();
        let mut path = Path::default();
        let mut tm = IDENTITY;
        let mut tlm = IDENTITY;
        let mut clip_pending = false;
        // Marked content: for each open BMC/BDC, its ActualText (if any)
        // and the first glyph drawn inside it.
        let mut marked: Vec<Option<(String, usize)>> = Vec::new();
        let mut lx = Lexer::new(data);
        while let Some(op) = lx.next_op() {
            self.ops += 1;
            if self.ops.is_multiple_of(4096) && Instant::now() > self.budget.deadline {
                return Err(Stop::Timeout);
            }
            let (n, count) = lx.numbers();
            let n1 = if count > 0 { Some(n[0]) } else { None };
            match op {
                b"q" if stack.len() < MAX_GSTATE_DEPTH => stack.push(gs.clone()),
                b"Q" => {
                    if let Some(g) = stack.pop() {
                        *gs = g;
                    }
                }
                b"cm" if count == 6 => {
                    gs.ctm = mul(&[n[0], n[1], n[2], n[3], n[4], n[5]], &gs.ctm);
                }
                b"w" => {
                    if let Some(w) = n1 {
                        gs.line_width = w.abs();
                    }
                }
                b"gs" => {
                    if let Some(name) = lx.first_name()
                        && let Some(ext) = resources
                            .and_then(|r| objects::dict(self.doc, r, b"ExtGState"))
                            .and_then(|d| objects::dict(self.doc, d, name))
                        && let Some(lw) = objects::num(self.doc, ext, b"LW")
                    {
                        gs.line_width = lw.abs();
                    }
                }
                b"G" => gs.stroke = gray(&n[..count]),
                b"g" => gs.fill = gray(&n[..count]),
                b"RG" => gs.stroke = rgb(&n[..count]),
                b"rg" => gs.fill = rgb(&n[..count]),
                b"K" => gs.stroke = cmyk(&n[..count]),
                b"k" => gs.fill = cmyk(&n[..count]),
                b"CS" => {
                    gs.stroke_n = self.colour_space_components(resources, lx.first_name());
                    gs.stroke = [0.0; 3];
                }
                b"cs" => {
                    gs.fill_n = self.colour_space_components(resources, lx.first_name());
                    gs.fill = [0.0; 3];
                }
                b"SC" | b"SCN" => gs.stroke = by_count(&n[..count], gs.stroke_n),
                b"sc" | b"scn" => gs.fill = by_count(&n[..count], gs.fill_n),
                b"m" if count >= 2 => path.move_to(apply(&gs.ctm, n[0], n[1])),
                b"l" if count >= 2 => path.line_to(apply(&gs.ctm, n[0], n[1])),
                // Curves are not rulings; keep only where they end.
                b"c" | b"v" | b"y" if count >= 2 => path.curve_to(apply(&gs.ctm, n[count - 2], n[count - 1])),
                b"h" => path.close(),
                b"re" if count == 4 => {
                    let (x, y, w, h) = (n[0], n[1], n[2], n[3]);
                    path.rect([
                        apply(&gs.ctm, x, y),
                        apply(&gs.ctm, x + w, y),
                        apply(&gs.ctm, x + w, y + h),
                        apply(&gs.ctm, x, y + h),
                    ]);
                }
                b"W" | b"W*" => clip_pending = true,
                b"S" | b"s" | b"B" | b"B*" | b"b" | b"b*" => {
                    if op == b"s" || op.starts_with(b"b") {
                        path.close();
                    }
                    let width = line_width_in_user_space(&gs.ctm, gs.line_width);
                    path.stroke(gs.stroke, width, &gs.clip, &mut self.out.segments);
                    path.clip(&mut gs.clip, std::mem::take(&mut clip_pending));
                    path = Path::default();
                }
                b"f" | b"F" | b"f*" => {
                    path.fill_thin(gs.fill, &gs.clip, &mut self.out.segments);
                    path.clip(&mut gs.clip, std::mem::take(&mut clip_pending));
                    path = Path::default();
                }
                b"n" => {
                    path.clip(&mut gs.clip, std::mem::take(&mut clip_pending));
                    path = Path::default();
                }
                b"BT" => {
                    tm = IDENTITY;
                    tlm = IDENTITY;
                }
                b"Tc" => gs.char_spacing = n1.unwrap_or(0.0),
                b"Tw" => gs.word_spacing = n1.unwrap_or(0.0),
                b"Tz" => gs.hscale = n1.unwrap_or(100.0) / 100.0,
                b"TL" => gs.leading = n1.unwrap_or(0.0),
                b"Ts" => gs.rise = n1.unwrap_or(0.0),
                b"Tf" => {
                    if let (Some(name), Some(size)) = (lx.first_name(), n1) {
                        gs.font = Some(self.font(resources, name)?);
                        gs.size = size;
                    }
                }
                b"Td" | b"TD" if count == 2 => {
                    if op == b"TD" {
                        gs.leading = -n[1];
                    }
                    tlm = mul(&[1.0, 0.0, 0.0, 1.0, n[0], n[1]], &tlm);
                    tm = tlm;
                }
                b"Tm" if count == 6 => {
                    tlm = [n[0], n[1], n[2], n[3], n[4], n[5]];
                    tm = tlm;
                }
                b"T*" => {
                    tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -gs.leading], &tlm);
                    tm = tlm;
                }
                b"Tj" | b"'" | b"\"" | b"TJ" => {
                    if op == b"\"" && count >= 2 {
                        gs.word_spacing = n[0];
                        gs.char_spacing = n[1];
                    }
                    if op == b"'" || op == b"\"" {
                        tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -gs.leading], &tlm);
                        tm = tlm;
                    }
                    let Some(font) = gs.font.clone() else {
                        continue;
                    };
                    if op == b"TJ" {
                        // The strings and adjustments of the (first, flat) array.
                        let mut depth = 0usize;
                        for o in &lx.operands {
                            match *o {
                                Operand::ArrayStart => depth += 1,
                                Operand::ArrayEnd => depth = depth.saturating_sub(1),
                                Operand::Str(s, e) if depth == 1 => self.show(lx.bytes_of(s, e), &font, gs, &mut tm),
                                Operand::Num(v) if depth == 1 => {
                                    let d = -v / 1000.0 * gs.size;
                                    let t = if font.vertical {
                                        [1.0, 0.0, 0.0, 1.0, 0.0, d]
                                    } else {
                                        [1.0, 0.0, 0.0, 1.0, d * gs.hscale, 0.0]
                                    };
                                    tm = mul(&t, &tm);
                                }
                                _ => {}
                            }
                        }
                    } else if let Some(&Operand::Str(s, e)) =
                        lx.operands.iter().rev().find(|o| matches!(o, Operand::Str(..)))
                    {
                        self.show(lx.bytes_of(s, e), &font, gs, &mut tm);
                    }
                }
                b"Do" => {
                    if let Some(name) = lx.first_name() {
                        self.form(resources, name, gs)?;
                    }
                }
                b"BMC" if marked.len() < MAX_GSTATE_DEPTH => marked.push(None),
                b"BDC" if marked.len() < MAX_GSTATE_DEPTH => {
                    let actual = self.actual_text(&lx, resources);
                    marked.push(actual.map(|t| (t, self.out.glyphs.len())));
                }
                b"EMC" => {
                    if let Some(Some((text, first))) = marked.pop() {
                        self.replace_glyphs(first, text);
                    }
                }
                _ => {}
            }
        }
        if lx.skipped > 0 && self.out.damaged.is_none() {
            self.out.damaged = Some(format!(
                "{} byte(s) of a content stream are not content-stream syntax and were skipped",
                lx.skipped
            ));
        }
        Ok(())
    }

    /// A `BDC`'s ActualText: in the properties written inline, or in the
    /// resources' `/Properties` under the name given.
    fn actual_text(&self, lx: &Lexer, resources: Option<&Dictionary>) -> Option<String> {
        if let Some(&Operand::Dict(s, e)) = lx.operands.iter().find(|o| matches!(o, Operand::Dict(..))) {
            return content::dict_string(lx.raw(s, e), b"ActualText").map(|b| objects::text_bytes(&b));
        }
        // `/Tag /Name BDC`: the properties are the resources' /Properties /Name.
        let mut names = lx.operands.iter().filter_map(|o| match *o {
            Operand::Name(s, e) => Some(lx.bytes_of(s, e)),
            _ => None,
        });
        let props = names.nth(1)?;
        let dict = resources
            .and_then(|r| objects::dict(self.doc, r, b"Properties"))
            .and_then(|p| objects::dict(self.doc, p, props))?;
        match objects::get(self.doc, dict, b"ActualText") {
            Some(Object::String(b, _)) => Some(objects::text_bytes(b)),
            _ => None,
        }
    }

    /// The glyphs drawn since `first` stand for `text` (ActualText): one
    /// glyph with that text over their boxes (none if the text is empty:
    /// what they draw is not text).
    fn replace_glyphs(&mut self, first: usize, text: String) {
        let glyphs = &mut self.out.glyphs;
        if first >= glyphs.len() {
            return;
        }
        let mut g = glyphs[first].clone();
        for o in &glyphs[first + 1..] {
            g.bbox = [
                g.bbox[0].min(o.bbox[0]),
                g.bbox[1].min(o.bbox[1]),
                g.bbox[2].max(o.bbox[2]),
                g.bbox[3].max(o.bbox[3]),
            ];
        }
        glyphs.truncate(first);
        if !text.is_empty() {
            g.text = text;
            glyphs.push(g);
        }
    }

    fn colour_space_components(&self, resources: Option<&Dictionary>, name: Option<&[u8]>) -> usize {
        let Some(n) = name else {
            return 1;
        };
        match n {
            b"DeviceGray" | b"CalGray" | b"G" => return 1,
            b"DeviceRGB" | b"CalRGB" | b"RGB" => return 3,
            b"DeviceCMYK" | b"CMYK" => return 4,
            b"Pattern" => return 0,
            _ => {}
        }
        let cs = resources
            .and_then(|r| objects::dict(self.doc, r, b"ColorSpace"))
            .and_then(|d| objects::get(self.doc, d, n));
        if let Some(Object::Array(a)) = cs {
            let family = a.first().map(|o| objects::resolve(self.doc, o));
            match family {
                Some(Object::Name(f)) if f == b"ICCBased" => {
                    if let Some(Object::Stream(s)) = a.get(1).map(|o| objects::resolve(self.doc, o)) {
                        return objects::num(self.doc, &s.dict, b"N").unwrap_or(3.0) as usize;
                    }
                }
                Some(Object::Name(f)) if f == b"CalRGB" || f == b"Lab" => return 3,
                Some(Object::Name(f)) if f == b"CalGray" || f == b"Separation" || f == b"Indexed" => {
                    return 1;
                }
                _ => {}
            }
        }
        3
    }

    fn font(&mut self, resources: Option<&Dictionary>, name: &[u8]) -> Result<Rc<Font>, Stop> {
        let fonts = resources.and_then(|r| objects::dict(self.doc, r, b"Font"));
        let entry = fonts.and_then(|f| f.get(name).ok());
        let id = match entry {
            Some(Object::Reference(id)) => Some(*id),
            _ => None,
        };
        if let Some(id) = id
            && let Some(f) = self.fonts.by_id.get(&id)
        {
            return Ok(f.clone());
        }
        let dict = entry.map(|o| objects::resolve(self.doc, o)).and_then(|o| match o {
            Object::Dictionary(d) => Some(d),
            _ => None,
        });
        let font = match dict {
            Some(d) => match Font::load(self.doc, d, &mut self.budget.streams) {
                Ok(f) => f,
                Err(StreamError::TooLarge { limit }) => return Err(Stop::TooLarge { limit }),
                Err(StreamError::Corrupt(_)) => Font::fallback(&String::from_utf8_lossy(name)),
            },
            None => Font::fallback(&String::from_utf8_lossy(name)),
        };
        let font = Rc::new(font);
        if let Some(id) = id {
            self.fonts.by_id.insert(id, font.clone());
        }
        Ok(font)
    }

    fn show(&mut self, bytes: &[u8], font: &Font, gs: &GState, tm: &mut Matrix) {
        let mut rest = bytes;
        while !rest.is_empty() {
            let g = font.next(rest);
            let n = (g.code.len as usize).clamp(1, rest.len());
            rest = &rest[n..];
            let trm = mul(
                &mul(&[gs.size * gs.hscale, 0.0, 0.0, gs.size, 0.0, gs.rise], tm),
                &gs.ctm,
            );
            let spacing = gs.char_spacing
                + if font.is_word_space(g.code) {
                    gs.word_spacing
                } else {
                    0.0
                };
            let (corners, advance): ([(f64, f64); 4], Matrix) = if font.vertical {
                let half = g.width / 2.0;
                let top = -font.v_y / 1000.0 + font.ascent;
                let bottom = -font.v_y / 1000.0 + font.descent;
                let ty = font.w1 / 1000.0 * gs.size + spacing;
                (
                    [(-half, bottom), (half, bottom), (half, top), (-half, top)],
                    [1.0, 0.0, 0.0, 1.0, 0.0, ty],
                )
            } else {
                let tx = (g.width * gs.size + spacing) * gs.hscale;
                (
                    [
                        (0.0, font.descent),
                        (g.width, font.descent),
                        (g.width, font.ascent),
                        (0.0, font.ascent),
                    ],
                    [1.0, 0.0, 0.0, 1.0, tx, 0.0],
                )
            };
            if self.budget.glyphs_left == 0 {
                self.out.truncated = true;
                *tm = mul(&advance, tm);
                continue;
            }
            let pts = corners.map(|(x, y)| apply(&trm, x, y));
            let bbox = [
                pts.iter().map(|p| p.0).fold(f64::INFINITY, f64::min),
                pts.iter().map(|p| p.1).fold(f64::INFINITY, f64::min),
                pts.iter().map(|p| p.0).fold(f64::NEG_INFINITY, f64::max),
                pts.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max),
            ];
            // Writing direction and em size in user space.
            let (dx, dy) = if font.vertical {
                (-trm[2], -trm[3])
            } else {
                (trm[0], trm[1])
            };
            let len = (dx * dx + dy * dy).sqrt();
            let size = (trm[2] * trm[2] + trm[3] * trm[3]).sqrt();
            let text = match font.unicode(g.code) {
                Some(t) => t,
                None => {
                    *self.unmapped.entry(font.name.clone()).or_insert(0) += 1;
                    "\u{FFFD}".to_string()
                }
            };
            let (cx, cy) = ((bbox[0] + bbox[2]) / 2.0, (bbox[1] + bbox[3]) / 2.0);
            let within = |b: &[f64; 4]| b[0] - 1.0 <= cx && cx <= b[2] + 1.0 && b[1] - 1.0 <= cy && cy <= b[3] + 1.0;
            if bbox.iter().all(|v| v.is_finite()) && len > 1e-9 {
                self.budget.glyphs_left -= 1;
                let glyph = Glyph {
                    text,
                    bbox,
                    size,
                    dir: (dx / len, dy / len),
                    color: gs.fill,
                    seq: self.seq,
                };
                if !within(&self.page) {
                    self.out.hidden.push((glyph, Hidden::OffPage));
                } else if !within(&gs.clip) {
                    self.out.hidden.push((glyph, Hidden::Clipped));
                } else {
                    let shown = shown_share(&glyph.bbox, &gs.clip, &self.page);
                    if shown < 0.98 {
                        self.out.partial.push((self.out.glyphs.len(), shown));
                    }
                    self.out.glyphs.push(glyph);
                }
                self.seq = self.seq.wrapping_add(1);
            }
            *tm = mul(&advance, tm);
        }
    }

    fn form(&mut self, resources: Option<&Dictionary>, name: &[u8], gs: &GState) -> Result<(), Stop> {
        let Some(Object::Reference(id)) = resources
            .and_then(|r| objects::dict(self.doc, r, b"XObject"))
            .and_then(|x| x.get(name).ok())
        else {
            return Ok(());
        };
        let Ok(Object::Stream(s)) = self.doc.get_object(*id) else {
            return Ok(());
        };
        if objects::name(self.doc, &s.dict, b"Subtype") != Some(b"Form") {
            return Ok(());
        }
        if self.forms.len() >= MAX_FORM_DEPTH || self.forms.contains(id) {
            return Ok(());
        }
        let data = match self.budget.streams.decode(s) {
            Ok(d) => d,
            Err(StreamError::TooLarge { limit }) => return Err(Stop::TooLarge { limit }),
            Err(StreamError::Corrupt(_)) => return Ok(()),
        };
        let mut inner = gs.clone();
        if let Some(m) = objects::array(self.doc, &s.dict, b"Matrix") {
            let m = objects::numbers(self.doc, m);
            if m.len() == 6 {
                inner.ctm = mul(&[m[0], m[1], m[2], m[3], m[4], m[5]], &inner.ctm);
            }
        }
        if let Some(b) = objects::array(self.doc, &s.dict, b"BBox") {
            let b = objects::numbers(self.doc, b);
            if b.len() == 4 {
                let mut p = Path::default();
                p.rect([
                    apply(&inner.ctm, b[0], b[1]),
                    apply(&inner.ctm, b[2], b[1]),
                    apply(&inner.ctm, b[2], b[3]),
                    apply(&inner.ctm, b[0], b[3]),
                ]);
                p.clip(&mut inner.clip, true);
            }
        }
        let res = objects::dict(self.doc, &s.dict, b"Resources").or(resources);
        self.forms.push(*id);
        let r = self.run(&data, res, &mut inner);
        self.forms.pop();
        r
    }
}

fn line_width_in_user_space(ctm: &Matrix, w: f64) -> f64 {
    let scale = ((ctm[0] * ctm[3] - ctm[1] * ctm[2]).abs()).sqrt();
    (w * scale).max(0.0)
}

fn gray(n: &[f64]) -> Rgb {
    let g = n.first().copied().unwrap_or(0.0).clamp(0.0, 1.0) as f32;
    [g, g, g]
}

fn rgb(n: &[f64]) -> Rgb {
    if n.len() < 3 {
        return gray(n);
    }
    [
        n[0].clamp(0.0, 1.0) as f32,
        n[1].clamp(0.0, 1.0) as f32,
        n[2].clamp(0.0, 1.0) as f32,
    ]
}

fn cmyk(n: &[f64]) -> Rgb {
    if n.len() < 4 {
        return gray(n);
    }
    let k = n[3].clamp(0.0, 1.0);
    let f = |c: f64| ((1.0 - c.clamp(0.0, 1.0)) * (1.0 - k)) as f32;
    [f(n[0]), f(n[1]), f(n[2])]
}

fn by_count(n: &[f64], count: usize) -> Rgb {
    match count {
        0 => [0.0; 3],
        1 => gray(n),
        4 => cmyk(n),
        _ => rgb(n),
    }
}

/// The share of a box inside both the clip and the page.
fn shown_share(b: &[f64; 4], clip: &[f64; 4], page: &[f64; 4]) -> f64 {
    let area = (b[2] - b[0]) * (b[3] - b[1]);
    if area <= 0.0 {
        return 1.0;
    }
    let w = (b[2].min(clip[2]).min(page[2]) - b[0].max(clip[0]).max(page[0])).max(0.0);
    let h = (b[3].min(clip[3]).min(page[3]) - b[1].max(clip[1]).max(page[1])).max(0.0);
    (w * h / area).clamp(0.0, 1.0)
}

/// Whether a segment is (at least partly) inside the clip box.
fn inside(clip: &[f64; 4], a: (f64, f64), b: (f64, f64)) -> bool {
    const T: f64 = 1.0;
    a.0.max(b.0) >= clip[0] - T
        && a.0.min(b.0) <= clip[2] + T
        && a.1.max(b.1) >= clip[1] - T
        && a.1.min(b.1) <= clip[3] + T
}

/// The path being built, in user space.
#[derive(Default)]
struct Path {
    subpaths: Vec<Vec<(f64, f64)>>,
    /// Whether each subpath is closed.
    closed: Vec<bool>,
    /// Subpaths with a curve are not drawn as segments.
    curved: Vec<bool>,
}

const MAX_PATH_POINTS: usize = 100_000;

/// Segments kept per page: far more than any table's borders, few enough
/// that a page of millions of strokes costs bounded memory.
pub const MAX_SEGMENTS: usize = 200_000;

impl Path {
    fn points(&self) -> usize {
        self.subpaths.iter().map(Vec::len).sum()
    }

    fn move_to(&mut self, p: (f64, f64)) {
        if self.points() >= MAX_PATH_POINTS {
            return;
        }
        self.subpaths.push(vec![p]);
        self.closed.push(false);
        self.curved.push(false);
    }

    fn line_to(&mut self, p: (f64, f64)) {
        if self.points() >= MAX_PATH_POINTS {
            return;
        }
        match self.subpaths.last_mut() {
            Some(sp) => sp.push(p),
            None => self.move_to(p),
        }
    }

    fn curve_to(&mut self, p: (f64, f64)) {
        self.line_to(p);
        if let Some(c) = self.curved.last_mut() {
            *c = true;
        }
    }

    fn close(&mut self) {
        if let Some(c) = self.closed.last_mut() {
            *c = true;
        }
    }

    fn rect(&mut self, pts: [(f64, f64); 4]) {
        if self.points() >= MAX_PATH_POINTS {
            return;
        }
        self.subpaths.push(pts.to_vec());
        self.closed.push(true);
        self.curved.push(false);
    }

    /// Intersect the clip box with this path's box (after `W n`).
    fn clip(&self, clip: &mut [f64; 4], pending: bool) {
        if !pending {
            return;
        }
        let pts = self.subpaths.iter().flatten();
        let mut b = [f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY];
        for p in pts {
            b = [b[0].min(p.0), b[1].min(p.1), b[2].max(p.0), b[3].max(p.1)];
        }
        if b[0] > b[2] {
            return;
        }
        *clip = [
            clip[0].max(b[0]),
            clip[1].max(b[1]),
            clip[2].min(b[2]),
            clip[3].min(b[3]),
        ];
    }

    fn stroke(&self, color: Rgb, width: f64, clip: &[f64; 4], out: &mut Vec<Segment>) {
        if out.len() >= MAX_SEGMENTS {
            return;
        }
        for (i, sp) in self.subpaths.iter().enumerate() {
            if self.curved[i] {
                continue;
            }
            let mut pts = sp.clone();
            if self.closed[i] && pts.len() > 2 {
                pts.push(pts[0]);
            }
            for w in pts.windows(2) {
                let (a, b) = (w[0], w[1]);
                if (a.0 - b.0).abs() + (a.1 - b.1).abs() > 1e-6 && inside(clip, a, b) {
                    out.push(Segment {
                        x0: a.0,
                        y0: a.1,
                        x1: b.0,
                        y1: b.1,
                        width,
                        color,
                    });
                }
            }
        }
    }

    /// A filled axis-aligned rectangle at most 2.5 pt thin is a line: the
    /// segment along its middle, as wide as the rectangle is thin.
    fn fill_thin(&self, color: Rgb, clip: &[f64; 4], out: &mut Vec<Segment>) {
        if out.len() >= MAX_SEGMENTS {
            return;
        }
        for (i, sp) in self.subpaths.iter().enumerate() {
            if self.curved[i] || !(4..=5).contains(&sp.len()) {
                continue;
            }
            let xs: Vec<f64> = sp.iter().map(|p| p.0).collect();
            let ys: Vec<f64> = sp.iter().map(|p| p.1).collect();
            let (x0, x1) = (
                xs.iter().copied().fold(f64::INFINITY, f64::min),
                xs.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            );
            let (y0, y1) = (
                ys.iter().copied().fold(f64::INFINITY, f64::min),
                ys.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            );
            // Axis-aligned: every point on the box's edges.
            let on_edge = sp.iter().all(|p| {
                ((p.0 - x0).abs() < 0.01 || (p.0 - x1).abs() < 0.01)
                    && ((p.1 - y0).abs() < 0.01 || (p.1 - y1).abs() < 0.01)
            });
            if !on_edge {
                continue;
            }
            if !inside(clip, (x0, y0), (x1, y1)) {
                continue;
            }
            let (w, h) = (x1 - x0, y1 - y0);
            const THIN: f64 = 2.5;
            if h <= THIN && w > h {
                let y = (y0 + y1) / 2.0;
                out.push(Segment {
                    x0,
                    y0: y,
                    x1,
                    y1: y,
                    width: h,
                    color,
                });
            } else if w <= THIN && h > w {
                let x = (x0 + x1) / 2.0;
                out.push(Segment {
                    x0: x,
                    y0,
                    x1: x,
                    y1,
                    width: w,
                    color,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrix_order() {
        // Translate then scale.
        let m = mul(&[1.0, 0.0, 0.0, 1.0, 10.0, 0.0], &[2.0, 0.0, 0.0, 2.0, 0.0, 0.0]);
        assert_eq!(apply(&m, 1.0, 1.0), (22.0, 2.0));
    }

    #[test]
    fn thin_filled_rect_is_a_segment() {
        let mut p = Path::default();
        p.rect([(10.0, 100.0), (200.0, 100.0), (200.0, 100.75), (10.0, 100.75)]);
        let mut out = Vec::new();
        p.fill_thin(
            [0.0; 3],
            &[f64::NEG_INFINITY, f64::NEG_INFINITY, f64::INFINITY, f64::INFINITY],
            &mut out,
        );
        assert_eq!(out.len(), 1);
        assert!((out[0].y0 - 100.375).abs() < 1e-9 && out[0].x0 == 10.0 && out[0].x1 == 200.0);
        // A cell's background is not.
        let mut p = Path::default();
        p.rect([(10.0, 100.0), (200.0, 100.0), (200.0, 120.0), (10.0, 120.0)]);
        let mut out = Vec::new();
        p.fill_thin(
            [0.0; 3],
            &[f64::NEG_INFINITY, f64::NEG_INFINITY, f64::INFINITY, f64::INFINITY],
            &mut out,
        );
        assert!(out.is_empty());
    }
}
