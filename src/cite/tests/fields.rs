//! Dates, URLs, annotations and `ids` aliases.

use super::*;

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
