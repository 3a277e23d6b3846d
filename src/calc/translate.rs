//! A calculator's texts in another language: `content/calculators/<id>.<tag>.toml` holds
//! the spec's title, source, population, limits, interpretation and every input's, choice's,
//! item's and criterion's label (and help), keyed by id. Numbers, units and rules are the
//! spec's own: a translation changes words, never what is computed.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::spec::Spec;
use crate::diag::{Code, Diagnostic, TomlSpans};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Texts {
    title: String,
    source: String,
    population: String,
    #[serde(default)]
    limits: Vec<String>,
    #[serde(default)]
    interpretation: Vec<String>,
    #[serde(default)]
    inputs: BTreeMap<String, InputTexts>,
    #[serde(default)]
    items: BTreeMap<String, Label>,
    #[serde(default)]
    criteria: BTreeMap<String, Label>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InputTexts {
    label: String,
    help: Option<String>,
    #[serde(default)]
    choices: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Label {
    label: String,
}

/// Collects the problems of one translation file, each at its line where it has one.
struct Problems<'a> {
    file: &'a Path,
    text: &'a str,
    spans: Option<TomlSpans<'a>>,
    found: Vec<Diagnostic>,
}

impl Problems<'_> {
    fn add(&mut self, path: &[&str], message: String, hint: &str) {
        let d = Diagnostic::new(Code::CalculatorTranslation, self.file, message).with_hint(hint);
        let at = self
            .spans
            .as_ref()
            .and_then(|s| s.key(path).or_else(|| s.key(&path[..1])));
        self.found.push(match at {
            Some(range) => d.at(self.text, range),
            None => d,
        });
    }

    /// `got` must have exactly the keys `want`: each missing and each unknown one is a
    /// problem, reported at `table` (or the unknown key).
    fn same_ids<'k>(
        &mut self,
        table: &[&str],
        want: impl Iterator<Item = &'k str> + Clone,
        got: impl Iterator<Item = &'k str> + Clone,
    ) {
        let what = table.join(".");
        for id in want.clone().filter(|id| !got.clone().any(|g| g == *id)) {
            self.add(
                table,
                format!("`{what}` lacks `{id}`"),
                "every text of the spec needs its translation (ids as in the spec)",
            );
        }
        for id in got.filter(|id| !want.clone().any(|w| w == *id)) {
            let mut at = table.to_vec();
            at.push(id);
            self.add(
                &at,
                format!("`{what}.{id}` is not in the spec"),
                "use the ids of the spec's entries",
            );
        }
    }

    fn same_count(&mut self, key: &str, want: usize, got: usize) {
        if want != got {
            self.add(
                &[key],
                format!("`{key}` has {got} entries; the spec has {want}"),
                "translate each entry of the spec's list, in its order",
            );
        }
    }
}

/// The spec with its texts from the translation `text` (the file `file`); every text of
/// the spec must be translated and every id must be the spec's.
pub fn translate(spec: &Spec, file: &Path, text: &str) -> Result<Spec, Vec<Diagnostic>> {
    let texts: Texts = toml::from_str(text).map_err(|e| {
        let d = Diagnostic::new(
            Code::CalculatorTranslation,
            file,
            format!("invalid calculator translation: {}", e.message().trim()),
        )
        .with_hint("see docs/calculators.md#translations for the format");
        vec![match e.span() {
            Some(s) => d.at(text, s),
            None => d,
        }]
    })?;
    let mut problems = Problems {
        file,
        text,
        spans: TomlSpans::parse(text),
        found: Vec::new(),
    };
    problems.same_count("limits", spec.limits.len(), texts.limits.len());
    problems.same_count(
        "interpretation",
        spec.interpretation.len(),
        texts.interpretation.len(),
    );
    problems.same_ids(
        &["inputs"],
        spec.inputs.iter().map(|i| i.id.as_str()),
        texts.inputs.keys().map(String::as_str),
    );
    problems.same_ids(
        &["items"],
        spec.items.iter().map(|i| i.id.as_str()),
        texts.items.keys().map(String::as_str),
    );
    problems.same_ids(
        &["criteria"],
        spec.criteria.iter().map(|c| c.id.as_str()),
        texts.criteria.keys().map(String::as_str),
    );
    for input in &spec.inputs {
        let Some(t) = texts.inputs.get(&input.id) else {
            continue;
        };
        if input.help.is_some() != t.help.is_some() {
            problems.add(
                &["inputs", &input.id],
                format!(
                    "`inputs.{}` {} `help`",
                    input.id,
                    if t.help.is_some() {
                        "has a `help` the spec does not have:"
                    } else {
                        "lacks"
                    }
                ),
                "translate the help the spec gives, and only that",
            );
        }
        problems.same_ids(
            &["inputs", &input.id, "choices"],
            input.choices.iter().map(|c| c.value.as_str()),
            t.choices.keys().map(String::as_str),
        );
    }
    if !problems.found.is_empty() {
        return Err(problems.found);
    }

    let mut out = spec.clone();
    out.title = texts.title;
    out.source = texts.source;
    out.population = texts.population;
    out.limits = texts.limits;
    out.interpretation = texts.interpretation;
    for input in &mut out.inputs {
        let t = &texts.inputs[&input.id];
        input.label = t.label.clone();
        input.help = t.help.clone();
        for c in &mut input.choices {
            c.label = t.choices[&c.value].clone();
        }
    }
    for item in &mut out.items {
        item.label = texts.items[&item.id].label.clone();
    }
    for c in &mut out.criteria {
        c.label = texts.criteria[&c.id].label.clone();
    }
    Ok(out)
}
