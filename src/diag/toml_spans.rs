//! Where a TOML document writes each key and value, as its parser gives it
//! (`toml::de::DeTable`), so a diagnostic about a value already deserialized is placed at
//! that value without searching the text for it.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// The spans of one TOML document's keys and values.
pub struct TomlSpans<'a> {
    text: &'a str,
    root: DeTable<'a>,
}

impl<'a> TomlSpans<'a> {
    /// Parses `text`; `None` when it is not valid TOML (its deserializer reports why).
    pub fn parse(text: &'a str) -> Option<Self> {
        let root = DeTable::parse(text).ok()?.into_inner();
        Some(TomlSpans { text, root })
    }

    /// The key and value at `path`: table keys, or array indices written as numbers.
    fn entry(&self, path: &[&str]) -> Option<(Option<Range<usize>>, &Spanned<DeValue<'a>>)> {
        let (first, rest) = path.split_first()?;
        let (key, mut value) = self.root.iter().find(|(k, _)| k.get_ref() == first)?;
        let mut key = Some(key.span());
        for step in rest {
            value = match value.get_ref() {
                DeValue::Table(t) => {
                    let (k, v) = t.iter().find(|(k, _)| k.get_ref() == step)?;
                    key = Some(k.span());
                    v
                }
                DeValue::Array(a) => {
                    key = None;
                    a.get(step.parse::<usize>().ok()?)?
                }
                _ => return None,
            };
        }
        Some((key, value))
    }

    /// The span of the value at `path`; for a string, of its text between the quotes.
    pub fn value(&self, path: &[&str]) -> Option<Range<usize>> {
        let (_, value) = self.entry(path)?;
        let span = value.span();
        if !value.get_ref().is_str() {
            return Some(span);
        }
        let written = self.text.get(span.clone())?;
        let quotes = ["\"\"\"", "'''", "\"", "'"]
            .iter()
            .find(|q| {
                written.len() >= 2 * q.len() && written.starts_with(**q) && written.ends_with(**q)
            })
            .map_or(0, |q| q.len());
        Some(span.start + quotes..span.end - quotes)
    }

    /// The span of the key that names the entry at `path` (the last table key on the way).
    pub fn key(&self, path: &[&str]) -> Option<Range<usize>> {
        self.entry(path)?.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_and_keys_are_found_by_path() {
        let text =
            "title = \"T\"\n[kinds.bedside]\nrequired_sections = ['A', \"\"\"B\"\"\"]\nn = 3\n";
        let s = TomlSpans::parse(text).unwrap();
        let at = |r: Range<usize>| &text[r];
        assert_eq!(at(s.value(&["title"]).unwrap()), "T");
        assert_eq!(at(s.key(&["kinds", "bedside"]).unwrap()), "bedside");
        assert_eq!(
            at(s.value(&["kinds", "bedside", "required_sections", "0"])
                .unwrap()),
            "A"
        );
        assert_eq!(
            at(s.value(&["kinds", "bedside", "required_sections", "1"])
                .unwrap()),
            "B"
        );
        assert_eq!(at(s.value(&["kinds", "bedside", "n"]).unwrap()), "3");
        assert_eq!(s.value(&["kinds", "other"]), None);
        assert!(TomlSpans::parse("a = ").is_none());
    }
}
