//! Quantities and money: the two value types every figure of a form becomes.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Comparator {
    Gte,
    Gt,
    Lte,
    Lt,
    Eq,
}

impl Comparator {
    pub fn as_str(self) -> &'static str {
        match self {
            Comparator::Gte => "gte",
            Comparator::Gt => "gt",
            Comparator::Lte => "lte",
            Comparator::Lt => "lt",
            Comparator::Eq => "eq",
        }
    }
}

/// `{ value, unit, comparator, text }`: `55%以上` → 55, "%", gte.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Quantity {
    #[serde(serialize_with = "number_or_null", deserialize_with = "de_number")]
    pub value: Option<f64>,
    pub unit: Option<String>,
    pub comparator: Option<Comparator>,
    pub text: String,
}

/// Integer yen (`32,550千円` → 32550000); null for a blank or a dash, never 0.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Money {
    pub yen: Option<i64>,
    pub text: String,
}

/// Whole numbers are written without a fraction (`55`, not `55.0`), so the
/// JSON reads as the release does and stays byte-stable.
fn number_or_null<S: Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        None => s.serialize_none(),
        Some(x) if x.fract() == 0.0 && x.abs() < 9.0e15 => s.serialize_i64(*x as i64),
        Some(x) => s.serialize_f64(*x),
    }
}

fn de_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    Option::<f64>::deserialize(d)
}
