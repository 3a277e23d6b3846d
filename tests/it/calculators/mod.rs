//! Calculator tests: shared vectors, both sides of every band edge in every unit, spec
//! validation, the embedded widget, the CLI, and Rust ⇄ JS agreement on random inputs.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use hpskb::calc::num::{Rat, parse_decimal};
use hpskb::calc::spec::{InputKind, Test};
use hpskb::calc::{self, Calculator};
use serde_json::{Value, json};

mod agreement;
mod cli;
mod edges;
mod html;
mod spec;
mod translation;

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
