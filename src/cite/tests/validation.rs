//! Validation: identifiers, duplicates, syntax errors, uncitable keys, hostile input.

use super::*;

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
            "content/references.bib:9:1: error: duplicate citation key `good2020` (1:10: first defined here) (hint: give \
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
        errs[0].contains(":3:3: error: reference `a`: field `title` is given twice (2:3: ")
            && errs[0].contains(") (hint"),
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
