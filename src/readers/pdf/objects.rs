//! Small helpers over lopdf's objects: following references (a bounded
//! number of times, so a reference cycle is a miss, not a hang), reading
//! numbers and names, and decoding streams within the limits.

use crate::limits::Limits;
use lopdf::{Dictionary, Document, Object, Stream};

/// Follow references from `o` to a direct object (at most 16 hops).
pub fn resolve<'a>(doc: &'a Document, mut o: &'a Object) -> &'a Object {
    for _ in 0..16 {
        match o {
            Object::Reference(id) => match doc.objects.get(id) {
                Some(next) => o = next,
                None => return &Object::Null,
            },
            _ => return o,
        }
    }
    &Object::Null
}

pub fn get<'a>(doc: &'a Document, d: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    d.get(key)
        .ok()
        .map(|o| resolve(doc, o))
        .filter(|o| !matches!(o, Object::Null))
}

pub fn dict<'a>(doc: &'a Document, d: &'a Dictionary, key: &[u8]) -> Option<&'a Dictionary> {
    match get(doc, d, key)? {
        Object::Dictionary(x) => Some(x),
        Object::Stream(s) => Some(&s.dict),
        _ => None,
    }
}

pub fn array<'a>(doc: &'a Document, d: &'a Dictionary, key: &[u8]) -> Option<&'a Vec<Object>> {
    match get(doc, d, key)? {
        Object::Array(a) => Some(a),
        _ => None,
    }
}

pub fn name<'a>(doc: &'a Document, d: &'a Dictionary, key: &[u8]) -> Option<&'a [u8]> {
    match get(doc, d, key)? {
        Object::Name(n) => Some(n),
        _ => None,
    }
}

pub fn number(doc: &Document, o: &Object) -> Option<f64> {
    match resolve(doc, o) {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) => Some(*r as f64).filter(|v| v.is_finite()),
        _ => None,
    }
}

pub fn num(doc: &Document, d: &Dictionary, key: &[u8]) -> Option<f64> {
    number(doc, d.get(key).ok()?)
}

/// Numbers of an array (non-numbers skipped).
pub fn numbers(doc: &Document, a: &[Object]) -> Vec<f64> {
    a.iter().filter_map(|o| number(doc, o)).collect()
}

/// A PDF text string (`/Title`, `/Producer`) as Rust text: UTF-16BE with a
/// byte-order mark, UTF-8 with one, else PDFDocEncoding (Latin-1 here).
pub fn text_string(o: &Object) -> Option<String> {
    let Object::String(b, _) = o else { return None };
    let s = text_bytes(b);
    let s = s.trim_matches(char::from(0)).trim().to_string();
    (!s.is_empty()).then_some(s)
}

/// The bytes of a text string as text (see [`text_string`]).
pub fn text_bytes(b: &[u8]) -> String {
    if let Some(rest) = b.strip_prefix(&[0xFE, 0xFF]) {
        let units = rest
            .chunks(2)
            .filter(|c| c.len() == 2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]));
        char::decode_utf16(units).map(|r| r.unwrap_or('\u{FFFD}')).collect()
    } else if let Some(rest) = b.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        String::from_utf8_lossy(rest).into_owned()
    } else {
        b.iter().map(|&c| c as char).collect()
    }
}

/// Why a stream could not be decoded.
#[derive(Debug)]
pub enum StreamError {
    /// Past `Limits::max_stream_bytes` or the per-file total: fatal.
    TooLarge { limit: Limit },
    /// A damaged stream that gave nothing: skipped with a warning.
    Corrupt(String),
}

/// A decompression limit that was reached: which one, and its figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// `--max-stream-bytes`: one stream.
    Stream(u64),
    /// `--max-total-decompressed`: all of a file's streams.
    Total(u64),
}

impl std::fmt::Display for Limit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Limit::Stream(n) => write!(f, "a stream decompresses past {n} bytes (--max-stream-bytes)"),
            Limit::Total(n) => write!(
                f,
                "the file's streams decompress past {n} bytes in all (--max-total-decompressed)"
            ),
        }
    }
}

/// A decoded stream, and what was wrong with it if it is damaged (then
/// the data is what could be decoded before the damage).
pub struct Decoded {
    pub data: Vec<u8>,
    pub damage: Option<String>,
}

/// Decodes streams, charging every decoded byte to the file's budget.
pub struct Streams<'l> {
    limits: &'l Limits,
    total: u64,
}

impl<'l> Streams<'l> {
    pub fn new(limits: &'l Limits) -> Streams<'l> {
        Streams { limits, total: 0 }
    }

    /// Decode a stream, failing on damage.
    pub fn decode(&mut self, s: &Stream) -> Result<Vec<u8>, StreamError> {
        let d = self.decode_lenient(s)?;
        match d.damage {
            Some(e) => Err(StreamError::Corrupt(e)),
            None => Ok(d.data),
        }
    }

    /// Decode a stream, keeping what decodes before any damage. lopdf keeps
    /// a damaged Flate stream's partial output without saying so; plain
    /// Flate streams (content streams nearly always are) are inflated here
    /// with flate2 to know.
    pub fn decode_lenient(&mut self, s: &Stream) -> Result<Decoded, StreamError> {
        let remaining = self.limits.max_total_decompressed.saturating_sub(self.total);
        let limit = self.limits.max_stream_bytes.min(remaining);
        // The limit that binds, as the user set it (not what remains of it).
        let reached = if remaining < self.limits.max_stream_bytes {
            Limit::Total(self.limits.max_total_decompressed)
        } else {
            Limit::Stream(self.limits.max_stream_bytes)
        };
        let flate_only =
            matches!(s.filters().as_deref(), Ok([b"FlateDecode"] | [b"Fl"])) && !s.dict.has(b"DecodeParms");
        let decoded = if flate_only {
            inflate(&s.content, limit).map_err(|e| match e {
                StreamError::TooLarge { .. } => StreamError::TooLarge { limit: reached },
                e => e,
            })?
        } else {
            match s.get_plain_content_with_limit(limit.min(usize::MAX as u64) as usize) {
                Ok(data) => Decoded { data, damage: None },
                Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { .. })) => {
                    return Err(StreamError::TooLarge { limit: reached });
                }
                Err(e) => return Err(StreamError::Corrupt(e.to_string())),
            }
        };
        self.total += decoded.data.len() as u64;
        Ok(decoded)
    }
}

/// Inflate zlib data, at most `limit` bytes; on damage keep what came out.
fn inflate(input: &[u8], limit: u64) -> Result<Decoded, StreamError> {
    use std::io::Read;
    let mut out: Vec<u8> = Vec::with_capacity((input.len() * 4).min(limit as usize).min(1 << 24));
    let mut z = flate2::read::ZlibDecoder::new(input);
    let mut buf = [0u8; 16 * 1024];
    loop {
        match z.read(&mut buf) {
            Ok(0) => {
                return Ok(Decoded {
                    data: out,
                    damage: None,
                });
            }
            Ok(n) => {
                if out.len() as u64 + n as u64 > limit {
                    return Err(StreamError::TooLarge {
                        limit: Limit::Stream(limit),
                    });
                }
                out.extend_from_slice(&buf[..n]);
            }
            Err(e) => {
                let damage = format!("bad compressed data after {} bytes ({e})", out.len());
                if out.is_empty() {
                    return Err(StreamError::Corrupt(damage));
                }
                return Ok(Decoded {
                    data: out,
                    damage: Some(damage),
                });
            }
        }
    }
}
