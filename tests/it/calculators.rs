//! Calculator tests: shared vectors, both sides of every band edge in every unit, spec
//! validation, the embedded widget, the CLI, and Rust ⇄ JS agreement on random inputs.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use hpskb::calc::num::{Rat, parse_decimal};
use hpskb::calc::spec::{InputKind, Test};
use hpskb::calc::{self, Calculator};
use serde_json::{Value, json};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn load(id: &str) -> Calculator {
    let display = Path::new("content/calculators").join(format!("{id}.toml"));
    let text = std::fs::read_to_string(root().join(&display)).unwrap();
    match calc::parse(&display, &text) {
        Ok(c) => c,
        Err(d) => panic!(
            "{id}: {}",
            d.iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        ),
    }
}

const IDS: [&str; 3] = ["hscore", "hlh-2004", "ohi"];

/// Output of the Rust evaluator in the shape the JS CLI prints: the result, or the
/// sorted set of fields with errors.
fn rust_eval(c: &Calculator, input: &Value) -> Value {
    match c.evaluate(&input.to_string()) {
        Ok(o) => {
            json!({"ok": true, "result": serde_json::from_str::<Value>(&o.to_json()).unwrap()})
        }
        Err(errs) => {
            let fields: BTreeSet<String> = errs.into_iter().map(|e| e.field).collect();
            json!({"ok": false, "fields": fields})
        }
    }
}

fn vectors() -> Vec<Value> {
    let text = std::fs::read_to_string(root().join("tests/calculators/vectors.json")).unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    doc["cases"].as_array().unwrap().clone()
}

#[test]
fn shared_vectors_pass_in_rust() {
    let calcs: Vec<Calculator> = IDS.iter().map(|id| load(id)).collect();
    let cases = vectors();
    assert!(cases.len() > 100, "only {} vectors", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let c = calcs
            .iter()
            .find(|c| c.id == case["calculator"].as_str().unwrap())
            .unwrap();
        let got = rust_eval(c, &case["input"]);
        let name = case["name"].as_str().unwrap();
        if let Some(expect) = case.get("expect") {
            if got["result"] != *expect {
                failures.push(format!("{name}: expected {expect}, got {got}"));
            }
        } else {
            let want: BTreeSet<String> = case["errors"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap().to_string())
                .collect();
            if got["ok"] != json!(false) || got["fields"] != json!(want) {
                failures.push(format!("{name}: expected errors {want:?}, got {got}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The same wording in JavaScript: tests/js/vectors.test.mjs.
const COMMA_MESSAGE: &str = "`1,5` is not a number (write decimals with a point)";

#[test]
fn a_decimal_comma_is_refused_with_a_hint_to_use_a_point() {
    let c = load("hscore");
    let mut input = base_input("hscore");
    input["triglycerides"] = json!({"value": "1,5", "unit": "mmol/L"});
    let errors = c.evaluate(&input.to_string()).unwrap_err();
    let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(messages, [COMMA_MESSAGE]);
    input["triglycerides"] = json!({"value": "1.5x", "unit": "mmol/L"});
    let errors = c.evaluate(&input.to_string()).unwrap_err();
    assert_eq!(errors[0].message, "`1.5x` is not a number");
}

#[test]
fn spec_json_files_for_node_are_current() {
    // Node tests read the spec JSON that pages embed; keep the copies in sync.
    // Regenerate with: HPSKB_UPDATE_SPECS=1 cargo test --test it calculators::
    let dir = root().join("tests/calculators/specs");
    for id in IDS {
        let json = load(id).spec_json();
        let path = dir.join(format!("{id}.json"));
        if std::env::var_os("HPSKB_UPDATE_SPECS").is_some() {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, format!("{json}\n")).unwrap();
        }
        let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
        assert_eq!(
            on_disk.trim_end(),
            json,
            "{} is stale; run HPSKB_UPDATE_SPECS=1 cargo test --test it calculators::",
            path.display()
        );
    }
}

fn dec(r: Rat) -> Option<String> {
    let (s, exact) = r.to_decimal(12);
    exact.then_some(s)
}

/// A scoring-neutral valid input for each calculator, with `id` set to `value`.
fn base_input(id: &str) -> Value {
    match id {
        "hscore" => json!({
            "known_immunosuppression": false, "temperature": {"value": 37, "unit": "C"},
            "organomegaly": "none", "cytopenia_lineages": 0, "ferritin": {"value": 100, "unit": "ng/mL"},
            "triglycerides": {"value": 1, "unit": "mmol/L"}, "fibrinogen": {"value": 3, "unit": "g/L"},
            "ast": {"value": 20, "unit": "U/L"}, "marrow_hemophagocytosis": false
        }),
        "ohi" => json!({
            "scd25": {"value": 500, "unit": "U/mL"}, "ferritin": {"value": 100, "unit": "ng/mL"}
        }),
        _ => json!({
            "molecular_diagnosis_consistent_with_hlh": false,
            "family_history_consistent_with_hlh": false, "infant_under_4_weeks": false,
            "temperature": {"value": 37, "unit": "C"}, "splenomegaly": false,
            "hemoglobin": {"value": 130, "unit": "g/L"}, "platelets": {"value": 250, "unit": "10^9/L"},
            "neutrophils": {"value": 4, "unit": "10^9/L"},
            "triglycerides_fasting": {"value": 1, "unit": "mmol/L"}, "fibrinogen": {"value": 3, "unit": "g/L"},
            "hemophagocytosis_marrow_spleen_or_lymph_node": false, "nk_activity_low_or_absent": false,
            "ferritin": {"value": 100, "unit": "ug/L"}, "scd25": {"value": 500, "unit": "U/mL"}
        }),
    }
}

#[test]
fn hscore_both_sides_of_every_band_edge_in_every_unit() {
    let c = load("hscore");
    let spec = &c.spec;
    let step = Rat::new(1, 1_000_000).unwrap();
    let mut checked = 0;
    for item in &spec.items {
        let Some(input) = item
            .input
            .as_deref()
            .and_then(|i| spec.inputs.iter().find(|x| x.id == i))
        else {
            continue;
        };
        if input.kind != InputKind::Measured {
            continue;
        }
        for w in item.bands.windows(2) {
            let (lo_band, hi_band) = (&w[0], &w[1]);
            let edge = lo_band.max.unwrap();
            let at_edge = if lo_band.max_inclusive {
                lo_band.points
            } else {
                hi_band.points
            };
            for unit in &input.units {
                let e = unit.from_base(edge).unwrap();
                let e_text =
                    dec(e).unwrap_or_else(|| panic!("edge {edge} in {} not a decimal", unit.id));
                for (v, want) in [
                    (e_text.clone(), at_edge),
                    (dec(e.checked_sub(step).unwrap()).unwrap(), lo_band.points),
                    (dec(e.checked_add(step).unwrap()).unwrap(), hi_band.points),
                ] {
                    // As a JSON string (exact) and as a JSON number.
                    let num: f64 = v.parse().unwrap();
                    for value in [json!(v), json!(num)] {
                        let mut doc = base_input("hscore");
                        doc[&input.id] = json!({"value": value, "unit": unit.id});
                        let out: Value =
                            serde_json::from_str(&c.score_json(&doc.to_string()).unwrap()).unwrap();
                        assert_eq!(
                            out["items"][&item.id], want,
                            "{} = {v} {}: expected {want}",
                            input.id, unit.id
                        );
                        checked += 1;
                    }
                }
            }
        }
    }
    assert!(checked >= 60, "checked only {checked}");
}

#[test]
fn hscore_cytopenia_edges_in_every_unit() {
    let c = load("hscore");
    let spec = &c.spec;
    let item = spec.items.iter().find(|i| i.id == "cytopenias").unwrap();
    let step = Rat::new(1, 1_000_000).unwrap();
    let counts = ["hemoglobin", "wbc", "platelets"];
    for t in &item.count {
        let Test::Range {
            input,
            max: Some(edge),
            max_inclusive: true,
            ..
        } = t
        else {
            panic!("cytopenia tests are inclusive upper edges");
        };
        let inp = spec.inputs.iter().find(|i| &i.id == input).unwrap();
        for unit in &inp.units {
            let e = unit.from_base(*edge).unwrap();
            for (v, cytopenic) in [
                (e, true),
                (e.checked_add(step).unwrap(), false),
                (e.checked_sub(step).unwrap(), true),
            ] {
                let mut doc = base_input("hscore");
                doc.as_object_mut().unwrap().remove("cytopenia_lineages");
                // Every other lineage cytopenic: 3 lineages = 34, 2 = 24.
                for other in counts {
                    let o = spec.inputs.iter().find(|i| i.id == other).unwrap();
                    let low = o.units[0].from_base(Rat::ZERO).unwrap();
                    doc[other] = json!({"value": dec(low).unwrap(), "unit": o.units[0].id});
                }
                doc[input] = json!({"value": dec(v).unwrap(), "unit": unit.id});
                let out: Value =
                    serde_json::from_str(&c.score_json(&doc.to_string()).unwrap()).unwrap();
                assert_eq!(
                    out["items"]["cytopenias"],
                    if cytopenic { 34 } else { 24 },
                    "{input} {} {}",
                    dec(v).unwrap(),
                    unit.id
                );
            }
        }
    }
}

#[test]
fn hlh_2004_both_sides_of_every_threshold_in_every_unit() {
    assert!(criteria_edges("hlh-2004") >= 50);
}

#[test]
fn ohi_both_sides_of_every_threshold_in_every_unit() {
    // sCD25 > 3900 U/mL (one unit); ferritin > 1000 ng/mL in ng/mL, µg/L and pmol/L.
    assert_eq!(criteria_edges("ohi"), 4 * 3);
}

/// Checks each single-edge range test of criteria calculator `id` just below, at and just
/// above its edge, in every unit; returns how many values were checked.
fn criteria_edges(id: &str) -> usize {
    let c = load(id);
    let spec = &c.spec;
    let step = Rat::new(1, 1_000_000).unwrap();
    // The criterion a single range test decides, with the base input otherwise unchanged
    // (for cytopenias, platelets are already low so one more lineage decides it).
    fn leaves<'a>(t: &'a Test, out: &mut Vec<&'a Test>) {
        match t {
            Test::Range { .. } => out.push(t),
            Test::Is { .. } => {}
            Test::All { of } | Test::Any { of } | Test::AtLeast { of, .. } => {
                for t in of {
                    leaves(t, out);
                }
            }
        }
    }
    let mut checked = 0;
    for crit in &spec.criteria {
        let mut ls = Vec::new();
        leaves(&crit.rule, &mut ls);
        for leaf in ls {
            let Test::Range {
                input,
                min,
                min_inclusive,
                max,
                max_inclusive,
                unit_thresholds,
            } = leaf
            else {
                continue;
            };
            let inp = spec.inputs.iter().find(|i| &i.id == input).unwrap();
            let (edge, inclusive, upper) = match (min, max) {
                (Some(m), None) => (*m, *min_inclusive, false),
                (None, Some(m)) => (*m, *max_inclusive, true),
                _ => panic!("single-edge tests only"),
            };
            if input == "hemoglobin" && edge == Rat::int(100) {
                continue; // infant threshold: covered by vectors
            }
            for (ui, unit) in inp.units.iter().enumerate() {
                let e = if ui > 0 {
                    unit_thresholds
                        .get(&unit.id)
                        .copied()
                        .unwrap_or_else(|| unit.from_base(edge).unwrap())
                } else {
                    edge
                };
                let inside = |v: Rat| {
                    if upper {
                        v < e || (v == e && inclusive)
                    } else {
                        v > e || (v == e && inclusive)
                    }
                };
                for v in [
                    e,
                    e.checked_sub(step).unwrap(),
                    e.checked_add(step).unwrap(),
                ] {
                    let mut doc = base_input(id);
                    if crit.id == "cytopenias" {
                        let other = if input == "platelets" {
                            "hemoglobin"
                        } else {
                            "platelets"
                        };
                        doc[other] = json!({"value": 1, "unit": spec.inputs.iter().find(|i| i.id == other).unwrap().units[0].id});
                    }
                    doc[input] = json!({"value": dec(v).unwrap(), "unit": unit.id});
                    let out: Value =
                        serde_json::from_str(&c.score_json(&doc.to_string()).unwrap()).unwrap();
                    assert_eq!(
                        out["criteria"][&crit.id],
                        json!(inside(v)),
                        "{} {} {}",
                        input,
                        dec(v).unwrap(),
                        unit.id
                    );
                    checked += 1;
                }
            }
        }
    }
    checked
}

#[test]
fn hlh_2004_triglycerides_use_the_unit_given() {
    // The source states 3.0 mmol/L and 265 mg/dL; 265 mg/dL is 2.992 mmol/L at 88.57.
    let c = load("hlh-2004");
    let run = |v: &str, u: &str| {
        let mut doc = base_input("hlh-2004");
        doc["triglycerides_fasting"] = json!({"value": v, "unit": u});
        let out: Value = serde_json::from_str(&c.score_json(&doc.to_string()).unwrap()).unwrap();
        out["criteria"]["hypertriglyceridemia_or_hypofibrinogenemia"]
            .as_bool()
            .unwrap()
    };
    assert!(run("265", "mg/dL"));
    assert!(!run("264.999", "mg/dL"));
    assert!(run("3.0", "mmol/L"));
    assert!(!run("2.992", "mmol/L"));
}

#[test]
fn hscore_probability_never_interpolates() {
    let c = load("hscore");
    let rows = &c.spec.result.probability;
    let p = |s| calc::eval::probability(rows, "%", s).unwrap();
    assert_eq!(p(0), "<1%");
    assert_eq!(p(90), "<1%");
    assert_eq!(p(91), "<1% to 1%");
    assert_eq!(p(100), "1%");
    assert_eq!(p(169), "40–54%");
    assert_eq!(p(170), "54%");
    assert_eq!(p(223), "96–98%");
    assert_eq!(p(249), "99% to >99%");
    assert_eq!(p(250), ">99%");
    assert_eq!(p(337), ">99%");
    for s in 0..=337 {
        let t = p(s);
        assert!(t.ends_with('%') && !t.contains('.'), "{s}: {t}");
        assert!(!t.contains("–>") && !t.contains("–<"), "{s}: {t}");
    }
    let r = |lo, hi| calc::eval::probability_range(rows, "%", (lo, hi)).unwrap();
    assert_eq!(r(162, 197), "40–54% to 80–88%");
    assert_eq!(r(0, 54), "<1%");
    assert_eq!(r(170, 170), "54%");
}

/// The output of `input` (a base input with `changes`) for calculator `id`.
fn scored(id: &str, changes: Value) -> Value {
    let mut doc = base_input(id);
    for (k, v) in changes.as_object().unwrap() {
        doc[k] = v.clone();
    }
    serde_json::from_str(&load(id).score_json(&doc.to_string()).unwrap()).unwrap()
}

#[test]
fn hlh_2004_tests_not_done_give_three_states() {
    let five = json!({
        "temperature": {"value": 39, "unit": "C"}, "splenomegaly": true,
        "platelets": {"value": 50, "unit": "10^9/L"}, "hemoglobin": {"value": 80, "unit": "g/L"},
        "ferritin": {"value": 800, "unit": "ug/L"}, "scd25": {"value": 5000, "unit": "U/mL"}
    });
    let with = |extra: Value| {
        let mut c = five.clone();
        for (k, v) in extra.as_object().unwrap() {
            c[k] = v.clone();
        }
        scored("hlh-2004", c)
    };
    // None not done: the list is empty and `fulfilled` a plain boolean.
    let out = with(json!({}));
    assert_eq!(out["fulfilled"], true);
    assert_eq!(out["criteria_not_measured"], json!([]));
    // Not enough to decide: 4 met, NK and sCD25 pending.
    let out = with(json!({"scd25": null, "nk_activity_low_or_absent": null}));
    assert_eq!(out["criteria_met"], 4);
    assert_eq!(out["fulfilled"], Value::Null);
    assert_eq!(
        out["criteria_not_measured"],
        json!(["nk_activity", "scd25"])
    );
    assert_eq!(out["criteria"]["nk_activity"], Value::Null);
    assert_eq!(out["criteria"]["splenomegaly"], true);
    // Enough to decide: 5 met with NK pending → fulfilled; 2 met with 2 pending → not.
    let out = with(json!({"nk_activity_low_or_absent": null}));
    assert_eq!(out["fulfilled"], true);
    let out = scored(
        "hlh-2004",
        json!({"splenomegaly": true, "scd25": null, "hemophagocytosis_marrow_spleen_or_lymph_node": null}),
    );
    assert_eq!(out["fulfilled"], false);
    // A family history consistent with HLH is sufficient, with tests pending.
    let out = scored(
        "hlh-2004",
        json!({"family_history_consistent_with_hlh": true, "scd25": null}),
    );
    assert_eq!(out["fulfilled"], true);
    // Temperature is always known: null is refused.
    let errors = load("hlh-2004")
        .evaluate(&{
            let mut d = base_input("hlh-2004");
            d["temperature"] = Value::Null;
            d.to_string()
        })
        .unwrap_err();
    assert_eq!(errors[0].field, "temperature");
}

#[test]
fn hscore_tests_not_done_give_a_score_range() {
    // None not done: exactly the fields of a complete score.
    let out = scored("hscore", json!({}));
    let keys: Vec<&str> = out
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "calculator",
            "items",
            "max",
            "meets_cutoff_169",
            "probability",
            "score"
        ]
    );
    // Not enough to decide: 148 known, marrow pending (0 or 35).
    let high = json!({
        "known_immunosuppression": true, "temperature": {"value": 39, "unit": "C"},
        "organomegaly": "both", "ferritin": {"value": 3000, "unit": "ng/mL"}, "cytopenia_lineages": 2,
        "marrow_hemophagocytosis": null
    });
    let out = scored("hscore", high.clone());
    assert_eq!(out["score"], 148);
    assert_eq!(out["score_range"], json!([148, 183]));
    assert_eq!(out["meets_cutoff_169"], Value::Null);
    assert_eq!(out["not_measured"], json!(["marrow_hemophagocytosis"]));
    assert_eq!(out["items"]["marrow_hemophagocytosis"], Value::Null);
    assert_eq!(out["probability"], "16–25% to 70–80%");
    // Enough to decide: low fibrinogen (30) and AST (19) lift the low end to 197.
    let mut decided = high.clone();
    decided["fibrinogen"] = json!({"value": 2, "unit": "g/L"});
    decided["ast"] = json!({"value": 40, "unit": "U/L"});
    let out = scored("hscore", decided);
    assert_eq!(out["meets_cutoff_169"], true);
    assert_eq!(out["score_range"], json!([197, 232]));
    let out = scored("hscore", json!({"ast": null, "ferritin": null}));
    assert_eq!(out["meets_cutoff_169"], false);
    assert_eq!(out["score_range"], json!([0, 69]));
    // Clinical findings stay required.
    for id in ["temperature", "known_immunosuppression"] {
        let mut d = base_input("hscore");
        d[id] = Value::Null;
        let errors = load("hscore").evaluate(&d.to_string()).unwrap_err();
        assert_eq!(errors[0].field, id);
    }
}

#[test]
fn decimal_edge_never_flips_through_floating_point() {
    let f = parse_decimal("102.92").unwrap();
    let c = f
        .checked_sub(Rat::int(32))
        .unwrap()
        .checked_mul(Rat::new(5, 9).unwrap())
        .unwrap();
    assert_eq!(c, parse_decimal("39.4").unwrap());
    // In binary floating point this is 39.400000000000006.
    let f = std::hint::black_box(102.92f64);
    assert!((f - 32.0) * 5.0 / 9.0 > 39.4);
}

// ---------------------------------------------------------------------------------
// Spec validation
// ---------------------------------------------------------------------------------

fn spec_errors(text: &str) -> Vec<String> {
    match calc::parse(Path::new("content/calculators/t.toml"), text) {
        Ok(_) => Vec::new(),
        Err(d) => d.iter().map(|d| d.to_string()).collect(),
    }
}

const MINI: &str = r#"id = "t"
kind = "score"
title = "T"
references = ["x"]
source = "S"
population = "P"

[[inputs]]
id = "a"
label = "A"
type = "measured"
min = 0
max = 100
units = [{ id = "g/L" }, { id = "mg/dL", factor = "1/100" }]

[[items]]
id = "a"
label = "A"
input = "a"
bands = [
  { max = 10, max_inclusive = false, points = 0 },
  { min = 10, min_inclusive = true, points = 5 },
]

[result]
max = 5
cutoff = 5
"#;

#[test]
fn minimal_spec_is_valid() {
    assert_eq!(spec_errors(MINI), Vec::<String>::new());
}

fn mutate(from: &str, to: &str) -> Vec<String> {
    assert!(MINI.contains(from), "{from}");
    spec_errors(&MINI.replacen(from, to, 1))
}

#[test]
fn gaps_overlaps_unknown_units_and_unreachable_results_are_errors_with_lines() {
    let cases = [
        (
            "{ min = 10, min_inclusive = true, points = 5 }",
            "{ min = 11, min_inclusive = true, points = 5 }",
            ":22:",
            "gap between 10 g/L and 11 g/L",
        ),
        (
            "{ min = 10, min_inclusive = true, points = 5 }",
            "{ min = 10, min_inclusive = false, points = 5 }",
            ":22:",
            "gap: 10 g/L belongs to no band",
        ),
        (
            "{ max = 10, max_inclusive = false, points = 0 }",
            "{ max = 10, max_inclusive = true, points = 0 }",
            ":22:",
            "overlap: 10 g/L belongs to two bands",
        ),
        (
            "{ min = 10, min_inclusive = true, points = 5 }",
            "{ min = 9, min_inclusive = true, points = 5 }",
            ":22:",
            "overlap",
        ),
        (
            "{ id = \"mg/dL\"",
            "{ id = \"mg/dl\"",
            ":14:",
            "unknown unit `mg/dl`",
        ),
        (
            "max = 5\ncutoff = 5",
            "max = 5\ncutoff = 6",
            ":27:",
            "unreachable",
        ),
        ("max = 5\n", "max = 6\n", ":26:", "add up to 5"),
        (
            "{ max = 10, max_inclusive = false, points = 0 }",
            "{ max = 10, points = 0 }",
            ":21:",
            "inclusive",
        ),
        (
            "min = 0\nmax = 100",
            "min = 20\nmax = 100",
            ":21:",
            "unreachable",
        ),
        ("id = \"t\"", "id = \"u\"", ":1:", "file name"),
        (
            "kind = \"score\"",
            "kind = \"scroe\"",
            ":2:",
            "unknown calculator kind",
        ),
        (
            "input = \"a\"",
            "input = \"b\"",
            ":19:",
            "unknown input `b`",
        ),
        (
            "factor = \"1/100\"",
            "factor = \"1/0\"",
            ":14:",
            "not an exact number",
        ),
        ("factor = \"1/100\"", "factor = \"-1\"", ":14:", "positive"),
    ];
    for (from, to, line, msg) in cases {
        let errs = mutate(from, to);
        assert!(
            errs.iter().any(|e| e.contains(line) && e.contains(msg)),
            "{from} → {to}: expected `{msg}` at {line}, got {errs:#?}"
        );
    }
}

#[test]
fn the_form_offers_the_default_unit_first_and_an_unknown_one_is_an_error() {
    use scraper::{Html, Selector};
    let units = "units = [{ id = \"g/L\" }, { id = \"mg/dL\", factor = \"1/100\" }]";
    let with =
        |default: &str| MINI.replacen(units, &format!("{units}\ndefault_unit = \"{default}\""), 1);
    let selected = |text: &str| {
        let c = calc::parse(Path::new("content/calculators/t.toml"), text).expect("valid spec");
        let doc = Html::parse_fragment(&c.embed_html());
        let sel = Selector::parse("select[name=\"a.unit\"] option[selected]").unwrap();
        doc.select(&sel)
            .map(|o| o.value().attr("value").unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(selected(MINI), ["g/L"], "the base unit when none is named");
    assert_eq!(selected(&with("mg/dL")), ["mg/dL"]);
    let errs = spec_errors(&with("mg/dl"));
    assert!(
        errs.iter().any(|e| e.contains(":15:")
            && e.contains("default unit `mg/dl` is not a unit of `a`")
            && e.contains("g/L, mg/dL")),
        "{errs:#?}"
    );
    let on_a_count = MINI.replacen("type = \"measured\"", "type = \"count\"", 1);
    let errs = spec_errors(&on_a_count.replacen(units, "default_unit = \"g/L\"", 1));
    assert!(
        errs.iter()
            .any(|e| e.contains(":14:") && e.contains("only measured inputs have a default unit")),
        "{errs:#?}"
    );
}

#[test]
fn every_bundled_calculator_offers_a_quantity_in_the_same_unit_first() {
    let calcs = ["hscore", "hlh-2004", "ohi"].map(load);
    let mut first: std::collections::BTreeMap<&str, (&str, &str)> = Default::default();
    let mut shared = 0;
    for c in &calcs {
        for i in c
            .spec
            .inputs
            .iter()
            .filter(|i| i.kind == InputKind::Measured)
        {
            let unit = i.units[i.default_unit].id.as_str();
            match first.get(i.id.as_str()) {
                None => {
                    first.insert(&i.id, (unit, &c.id));
                }
                Some((u, by)) => {
                    shared += 1;
                    assert_eq!(
                        unit, *u,
                        "{}: `{}` first in {unit}, but {by} offers {u}",
                        c.id, i.id
                    );
                }
            }
        }
    }
    assert!(
        shared >= 4,
        "hemoglobin, platelets, ferritin, fibrinogen… are shared"
    );
    assert_eq!(first["hemoglobin"].0, "g/dL");
    assert_eq!(first["ferritin"].0, "ng/mL");
}

#[test]
fn all_problems_are_reported_at_once() {
    let text = MINI
        .replacen("{ id = \"mg/dL\"", "{ id = \"mg/dl\"", 1)
        .replacen("references = [\"x\"]", "references = []", 1)
        .replacen(
            "{ min = 10, min_inclusive = true",
            "{ min = 12, min_inclusive = true",
            1,
        );
    let errs = spec_errors(&text);
    assert!(errs.len() >= 3, "{errs:#?}");
}

#[test]
fn syntax_errors_have_a_line() {
    let errs = spec_errors("id = \"t\"\nkind = = 1\n");
    assert_eq!(errs.len(), 1);
    assert!(errs[0].contains("t.toml:2:"), "{errs:?}");
    let errs =
        spec_errors(&MINI.replacen("label = \"A\"\ntype", "label = \"A\"\ncolour = 1\ntype", 1));
    assert!(errs[0].contains("colour"), "{errs:?}");
}

#[test]
fn garbage_specs_never_panic() {
    // Deterministic mutations of the real specs: truncations and byte swaps.
    let mut rng = Rng(0x5eed);
    for id in IDS {
        let text =
            std::fs::read_to_string(root().join(format!("content/calculators/{id}.toml"))).unwrap();
        let bytes = text.as_bytes();
        for _ in 0..400 {
            let mut b = bytes.to_vec();
            match rng.below(3) {
                0 => b.truncate(rng.below(b.len() as u64) as usize),
                1 => {
                    let i = rng.below(b.len() as u64) as usize;
                    b[i] = b"0=[]{}\",.-x\n 9"[rng.below(14) as usize];
                }
                _ => {
                    let i = rng.below(b.len() as u64) as usize;
                    let j = rng.below(b.len() as u64) as usize;
                    b.swap(i, j);
                }
            }
            if let Ok(s) = String::from_utf8(b) {
                let _ = calc::parse(Path::new(&format!("content/calculators/{id}.toml")), &s);
            }
        }
    }
}

// ---------------------------------------------------------------------------------
// HTML
// ---------------------------------------------------------------------------------

#[test]
fn embed_html_has_accessible_form_table_and_spec() {
    use scraper::{Html, Selector};
    let a = load("hscore");
    let b = load("hlh-2004");
    let page = format!(
        "<!DOCTYPE html><html lang=en><head><title>t</title></head><body>{}{}</body></html>",
        a.embed_html(),
        b.embed_html()
    );
    let doc = Html::parse_document(&page);
    let sel = |s: &str| Selector::parse(s).unwrap();
    // Unique ids across two calculators on one page.
    let mut ids = BTreeSet::new();
    for e in doc.select(&sel("[id]")) {
        let id = e.value().attr("id").unwrap();
        assert!(ids.insert(id.to_string()), "duplicate id {id}");
    }
    // Every control has a <label for>.
    for e in doc.select(&sel("input, select")) {
        let id = e.value().attr("id").expect("control without id");
        assert!(
            doc.select(&sel(&format!("label[for=\"{id}\"]")))
                .next()
                .is_some(),
            "no label for {id}"
        );
    }
    for c in [&a, &b] {
        let root = sel(&format!("section.calculator[data-calculator=\"{}\"]", c.id));
        let section = doc.select(&root).next().unwrap();
        for input in &c.spec.inputs {
            let s = sel(&format!("[name=\"{}\"]", input.id));
            assert!(
                section.select(&s).next().is_some(),
                "{}: no control {}",
                c.id,
                input.id
            );
            if input.kind == InputKind::Measured {
                let s = sel(&format!("select[name=\"{}.unit\"]", input.id));
                let options: Vec<_> = section
                    .select(&s)
                    .next()
                    .unwrap()
                    .select(&sel("option"))
                    .collect();
                assert_eq!(options.len(), input.units.len());
            }
            let s = sel(&format!("[data-error-for=\"{}\"][aria-live]", input.id));
            assert!(
                section.select(&s).next().is_some(),
                "{}: no error element",
                input.id
            );
        }
        assert!(section.select(&sel("table caption")).next().is_some());
        assert!(
            section
                .select(&sel("[role=status][aria-live=polite]"))
                .next()
                .is_some()
        );
        let script = section
            .select(&sel("script.calculator-spec[type=\"application/json\"]"))
            .next()
            .unwrap();
        let json: Value = serde_json::from_str(&script.inner_html()).unwrap();
        assert_eq!(json["id"], c.id);
    }
    let hs = doc
        .select(&sel("section[data-calculator=hscore]"))
        .next()
        .unwrap();
    for k in ["score", "probability", "status"] {
        assert!(
            hs.select(&sel(&format!("[data-result=\"{k}\"]")))
                .next()
                .is_some(),
            "{k}"
        );
    }
    let text = hs.text().collect::<String>();
    for needle in [
        "< 38.4 °C",
        "≥ 38.4 °C and ≤ 39.4 °C",
        "> 39.4 °C",
        "≥ 30 U/L",
        "≤ 2.5 g/L",
        "40–54%",
        "Population",
    ] {
        assert!(text.contains(needle), "hscore table lacks {needle}");
    }
    // Thresholds as the source writes them: no computed conversion is shown.
    for computed in ["5.70952", "132.855", "354.28", "101.12", "4494 pmol/L"] {
        assert!(
            !text.contains(computed),
            "hscore shows a computed threshold {computed}"
        );
    }
    let hl = doc
        .select(&sel("section[data-calculator=hlh-2004]"))
        .next()
        .unwrap();
    assert!(
        hl.select(&sel("[data-result=criteria_met]"))
            .next()
            .is_some()
    );
    let text = hl.text().collect::<String>();
    for needle in [
        "≥ 3 mmol/L (≥ 265 mg/dL)",
        "< 90 g/L",
        "≥ 38.5 °C",
        "not validated in adults",
    ] {
        assert!(text.contains(needle), "hlh-2004 table lacks {needle}");
    }
    // The spec JSON cannot close its script element.
    assert!(!a.spec_json().contains('<'));
}

#[test]
fn ohi_states_its_strict_thresholds_and_the_papers_two_wordings() {
    use scraper::{Html, Selector};
    let c = load("ohi");
    let doc = Html::parse_fragment(&c.embed_html());
    let text = doc.root_element().text().collect::<String>();
    for needle in [
        "> 3900 U/mL",
        "> 1000 ng/mL",
        "Figure 3 legend uses ≥",
        "Not studied in drug-induced HLH",
    ] {
        assert!(text.contains(needle), "ohi widget lacks {needle}");
    }
    assert!(
        doc.select(&Selector::parse("[data-result=fulfilled]").unwrap())
            .next()
            .is_some()
    );
    // Embedded in the ibrutinib monograph, inside its Diagnosis section.
    let page = std::fs::read_to_string(root().join("content/monographs/ibrutinib.md")).unwrap();
    let fence = page.find("```calculator\nohi\n```").expect("ohi fence");
    let diagnosis = page.find("\n## Diagnosis\n").expect("Diagnosis section");
    let next = page[diagnosis + 1..]
        .find("\n## ")
        .map(|i| i + diagnosis + 1);
    assert!(
        fence > diagnosis && next.is_none_or(|n| fence < n),
        "fence outside Diagnosis"
    );
}

#[test]
fn a_calculator_is_folded_in_a_monograph_and_open_on_its_own_page() {
    // On a phone, a monograph's sections after an embedded calculator must not be four
    // screens away: outside its own page the widget is a closed <details> card.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let status = Command::new(env!("CARGO_BIN_EXE_hpskb"))
        .args(["build", "--no-search", "--root"])
        .arg(root())
        .arg("--output")
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    let doc =
        |p: &str| scraper::Html::parse_document(&std::fs::read_to_string(out.join(p)).unwrap());
    let sel = |s: &str| scraper::Selector::parse(s).unwrap();
    let monograph = doc("monographs/ibrutinib/index.html");
    let card = monograph
        .select(&sel("details.calculator-embed"))
        .next()
        .expect("a folded calculator");
    assert!(card.value().attr("open").is_none(), "closed until opened");
    assert!(card.select(&sel("summary")).next().is_some());
    assert!(
        card.select(&sel("section.calculator form"))
            .next()
            .is_some()
    );
    let own = doc("calculators/ohi/index.html");
    assert!(
        own.select(&sel("details.calculator-embed"))
            .next()
            .is_none()
    );
    assert!(own.select(&sel("section.calculator form")).next().is_some());
}

// ---------------------------------------------------------------------------------
// CLI
// ---------------------------------------------------------------------------------

#[test]
fn cli_scores_and_reports_bad_fields() {
    let dir = tempfile::tempdir().unwrap();
    let score = |name: &str, doc: &Value| {
        let input = dir.path().join(name);
        std::fs::write(&input, doc.to_string()).unwrap();
        Command::new(env!("CARGO_BIN_EXE_hpskb"))
            .args(["score", "hscore", "--input"])
            .arg(&input)
            .arg("--root")
            .arg(root())
            .output()
            .unwrap()
    };
    let mut doc = base_input("hscore");
    doc["temperature"] = json!({"value": 102.92, "unit": "F"});
    let out = score("good.json", &doc);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["score"], 33);
    assert_eq!(v["items"]["temperature"], 33);
    assert_eq!(v["probability"], "<1%");
    assert_eq!(v["meets_cutoff_169"], false);

    doc["temperature"] = json!({"value": 55, "unit": "C"});
    doc["ferritin"] = json!({"value": 1e8, "unit": "ng/mL"});
    let out = score("bad.json", &doc);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 2, "{err}");
    assert!(
        err.contains("temperature:") && err.contains("ferritin:"),
        "{err}"
    );
}

/// The hscore input with `temperature` written as raw JSON text (`value` untouched by
/// any float).
fn with_raw_temperature(raw: &str) -> String {
    let doc = base_input("hscore").to_string();
    doc.replace(
        r#""temperature":{"unit":"C","value":37}"#,
        &format!(r#""temperature":{{"unit":"C","value":{raw}}}"#),
    )
}

#[test]
fn json_numbers_are_read_from_their_literal_digits_like_strings() {
    let c = load("hscore");
    let points = |raw: &str| {
        let doc = with_raw_temperature(raw);
        assert!(doc.contains(raw), "{doc}");
        let v: Value = serde_json::from_str(&c.score_json(&doc).unwrap()).unwrap();
        v["items"]["temperature"].clone()
    };
    // Just above the 39.4 °C edge; as a float it would be exactly 39.4 (33 points).
    assert_eq!(points("39.40000000000000001"), 49);
    assert_eq!(points(r#""39.40000000000000001""#), 49);
    assert_eq!(points("39.4"), 33);
    assert_eq!(points("3.94e1"), 33);
    assert_eq!(points("0.394E+2"), 33);
}

#[test]
fn a_key_given_twice_is_refused() {
    let c = load("hscore");
    let doc = base_input("hscore").to_string();
    let twice = doc.replacen('{', r#"{"ast":{"value":20,"unit":"U/L"},"#, 1);
    let errors = c.score_json(&twice).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("key `ast` is given twice"), "{errors:?}");
    // Inside a measured value too: which `value` was meant is not known.
    let inner = with_raw_temperature(r#"39, "value": 41"#);
    let errors = c.score_json(&inner).unwrap_err();
    assert!(
        errors[0].contains("key `value` is given twice"),
        "{errors:?}"
    );
}

#[test]
fn an_absurdly_long_value_is_refused_with_a_short_message() {
    let c = load("hscore");
    for raw in [
        format!("4{}", "0".repeat(300)),
        format!(r#""4{}""#, "0".repeat(300)),
        format!("0.{}1", "0".repeat(300)),
        "1e300".to_string(),
    ] {
        let errors = c.score_json(&with_raw_temperature(&raw)).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        let message = &errors[0];
        assert!(message.starts_with("temperature: `"), "{message}");
        assert!(message.chars().count() < 100, "{message}");
    }
    let errors = c
        .score_json(&with_raw_temperature(&"9".repeat(300)))
        .unwrap_err();
    assert_eq!(
        errors,
        ["temperature: `999999999999999999999999…` is too long to be a value (300 characters)"]
    );
    // An unknown key of any length is quoted short too.
    let long_key = "k".repeat(500);
    let doc = base_input("hscore")
        .to_string()
        .replacen('{', &format!(r#"{{"{long_key}":1,"#), 1);
    let errors = c.score_json(&doc).unwrap_err();
    assert!(errors.iter().all(|e| e.chars().count() < 100), "{errors:?}");
}

// ---------------------------------------------------------------------------------
// Rust ⇄ JS agreement on random inputs
// ---------------------------------------------------------------------------------

/// splitmix64: a small deterministic generator (fixed seed, no dependency).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }
    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len() as u64) as usize]
    }
}

fn edges_of(t: &Test, input: &str, out: &mut Vec<Rat>) {
    match t {
        Test::Range {
            input: i,
            min,
            max,
            unit_thresholds,
            ..
        } if i == input => {
            out.extend(min.iter().chain(max.iter()).copied());
            let _ = unit_thresholds;
        }
        Test::All { of } | Test::Any { of } | Test::AtLeast { of, .. } => {
            for t in of {
                edges_of(t, input, out);
            }
        }
        _ => {}
    }
}

fn random_input(c: &Calculator, rng: &mut Rng) -> Value {
    let spec = &c.spec;
    let mut doc = serde_json::Map::new();
    for input in &spec.inputs {
        // Edges (base unit) this input is compared against.
        let mut edges = Vec::new();
        for item in &spec.items {
            if item.input.as_deref() == Some(&input.id) {
                for b in &item.bands {
                    edges.extend(b.min.iter().chain(b.max.iter()).copied());
                }
            }
            for t in &item.count {
                edges_of(t, &input.id, &mut edges);
            }
        }
        for crit in &spec.criteria {
            edges_of(&crit.rule, &input.id, &mut edges);
        }
        edges.extend(input.min.iter().chain(input.max.iter()).copied());
        let roll = rng.below(1000);
        if roll < 8 {
            continue; // missing
        }
        if roll < 16 || (input.nullable && roll < 60) {
            doc.insert(input.id.clone(), Value::Null);
            continue;
        }
        if roll < 24 {
            doc.insert(
                input.id.clone(),
                rng.pick(&[json!("x"), json!(1), json!(true), json!([]), json!({})])
                    .clone(),
            );
            continue;
        }
        let v = match input.kind {
            InputKind::Boolean => json!(rng.below(2) == 0),
            InputKind::Choice => json!(rng.pick(&input.choices).value),
            InputKind::Count => {
                let n = if rng.below(20) == 0 {
                    rng.below(3) as i64 * 3 - 1
                } else {
                    rng.below(4) as i64
                };
                if rng.below(2) == 0 {
                    json!(n)
                } else {
                    json!(n.to_string())
                }
            }
            InputKind::Measured => {
                let ui = rng.below(input.units.len() as u64) as usize;
                let unit = &input.units[ui];
                let base = if edges.is_empty() || rng.below(5) == 0 {
                    let lo = input.min.unwrap_or(Rat::ZERO);
                    let hi = input.max.unwrap_or(Rat::int(100));
                    let span = hi.checked_sub(lo).unwrap();
                    lo.checked_add(
                        span.checked_mul(Rat::new(rng.below(1001) as i128, 1000).unwrap())
                            .unwrap(),
                    )
                    .unwrap()
                } else {
                    *rng.pick(&edges)
                };
                let mut value = unit.from_base(base).unwrap();
                // Nudge around the edge by a few units of the last decimal place.
                let scale = Rat::new(1, 10i128.pow(rng.below(4) as u32)).unwrap();
                let nudge = Rat::int(rng.below(5) as i64 - 2)
                    .checked_mul(scale)
                    .unwrap();
                value = value.checked_add(nudge).unwrap();
                let text = value.to_decimal(rng.below(4) as u32 + 2).0;
                let text = match rng.below(60) {
                    0 => format!("{text}e0"),
                    1 => format!(" {text} "),
                    2 => "".to_string(),
                    3 => text.replace('.', ","),
                    _ => text,
                };
                let as_num = rng.below(2) == 0;
                let value = match (as_num, text.trim().parse::<f64>()) {
                    (true, Ok(f)) if f.is_finite() => json!(f),
                    _ => json!(text),
                };
                let unit_id = if rng.below(200) == 0 {
                    "mg/dl".to_string()
                } else {
                    unit.id.clone()
                };
                json!({"value": value, "unit": unit_id})
            }
        };
        doc.insert(input.id.clone(), v);
    }
    if rng.below(50) == 0 {
        doc.insert("unexpected".into(), json!(1));
    }
    // Exercise the cytopenia alternative: sometimes drop the lineage count.
    if c.id == "hscore" && rng.below(2) == 0 {
        doc.remove("cytopenia_lineages");
    } else if c.id == "hscore" && rng.below(10) > 0 {
        for k in ["hemoglobin", "wbc", "platelets"] {
            doc.remove(k);
        }
    }
    Value::Object(doc)
}

#[test]
fn rust_and_js_evaluators_agree_on_random_inputs() {
    let node = Command::new("node").arg("--version").output();
    if node.is_err() || !node.unwrap().status.success() {
        if std::env::var_os("CI").is_some() {
            panic!("node is required in CI for the Rust ⇄ JS agreement test");
        }
        eprintln!("SKIPPED: node not found; the Rust ⇄ JS agreement test did not run");
        return;
    }
    let n: usize = std::env::var("HPSKB_AGREEMENT_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3000);
    let calcs: Vec<Calculator> = IDS.iter().map(|id| load(id)).collect();
    let mut rng = Rng(20_261_126);
    let mut cases = Vec::new();
    for c in &calcs {
        for _ in 0..n {
            cases.push(json!({"calculator": c.id, "input": random_input(c, &mut rng)}));
        }
    }
    let specs: serde_json::Map<String, Value> = calcs
        .iter()
        .map(|c| (c.id.clone(), serde_json::from_str(&c.spec_json()).unwrap()))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cases.json");
    std::fs::write(&file, json!({"specs": specs, "cases": cases}).to_string()).unwrap();
    let out = Command::new("node")
        .arg(root().join("tests/js/eval-cli.mjs"))
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "node failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let js: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(js.len(), cases.len());
    let mut mismatches = Vec::new();
    let (mut ok, mut err, mut undetermined) = (0, 0, 0);
    for (case, js) in cases.iter().zip(&js) {
        let c = calcs.iter().find(|c| c.id == case["calculator"]).unwrap();
        let rust = rust_eval(c, &case["input"]);
        if rust["ok"] == json!(true) {
            ok += 1
        } else {
            err += 1
        }
        let r = &rust["result"];
        if r.get("score_range").is_some() || r.get("fulfilled") == Some(&Value::Null) {
            undetermined += 1;
        }
        if &rust != js && mismatches.len() < 10 {
            mismatches.push(format!(
                "input {}\n  rust {rust}\n  js   {js}",
                case["input"]
            ));
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
    // The generator must exercise valid and invalid inputs, and tests not done.
    assert!(
        ok > cases.len() / 10 && err > cases.len() / 10 && undetermined > cases.len() / 50,
        "ok {ok}, errors {err}, with tests not done {undetermined}"
    );
}

#[test]
#[ignore = "writes the widgets to $HPSKB_EMBED_DIR for manual inspection"]
fn write_embed_samples() {
    let dir = std::env::var("HPSKB_EMBED_DIR").unwrap_or_else(|_| "/tmp".into());
    for id in IDS {
        let c = load(id);
        let page = format!(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{id}</title></head><body><main>\n{}\n</main><script src=\"calculator.js\"></script></body></html>\n",
            c.embed_html()
        );
        std::fs::write(Path::new(&dir).join(format!("{id}.html")), page).unwrap();
    }
}

#[test]
fn an_input_from_before_family_history_was_asked_still_scores() {
    // HLH-2004 gained "family history consistent with HLH" after its JSON contract was
    // published; an input without the key scores as if the answer were no, and a yes
    // is sufficient on its own.
    let c = load("hlh-2004");
    let mut old = base_input("hlh-2004");
    old.as_object_mut()
        .unwrap()
        .remove("family_history_consistent_with_hlh");
    assert_eq!(rust_eval(&c, &old), rust_eval(&c, &base_input("hlh-2004")));
    assert_eq!(rust_eval(&c, &old)["result"]["fulfilled"], json!(false));
    old["family_history_consistent_with_hlh"] = json!(true);
    assert_eq!(rust_eval(&c, &old)["result"]["fulfilled"], json!(true));
    // A key left out is not the same as an answer that is not a yes/no.
    old["family_history_consistent_with_hlh"] = json!("yes");
    assert_eq!(rust_eval(&c, &old)["ok"], json!(false));
}
