//! Calculator specs: the TOML format, the validated model, and build-time validation.
//!
//! The validated [`Spec`] is also serialized to JSON and embedded in every page that
//! shows the calculator; `static/js/calculator.js` interprets exactly that JSON.
//!
//! # Format (brief)
//!
//! ```toml
//! id = "hscore"                 # must equal the file stem
//! kind = "score"                # "score" (sum of points) or "criteria" (count of criteria)
//! title = "…"; source = "…"; population = "…"
//! references = ["fardet2014"]   # bib keys
//! limits = ["…"]; interpretation = ["…"]
//!
//! [[inputs]]                    # what the user enters
//! id = "temperature"; label = "…"; help = "…"
//! type = "measured"             # boolean | choice | count | measured
//! min = 30; max = 45            # plausible range, inclusive, in the first (base) unit
//! nullable = false              # measured, boolean or choice: may be null (test not done)
//! absent = false                # boolean only: the answer when the key is left out
//! units = [ { id = "C" }, { id = "F", offset = -32, factor = "5/9" } ]
//! # base value = (value + offset) × factor; numbers may be written "a/b"
//!
//! [[items]]                     # kind = "score": one scored item
//! id = "temperature"; label = "…"; input = "temperature"
//! bands = [ { max = 38.4, max_inclusive = false, points = 0 }, … ]   # count/measured
//! points = { yes = 18, no = 0 }                                     # boolean/choice
//! count = [ <test>, … ]          # or: the value is the number of true tests (when `input` is absent/null)
//!
//! [[criteria]]                  # kind = "criteria"
//! id = "fever"; label = "…"; rule = <test>
//!
//! [result]
//! max = 337; cutoff = 169; probability = [ { score = 90, text = "<1" }, … ]; suffix = "%"
//! required = 5; sufficient = ["molecular_diagnosis_consistent_with_hlh", "…"]
//! ```
//!
//! A nullable input given as `null` (the test was not done) makes every test on it
//! unknown: a criterion that stays unknown is "not measured", and a scored item that
//! stays unknown spans its lowest to highest points (see [`super::eval`]).
//!
//! A `<test>` is one of `{ input, min?, min_inclusive?, max?, max_inclusive?,
//! unit_thresholds? }` (a range test; `unit_thresholds = { "mg/dL" = 265 }` replaces the
//! single edge when the value is given in that unit), `{ input, is = true | "choice" }`,
//! `{ all = [...] }`, `{ any = [...] }`, `{ at_least = N, of = [...] }`.

use std::collections::BTreeMap;

use serde::{Serialize, Serializer};

use super::num::Rat;

pub use super::validate::parse;

// ---------------------------------------------------------------------------------
// Validated model (serialized into the page for the JS evaluator)
// ---------------------------------------------------------------------------------

/// What the calculator produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A sum of points, with an optional cut-off and probability table.
    Score,
    /// A count of criteria met, with a required number.
    Criteria,
}

/// A validated calculator spec.
#[derive(Debug, Clone, Serialize)]
pub struct Spec {
    /// Identifier (file stem).
    pub id: String,
    /// Score or criteria.
    pub kind: Kind,
    /// Human title.
    pub title: String,
    /// Bib keys of the sources.
    pub references: Vec<String>,
    /// The source, in words.
    pub source: String,
    /// The population the tool was built or validated in.
    pub population: String,
    /// Known limits, one paragraph each.
    pub limits: Vec<String>,
    /// How to read the result, one paragraph each.
    pub interpretation: Vec<String>,
    /// Entered fields, in form order.
    pub inputs: Vec<Input>,
    /// Scored items (`kind = "score"`).
    pub items: Vec<Item>,
    /// Criteria (`kind = "criteria"`).
    pub criteria: Vec<Criterion>,
    /// How the total becomes a result.
    pub result: ResultRule,
}

/// Type of an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum InputKind {
    /// Yes/no: JSON `true`/`false`.
    Boolean,
    /// One of fixed string values.
    Choice,
    /// A whole number within `min..=max`.
    Count,
    /// A measurement with a unit: `{"value": 39.5, "unit": "C"}`.
    Measured,
}

/// One entered field.
#[derive(Debug, Clone, Serialize)]
pub struct Input {
    /// Id: JSON key and form control `name`.
    pub id: String,
    /// Label.
    pub label: String,
    /// Help text.
    pub help: Option<String>,
    /// Type.
    #[serde(rename = "type")]
    pub kind: InputKind,
    /// Choices (`choice`).
    pub choices: Vec<Choice>,
    /// Units (`measured`); the first is the base unit.
    pub units: Vec<Unit>,
    /// Index in `units` of the unit the form offers first (`default_unit`; the base unit
    /// when not given). Only the form uses it; input documents always name their unit.
    #[serde(skip)]
    pub default_unit: usize,
    /// Plausible minimum (inclusive, base unit).
    pub min: Option<Rat>,
    /// Plausible maximum (inclusive, base unit).
    pub max: Option<Rat>,
    /// May be `null` (test not done).
    pub nullable: bool,
    /// Boolean only: the answer when the key is left out of the input (an input added
    /// after the calculator's JSON contract was published keeps older inputs valid).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub absent: Option<bool>,
    /// The plausible range in words, one per unit (one entry for counts), for messages.
    pub ranges: Vec<String>,
}

/// One choice of a choice input.
#[derive(Debug, Clone, Serialize)]
pub struct Choice {
    /// Value in JSON and the form.
    pub value: String,
    /// Label.
    pub label: String,
}

/// A unit of a measured input: `base = (value + offset) × factor`.
#[derive(Debug, Clone, Serialize)]
pub struct Unit {
    /// Symbol, e.g. `mg/dL`.
    pub id: String,
    /// Display label, e.g. `µg/L`.
    pub label: String,
    /// Exact factor to the base unit.
    pub factor: Rat,
    /// Exact offset added before the factor.
    pub offset: Rat,
}

impl Unit {
    /// Converts a base-unit value into this unit, exactly.
    pub fn from_base(&self, v: Rat) -> Option<Rat> {
        v.checked_div(self.factor)?.checked_sub(self.offset)
    }

    /// Converts a value in this unit into the base unit, exactly.
    pub fn to_base(&self, v: Rat) -> Option<Rat> {
        v.checked_add(self.offset)?.checked_mul(self.factor)
    }
}

/// A scored item.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    /// Id (key in the result's `items`).
    pub id: String,
    /// Label.
    pub label: String,
    /// The input it reads, if any.
    pub input: Option<String>,
    /// When the input is absent: the value is the number of these tests that hold.
    pub count: Vec<Test>,
    /// Points per choice (`yes`/`no` for booleans).
    pub points: Points,
    /// Points per band (counts, measurements, derived counts).
    pub bands: Vec<Band>,
}

/// Points per choice, in spec order.
#[derive(Debug, Clone, Default)]
pub struct Points(pub Vec<(String, i64)>);

impl Serialize for Points {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

impl Points {
    /// Points of a choice.
    pub fn get(&self, key: &str) -> Option<i64> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| *v)
    }
}

/// A band of values with explicit edges (in the base unit).
#[derive(Debug, Clone, Serialize)]
pub struct Band {
    /// Lower edge; `None` = unbounded.
    pub min: Option<Rat>,
    /// The lower edge belongs to the band.
    pub min_inclusive: bool,
    /// Upper edge; `None` = unbounded.
    pub max: Option<Rat>,
    /// The upper edge belongs to the band.
    pub max_inclusive: bool,
    /// Points.
    pub points: i64,
}

/// A boolean rule over inputs.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Test {
    /// The input's value lies within the edges (compared in the unit given).
    Range {
        /// Input id.
        input: String,
        /// Lower edge (base unit).
        min: Option<Rat>,
        /// Lower edge inclusive.
        min_inclusive: bool,
        /// Upper edge (base unit).
        max: Option<Rat>,
        /// Upper edge inclusive.
        max_inclusive: bool,
        /// The edge as the source states it in another unit; replaces the converted edge.
        unit_thresholds: BTreeMap<String, Rat>,
    },
    /// The input equals a value (`true`/`false` or a choice).
    Is {
        /// Input id.
        input: String,
        /// Expected value.
        value: serde_json::Value,
    },
    /// Every test holds.
    All {
        /// Tests.
        of: Vec<Test>,
    },
    /// Some test holds.
    Any {
        /// Tests.
        of: Vec<Test>,
    },
    /// At least `n` tests hold.
    AtLeast {
        /// How many.
        n: u32,
        /// Tests.
        of: Vec<Test>,
    },
}

/// A criterion of a criteria calculator.
#[derive(Debug, Clone, Serialize)]
pub struct Criterion {
    /// Id (key in the result's `criteria`).
    pub id: String,
    /// Label.
    pub label: String,
    /// The rule.
    pub rule: Test,
}

/// A row of a published probability table.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// Score.
    pub score: i64,
    /// Probability as printed, without the suffix (`<1`, `40`, `>99`).
    pub text: String,
}

/// How the total becomes a result.
#[derive(Debug, Clone, Serialize)]
pub struct ResultRule {
    /// Maximum score (score calculators).
    pub max: i64,
    /// Cut-off: score ≥ cutoff meets it.
    pub cutoff: Option<i64>,
    /// Published probability table, ascending.
    pub probability: Vec<Row>,
    /// Appended to probability text, e.g. `%`.
    pub suffix: String,
    /// Criteria needed (criteria calculators).
    pub required: u32,
    /// Boolean inputs each of which fulfils the calculator on its own.
    pub sufficient: Vec<String>,
}
