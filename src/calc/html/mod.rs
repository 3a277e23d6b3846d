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

mod table;

use super::num::Rat;
use super::spec::{Band, Input, InputKind, Kind, Spec};
use super::words::Words;
pub use table::test_text;
use table::{criteria_table, score_table};

/// Escapes text for HTML content and attribute values.
pub use crate::text::html::escape as esc;

/// The spec as JSON safe inside `<script>` (`<` escaped as `\u003c`).
pub fn spec_json(spec: &Spec) -> String {
    crate::text::html::json_in_script(spec)
}

/// The whole widget, with its own words in `w`'s language (the spec's texts are the
/// spec's: pass the translated spec for another language).
pub fn embed(spec: &Spec, w: &Words<'_>) -> String {
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
        "<form class=\"calculator-form\" id=\"{p}-form\" novalidate>\n<p class=\"calc-intro\">{}</p>\n",
        esc(w.get("calc_intro"))
    );
    for input in &spec.inputs {
        field(&mut h, &p, input, w);
    }
    // The compact result bar stays in view (sticky) while the form is filled; the live
    // region below announces the result, so the bar is hidden from assistive technology.
    h.push_str("<p class=\"calc-bar\" data-result=\"status\" aria-hidden=\"true\"></p>\n");
    let _ = write!(
        h,
        "<p class=\"calc-actions\"><button type=\"submit\">{}</button> <button type=\"reset\" class=\"calc-secondary\">{}</button> <button type=\"button\" class=\"calc-secondary calc-undo\" hidden>{}</button></p>\n</form>\n",
        esc(w.get("calc_show_result")),
        esc(w.get("calc_clear")),
        esc(w.get("calc_undo_clear"))
    );
    result_region(&mut h, &p, spec, w);
    let _ = writeln!(h, "<h3>{}</h3>", esc(w.get("calc_scoring_table")));
    match spec.kind {
        Kind::Score => score_table(&mut h, spec, w),
        Kind::Criteria => criteria_table(&mut h, spec, w),
    }
    let _ = writeln!(
        h,
        "<p class=\"calc-units-note\">{}</p>\n<h3>{}</h3>",
        esc(w.get("calc_units_note")),
        esc(w.get("calc_source_heading"))
    );
    let _ = writeln!(
        h,
        "<p><strong>{}</strong> {}</p>\n<p><strong>{}</strong> {}</p>",
        esc(w.get("calc_source")),
        esc(&spec.source),
        esc(w.get("calc_population")),
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
fn count_band_text(b: &Band, max: Option<Rat>, w: &Words<'_>) -> Option<String> {
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
        Some((last, rest)) => Some(w.fill(
            "calc_two_values",
            &[
                ("first", &rest.join(w.get("calc_list_separator"))),
                ("second", last),
            ],
        )),
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

fn field(h: &mut String, p: &str, input: &Input, w: &Words<'_>) {
    let id = esc(&input.id);
    let label = esc(&input.label);
    let desc = described(p, input);
    let help = help_el(p, input);
    match input.kind {
        InputKind::Boolean | InputKind::Choice => {
            let mut options: Vec<(String, String)> = if input.kind == InputKind::Boolean {
                vec![
                    ("yes".into(), w.get("calc_yes").into()),
                    ("no".into(), w.get("calc_no").into()),
                ]
            } else {
                input
                    .choices
                    .iter()
                    .map(|c| (c.value.clone(), c.label.clone()))
                    .collect()
            };
            if input.nullable {
                options.push((NOT_DONE.into(), w.get("calc_not_done").into()));
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
                "<div class=\"calc-field calc-measured\" data-field=\"{id}\">\n<label for=\"{p}-{id}\">{label}</label>\n{help}<span class=\"calc-value\"><input type=\"text\" inputmode=\"decimal\" autocomplete=\"off\" id=\"{p}-{id}\" name=\"{id}\" aria-describedby=\"{desc}\"> <label class=\"calc-unit-label\" for=\"{p}-{id}-unit\">{}</label> <select id=\"{p}-{id}-unit\" name=\"{id}.unit\">",
                esc(w.get("calc_unit"))
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
                    " <span class=\"calc-not-done\"><input type=\"checkbox\" id=\"{p}-{id}-not_done\" name=\"{id}.not_done\" value=\"1\" aria-describedby=\"{desc}\"> <label for=\"{p}-{id}-not_done\">{}</label></span>",
                    esc(w.get("calc_not_done"))
                );
            }
            h.push_str("</span>\n");
            error_el(h, p, input);
            h.push_str("</div>\n");
        }
    }
}

fn result_region(h: &mut String, p: &str, spec: &Spec, w: &Words<'_>) {
    let output = |name: &str| format!("<output data-result=\"{name}\">–</output>");
    let _ = write!(
        h,
        "<div class=\"calculator-result\" id=\"{p}-result\" role=\"status\" aria-live=\"polite\">\n<p class=\"calc-status\" data-result=\"status\">{}</p>\n",
        esc(w.get("calc_needs_js"))
    );
    match spec.kind {
        Kind::Score => {
            let max = spec.result.max.to_string();
            let _ = writeln!(
                h,
                "<p class=\"calc-total\">{}</p>",
                w.fill_html(
                    "calc_score_of",
                    &[("score", &output("score")), ("max", &max)]
                )
            );
            if !spec.result.probability.is_empty() {
                let _ = writeln!(
                    h,
                    "<p>{}</p>",
                    w.fill_html(
                        "calc_probability",
                        &[("probability", &output("probability"))]
                    )
                );
            }
            if let Some(c) = spec.result.cutoff {
                let _ = writeln!(
                    h,
                    "<p>{}</p>",
                    w.fill_html(
                        "calc_cutoff",
                        &[("cutoff", &c.to_string()), ("result", &output("cutoff"))]
                    )
                );
            }
            h.push_str("<ul class=\"calc-breakdown\">\n");
            for item in &spec.items {
                let _ = writeln!(
                    h,
                    "<li>{}: {}</li>",
                    esc(&item.label),
                    output(&format!("item:{}", esc(&item.id)))
                );
            }
            h.push_str("</ul>\n");
        }
        Kind::Criteria => {
            let (total, required) = (
                spec.criteria.len().to_string(),
                spec.result.required.to_string(),
            );
            let _ = writeln!(
                h,
                "<p class=\"calc-total\">{}</p>\n<p>{}</p>",
                w.fill_html(
                    "calc_criteria_met",
                    &[
                        ("met", &output("criteria_met")),
                        ("total", &total),
                        ("required", &required)
                    ]
                ),
                w.fill_html("calc_fulfilled", &[("result", &output("fulfilled"))])
            );
            h.push_str("<ul class=\"calc-breakdown\">\n");
            for c in &spec.criteria {
                let _ = writeln!(
                    h,
                    "<li>{}: {}</li>",
                    esc(&c.label),
                    output(&format!("criterion:{}", esc(&c.id)))
                );
            }
            h.push_str("</ul>\n");
        }
    }
    let _ = writeln!(
        h,
        "<p class=\"calc-print-date\">{}</p>",
        w.fill_html(
            "calc_computed_on",
            &[("title", &esc(&spec.title)), ("date", &output("date"))]
        )
    );
    h.push_str("</div>\n");
}
