//! The TOML form of a calculator spec and its build-time validation: gaps or overlaps
//! between bands, unknown units, unreachable bands, cut-offs and results are errors
//! with file:line, all reported at once. The format is described in [`super::spec`].
//!
//! One concern per file: `schema` (the raw TOML), `inputs`, `items` (scored items and
//! the tests of counts and criteria), `bands` (band coverage) and `results`; this file
//! holds the context that collects diagnostics and validates the spec as a whole.

mod bands;
mod inputs;
mod items;
mod results;
mod schema;

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::Path;

use super::num::{Rat, parse_ratio};
use super::spec::{Criterion, Input, Kind, Spec};
use crate::diag::{Code, Diagnostic};
use inputs::validate_input;
use items::{validate_item, validate_test};
use results::validate_result;
use schema::{Num, RawSpec, S};

struct Ctx<'a> {
    file: &'a Path,
    text: &'a str,
    diags: Vec<Diagnostic>,
}

impl Ctx<'_> {
    fn err(&mut self, span: Range<usize>, msg: impl Into<String>) {
        self.diags
            .push(Diagnostic::new(Code::CalculatorSpec, self.file, msg).at(self.text, span));
    }

    fn err_hint(&mut self, span: Range<usize>, msg: impl Into<String>, hint: impl Into<String>) {
        self.diags.push(
            Diagnostic::new(Code::CalculatorSpec, self.file, msg)
                .at(self.text, span)
                .with_hint(hint),
        );
    }

    fn num(&mut self, n: &S<Num>, what: &str) -> Option<Rat> {
        match parse_ratio(&n.get_ref().text()) {
            Ok(r) => Some(r),
            Err(_) => {
                self.err_hint(
                    n.span(),
                    format!("{what} `{}` is not an exact number", n.get_ref().text()),
                    "write a decimal like 38.4 or a ratio like \"5/9\"",
                );
                None
            }
        }
    }
}

fn valid_id(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

/// Parses and validates a spec; every problem is reported with its line.
pub fn parse(file: &Path, text: &str) -> Result<Spec, Vec<Diagnostic>> {
    let raw: RawSpec = match toml::from_str(text) {
        Ok(r) => r,
        Err(e) => {
            let mut d = Diagnostic::new(
                Code::CalculatorSpec,
                file,
                format!("invalid calculator spec: {}", e.message()),
            );
            if let Some(span) = e.span() {
                d = d.at(text, span);
            }
            return Err(vec![d.with_hint(
                "see the format described in src/calc/spec.rs; numbers may be written as strings",
            )]);
        }
    };
    let mut cx = Ctx {
        file,
        text,
        diags: Vec::new(),
    };
    let spec = validate(&mut cx, raw);
    if cx.diags.is_empty() {
        Ok(spec)
    } else {
        Err(cx.diags)
    }
}

fn validate(cx: &mut Ctx<'_>, raw: RawSpec) -> Spec {
    let id = raw.id.get_ref().clone();
    let stem = cx
        .file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if id != stem {
        cx.err_hint(
            raw.id.span(),
            format!("calculator id `{id}` does not match the file name `{stem}.toml`"),
            format!("use id = \"{stem}\" or rename the file"),
        );
    } else if !valid_id(&id) {
        cx.err(
            raw.id.span(),
            format!("calculator id `{id}` must use a-z, 0-9, `-` and `_` only"),
        );
    }
    let kind = match raw.kind.get_ref().as_str() {
        "score" => Kind::Score,
        "criteria" => Kind::Criteria,
        other => {
            cx.err_hint(
                raw.kind.span(),
                format!("unknown calculator kind `{other}`"),
                "use \"score\" or \"criteria\"",
            );
            Kind::Score
        }
    };
    if raw.references.get_ref().is_empty() {
        cx.err_hint(
            raw.references.span(),
            "a calculator needs at least one source reference",
            "add the bib key of the paper it reproduces",
        );
    }
    if raw.population.trim().is_empty() || raw.source.trim().is_empty() {
        cx.err(
            raw.id.span(),
            "`source` and `population` must say where the tool comes from and whom it was validated in",
        );
    }

    // Inputs.
    let mut inputs: Vec<Input> = Vec::new();
    let mut input_spans: BTreeMap<String, Range<usize>> = BTreeMap::new();
    for ri in raw.inputs.get_ref() {
        if let Some(input) = validate_input(cx, ri.get_ref()) {
            if input_spans.contains_key(&input.id) {
                cx.err(
                    ri.get_ref().id.span(),
                    format!("duplicate input id `{}`", input.id),
                );
                continue;
            }
            input_spans.insert(input.id.clone(), ri.get_ref().id.span());
            inputs.push(input);
        }
    }
    if raw.inputs.get_ref().is_empty() {
        cx.err(raw.inputs.span(), "a calculator needs at least one input");
    }
    let mut used: BTreeSet<String> = BTreeSet::new();

    // Items or criteria.
    let mut items = Vec::new();
    let mut items_ok = true;
    let mut criteria = Vec::new();
    match kind {
        Kind::Score => {
            if raw.items.is_empty() {
                cx.err(raw.kind.span(), "a score calculator needs [[items]]");
            }
            if let Some(c) = raw.criteria.first() {
                cx.err(c.span(), "[[criteria]] belong to kind = \"criteria\"");
            }
            let mut ids = BTreeSet::new();
            for ri in &raw.items {
                let r = ri.get_ref();
                if !ids.insert(r.id.get_ref().clone()) {
                    cx.err(
                        r.id.span(),
                        format!("duplicate item id `{}`", r.id.get_ref()),
                    );
                }
                match validate_item(cx, ri, &inputs, &mut used) {
                    Some(item) => items.push(item),
                    None => items_ok = false,
                }
            }
        }
        Kind::Criteria => {
            if raw.criteria.is_empty() {
                cx.err(raw.kind.span(), "a criteria calculator needs [[criteria]]");
            }
            if let Some(i) = raw.items.first() {
                cx.err(i.span(), "[[items]] belong to kind = \"score\"");
            }
            let mut ids = BTreeSet::new();
            for rc in &raw.criteria {
                let r = rc.get_ref();
                if !valid_id(r.id.get_ref()) {
                    cx.err(
                        r.id.span(),
                        format!("invalid criterion id `{}`", r.id.get_ref()),
                    );
                }
                if !ids.insert(r.id.get_ref().clone()) {
                    cx.err(
                        r.id.span(),
                        format!("duplicate criterion id `{}`", r.id.get_ref()),
                    );
                }
                if let Some(rule) = validate_test(cx, &r.rule, &inputs, &mut used) {
                    criteria.push(Criterion {
                        id: r.id.get_ref().clone(),
                        label: r.label.clone(),
                        rule,
                    });
                }
            }
        }
    }

    let result = validate_result(
        cx,
        &raw.result,
        kind,
        (&items, items_ok),
        &criteria,
        &inputs,
        &mut used,
    );

    for input in &inputs {
        if !used.contains(&input.id) {
            cx.err_hint(
                input_spans[&input.id].clone(),
                format!(
                    "input `{}` is never used by an item, criterion or result",
                    input.id
                ),
                "remove it or use it",
            );
        }
    }

    Spec {
        id,
        kind,
        title: raw.title,
        references: raw.references.into_inner(),
        source: raw.source,
        population: raw.population,
        limits: raw.limits,
        interpretation: raw.interpretation,
        inputs,
        items,
        criteria,
        result,
    }
}

fn find<'a>(inputs: &'a [Input], id: &str) -> Option<&'a Input> {
    inputs.iter().find(|i| i.id == id)
}
