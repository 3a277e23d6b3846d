//! Tests and points on validated values, in three-valued logic: a test on an input that
//! was not measured is unknown, and so is every combination it decides.

use std::collections::BTreeMap;

use super::super::num::Rat;
use serde_json::Value;

use super::super::spec::{Band, Input, InputKind, Item, Spec, Test};
use super::Val;

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

pub(super) fn find_input<'a>(spec: &'a Spec, id: &str) -> Option<&'a Input> {
    spec.inputs.iter().find(|i| i.id == id)
}

/// `Some(true)` when the lowest possible count reaches `n`, `Some(false)` when even the
/// highest cannot, `None` when the tests not done decide it.
pub(super) fn reaches<T: PartialOrd>(low: T, high: T, n: T) -> Option<bool> {
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
pub(super) fn item_points(spec: &Spec, item: &Item, vals: &BTreeMap<String, Val>) -> (i64, i64) {
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
