//! The BibTeX and RIS exports.

use super::*;

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
