//! Both sides of every band edge and threshold of every calculator, in every unit the form offers.

use super::*;

fn dec(r: Rat) -> Option<String> {
    let (s, exact) = r.to_decimal(12);
    exact.then_some(s)
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
