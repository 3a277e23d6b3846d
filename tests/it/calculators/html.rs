//! The embedded calculator widget: accessible form, scoring table and spec, and where it appears.

use super::*;

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
