//! The widget's own words — buttons, headings, captions, the joining words of rules — in
//! a page's language: the `calc_` UI strings of `i18n/<tag>.toml`. A spec's own texts
//! (labels, help, limits) come from the spec or its translation (`<id>.<tag>.toml`).

use std::collections::BTreeMap;
use std::sync::OnceLock;

/// A language's UI strings, read by key; placeholders are `{name}`.
#[derive(Debug, Clone, Copy)]
pub struct Words<'a> {
    strings: &'a BTreeMap<String, String>,
}

impl<'a> Words<'a> {
    /// Words from a language's UI strings (every key of the English table is there: the
    /// load stage reports a missing one as an error).
    pub fn new(strings: &'a BTreeMap<String, String>) -> Self {
        Words { strings }
    }

    /// The embedded English words, for a widget outside a site (tests, `hpskb score`).
    pub fn english() -> Words<'static> {
        Words {
            strings: english_strings(),
        }
    }

    /// The string for `key` (the key itself if a site's table lacks it).
    pub fn get(&self, key: &'a str) -> &'a str {
        self.strings.get(key).map_or(key, String::as_str)
    }

    /// The string for `key` with each `{name}` replaced by its value, as plain text.
    pub fn fill(&self, key: &'a str, values: &[(&str, &str)]) -> String {
        values
            .iter()
            .fold(self.get(key).to_string(), |s, (name, value)| {
                s.replace(&format!("{{{name}}}"), value)
            })
    }

    /// Like [`Words::fill`] for HTML: the string is escaped, the values (already HTML)
    /// are not.
    pub fn fill_html(&self, key: &'a str, values: &[(&str, &str)]) -> String {
        values.iter().fold(
            crate::text::html::escape(self.get(key)),
            |s, (name, value)| s.replace(&format!("{{{name}}}"), value),
        )
    }
}

/// hpskb's English UI strings (`i18n/en.toml`, the table every language must match).
pub fn english_strings() -> &'static BTreeMap<String, String> {
    static ENGLISH: OnceLock<BTreeMap<String, String>> = OnceLock::new();
    ENGLISH.get_or_init(|| toml::from_str(include_str!("../../i18n/en.toml")).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_placeholders_and_escapes_only_the_string_in_html() {
        let strings = BTreeMap::from([("k".to_string(), "<{a}> & {b}".to_string())]);
        let w = Words::new(&strings);
        assert_eq!(w.fill("k", &[("a", "1"), ("b", "<i>")]), "<1> & <i>");
        assert_eq!(
            w.fill_html("k", &[("a", "1"), ("b", "<i>")]),
            "&lt;1&gt; &amp; <i>"
        );
        assert_eq!(w.get("missing"), "missing");
        assert_eq!(Words::english().get("calc_show_result"), "Show result");
    }
}
