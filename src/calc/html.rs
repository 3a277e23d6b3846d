//! The embeddable widget: an accessible form generated from the spec, a result region,
//! the full scoring table (usable without JavaScript), source/population/limits, and the
//! spec as JSON for `static/js/calculator.js`.
//!
//! Contract for people and tests: each control's `name` is its input id; a unit
//! selector is `<id>.unit`; "Not done" (nullable inputs) is the radio value `not_done`
//! of a yes/no or choice input and the checkbox `<id>.not_done` beside a measurement;
//! results are in elements with `data-result="score" | "probability" | "cutoff" |
//! "criteria_met" | "fulfilled" | "status" | "date" | "item:<id>" | "criterion:<id>"`
//! (the status also fills the compact result bar `.calc-bar`); field
//! errors are in `data-error-for="<id>"`. Element ids are prefixed with the calculator id.

use std::fmt::Write;

use super::num::Rat;
use super::spec::{Band, Input, InputKind, Kind, Spec, Test};

/// Escapes text for HTML content and attribute values.
pub use crate::text::html::escape as esc;

/// The spec as JSON safe inside `<script>` (`<` escaped as `\u003c`).
pub fn spec_json(spec: &Spec) -> String {
    crate::text::html::json_in_script(spec)
}

/// The whole widget.
pub fn embed(spec: &Spec) -> String {
    let p = esc(&spec.id);
    let mut h = String::new();
    let _ = write!(
        h,
        "<section class=\"calculator\" data-calculator=\"{p}\" aria-labelledby=\"{p}-title\">\n\
         <h2 id=\"{p}-title\">{}</h2>\n",
        esc(&spec.title)
    );
    let _ = write!(
        h,
        "<form class=\"calculator-form\" id=\"{p}-form\" novalidate>\n<p class=\"calc-intro\">Answer every item; for a test that is pending, choose “Not done”. Units can be changed next to each value. Nothing you enter leaves this page.</p>\n"
    );
    for input in &spec.inputs {
        field(&mut h, &p, input);
    }
    // The compact result bar stays in view (sticky) while the form is filled; the live
    // region below announces the result, so the bar is hidden from assistive technology.
    h.push_str("<p class=\"calc-bar\" data-result=\"status\" aria-hidden=\"true\"></p>\n");
    let _ = write!(
        h,
        "<p class=\"calc-actions\"><button type=\"submit\">Show result</button> <button type=\"reset\" class=\"calc-secondary\">Clear</button> <button type=\"button\" class=\"calc-secondary calc-undo\" hidden>Undo clear</button></p>\n</form>\n"
    );
    result_region(&mut h, &p, spec);
    h.push_str("<h3>Scoring table</h3>\n");
    match spec.kind {
        Kind::Score => score_table(&mut h, spec),
        Kind::Criteria => criteria_table(&mut h, spec),
    }
    h.push_str("<p class=\"calc-units-note\">Thresholds are written as the source states them. A value entered in another unit is converted exactly before it is compared.</p>\n");
    h.push_str("<h3>Source, population and limits</h3>\n");
    let _ = writeln!(h, "<p><strong>Source:</strong> {}</p>", esc(&spec.source));
    let _ = writeln!(
        h,
        "<p><strong>Population:</strong> {}</p>",
        esc(&spec.population)
    );
    if !spec.limits.is_empty() {
        h.push_str("<ul class=\"calc-limits\">\n");
        for l in &spec.limits {
            let _ = writeln!(h, "<li>{}</li>", esc(l));
        }
        h.push_str("</ul>\n");
    }
    let _ = write!(
        h,
        "<script type=\"application/json\" class=\"calculator-spec\" id=\"{p}-spec\">{}</script>\n</section>",
        spec_json(spec)
    );
    h
}

fn described(p: &str, input: &Input) -> String {
    let id = esc(&input.id);
    if input.help.is_some() {
        format!("{p}-{id}-help {p}-{id}-error")
    } else {
        format!("{p}-{id}-error")
    }
}

fn help_el(p: &str, input: &Input) -> String {
    let id = esc(&input.id);
    input
        .help
        .as_ref()
        .map(|t| {
            format!(
                "<p class=\"calc-help\" id=\"{p}-{id}-help\">{}</p>\n",
                esc(t)
            )
        })
        .unwrap_or_default()
}

/// For whole-number bands: the values each band holds, e.g. `0 or 1`, `2`.
fn count_band_text(b: &Band, max: Option<Rat>) -> Option<String> {
    let m = max.filter(|m| m.is_integer() && m.numer() <= 100)?;
    let hits: Vec<String> = (0..=m.numer())
        .filter(|n| {
            let v = Rat::new(*n, 1).unwrap_or(Rat::ZERO);
            b.min.is_none_or(|x| v > x || (v == x && b.min_inclusive))
                && b.max.is_none_or(|x| v < x || (v == x && b.max_inclusive))
        })
        .map(|n| n.to_string())
        .collect();
    match hits.split_last() {
        Some((last, [])) => Some(last.clone()),
        Some((last, rest)) => Some(format!("{} or {last}", rest.join(", "))),
        None => None,
    }
}

fn error_el(h: &mut String, p: &str, input: &Input) {
    let id = esc(&input.id);
    let _ = writeln!(
        h,
        "<p class=\"calc-error\" id=\"{p}-{id}-error\" data-error-for=\"{id}\" aria-live=\"polite\"></p>"
    );
}

/// The form value of the "Not done" answer of a nullable yes/no or choice input.
const NOT_DONE: &str = "not_done";

fn field(h: &mut String, p: &str, input: &Input) {
    let id = esc(&input.id);
    let label = esc(&input.label);
    let desc = described(p, input);
    let help = help_el(p, input);
    match input.kind {
        InputKind::Boolean | InputKind::Choice => {
            let mut options: Vec<(String, String)> = if input.kind == InputKind::Boolean {
                vec![("yes".into(), "Yes".into()), ("no".into(), "No".into())]
            } else {
                input
                    .choices
                    .iter()
                    .map(|c| (c.value.clone(), c.label.clone()))
                    .collect()
            };
            if input.nullable {
                options.push((NOT_DONE.into(), "Not done".into()));
            }
            let _ = write!(
                h,
                "<fieldset class=\"calc-field calc-{}\" data-field=\"{id}\">\n<legend>{label}</legend>\n{help}<div class=\"calc-options\">\n",
                if input.kind == InputKind::Boolean {
                    "boolean"
                } else {
                    "choice"
                }
            );
            for (v, l) in options {
                let v = esc(&v);
                let class = if v == NOT_DONE {
                    "calc-option calc-not-done"
                } else {
                    "calc-option"
                };
                let _ = writeln!(
                    h,
                    "<span class=\"{class}\"><input type=\"radio\" id=\"{p}-{id}-{v}\" name=\"{id}\" value=\"{v}\" aria-describedby=\"{desc}\"> <label for=\"{p}-{id}-{v}\">{}</label></span>",
                    esc(&l)
                );
            }
            h.push_str("</div>\n");
            error_el(h, p, input);
            h.push_str("</fieldset>\n");
        }
        InputKind::Count => {
            let _ = write!(
                h,
                "<div class=\"calc-field calc-count\" data-field=\"{id}\">\n<label for=\"{p}-{id}\">{label}</label>\n{help}<input type=\"text\" inputmode=\"numeric\" autocomplete=\"off\" id=\"{p}-{id}\" name=\"{id}\" aria-describedby=\"{desc}\">\n"
            );
            error_el(h, p, input);
            h.push_str("</div>\n");
        }
        InputKind::Measured => {
            let _ = write!(
                h,
                "<div class=\"calc-field calc-measured\" data-field=\"{id}\">\n<label for=\"{p}-{id}\">{label}</label>\n{help}<span class=\"calc-value\"><input type=\"text\" inputmode=\"decimal\" autocomplete=\"off\" id=\"{p}-{id}\" name=\"{id}\" aria-describedby=\"{desc}\"> <label class=\"calc-unit-label\" for=\"{p}-{id}-unit\">Unit</label> <select id=\"{p}-{id}-unit\" name=\"{id}.unit\">"
            );
            for (i, u) in input.units.iter().enumerate() {
                let selected = if i == input.default_unit {
                    " selected"
                } else {
                    ""
                };
                let _ = write!(
                    h,
                    "<option value=\"{}\"{selected}>{}</option>",
                    esc(&u.id),
                    esc(&u.label)
                );
            }
            h.push_str("</select>");
            if input.nullable {
                let _ = write!(
                    h,
                    " <span class=\"calc-not-done\"><input type=\"checkbox\" id=\"{p}-{id}-not_done\" name=\"{id}.not_done\" value=\"1\" aria-describedby=\"{desc}\"> <label for=\"{p}-{id}-not_done\">Not done</label></span>"
                );
            }
            h.push_str("</span>\n");
            error_el(h, p, input);
            h.push_str("</div>\n");
        }
    }
}

fn result_region(h: &mut String, p: &str, spec: &Spec) {
    let _ = write!(
        h,
        "<div class=\"calculator-result\" id=\"{p}-result\" role=\"status\" aria-live=\"polite\">\n<p class=\"calc-status\" data-result=\"status\">Automatic calculation needs JavaScript. Without it, add up the points by hand with the table below.</p>\n"
    );
    match spec.kind {
        Kind::Score => {
            let _ = writeln!(
                h,
                "<p class=\"calc-total\">Score: <output data-result=\"score\">–</output> of {}</p>",
                spec.result.max
            );
            if !spec.result.probability.is_empty() {
                h.push_str("<p>Probability (published table): <output data-result=\"probability\">–</output></p>\n");
            }
            if let Some(c) = spec.result.cutoff {
                let _ = writeln!(
                    h,
                    "<p>Cut-off {c} (score ≥ {c}): <output data-result=\"cutoff\">–</output></p>"
                );
            }
            h.push_str("<ul class=\"calc-breakdown\">\n");
            for item in &spec.items {
                let _ = writeln!(
                    h,
                    "<li>{}: <output data-result=\"item:{}\">–</output></li>",
                    esc(&item.label),
                    esc(&item.id)
                );
            }
            h.push_str("</ul>\n");
        }
        Kind::Criteria => {
            let _ = writeln!(
                h,
                "<p class=\"calc-total\">Criteria met: <output data-result=\"criteria_met\">–</output> of {} ({} needed)</p>\n<p>Diagnostic criteria fulfilled: <output data-result=\"fulfilled\">–</output></p>",
                spec.criteria.len(),
                spec.result.required
            );
            h.push_str("<ul class=\"calc-breakdown\">\n");
            for c in &spec.criteria {
                let _ = writeln!(
                    h,
                    "<li>{}: <output data-result=\"criterion:{}\">–</output></li>",
                    esc(&c.label),
                    esc(&c.id)
                );
            }
            h.push_str("</ul>\n");
        }
    }
    let _ = writeln!(
        h,
        "<p class=\"calc-print-date\">{}, computed on <output data-result=\"date\">–</output>.</p>",
        esc(&spec.title)
    );
    h.push_str("</div>\n");
}

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

fn score_table(h: &mut String, spec: &Spec) {
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
            esc(&super::eval::probability(
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

fn criteria_table(h: &mut String, spec: &Spec) {
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
