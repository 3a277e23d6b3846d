//! Unit tests of the bibliography as a whole: parsing and AMA golden output here;
//! validation (`validation.rs`), URLs, dates, annotations and aliases (`fields.rs`), and the
//! exports (`exports.rs`) in their own files.

use std::path::Path;

use super::*;

const REAL: &str = include_str!("../../../tests/fixtures/cite-real/references.bib");

fn parse(text: &str) -> (Bibliography, Vec<Diagnostic>) {
    Bibliography::parse(Path::new("content/references.bib"), text)
}

fn errors(text: &str) -> Vec<String> {
    parse(text)
        .1
        .iter()
        .inspect(|d| assert!(d.is_error(), "{d}"))
        .map(ToString::to_string)
        .collect()
}

const GOOD: &str = "@article{good2020,\n  author = {Doe, Jane},\n  title = {A title},\n  \
                    journal = {J},\n  year = {2020},\n  doi = {10.1000/abc}\n}\n";

mod exports;
mod fields;
mod validation;

#[test]
fn real_bibliography_parses_cleanly() {
    let (bib, diags) = parse(REAL);
    assert!(diags.is_empty(), "{diags:#?}");
    assert_eq!(bib.entries().count(), REAL.matches("\n@article{").count());
    for e in bib.entries() {
        let line = REAL.lines().nth(e.span.line - 1).unwrap_or_default();
        assert_eq!(line, format!("@article{{{},", e.key), "line of {}", e.key);
        assert!(e.doi.is_some() || e.pmid.is_some(), "{}", e.key);
    }
    let d = bib.get("debaugnies2016").unwrap();
    assert_eq!(d.doi.as_deref(), Some("10.1093/ajcp/aqw076"));
    assert_eq!(d.pmid.as_deref(), Some("27298397"));
    assert_eq!(
        d.doi_url().as_deref(),
        Some("https://doi.org/10.1093/ajcp/aqw076")
    );
    assert_eq!(
        d.pubmed_url().as_deref(),
        Some("https://pubmed.ncbi.nlm.nih.gov/27298397/")
    );
}

#[test]
fn golden_ama() {
    let (bib, _) = parse(REAL);
    let html = |k: &str| bib.get(k).unwrap().html.clone();
    assert_eq!(
        html("fardet2014"),
        "Fardet L, Galicier L, Lambotte O, et al. Development and validation of the HScore, \
         a score for the diagnosis of reactive hemophagocytic syndrome. <i>Arthritis &amp; \
         Rheumatology</i>. 2014;66(9):2613-2620. \
         doi:<a href=\"https://doi.org/10.1002/art.38690\">10.1002/art.38690</a>"
    );
    assert_eq!(
        html("batu2017"),
        "Batu ED, Erden A, Seyhoğlu E, et al. Assessment of the HScore for reactive \
         haemophagocytic syndrome in patients with rheumatic diseases. <i>Scandinavian \
         Journal of Rheumatology</i>. 2017;46(1):44-48. \
         doi:<a href=\"https://doi.org/10.3109/03009742.2016.1167951\">\
         10.3109/03009742.2016.1167951</a>",
        "`and others` becomes et al."
    );
    assert_eq!(
        html("noseda2019"),
        "Noseda R, Bertoli R, Müller L, Ceschi A. Haemophagocytic lymphohistiocytosis in \
         patients treated with immune checkpoint inhibitors: analysis of WHO global database \
         of individual case safety reports. <i>Journal for ImmunoTherapy of Cancer</i>. \
         2019;7(1):117. \
         doi:<a href=\"https://doi.org/10.1186/s40425-019-0598-9\">10.1186/s40425-019-0598-9</a>"
    );
    assert_eq!(
        html("kim2019"),
        "Kim T, Kulick CG, Kortepeter CM, Brinker A, Waldron P. Hemophagocytic \
         lymphohistiocytosis associated with the use of lamotrigine. <i>Neurology</i>. \
         Published online 2019. \
         doi:<a href=\"https://doi.org/10.1212/WNL.0000000000007517\">\
         10.1212/WNL.0000000000007517</a>"
    );
}

#[test]
fn formatting_is_deterministic() {
    let (a, _) = parse(REAL);
    let (b, _) = parse(REAL);
    for (x, y) in a.entries().zip(b.entries()) {
        assert_eq!(x.html, y.html);
        assert_eq!(a.bibtex(&x.key), b.bibtex(&y.key));
        assert_eq!(a.ris(&x.key), b.ris(&y.key));
    }
}

#[test]
fn html_is_escaped_and_markup_is_semantic() {
    let text = "@article{x,\n  author = {O'Brien, A. and <Script>, B.},\n  \
                title = {Cells \\& <b>bold</b> \"quoted\"},\n  journal = {A & B},\n  \
                year = {2020},\n  doi = {10.1000/a<b>&c}\n}\n";
    let (bib, diags) = parse(text);
    assert!(diags.is_empty(), "{diags:#?}");
    let html = &bib.get("x").unwrap().html;
    assert!(
        !html.contains("<b>") && !html.contains("<Script>"),
        "{html}"
    );
    assert!(!html.contains("style="), "{html}");
    assert!(html.contains("&lt;b&gt;bold&lt;/b&gt;"), "{html}");
    assert!(html.contains("<i>A &amp; B</i>"), "{html}");
    assert!(
        html.contains(
            "<a href=\"https://doi.org/10.1000/a%3Cb%3E%26c\">10.1000/a&lt;b&gt;&amp;c</a>"
        ),
        "{html}"
    );
}

#[test]
fn closest_key_suggests_near_misses_only() {
    let (bib, _) = parse(REAL);
    assert_eq!(bib.closest_key("fardet2104"), Some("fardet2014"));
    assert_eq!(bib.closest_key("Fardet2014"), Some("fardet2014"));
    assert_eq!(bib.closest_key("henter2004"), Some("henter2007"));
    assert_eq!(bib.closest_key("zoreflorenz2022"), Some("zoreflorenz2022a"));
    assert_eq!(bib.closest_key("smith1999"), None);
    assert_eq!(bib.closest_key(""), None);
    assert_eq!(Bibliography::default().closest_key("x"), None);
}
