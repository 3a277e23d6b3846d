//! Data sets (`content/data/`): one broken data set per failure class, each located at its
//! line and column; tables, charts and aggregates on a small fixture whose numbers are
//! computed by hand; the downloads.

use std::path::Path;

use crate::support::*;
use hpskb::diag::Diagnostic;

const BIB: &str = "@article{smith2020,\n  author = {Smith, Ann},\n  title = {A case},\n  journal = {J Test},\n  year = {2020},\n  pmid = {1}\n}\n\n@article{jones2021,\n  author = {Jones, Bob},\n  title = {Three cases},\n  journal = {J Test},\n  year = {2021},\n  pmid = {2},\n  ids = {jones2021old}\n}\n";

const SCHEMA: &str = r#"title = "Test cases"
description = "Five made-up records."
key = "id"
source = "source"

[[column]]
id = "id"
label = "Case"
type = "text"
required = true

[[column]]
id = "source"
label = "Source"
type = "citation"
required = true

[[column]]
id = "age"
label = "Age"
type = "integer"
unit = "years"
min = 0
max = 120

[[column]]
id = "sex"
label = "Sex"
type = "enum"
values = ["F", "M"]

[[column]]
id = "drug"
label = "Drug"
type = "text"

[[column]]
id = "onset_days"
label = "Onset"
type = "integer"
unit = "days"
min = 0

[[column]]
id = "crp"
label = "CRP"
type = "decimal"
unit = "mg/L"

[[column]]
id = "reported"
label = "Reported"
type = "date"

[[column]]
id = "outcome"
label = "Outcome"
type = "enum"
values = ["recovered", "died", "ongoing"]

[[column]]
id = "treatment"
label = "Treatment"
type = "text"

[[column]]
id = "note"
label = "Notes"
type = "text"
"#;

const HEADER: &str = "id,source,age,sex,drug,onset_days,crp,reported,outcome,treatment,note\n";

/// Line 2 to 6 of the CSV.
const ROWS: [&str; 5] = [
    "c-1,smith2020,50,F,alpha,10,12.5,2020-01-31,recovered,steroids;etoposide,\n",
    "c-2,smith2020,61,M,alpha,20,,,died,steroids,\"a, quoted \"\"note\"\"\"\n",
    "c-3,jones2021old,,F,beta,30,3,,recovered,,\n",
    "c-4,jones2021,70,M,beta,,,,died,etoposide,\n",
    "c-5,jones2021,45,,beta,40,,,,steroids,\n",
];

const PAGE: &str = "+++\ntitle = \"Registry\"\n+++\n\n## Cases\n\nMedian onset `data set = \"cases\", stat = \"median_iqr\", column = \"onset_days\"`; deaths `data set = \"cases\", stat = \"proportion\", where = \"outcome=died\"`; on alpha `data set = \"cases\", stat = \"proportion\", where = \"outcome=died\", among = \"drug=alpha\"`; beta records `data set = \"cases\", stat = \"count\", where = \"drug=beta\"`; etoposide `data set = \"cases\", stat = \"count\", where = \"treatment=etoposide\"`; all `data set = \"cases\", stat = \"count\"`.\n\n```data-table\nset = \"cases\"\ncaption = \"All cases\"\n```\n\n```data-chart\nset = \"cases\"\nkind = \"strip\"\ncolumn = \"onset_days\"\ngroup = \"drug\"\n```\n\n```data-chart\nset = \"cases\"\nkind = \"bars\"\ncolumn = \"outcome\"\n```\n";

/// The good fixture with the data set, its bibliography and a page showing it; `rows`
/// replaces the CSV's records.
fn site_with(rows: &[&str]) -> (tempfile::TempDir, std::path::PathBuf) {
    let (g, root) = copy_fixture("good");
    write(&root, "content/references.bib", BIB);
    write(&root, "content/data/cases.schema.toml", SCHEMA);
    write(
        &root,
        "content/data/cases.csv",
        format!("{HEADER}{}", rows.concat()),
    );
    write(&root, "content/registry.md", PAGE);
    (g, root)
}

/// The site with record `line` (2–6) replaced by `row`; its build's errors.
fn broken_row(line: usize, row: &str) -> Vec<Diagnostic> {
    let mut rows = ROWS.to_vec();
    rows[line - 2] = row;
    let (_g, root) = site_with(&rows);
    build_errors(&root)
}

/// Asserts an error in `file` at `line`:`column` whose message holds `needle` and whose hint
/// holds `hint`.
fn assert_at(
    d: &[Diagnostic],
    file: &str,
    (line, column): (usize, usize),
    needle: &str,
    hint: &str,
) {
    assert!(
        d.iter().any(|d| d.file.ends_with(file)
            && (d.line(), d.column()) == (line, column)
            && d.message.contains(needle)
            && d.hint.as_deref().is_some_and(|h| h.contains(hint))),
        "no error at {file}:{line}:{column} with {needle:?} / {hint:?}:\n{}",
        d.iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

const CSV: &str = "content/data/cases.csv";

#[test]
fn value_out_of_range() {
    let d = broken_row(3, "c-2,smith2020,161,M,alpha,20,,,died,steroids,\n");
    assert_at(
        &d,
        CSV,
        (3, 15),
        "`age` = 161 is out of range",
        "from 0 to 120",
    );
    assert_eq!(d.len(), 1, "{d:?}");
}

#[test]
fn not_an_integer_decimal_or_date() {
    let d = broken_row(
        2,
        "c-1,smith2020,fifty,F,alpha,10,12,5,2020-02-30,recovered,,\n",
    );
    // The stray comma makes one field too many: reported once, at the record.
    assert_at(
        &d,
        CSV,
        (2, 1),
        "record has 12 fields, the header 11",
        "quote a value",
    );
    let d = broken_row(
        2,
        "c-1,smith2020,fifty,F,alpha,1.5,12;5,2020-02-30,recovered,,\n",
    );
    assert_at(
        &d,
        CSV,
        (2, 15),
        "`fifty` is not an integer",
        "whole number",
    );
    assert_at(&d, CSV, (2, 29), "`1.5` is not an integer", "whole number");
    assert_at(&d, CSV, (2, 33), "`12;5` is not a decimal", "12.5");
    assert_at(&d, CSV, (2, 38), "`2020-02-30` is not a date", "YYYY-MM-DD");
    assert_eq!(d.len(), 4, "{d:?}");
}

#[test]
fn unknown_enum_value_with_did_you_mean() {
    let d = broken_row(4, "c-3,jones2021,,X,beta,30,3,,recoverd,,\n");
    assert_at(
        &d,
        CSV,
        (4, 16),
        "`sex`: unknown value `X`",
        "allowed values: F, M",
    );
    assert_at(
        &d,
        CSV,
        (4, 29),
        "unknown value `recoverd`",
        "did you mean `recovered`?",
    );
}

#[test]
fn unknown_citation_key() {
    let d = broken_row(5, "c-4,jones2012,70,M,beta,,,,died,etoposide,\n");
    assert_at(
        &d,
        CSV,
        (5, 5),
        "unknown citation key `jones2012`",
        "did you mean `jones2021`?",
    );
    assert_eq!(d.len(), 1, "{d:?}");
}

#[test]
fn record_without_source() {
    let d = broken_row(6, "c-5,,45,,beta,40,,,,steroids,\n");
    assert_at(&d, CSV, (6, 5), "record has no source", "bibliography key");
}

#[test]
fn duplicate_record_id() {
    let d = broken_row(6, "c-2,jones2021,45,,beta,40,,,,steroids,\n");
    assert_at(&d, CSV, (6, 1), "duplicate record id `c-2`", "line 3");
    assert_eq!(d.len(), 1, "{d:?}");
}

#[test]
fn required_value_missing_and_spaces() {
    let d = broken_row(6, ",jones2021, 45,,beta,40,,,,steroids,\n");
    assert_at(
        &d,
        CSV,
        (6, 1),
        "`id` is required and empty",
        "give every record",
    );
    assert_at(&d, CSV, (6, 12), "spaces around it", "without leading");
}

#[test]
fn wrong_header() {
    let (_g, root) = site_with(&ROWS);
    write(
        &root,
        CSV,
        format!("{}{}", HEADER.replace("onset_days", "onset"), ROWS.concat()),
    );
    let d = build_errors(&root);
    assert_at(
        &d,
        CSV,
        (1, 24),
        "header column 6 is `onset`, the schema's is `onset_days`",
        "id,source,age",
    );
    assert_eq!(
        d.len(),
        1,
        "records are not read against a wrong header: {d:?}"
    );
}

#[test]
fn unclosed_quote_is_a_csv_error_not_a_panic() {
    let d = broken_row(6, "c-5,jones2021,45,,beta,40,,,,steroids,\"open\n");
    assert!(
        d.iter().any(|d| d.file.ends_with(CSV) && d.line() >= 6),
        "{d:?}"
    );
}

#[test]
fn schema_errors() {
    let (_g, root) = site_with(&ROWS);
    let schema = SCHEMA
        .replace("type = \"decimal\"", "type = \"decimel\"")
        .replace("values = [\"F\", \"M\"]\n", "")
        .replace("source = \"source\"\n", "source = \"sorce\"\n");
    write(&root, "content/data/cases.schema.toml", schema);
    let d = build_errors(&root);
    let file = "content/data/cases.schema.toml";
    assert_at(
        &d,
        file,
        (4, 10),
        "`source = \"sorce\"` is not a column",
        "did you mean `source`?",
    );
    assert_at(
        &d,
        file,
        (29, 8),
        "enum column `sex` has no `values`",
        "values = [",
    );
    assert_at(
        &d,
        file,
        (46, 8),
        "unknown column type `decimel`",
        "did you mean `decimal`?",
    );
    assert_eq!(d.len(), 3, "{d:?}");
}

#[test]
fn data_set_without_schema_and_schema_without_data() {
    let (_g, root) = site_with(&ROWS);
    std::fs::rename(
        root.join("content/data/cases.schema.toml"),
        root.join("content/data/other.schema.toml"),
    )
    .unwrap();
    let d = build_errors(&root);
    assert_error_at(&d, CSV, 0, "data set `cases` has no schema");
    assert_error_at(
        &d,
        "content/data/other.schema.toml",
        0,
        "has no `other.csv`",
    );
}

#[test]
fn bad_fences_and_aggregates_are_located_in_the_page() {
    let (_g, root) = site_with(&ROWS);
    write(
        &root,
        "content/registry.md",
        "+++\ntitle = \"Registry\"\n+++\n\nOnset `data set = \"cases\", stat = \"median_iqr\", column = \"onset\"`.\n\n```data-table\nset = \"case\"\n```\n\n```data-chart\nset = \"cases\"\nkind = \"strip\"\ncolumn = \"drug\"\n```\n\nDeaths `data set = \"cases\", stat = \"proportion\", where = \"outcome=dead\"`.\n",
    );
    let d = build_errors(&root);
    let page = "content/registry.md";
    assert_at(
        &d,
        page,
        (5, 7),
        "has no column `onset`",
        "did you mean `onset_days`?",
    );
    assert_at(
        &d,
        page,
        (7, 1),
        "unknown data set `case`",
        "did you mean `cases`?",
    );
    assert_at(
        &d,
        page,
        (11, 1),
        "`drug` is text, not a number column",
        "bars",
    );
    assert_at(
        &d,
        page,
        (17, 8),
        "`dead` is not a value of `outcome`",
        "did you mean `died`?",
    );
}

fn built() -> (tempfile::TempDir, std::path::PathBuf) {
    let (g, root) = site_with(&ROWS);
    build_ok(&root);
    (g, root)
}

#[test]
fn aggregates_match_hand_computed_values() {
    let (_g, root) = built();
    let doc = html(&root, "registry/index.html");
    // Onset 10, 20, 30, 40 (c-4 empty): median 25; quartiles by interpolation 17.5 and 32.5.
    // Outcome stated in 4 records (c-5 empty), 2 died; on alpha 1 of 2.
    assert_eq!(
        texts(&doc, ".data-value"),
        [
            "25 days (IQR 17.5–32.5, n = 4)",
            "2/4, 50%",
            "1/2, 50%",
            "3",
            "2",
            "5"
        ]
    );
}

#[test]
fn table_is_accessible_and_cites_its_sources() {
    let (_g, root) = built();
    let doc = html(&root, "registry/index.html");
    assert_eq!(texts(&doc, "table.data-table caption"), ["All cases"]);
    let heads = texts(&doc, "table.data-table thead th[scope=col]");
    assert_eq!(heads.len(), 11);
    assert_eq!(heads[2], "Age (years)");
    assert_eq!(
        texts(&doc, "table.data-table tbody th[scope=row]"),
        ["c-1", "c-2", "c-3", "c-4", "c-5"]
    );
    // Each source cell is a citation numbered in the page's list; the alias cites its entry.
    assert_eq!(
        attrs(&doc, "table.data-table tbody td sup.cite a", "href"),
        [
            "#ref-smith2020",
            "#ref-smith2020",
            "#ref-jones2021",
            "#ref-jones2021",
            "#ref-jones2021"
        ]
    );
    assert_eq!(
        attrs(&doc, "ol.reference-list > li", "id"),
        ["ref-smith2020", "ref-jones2021"]
    );
    // Empty cells say so to a screen reader; quoted text is unquoted.
    assert_eq!(
        texts(&doc, "table.data-table tbody tr:nth-child(3) td.empty").len(),
        4
    );
    assert!(texts(&doc, "table.data-table td").contains(&"a, quoted \"note\"".to_string()));
    assert!(texts(&doc, "table.data-table td").contains(&"steroids; etoposide".to_string()));
    assert_eq!(
        attrs(&doc, ".data-downloads a", "href"),
        ["/kb/data/cases.csv", "/kb/data/cases.json"]
    );
    assert_eq!(attrs(&doc, "script[src*=data-table]", "src").len(), 1);
}

#[test]
fn charts_are_valid_svg_with_text_alternatives_and_identical_across_builds() {
    let (_g, root) = built();
    let first = std::fs::read_to_string(root.join("public/registry/index.html")).unwrap();
    build_ok(&root);
    let second = std::fs::read_to_string(root.join("public/registry/index.html")).unwrap();
    assert_eq!(first, second);
    let svgs: Vec<&str> = first
        .match_indices("<svg xmlns")
        .map(|(at, _)| &first[at..at + first[at..].find("</svg>").unwrap() + 6])
        .collect();
    assert_eq!(svgs.len(), 2);
    for svg in &svgs {
        let xml = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("{e}: {svg}"));
        let root_el = xml.root_element();
        assert_eq!(root_el.attribute("role"), Some("img"));
        let children: Vec<&str> = root_el
            .children()
            .filter(|n| n.is_element())
            .map(|n| n.tag_name().name())
            .collect();
        assert_eq!(&children[..2], ["title", "desc"]);
    }
    // Strip: one row per drug, one dot per stated onset (c-4 has none).
    assert_eq!(svgs[0].matches("<circle").count(), 4);
    let doc = html(&root, "registry/index.html");
    let desc = texts(&doc, "figure.chart desc");
    assert!(
        desc[0].contains("alpha: n = 2, median 15 (IQR 12.5–17.5)"),
        "{desc:?}"
    );
    assert!(
        desc[0].contains("beta: n = 2, median 35 (IQR 32.5–37.5)"),
        "{desc:?}"
    );
    assert_eq!(
        desc[1],
        "Bar chart of the number of records per outcome: recovered 2, died 2, not stated 1."
    );
    // The numbers behind each chart, as a table.
    let cells = texts(&doc, "figure.chart details tbody td");
    assert_eq!(cells[..4], ["2", "15 (IQR 12.5–17.5)", "10–20", "10, 20"]);
    assert_eq!(cells[8..], ["2", "2", "1", "5"]);
}

#[test]
fn downloads_are_the_csv_as_written_and_typed_json() {
    let (_g, root) = built();
    let source = std::fs::read(root.join(CSV)).unwrap();
    assert_eq!(
        std::fs::read(root.join("public/data/cases.csv")).unwrap(),
        source
    );
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(root.join("public/data/cases.json")).unwrap())
            .unwrap();
    let records = json["records"].as_array().unwrap();
    assert_eq!(records.len(), 5);
    assert_eq!(records[0]["age"], serde_json::json!(50));
    assert!(records[0]["age"].is_i64());
    assert_eq!(records[0]["crp"], serde_json::json!(12.5));
    assert_eq!(records[0]["reported"], "2020-01-31");
    assert!(records[1]["crp"].is_null());
    assert_eq!(records[1]["note"], "a, quoted \"note\"");
    assert_eq!(records[2]["source"], "jones2021old");
    assert_eq!(json["columns"][2]["unit"], "years");
    // Listed on the references page.
    let refs = html(&root, "references/index.html");
    assert_eq!(
        attrs(&refs, ".data-exports a", "href"),
        ["/kb/data/cases.csv", "/kb/data/cases.json"]
    );
}

#[test]
fn a_site_without_data_sets_has_no_data_section() {
    let (_g, root) = copy_fixture("good");
    build_ok(&root);
    assert!(texts(&html(&root, "references/index.html"), ".data-exports").is_empty());
    assert!(!Path::new(&root.join("public/data")).exists());
}
