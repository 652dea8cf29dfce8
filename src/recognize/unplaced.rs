//! Text the recogniser could not place under any label of the forms: a
//! block no form has (`【参考資料】…`), a row of a form generation it does
//! not fully know, text before the first label.
//!
//! Nothing is lost silently: every such piece is reported whole, with
//! where it stands, through [`unplaced_text`] — the one channel the
//! grammars use — as a warning `unplaced_text`. (The model's own list of
//! unplaced text, where it exists, is filled from the same calls.)

use crate::model::{Location, Warning};

/// The warning for one piece of text no label claims, carrying the text
/// whole.
pub(crate) fn unplaced_text(text: &str, at: &Location) -> Warning {
    Warning::new(
        "unplaced_text",
        format!("text under no label: {}", text.trim()),
        at.clone(),
    )
}
