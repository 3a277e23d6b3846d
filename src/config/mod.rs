//! Site configuration: `config.toml` at the site root.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

mod kind;
pub use kind::PageKind;

use crate::diag::Code;
use crate::diag::{Diagnostic, Span, TomlSpans};

/// Parsed `config.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Site title, shown in the header and in page titles.
    pub title: String,
    /// One-sentence description of the site.
    #[serde(default)]
    pub description: String,
    /// The people who write or edit the site, each as `"Family, Given"`, named as its
    /// authors in "Cite this page". With none, the site itself is the author.
    #[serde(default)]
    pub authors: Vec<String>,
    /// Absolute URL the site is served from; may include a sub-path (`https://x.org/kb/`).
    pub base_url: String,
    /// Language of the content (BCP 47), for `<html lang>`.
    #[serde(default = "default_language")]
    pub language: String,
    /// Pages whose `last_reviewed` is older than this many days get a warning.
    #[serde(default)]
    pub review_interval_days: Option<u32>,
    /// Build the client-side search index.
    #[serde(default = "default_true")]
    pub search: bool,
    /// Make the site installable and readable offline: a web app manifest and a service
    /// worker that saves the site on the reader's device.
    #[serde(default = "default_true")]
    pub offline: bool,
    /// Colour of the browser's toolbar and of the installed app (`#rgb` or `#rrggbb`); the
    /// default is the default theme's accent.
    #[serde(default = "default_theme_color")]
    pub theme_color: String,
    /// Shape rules per page kind: the built-in `monograph`, `overview` and `page`, and any
    /// other kind the site's pages use (named like `bedside`: `[a-z][a-z0-9-]*`).
    #[serde(default)]
    pub kinds: BTreeMap<PageKind, KindRules>,
}

/// What a page of one kind must contain; `hpskb check` enforces it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KindRules {
    /// `##` section titles that must appear, in this order.
    #[serde(default)]
    pub required_sections: Vec<String>,
    /// Minimum number of distinct references cited.
    #[serde(default)]
    pub min_references: usize,
    /// Whether `last_reviewed` is mandatory.
    #[serde(default)]
    pub require_last_reviewed: bool,
    /// Whether every body row of every table must cite a source (`[@key]` in a cell).
    #[serde(default)]
    pub cited_table_rows: bool,
    /// Where `config.toml` names the kind (`[kinds.<name>]`), if it does.
    #[serde(skip)]
    pub span: Option<Span>,
}

fn default_language() -> String {
    "en".into()
}

fn default_true() -> bool {
    true
}

fn default_theme_color() -> String {
    "#8b1e3f".into()
}

/// Whether `color` is a CSS hex colour of 3 or 6 digits.
fn is_hex_color(color: &str) -> bool {
    color
        .strip_prefix('#')
        .is_some_and(|h| matches!(h.len(), 3 | 6) && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Keys of the top level of `config.toml`: the fields of [`Config`], as serde names them.
fn top_level_keys() -> &'static [&'static str] {
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
fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let language = parts.next().unwrap_or_default();
    (2..=3).contains(&language.len())
        && language.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// Whether `name` may name a declared kind: `[a-z][a-z0-9-]*` (it becomes a CSS class).
fn is_kind_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// An empty or repeated title in `[kinds.<kind>] required_sections`: pages could not
/// satisfy the list (a repeat reads as a section out of order on every page). Each is
/// placed at the title as written; a repeat has a label at its first place.
fn required_sections_problems(
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

impl Config {
    /// Parses `config.toml`; `file` is the display path used in diagnostics. Every value
    /// that is wrong is reported, each at its place.
    pub fn parse(file: &Path, text: &str) -> Result<Self, Vec<Diagnostic>> {
        let mut config: Config = toml::from_str(text).map_err(|e| {
            let message = e.message().trim();
            let misplaced = top_level_keys()
                .iter()
                .find(|k| message.starts_with(&format!("unknown field `{k}`")));
            let hint = match misplaced {
                Some(key) => format!(
                    "`{key}` is a top-level key: move it above the first `[table]` line (keys below one belong to that table)"
                ),
                None => "see the README's configuration section for the allowed keys".into(),
            };
            let diag = Diagnostic::new(Code::ConfigInvalid, file, message).with_hint(hint);
            vec![match e.span() {
                Some(span) => diag.at(text, span),
                None => diag,
            }]
        })?;
        let spans = TomlSpans::parse(text);
        let place = |d: Diagnostic, key: &str| match spans.as_ref().and_then(|s| s.value(&[key])) {
            Some(at) => d.at(text, at),
            None => d,
        };
        let mut diags = Vec::new();
        for (key, value) in [
            ("title", &config.title),
            ("description", &config.description),
        ] {
            if let Some(c) = crate::diag::unprintable(value, false) {
                let d = Diagnostic::new(
                    Code::ConfigValue,
                    file,
                    format!(
                        "`{key}` contains the control character U+{:04X}",
                        u32::from(c)
                    ),
                )
                .with_hint(crate::diag::UNPRINTABLE_HINT);
                diags.push(place(d, key));
            }
        }
        let mut refuse = |key: &str, message: String, hint: &str| {
            let d = Diagnostic::new(Code::ConfigValue, file, message).with_hint(hint);
            diags.push(place(d, key));
        };
        if config.title.trim().is_empty() {
            refuse(
                "title",
                "`title` is empty".into(),
                "the site's name, shown in the header and in every page's title",
            );
        }
        if !is_language_tag(&config.language) {
            refuse(
                "language",
                format!("`language` `{}` is not a language tag", config.language),
                "a BCP 47 tag such as `en`, `en-GB` or `fr`; it becomes `<html lang>`",
            );
        }
        if let Err(why) = check_base_url(&config.base_url) {
            refuse("base_url", format!("`base_url` {why}"), BASE_URL_HINT);
        }
        if !is_hex_color(&config.theme_color) {
            refuse(
                "theme_color",
                format!("`theme_color` `{}` is not a hex colour", config.theme_color),
                "write it as `#rrggbb` or `#rgb`, e.g. `#8b1e3f`",
            );
        }
        for (kind, rules) in &mut config.kinds {
            rules.span = spans
                .as_ref()
                .and_then(|s| s.key(&["kinds", kind.name()]))
                .map(|at| Span::new(text, at));
            if !is_kind_name(kind.name()) {
                let d = Diagnostic::new(Code::KindName, file, format!("kind name `{}` is not allowed", kind.name()))
                    .with_hint("name a kind with lowercase letters, digits and `-`, starting with a letter, e.g. `[kinds.bedside]`");
                diags.push(match &rules.span {
                    Some(span) => d.with_span(span.clone()),
                    None => d,
                });
            }
            diags.extend(required_sections_problems(
                file,
                (text, spans.as_ref()),
                kind,
                rules,
            ));
        }
        if !diags.is_empty() {
            return Err(diags);
        }
        if !config.base_url.ends_with('/') {
            config.base_url.push('/');
        }
        Ok(config)
    }

    /// Whether a page may be of `kind`: a built-in kind, or one declared in `[kinds]`.
    pub fn knows_kind(&self, kind: &PageKind) -> bool {
        kind.is_built_in() || self.kinds.contains_key(kind)
    }

    /// The name of every kind a page may have, built-in ones first.
    pub fn kind_names(&self) -> Vec<&str> {
        let declared = self.kinds.keys().filter(|k| !k.is_built_in());
        PageKind::BUILT_IN
            .iter()
            .chain(declared)
            .map(PageKind::name)
            .collect()
    }

    /// The path part of `base_url`, without a trailing slash (`""` or `/kb`).
    pub fn base_path(&self) -> String {
        let rest = self
            .base_url
            .split_once("://")
            .map_or(self.base_url.as_str(), |(_, r)| r);
        let path = if self.base_url.contains("://") {
            rest.find('/').map_or("", |i| &rest[i..])
        } else {
            rest
        };
        path.trim_end_matches('/').to_string()
    }

    /// `base_url` without its trailing slash, to which root-relative paths are appended.
    pub fn origin_and_base(&self) -> &str {
        self.base_url.trim_end_matches('/')
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Diagnostic> {
        Config::parse(Path::new("config.toml"), text).map_err(|mut d| {
            assert_eq!(d.len(), 1, "{d:?}");
            d.remove(0)
        })
    }

    #[test]
    fn base_path_handles_sub_paths() {
        let c = parse("title='t'\nbase_url='https://example.org/kb'").unwrap();
        assert_eq!(c.base_url, "https://example.org/kb/");
        assert_eq!(c.base_path(), "/kb");
        let c = parse("title='t'\nbase_url='https://example.org'").unwrap();
        assert_eq!(c.base_path(), "");
        let c = parse("title='t'\nbase_url='/'").unwrap();
        assert_eq!(c.base_path(), "");
    }

    #[test]
    fn required_sections_listed_twice_or_empty_are_located() {
        // The overview's "Diagnosis" comes first in the file; the monograph's repeat is
        // the one reported, at its second place.
        let text = "title='t'\nbase_url='/'\n[kinds.overview]\nrequired_sections = ['Diagnosis']\n[kinds.monograph]\nrequired_sections = ['Diagnosis', 'Management',\n  'Diagnosis', '']\n";
        let d = Config::parse(Path::new("config.toml"), text).unwrap_err();
        let found: Vec<_> = d
            .iter()
            .map(|d| (d.line(), d.column(), d.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    7,
                    4,
                    "section `Diagnosis` is listed twice in [kinds.monograph] required_sections"
                ),
                (
                    7,
                    17,
                    "a section title in [kinds.monograph] required_sections is empty"
                ),
            ]
        );
        assert!(
            parse("title='t'\nbase_url='/'\n[kinds.monograph]\nrequired_sections = ['A', 'B']\n")
                .is_ok()
        );
    }

    #[test]
    fn base_url_must_be_an_http_url_or_a_root_path() {
        for good in [
            "https://example.org/kb/",
            "http://127.0.0.1:8000",
            "/",
            "/kb/",
        ] {
            assert!(check_base_url(good).is_ok(), "{good}");
        }
        for bad in [
            "notaurl",
            "example.org/kb/",
            "ftp://example.org/",
            "https://",
            "https:///kb/",
            "//example.org/",
            "https://example.org/kb/?x=1",
            "https://example.org/a b/",
            "",
        ] {
            assert!(check_base_url(bad).is_err(), "{bad:?} accepted");
        }
        let err = parse("title='t'\n\nbase_url = 'notaurl'\n").unwrap_err();
        assert_eq!((err.line(), err.column()), (3, 13), "{err}");
        assert!(err.message.contains("`notaurl`"), "{err}");
    }

    #[test]
    fn empty_title_unknown_language_and_bad_kind_name_are_located() {
        let err = parse("title = ' '\nbase_url='/'").unwrap_err();
        assert_eq!((err.line(), err.message.as_str()), (1, "`title` is empty"));
        let err = parse("title='t'\nbase_url='/'\nlanguage = 'english'").unwrap_err();
        assert_eq!(err.line(), 3, "{err}");
        for good in ["en", "en-GB", "zh-Hant-TW", "fil"] {
            let c = parse(&format!("title='t'\nbase_url='/'\nlanguage='{good}'"));
            assert!(c.is_ok(), "{good}");
        }
        // A kind's name becomes a CSS class and is written in front matter.
        for bad in ["Bedside", "bed_side", "1st", "\"a b\""] {
            let err = parse(&format!(
                "title='t'\nbase_url='/'\n\n[kinds.{bad}]\nmin_references = 3\n"
            ))
            .unwrap_err();
            assert_eq!((err.line(), err.column()), (4, 8), "{err}");
            assert!(err.message.contains("is not allowed"), "{err}");
        }
        let c = parse("title='t'\nbase_url='/'\n[kinds.monograph]\n[kinds.bedside-2]\n").unwrap();
        let line = |name: &str| {
            c.kinds[&PageKind::from_name(name)]
                .span
                .as_ref()
                .map_or(0, |s| s.line)
        };
        assert_eq!((line("monograph"), line("bedside-2")), (3, 4));
        assert_eq!(
            c.kind_names(),
            ["monograph", "overview", "page", "bedside-2"]
        );
    }

    #[test]
    fn every_key_named_top_level_is_a_config_key() {
        let values = [
            "'t'", "'/'", "'en'", "'#abc'", "30", "true", "false", "{}", "[]",
        ];
        assert!(
            top_level_keys().contains(&"theme_color"),
            "{:?}",
            top_level_keys()
        );
        for &key in top_level_keys() {
            let others: String = top_level_keys()
                .iter()
                .filter(|k| ["title", "base_url"].contains(k) && *k != &key)
                .map(|k| format!("{k} = '{}'\n", if *k == "title" { "t" } else { "/" }))
                .collect();
            let accepted = values
                .iter()
                .any(|v| parse(&format!("{others}{key} = {v}\n")).is_ok());
            assert!(accepted, "`{key}` is not a top-level key of config.toml");
        }
    }

    #[test]
    fn every_wrong_value_is_reported_at_once() {
        let text = "title = ''\nbase_url = 'kb'\nlanguage = 'e'\ntheme_color = 'red'\n";
        let err = Config::parse(Path::new("config.toml"), text).unwrap_err();
        let lines: Vec<usize> = err.iter().map(|d| d.line()).collect();
        assert_eq!(lines, [1, 3, 2, 4], "{err:?}");
    }

    #[test]
    fn theme_color_is_a_hex_colour() {
        assert_eq!(
            parse("title='t'\nbase_url='/'").unwrap().theme_color,
            "#8b1e3f"
        );
        for good in ["#abc", "#A0B1C2"] {
            assert!(is_hex_color(good), "{good}");
        }
        for bad in ["red", "#abcd", "abc", "#ggg", "#", ""] {
            assert!(!is_hex_color(bad), "{bad}");
        }
    }

    #[test]
    fn a_top_level_key_under_a_table_gets_a_hint() {
        let err = parse(
            "title='t'\nbase_url='/'\n[kinds.monograph]\nmin_references = 3\nsearch = false\n",
        )
        .unwrap_err();
        assert_eq!(err.line(), 5, "{err}");
        assert!(err.hint.unwrap().contains("above the first `[table]`"));
    }

    #[test]
    fn unknown_key_is_an_error_with_its_line() {
        let err = parse("title='t'\nbase_url='/'\ncolour = 'red'\n").unwrap_err();
        assert_eq!(err.line(), 3);
        assert!(err.message.contains("colour"), "{}", err.message);
    }

    #[test]
    fn a_control_character_in_the_title_or_description_is_refused_at_its_line() {
        let text = "title = \"K\\u001bB\"\nbase_url = \"/\"\ndescription = \"a\\u0007\"\n";
        let errs = Config::parse(Path::new("config.toml"), text).unwrap_err();
        let found: Vec<(usize, &str)> = errs
            .iter()
            .map(|d| (d.line(), d.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (1, "`title` contains the control character U+001B"),
                (3, "`description` contains the control character U+0007"),
            ]
        );
    }
}
