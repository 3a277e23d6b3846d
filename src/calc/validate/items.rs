//! Scored items (the input or count they read, their points) and the tests of counts and
//! criteria (inputs they name, edges, units with a source-stated edge).

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use super::bands::validate_bands;
use super::schema::{RawBand, RawItem, RawTest, S};
use super::{Ctx, find, valid_id};
use crate::calc::num::Rat;
use crate::calc::spec::{Input, InputKind, Item, Points, Test};

pub(super) fn validate_item(
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

pub(super) fn validate_test(
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
