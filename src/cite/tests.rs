//! Unit tests of the bibliography as a whole: validation, AMA golden output, exports.

use std::path::Path;

use super::*;

const REAL: &str = include_str!("../../tests/fixtures/cite-real/references.bib");

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
fn missing_identifiers_name_the_entry_and_line() {
    let text = format!(
        "{GOOD}\n@article{{nodoi2021,\n  author = {{Roe, R.}},\n  title = {{T}},\n  \
         journal = {{J}},\n  year = {{2021}}\n}}\n"
    );
    let errs = errors(&text);
    assert_eq!(
        errs,
        [
            "content/references.bib:9:1: error: reference `nodoi2021` (line 9) has neither a \
             DOI nor a PMID (hint: add `doi = {10.…}` or `pmid = {…}` so readers can find the \
             source; a source that has neither (a regulator's web page) needs \
             `url = {https://…}` and `date = {YYYY-MM-DD}`)"
        ]
    );
}

#[test]
fn identifiers_in_every_accepted_form() {
    let text = "@article{a, title = {A}, year = {2020}, doi = {https://doi.org/10.1000/xyz}}\n\
                @article{b, title = {B}, year = {2020}, pmid = { 12345678 }}\n\
                @article{c, title = {C}, year = {2020}, eprint = {23456789}, eprinttype = {pubmed}}\n\
                @article{d, title = {D}, year = {2020}, doi = {doi:10.1000/D.E}}\n";
    let (bib, diags) = parse(text);
    assert!(diags.is_empty(), "{diags:#?}");
    let get = |k: &str| {
        let e = bib.get(k).unwrap();
        (e.doi.as_deref(), e.pmid.as_deref())
    };
    assert_eq!(get("a"), (Some("10.1000/xyz"), None));
    assert_eq!(get("b"), (None, Some("12345678")));
    assert_eq!(get("c"), (None, Some("23456789")));
    assert_eq!(get("d"), (Some("10.1000/D.E"), None));
    assert!(!bib.get("a").unwrap().html.contains("https://doi.org/https"));
}

#[test]
fn malformed_identifiers_are_errors_at_the_field() {
    let text = "@article{a,\n  title = {A},\n  year = {2020},\n  doi = {10.12/short}\n}\n\
                @article{b,\n  title = {B},\n  year = {2020},\n  pmid = {PMC123}\n}\n\
                @article{c,\n  title = {C},\n  year = {2020},\n  doi = {10.1000/ok},\n  \
                eprint = {12a}, eprinttype = {pubmed}\n}\n";
    let errs = errors(text);
    assert_eq!(errs.len(), 3, "{errs:#?}");
    assert!(
        errs[0].starts_with(
            "content/references.bib:4:9: error: reference `a`: malformed DOI `10.12/short`"
        ),
        "{}",
        errs[0]
    );
    assert!(
        errs[1].starts_with(
            "content/references.bib:9:10: error: reference `b`: malformed PMID `PMC123`"
        ),
        "{}",
        errs[1]
    );
    assert!(
        errs[2].starts_with(
            "content/references.bib:15:12: error: reference `c`: malformed PMID `12a`"
        ),
        "{}",
        errs[2]
    );
    // An entry whose only identifier is malformed gets no second "neither" error.
    assert!(errs.iter().all(|e| !e.contains("neither")));
}

#[test]
fn identifier_validation() {
    use bib::{is_valid_doi, is_valid_pmid, normalize_doi};
    for ok in [
        "10.1000/x",
        "10.123456789/a.b(c)",
        "10.1002/(SICI)1097-0258",
    ] {
        assert!(is_valid_doi(ok), "{ok}");
    }
    for bad in [
        "",
        "10.1000/",
        "10.100/x",
        "10.1234567890/x",
        "11.1000/x",
        "10.1000/a b",
        "10.10a0/x",
        "10.1000",
    ] {
        assert!(!is_valid_doi(bad), "{bad}");
    }
    assert_eq!(normalize_doi(" HTTPS://DOI.ORG/10.1000/x "), "10.1000/x");
    assert_eq!(normalize_doi("https://dx.doi.org/10.1000/x"), "10.1000/x");
    assert_eq!(normalize_doi("é"), "é");
    assert!(is_valid_pmid("27298397"));
    for bad in ["", "0", "12 3", "PMID:1", "1234567890", "١٢٣"] {
        assert!(!is_valid_pmid(bad), "{bad}");
    }
}

#[test]
fn duplicate_keys_are_errors() {
    let text = format!("{GOOD}\n{GOOD}");
    let (bib, diags) = parse(&text);
    let errs: Vec<String> = diags.iter().map(ToString::to_string).collect();
    assert_eq!(
        errs,
        [
            "content/references.bib:9:1: error: duplicate citation key `good2020` (hint: give \
          each reference a unique key, or delete the copy)"
        ]
    );
    // The first definition is a secondary label, at its key.
    let first = &diags[0].labels[0];
    assert_eq!((first.span.line, first.span.column), (1, 10));
    assert_eq!(first.message, "first defined here");
    assert_eq!(bib.entries().count(), 1);
}

#[test]
fn duplicate_fields_and_crossrefs_are_errors() {
    let text = "@article{a,\n  title = {A},\n  title = {B},\n  year = {2020},\n  \
                doi = {10.1000/x},\n  crossref = {a}\n}\n";
    let errs = errors(text);
    assert_eq!(errs.len(), 2, "{errs:#?}");
    assert!(
        errs[0].contains(":3:3: error: reference `a`: field `title` is given twice (hint"),
        "{}",
        errs[0]
    );
    assert!(
        errs[1].contains(":6:3: error: reference `a`: `crossref` is not supported"),
        "{}",
        errs[1]
    );
}

#[test]
fn syntax_errors_have_line_column_and_hint() {
    let text = format!("{GOOD}\n@article{{bad,\n  title = {{A}}\n  year = {{2020}}\n}}\n");
    let (bib, diags) = parse(&text);
    assert_eq!(diags.len(), 1, "{diags:#?}");
    let d = &diags[0];
    assert!(d.is_error());
    assert_eq!((d.line(), d.column()), (11, 3), "{d}");
    assert_eq!(d.message, "BibTeX syntax error: expected comma");
    assert!(d.hint.as_deref().unwrap_or("").contains("commas"), "{d}");
    assert_eq!(bib.entries().count(), 0);

    let diags = parse("@article{a,\n  title = {A\n").1;
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert!(
        diags[0].message.contains("ends inside an entry"),
        "{}",
        diags[0]
    );
    assert!(diags[0].line() > 0);
}

#[test]
fn uncitable_keys_are_errors() {
    let errs = errors("@article{a/b, title = {A}, year = {2020}, doi = {10.1000/x}}\n");
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert!(
        errs[0].contains("citation key `a/b` cannot be cited"),
        "{}",
        errs[0]
    );
}

#[test]
fn no_panics_on_hostile_input() {
    let mut inputs: Vec<String> = [
        "",
        "@",
        "@{",
        "@article",
        "@article{",
        "@article{,}",
        "@article{k",
        "@article{k,",
        "@article{k, title = }",
        "@article{k, title = {",
        "@article{k, title = \"a}",
        "@article{k, author = {and and and}, doi = {10.1000/x}}",
        "@article{k, author = {{}}, title = {{{{}}}}, doi = {10.1000/x}}",
        "@article{k, year = {99999999999999999999}, doi = {10.1000/x}}",
        "@article{k, date = {2020-13-45/2021-99}, doi = {10.1000/x}}",
        "@article{k, pages = {--}, doi = {10.1000/x}}",
        "@article{k, title = {\\}, doi = {10.1000/x}}",
        "@article{k, title = {$$$}, doi = {10.1000/x}}",
        "@article{k, crossref = {k}, doi = {10.1000/x}}",
        "@article{k, xdata = {k}, doi = {10.1000/x}}",
        "@string{a = b # a}@article{k, title = a, doi = {10.1000/x}}",
        "@comment{",
        "@preamble{\"x\"}",
        "%@article{k,}",
        "\u{feff}@article{k, doi = {10.1000/x}}",
        "@book{k, editor = {A and B}, volume = {x}, maintitle = {M}, doi = {10.1000/x}}",
        "@inbook{k, volume = {2}, maintitle = {M}, doi = {10.1000/x}}",
        "@mvbook{k, volume = {2}, maintitle = {M}, doi = {10.1000/x}}",
        "@inproceedings{k, volume = {2}, maintitle = {M}, doi = {10.1000/x}}",
        "@weird{k, doi = {10.1000/x}}",
    ]
    .iter()
    .map(ToString::to_string)
    .collect();
    // Every prefix of a real entry, cut at character boundaries.
    let entry = &REAL[REAL.find("@article{debaugnies2016").unwrap_or(0)..];
    let entry = &entry[..entry.find("\n}\n").map_or(entry.len(), |i| i + 3)];
    inputs.extend(entry.char_indices().map(|(i, _)| entry[..i].to_string()));
    for input in inputs {
        let (bib, diags) = parse(&input);
        for e in bib.entries() {
            let _ = (bib.bibtex(&e.key), bib.ris(&e.key));
        }
        for d in diags {
            assert!(
                d.line() > 0 || d.message.contains("parser failed"),
                "{input:?}: {d}"
            );
        }
    }
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

#[test]
fn bibtex_export_reparses_to_the_same_fields() {
    let (bib, _) = parse(REAL);
    for e in bib.entries() {
        let exported = bib.bibtex(&e.key).unwrap();
        let (again, diags) = parse(&exported);
        assert!(diags.is_empty(), "{exported}\n{diags:#?}");
        let f = again.get(&e.key).unwrap();
        assert_eq!(f.record, e.record, "{exported}");
        assert_eq!((&f.doi, &f.pmid, &f.html), (&e.doi, &e.pmid, &e.html));
        assert_eq!(
            again.bibtex(&e.key).as_ref(),
            Some(&exported),
            "export is a fixed point"
        );
    }
    assert_eq!(
        bib.bibtex("debaugnies2016").unwrap(),
        "@article{debaugnies2016,\n  author = {Debaugnies, F. and Mahadeb, B. and Ferster, A. \
         and Meuleman, N. and Rozen, L. and Demulder, A. and Corazza, F.},\n  \
         title = {Performances of the {H}-score for diagnosis of hemophagocytic \
         lymphohistiocytosis in adult and pediatric patients},\n  \
         journal = {American Journal of Clinical Pathology},\n  year = {2016},\n  \
         volume = {145},\n  number = {6},\n  pages = {862--870},\n  \
         doi = {10.1093/ajcp/aqw076},\n  pmid = {27298397}\n}\n"
    );
}

#[test]
fn bibtex_export_normalizes_and_cleans() {
    let text = "@Article{z,\n  Author = {M{\\\"u}ller, Anna and others},\n  \
                title = {{HLH} \\& {IL-6}: 100\\% $\\alpha$},\n  journaltitle = {J \\& K},\n  \
                date = {2021-03},\n  doi = {https://doi.org/10.1000/Z},\n  \
                eprint = {123}, eprinttype = {pubmed},\n  file = {/home/me/z.pdf},\n  \
                abstract = {Long.},\n  language = {english}\n}\n";
    let (bib, diags) = parse(text);
    assert!(diags.is_empty(), "{diags:#?}");
    let exported = bib.bibtex("z").unwrap();
    assert_eq!(
        exported,
        "@article{z,\n  author = {M{ü}ller, Anna and others},\n  \
         title = {{HLH} \\& {IL-6}: 100\\% $\\alpha$},\n  journal = {J \\& K},\n  \
         date = {2021-03},\n  doi = {10.1000/Z},\n  pmid = {123},\n  language = {english}\n}\n"
    );
    let (again, diags) = parse(&exported);
    assert!(diags.is_empty(), "{diags:#?}");
    assert_eq!(again.get("z").unwrap().record, bib.get("z").unwrap().record);
}

#[test]
fn ris_export_has_required_tags() {
    let (bib, _) = parse(REAL);
    assert_eq!(
        bib.ris("debaugnies2016").unwrap(),
        "TY  - JOUR\nID  - debaugnies2016\nAU  - Debaugnies, F.\nAU  - Mahadeb, B.\n\
         AU  - Ferster, A.\nAU  - Meuleman, N.\nAU  - Rozen, L.\nAU  - Demulder, A.\n\
         AU  - Corazza, F.\nTI  - Performances of the H-score for diagnosis of \
         hemophagocytic lymphohistiocytosis in adult and pediatric patients\n\
         T2  - American Journal of Clinical Pathology\nPY  - 2016\nVL  - 145\nIS  - 6\n\
         SP  - 862\nEP  - 870\nDO  - 10.1093/ajcp/aqw076\nAN  - 27298397\n\
         UR  - https://doi.org/10.1093/ajcp/aqw076\nER  - \n"
    );
    for e in bib.entries() {
        let ris = bib.ris(&e.key).unwrap();
        assert!(ris.starts_with("TY  - JOUR\n"), "{ris}");
        assert_eq!(ris.matches("ER  - ").count(), 1, "{ris}");
        assert!(ris.ends_with("ER  - \n"), "{ris}");
        for tag in ["AU", "TI", "T2", "PY", "UR"] {
            assert!(ris.contains(&format!("\n{tag}  - ")), "{tag} in {ris}");
        }
        assert!(!ris.contains("others"), "{ris}");
        for line in ris.lines() {
            let b = line.as_bytes();
            assert!(
                b.len() >= 6 && b[..2].iter().all(u8::is_ascii_alphanumeric) && &b[2..6] == b"  - ",
                "{line:?}"
            );
        }
    }
}

#[test]
fn ris_without_doi_links_pubmed() {
    let (bib, _) = parse(
        "@article{p, author = {A, B}, title = {T}, journal = {J}, year = {2020}, pages = {5}, pmid = {42}}\n",
    );
    assert_eq!(
        bib.ris("p").unwrap(),
        "TY  - JOUR\nID  - p\nAU  - A, B\nTI  - T\nT2  - J\nPY  - 2020\nSP  - 5\nAN  - 42\n\
         UR  - https://pubmed.ncbi.nlm.nih.gov/42/\nER  - \n"
    );
    assert_eq!(bib.ris("missing"), None);
    assert_eq!(bib.bibtex("missing"), None);
}

#[test]
fn dates_that_are_not_iso_dates_are_errors_at_the_value() {
    for (field, value) in [
        ("date", "12345"),
        ("date", "20266666666"),
        ("urldate", "2021-13-01"),
        ("date", "2021-02-32"),
        ("date", "2020/20266666666"),
        ("date", "2020-01-123456789012"),
        ("date", "March 2021"),
    ] {
        let text = GOOD.replace("year = {2020}", &format!("{field} = {{{value}}}"));
        let errors = errors(&text);
        assert_eq!(
            errors,
            [format!(
                "content/references.bib:5:{}: error: reference `good2020`: `{field} = {{{value}}}` is not a date (hint: write dates as `2021`, `2021-03` or `2021-03-07`, and a range as `2021-03/2021-05`)",
                field.len() + 6
            )],
            "{field} = {value}"
        );
    }
    for good in ["2021", "2021-03", "2021-03-07", "2021-03/2021-05", " 2021 "] {
        let text = GOOD.replace("year = {2020}", &format!("date = {{{good}}}"));
        let (bib, diags) = parse(&text);
        assert!(diags.is_empty(), "{good}: {diags:?}");
        assert!(bib.get("good2020").is_some(), "{good}");
    }
}

const FDA: &str = "@online{fda2018,\n  author  = {{U.S. Food and Drug Administration}},\n  \
                   title   = {FDA warns of serious immune system reaction with lamotrigine},\n  \
                   note    = {Drug Safety Communication},\n  date    = {2018-04-25},\n  \
                   url     = {https://www.fda.gov/drugs/drug-safety?x=1&y=2},\n  \
                   urldate = {2026-12-05}\n}\n";

#[test]
fn an_entry_without_identifiers_is_cited_by_url_and_date() {
    let (bib, diags) = parse(FDA);
    assert!(diags.is_empty(), "{diags:#?}");
    let e = bib.get("fda2018").unwrap();
    assert_eq!((e.doi.as_deref(), e.pmid.as_deref()), (None, None));
    assert_eq!(
        e.html,
        "U.S. Food and Drug Administration. FDA warns of serious immune system reaction with \
         lamotrigine. April 25, 2018. Accessed December 5, 2026. \
         <a href=\"https://www.fda.gov/drugs/drug-safety?x=1&amp;y=2\">\
         https://www.fda.gov/drugs/drug-safety?x=1&amp;y=2</a>"
    );
    let bibtex = bib.bibtex("fda2018").unwrap();
    for field in [
        "  date = {2018-04-25},\n",
        "  url = {https://www.fda.gov/drugs/drug-safety?x=1&y=2},\n",
        "  urldate = {2026-12-05},\n",
    ] {
        assert!(bibtex.contains(field), "{field} in {bibtex}");
    }
    let ris = bib.ris("fda2018").unwrap();
    for tag in [
        "TY  - ELEC\n",
        "DA  - 2018/04/25\n",
        "UR  - https://www.fda.gov/drugs/drug-safety?x=1&y=2\n",
        "Y2  - 2026/12/05\n",
    ] {
        assert!(ris.contains(tag), "{tag} in {ris}");
    }
    // Without an access date, there is no "Accessed".
    let (bib, diags) = parse(&FDA.replace("  urldate = {2026-12-05}\n", ""));
    assert!(diags.is_empty(), "{diags:#?}");
    let e = bib.get("fda2018").unwrap();
    assert!(e.html.contains("April 25, 2018. <a href="), "{}", e.html);
    assert!(!bib.ris("fda2018").unwrap().contains("Y2"));
}

#[test]
fn a_url_without_a_date_or_a_bad_url_or_date_is_an_error_at_its_line() {
    // An undated page is dated by the day it was read.
    let undated = FDA.replace("  date    = {2018-04-25},\n", "");
    assert_eq!(errors(&undated), Vec::<String>::new());
    let no_date = undated.replace("  urldate = {2026-12-05}\n", "");
    assert_eq!(
        errors(&no_date),
        [
            "content/references.bib:5:13: error: reference `fda2018` has a `url` but no `date` or \
             `urldate`, and neither a DOI nor a PMID (hint: a source without a DOI or PMID is cited \
             by its address and a date: add `date = {YYYY-MM-DD}` (when it was published) or, for \
             an undated page, `urldate = {YYYY-MM-DD}` (the day you read it))"
        ]
    );
    let bad = FDA
        .replace("https://www.fda.gov", "www.fda.gov")
        .replace("2026-12-05", "05/12/2026");
    let errs = errors(&bad);
    assert_eq!(errs.len(), 2, "{errs:#?}");
    assert!(
        errs[0].starts_with(
            "content/references.bib:7:13: error: reference `fda2018`: `urldate = {05/12/2026}` is not a date"
        ),
        "{}",
        errs[0]
    );
    assert!(
        errs[1].starts_with(
            "content/references.bib:6:13: error: reference `fda2018`: `url = {www.fda.gov/drugs/drug-safety?x=1&y=2}` is not a web address"
        ),
        "{}",
        errs[1]
    );
    for url in [
        "ftp://x.org/a",
        "https://",
        "https:///a",
        "https://x.org/a b",
    ] {
        let errs = errors(&FDA.replace("https://www.fda.gov/drugs/drug-safety?x=1&y=2", url));
        assert_eq!(errs.len(), 1, "{url}: {errs:#?}");
        assert!(
            errs[0].contains("is not a web address"),
            "{url}: {}",
            errs[0]
        );
    }
    // A DOI-identified article may carry a URL too; it is checked all the same.
    let errs = errors(&GOOD.replace("doi = ", "url = {javascript:alert(1)},\n  doi = "));
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert!(errs[0].contains("is not a web address"), "{}", errs[0]);
}

#[test]
fn annotations_are_kept_as_text_and_exported() {
    let text = "@article{a,\n  author = {Doe, Jane},\n  title = {A},\n  journal = {J},\n  \
                year = {2020},\n  doi = {10.1000/a},\n  annote = {Cohort of 2623 ICU \
                patients: sensitivity 95.0\\%, HLH-94--2004 <i>criteria</i>.}\n}\n\
                @online{b,\n  title = {B},\n  date = {2020},\n  url = {https://b.org/},\n  \
                annotation = {Regulator's  notice.}\n}\n";
    let (bib, diags) = parse(text);
    assert!(diags.is_empty(), "{diags:#?}");
    let a = bib.get("a").unwrap();
    assert_eq!(
        a.annotation.as_deref(),
        Some("Cohort of 2623 ICU patients: sensitivity 95.0%, HLH-94–2004 <i>criteria</i>.")
    );
    assert!(
        !a.html.contains("Cohort"),
        "not part of the formatted reference"
    );
    let bibtex = bib.bibtex("a").unwrap();
    assert!(
        bibtex.ends_with(
            "  annote = {Cohort of 2623 ICU patients: sensitivity 95.0\\%, HLH-94--2004 <i>criteria</i>.}\n}\n"
        ),
        "{bibtex}"
    );
    assert!(
        bib.ris("a").unwrap().contains(
            "N1  - Cohort of 2623 ICU patients: sensitivity 95.0%, HLH-94–2004 <i>criteria</i>.\n"
        ),
        "{}",
        bib.ris("a").unwrap()
    );
    // biblatex's `annotation` is exported under BibTeX's name.
    assert_eq!(
        bib.get("b").unwrap().annotation.as_deref(),
        Some("Regulator's notice.")
    );
    let bibtex = bib.bibtex("b").unwrap();
    assert!(
        bibtex.contains("  annote = {Regulator's notice.}\n"),
        "{bibtex}"
    );
    let (again, diags) = parse(&bib.bibtex("a").unwrap());
    assert!(diags.is_empty(), "{diags:#?}");
    assert_eq!(again.get("a").unwrap().annotation, a.annotation);
}

#[test]
fn aliases_in_ids_cite_their_entry() {
    let text = GOOD.replace(
        "  doi = {10.1000/abc}\n",
        "  doi = {10.1000/abc},\n  ids = {good2019, doe-2019 ,good2019}\n",
    );
    let (bib, diags) = parse(&text);
    assert!(diags.is_empty(), "{diags:#?}");
    let e = bib.get("good2020").unwrap();
    assert_eq!(e.aliases, ["good2019", "doe-2019"]);
    assert_eq!(
        bib.get("doe-2019").map(|e| e.key.as_str()),
        Some("good2020")
    );
    assert_eq!(bib.entries().count(), 1);
    assert!(
        bib.bibtex("good2020")
            .unwrap()
            .contains("  ids = {good2019, doe-2019 ,good2019}\n")
    );
}

#[test]
fn an_alias_that_is_another_key_or_alias_is_an_error_at_its_line() {
    let text = "@article{a2020,\n  title = {A},\n  year = {2020},\n  doi = {10.1000/a},\n  \
                ids = {old}\n}\n\
                @article{b2020,\n  title = {B},\n  year = {2020},\n  doi = {10.1000/b},\n  \
                ids = {a2020, old, b2020, ok, bad key}\n}\n";
    let (bib, diags) = parse(text);
    let found: Vec<(usize, usize, &str)> = diags
        .iter()
        .map(|d| (d.line(), d.column(), d.message.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (
                11,
                9,
                "reference `b2020`: alias `bad key` in `ids` cannot be cited"
            ),
            (
                11,
                9,
                "reference `b2020`: alias `a2020` in `ids` is already the key of reference `a2020`"
            ),
            (
                11,
                9,
                "reference `b2020`: alias `old` in `ids` is already an alias of reference `a2020`"
            ),
            (
                11,
                9,
                "reference `b2020`: alias `b2020` in `ids` is already the key of reference `b2020`"
            ),
        ]
    );
    // The ambiguous aliases are dropped; the others still work.
    assert_eq!(bib.get("b2020").unwrap().aliases, ["ok"]);
    assert_eq!(bib.get("old").map(|e| e.key.as_str()), Some("a2020"));
    assert_eq!(bib.get("ok").map(|e| e.key.as_str()), Some("b2020"));
}
