//! A calculator's texts in another language (`<id>.<tag>.toml`): every text replaced, nothing
//! computed changed, and every gap or stray id reported at its line.

use std::path::Path;

use hpskb::calc::translate::translate;
use hpskb::calc::{Calculator, Spec, Words, html};
use scraper::{Html, Selector};
use serde_json::Value;

use super::{IDS, load, rust_eval, vectors};

fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

/// A complete translation of `spec`: each text prefixed with `译:`.
fn full_translation(spec: &Spec) -> String {
    translation_with(spec, |s| format!("译:{s}"))
}

/// A complete translation of `spec` with `t` of each text.
fn translation_with(spec: &Spec, t: impl Fn(&str) -> String) -> String {
    let t = |s: &str| quoted(&t(s));
    let list = |v: &[String]| v.iter().map(|s| t(s)).collect::<Vec<_>>().join(", ");
    let mut out = format!(
        "title = {}\nsource = {}\npopulation = {}\nlimits = [{}]\ninterpretation = [{}]\n",
        t(&spec.title),
        t(&spec.source),
        t(&spec.population),
        list(&spec.limits),
        list(&spec.interpretation)
    );
    for i in &spec.inputs {
        out += &format!("[inputs.{}]\nlabel = {}\n", quoted(&i.id), t(&i.label));
        if let Some(h) = &i.help {
            out += &format!("help = {}\n", t(h));
        }
        if !i.choices.is_empty() {
            let choices: Vec<String> = i
                .choices
                .iter()
                .map(|c| format!("{} = {}", quoted(&c.value), t(&c.label)))
                .collect();
            out += &format!("choices = {{ {} }}\n", choices.join(", "));
        }
    }
    for i in &spec.items {
        out += &format!("[items.{}]\nlabel = {}\n", quoted(&i.id), t(&i.label));
    }
    for c in &spec.criteria {
        out += &format!("[criteria.{}]\nlabel = {}\n", quoted(&c.id), t(&c.label));
    }
    out
}

fn translated(c: &Calculator) -> Spec {
    let file = Path::new("content/calculators/x.zh-Hans.toml");
    translate(&c.spec, file, &full_translation(&c.spec)).unwrap_or_else(|d| {
        panic!(
            "{}: {}",
            c.id,
            d.iter().map(|d| d.to_string()).collect::<String>()
        )
    })
}

#[test]
fn a_translation_changes_every_text_and_nothing_computed() {
    for id in IDS {
        let c = load(id);
        let zh = translated(&c);
        let (a, b): (Value, Value) = (
            serde_json::to_value(&c.spec).unwrap(),
            serde_json::to_value(&zh).unwrap(),
        );
        // Same shape: every difference is a text the translation prefixed.
        fn same_but_texts(a: &Value, b: &Value, path: &str, changed: &mut usize) {
            match (a, b) {
                (Value::Object(x), Value::Object(y)) => {
                    assert_eq!(x.keys().collect::<Vec<_>>(), y.keys().collect::<Vec<_>>());
                    for k in x.keys() {
                        same_but_texts(&x[k], &y[k], &format!("{path}.{k}"), changed);
                    }
                }
                (Value::Array(x), Value::Array(y)) => {
                    assert_eq!(x.len(), y.len(), "{path}");
                    for (i, (p, q)) in x.iter().zip(y).enumerate() {
                        same_but_texts(p, q, &format!("{path}[{i}]"), changed);
                    }
                }
                (Value::String(x), Value::String(y)) if x != y => {
                    assert_eq!(*y, format!("译:{x}"), "{path}");
                    *changed += 1;
                }
                _ => assert_eq!(a, b, "{path}"),
            }
        }
        let mut changed = 0;
        same_but_texts(&a, &b, id, &mut changed);
        let labels = c.spec.inputs.len() + c.spec.items.len() + c.spec.criteria.len();
        assert!(changed > labels + 2, "{id}: only {changed} texts changed");

        // The same results on every shared vector of this calculator.
        let mut zh_calc = c.clone();
        zh_calc.spec = zh;
        for case in vectors().iter().filter(|v| v["calculator"] == id) {
            assert_eq!(
                rust_eval(&c, &case["input"]),
                rust_eval(&zh_calc, &case["input"]),
                "{}",
                case["name"]
            );
        }
    }
}

/// The problems of a translation of the HScore that is `edit`ed, as `line: message`.
fn problems(edit: impl Fn(String) -> String) -> Vec<String> {
    let c = load("hscore");
    let text = edit(full_translation(&c.spec));
    let file = Path::new("content/calculators/hscore.zh-Hans.toml");
    match translate(&c.spec, file, &text) {
        Ok(_) => Vec::new(),
        Err(d) => d
            .iter()
            .map(|d| {
                let line = d.span.as_ref().map_or(0, |s| s.line);
                format!("{line}: {}", d.message)
            })
            .collect(),
    }
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

#[test]
fn every_gap_and_stray_id_is_reported_at_its_line() {
    let c = load("hscore");
    let full = full_translation(&c.spec);
    assert_eq!(problems(|t| t), Vec::<String>::new());

    // An input left out, an item the spec does not have, a help the spec lacks.
    let edited = full.replace("[inputs.\"ast\"]", "[inputs.\"asst\"]")
        + "[items.\"ldh\"]\nlabel = \"LDH\"\n";
    let got = problems(|_| edited.clone());
    assert!(
        got.iter().any(|p| p.ends_with("`inputs` lacks `ast`")),
        "{got:?}"
    );
    assert!(
        got.contains(&format!(
            "{}: `inputs.asst` is not in the spec",
            line_of(&edited, "[inputs.\"asst\"]")
        )),
        "{got:?}"
    );
    assert!(
        got.contains(&format!(
            "{}: `items.ldh` is not in the spec",
            line_of(&edited, "[items.\"ldh\"]")
        )),
        "{got:?}"
    );

    let got = problems(|t| {
        t.replace(
            "[inputs.\"temperature\"]\n",
            "[inputs.\"temperature\"]\nhelp = \"多余\"\n",
        )
    });
    assert!(
        got.iter()
            .any(|p| p.contains("`inputs.temperature` has a `help`")),
        "{got:?}"
    );
    let got = problems(|t| {
        t.replacen(
            "[inputs.\"organomegaly\"]",
            "[inputs.\"organomegaly\"]\nchoices = { none = \"无\" }\n[x]",
            1,
        )
    });
    assert!(!got.is_empty(), "{got:?}");

    // A list with an entry missing, and a key the format does not have.
    let got = problems(|t| t.replacen("limits = [", "limits = [\"多一条\", ", 1));
    let n = c.spec.limits.len();
    assert_eq!(
        got,
        [format!(
            "{}: `limits` has {} entries; the spec has {n}",
            line_of(&full, "limits = "),
            n + 1
        )]
    );
    let got = problems(|t| format!("unit = \"mmol/L\"\n{t}"));
    assert!(
        got.len() == 1 && got[0].starts_with("1: invalid calculator translation"),
        "{got:?}"
    );
}

#[test]
fn the_widget_speaks_the_pages_language() {
    let c = load("hlh-2004");
    let file = Path::new("content/calculators/hlh-2004.zh-Hans.toml");
    let zh = translate(&c.spec, file, &translation_with(&c.spec, |_| "译".into())).unwrap();
    // The widget's own words: each plain one replaced by `中:<key>`.
    let english = hpskb::calc::words::english_strings().clone();
    let plain = |k: &str, v: &str| k.starts_with("calc_") && !v.contains('{');
    let mut strings = english.clone();
    for (k, v) in strings.iter_mut() {
        if plain(k, v) {
            *v = format!("中:{k}");
        }
    }
    let doc = Html::parse_fragment(&html::embed(&zh, &Words::new(&strings)));
    let text = |sel: &str| -> Vec<String> {
        doc.select(&Selector::parse(sel).unwrap())
            .map(|e| e.text().collect::<String>())
            .collect()
    };
    assert_eq!(text("button[type=submit]"), ["中:calc_show_result"]);
    assert!(
        text("legend").iter().all(|l| l == "译"),
        "{:?}",
        text("legend")
    );
    assert_eq!(
        text("h3"),
        ["中:calc_scoring_table", "中:calc_source_heading"]
    );
    // Not one of the widget's plain English strings is left (those long enough not to
    // occur inside other words).
    let all = doc.root_element().text().collect::<String>();
    for (key, v) in english.iter().filter(|(k, v)| plain(k, v) && v.len() > 5) {
        assert!(!all.contains(v.as_str()), "{key}: {v}");
    }
    let spec_json: Value = serde_json::from_str(&text("script.calculator-spec")[0]).unwrap();
    assert_eq!(spec_json["inputs"][0]["label"], "译");
}
