//! Rust ⇄ JS agreement: both evaluators on random inputs built around every edge.

use super::*;

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
