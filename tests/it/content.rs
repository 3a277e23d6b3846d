//! The bundled knowledge base (the repository root): pages at their stable URLs, the
//! monograph shape, citations that resolve, and well-formed identifiers.

use std::collections::BTreeSet;
use std::path::Path;

use hpskb::diag::Code;
use hpskb::{BuildOptions, Built};
use scraper::{Html, Selector};

fn bundled() -> Built {
    let options = BuildOptions {
        root: Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf(),
        search: false,
        ..Default::default()
    };
    match hpskb::compile(&options) {
        Ok((built, _warnings)) => built,
        Err(d) => panic!(
            "the bundled site does not build:\n{}",
            d.iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        ),
    }
}

fn page(built: &Built, path: &str) -> Html {
    let file = built
        .file(path)
        .unwrap_or_else(|| panic!("no output {path}"));
    Html::parse_document(std::str::from_utf8(&file.bytes).unwrap())
}

fn select<'a>(doc: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    doc.select(&Selector::parse(css).unwrap()).collect()
}

const MONOGRAPHS: [&str; 3] = ["immune-checkpoint-inhibitors", "ibrutinib", "lamotrigine"];

#[test]
fn pages_exist_at_their_stable_urls() {
    let built = bundled();
    for path in [
        "index.html",
        "hemophagocytic-syndrome/index.html",
        "monographs/index.html",
        "monographs/immune-checkpoint-inhibitors/index.html",
        "monographs/ibrutinib/index.html",
        "monographs/lamotrigine/index.html",
        "calculators/hscore/index.html",
        "calculators/hlh-2004/index.html",
        "references/index.html",
        "glossary/index.html",
        "about/index.html",
    ] {
        assert!(built.file(path).is_some(), "missing {path}");
    }
}

#[test]
fn monographs_have_the_required_sections_in_order_and_enough_references() {
    let built = bundled();
    let required = [
        "key-points",
        "background",
        "epidemiology",
        "mechanism",
        "clinical-features-and-time-to-onset",
        "diagnosis",
        "differential-diagnosis",
        "management",
        "rechallenge-and-outcome",
    ];
    for m in MONOGRAPHS {
        let doc = page(&built, &format!("monographs/{m}/index.html"));
        let ids: Vec<String> = select(&doc, ".content h2")
            .iter()
            .filter_map(|h| h.value().attr("id").map(str::to_string))
            .collect();
        let positions: Vec<usize> = required
            .iter()
            .map(|r| {
                ids.iter()
                    .position(|i| i == r)
                    .unwrap_or_else(|| panic!("{m}: no ## {r}"))
            })
            .collect();
        assert!(
            positions.windows(2).all(|w| w[0] < w[1]),
            "{m}: sections out of order: {ids:?}"
        );
        let refs = select(&doc, ".reference-list li");
        assert!(refs.len() >= 8, "{m} cites {} references", refs.len());
        assert!(
            !select(&doc, ".meta time[datetime]").is_empty(),
            "{m} shows last_reviewed"
        );
    }
    let overview = page(&built, "hemophagocytic-syndrome/index.html");
    assert!(select(&overview, ".reference-list li").len() >= 12);
}

#[test]
fn every_citation_resolves_to_a_reference_entry() {
    let built = bundled();
    for f in built
        .files
        .iter()
        .filter(|f| f.path.ends_with("index.html"))
    {
        let doc = Html::parse_document(std::str::from_utf8(&f.bytes).unwrap());
        let ids: BTreeSet<String> = select(&doc, "[id]")
            .iter()
            .filter_map(|e| e.value().attr("id").map(str::to_string))
            .collect();
        for a in select(&doc, "sup.cite a") {
            let target = a.value().attr("href").unwrap().trim_start_matches('#');
            assert!(
                ids.contains(target),
                "{}: citation to missing #{target}",
                f.path
            );
        }
    }
}

#[test]
fn every_cell_of_the_comparison_table_is_cited() {
    let built = bundled();
    let doc = page(&built, "monographs/index.html");
    let rows = select(&doc, ".content table tbody tr");
    let cells = select(&doc, ".content table tbody td:not(:first-child)");
    assert!(rows.len() >= 5, "{} rows", rows.len());
    assert_eq!(
        cells.len(),
        rows.len() * 3,
        "one cell per trigger in every row"
    );
    for c in cells {
        // A cell states a finding with its source, or says no report was found and links
        // the monograph section that says what was searched.
        let text = c.text().collect::<String>();
        let absence = text.starts_with("No report found")
            && select_in(&c, "a").iter().any(|a| {
                a.value()
                    .attr("href")
                    .is_some_and(|h| h.contains("#rechallenge"))
            });
        assert!(
            absence || !select_in(&c, "sup.cite").is_empty(),
            "uncited cell: {text}"
        );
    }
}

fn select_in<'a>(e: &scraper::ElementRef<'a>, css: &str) -> Vec<scraper::ElementRef<'a>> {
    e.select(&Selector::parse(css).unwrap()).collect()
}

#[test]
fn brand_names_are_on_the_monographs() {
    let built = bundled();
    for (m, brand) in [
        ("lamotrigine", "Lamictal"),
        ("ibrutinib", "Imbruvica"),
        ("immune-checkpoint-inhibitors", "Keytruda"),
    ] {
        let doc = page(&built, &format!("monographs/{m}/index.html"));
        let drugs: String = select(&doc, ".drugs")
            .iter()
            .flat_map(|e| e.text())
            .collect();
        assert!(drugs.contains(brand), "{m}: {drugs}");
    }
}

#[test]
fn every_reference_has_a_well_formed_doi_or_pmid() {
    let built = bundled();
    let entries: Vec<_> = built.site.bibliography.entries().collect();
    assert!(entries.len() >= 20);
    // A source without either identifier is a regulator's or a label's web page, cited by
    // its address (the bibliography's own rule checks url and date); it is listed with
    // the address as a link and no DOI or PubMed link.
    let bib = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("content/references.bib"),
    )
    .unwrap();
    for e in entries {
        if e.doi.is_none() && e.pmid.is_none() {
            assert!(
                bib.contains(&format!("@online{{{},", e.key)),
                "{} has neither DOI nor PMID and is not a web source",
                e.key
            );
            assert!(e.html.contains("href=\"http"), "{}: {}", e.key, e.html);
            continue;
        }
        if let Some(doi) = &e.doi {
            let (prefix, suffix) = doi
                .split_once('/')
                .unwrap_or_else(|| panic!("{}: DOI {doi}", e.key));
            let registrant = prefix
                .strip_prefix("10.")
                .unwrap_or_else(|| panic!("{}: DOI {doi}", e.key));
            assert!(
                (4..=9).contains(&registrant.len())
                    && registrant.chars().all(|c| c.is_ascii_digit() || c == '.'),
                "{}: DOI {doi}",
                e.key
            );
            assert!(
                !suffix.is_empty() && !suffix.contains(char::is_whitespace),
                "{}: DOI {doi}",
                e.key
            );
        }
        if let Some(pmid) = &e.pmid {
            assert!(
                !pmid.is_empty() && pmid.len() <= 9 && pmid.chars().all(|c| c.is_ascii_digit()),
                "{}: PMID {pmid}",
                e.key
            );
        }
    }
}

/// Every reference entry, on the references page and on each citing page, links its DOI
/// and its PubMed record, each once (the formatted reference carries the DOI link; the
/// links row adds PubMed).
#[test]
fn every_reference_entry_links_its_doi_and_pubmed_record_once() {
    let built = bundled();
    let mut entries = 0;
    for f in built.files.iter().filter(|f| f.path.ends_with(".html")) {
        let doc = Html::parse_document(std::str::from_utf8(&f.bytes).unwrap());
        for li in select(&doc, ".reference-list li[id]") {
            let id = li.value().attr("id").unwrap();
            let key = id.strip_prefix("ref-").unwrap_or(id);
            let e = built
                .site
                .bibliography
                .get(key)
                .unwrap_or_else(|| panic!("{}: #{id}", f.path));
            let hrefs: Vec<&str> = select_in(&li, "a[href]")
                .iter()
                .filter_map(|a| a.value().attr("href"))
                .collect();
            let count = |prefix: &str| hrefs.iter().filter(|h| h.starts_with(prefix)).count();
            let once_if = |id: &Option<String>| usize::from(id.is_some());
            let place = format!("{} #{id}: {hrefs:?}", f.path);
            assert_eq!(count("https://doi.org/"), once_if(&e.doi), "{place}");
            assert_eq!(
                count("https://pubmed.ncbi.nlm.nih.gov/"),
                once_if(&e.pmid),
                "{place}"
            );
            entries += 1;
        }
    }
    assert!(entries >= 40, "only {entries} reference entries found");
}

#[test]
fn about_credits_the_scope_review_and_names_no_reviewers() {
    let built = bundled();
    let doc = page(&built, "about/index.html");
    let refs: String = select(&doc, ".reference-list")
        .iter()
        .flat_map(|e| e.text())
        .collect();
    assert!(refs.contains("Zhuo"), "{refs}");
    let links: Vec<&str> = select(&doc, ".reference-list a")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(
        links
            .iter()
            .any(|h| h.contains("10.3760/cma.j.cn115356-20210307-00043")),
        "{links:?}"
    );
    let text: String = select(&doc, "main")
        .iter()
        .flat_map(|e| e.text())
        .collect::<String>()
        .to_lowercase();
    assert!(!text.contains("reviewed by"), "no invented reviewers");
    assert!(text.contains("not a substitute"), "plain disclaimer");
}

#[test]
fn every_cite_this_page_bibtex_reads_cleanly_with_hpskb_s_own_parser() {
    // What a reference manager imports is what hpskb itself accepts as a bibliography:
    // no diagnostic, one entry, found by its address (a web page has no DOI or PMID).
    let built = bundled();
    let cites: Vec<_> = built
        .files
        .iter()
        .filter(|f| f.path.ends_with("/cite.bib"))
        .collect();
    assert!(cites.len() >= 8, "{} cite.bib files", cites.len());
    for f in cites {
        let text = std::str::from_utf8(&f.bytes).unwrap();
        let (bib, diags) = hpskb::cite::Bibliography::parse(Path::new(&f.path), text);
        assert!(diags.is_empty(), "{}: {diags:?}\n{text}", f.path);
        let entries: Vec<_> = bib.entries().collect();
        assert_eq!(entries.len(), 1, "{}", f.path);
        let page = f.path.trim_end_matches("cite.bib");
        assert!(
            entries[0].html.contains(&format!("{page}\"")),
            "{}: {}",
            f.path,
            entries[0].html
        );
    }
}

/// Each trigger's case registry is published (table, downloads), and each monograph
/// shows its onset chart and computed median under "Clinical features and time to onset"
/// and its outcome chart and computed counts under "Rechallenge and outcome".
#[test]
fn case_registries_are_published_and_monographs_quote_computed_numbers() {
    let built = bundled();
    let registry = page(&built, "case-registry/index.html");
    let sets = [
        (
            "immune-checkpoint-inhibitors",
            "ici-cases",
            "immune-checkpoint-inhibitors",
        ),
        (
            "ibrutinib",
            "btk-cases",
            "ibrutinib-and-other-btk-inhibitors",
        ),
        ("lamotrigine", "lamotrigine-cases", "lamotrigine"),
    ];
    for (monograph, set, anchor) in sets {
        let source = std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("content/data/{set}.csv")),
        )
        .unwrap();
        assert_eq!(
            built.file(&format!("data/{set}.csv")).unwrap().bytes,
            source
        );
        let json: serde_json::Value =
            serde_json::from_slice(&built.file(&format!("data/{set}.json")).unwrap().bytes)
                .unwrap();
        let records = json["records"].as_array().unwrap().len();
        assert!(records > 0, "{set} has records");
        let rows = select(
            &registry,
            &format!("table.data-table[data-set=\"{set}\"] tbody tr"),
        );
        assert_eq!(rows.len(), records, "{set}: every record in the full table");

        let file = built
            .file(&format!("monographs/{monograph}/index.html"))
            .unwrap();
        let html = std::str::from_utf8(&file.bytes).unwrap();
        let section = |id: &str| {
            let start = html.find(&format!("<h2 id=\"{id}\"")).unwrap();
            let end = html[start + 1..]
                .find("<h2")
                .map_or(html.len(), |e| start + 1 + e);
            &html[start..end]
        };
        let onset = section("clinical-features-and-time-to-onset");
        assert!(
            onset.contains("class=\"chart-strip\""),
            "{monograph}: onset chart"
        );
        assert!(onset.contains(&format!("<span class=\"data-value\" data-set=\"{set}\">")));
        assert!(
            onset.contains(&format!("/case-registry/#{anchor}")),
            "{monograph} links its table"
        );
        let outcome = section("rechallenge-and-outcome");
        assert!(
            outcome.contains("class=\"chart-bars\""),
            "{monograph}: outcome chart"
        );
        assert!(outcome.matches(&format!("data-set=\"{set}\">")).count() >= 3);
    }
}

/// The pages of the Simplified Chinese edition: the bedside path, what leads to it, and
/// the about page (scope, method, disclaimer).
const EDITION: [&str; 15] = [
    "_index.md",
    "about.md",
    "hemophagocytic-syndrome.md",
    "monographs/_index.md",
    "monographs/immune-checkpoint-inhibitors.md",
    "monographs/ibrutinib.md",
    "monographs/lamotrigine.md",
    "bedside/_index.md",
    "bedside/first-24-hours.md",
    "bedside/treatment.md",
    "calculators/_index.md",
    "calculators/hscore.md",
    "calculators/hlh-2004.md",
    "calculators/ohi.md",
    "glossary",
];

/// The output path of a content page (`bedside/_index.md` → `bedside/index.html`).
fn output_of(rel: &str) -> String {
    let path = rel.trim_end_matches(".md").trim_end_matches("_index");
    format!(
        "{path}{}index.html",
        if path.is_empty() || path.ends_with('/') {
            ""
        } else {
            "/"
        }
    )
}

#[test]
fn the_chinese_edition_is_whole_and_in_step_with_the_english() {
    let options = BuildOptions {
        root: Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf(),
        search: false,
        ..Default::default()
    };
    let (built, warnings) = hpskb::compile(&options).expect("the bundled site builds");
    // Translated faithfully: the same sections, citations and numbers, of the current review.
    let unfaithful: Vec<String> = (warnings.iter())
        .filter(|d| {
            matches!(
                d.code,
                Code::StaleTranslation | Code::TranslationSections | Code::TranslationContent
            )
        })
        .map(|d| d.to_string())
        .collect();
    assert_eq!(unfaithful, Vec::<String>::new());
    let untranslated: String = (warnings.iter())
        .filter(|d| d.code == Code::Untranslated)
        .map(|d| d.message.clone())
        .collect();
    for rel in EDITION {
        let (english, chinese) = (output_of(rel), format!("zh-hans/{}", output_of(rel)));
        assert!(
            !untranslated.contains(&format!("content/{rel}")),
            "{rel} is untranslated"
        );
        let (en, zh) = (page(&built, &english), page(&built, &chinese));
        assert_eq!(
            select(&zh, "html")[0].value().attr("lang"),
            Some("zh-Hans"),
            "{chinese}"
        );
        // The switcher opens the other edition at the same section: every English
        // section has its id in the Chinese page.
        let ids = |doc: &Html| -> Vec<String> {
            select(doc, ".content h2[id], .content h3[id]")
                .iter()
                .map(|h| h.value().attr("id").unwrap().to_string())
                .collect()
        };
        assert_eq!(ids(&zh), ids(&en), "{chinese}: sections");
        let switch = select(&zh, ".languages a[hreflang=\"en\"]");
        assert_eq!(
            switch.first().and_then(|a| a.value().attr("href")),
            Some(format!("/{}", english.trim_end_matches("index.html")).as_str()),
            "{chinese}: the switcher"
        );
    }
}
