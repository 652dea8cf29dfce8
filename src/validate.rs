//! Checking JSON files against the project's schemas (`schemas/`), which
//! are compiled into the binary so `yoshiki validate` works anywhere.
//! The schema is chosen by the file's own `schema` field.

use serde_json::Value;
use std::sync::LazyLock;

pub const DOCUMENT: &str = include_str!("../schemas/document.schema.json");
pub const WARD_YEAR: &str = include_str!("../schemas/ward-year.schema.json");
pub const MANIFEST: &str = include_str!("../schemas/manifest.schema.json");

/// One violation: where in the file (a JSON Pointer) and what is wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    pub path: String,
    pub message: String,
}

/// Why a file could not be checked at all.
#[derive(Debug, thiserror::Error)]
pub enum ValidateError {
    #[error("cannot read: {0}")]
    Io(#[from] std::io::Error),
    #[error("not JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("unknown schema {0:?}: expected yoshiki/document/2, yoshiki/ward-year/2 or yoshiki/manifest/1")]
    UnknownSchema(String),
}

struct Validators {
    document: jsonschema::Validator,
    ward_year: jsonschema::Validator,
    manifest: jsonschema::Validator,
}

fn parse(s: &str) -> Value {
    // The schemas are this crate's own files, checked by its tests.
    serde_json::from_str(s).unwrap_or(Value::Bool(false))
}

static VALIDATORS: LazyLock<Result<Validators, String>> = LazyLock::new(|| {
    let document = parse(DOCUMENT);
    let id = document["$id"].as_str().unwrap_or("document.schema.json").to_string();
    let registry = jsonschema::Registry::new()
        .add(id, document.clone())
        .map_err(|e| e.to_string())?
        .prepare()
        .map_err(|e| e.to_string())?;
    let build = |v: &Value| {
        jsonschema::options()
            .with_registry(&registry)
            .build(v)
            .map_err(|e| e.to_string())
    };
    Ok(Validators {
        document: build(&document)?,
        ward_year: build(&parse(WARD_YEAR))?,
        manifest: build(&parse(MANIFEST))?,
    })
});

/// Check a parsed value; the schema is named by its `schema` field.
pub fn validate_value(v: &Value) -> Result<Vec<Violation>, ValidateError> {
    let name = v.get("schema").and_then(Value::as_str).unwrap_or("").to_string();
    let vs = VALIDATORS
        .as_ref()
        .map_err(|e| ValidateError::UnknownSchema(format!("schemas do not compile: {e}")))?;
    let validator = match name.as_str() {
        crate::model::DOCUMENT_SCHEMA => &vs.document,
        crate::view::WARD_YEAR_SCHEMA => &vs.ward_year,
        crate::batch::manifest::MANIFEST_SCHEMA => &vs.manifest,
        _ => return Err(ValidateError::UnknownSchema(name)),
    };
    let mut out: Vec<Violation> = validator
        .iter_errors(v)
        .map(|e| Violation {
            path: {
                let p = e.instance_path().to_string();
                if p.is_empty() { "/".to_string() } else { p }
            },
            message: e.to_string(),
        })
        .collect();
    out.sort_by(|a, b| a.path.cmp(&b.path).then(a.message.cmp(&b.message)));
    Ok(out)
}

pub fn validate_file(path: &std::path::Path) -> Result<Vec<Violation>, ValidateError> {
    let bytes = std::fs::read(path)?;
    let v: Value = serde_json::from_slice(&bytes)?;
    validate_value(&v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schemas_compile() {
        assert!(VALIDATORS.is_ok(), "{:?}", VALIDATORS.as_ref().err());
    }

    #[test]
    fn unknown_schema_is_an_error() {
        let v: Value = serde_json::json!({"schema": "other/1"});
        assert!(matches!(validate_value(&v), Err(ValidateError::UnknownSchema(_))));
    }

    #[test]
    fn violations_name_their_json_path() {
        let v: Value = serde_json::json!({"schema": crate::model::DOCUMENT_SCHEMA, "kind": "nope"});
        let errs = validate_value(&v).unwrap();
        assert!(errs.iter().any(|e| e.path == "/kind"), "{errs:?}");
        assert!(
            errs.iter().any(|e| e.path == "/" && e.message.contains("source")),
            "{errs:?}"
        );
    }
}
