//! Site configuration: `config.toml` at the site root.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

mod kind;
#[cfg(test)]
mod tests;
mod values;
pub use kind::PageKind;
pub use values::{BASE_URL_HINT, check_base_url};
use values::{
    is_hex_color, is_kind_name, is_language_tag, required_sections_problems, synonym_problems,
    top_level_keys,
};

use crate::diag::{Code, Diagnostic, Span, TomlSpans};

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
    /// A line shown in every page's footer and printout, e.g. what the site is not a
    /// substitute for; none when empty.
    #[serde(default)]
    pub disclaimer: String,
    /// Other names readers type for a word or phrase the site uses: each key is the
    /// site's own term, its value the names searched as that term (lower case), e.g.
    /// `hlh = ["hps", "hemophagocytic syndrome"]`.
    #[serde(default)]
    pub search_synonyms: BTreeMap<String, Vec<String>>,
    /// Languages besides `language` that pages are translated into, by tag
    /// (`[languages.zh-Hans]`): a translation of `a.md` is `a.<tag>.md`, served under
    /// `/<tag in lower case>/`.
    #[serde(default)]
    pub languages: BTreeMap<String, LanguageConfig>,
    /// Shape rules per page kind: the built-in `monograph`, `overview` and `page`, and any
    /// other kind the site's pages use (named like `bedside`: `[a-z][a-z0-9-]*`).
    #[serde(default)]
    pub kinds: BTreeMap<PageKind, KindRules>,
}

/// A language pages are translated into: the site's title, description and disclaimer
/// in it (the default language's when left out).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LanguageConfig {
    /// The site's title in this language.
    #[serde(default)]
    pub title: Option<String>,
    /// The site's description in this language.
    #[serde(default)]
    pub description: Option<String>,
    /// How references are formatted in this language: the name of a CSL style hayagriva
    /// ships (`gb-7714-2015-numeric` for Chinese); AMA when left out.
    #[serde(default)]
    pub citation_style: Option<String>,
    /// The site's `disclaimer` in this language.
    #[serde(default)]
    pub disclaimer: Option<String>,
}

impl Config {
    /// The CSL style references are formatted in for pages in `lang` (`None`: AMA, the
    /// site's language's).
    pub fn citation_style(&self, lang: Option<&str>) -> Option<&str> {
        self.languages.get(lang?)?.citation_style.as_deref()
    }

    /// Every citation style the languages name besides AMA, each once.
    pub fn citation_styles(&self) -> Vec<&str> {
        let mut styles: Vec<&str> = (self.languages.values())
            .filter_map(|l| l.citation_style.as_deref())
            .collect();
        styles.sort_unstable();
        styles.dedup();
        styles
    }

    /// The URL prefix of a language's pages: none for the default language, else
    /// `/<tag in lower case>` (`/zh-hans`).
    pub fn language_prefix(&self, lang: &str) -> String {
        if lang == self.language {
            String::new()
        } else {
            format!("/{}", lang.to_ascii_lowercase())
        }
    }
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
        let place_at =
            |d: Diagnostic, path: &[&str]| match spans.as_ref().and_then(|s| s.value(path)) {
                Some(at) => d.at(text, at),
                None => d,
            };
        let place = |d: Diagnostic, key: &str| place_at(d, &[key]);
        let mut diags = Vec::new();
        // Texts shown on every page: what names it, where it is, and the text.
        let mut shown: Vec<(String, Vec<&str>, &str)> = [
            ("title", &config.title),
            ("description", &config.description),
            ("disclaimer", &config.disclaimer),
        ]
        .into_iter()
        .map(|(key, value)| (format!("`{key}`"), vec![key], value.as_str()))
        .collect();
        for (tag, language) in &config.languages {
            for (key, value) in [
                ("title", &language.title),
                ("description", &language.description),
                ("disclaimer", &language.disclaimer),
            ] {
                if let Some(value) = value {
                    let name = format!("`[languages.{tag}]` `{key}`");
                    shown.push((name, vec!["languages", tag, key], value));
                }
            }
        }
        for (name, path, value) in shown {
            if let Some(c) = crate::diag::unprintable(value, false) {
                let d = Diagnostic::new(
                    Code::ConfigValue,
                    file,
                    format!(
                        "{name} contains the control character U+{:04X}",
                        u32::from(c)
                    ),
                )
                .with_hint(crate::diag::UNPRINTABLE_HINT);
                diags.push(place_at(d, &path));
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
        for tag in config.languages.keys() {
            let problem = if !is_language_tag(tag) {
                Some(format!(
                    "`[languages.{tag}]`: `{tag}` is not a language tag"
                ))
            } else if tag.eq_ignore_ascii_case(&config.language) {
                Some(format!(
                    "`[languages.{tag}]` is the site's own `language`; list only the others"
                ))
            } else {
                None
            };
            if let Some(message) = problem {
                refuse(
                    "languages",
                    message,
                    "a BCP 47 tag other than `language`, such as `zh-Hans`; translations are named `page.<tag>.md`",
                );
            }
        }
        for (tag, lang) in &config.languages {
            if let Some(style) = lang
                .citation_style
                .as_deref()
                .filter(|s| hayagriva::archive::ArchivedStyle::by_name(s).is_none())
            {
                refuse(
                    "languages",
                    format!("`[languages.{tag}]`: hpskb has no citation style `{style}`"),
                    "name a CSL style hayagriva ships, e.g. `gb-7714-2015-numeric` (Chinese) or `american-medical-association`",
                );
            }
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
        diags.extend(synonym_problems(
            file,
            (text, spans.as_ref()),
            &config.search_synonyms,
        ));
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
