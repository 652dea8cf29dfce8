//! JSON with its objects' keys in their written order.
//!
//! `serde_json::Value` sorts keys (the crate is built without
//! `preserve_order`, and turning that on would change every other user of
//! `Value` in the program); a report shows a Document and a ward-year as
//! the model orders them (goal before issues, title before budgets), so it
//! reads JSON into this instead.

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

#[derive(Debug, Clone, PartialEq)]
pub enum J {
    Null,
    Bool(bool),
    Num(serde_json::Number),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

static NULL: J = J::Null;

impl J {
    /// A model value as ordered JSON (the model's field order).
    pub fn of<T: Serialize>(v: &T) -> J {
        serde_json::to_string(v)
            .ok()
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or(J::Null)
    }

    /// An object's member (`Null` when absent or not an object).
    pub fn get(&self, key: &str) -> &J {
        match self {
            J::Obj(m) => m.iter().find(|(k, _)| k == key).map_or(&NULL, |(_, v)| v),
            _ => &NULL,
        }
    }

    pub fn has(&self, key: &str) -> bool {
        matches!(self, J::Obj(m) if m.iter().any(|(k, _)| k == key))
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            J::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self {
            J::Num(n) => n.as_i64(),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self {
            J::Num(n) => n.as_f64(),
            _ => None,
        }
    }

    pub fn items(&self) -> &[J] {
        match self {
            J::Arr(v) => v,
            _ => &[],
        }
    }

    pub fn members(&self) -> &[(String, J)] {
        match self {
            J::Obj(m) => m,
            _ => &[],
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, J::Null)
    }

    /// A string, or a number or boolean written out; `None` for the rest.
    pub fn scalar(&self) -> Option<String> {
        match self {
            J::Str(s) => Some(s.clone()),
            J::Num(n) => Some(n.to_string()),
            J::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// Indented JSON (for a value's details).
    pub fn pretty(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The value as the typed model (`Location`, …), where it is one.
    pub fn to<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        serde_json::to_string(self)
            .ok()
            .and_then(|s| serde_json::from_str(&s).ok())
    }
}

impl Serialize for J {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            J::Null => s.serialize_unit(),
            J::Bool(b) => s.serialize_bool(*b),
            J::Num(n) => n.serialize(s),
            J::Str(v) => s.serialize_str(v),
            J::Arr(v) => {
                let mut seq = s.serialize_seq(Some(v.len()))?;
                for x in v {
                    seq.serialize_element(x)?;
                }
                seq.end()
            }
            J::Obj(m) => {
                let mut map = s.serialize_map(Some(m.len()))?;
                for (k, v) in m {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

struct JVisitor;

impl<'de> Visitor<'de> for JVisitor {
    type Value = J;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E>(self) -> Result<J, E> {
        Ok(J::Null)
    }
    fn visit_none<E>(self) -> Result<J, E> {
        Ok(J::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<J, D::Error> {
        J::deserialize(d)
    }
    fn visit_bool<E>(self, v: bool) -> Result<J, E> {
        Ok(J::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<J, E> {
        Ok(J::Num(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<J, E> {
        Ok(J::Num(v.into()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<J, E> {
        Ok(serde_json::Number::from_f64(v).map_or(J::Null, J::Num))
    }
    fn visit_str<E>(self, v: &str) -> Result<J, E> {
        Ok(J::Str(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<J, E> {
        Ok(J::Str(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<J, A::Error> {
        let mut v = Vec::new();
        while let Some(x) = a.next_element()? {
            v.push(x);
        }
        Ok(J::Arr(v))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<J, A::Error> {
        let mut m = Vec::new();
        while let Some((k, v)) = a.next_entry::<String, J>()? {
            m.push((k, v));
        }
        Ok(J::Obj(m))
    }
}

impl<'de> Deserialize<'de> for J {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<J, D::Error> {
        d.deserialize_any(JVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_key_order() {
        let j: J = serde_json::from_str(r#"{"z":1,"a":[true,null,"x"],"m":{"b":2.5,"a":-1}}"#).unwrap();
        assert_eq!(
            serde_json::to_string(&j).unwrap(),
            r#"{"z":1,"a":[true,null,"x"],"m":{"b":2.5,"a":-1}}"#
        );
        assert_eq!(j.get("m").get("a").as_i64(), Some(-1));
        assert!(j.get("nope").is_null());
    }
}
