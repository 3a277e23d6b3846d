//! Integration tests: page kinds declared in `config.toml` (`[kinds.<name>]`) and their
//! rules, on temporary fixture sites.

use crate::support::*;
use hpskb::diag::Diagnostic;

const CONFIG: &str = r#"title = "Fixture KB"
base_url = "https://example.org/kb/"

[kinds.monograph]
required_sections = ["Key points", "Management"]
require_last_reviewed = true

[kinds.bedside]
required_sections = ["Recognise", "Act now"]
require_last_reviewed = true
cited_table_rows = true

[kinds.guidance]
required_sections = ["Key points"]
"#;

/// The good fixture site with `CONFIG` and the given extra files.
fn site(files: &[(&str, &str)]) -> (tempfile::TempDir, std::path::PathBuf) {
    let (g, root) = copy_fixture("good");
    write(&root, "config.toml", CONFIG);
    write(&root, "content/references.bib", BIB);
    for (rel, text) in files {
        write(&root, rel, text);
    }
    (g, root)
}

const BIB: &str = "@article{label2018,\n  author = {Agency, A},\n  title = {Label},\n  journal = {J},\n  year = {2018},\n  doi = {10.1000/label}\n}\n@article{trial2020,\n  author = {Trialist, T},\n  title = {Trial},\n  journal = {J},\n  year = {2020},\n  doi = {10.1000/trial}\n}\n";

const BEDSIDE: &str = "+++\ntitle = \"First 24 hours\"\nkind = \"bedside\"\nlast_reviewed = 2026-01-15\n+++\n## Recognise\n\nFever.\n\n## Act now\n\n| Agent | Dose |\n|---|---|\n| Dexamethasone | 10 mg/m² [@label2018] |\n| Etoposide | see source [@trial2020; @label2018] |\n";
const GUIDANCE: &str = "+++\ntitle = \"Treatment\"\nkind = \"guidance\"\n+++\n## Key points\n\nSee [the first 24 hours](first-24-hours.md#act-now).\n";

fn all(diags: &[Diagnostic]) -> String {
    diags.iter().map(|d| format!("{d}\n")).collect()
}

#[test]
fn declared_kinds_render_with_the_default_page_template() {
    let (_g, root) = site(&[
        ("content/bedside/first-24-hours.md", BEDSIDE),
        ("content/bedside/treatment.md", GUIDANCE),
    ]);
    let warnings = build_ok(&root);
    assert!(warnings.is_empty(), "{}", all(&warnings));
    let doc = html(&root, "bedside/first-24-hours/index.html");
    assert_eq!(
        texts(&doc, "article.page.page-bedside h1"),
        ["First 24 hours"]
    );
    assert_eq!(
        texts(&doc, "nav.toc li a"),
        ["Recognise", "Act now", "References"],
        "the default page template's table of contents"
    );
    assert_eq!(texts(&doc, ".page-header .meta time"), ["15 January 2026"]);
    let doc = html(&root, "bedside/treatment/index.html");
    assert_eq!(texts(&doc, "article.page-guidance h1"), ["Treatment"]);
    assert_eq!(
        attrs(&doc, ".content p a", "href"),
        ["/kb/bedside/first-24-hours/#act-now"]
    );
}

#[test]
fn declared_kinds_have_their_rules_enforced() {
    let (_g, root) = site(&[
        (
            "content/bedside/first-24-hours.md",
            "+++\ntitle = \"First 24 hours\"\nkind = \"bedside\"\n+++\n## Act now\n\n## Recognise\n",
        ),
        (
            "content/bedside/treatment.md",
            "+++\ntitle = \"Treatment\"\nkind = \"guidance\"\n+++\n## Doses\n",
        ),
    ]);
    let d = build_errors(&root);
    let page = "content/bedside/first-24-hours.md";
    assert_error_at(&d, page, 1, "a bedside needs `last_reviewed`");
    assert_error_at(&d, page, 1, "section `## Act now` is out of order");
    let treatment = "content/bedside/treatment.md";
    assert_error_at(
        &d,
        treatment,
        1,
        "required section `## Key points` is missing",
    );
    assert_eq!(d.len(), 3, "{}", all(&d));
}

#[test]
fn an_unknown_kind_is_an_error_at_its_line_with_a_hint() {
    let (_g, root) = site(&[
        (
            "content/bedside/first-24-hours.md",
            "+++\ntitle = \"First 24 hours\"\nweight = 1\nkind = \"bedsid\"\n+++\n## Act now\n",
        ),
        (
            "content/bedside/other.md",
            "+++\ntitle = \"Other\"\nkind = 'leaflet'\n+++\nSee [the first 24 hours](first-24-hours.md).\n",
        ),
    ]);
    let d = build_errors(&root);
    let first = d
        .iter()
        .find(|d| d.file.ends_with("content/bedside/first-24-hours.md"))
        .unwrap_or_else(|| panic!("{}", all(&d)));
    assert_eq!(
        (first.line(), first.column(), first.message.as_str()),
        (4, 9, "unknown page kind `bedsid`")
    );
    assert_eq!(first.hint.as_deref(), Some("did you mean `bedside`?"));
    let other = d
        .iter()
        .find(|d| d.file.ends_with("content/bedside/other.md"))
        .unwrap_or_else(|| panic!("{}", all(&d)));
    assert_eq!(
        (other.line(), other.message.as_str()),
        (3, "unknown page kind `leaflet`")
    );
    assert_eq!(
        other.hint.as_deref(),
        Some(
            "use one of monograph, overview, page, bedside, guidance, or declare `[kinds.leaflet]` in config.toml"
        )
    );
    // One error per cause: the link to the page that could not be loaded is not another.
    assert_eq!(d.len(), 2, "{}", all(&d));
}

#[test]
fn a_declared_kind_no_page_has_is_a_warning() {
    let (_g, root) = site(&[("content/bedside/first-24-hours.md", BEDSIDE)]);
    let mut config = CONFIG.replace("[kinds.monograph]", "[kinds.monographs]");
    config.push_str("\n[kinds.leaflet]\nmin_references = 1\n");
    write(&root, "config.toml", &config);
    let warnings = build_ok(&root);
    let found: Vec<_> = warnings
        .iter()
        .filter(|w| w.file.ends_with("config.toml"))
        .map(|w| {
            (
                w.line(),
                w.message.as_str(),
                w.hint.as_deref().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                4,
                "kind `monographs` is declared but no page has it",
                "did you mean `[kinds.monograph]`?"
            ),
            (
                13,
                "kind `guidance` is declared but no page has it",
                "give a page this kind, or remove the table"
            ),
            (
                16,
                "kind `leaflet` is declared but no page has it",
                "give a page this kind, or remove the table"
            ),
        ],
    );
}

/// A bedside page (kind with `cited_table_rows`) whose body is `body`, after its required
/// sections' first line: line 7 of the file.
fn bedside_with(body: &str) -> String {
    format!(
        "+++\ntitle = \"First 24 hours\"\nkind = \"bedside\"\nlast_reviewed = 2026-01-15\n+++\n## Recognise\n{body}\n## Act now\n"
    )
}

#[test]
fn table_rows_that_cite_their_source_build() {
    let (_g, root) = site(&[("content/bedside/first-24-hours.md", BEDSIDE)]);
    build_ok(&root);
    let doc = html(&root, "bedside/first-24-hours/index.html");
    assert_eq!(texts(&doc, "table thead tr"), ["AgentDose"]);
    assert_eq!(
        texts(&doc, "table tbody tr td:nth-child(2) sup.cite"),
        ["1", "2,1"]
    );
}

#[test]
fn a_table_row_without_a_citation_is_an_error_at_the_row() {
    let body = "\n| Agent | Dose |\n|---|---|\n| Dexamethasone | 10 mg/m² [@label2018] |\n| Etoposide | 50 mg/m² |\n| Anakinra | see [@nokey] |\n\n- A list:\n\n  | Test | When |\n  |:-|:-|\n  | Ferritin | *daily* |\n";
    let (_g, root) = site(&[("content/bedside/first-24-hours.md", &bedside_with(body))]);
    let d = build_errors(&root);
    let found: Vec<_> = d
        .iter()
        .map(|d| (d.line(), d.column(), d.message.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (11, 1, "table row cites no source"),
            (12, 18, "unknown citation key `nokey`"),
            (18, 3, "table row cites no source"),
        ],
        "{}",
        all(&d)
    );
    assert_eq!(
        d[0].hint.as_deref(),
        Some("every row of a table on a bedside page cites its source: add [@key] to the row")
    );
}

#[test]
fn tables_on_pages_of_other_kinds_need_no_citations() {
    let body = "\n| Agent | Dose |\n|---|---|\n| Etoposide | 50 mg/m² |\n";
    let guidance =
        format!("+++\ntitle = \"Treatment\"\nkind = \"guidance\"\n+++\n## Key points\n{body}");
    let (_g, root) = site(&[
        ("content/bedside/first-24-hours.md", BEDSIDE),
        ("content/bedside/treatment.md", &guidance),
    ]);
    build_ok(&root);
    let doc = html(&root, "bedside/treatment/index.html");
    assert_eq!(texts(&doc, "table tbody tr"), ["Etoposide50 mg/m²"]);
}
