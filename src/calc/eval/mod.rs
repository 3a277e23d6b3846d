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

use super::input;
use super::num::Rat;
use super::spec::{Kind, Spec};

mod logic;
mod read;

pub use logic::test;
use logic::{item_points, reaches};
pub use read::read;

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
