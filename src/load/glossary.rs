//! `content/glossary.toml`: abbreviations used on the site.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diag::Diagnostic;

/// One abbreviation and what it stands for.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct GlossaryTerm {
    /// The abbreviation as written in text (`HLH`).
    pub abbr: String,
    /// What it stands for.
    pub expansion: String,
    /// A plain definition.
    #[serde(default)]
    pub definition: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GlossaryFile {
    #[serde(default)]
    term: Vec<GlossaryTerm>,
}

/// Parses the glossary, sorted by abbreviation (case-insensitive); duplicates are errors.
pub fn parse(file: &Path, text: &str) -> Result<Vec<GlossaryTerm>, Vec<Diagnostic>> {
    let parsed: GlossaryFile = toml::from_str(text).map_err(|e| {
        let d = Diagnostic::error(file, format!("invalid glossary: {}", e.message().trim()))
            .with_hint("each entry is `[[term]]` with `abbr`, `expansion` and `definition`");
        vec![match e.span() {
            Some(s) => d.at_offset(text, s.start),
            None => d,
        }]
    })?;
    let mut terms = parsed.term;
    terms.sort_by_key(|t| t.abbr.to_lowercase());
    let mut diags = Vec::new();
    for pair in terms.windows(2) {
        if pair[0].abbr == pair[1].abbr {
            diags.push(
                Diagnostic::error(
                    file,
                    format!("abbreviation `{}` is defined twice", pair[0].abbr),
                )
                .with_hint("keep one entry per abbreviation"),
            );
        }
    }
    for t in &terms {
        if t.abbr.trim().is_empty() || t.abbr.contains(char::is_whitespace) {
            diags.push(
                Diagnostic::error(file, format!("abbreviation `{}` must be one word", t.abbr))
                    .with_hint("glossary terms are single tokens such as `HLH` or `IL-6`"),
            );
        }
    }
    if diags.is_empty() {
        Ok(terms)
    } else {
        Err(diags)
    }
}
