//! The raw TOML form of a calculator spec, as serde reads it (every value keeps its
//! span for diagnostics). [`super::parse`] validates it into [`crate::calc::spec::Spec`].

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub(super) enum Num {
    Str(String),
    Int(i64),
    Float(f64),
}

impl Num {
    pub(super) fn text(&self) -> String {
        match self {
            Num::Str(s) => s.clone(),
            Num::Int(i) => i.to_string(),
            Num::Float(f) => format!("{f}"),
        }
    }
}

pub(super) type S<T> = Spanned<T>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSpec {
    pub(super) id: S<String>,
    pub(super) kind: S<String>,
    pub(super) title: String,
    pub(super) references: S<Vec<String>>,
    pub(super) source: String,
    pub(super) population: String,
    #[serde(default)]
    pub(super) limits: Vec<String>,
    #[serde(default)]
    pub(super) interpretation: Vec<String>,
    pub(super) inputs: S<Vec<S<RawInput>>>,
    #[serde(default)]
    pub(super) items: Vec<S<RawItem>>,
    #[serde(default)]
    pub(super) criteria: Vec<S<RawCriterion>>,
    pub(super) result: S<RawResult>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawInput {
    pub(super) id: S<String>,
    pub(super) label: String,
    pub(super) help: Option<String>,
    #[serde(rename = "type")]
    pub(super) kind: S<String>,
    pub(super) choices: Option<Vec<RawChoice>>,
    pub(super) units: Option<Vec<S<RawUnit>>>,
    pub(super) default_unit: Option<S<String>>,
    pub(super) min: Option<S<Num>>,
    pub(super) max: Option<S<Num>>,
    pub(super) nullable: Option<S<bool>>,
    pub(super) absent: Option<S<bool>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawChoice {
    pub(super) value: S<String>,
    pub(super) label: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawUnit {
    pub(super) id: S<String>,
    pub(super) factor: Option<S<Num>>,
    pub(super) offset: Option<S<Num>>,
    /// Free text documenting the conversion (not rendered).
    #[allow(dead_code)]
    pub(super) note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawItem {
    pub(super) id: S<String>,
    pub(super) label: String,
    pub(super) input: Option<S<String>>,
    pub(super) count: Option<Vec<S<RawTest>>>,
    pub(super) points: Option<S<BTreeMap<String, S<i64>>>>,
    pub(super) bands: Option<Vec<S<RawBand>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawBand {
    pub(super) min: Option<S<Num>>,
    pub(super) min_inclusive: Option<bool>,
    pub(super) max: Option<S<Num>>,
    pub(super) max_inclusive: Option<bool>,
    pub(super) points: S<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTest {
    pub(super) input: Option<S<String>>,
    pub(super) is: Option<S<toml::Value>>,
    pub(super) min: Option<S<Num>>,
    pub(super) min_inclusive: Option<bool>,
    pub(super) max: Option<S<Num>>,
    pub(super) max_inclusive: Option<bool>,
    pub(super) unit_thresholds: Option<BTreeMap<String, S<Num>>>,
    pub(super) all: Option<Vec<S<RawTest>>>,
    pub(super) any: Option<Vec<S<RawTest>>>,
    pub(super) at_least: Option<S<u32>>,
    pub(super) of: Option<Vec<S<RawTest>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCriterion {
    pub(super) id: S<String>,
    pub(super) label: String,
    pub(super) rule: S<RawTest>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRow {
    pub(super) score: S<i64>,
    pub(super) text: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawResult {
    pub(super) max: Option<S<i64>>,
    pub(super) cutoff: Option<S<i64>>,
    pub(super) probability: Option<Vec<S<RawRow>>>,
    pub(super) suffix: Option<String>,
    pub(super) required: Option<S<u32>>,
    pub(super) sufficient: Option<Vec<S<String>>>,
}
