//! `content/glossary.toml`: abbreviations used on the site.

use std::path::Path;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::diag::{Code, Diagnostic};

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

/// A term as written, with where its abbreviation is (for diagnostics).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WrittenTerm {
    abbr: Spanned<String>,
    expansion: String,
    #[serde(default)]
    definition: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GlossaryFile {
    #[serde(default)]
    term: Vec<WrittenTerm>,
}

/// Parses the glossary, sorted by abbreviation (case-insensitive); duplicates are errors,
/// reported at the later entry.
pub(crate) fn parse(file: &Path, text: &str) -> Result<Vec<GlossaryTerm>, Vec<Diagnostic>> {
    let parsed: GlossaryFile = toml::from_str(text).map_err(|e| {
        let d = Diagnostic::new(
            Code::GlossaryInvalid,
            file,
            format!("invalid glossary: {}", e.message().trim()),
        )
        .with_hint("each entry is `[[term]]` with `abbr`, `expansion` and `definition`");
        vec![match e.span() {
            Some(s) => d.at(text, s),
            None => d,
        }]
    })?;
    let mut written = parsed.term;
    // Stable: entries with the same abbreviation stay in file order.
    written.sort_by_key(|t| t.abbr.get_ref().to_lowercase());
    let mut diags = Vec::new();
    for pair in written.windows(2) {
        let (first, again) = (&pair[0].abbr, &pair[1].abbr);
        if first.get_ref() == again.get_ref() {
            diags.push(
                Diagnostic::new(
                    Code::DuplicateTerm,
                    file,
                    format!("abbreviation `{}` is defined twice", again.get_ref()),
                )
                .at(text, again.span())
                .with_label(text, first.span(), "first defined here")
                .with_hint("keep one entry per abbreviation"),
            );
        }
    }
    for t in &written {
        let abbr = t.abbr.get_ref();
        if abbr.trim().is_empty() || abbr.contains(char::is_whitespace) {
            diags.push(
                Diagnostic::new(
                    Code::TermNotOneWord,
                    file,
                    format!("abbreviation `{abbr}` must be one word"),
                )
                .at(text, t.abbr.span())
                .with_hint("glossary terms are single tokens such as `HLH` or `IL-6`"),
            );
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    Ok(written
        .into_iter()
        .map(|t| GlossaryTerm {
            abbr: t.abbr.into_inner(),
            expansion: t.expansion,
            definition: t.definition,
        })
        .collect())
}
