//! The static scoring table (every item's bands, or every criterion's rule, in words and
//! numbers as the source states them) and the text of a spec's tests.

use std::fmt::Write;

use super::super::num::Rat;
use super::super::spec::{Band, Input, InputKind, Spec, Test};
use super::{count_band_text, esc};

fn num_unit(v: Rat, unit: &str) -> String {
    if unit.is_empty() {
        v.display()
    } else {
        format!("{} {unit}", v.display())
    }
}

/// An edge pair in words with ≤ < ≥ >, in one unit.
fn edges_text(min: Option<(Rat, bool)>, max: Option<(Rat, bool)>, unit: &str) -> String {
    match (min, max) {
        (Some((a, true)), Some((b, true))) if a == b => num_unit(a, unit),
        (Some((a, ai)), Some((b, bi))) => format!(
            "{} {} and {} {}",
            if ai { "≥" } else { ">" },
            num_unit(a, unit),
            if bi { "≤" } else { "<" },
            num_unit(b, unit)
        ),
        (Some((a, ai)), None) => format!("{} {}", if ai { "≥" } else { ">" }, num_unit(a, unit)),
        (None, Some((b, bi))) => format!("{} {}", if bi { "≤" } else { "<" }, num_unit(b, unit)),
        (None, None) => "any value".into(),
    }
}

/// Edges as the source states them: in the base unit, then in each unit for which the
/// source states its own edge (`unit_thresholds`), e.g. `≥ 3 mmol/L (≥ 265 mg/dL)`.
/// Computed conversions (`5.70952 mmol/L`) are never shown; values entered in other
/// units are converted exactly when scored.
fn edges_as_stated(
    input: Option<&Input>,
    min: Option<(Rat, bool)>,
    max: Option<(Rat, bool)>,
    overrides: &std::collections::BTreeMap<String, Rat>,
) -> String {
    let Some(input) = input.filter(|i| !i.units.is_empty()) else {
        return edges_text(min, max, "");
    };
    let base = edges_text(min, max, &input.units[0].label);
    let others: Vec<String> = input
        .units
        .iter()
        .skip(1)
        .filter(|u| overrides.contains_key(&u.id))
        .filter_map(|u| {
            let conv = |e: Option<(Rat, bool)>| -> Option<Option<(Rat, bool)>> {
                match e {
                    None => Some(None),
                    Some((v, inc)) => {
                        let x = overrides.get(&u.id).copied().or_else(|| u.from_base(v))?;
                        Some(Some((x, inc)))
                    }
                }
            };
            Some(edges_text(conv(min)?, conv(max)?, &u.label))
        })
        .collect();
    if others.is_empty() {
        base
    } else {
        format!("{base} ({})", others.join("; "))
    }
}

fn band_text(input: Option<&Input>, b: &Band) -> String {
    edges_as_stated(
        input.filter(|i| i.kind == InputKind::Measured),
        b.min.map(|m| (m, b.min_inclusive)),
        b.max.map(|m| (m, b.max_inclusive)),
        &Default::default(),
    )
}

fn input_of<'a>(spec: &'a Spec, id: &str) -> Option<&'a Input> {
    spec.inputs.iter().find(|i| i.id == id)
}

/// A test in words.
pub fn test_text(spec: &Spec, t: &Test) -> String {
    let wrap = |t: &Test| {
        let s = test_text(spec, t);
        if matches!(
            t,
            Test::All { .. } | Test::Any { .. } | Test::AtLeast { .. }
        ) {
            format!("({s})")
        } else {
            s
        }
    };
    match t {
        Test::Range {
            input,
            min,
            min_inclusive,
            max,
            max_inclusive,
            unit_thresholds,
        } => {
            let inp = input_of(spec, input);
            let label = inp.map_or(input.as_str(), |i| i.label.as_str());
            format!(
                "{label} {}",
                edges_as_stated(
                    inp,
                    min.map(|m| (m, *min_inclusive)),
                    max.map(|m| (m, *max_inclusive)),
                    unit_thresholds
                )
            )
        }
        Test::Is { input, value } => {
            let inp = input_of(spec, input);
            let label = inp.map_or(input.as_str(), |i| i.label.as_str());
            let v = match value {
                serde_json::Value::Bool(true) => "yes".to_string(),
                serde_json::Value::Bool(false) => "no".to_string(),
                serde_json::Value::String(s) => inp
                    .and_then(|i| i.choices.iter().find(|c| &c.value == s))
                    .map_or(s.clone(), |c| c.label.clone()),
                _ => String::new(),
            };
            format!("{label}: {v}")
        }
        Test::All { of } => of.iter().map(wrap).collect::<Vec<_>>().join(" and "),
        Test::Any { of } => of.iter().map(wrap).collect::<Vec<_>>().join("; or "),
        Test::AtLeast { n, of } => format!(
            "at least {n} of: {}",
            of.iter().map(wrap).collect::<Vec<_>>().join("; ")
        ),
    }
}

pub(super) fn score_table(h: &mut String, spec: &Spec) {
    let _ = write!(
        h,
        "<table class=\"calculator-table\">\n<caption>{}: points for each item (maximum {})</caption>\n<thead><tr><th scope=\"col\">Item</th><th scope=\"col\">Finding</th><th scope=\"col\">Points</th></tr></thead>\n",
        esc(&spec.title),
        spec.result.max
    );
    for item in &spec.items {
        let input = item.input.as_deref().and_then(|i| input_of(spec, i));
        let rows: Vec<(String, i64)> = if item.bands.is_empty() {
            item.points
                .0
                .iter()
                .map(|(k, v)| {
                    let label = match input.map(|i| i.kind) {
                        Some(InputKind::Boolean) => {
                            if k == "yes" {
                                "Yes".to_string()
                            } else {
                                "No".to_string()
                            }
                        }
                        _ => input
                            .and_then(|i| i.choices.iter().find(|c| &c.value == k))
                            .map_or(k.clone(), |c| c.label.clone()),
                    };
                    (label, *v)
                })
                .collect()
        } else {
            // Whole-number items (counts): list the values each band holds.
            let count_max = match input {
                Some(i) if i.kind == InputKind::Count => i.max,
                None => Some(Rat::int(item.count.len() as i64)),
                _ => None,
            };
            item.bands
                .iter()
                .map(|b| {
                    (
                        count_band_text(b, count_max).unwrap_or_else(|| band_text(input, b)),
                        b.points,
                    )
                })
                .collect()
        };
        let mut label = esc(&item.label);
        if !item.count.is_empty() {
            let _ = write!(
                label,
                " (number of cytopenic lineages)<br><small>A lineage counts when: {}</small>",
                esc(&item
                    .count
                    .iter()
                    .map(|t| test_text(spec, t))
                    .collect::<Vec<_>>()
                    .join("; "))
            );
        }
        let _ = write!(
            h,
            "<tbody>\n<tr><th scope=\"rowgroup\" rowspan=\"{}\">{label}</th>",
            rows.len()
        );
        for (i, (text, pts)) in rows.iter().enumerate() {
            if i > 0 {
                h.push_str("<tr>");
            }
            let _ = writeln!(
                h,
                "<td>{}</td><td class=\"calc-points\">{pts}</td></tr>",
                esc(text)
            );
        }
        h.push_str("</tbody>\n");
    }
    h.push_str("</table>\n");
    let rows = &spec.result.probability;
    if rows.len() >= 2 {
        let sfx = esc(&spec.result.suffix);
        h.push_str("<table class=\"calculator-table calc-probability\">\n<caption>Probability by score, as published (no values in between are invented)</caption>\n<thead><tr><th scope=\"col\">Score</th><th scope=\"col\">Probability</th></tr></thead>\n<tbody>\n");
        for (i, r) in rows.iter().enumerate() {
            let s = if i == 0 {
                format!("≤ {}", r.score)
            } else if i == rows.len() - 1 {
                format!("≥ {}", r.score)
            } else {
                r.score.to_string()
            };
            let _ = writeln!(h, "<tr><td>{s}</td><td>{}{sfx}</td></tr>", esc(&r.text));
        }
        h.push_str("</tbody>\n</table>\n");
        let _ = writeln!(
            h,
            "<p>A score between two rows lies between their probabilities: for example, {} gives {}.</p>",
            rows[rows.len() / 2].score - 1,
            esc(&super::super::eval::probability(
                rows,
                &spec.result.suffix,
                rows[rows.len() / 2].score - 1
            )
            .unwrap_or_default())
        );
    }
    if let Some(c) = spec.result.cutoff {
        let _ = writeln!(
            h,
            "<p>The published cut-off is met at a score of {c} or more.</p>"
        );
    }
}

pub(super) fn criteria_table(h: &mut String, spec: &Spec) {
    let _ = write!(
        h,
        "<table class=\"calculator-table\">\n<caption>{}: criteria (at least {} of {} needed)</caption>\n<thead><tr><th scope=\"col\">#</th><th scope=\"col\">Criterion</th><th scope=\"col\">Met when</th></tr></thead>\n<tbody>\n",
        esc(&spec.title),
        spec.result.required,
        spec.criteria.len()
    );
    for (i, c) in spec.criteria.iter().enumerate() {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><th scope=\"row\">{}</th><td>{}</td></tr>",
            i + 1,
            esc(&c.label),
            esc(&test_text(spec, &c.rule))
        );
    }
    h.push_str("</tbody>\n</table>\n");
    let suff: String = spec
        .result
        .sufficient
        .iter()
        .filter_map(|s| input_of(spec, s))
        .map(|i| format!("{}, or ", esc(&i.label).to_lowercase()))
        .collect();
    let _ = writeln!(
        h,
        "<p>The criteria are fulfilled by {suff}at least {} of the {} criteria above. A test that was not done is shown as not measured, never as not met: the result is then fulfilled, not fulfilled, or undetermined.</p>",
        spec.result.required,
        spec.criteria.len()
    );
}
