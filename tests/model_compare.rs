//! The model comparison helper (tests/common/compare.rs) itself.

mod common;

use common::compare::model_differences;
use serde_json::json;

#[test]
fn items_matched_by_id() {
    let a = json!({"issues": [{"id": "1-1", "t": "x"}, {"id": "1-2", "t": "y"}]});
    let b = json!({"issues": [{"id": "1-2", "t": "y"}]});
    let d = model_differences(&a, &b);
    assert_eq!(d.len(), 2, "{d:?}");
    assert!(d[0].starts_with(".issues[1-1]: "), "{d:?}");
}

#[test]
fn white_space_and_provenance_ignored() {
    let a = json!({"t": "26年度 10地域", "at": {"line": 3}, "warnings": [1]});
    let b = json!({"t": "26年度10地域", "at": {"page": 1}});
    assert!(model_differences(&a, &b).is_empty());
    assert_eq!(model_differences(&json!({"t": "a"}), &json!({"t": "b"})).len(), 1);
}
