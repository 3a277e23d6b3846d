//! The TOML form of a calculator spec and its build-time validation: gaps or overlaps
//! between bands, unknown units, unreachable bands, cut-offs and results are errors
//! with file:line, all reported at once. The format is described in [`super::spec`].

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::num::{Rat, parse_ratio};
use super::spec::{
    Band, Choice, Criterion, Input, InputKind, Item, Kind, Points, ResultRule, Row, Spec, Test,
    Unit,
};
use super::units;
use crate::diag::Diagnostic;

// ---------------------------------------------------------------------------------
// Raw TOML
// ---------------------------------------------------------------------------------

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum Num {
    Str(String),
    Int(i64),
    Float(f64),
}

impl Num {
    fn text(&self) -> String {
        match self {
            Num::Str(s) => s.clone(),
            Num::Int(i) => i.to_string(),
            Num::Float(f) => format!("{f}"),
        }
    }
}

type S<T> = Spanned<T>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSpec {
    id: S<String>,
    kind: S<String>,
    title: String,
    references: S<Vec<String>>,
    source: String,
    population: String,
    #[serde(default)]
    limits: Vec<String>,
    #[serde(default)]
    interpretation: Vec<String>,
    inputs: S<Vec<S<RawInput>>>,
    #[serde(default)]
    items: Vec<S<RawItem>>,
    #[serde(default)]
    criteria: Vec<S<RawCriterion>>,
    result: S<RawResult>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawInput {
    id: S<String>,
    label: String,
    help: Option<String>,
    #[serde(rename = "type")]
    kind: S<String>,
    choices: Option<Vec<RawChoice>>,
    units: Option<Vec<S<RawUnit>>>,
    min: Option<S<Num>>,
    max: Option<S<Num>>,
    nullable: Option<S<bool>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChoice {
    value: S<String>,
    label: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawUnit {
    id: S<String>,
    factor: Option<S<Num>>,
    offset: Option<S<Num>>,
    /// Free text documenting the conversion (not rendered).
    #[allow(dead_code)]
    note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    id: S<String>,
    label: String,
    input: Option<S<String>>,
    count: Option<Vec<S<RawTest>>>,
    points: Option<S<BTreeMap<String, S<i64>>>>,
    bands: Option<Vec<S<RawBand>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBand {
    min: Option<S<Num>>,
    min_inclusive: Option<bool>,
    max: Option<S<Num>>,
    max_inclusive: Option<bool>,
    points: S<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTest {
    input: Option<S<String>>,
    is: Option<S<toml::Value>>,
    min: Option<S<Num>>,
    min_inclusive: Option<bool>,
    max: Option<S<Num>>,
    max_inclusive: Option<bool>,
    unit_thresholds: Option<BTreeMap<String, S<Num>>>,
    all: Option<Vec<S<RawTest>>>,
    any: Option<Vec<S<RawTest>>>,
    at_least: Option<S<u32>>,
    of: Option<Vec<S<RawTest>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCriterion {
    id: S<String>,
    label: String,
    rule: S<RawTest>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRow {
    score: S<i64>,
    text: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawResult {
    max: Option<S<i64>>,
    cutoff: Option<S<i64>>,
    probability: Option<Vec<S<RawRow>>>,
    suffix: Option<String>,
    required: Option<S<u32>>,
    sufficient: Option<Vec<S<String>>>,
}

// ---------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------

struct Ctx<'a> {
    file: &'a Path,
    text: &'a str,
    diags: Vec<Diagnostic>,
}

impl Ctx<'_> {
    fn err(&mut self, span: Range<usize>, msg: impl Into<String>) {
        self.diags
            .push(Diagnostic::error(self.file, msg).at_offset(self.text, span.start));
    }

    fn err_hint(&mut self, span: Range<usize>, msg: impl Into<String>, hint: impl Into<String>) {
        self.diags.push(
            Diagnostic::error(self.file, msg)
                .at_offset(self.text, span.start)
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
            let mut d =
                Diagnostic::error(file, format!("invalid calculator spec: {}", e.message()));
            if let Some(span) = e.span() {
                d = d.at_offset(text, span.start);
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

fn validate_input(cx: &mut Ctx<'_>, r: &RawInput) -> Option<Input> {
    let id = r.id.get_ref().clone();
    let mut ok = true;
    if !valid_id(&id) || id.contains('-') {
        cx.err(
            r.id.span(),
            format!("input id `{id}` must use a-z, 0-9 and `_` only"),
        );
        ok = false;
    }
    let kind = match r.kind.get_ref().as_str() {
        "boolean" => InputKind::Boolean,
        "choice" => InputKind::Choice,
        "count" => InputKind::Count,
        "measured" => InputKind::Measured,
        other => {
            cx.err_hint(
                r.kind.span(),
                format!("unknown input type `{other}`"),
                "use boolean, choice, count or measured",
            );
            return None;
        }
    };
    let mut choices = Vec::new();
    if kind == InputKind::Choice {
        let raw = r.choices.as_deref().unwrap_or_default();
        if raw.len() < 2 {
            cx.err(
                r.kind.span(),
                format!("choice input `{id}` needs at least two choices"),
            );
            ok = false;
        }
        let mut seen = BTreeSet::new();
        for c in raw {
            if !valid_id(c.value.get_ref()) || !seen.insert(c.value.get_ref().clone()) {
                cx.err(
                    c.value.span(),
                    format!(
                        "choice value `{}` is invalid or repeated",
                        c.value.get_ref()
                    ),
                );
                ok = false;
            }
            choices.push(Choice {
                value: c.value.get_ref().clone(),
                label: c.label.clone(),
            });
        }
    } else if r.choices.is_some() {
        cx.err(
            r.kind.span(),
            format!("only choice inputs have choices (`{id}`)"),
        );
        ok = false;
    }
    let mut unit_list = Vec::new();
    if kind == InputKind::Measured {
        let raw = r.units.as_deref().unwrap_or_default();
        if raw.is_empty() {
            cx.err_hint(
                r.kind.span(),
                format!("measured input `{id}` needs units"),
                "units = [ { id = \"g/L\" }, … ]; the first is the base unit",
            );
            ok = false;
        }
        let mut seen = BTreeSet::new();
        for (i, u) in raw.iter().enumerate() {
            let u = u.get_ref();
            let sym = u.id.get_ref();
            let Some(label) = units::label(sym) else {
                cx.err_hint(
                    u.id.span(),
                    format!("unknown unit `{sym}`"),
                    format!("known units: {}", units::known_list()),
                );
                ok = false;
                continue;
            };
            if !seen.insert(sym.clone()) {
                cx.err(u.id.span(), format!("unit `{sym}` is listed twice"));
                ok = false;
            }
            let factor = match &u.factor {
                Some(f) => cx.num(f, "factor"),
                None => Some(Rat::ONE),
            };
            let offset = match &u.offset {
                Some(o) => cx.num(o, "offset"),
                None => Some(Rat::ZERO),
            };
            let (Some(factor), Some(offset)) = (factor, offset) else {
                ok = false;
                continue;
            };
            if i == 0 && (factor != Rat::ONE || offset != Rat::ZERO) {
                cx.err_hint(
                    u.id.span(),
                    format!(
                        "the first unit of `{id}` is its base unit and takes no factor or offset"
                    ),
                    "put the unit the thresholds are written in first",
                );
                ok = false;
            }
            if factor <= Rat::ZERO {
                cx.err(
                    u.id.span(),
                    format!("factor of unit `{sym}` must be positive"),
                );
                ok = false;
            }
            unit_list.push(Unit {
                id: sym.clone(),
                label: label.to_string(),
                factor,
                offset,
            });
        }
    } else if r.units.is_some() {
        cx.err(
            r.kind.span(),
            format!("only measured inputs have units (`{id}`)"),
        );
        ok = false;
    }
    let (mut min, mut max) = (None, None);
    if matches!(kind, InputKind::Count | InputKind::Measured) {
        min = r.min.as_ref().and_then(|n| cx.num(n, "min"));
        max = r.max.as_ref().and_then(|n| cx.num(n, "max"));
        match (min, max) {
            (Some(lo), Some(hi)) if lo >= hi => {
                cx.err(
                    r.id.span(),
                    format!("plausible range of `{id}` is empty (min ≥ max)"),
                );
                ok = false;
            }
            (Some(lo), Some(hi)) => {
                if kind == InputKind::Count && (!lo.is_integer() || !hi.is_integer()) {
                    cx.err(
                        r.id.span(),
                        format!("range of count `{id}` must be whole numbers"),
                    );
                    ok = false;
                }
            }
            _ => {
                cx.err_hint(
                    r.id.span(),
                    format!("input `{id}` needs a plausible range"),
                    "add min = … and max = … (inclusive, in the base unit)",
                );
                ok = false;
            }
        }
    } else if r.min.is_some() || r.max.is_some() {
        cx.err(
            r.id.span(),
            format!("only counts and measurements have a range (`{id}`)"),
        );
        ok = false;
    }
    let nullable = r.nullable.as_ref().is_some_and(|n| *n.get_ref());
    if nullable && kind == InputKind::Count {
        if let Some(n) = &r.nullable {
            cx.err(
                n.span(),
                format!("only measured, boolean and choice inputs may be nullable (`{id}`)"),
            );
        }
        ok = false;
    }
    let ranges = match (min, max) {
        (Some(lo), Some(hi)) if unit_list.is_empty() => {
            vec![format!("{}–{}", lo.display(), hi.display())]
        }
        (Some(lo), Some(hi)) => unit_list
            .iter()
            .map(|u| {
                let c = |v: Rat| u.from_base(v).map_or_else(|| "?".into(), |x| x.display());
                format!("{}–{} {}", c(lo), c(hi), u.label)
            })
            .collect(),
        _ => Vec::new(),
    };
    // Returned even when invalid (the errors are recorded) so later checks do not
    // report the input as unknown.
    let _ = ok;
    Some(Input {
        id,
        ranges,
        label: r.label.clone(),
        help: r.help.clone(),
        kind,
        choices,
        units: unit_list,
        min,
        max,
        nullable,
    })
}

fn find<'a>(inputs: &'a [Input], id: &str) -> Option<&'a Input> {
    inputs.iter().find(|i| i.id == id)
}

fn validate_item(
    cx: &mut Ctx<'_>,
    ri: &S<RawItem>,
    inputs: &[Input],
    used: &mut BTreeSet<String>,
) -> Option<Item> {
    let r = ri.get_ref();
    let id = r.id.get_ref().clone();
    if !valid_id(&id) {
        cx.err(r.id.span(), format!("invalid item id `{id}`"));
    }
    let input = match &r.input {
        Some(name) => match find(inputs, name.get_ref()) {
            Some(i) => {
                used.insert(i.id.clone());
                Some(i)
            }
            None => {
                cx.err(name.span(), format!("unknown input `{}`", name.get_ref()));
                return None;
            }
        },
        None => None,
    };
    let mut count = Vec::new();
    if let Some(tests) = &r.count {
        if tests.is_empty() {
            cx.err(r.id.span(), format!("item `{id}`: `count` is empty"));
        }
        for t in tests {
            if let Some(t) = validate_test(cx, t, inputs, used) {
                count.push(t);
            }
        }
        if let Some(i) = input
            && i.kind != InputKind::Count
        {
            cx.err(
                r.id.span(),
                format!("item `{id}`: with `count`, the alternative input must be a count"),
            );
        }
    }
    if input.is_none() && r.count.is_none() {
        cx.err_hint(
            r.id.span(),
            format!("item `{id}` reads nothing"),
            "give `input`, `count`, or both",
        );
        return None;
    }
    let banded = r.count.is_some()
        || input.is_some_and(|i| matches!(i.kind, InputKind::Count | InputKind::Measured));
    let mut points = Points::default();
    let mut bands = Vec::new();
    if banded {
        if let Some(p) = &r.points {
            cx.err(
                p.span(),
                format!("item `{id}` is banded: use `bands`, not `points`"),
            );
        }
        let Some(raw_bands) = &r.bands else {
            cx.err(r.id.span(), format!("item `{id}` needs `bands`"));
            return None;
        };
        // The range covered: the input's plausible range, or 0..=tests for derived counts.
        let range = match input {
            Some(i) => (i.min, i.max),
            None => (Some(Rat::ZERO), Some(Rat::int(count.len() as i64))),
        };
        let unit_text = input
            .and_then(|i| i.units.first())
            .map(|u| format!(" {}", u.label))
            .unwrap_or_default();
        bands = validate_bands(cx, &id, raw_bands, range, &unit_text)?;
    } else {
        if let Some(b) = raw_bands_first(&r.bands) {
            cx.err(
                b,
                format!("item `{id}` is a choice: use `points`, not `bands`"),
            );
        }
        let Some(p) = &r.points else {
            cx.err(r.id.span(), format!("item `{id}` needs `points`"));
            return None;
        };
        let input = input?;
        let keys: Vec<String> = match input.kind {
            InputKind::Boolean => vec!["yes".into(), "no".into()],
            _ => input.choices.iter().map(|c| c.value.clone()).collect(),
        };
        for k in p.get_ref().keys() {
            if !keys.contains(k) {
                cx.err_hint(
                    p.span(),
                    format!("item `{id}`: points for unknown choice `{k}`"),
                    format!("choices: {}", keys.join(", ")),
                );
            }
        }
        for k in &keys {
            match p.get_ref().get(k) {
                Some(v) => {
                    if *v.get_ref() < 0 {
                        cx.err(
                            v.span(),
                            format!("item `{id}`: points must not be negative"),
                        );
                    }
                    points.0.push((k.clone(), *v.get_ref()));
                }
                None => cx.err(
                    p.span(),
                    format!("item `{id}`: no points for `{k}` (every answer must score)"),
                ),
            }
        }
    }
    Some(Item {
        id,
        label: r.label.clone(),
        input: input.map(|i| i.id.clone()),
        count,
        points,
        bands,
    })
}

fn raw_bands_first(b: &Option<Vec<S<RawBand>>>) -> Option<Range<usize>> {
    b.as_ref().and_then(|v| v.first()).map(|b| b.span())
}

fn edge_text(v: Rat, unit: &str) -> String {
    format!("{}{unit}", v.display())
}

fn validate_bands(
    cx: &mut Ctx<'_>,
    id: &str,
    raw: &[S<RawBand>],
    range: (Option<Rat>, Option<Rat>),
    unit: &str,
) -> Option<Vec<Band>> {
    let mut bands = Vec::new();
    let mut ok = true;
    let mut spans = Vec::new();
    for rb in raw {
        let b = rb.get_ref();
        let min = b.min.as_ref().and_then(|n| cx.num(n, "band edge"));
        let max = b.max.as_ref().and_then(|n| cx.num(n, "band edge"));
        if (b.min.is_some() && min.is_none()) || (b.max.is_some() && max.is_none()) {
            ok = false;
            continue;
        }
        if b.min.is_some() != b.min_inclusive.is_some()
            || b.max.is_some() != b.max_inclusive.is_some()
        {
            cx.err_hint(
                rb.span(),
                format!("item `{id}`: every band edge needs an explicit inclusive flag, and a flag needs an edge"),
                "write min = …, min_inclusive = true|false (and the same for max)",
            );
            ok = false;
            continue;
        }
        if *b.points.get_ref() < 0 {
            cx.err(
                b.points.span(),
                format!("item `{id}`: points must not be negative"),
            );
            ok = false;
        }
        if let (Some(lo), Some(hi)) = (min, max) {
            let empty = lo > hi
                || (lo == hi && !(b.min_inclusive == Some(true) && b.max_inclusive == Some(true)));
            if empty {
                cx.err(rb.span(), format!("item `{id}`: band is empty"));
                ok = false;
                continue;
            }
        }
        bands.push(Band {
            min,
            min_inclusive: b.min_inclusive.unwrap_or(false),
            max,
            max_inclusive: b.max_inclusive.unwrap_or(false),
            points: *b.points.get_ref(),
        });
        spans.push(rb.span());
    }
    if !ok {
        return None;
    }
    if bands.is_empty() {
        return None;
    }
    // Consecutive bands must meet exactly, one side inclusive.
    for i in 1..bands.len() {
        let (a, b) = (&bands[i - 1], &bands[i]);
        let span = spans[i].clone();
        match (a.max, b.min) {
            (None, _) => {
                cx.err(
                    span,
                    format!("item `{id}`: overlap: the previous band has no upper edge"),
                );
                ok = false;
            }
            (_, None) => {
                cx.err(
                    span,
                    format!(
                        "item `{id}`: overlap: this band has no lower edge but is not the first"
                    ),
                );
                ok = false;
            }
            (Some(hi), Some(lo)) => {
                if lo > hi {
                    cx.err(
                        span,
                        format!(
                            "item `{id}`: gap between {} and {}",
                            edge_text(hi, unit),
                            edge_text(lo, unit)
                        ),
                    );
                    ok = false;
                } else if lo < hi {
                    cx.err(
                        span,
                        format!(
                            "item `{id}`: overlap between {} and {} (bands must be in ascending order)",
                            edge_text(lo, unit),
                            edge_text(hi, unit)
                        ),
                    );
                    ok = false;
                } else if a.max_inclusive && b.min_inclusive {
                    cx.err_hint(
                        span,
                        format!(
                            "item `{id}`: overlap: {} belongs to two bands",
                            edge_text(lo, unit)
                        ),
                        "make exactly one side of the shared edge inclusive",
                    );
                    ok = false;
                } else if !a.max_inclusive && !b.min_inclusive {
                    cx.err_hint(
                        span,
                        format!(
                            "item `{id}`: gap: {} belongs to no band",
                            edge_text(lo, unit)
                        ),
                        "make exactly one side of the shared edge inclusive",
                    );
                    ok = false;
                }
            }
        }
    }
    // The bands must cover the plausible range and each must be reachable in it.
    let (rmin, rmax) = range;
    if let (Some(first), Some(rmin)) = (bands.first(), rmin)
        && let Some(lo) = first.min
    {
        {
            if lo > rmin || (lo == rmin && !first.min_inclusive) {
                cx.err(
                    spans[0].clone(),
                    format!(
                        "item `{id}`: gap: values from {} (the plausible minimum) up to {} score nothing",
                        edge_text(rmin, unit),
                        edge_text(lo, unit)
                    ),
                );
                ok = false;
            }
        }
    }
    if let (Some(last), Some(rmax)) = (bands.last(), rmax)
        && let Some(hi) = last.max
    {
        {
            if hi < rmax || (hi == rmax && !last.max_inclusive) {
                cx.err(
                    spans[spans.len() - 1].clone(),
                    format!(
                        "item `{id}`: gap: values above {} up to {} (the plausible maximum) score nothing",
                        edge_text(hi, unit),
                        edge_text(rmax, unit)
                    ),
                );
                ok = false;
            }
        }
    }
    for (b, span) in bands.iter().zip(&spans) {
        let below = match (b.max, rmin) {
            (Some(hi), Some(rmin)) => hi < rmin || (hi == rmin && !b.max_inclusive),
            _ => false,
        };
        let above = match (b.min, rmax) {
            (Some(lo), Some(rmax)) => lo > rmax || (lo == rmax && !b.min_inclusive),
            _ => false,
        };
        if below || above {
            cx.err_hint(
                span.clone(),
                format!("item `{id}`: band is unreachable: it lies outside the plausible range"),
                "widen the input's min/max or remove the band",
            );
            ok = false;
        }
    }
    ok.then_some(bands)
}

fn validate_test(
    cx: &mut Ctx<'_>,
    rt: &S<RawTest>,
    inputs: &[Input],
    used: &mut BTreeSet<String>,
) -> Option<Test> {
    let r = rt.get_ref();
    let span = rt.span();
    let forms = [
        r.input.is_some(),
        r.all.is_some(),
        r.any.is_some(),
        r.at_least.is_some() || r.of.is_some(),
    ];
    if forms.iter().filter(|f| **f).count() != 1 {
        cx.err_hint(
            span,
            "a test must be exactly one of: { input = … }, { all = [...] }, { any = [...] }, { at_least = N, of = [...] }",
            "split the test",
        );
        return None;
    }
    let list = |cx: &mut Ctx<'_>, v: &Vec<S<RawTest>>, used: &mut BTreeSet<String>| {
        let mut out = Vec::new();
        let mut ok = true;
        for t in v {
            match validate_test(cx, t, inputs, used) {
                Some(t) => out.push(t),
                None => ok = false,
            }
        }
        ok.then_some(out)
    };
    if let Some(v) = &r.all {
        if v.is_empty() {
            cx.err(span.clone(), "`all` is empty");
        }
        return Some(Test::All {
            of: list(cx, v, used)?,
        });
    }
    if let Some(v) = &r.any {
        if v.is_empty() {
            cx.err(span.clone(), "`any` is empty");
        }
        return Some(Test::Any {
            of: list(cx, v, used)?,
        });
    }
    if r.input.is_none() {
        let (Some(n), Some(v)) = (&r.at_least, &r.of) else {
            cx.err(span, "`at_least` needs `of`, and `of` needs `at_least`");
            return None;
        };
        if *n.get_ref() == 0 || *n.get_ref() as usize > v.len() {
            cx.err_hint(
                n.span(),
                format!(
                    "at_least = {} of {} tests can never, or always, hold",
                    n.get_ref(),
                    v.len()
                ),
                "use a number between 1 and the number of tests",
            );
        }
        return Some(Test::AtLeast {
            n: *n.get_ref(),
            of: list(cx, v, used)?,
        });
    }
    let name = r.input.as_ref()?;
    let Some(input) = find(inputs, name.get_ref()) else {
        cx.err(name.span(), format!("unknown input `{}`", name.get_ref()));
        return None;
    };
    used.insert(input.id.clone());
    if let Some(is) = &r.is {
        if r.min.is_some() || r.max.is_some() || r.unit_thresholds.is_some() {
            cx.err(span, "a test has either `is` or edges, not both");
            return None;
        }
        let value = match (input.kind, is.get_ref()) {
            (InputKind::Boolean, toml::Value::Boolean(b)) => serde_json::Value::Bool(*b),
            (InputKind::Choice, toml::Value::String(s))
                if input.choices.iter().any(|c| &c.value == s) =>
            {
                serde_json::Value::String(s.clone())
            }
            _ => {
                cx.err(
                    is.span(),
                    format!("`is` does not match input `{}` (boolean → true/false; choice → one of its values)", input.id),
                );
                return None;
            }
        };
        return Some(Test::Is {
            input: input.id.clone(),
            value,
        });
    }
    if !matches!(input.kind, InputKind::Count | InputKind::Measured) {
        cx.err(
            name.span(),
            format!("input `{}` is not a number: test it with `is`", input.id),
        );
        return None;
    }
    let min = r.min.as_ref().and_then(|n| cx.num(n, "edge"));
    let max = r.max.as_ref().and_then(|n| cx.num(n, "edge"));
    if (r.min.is_some() && min.is_none()) || (r.max.is_some() && max.is_none()) {
        return None;
    }
    if r.min.is_none() && r.max.is_none() {
        cx.err(span, "a range test needs `min` or `max`");
        return None;
    }
    if r.min.is_some() != r.min_inclusive.is_some() || r.max.is_some() != r.max_inclusive.is_some()
    {
        cx.err_hint(
            span,
            "every edge needs an explicit inclusive flag, and a flag needs an edge",
            "write min = …, min_inclusive = true|false",
        );
        return None;
    }
    let mut unit_thresholds = BTreeMap::new();
    if let Some(ut) = &r.unit_thresholds {
        if r.min.is_some() && r.max.is_some() {
            cx.err(
                span.clone(),
                "`unit_thresholds` needs a test with a single edge",
            );
        }
        for (u, v) in ut {
            if !input.units.iter().skip(1).any(|x| &x.id == u) {
                cx.err_hint(
                    v.span(),
                    format!(
                        "unit_thresholds: `{u}` is not a non-base unit of `{}`",
                        input.id
                    ),
                    format!(
                        "units of `{}`: {}",
                        input.id,
                        input
                            .units
                            .iter()
                            .map(|x| x.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
                continue;
            }
            if let Some(x) = cx.num(v, "threshold") {
                unit_thresholds.insert(u.clone(), x);
            }
        }
    }
    if let (Some(lo), Some(hi)) = (min, max)
        && lo > hi
    {
        cx.err(span.clone(), "test can never hold: min > max");
    }
    let reach_lo = input.min;
    let reach_hi = input.max;
    let never = matches!((max, reach_lo), (Some(hi), Some(rl)) if hi < rl)
        || matches!((min, reach_hi), (Some(lo), Some(rh)) if lo > rh);
    if never {
        cx.err_hint(
            span,
            format!(
                "test on `{}` is unreachable within its plausible range",
                input.id
            ),
            "check the threshold and the input's min/max",
        );
    }
    Some(Test::Range {
        input: input.id.clone(),
        min,
        min_inclusive: r.min_inclusive.unwrap_or(false),
        max,
        max_inclusive: r.max_inclusive.unwrap_or(false),
        unit_thresholds,
    })
}

fn validate_result(
    cx: &mut Ctx<'_>,
    rr: &S<RawResult>,
    kind: Kind,
    scored: (&[Item], bool),
    criteria: &[Criterion],
    inputs: &[Input],
    used: &mut BTreeSet<String>,
) -> ResultRule {
    // `items_ok` is false when an item failed validation: totals would be misleading.
    let (items, items_ok) = scored;
    let r = rr.get_ref();
    let mut out = ResultRule {
        max: 0,
        cutoff: None,
        probability: Vec::new(),
        suffix: r.suffix.clone().unwrap_or_default(),
        required: 0,
        sufficient: Vec::new(),
    };
    match kind {
        Kind::Score => {
            let item_max: i64 = items
                .iter()
                .map(|i| {
                    i.bands
                        .iter()
                        .map(|b| b.points)
                        .chain(i.points.0.iter().map(|p| p.1))
                        .max()
                        .unwrap_or(0)
                })
                .sum();
            match &r.max {
                Some(m) => {
                    if items_ok && *m.get_ref() != item_max {
                        cx.err_hint(
                            m.span(),
                            format!(
                                "max = {} but the items' highest points add up to {item_max}",
                                m.get_ref()
                            ),
                            "fix the points or the declared maximum",
                        );
                    }
                    out.max = *m.get_ref();
                }
                None => {
                    cx.err(
                        rr.span(),
                        "a score needs `max` (the highest possible score)",
                    );
                }
            }
            if let Some(c) = &r.cutoff {
                if items_ok && (*c.get_ref() <= 0 || *c.get_ref() > item_max) {
                    cx.err(
                        c.span(),
                        format!(
                            "cut-off {} is unreachable (scores run 0–{item_max})",
                            c.get_ref()
                        ),
                    );
                }
                out.cutoff = Some(*c.get_ref());
            }
            let rows = r.probability.as_deref().unwrap_or_default();
            let mut prev: Option<i64> = None;
            for row in rows {
                let s = *row.get_ref().score.get_ref();
                if prev.is_some_and(|p| s <= p) {
                    cx.err(
                        row.get_ref().score.span(),
                        "probability rows must be in strictly ascending score order",
                    );
                }
                if s < 0 || (items_ok && s > item_max) {
                    cx.err(
                        row.get_ref().score.span(),
                        format!("probability row {s} is unreachable (scores run 0–{item_max})"),
                    );
                }
                if row.get_ref().text.trim().is_empty() {
                    cx.err(row.span(), "probability row needs text");
                }
                prev = Some(s);
                out.probability.push(Row {
                    score: s,
                    text: row.get_ref().text.clone(),
                });
            }
            if rows.len() == 1 {
                cx.err(rr.span(), "a probability table needs at least two rows");
            }
            if r.required.is_some() || r.sufficient.is_some() {
                cx.err(
                    rr.span(),
                    "`required`/`sufficient` belong to kind = \"criteria\"",
                );
            }
        }
        Kind::Criteria => {
            match &r.required {
                Some(n) => {
                    if *n.get_ref() == 0 || *n.get_ref() as usize > criteria.len() {
                        cx.err(
                            n.span(),
                            format!(
                                "required = {} is unreachable with {} criteria",
                                n.get_ref(),
                                criteria.len()
                            ),
                        );
                    }
                    out.required = *n.get_ref();
                }
                None => cx.err(rr.span(), "a criteria calculator needs `required`"),
            }
            out.max = criteria.len() as i64;
            for s in r.sufficient.iter().flatten() {
                match find(inputs, s.get_ref()) {
                    Some(i) if i.kind == InputKind::Boolean && !i.nullable => {
                        used.insert(i.id.clone());
                        out.sufficient.push(i.id.clone());
                    }
                    Some(_) => cx.err(
                        s.span(),
                        "`sufficient` must name boolean inputs that are not nullable",
                    ),
                    None => cx.err(s.span(), format!("unknown input `{}`", s.get_ref())),
                }
            }
            if r.max.is_some() || r.cutoff.is_some() || r.probability.is_some() {
                cx.err(
                    rr.span(),
                    "`max`/`cutoff`/`probability` belong to kind = \"score\"",
                );
            }
        }
    }
    out
}
