//! What a value of `config.toml` may be: hex colours, language tags, kind names, base
//! URLs, the list of a kind's required sections, and the top-level keys (for a key written
//! below a table).

use std::path::Path;

use serde::Deserialize;

use super::{Config, KindRules, PageKind};
use crate::diag::{Code, Diagnostic, TomlSpans};

/// Whether `color` is a CSS hex colour of 3 or 6 digits.
pub(super) fn is_hex_color(color: &str) -> bool {
    color
        .strip_prefix('#')
        .is_some_and(|h| matches!(h.len(), 3 | 6) && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Keys of the top level of `config.toml`: the fields of [`Config`], as serde names them.
pub(super) fn top_level_keys() -> &'static [&'static str] {
    /// A deserializer that only records the field names a struct asks it for.
    struct FieldNames(&'static [&'static str]);
    impl<'de> serde::Deserializer<'de> for &mut FieldNames {
        type Error = serde::de::value::Error;
        fn deserialize_any<V: serde::de::Visitor<'de>>(
            self,
            _: V,
        ) -> Result<V::Value, Self::Error> {
            Err(serde::de::Error::custom("only struct field names are read"))
        }
        fn deserialize_struct<V: serde::de::Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            visitor: V,
        ) -> Result<V::Value, Self::Error> {
            self.0 = fields;
            self.deserialize_any(visitor)
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
            byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map enum
            identifier ignored_any
        }
    }
    let mut names = FieldNames(&[]);
    let _ = Config::deserialize(&mut names);
    names.0
}

/// Whether `tag` looks like a BCP 47 language tag: a 2–3 letter language, then
/// subtags of 1–8 letters or digits (`en`, `en-GB`, `zh-Hant-TW`).
pub(super) fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let language = parts.next().unwrap_or_default();
    (2..=3).contains(&language.len())
        && language.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// Whether `name` may name a declared kind: `[a-z][a-z0-9-]*` (it becomes a CSS class).
pub(super) fn is_kind_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// An empty or repeated title in `[kinds.<kind>] required_sections`: pages could not
/// satisfy the list (a repeat reads as a section out of order on every page). Each is
/// placed at the title as written; a repeat has a label at its first place.
pub(super) fn required_sections_problems(
    file: &Path,
    (text, spans): (&str, Option<&TomlSpans<'_>>),
    kind: &PageKind,
    rules: &KindRules,
) -> Vec<Diagnostic> {
    let place = |i: usize| {
        let index = i.to_string();
        spans?.value(&["kinds", kind.name(), "required_sections", &index])
    };
    let list = format!("[kinds.{}] required_sections", kind.name());
    let mut diags = Vec::new();
    let mut seen = std::collections::HashMap::new();
    for (i, title) in rules.required_sections.iter().enumerate() {
        let d = if title.trim().is_empty() {
            Diagnostic::new(
                Code::RequiredSections,
                file,
                format!("a section title in {list} is empty"),
            )
            .with_hint("write the `##` heading's text")
        } else if let Some(&first) = seen.get(title.as_str()) {
            let d = Diagnostic::new(
                Code::RequiredSections,
                file,
                format!("section `{title}` is listed twice in {list}"),
            )
            .with_hint("list each section once, in order");
            match place(first) {
                Some(at) => d.with_label(text, at, "first listed here"),
                None => d,
            }
        } else {
            seen.insert(title.as_str(), i);
            continue;
        };
        diags.push(match place(i) {
            Some(at) => d.at(text, at),
            None => d,
        });
    }
    diags
}

/// Search synonyms that could not work as written: a term or name that is not in the
/// lower case, single-spaced form queries are matched in, a name that is its own term,
/// and a name listed twice (it could lead to one term only). Each is placed at the name
/// as written; a repeat has a label at its first place.
pub(super) fn synonym_problems(
    file: &Path,
    (text, spans): (&str, Option<&TomlSpans<'_>>),
    synonyms: &std::collections::BTreeMap<String, Vec<String>>,
) -> Vec<Diagnostic> {
    let normal = |s: &str| {
        s == s.to_lowercase()
            && s.split(' ').all(|w| !w.is_empty())
            && !s.chars().any(|c| c.is_whitespace() && c != ' ')
    };
    let mut diags = Vec::new();
    let mut first: std::collections::HashMap<&str, (&str, Option<std::ops::Range<usize>>)> =
        std::collections::HashMap::new();
    for (term, names) in synonyms {
        let place = |i: usize| spans?.value(&["search_synonyms", term, &i.to_string()]);
        let problem = |message: String, hint: &str| {
            Diagnostic::new(Code::ConfigValue, file, message).with_hint(hint)
        };
        let spelling = "write it in lower case with single spaces: queries are lower-cased and their spaces collapsed before they are compared";
        if !normal(term) {
            let d = problem(
                format!("search synonym term `{term}` is not in the form queries are compared in"),
                spelling,
            );
            diags.push(
                match spans.and_then(|s| s.key(&["search_synonyms", term])) {
                    Some(at) => d.at(text, at),
                    None => d,
                },
            );
        }
        for (i, name) in names.iter().enumerate() {
            let d = if !normal(name) {
                problem(
                    format!(
                        "search synonym `{name}` (for `{term}`) is not in the form queries are compared in"
                    ),
                    spelling,
                )
            } else if name == term {
                problem(
                    format!("`{name}` is listed as a synonym of itself"),
                    "list only the other names readers type",
                )
            } else if let Some((other, at)) = first.get(name.as_str()) {
                let d = problem(
                    format!(
                        "search synonym `{name}` is listed twice (for `{other}` and for `{term}`)"
                    ),
                    "a name can stand for one term only: keep it under one",
                );
                match at {
                    Some(at) => d.with_label(text, at.clone(), "first listed here"),
                    None => d,
                }
            } else {
                first.insert(name.as_str(), (term.as_str(), place(i)));
                continue;
            };
            diags.push(match place(i) {
                Some(at) => d.at(text, at),
                None => d,
            });
        }
    }
    diags
}

/// How to write a `base_url`.
pub const BASE_URL_HINT: &str =
    "write the address the site is served from, e.g. `https://example.org/kb/`";

/// Checks a `base_url`: an absolute `http://` or `https://` URL with a host, or a path
/// from the server's root (`/`, `/kb/`) for a site whose address is not known yet.
/// Anything else would prefix every link of the site with text that is not a URL.
pub fn check_base_url(url: &str) -> Result<(), String> {
    if url.contains(|c: char| c.is_whitespace() || c == '?' || c == '#') {
        return Err(format!("`{url}` contains a space, `?` or `#`"));
    }
    if url.starts_with('/') && !url.starts_with("//") {
        return Ok(());
    }
    let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    else {
        return Err(format!(
            "`{url}` is neither an http(s) URL nor a path starting with `/`"
        ));
    };
    if rest.split('/').next().is_none_or(str::is_empty) {
        return Err(format!("`{url}` has no host name"));
    }
    Ok(())
}
