//! Calculators as data: TOML specs, an exact evaluator, and the HTML form.
//!
//! - [`spec`]: the spec format and the validated model (serialized for the browser);
//! - [`validate`]: TOML parsing and build-time validation (gaps, overlaps, unknown
//!   units, unreachable results → errors with file:line, all at once);
//! - [`num`]: exact rationals parsed from decimal text (no floating point anywhere);
//! - [`units`]: the unit symbols a spec may use;
//! - [`input`]: the JSON input document, numbers kept as their literal digits;
//! - [`eval`]: JSON input → result, the reference for `static/js/calculator.js`;
//! - [`html`]: the embeddable widget (form, static scoring table, spec JSON);
//! - [`words`]: the widget's own words in a page's language (UI strings);
//! - [`translate`]: a spec's texts in another language (`<id>.<tag>.toml`).

pub mod eval;
pub mod html;
pub mod input;
pub mod num;
pub mod spec;
pub mod translate;
pub mod units;
pub mod validate;
pub mod words;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Span, TomlSpans};

pub use eval::{FieldError, Outcome};
pub use spec::Spec;
pub use words::Words;

/// A validated calculator spec.
#[derive(Debug, Clone)]
pub struct Calculator {
    /// Identifier used in fences, URLs and `hpskb score`.
    pub id: String,
    /// Human title.
    pub title: String,
    /// The spec file, relative to the site root.
    pub file: PathBuf,
    /// The sources the spec relies on.
    pub references: Vec<SourceRef>,
    /// The full validated spec.
    pub spec: Spec,
    /// The spec with its texts in other languages (`<id>.<tag>.toml`), by language tag.
    pub translations: BTreeMap<String, Spec>,
}

/// A citation key in a spec's `references`, with where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceRef {
    /// The citation key.
    pub key: String,
    /// Where the spec file writes the key (its parser's span).
    pub span: Option<Span>,
}

/// Parses and validates a calculator spec. `file` is the display path used in
/// diagnostics; every problem found is reported, each with its line.
pub fn parse(file: &Path, text: &str) -> Result<Calculator, Vec<Diagnostic>> {
    let spec = spec::parse(file, text)?;
    let spans = TomlSpans::parse(text);
    let references = spec
        .references
        .iter()
        .enumerate()
        .map(|(i, key)| SourceRef {
            key: key.clone(),
            span: spans
                .as_ref()
                .and_then(|s| s.value(&["references", &i.to_string()]))
                .map(|at| Span::new(text, at)),
        })
        .collect();
    Ok(Calculator {
        id: spec.id.clone(),
        title: spec.title.clone(),
        file: file.to_path_buf(),
        references,
        spec,
        translations: BTreeMap::new(),
    })
}

impl Calculator {
    /// The embeddable HTML in English: the form, the static scoring table, source,
    /// population and limits, and the spec as JSON for `static/js/calculator.js`.
    pub fn embed_html(&self) -> String {
        html::embed(&self.spec, &Words::english())
    }

    /// The spec with its texts in `lang` (a language tag): its translation where there
    /// is one, else the spec as written.
    pub fn spec_in(&self, lang: Option<&str>) -> &Spec {
        lang.and_then(|l| self.translations.get(l))
            .unwrap_or(&self.spec)
    }

    /// The spec as the JSON embedded in pages (`<` escaped).
    pub fn spec_json(&self) -> String {
        html::spec_json(&self.spec)
    }

    /// Evaluates a JSON input document; `Err` holds one message per bad field,
    /// each starting with the field id (`temperature: …`).
    pub fn score_json(&self, input: &str) -> Result<String, Vec<String>> {
        self.evaluate(input).map(|o| o.to_json()).map_err(|errs| {
            errs.into_iter()
                .map(|e| format!("{}: {}", cut(&e.field), e.message))
                .collect()
        })
    }

    /// Evaluates a JSON input document into a typed result.
    pub fn evaluate(&self, input: &str) -> Result<Outcome, Vec<FieldError>> {
        eval::run(&self.spec, input)
    }
}

/// Longest piece of an input quoted in a message, in characters.
const QUOTE_CHARS: usize = 24;

/// `text` cut to its first [`QUOTE_CHARS`] characters (`…` marks the cut), so that a
/// message about a 300-digit value stays one short line.
fn cut(text: &str) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(QUOTE_CHARS) {
        Some((end, _)) => format!("{}…", &text[..end]).into(),
        None => text.into(),
    }
}

/// `text` in backticks for a message, cut like [`cut`].
fn quote(text: &str) -> String {
    format!("`{}`", cut(text))
}
