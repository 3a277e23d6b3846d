//! Site configuration: `config.toml` at the site root.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::diag::Diagnostic;

/// Parsed `config.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Site title, shown in the header and in page titles.
    pub title: String,
    /// One-sentence description of the site.
    #[serde(default)]
    pub description: String,
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
    /// Shape rules per page kind (`monograph`, `overview`).
    #[serde(default)]
    pub kinds: BTreeMap<String, KindRules>,
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
}

fn default_language() -> String {
    "en".into()
}

fn default_true() -> bool {
    true
}

impl Config {
    /// Parses `config.toml`; `file` is the display path used in diagnostics.
    pub fn parse(file: &Path, text: &str) -> Result<Self, Diagnostic> {
        let mut config: Config = toml::from_str(text).map_err(|e| {
            let diag = Diagnostic::error(file, e.message().to_string())
                .with_hint("see the README's configuration section for the allowed keys");
            match e.span() {
                Some(span) => diag.at_offset(text, span.start),
                None => diag,
            }
        })?;
        if !config.base_url.ends_with('/') {
            config.base_url.push('/');
        }
        Ok(config)
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
        Config::parse(Path::new("config.toml"), text)
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
    fn unknown_key_is_an_error_with_its_line() {
        let err = parse("title='t'\nbase_url='/'\ncolour = 'red'\n").unwrap_err();
        assert_eq!(err.line, 3);
        assert!(err.message.contains("colour"), "{}", err.message);
    }
}
