//! Calculators as data: TOML specs, an exact evaluator, and the HTML form.
//! (Interface stub; the full implementation replaces this file.)

use std::path::Path;

use crate::diag::Diagnostic;

/// A validated calculator spec.
#[derive(Debug, Clone)]
pub struct Calculator {
    /// Identifier used in fences, URLs and `hpskb score`.
    pub id: String,
    /// Human title.
    pub title: String,
    /// Citation keys of the sources the spec relies on.
    pub references: Vec<String>,
}

/// Parses and validates a calculator spec.
pub fn parse(file: &Path, _text: &str) -> Result<Calculator, Vec<Diagnostic>> {
    let id = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(Calculator {
        title: id.clone(),
        id,
        references: Vec::new(),
    })
}

impl Calculator {
    /// The embeddable HTML: the form, the static scoring table and the spec as JSON.
    pub fn embed_html(&self) -> String {
        format!(
            "<div class=\"calculator\" data-calculator=\"{}\"></div>",
            self.id
        )
    }

    /// Evaluates a JSON input document; `Err` holds one message per bad field.
    pub fn score_json(&self, _input: &str) -> Result<String, Vec<String>> {
        Err(vec!["not implemented".into()])
    }
}
