//! The exact evaluator: JSON input → validated values → result.
//!
//! `static/js/calculator.js` implements the same rules; `tests/it/calculators.rs` checks
//! that both agree on shared vectors and on thousands of random inputs.
//!
//! Input rules (both evaluators):
//! - the input is a JSON object from input id to value; unknown keys are errors;
//! - boolean: `true`/`false`; choice: one of its values (string);
//! - count: a whole number (JSON number or numeric string) within the plausible range;
//! - measured: `{"value": <number or numeric string>, "unit": "<symbol>"}`;
//! - `null` when the input is nullable: the test was not done. A test on it is then
//!   unknown, and tests combine in three-valued logic (`any` holds when one part holds,
//!   fails when every part fails, and is unknown otherwise; likewise `all` and
//!   `at_least`). A criterion or item that stays unknown is "not measured": a score
//!   becomes the range its missing items allow, and criteria are fulfilled, not
//!   fulfilled, or undetermined;
//! - every input is required, except that an item with both `input` and `count` takes
//!   either its input or all the inputs its count tests read, not both.
//!
//! Reading a JSON document ([`run`], `hpskb score`) also keeps each number's literal
//! digits and refuses a key given twice (see [`super::input`]); the browser builds its
//! input from the form's text, so neither question arises there. Here a number's text
//! over 64 characters is refused unparsed, with a short message (the browser calls it
//! implausible).

use std::collections::BTreeMap;

use serde::Serialize;
use serde::ser::SerializeMap;
use serde_json::Value;

use super::input::{self, Json};
use super::num::{NumError, Rat, parse_decimal};
use super::quote;
use super::spec::{Band, Input, InputKind, Item, Kind, Spec, Test};

/// Longest text read as a number (characters): more is refused before it is parsed
/// (a decimal has at most 20 significant digits; see [`super::num::MAX_DIGITS`]).
const MAX_NUMBER_TEXT: usize = 64;

/// A validated input value.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    /// Yes/no.
    Bool(bool),
    /// A choice value.
    Choice(String),
    /// A number; `unit` indexes the input's units (0 for counts).
    Num {
        /// Value as entered.
        value: Rat,
        /// Unit index.
        unit: usize,
    },
    /// Test not done.
    Null,
}

/// A problem with one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// Input id (or `input` for the document as a whole).
    pub field: String,
    /// What is wrong.
    pub message: String,
    /// True when the field is simply missing.
    pub missing: bool,
}

impl FieldError {
    fn new(field: &str, message: impl Into<String>) -> Self {
        FieldError {
            field: field.to_string(),
            message: message.into(),
            missing: false,
        }
    }

    fn missing(field: &str, message: impl Into<String>) -> Self {
        FieldError {
            missing: true,
            ..Self::new(field, message)
        }
    }
}

/// An ordered list of `(key, value)` serialized as a JSON object.
#[derive(Debug, Clone, PartialEq)]
pub struct Ordered<T>(pub Vec<(String, T)>);

impl<T: Serialize> Serialize for Ordered<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// The result of a calculator.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// A score calculator's result.
    Score {
        /// Calculator id.
        calculator: String,
        /// Lowest and highest total the answers allow (equal when every item is known).
        score: (i64, i64),
        /// Highest possible score.
        max: i64,
        /// Probability text from the published table (empty without a table).
        probability: Option<String>,
        /// `(cutoff, met)`; `met` is `None` when the range straddles the cut-off.
        cutoff: Option<(i64, Option<bool>)>,
        /// Points per item; `None` when the item is not measured.
        items: Ordered<Option<i64>>,
    },
    /// A criteria calculator's result.
    Criteria {
        /// Calculator id.
        calculator: String,
        /// Each criterion: met, not met, or `None` (not measured).
        criteria: Ordered<Option<bool>>,
        /// Number met.
        met: i64,
        /// `true` when a sufficient input holds or `met ≥ required`; `false` when the
        /// criteria cannot reach `required` even if every unmeasured one were met;
        /// `None` otherwise.
        fulfilled: Option<bool>,
    },
}

impl Outcome {
    /// The output JSON (keys in documented order).
    pub fn to_json(&self) -> String {
        let mut out = String::from("{");
        let mut first = true;
        let mut field = |k: &str, v: String| {
            if !first {
                out.push(',');
            }
            first = false;
            out.push_str(&serde_json::to_string(k).unwrap_or_default());
            out.push(':');
            out.push_str(&v);
        };
        let js = |v: &dyn erased::Ser| v.json();
        match self {
            Outcome::Score {
                calculator,
                score,
                max,
                probability,
                cutoff,
                items,
            } => {
                field("calculator", js(calculator));
                field("score", score.0.to_string());
                if score.0 != score.1 {
                    field("score_range", js(&[score.0, score.1]));
                }
                field("max", max.to_string());
                if let Some(p) = probability {
                    field("probability", js(p));
                }
                if let Some((c, met)) = cutoff {
                    field(&format!("meets_cutoff_{c}"), js(met));
                }
                field("items", js(items));
                let missing = not_known(items);
                if !missing.is_empty() {
                    field("not_measured", js(&missing));
                }
            }
            Outcome::Criteria {
                calculator,
                criteria,
                met,
                fulfilled,
            } => {
                field("calculator", js(calculator));
                field("criteria", js(criteria));
                field("criteria_met", met.to_string());
                field("criteria_not_measured", js(&not_known(criteria)));
                field("fulfilled", js(fulfilled));
            }
        }
        out.push('}');
        out
    }
}

/// The keys whose value is unknown, in order.
fn not_known<T>(entries: &Ordered<Option<T>>) -> Vec<&str> {
    entries
        .0
        .iter()
        .filter(|(_, v)| v.is_none())
        .map(|(k, _)| k.as_str())
        .collect()
}

mod erased {
    pub(crate) trait Ser {
        fn json(&self) -> String;
    }
    impl<T: serde::Serialize> Ser for T {
        fn json(&self) -> String {
            serde_json::to_string(self).unwrap_or_default()
        }
    }
}

/// The published probability text for a score: at or below the first row → its text;
/// at or above the last → its text; on a row → that row; otherwise the range between
/// the two neighbouring rows (`40–54%`; `99% to >99%` when a row has a sign). Never
/// interpolated.
pub fn probability(rows: &[super::spec::Row], suffix: &str, score: i64) -> Option<String> {
    let (first, last) = (rows.first()?, rows.last()?);
    if score <= first.score {
        return Some(format!("{}{suffix}", first.text));
    }
    if score >= last.score {
        return Some(format!("{}{suffix}", last.text));
    }
    for w in rows.windows(2) {
        if score == w[0].score {
            return Some(format!("{}{suffix}", w[0].text));
        }
        if score > w[0].score && score < w[1].score {
            let (a, b) = (&w[0].text, &w[1].text);
            let signed = |t: &str| t.starts_with(['<', '>']);
            return Some(if signed(a) || signed(b) {
                format!("{a}{suffix} to {b}{suffix}")
            } else {
                format!("{a}–{b}{suffix}")
            });
        }
    }
    None
}

/// The probability text for a score range: one text when both ends read the same,
/// otherwise `<low end> to <high end>` (`40–54% to 80–88%`).
pub fn probability_range(
    rows: &[super::spec::Row],
    suffix: &str,
    (low, high): (i64, i64),
) -> Option<String> {
    let a = probability(rows, suffix, low)?;
    let b = probability(rows, suffix, high)?;
    Some(if a == b { a } else { format!("{a} to {b}") })
}

fn inputs_of(t: &Test, out: &mut Vec<String>) {
    match t {
        Test::Range { input, .. } | Test::Is { input, .. } => {
            if !out.contains(input) {
                out.push(input.clone());
            }
        }
        Test::All { of } | Test::Any { of } | Test::AtLeast { of, .. } => {
            for t in of {
                inputs_of(t, out);
            }
        }
    }
}

/// A number's literal digits, or a numeric string's text: both are read the same way.
fn number_text(v: &Json) -> Option<String> {
    match v {
        Json::Number(n) | Json::String(n) => Some(n.clone()),
        _ => None,
    }
}

fn parse_number(input: &Input, text: &str) -> Result<Rat, FieldError> {
    let id = input.id.as_str();
    if text.trim().is_empty() {
        return Err(FieldError::missing(
            id,
            format!("{} is missing", input.label),
        ));
    }
    if text.len() > MAX_NUMBER_TEXT {
        return Err(FieldError::new(
            id,
            format!(
                "{} is too long to be a value ({} characters)",
                quote(text),
                text.chars().count()
            ),
        ));
    }
    parse_decimal(text).map_err(|e| match e {
        NumError::NotANumber if text.contains(',') => FieldError::new(
            id,
            format!(
                "{} is not a number (write decimals with a point)",
                quote(text)
            ),
        ),
        NumError::NotANumber => FieldError::new(id, format!("{} is not a number", quote(text))),
        NumError::TooLarge => {
            FieldError::new(id, format!("{} is not a plausible value", quote(text)))
        }
    })
}

fn check_range(input: &Input, v: Rat, unit: usize, text: &str) -> Result<(), FieldError> {
    let id = input.id.as_str();
    let base = match input.units.get(unit) {
        Some(u) => u.to_base(v),
        None => Some(v),
    };
    let bad = |msg: String| Err(FieldError::new(id, msg));
    let Some(base) = base else {
        return bad(format!("{} is not a plausible value", v.display()));
    };
    if v.is_negative() && input.min.is_some_and(|m| !m.is_negative()) {
        return bad(format!("{} must not be negative", input.label));
    }
    if input.min.is_some_and(|m| base < m) || input.max.is_some_and(|m| base > m) {
        return bad(format!(
            "{} is outside the plausible range {}",
            text.trim(),
            input
                .ranges
                .get(unit)
                .or(input.ranges.first())
                .map_or("", String::as_str)
        ));
    }
    Ok(())
}

/// Reads one input's JSON value; `Ok(None)` when absent.
fn read_one(input: &Input, v: Option<&Json>) -> Result<Option<Val>, FieldError> {
    let id = input.id.as_str();
    let Some(v) = v else {
        return Ok(input.absent.map(Val::Bool));
    };
    if v.is_null() {
        return if input.nullable {
            Ok(Some(Val::Null))
        } else {
            Ok(None)
        };
    }
    match input.kind {
        InputKind::Boolean => match v {
            Json::Bool(b) => Ok(Some(Val::Bool(*b))),
            _ => Err(FieldError::new(id, "must be true or false")),
        },
        InputKind::Choice => match v {
            Json::String(s) if input.choices.iter().any(|c| &c.value == s) => {
                Ok(Some(Val::Choice(s.clone())))
            }
            _ => Err(FieldError::new(
                id,
                format!(
                    "must be one of: {}",
                    input
                        .choices
                        .iter()
                        .map(|c| c.value.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )),
        },
        InputKind::Count => {
            let Some(text) = number_text(v) else {
                return Err(FieldError::new(id, "must be a whole number"));
            };
            let n = parse_number(input, &text)?;
            if !n.is_integer() {
                return Err(FieldError::new(
                    id,
                    format!("{} is not a whole number", quote(&text)),
                ));
            }
            check_range(input, n, usize::MAX, &text)?;
            Ok(Some(Val::Num { value: n, unit: 0 }))
        }
        InputKind::Measured => {
            let Json::Object(entries) = v else {
                return Err(FieldError::new(
                    id,
                    "must be {\"value\": number, \"unit\": text}",
                ));
            };
            if let Some((k, _)) = entries.iter().find(|(k, _)| k != "value" && k != "unit") {
                return Err(FieldError::new(id, format!("unexpected key {}", quote(k))));
            }
            let units = input
                .units
                .iter()
                .map(|u| u.id.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            let unit = match v.get("unit") {
                Some(Json::String(u)) => match input.units.iter().position(|x| &x.id == u) {
                    Some(i) => i,
                    None => {
                        return Err(FieldError::new(
                            id,
                            format!("unit {} is not accepted; use one of: {units}", quote(u)),
                        ));
                    }
                },
                _ => {
                    return Err(FieldError::new(
                        id,
                        format!("unit is missing; use one of: {units}"),
                    ));
                }
            };
            let text = match v.get("value") {
                None | Some(Json::Null) => {
                    return Err(FieldError::missing(
                        id,
                        format!("{} is missing", input.label),
                    ));
                }
                Some(v) => {
                    number_text(v).ok_or_else(|| FieldError::new(id, "value must be a number"))?
                }
            };
            let n = parse_number(input, &text)?;
            check_range(input, n, unit, &text)?;
            Ok(Some(Val::Num { value: n, unit }))
        }
    }
}

/// Reads and checks every input; `Err` lists every bad field.
pub fn read(spec: &Spec, doc: &Json) -> Result<BTreeMap<String, Val>, Vec<FieldError>> {
    let Json::Object(entries) = doc else {
        return Err(vec![FieldError::new(
            "input",
            "the input must be a JSON object",
        )]);
    };
    let mut vals = BTreeMap::new();
    let mut errors = Vec::new();
    for input in &spec.inputs {
        match read_one(input, doc.get(&input.id)) {
            Ok(Some(v)) => {
                vals.insert(input.id.clone(), v);
            }
            Ok(None) => {}
            Err(e) => errors.push(e),
        }
    }
    for (k, _) in entries {
        if !spec.inputs.iter().any(|i| &i.id == k) {
            errors.push(FieldError::new(k, format!("unknown input {}", quote(k))));
        }
    }
    // Required inputs, and either/or items.
    let mut alternatives: Vec<String> = Vec::new();
    for item in &spec.items {
        if let (Some(x), false) = (&item.input, item.count.is_empty()) {
            let mut ys = Vec::new();
            for t in &item.count {
                inputs_of(t, &mut ys);
            }
            alternatives.push(x.clone());
            alternatives.extend(ys.iter().cloned());
            let bad = |errors: &Vec<FieldError>, id: &String| errors.iter().any(|e| &e.field == id);
            let given = |id: &String| doc.get(id).is_some_and(|v| !v.is_null());
            // A count input given as `null` (not done) is answered, not missing.
            let answered = |id: &String| {
                given(id)
                    || (doc.get(id).is_some_and(Json::is_null)
                        && find_input(spec, id).is_some_and(|i| i.nullable))
            };
            let ys_given: Vec<&String> = ys.iter().filter(|y| given(y)).collect();
            let label = |id: &str| {
                spec.inputs
                    .iter()
                    .find(|i| i.id == id)
                    .map_or(id.to_string(), |i| i.label.clone())
            };
            if given(x) {
                if !ys_given.is_empty() && !bad(&errors, x) {
                    errors.push(FieldError::new(
                        x,
                        format!(
                            "give either {} or the counts ({}), not both",
                            label(x),
                            ys.iter().map(|y| label(y)).collect::<Vec<_>>().join(", ")
                        ),
                    ));
                }
            } else if !ys.iter().any(answered) {
                errors.push(FieldError::missing(
                    x,
                    format!(
                        "{} is missing (or enter {})",
                        label(x),
                        ys.iter().map(|y| label(y)).collect::<Vec<_>>().join(", ")
                    ),
                ));
            } else {
                for y in &ys {
                    if !answered(y) && !bad(&errors, y) {
                        errors.push(FieldError::missing(
                            y,
                            format!("{} is missing (needed for the count)", label(y)),
                        ));
                    }
                }
            }
        }
    }
    for input in &spec.inputs {
        if alternatives.contains(&input.id)
            || vals.contains_key(&input.id)
            || errors.iter().any(|e| e.field == input.id)
        {
            continue;
        }
        errors.push(FieldError::missing(
            &input.id,
            format!("{} is missing", input.label),
        ));
    }
    if errors.is_empty() {
        Ok(vals)
    } else {
        let order = |f: &str| {
            spec.inputs
                .iter()
                .position(|i| i.id == f)
                .unwrap_or(usize::MAX)
        };
        errors.sort_by_key(|e| order(&e.field));
        Err(errors)
    }
}

/// The edge `e` (base unit) in the unit the value was given in.
fn edge_in(input: &Input, unit: usize, e: Rat, overrides: &BTreeMap<String, Rat>) -> Option<Rat> {
    match input.units.get(unit) {
        Some(u) if unit > 0 => overrides.get(&u.id).copied().or_else(|| u.from_base(e)),
        _ => Some(e),
    }
}

fn within(
    input: &Input,
    v: Rat,
    unit: usize,
    (min, min_incl): (Option<Rat>, bool),
    (max, max_incl): (Option<Rat>, bool),
    overrides: &BTreeMap<String, Rat>,
) -> bool {
    if let Some(m) = min {
        let Some(m) = edge_in(input, unit, m, overrides) else {
            return false;
        };
        if v < m || (v == m && !min_incl) {
            return false;
        }
    }
    if let Some(m) = max {
        let Some(m) = edge_in(input, unit, m, overrides) else {
            return false;
        };
        if v > m || (v == m && !max_incl) {
            return false;
        }
    }
    true
}

fn find_input<'a>(spec: &'a Spec, id: &str) -> Option<&'a Input> {
    spec.inputs.iter().find(|i| i.id == id)
}

/// `Some(true)` when the lowest possible count reaches `n`, `Some(false)` when even the
/// highest cannot, `None` when the tests not done decide it.
fn reaches<T: PartialOrd>(low: T, high: T, n: T) -> Option<bool> {
    if low >= n {
        Some(true)
    } else if high < n {
        Some(false)
    } else {
        None
    }
}

/// How many of `tests` hold, and how many are unknown.
fn tally(spec: &Spec, tests: &[Test], vals: &BTreeMap<String, Val>) -> (usize, usize) {
    tests
        .iter()
        .fold((0, 0), |(held, unknown), t| match test(spec, t, vals) {
            Some(true) => (held + 1, unknown),
            Some(false) => (held, unknown),
            None => (held, unknown + 1),
        })
}

/// Evaluates a test on validated values: `Some(holds)`, or `None` when it depends on a
/// test that was not done (three-valued logic).
pub fn test(spec: &Spec, t: &Test, vals: &BTreeMap<String, Val>) -> Option<bool> {
    let at_least = |n: usize, of: &[Test]| {
        let (held, unknown) = tally(spec, of, vals);
        reaches(held, held + unknown, n)
    };
    match t {
        Test::Range {
            input,
            min,
            min_inclusive,
            max,
            max_inclusive,
            unit_thresholds,
        } => match (vals.get(input), find_input(spec, input)) {
            (Some(Val::Null), _) => None,
            (Some(Val::Num { value, unit }), Some(inp)) => Some(within(
                inp,
                *value,
                *unit,
                (*min, *min_inclusive),
                (*max, *max_inclusive),
                unit_thresholds,
            )),
            _ => Some(false),
        },
        Test::Is { input, value } => match (vals.get(input), value) {
            (Some(Val::Null), _) => None,
            (Some(Val::Bool(b)), Value::Bool(e)) => Some(b == e),
            (Some(Val::Choice(c)), Value::String(e)) => Some(c == e),
            _ => Some(false),
        },
        Test::All { of } => at_least(of.len(), of),
        Test::Any { of } => at_least(1, of),
        Test::AtLeast { n, of } => at_least(*n as usize, of),
    }
}

fn band_points(bands: &[Band], input: Option<&Input>, v: Rat, unit: usize) -> i64 {
    let none = BTreeMap::new();
    for b in bands {
        let hit = match input {
            Some(inp) => within(
                inp,
                v,
                unit,
                (b.min, b.min_inclusive),
                (b.max, b.max_inclusive),
                &none,
            ),
            None => {
                b.min.is_none_or(|m| v > m || (v == m && b.min_inclusive))
                    && b.max.is_none_or(|m| v < m || (v == m && b.max_inclusive))
            }
        };
        if hit {
            return b.points;
        }
    }
    0
}

/// The lowest and highest of some points (`(0, 0)` for none).
fn span(points: impl Iterator<Item = i64>) -> (i64, i64) {
    points
        .fold(None, |acc: Option<(i64, i64)>, p| {
            Some(acc.map_or((p, p), |(lo, hi)| (lo.min(p), hi.max(p))))
        })
        .unwrap_or((0, 0))
}

/// An item's points as the lowest and highest its answers allow (equal when known).
fn item_points(spec: &Spec, item: &Item, vals: &BTreeMap<String, Val>) -> (i64, i64) {
    let input = item.input.as_deref().and_then(|i| find_input(spec, i));
    let one = |p: i64| (p, p);
    match (input, item.input.as_ref().and_then(|i| vals.get(i))) {
        (Some(_), Some(Val::Bool(b))) => {
            one(item.points.get(if *b { "yes" } else { "no" }).unwrap_or(0))
        }
        (Some(_), Some(Val::Choice(c))) => one(item.points.get(c).unwrap_or(0)),
        (Some(inp), Some(Val::Num { value, unit })) => {
            let inp = (inp.kind == InputKind::Measured).then_some(inp);
            one(band_points(&item.bands, inp, *value, *unit))
        }
        (Some(_), Some(Val::Null)) => span(
            item.points
                .0
                .iter()
                .map(|p| p.1)
                .chain(item.bands.iter().map(|b| b.points)),
        ),
        _ => {
            let (held, unknown) = tally(spec, &item.count, vals);
            span(
                (held..=held + unknown)
                    .map(|n| band_points(&item.bands, None, Rat::int(n as i64), 0)),
            )
        }
    }
}

/// Evaluates validated values.
pub fn evaluate(spec: &Spec, vals: &BTreeMap<String, Val>) -> Outcome {
    match spec.kind {
        Kind::Score => {
            let items: Vec<(String, (i64, i64))> = spec
                .items
                .iter()
                .map(|i| (i.id.clone(), item_points(spec, i, vals)))
                .collect();
            let score = items
                .iter()
                .fold((0, 0), |(lo, hi), (_, (a, b))| (lo + a, hi + b));
            let cutoff = spec
                .result
                .cutoff
                .map(|c| (c, reaches(score.0, score.1, c)));
            Outcome::Score {
                calculator: spec.id.clone(),
                score,
                max: spec.result.max,
                probability: probability_range(
                    &spec.result.probability,
                    &spec.result.suffix,
                    score,
                ),
                cutoff,
                items: Ordered(
                    items
                        .into_iter()
                        .map(|(id, (a, b))| (id, (a == b).then_some(a)))
                        .collect(),
                ),
            }
        }
        Kind::Criteria => {
            let criteria: Vec<(String, Option<bool>)> = spec
                .criteria
                .iter()
                .map(|c| (c.id.clone(), test(spec, &c.rule, vals)))
                .collect();
            let met = criteria.iter().filter(|c| c.1 == Some(true)).count() as i64;
            let unknown = criteria.iter().filter(|c| c.1.is_none()).count() as i64;
            let required = i64::from(spec.result.required);
            let sufficient = spec
                .result
                .sufficient
                .iter()
                .any(|s| vals.get(s) == Some(&Val::Bool(true)));
            let fulfilled = if sufficient {
                Some(true)
            } else {
                reaches(met, met + unknown, required)
            };
            Outcome::Criteria {
                calculator: spec.id.clone(),
                criteria: Ordered(criteria),
                met,
                fulfilled,
            }
        }
    }
}

/// Parses a JSON document and evaluates it.
pub fn run(spec: &Spec, input: &str) -> Result<Outcome, Vec<FieldError>> {
    let doc = input::parse(input).map_err(|e| {
        vec![FieldError::new(
            "input",
            format!("the input is not valid JSON: {e}"),
        )]
    })?;
    let vals = read(spec, &doc)?;
    Ok(evaluate(spec, &vals))
}
