//! Canonical JSON: the model's field order, two-space indentation, a final
//! newline, whole numbers without a fraction. Same model, same bytes.

use crate::model::Document;

pub fn document_to_string(doc: &Document) -> String {
    to_string(doc)
}

pub fn to_string<T: serde::Serialize>(v: &T) -> String {
    // Serialising plain data (strings, numbers, vectors) cannot fail.
    serde_json::to_string_pretty(v).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}
