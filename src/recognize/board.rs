//! Which label a piece of text belongs to.
//!
//! In a table, a text cell belongs to the most recent label whose column is
//! at or left of its own (a label heads the cells to its right and the
//! cells below it); if no label stands left of it, to the most recent
//! label. In running text (lines) it belongs to the most recent label.
//! A label that takes one value (a budget cell) is used up by it.

use super::tokens::Tok;

#[derive(Debug, Clone)]
struct Active<F> {
    field: F,
    col: u32,
    seq: usize,
    single: bool,
}

#[derive(Debug)]
pub struct Board<F> {
    actives: Vec<Active<F>>,
    seq: usize,
}

impl<F: Clone + PartialEq> Default for Board<F> {
    fn default() -> Self {
        Board {
            actives: Vec::new(),
            seq: 0,
        }
    }
}

impl<F: Clone + PartialEq> Board<F> {
    /// Forget every label (a new block starts).
    pub fn clear(&mut self) {
        self.actives.clear();
    }

    /// A label for `field` at column `col`; `single` if it takes one value.
    pub fn activate(&mut self, field: F, col: u32, single: bool) {
        self.seq += 1;
        self.actives.retain(|a| !(a.field == field && a.col == col));
        self.actives.push(Active {
            field,
            col,
            seq: self.seq,
            single,
        });
    }

    /// Whether a label for `field` is open.
    pub fn is_active(&self, field: &F) -> bool {
        self.actives.iter().any(|a| &a.field == field)
    }

    /// The field a text token belongs to, if any label is active.
    pub fn resolve(&mut self, tok: &Tok) -> Option<F> {
        let pick = |a: &&Active<F>| a.seq;
        let chosen = if tok.line {
            self.actives.iter().max_by_key(pick)
        } else {
            self.actives
                .iter()
                .filter(|a| a.col <= tok.col)
                .max_by_key(pick)
                .or_else(|| self.actives.iter().max_by_key(pick))
        }?;
        let (field, seq, single) = (chosen.field.clone(), chosen.seq, chosen.single);
        if single {
            self.actives.retain(|a| a.seq != seq);
        }
        Some(field)
    }
}
