//! Citations end to end: a tiny site is written to a temporary directory, compiled through
//! the library, and the rendered HTML is inspected.

use std::collections::HashSet;
use std::fs;
use std::path::Path;

use hpskb::cite::{Bibliography, PageInfo, cite_page};
use hpskb::diag::Diagnostic;
use hpskb::{BuildOptions, Built, compile};
use scraper::{ElementRef, Html, Selector};

const BIB: &str = "\
@article{alpha2020,
  author  = {Alpha, Ann and Beta, Bob},
  title   = {First study},
  journal = {Journal of Tests},
  year    = {2020},
  volume  = {1},
  number  = {2},
  pages   = {10--20},
  doi     = {10.1000/alpha}
}

@article{beta2021,
  author  = {Gamma, Carl},
  title   = {Second study},
  journal = {Blood},
  year    = {2021},
  volume  = {3},
  pages   = {30--40},
  pmid    = {12345678}
}

@article{gamma2022,
  author  = {Delta, Dora and others},
  title   = {Third study},
  journal = {Blood},
  year    = {2022},
  doi     = {10.1000/gamma},
  eprint  = {23456789},
  eprinttype = {pubmed}
}
";

/// Writes a site (config, home page, bibliography, extra files) into a temporary directory.
fn site(pages: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let write = |rel: &str, text: &str| {
        let path = dir.path().join(rel);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(path, text).expect("write");
    };
    write(
        "config.toml",
        "title = \"T\"\nbase_url = \"https://example.org/\"\n",
    );
    write("content/_index.md", "+++\ntitle = \"Home\"\n+++\n\nHome.\n");
    write("content/references.bib", BIB);
    // The base template always links /glossary/, which only exists with a glossary.
    write(
        "content/glossary.toml",
        "[[term]]\nabbr = \"HLH\"\nexpansion = \"hemophagocytic lymphohistiocytosis\"\n\
         definition = \"A syndrome.\"\n",
    );
    for (rel, text) in pages {
        write(rel, text);
    }
    dir
}

fn build(root: &Path) -> Result<(Built, Vec<Diagnostic>), Vec<Diagnostic>> {
    compile(&BuildOptions {
        root: root.to_path_buf(),
        ..Default::default()
    })
}

fn built(pages: &[(&str, &str)]) -> Built {
    let dir = site(pages);
    match build(dir.path()) {
        Ok((b, _)) => b,
        Err(diags) => panic!("build failed: {diags:#?}"),
    }
}

fn html(b: &Built, path: &str) -> Html {
    let file = b.file(path).unwrap_or_else(|| panic!("no {path}"));
    Html::parse_document(&String::from_utf8_lossy(&file.bytes))
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("selector")
}

fn text(e: ElementRef<'_>) -> String {
    e.text().collect()
}

/// Each citation marker on the page: (id, href, number text).
fn markers(doc: &Html) -> Vec<(String, String, String)> {
    doc.select(&sel("sup.cite a"))
        .map(|a| {
            let v = a.value();
            (
                v.attr("id").unwrap_or_default().to_string(),
                v.attr("href").unwrap_or_default().to_string(),
                text(a),
            )
        })
        .collect()
}

/// The page's reference list: (li id, value, backlink hrefs).
fn reference_list(doc: &Html) -> Vec<(String, String, Vec<String>)> {
    doc.select(&sel("section.references ol.reference-list > li"))
        .map(|li| {
            let v = li.value();
            let backlinks = li
                .select(&sel(".backlinks a"))
                .map(|a| a.value().attr("href").unwrap_or_default().to_string())
                .collect();
            (
                v.attr("id").unwrap_or_default().to_string(),
                v.attr("value").unwrap_or_default().to_string(),
                backlinks,
            )
        })
        .collect()
}

const PAGE: &str = "+++
title = \"Page\"
+++

## Intro

First [@beta2021], then [@alpha2020; @gamma2022], again [@beta2021, p. 33].

| Drug | Source |
| ---- | ------ |
| X    | Cell [@gamma2022] |

- item cites [@alpha2020, table 2]

A footnote.[^n]

[^n]: Footnote cites [@beta2021].
";

#[test]
fn numbering_follows_first_citation_and_reuses_numbers() {
    let b = built(&[("content/page.md", PAGE)]);
    let doc = html(&b, "page/index.html");
    let m = markers(&doc);
    let numbers: Vec<&str> = m.iter().map(|(_, _, n)| n.as_str()).collect();
    assert_eq!(numbers, ["1", "2", "3", "1", "3", "2", "1"], "{m:#?}");
    let hrefs: Vec<&str> = m.iter().map(|(_, h, _)| h.as_str()).collect();
    assert_eq!(
        hrefs,
        [
            "#ref-beta2021",
            "#ref-alpha2020",
            "#ref-gamma2022",
            "#ref-beta2021",
            "#ref-gamma2022",
            "#ref-alpha2020",
            "#ref-beta2021"
        ]
    );
}

#[test]
fn multi_citations_share_one_marker_group() {
    let b = built(&[("content/page.md", PAGE)]);
    let doc = html(&b, "page/index.html");
    let groups: Vec<usize> = doc
        .select(&sel("sup.cite"))
        .map(|s| s.select(&sel("a")).count())
        .collect();
    assert_eq!(groups, [1, 2, 1, 1, 1, 1], "{groups:?}");
}

#[test]
fn locators_are_shown_verbatim() {
    let b = built(&[("content/page.md", PAGE)]);
    let doc = html(&b, "page/index.html");
    let locators: Vec<String> = doc
        .select(&sel("sup.cite .cite-locator"))
        .map(text)
        .collect();
    assert_eq!(locators, ["(p. 33)", "(table 2)"]);
}

#[test]
fn citations_work_in_tables_lists_and_footnotes() {
    let b = built(&[("content/page.md", PAGE)]);
    let doc = html(&b, "page/index.html");
    assert_eq!(doc.select(&sel("td sup.cite a")).count(), 1, "table cell");
    assert_eq!(
        doc.select(&sel("ul > li sup.cite a")).count(),
        1,
        "list item"
    );
    let in_footnote = doc
        .select(&sel(
            ".footnote-definition sup.cite a, section.footnotes sup.cite a",
        ))
        .count();
    assert_eq!(in_footnote, 1, "footnote");
}

#[test]
fn citation_ids_are_unique_and_backlinked() {
    let b = built(&[("content/page.md", PAGE)]);
    let doc = html(&b, "page/index.html");
    let m = markers(&doc);
    let mut ids = HashSet::new();
    for e in doc.select(&sel("[id]")) {
        let id = e.value().attr("id").unwrap_or_default();
        assert!(ids.insert(id.to_string()), "duplicate id {id}");
    }
    let list = reference_list(&doc);
    let expected = [
        ("ref-beta2021", "1"),
        ("ref-alpha2020", "2"),
        ("ref-gamma2022", "3"),
    ];
    assert_eq!(
        list.iter()
            .map(|(id, v, _)| (id.as_str(), v.as_str()))
            .collect::<Vec<_>>(),
        expected
    );
    // Every marker is linked back from its entry, in document order.
    for (id, _, backlinks) in &list {
        let from: Vec<String> = m
            .iter()
            .filter(|(_, href, _)| href == &format!("#{id}"))
            .map(|(mid, _, _)| format!("#{mid}"))
            .collect();
        assert_eq!(backlinks, &from, "{id}");
        for b in backlinks {
            assert!(ids.contains(&b[1..]), "backlink target {b} exists");
        }
    }
    assert_eq!(list[0].2.len(), 3, "beta2021 is cited three times");
}

#[test]
fn page_reference_entries_are_formatted_and_linked() {
    let b = built(&[("content/page.md", PAGE)]);
    let doc = html(&b, "page/index.html");
    let alpha = doc
        .select(&sel("li#ref-alpha2020 .ref-text"))
        .next()
        .expect("alpha entry");
    assert_eq!(
        alpha.inner_html(),
        "Alpha A, Beta B. First study. <i>Journal of Tests</i>. 2020;1(2):10-20. \
         doi:<a href=\"https://doi.org/10.1000/alpha\">10.1000/alpha</a>"
    );
    let gamma = text(
        doc.select(&sel("li#ref-gamma2022 .ref-text"))
            .next()
            .expect("gamma entry"),
    );
    assert!(gamma.starts_with("Delta D, et al. Third study."), "{gamma}");
    let pubmed: Vec<&str> = doc
        .select(&sel("li#ref-beta2021 .ref-links a"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(
        pubmed.contains(&"https://pubmed.ncbi.nlm.nih.gov/12345678/"),
        "{pubmed:?}"
    );
}

#[test]
fn renumbering_is_per_page() {
    let other = "+++\ntitle = \"Other\"\n+++\n\nOnly [@gamma2022] then [@alpha2020].\n";
    let b = built(&[("content/page.md", PAGE), ("content/other.md", other)]);
    let doc = html(&b, "other/index.html");
    let m = markers(&doc);
    assert_eq!(
        m.iter()
            .map(|(_, h, n)| (h.as_str(), n.as_str()))
            .collect::<Vec<_>>(),
        [("#ref-gamma2022", "1"), ("#ref-alpha2020", "2")]
    );
}

#[test]
fn unknown_key_is_located_with_a_hint() {
    let page = "+++\ntitle = \"Bad\"\n+++\n\nSee [@alpha2020] and\nthen [@alpah2020].\n";
    let dir = site(&[("content/bad.md", page)]);
    let diags = match build(dir.path()) {
        Ok(_) => panic!("an unknown key must fail the build"),
        Err(d) => d,
    };
    let d = diags
        .iter()
        .find(|d| d.message.contains("unknown citation key"))
        .unwrap_or_else(|| panic!("{diags:#?}"));
    assert!(d.is_error());
    assert_eq!(d.file, Path::new("content/bad.md"));
    assert_eq!((d.line(), d.column()), (6, 6), "{d}");
    assert_eq!(d.message, "unknown citation key `alpah2020`");
    assert_eq!(d.hint.as_deref(), Some("did you mean `@alpha2020`?"));
}

#[test]
fn malformed_citation_is_an_error() {
    let page = "+++\ntitle = \"Bad\"\n+++\n\nSee [@alpha2020 p. 3].\n";
    let dir = site(&[("content/bad.md", page)]);
    let diags = build(dir.path()).err().expect("must fail");
    assert!(
        diags
            .iter()
            .any(|d| d.is_error() && d.line() == 5 && d.message.contains("cannot read citation")),
        "{diags:#?}"
    );
}

#[test]
fn bibliography_errors_fail_the_build_with_locations() {
    let dir = site(&[]);
    fs::write(
        dir.path().join("content/references.bib"),
        format!("{BIB}\n@article{{nodoi,\n  title = {{X}},\n  year = {{2020}}\n}}\n"),
    )
    .expect("write");
    let diags = build(dir.path()).err().expect("must fail");
    let d = diags
        .iter()
        .find(|d| d.message.contains("neither a DOI nor a PMID"))
        .unwrap_or_else(|| panic!("{diags:#?}"));
    assert_eq!(d.file, Path::new("content/references.bib"));
    assert_eq!(d.line(), BIB.lines().count() + 2);
    assert!(d.message.contains("`nodoi`"));
}

#[test]
fn references_page_lists_each_entry_once_with_cited_in() {
    let other = "+++\ntitle = \"Other\"\n+++\n\n## Part\n\nOnly [@gamma2022].\n";
    let b = built(&[("content/page.md", PAGE), ("content/other.md", other)]);
    let doc = html(&b, "references/index.html");
    let items: Vec<ElementRef<'_>> = doc.select(&sel("ol.all-references > li")).collect();
    let ids: Vec<&str> = items
        .iter()
        .filter_map(|li| li.value().attr("id"))
        .collect();
    assert_eq!(ids, ["alpha2020", "beta2021", "gamma2022"]);
    let cited_in = |key: &str| -> Vec<String> {
        doc.select(&sel(&format!("li#{key} .cited-in a")))
            .filter_map(|a| a.value().attr("href").map(str::to_string))
            .collect()
    };
    assert_eq!(cited_in("alpha2020"), ["/page/", "/page/#intro"]);
    assert_eq!(
        cited_in("gamma2022"),
        ["/other/", "/other/#part", "/page/", "/page/#intro"]
    );
    // Exports exist for every entry and for the whole bibliography.
    for key in ["alpha2020", "beta2021", "gamma2022"] {
        for ext in ["bib", "ris"] {
            let path = format!("references/{key}.{ext}");
            let f = b.file(&path);
            assert!(f.is_some_and(|f| !f.bytes.is_empty()), "{path}");
        }
    }
    let all = b.file("references/references.ris").expect("all RIS");
    assert_eq!(
        String::from_utf8_lossy(&all.bytes)
            .matches("ER  - ")
            .count(),
        3
    );
}

#[test]
fn exported_bibliography_reparses() {
    let b = built(&[("content/page.md", PAGE)]);
    let all = b.file("references/references.bib").expect("all BibTeX");
    let text = String::from_utf8_lossy(&all.bytes);
    let (again, diags) = Bibliography::parse(Path::new("references.bib"), &text);
    assert!(diags.is_empty(), "{diags:#?}");
    for e in b.site.bibliography.entries() {
        let f = again.get(&e.key).expect("entry survives");
        assert_eq!((&f.doi, &f.pmid, &f.html), (&e.doi, &e.pmid, &e.html));
    }
}

#[test]
fn builds_are_byte_identical() {
    let dir = site(&[("content/page.md", PAGE)]);
    let a = build(dir.path()).expect("first build").0;
    let b = build(dir.path()).expect("second build").0;
    let files = |x: &Built| {
        x.files
            .iter()
            .map(|f| (f.path.clone(), f.bytes.clone()))
            .collect::<Vec<_>>()
    };
    assert!(files(&a) == files(&b));
}

#[test]
fn cite_this_page_has_no_access_date() {
    let c = cite_page(&PageInfo {
        title: "Ibrutinib",
        site_title: "T",
        authors: &[],
        url: "https://example.org/monographs/ibrutinib/",
        last_reviewed: Some("2025-01-31"),
    });
    assert_eq!(
        c.ama,
        "T. Ibrutinib. T. Last reviewed 2025-01-31. \
         <a href=\"https://example.org/monographs/ibrutinib/\">\
         https://example.org/monographs/ibrutinib/</a>"
    );
    assert!(!c.ama.contains("Accessed"));
    assert!(c.bibtex.starts_with("@online{monographs-ibrutinib,\n"));
    assert!(c.ris.starts_with("TY  - ELEC\n") && c.ris.ends_with("ER  - \n"));
}

#[test]
fn cite_this_page_names_the_authors_from_config() {
    let page = "+++\ntitle = \"A\"\nlast_reviewed = 2025-01-31\n+++\n\nText.\n";
    let ama = |config: &str| {
        let b = built(&[("config.toml", config), ("content/a.md", page)]);
        let doc = html(&b, "a/index.html");
        let p = doc.select(&sel(".cite-ama")).next().expect("cite block");
        text(p)
    };
    let base = "title = \"T\"\nbase_url = \"https://example.org/\"\n";
    assert!(ama(base).starts_with("T. A. T. "), "the site is the author");
    let named = ama(&format!(
        "{base}authors = [\"Doe, Jane\", \"Roe, Richard\"]\n"
    ));
    assert!(named.starts_with("Doe J, Roe R. A. T. "), "{named}");
}

#[test]
fn real_bibliography_loads() {
    let text = include_str!("../fixtures/cite-real/references.bib");
    let (bib, diags) = Bibliography::parse(Path::new("content/references.bib"), text);
    assert!(diags.is_empty(), "{diags:#?}");
    assert!(bib.entries().count() >= 30);
}

/// A regulatory document: no DOI or PMID, cited by its address and date.
const ONLINE: &str = "
@online{fda2018,
  author  = {{U.S. Food and Drug Administration}},
  title   = {FDA warns of serious immune system reaction with lamotrigine},
  note    = {Drug Safety Communication},
  date    = {2018-04-25},
  url     = {https://www.fda.gov/drugs/drug-safety-and-availability/fda-drug-safety-communication},
  urldate = {2026-12-05}
}
";

/// `ONLINE` with one more field (`name = {value}`).
fn online_with(field: &str) -> String {
    ONLINE.replace(
        "  urldate = {2026-12-05}\n",
        &format!("  urldate = {{2026-12-05}},\n  {field}\n"),
    )
}

/// Builds a site whose bibliography is `BIB` followed by `extra`.
fn build_with_bib(extra: &str, pages: &[(&str, &str)]) -> Result<Built, Vec<Diagnostic>> {
    let dir = site(pages);
    fs::write(
        dir.path().join("content/references.bib"),
        format!("{BIB}{extra}"),
    )
    .expect("write");
    build(dir.path()).map(|(b, _)| b)
}

#[test]
fn a_web_source_is_listed_with_its_link_and_access_date_and_exported() {
    let page = "+++\ntitle = \"Page\"\n+++\n\nWarned in 2018 [@fda2018]; see [@alpha2020; @beta2021; @gamma2022].\n";
    let b =
        build_with_bib(ONLINE, &[("content/page.md", page)]).unwrap_or_else(|d| panic!("{d:#?}"));
    let url =
        "https://www.fda.gov/drugs/drug-safety-and-availability/fda-drug-safety-communication";
    for (file, entry) in [
        ("page/index.html", "li#ref-fda2018"),
        ("references/index.html", "li#fda2018"),
    ] {
        let doc = html(&b, file);
        let li = doc
            .select(&sel(entry))
            .next()
            .unwrap_or_else(|| panic!("{entry} in {file}"));
        let links: Vec<&str> = li
            .select(&sel(".ref-text a"))
            .filter_map(|a| a.value().attr("href"))
            .collect();
        assert_eq!(links, [url], "{file}");
        let text = text(li.select(&sel(".ref-text")).next().expect("ref text"));
        assert!(
            text.contains("April 25, 2018. Accessed December 5, 2026."),
            "{file}: {text}"
        );
    }
    let file = |path: &str| String::from_utf8_lossy(&b.file(path).expect(path).bytes).to_string();
    let bibtex = file("references/fda2018.bib");
    assert!(
        bibtex.contains(&format!("  url = {{{url}}},\n")),
        "{bibtex}"
    );
    assert!(bibtex.contains("  urldate = {2026-12-05},\n"), "{bibtex}");
    let ris = file("references/references.ris");
    assert!(
        ris.contains(&format!("UR  - {url}\nY2  - 2026/12/05\n")),
        "{ris}"
    );
}

#[test]
fn a_source_with_neither_identifier_nor_url_and_date_is_an_error_at_its_line() {
    let page = "+++\ntitle = \"Page\"\n+++\n\nSee [@fda2018; @alpha2020; @beta2021; @gamma2022].\n";
    let no_url = ONLINE.replace(
        "  url     = {https://www.fda.gov/drugs/drug-safety-and-availability/fda-drug-safety-communication},\n",
        "",
    );
    let diags = build_with_bib(&no_url, &[("content/page.md", page)])
        .err()
        .expect("must fail");
    let errors: Vec<_> = diags.iter().filter(|d| d.is_error()).collect();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].line(), BIB.lines().count() + 2);
    assert!(
        errors[0].message.contains("`fda2018`") && errors[0].message.contains("neither a DOI"),
        "{}",
        errors[0]
    );
    assert!(
        errors[0]
            .hint
            .as_deref()
            .is_some_and(|h| h.contains("`url = {https://…}` and `date = {YYYY-MM-DD}`")),
        "{}",
        errors[0]
    );
}

#[test]
fn annotations_are_shown_under_their_entry_on_the_references_page() {
    let annotated = online_with(
        "annote = {FDA requires an HLH warning <b>in all</b> labels \\& advises stopping.}",
    );
    let page = "+++\ntitle = \"Page\"\n+++\n\nSee [@fda2018; @alpha2020; @beta2021; @gamma2022].\n";
    let b = build_with_bib(&annotated, &[("content/page.md", page)])
        .unwrap_or_else(|d| panic!("{d:#?}"));
    let doc = html(&b, "references/index.html");
    let notes: Vec<(String, String)> = doc
        .select(&sel("ol.all-references > li"))
        .flat_map(|li| {
            let key = li.value().attr("id").unwrap_or_default().to_string();
            li.select(&sel(":scope > p.ref-annotation"))
                .map(move |p| (key.clone(), text(p)))
                .collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(
        notes,
        [(
            "fda2018".to_string(),
            "FDA requires an HLH warning <b>in all</b> labels & advises stopping.".to_string()
        )],
        "one annotation, as text (its markup escaped), only on the annotated entry"
    );
    assert!(doc.select(&sel(".ref-annotation b")).next().is_none());
    let page = html(&b, "page/index.html");
    assert!(
        page.select(&sel(".ref-annotation")).next().is_none(),
        "not in page lists"
    );
    let ris =
        String::from_utf8_lossy(&b.file("references/fda2018.ris").expect("ris").bytes).to_string();
    assert!(
        ris.contains(
            "N1  - FDA requires an HLH warning <b>in all</b> labels & advises stopping.\n"
        ),
        "{ris}"
    );
}

#[test]
fn old_keys_in_ids_cite_the_entry_and_keep_their_anchors() {
    let renamed = online_with("ids = {fda2019, lamotrigine-dsc}");
    let page = "+++\ntitle = \"Page\"\n+++\n\n## Intro\n\nOld [@fda2019], new [@fda2018], other [@alpha2020; @lamotrigine-dsc].\n\n<a href=\"/references/#fda2019\">old reference link</a>\n";
    let other =
        "+++\ntitle = \"Other\"\n+++\n\n[old link](page.md#ref-fda2019), [@beta2021; @gamma2022]\n";
    let b = build_with_bib(
        &renamed,
        &[("content/page.md", page), ("content/other.md", other)],
    )
    .unwrap_or_else(|d| panic!("{d:#?}"));
    let doc = html(&b, "page/index.html");
    assert_eq!(
        markers(&doc)
            .into_iter()
            .map(|(_, href, n)| (href, n))
            .collect::<Vec<_>>(),
        [
            ("#ref-fda2018".to_string(), "1".to_string()),
            ("#ref-fda2018".to_string(), "1".to_string()),
            ("#ref-alpha2020".to_string(), "2".to_string()),
            ("#ref-fda2018".to_string(), "1".to_string()),
        ],
        "an alias cites its entry, under one number"
    );
    let list = reference_list(&doc);
    assert_eq!(
        list.iter()
            .map(|(id, _, b)| (id.as_str(), b.len()))
            .collect::<Vec<_>>(),
        [("ref-fda2018", 3), ("ref-alpha2020", 1)]
    );
    let alias_ids = |doc: &Html, entry: &str| -> Vec<String> {
        doc.select(&sel(&format!("{entry} > span.ref-alias")))
            .filter_map(|s| s.value().attr("id").map(str::to_string))
            .collect()
    };
    assert_eq!(
        alias_ids(&doc, "li#ref-fda2018"),
        ["ref-fda2019", "ref-lamotrigine-dsc"]
    );
    let refs = html(&b, "references/index.html");
    assert_eq!(
        alias_ids(&refs, "li#fda2018"),
        ["fda2019", "lamotrigine-dsc"]
    );
    assert_eq!(
        refs.select(&sel("li#fda2018 .cited-in a"))
            .filter_map(|a| a.value().attr("href"))
            .collect::<Vec<_>>(),
        ["/page/", "/page/#intro"]
    );
}

#[test]
fn a_link_to_an_anchor_no_alias_makes_is_still_broken() {
    let page = "+++\ntitle = \"Page\"\n+++\n\nNew [@fda2018; @alpha2020; @beta2021; @gamma2022].\n\n[old](#ref-fda2019)\n";
    let diags = build_with_bib(ONLINE, &[("content/page.md", page)])
        .err()
        .expect("must fail");
    let errors: Vec<_> = diags.iter().filter(|d| d.is_error()).collect();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].line(), 7);
    assert!(errors[0].message.contains("ref-fda2019"), "{}", errors[0]);
}
