//! Calculator spec validation: every class of mistake is an error at its line, all at once, and garbage never panics.

use super::*;

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
