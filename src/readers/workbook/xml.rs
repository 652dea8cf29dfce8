//! Small helpers over quick-xml for the parts read here (calamine reads the
//! rest): a reader configured like calamine's, attribute lookup, entity
//! references, and a depth guard.
//!
//! quick-xml streams: nesting costs it nothing, so a deeply nested part
//! cannot overflow a stack. The depth guard is there to fail a hostile part
//! early and clearly (`Limits::max_depth`) instead of walking it.

use super::WorkbookError;
use quick_xml::events::{BytesRef, BytesStart};
use quick_xml::{Reader, XmlVersion};
use std::io::BufRead;

pub fn reader<R: BufRead>(r: R) -> Reader<R> {
    let mut reader = Reader::from_reader(r);
    let config = reader.config_mut();
    config.trim_text(false);
    config.expand_empty_elements = true;
    config.check_end_names = false;
    reader
}

/// An attribute's value by its full name (`r`, `table:name`).
pub fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .and_then(|a| a.normalized_value(XmlVersion::Implicit1_0).ok().map(|v| v.into_owned()))
}

/// An attribute's value by its local name, whatever its prefix (`r:id`).
pub fn attr_local(e: &BytesStart, local: &str) -> Option<String> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .and_then(|a| a.normalized_value(XmlVersion::Implicit1_0).ok().map(|v| v.into_owned()))
}

/// Append what an entity or character reference (`&amp;`, `&#12354;`)
/// stands for.
pub fn push_ref(r: &BytesRef, out: &mut String) {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        out.push(c);
        return;
    }
    let name = r.xml10_content();
    match quick_xml::escape::resolve_predefined_entity(&name) {
        Some(s) => out.push_str(s),
        None => {
            out.push('&');
            out.push_str(&name);
            out.push(';');
        }
    }
}

/// Counts element depth; an error past the limit.
pub struct Depth {
    now: usize,
    max: usize,
    part: &'static str,
}

impl Depth {
    pub fn new(max: usize, part: &'static str) -> Depth {
        Depth { now: 0, max, part }
    }

    pub fn open(&mut self) -> Result<(), WorkbookError> {
        self.now += 1;
        if self.now > self.max {
            return Err(WorkbookError::TooDeep {
                part: self.part,
                limit: self.max,
            });
        }
        Ok(())
    }

    pub fn close(&mut self) {
        self.now = self.now.saturating_sub(1);
    }
}

/// A read error in a part: a part that inflates past its declared size
/// (the zip crate stops it there) is too large, a part that ends early is
/// truncated, anything else is corrupt.
pub fn error(part: &str, e: quick_xml::Error) -> WorkbookError {
    let msg = e.to_string();
    if msg.contains("larger than its declared") {
        WorkbookError::TooLarge(format!(
            "part {part} inflates past the size its directory entry declares"
        ))
    } else if let quick_xml::Error::Io(io) = &e
        && io.kind() == std::io::ErrorKind::UnexpectedEof
    {
        WorkbookError::Truncated(format!("part {part} ends early"))
    } else {
        WorkbookError::Corrupt(format!("{part}: {msg}"))
    }
}
