//! The static scoring table (every item's bands, or every criterion's rule, in words and
//! numbers as the source states them) and the text of a spec's tests.

use std::fmt::Write;

use super::super::num::Rat;
use super::super::spec::{Band, Input, InputKind, Spec, Test};
use super::super::words::Words;
use super::{count_band_text, esc};

fn num_unit(v: Rat, unit: &str) -> String {
    if unit.is_empty() {
        v.display()
    } else {
        format!("{} {unit}", v.display())
    }
}

/// An edge pair in words with ≤ < ≥ >, in one unit.
fn edges_text(
    min: Option<(Rat, bool)>,
    max: Option<(Rat, bool)>,
    unit: &str,
    w: &Words<'_>,
) -> String {
    let low = |(a, inclusive): (Rat, bool)| {
        format!(
            "{} {}",
            if inclusive { "≥" } else { ">" },
            num_unit(a, unit)
        )
    };
    let high = |(b, inclusive): (Rat, bool)| {
        format!(
            "{} {}",
            if inclusive { "≤" } else { "<" },
            num_unit(b, unit)
        )
    };
    match (min, max) {
        (Some((a, true)), Some((b, true))) if a == b => num_unit(a, unit),
        (Some(a), Some(b)) => w.fill("calc_edges", &[("min", &low(a)), ("max", &high(b))]),
        (Some(a), None) => low(a),
        (None, Some(b)) => high(b),
        (None, None) => w.get("calc_any_value").into(),
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
    w: &Words<'_>,
) -> String {
    let Some(input) = input.filter(|i| !i.units.is_empty()) else {
        return edges_text(min, max, "", w);
    };
    let base = edges_text(min, max, &input.units[0].label, w);
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
            Some(edges_text(conv(min)?, conv(max)?, &u.label, w))
        })
        .collect();
    if others.is_empty() {
        base
    } else {
        format!("{base} ({})", others.join("; "))
    }
}

fn band_text(input: Option<&Input>, b: &Band, w: &Words<'_>) -> String {
    edges_as_stated(
        input.filter(|i| i.kind == InputKind::Measured),
        b.min.map(|m| (m, b.min_inclusive)),
        b.max.map(|m| (m, b.max_inclusive)),
        &Default::default(),
        w,
    )
}

fn input_of<'a>(spec: &'a Spec, id: &str) -> Option<&'a Input> {
    spec.inputs.iter().find(|i| i.id == id)
}

/// A test in words.
pub fn test_text(spec: &Spec, t: &Test, w: &Words<'_>) -> String {
    let wrap = |t: &Test| {
        let s = test_text(spec, t, w);
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
                    unit_thresholds,
                    w
                )
            )
        }
        Test::Is { input, value } => {
            let inp = input_of(spec, input);
            let label = inp.map_or(input.as_str(), |i| i.label.as_str());
            let v = match value {
                serde_json::Value::Bool(true) => w.get("calc_test_yes").to_string(),
                serde_json::Value::Bool(false) => w.get("calc_test_no").to_string(),
                serde_json::Value::String(s) => inp
                    .and_then(|i| i.choices.iter().find(|c| &c.value == s))
                    .map_or(s.clone(), |c| c.label.clone()),
                _ => String::new(),
            };
            w.fill("calc_test_is", &[("label", label), ("value", &v)])
        }
        Test::All { of } => joined(of.iter().map(wrap), "calc_join_and", w),
        Test::Any { of } => joined(of.iter().map(wrap), "calc_join_or", w),
        Test::AtLeast { n, of } => w.fill(
            "calc_at_least",
            &[
                ("n", &n.to_string()),
                ("tests", &of.iter().map(wrap).collect::<Vec<_>>().join("; ")),
            ],
        ),
    }
}

/// Texts joined pairwise by a UI string with `{first}` and `{second}` (`a and b and c`).
fn joined(texts: impl Iterator<Item = String>, key: &'static str, w: &Words<'_>) -> String {
    texts
        .reduce(|first, second| w.fill(key, &[("first", &first), ("second", &second)]))
        .unwrap_or_default()
}

pub(super) fn score_table(h: &mut String, spec: &Spec, w: &Words<'_>) {
    let _ = write!(
        h,
        "<table class=\"calculator-table\">\n<caption>{}</caption>\n<thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead>\n",
        esc(&w.fill(
            "calc_points_caption",
            &[
                ("title", &spec.title),
                ("max", &spec.result.max.to_string())
            ]
        )),
        esc(w.get("calc_item")),
        esc(w.get("calc_finding")),
        esc(w.get("calc_points"))
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
                                w.get("calc_yes").to_string()
                            } else {
                                w.get("calc_no").to_string()
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
                        count_band_text(b, count_max, w).unwrap_or_else(|| band_text(input, b, w)),
                        b.points,
                    )
                })
                .collect()
        };
        let mut label = esc(&item.label);
        if !item.count.is_empty() {
            let tests: Vec<String> = item.count.iter().map(|t| test_text(spec, t, w)).collect();
            let _ = write!(
                label,
                "<br><small>{}</small>",
                esc(&w.fill("calc_counted", &[("tests", &tests.join("; "))]))
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
        let _ = write!(
            h,
            "<table class=\"calculator-table calc-probability\">\n<caption>{}</caption>\n<thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead>\n<tbody>\n",
            esc(w.get("calc_probability_caption")),
            esc(w.get("calc_score")),
            esc(w.get("calc_probability_column"))
        );
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
        let example = rows[rows.len() / 2].score - 1;
        let probability =
            super::super::eval::probability(rows, &spec.result.suffix, example).unwrap_or_default();
        let _ = writeln!(
            h,
            "<p>{}</p>",
            esc(&w.fill(
                "calc_between_rows",
                &[
                    ("score", &example.to_string()),
                    ("probability", &in_words(&probability, w))
                ]
            ))
        );
    }
    if let Some(c) = spec.result.cutoff {
        let _ = writeln!(
            h,
            "<p>{}</p>",
            esc(&w.fill("calc_cutoff_rule", &[("cutoff", &c.to_string())]))
        );
    }
}

/// A probability text as the evaluator writes it (`99% to >99%`), with its range in the
/// page's words.
fn in_words(probability: &str, w: &Words<'_>) -> String {
    match probability.split_once(" to ") {
        Some((from, to)) => w.fill("calc_range", &[("from", from), ("to", to)]),
        None => probability.to_string(),
    }
}

pub(super) fn criteria_table(h: &mut String, spec: &Spec, w: &Words<'_>) {
    let (total, required) = (
        spec.criteria.len().to_string(),
        spec.result.required.to_string(),
    );
    let _ = write!(
        h,
        "<table class=\"calculator-table\">\n<caption>{}</caption>\n<thead><tr><th scope=\"col\">#</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead>\n<tbody>\n",
        esc(&w.fill(
            "calc_criteria_caption",
            &[
                ("title", &spec.title),
                ("required", &required),
                ("total", &total)
            ]
        )),
        esc(w.get("calc_criterion")),
        esc(w.get("calc_met_when"))
    );
    for (i, c) in spec.criteria.iter().enumerate() {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><th scope=\"row\">{}</th><td>{}</td></tr>",
            i + 1,
            esc(&c.label),
            esc(&test_text(spec, &c.rule, w))
        );
    }
    h.push_str("</tbody>\n</table>\n");
    let at_least = w.fill(
        "calc_at_least_of_above",
        &[("required", &required), ("total", &total)],
    );
    let rule = joined(
        spec.result
            .sufficient
            .iter()
            .filter_map(|s| input_of(spec, s))
            .map(|i| in_sentence(&i.label))
            .chain(std::iter::once(at_least)),
        "calc_rule_or",
        w,
    );
    let _ = writeln!(
        h,
        "<p>{}</p>",
        esc(&w.fill("calc_criteria_rule", &[("rule", &rule)]))
    );
}

/// A label inside a sentence: its first letter in lower case, the rest as written
/// (`Molecular diagnosis consistent with HLH` → `molecular diagnosis consistent with
/// HLH`), and unchanged when it starts with an abbreviation (`NK-cell activity`).
fn in_sentence(label: &str) -> String {
    let first_word = label.split([' ', '-']).next().unwrap_or_default();
    let abbreviation = first_word.chars().filter(|c| c.is_alphabetic()).count() > 1
        && !first_word.chars().any(char::is_lowercase);
    let mut chars = label.chars();
    match chars.next() {
        Some(first) if !abbreviation => first.to_lowercase().chain(chars).collect(),
        _ => label.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::in_sentence;

    #[test]
    fn a_label_in_a_sentence_keeps_its_abbreviations() {
        assert_eq!(
            in_sentence("Molecular diagnosis consistent with HLH"),
            "molecular diagnosis consistent with HLH"
        );
        assert_eq!(in_sentence("NK-cell activity"), "NK-cell activity");
        assert_eq!(in_sentence("符合HLH的家族史"), "符合HLH的家族史");
    }
}
