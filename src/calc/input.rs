//! The JSON input document of `hpskb score`, read exactly as written.
//!
//! serde_json's `Value` turns every number into an `f64` (so `39.40000000000000001`
//! became `39.4` and scored differently from the same digits in a string) and keeps
//! the last of two equal keys. [`parse`] validates the document with serde_json, then
//! walks it as raw text: numbers keep their literal digits and a key given twice in
//! one object is an error.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

/// A JSON value with numbers kept as their literal text and objects in input order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Json {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A number, as written (`39.40000000000000001`, `1e3`).
    Number(String),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Json>),
    /// An object; its keys are distinct.
    Object(Vec<(String, Json)>),
}

impl Json {
    /// The value of `key` when this is an object that has it.
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// True for `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Json::Null)
    }
}

/// Parses a JSON document. `Err` is a message: the syntax error with its line and
/// column, or the key given twice.
pub fn parse(text: &str) -> Result<Json, String> {
    let raw: Box<RawValue> = serde_json::from_str(text).map_err(|e| e.to_string())?;
    from_raw(&raw)
}

fn from_raw(raw: &RawValue) -> Result<Json, String> {
    let text = raw.get();
    let invalid = |e: serde_json::Error| e.to_string();
    Ok(match text.as_bytes().first() {
        Some(b'{') => {
            let Entries(entries) = serde_json::from_str(text).map_err(invalid)?;
            let mut object = Vec::with_capacity(entries.len());
            for (key, value) in entries {
                object.push((key, from_raw(&value)?));
            }
            Json::Object(object)
        }
        Some(b'[') => {
            let items: Vec<Box<RawValue>> = serde_json::from_str(text).map_err(invalid)?;
            Json::Array(
                items
                    .iter()
                    .map(|v| from_raw(v))
                    .collect::<Result<_, _>>()?,
            )
        }
        Some(b'"') => Json::String(serde_json::from_str(text).map_err(invalid)?),
        Some(b't') => Json::Bool(true),
        Some(b'f') => Json::Bool(false),
        Some(b'n') => Json::Null,
        // serde_json validated it: the only other JSON values are numbers.
        _ => Json::Number(text.to_string()),
    })
}

/// An object's entries as raw values; a key given twice is a deserialization error.
struct Entries(Vec<(String, Box<RawValue>)>);

impl<'de> Deserialize<'de> for Entries {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct EntriesVisitor;
        impl<'de> Visitor<'de> for EntriesVisitor {
            type Value = Entries;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entries, A::Error> {
                let mut entries: Vec<(String, Box<RawValue>)> = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    if entries.iter().any(|(k, _)| *k == key) {
                        return Err(de::Error::custom(format!(
                            "key {} is given twice",
                            super::quote(&key)
                        )));
                    }
                    entries.push((key, map.next_value()?));
                }
                Ok(Entries(entries))
            }
        }
        d.deserialize_map(EntriesVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_their_literal_digits() {
        let doc = parse(r#"{"a": 39.40000000000000001, "b": [1e3, -0.10], "c": "x"}"#).unwrap();
        assert_eq!(
            doc.get("a"),
            Some(&Json::Number("39.40000000000000001".into()))
        );
        assert_eq!(
            doc.get("b"),
            Some(&Json::Array(vec![
                Json::Number("1e3".into()),
                Json::Number("-0.10".into())
            ]))
        );
        assert_eq!(doc.get("c"), Some(&Json::String("x".into())));
        assert_eq!(parse(" null ").unwrap(), Json::Null);
        assert_eq!(
            parse("[true,false]").unwrap(),
            Json::Array(vec![Json::Bool(true), Json::Bool(false)])
        );
    }

    #[test]
    fn a_key_given_twice_is_refused_at_any_depth() {
        let e = parse(r#"{"a": 1, "a": 2}"#).unwrap_err();
        assert!(e.contains("key `a` is given twice"), "{e}");
        let e = parse(r#"{"t": {"value": 1, "unit": "C", "value": 2}}"#).unwrap_err();
        assert!(e.contains("key `value` is given twice"), "{e}");
        assert!(
            parse(r#"{"a": {"a": 1}}"#).is_ok(),
            "the same key in two objects"
        );
    }

    #[test]
    fn syntax_errors_keep_their_position() {
        let e = parse("{\n  \"a\": 1,\n}").unwrap_err();
        assert!(e.contains("line 3"), "{e}");
    }
}
