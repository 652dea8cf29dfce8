//! Placeholder.
use super::Parts;

pub fn build<T>(_x: &[T], _doc_year: Option<i32>) -> Parts {
    Parts::default()
}
