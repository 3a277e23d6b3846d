//! BibTeX and RIS export of bibliography entries.
//!
//! BibTeX is re-emitted from the parsed fields (not copied from the source file), in a fixed
//! field order, with the DOI normalized and the PMID always as a `pmid` field. RIS carries
//! the PMID as `AN` (accession number, as EndNote and Zotero read it) and the DOI both as
//! `DO` and as a `UR` link; without a DOI, `UR` points at PubMed, and without either at
//! the entry's `url` (whose `urldate` is `Y2`, the access date).

use std::fmt::Write;

use super::Record;
use super::format::doi_url;

/// One BibTeX entry, ending in a newline.
pub(crate) fn bibtex(kind: &str, key: &str, fields: &[(String, String)]) -> String {
    let mut out = format!("@{kind}{{{key},\n");
    for (i, (name, value)) in fields.iter().enumerate() {
        let comma = if i + 1 < fields.len() { "," } else { "" };
        let _ = writeln!(out, "  {name} = {value}{comma}");
    }
    out.push_str("}\n");
    out
}

/// One RIS record, ending with `ER  - ` and a newline.
pub(crate) fn ris(key: &str, r: &Record, doi: Option<&str>, pmid: Option<&str>) -> String {
    let mut w = RisWriter::default();
    w.tag("TY", ris_type(&r.source_kind));
    w.tag("ID", key);
    for author in &r.authors {
        w.tag("AU", author);
    }
    w.opt("TI", r.title.as_deref());
    w.opt("T2", r.container.as_deref());
    w.opt("PY", r.year.as_deref());
    w.opt("DA", r.date.as_deref().map(ris_date).as_deref());
    w.opt("VL", r.volume.as_deref());
    w.opt("IS", r.issue.as_deref());
    if let Some(pages) = &r.pages {
        let (start, end) = split_pages(pages);
        w.tag("SP", start);
        w.opt("EP", end);
    }
    w.opt("PB", r.publisher.as_deref());
    w.opt("DO", doi);
    w.opt("AN", pmid);
    match (doi, pmid, &r.url) {
        (Some(doi), _, _) => w.tag("UR", &doi_url(doi)),
        (None, Some(pmid), _) => w.tag("UR", &format!("https://pubmed.ncbi.nlm.nih.gov/{pmid}/")),
        (None, None, Some(url)) => w.tag("UR", url),
        _ => {}
    }
    w.opt("Y2", r.urldate.as_deref().map(ris_date).as_deref());
    w.opt("N1", r.annotation.as_deref());
    w.end()
}

/// Writes `XX  - value` lines; values are flattened to one line.
#[derive(Default)]
pub(crate) struct RisWriter {
    out: String,
}

impl RisWriter {
    /// Adds a tag.
    pub(crate) fn tag(&mut self, tag: &str, value: &str) {
        let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
        let _ = writeln!(self.out, "{tag}  - {value}");
    }

    /// Adds a tag when there is a value.
    pub(crate) fn opt(&mut self, tag: &str, value: Option<&str>) {
        if let Some(v) = value.filter(|v| !v.trim().is_empty()) {
            self.tag(tag, v);
        }
    }

    /// Closes the record.
    pub(crate) fn end(mut self) -> String {
        self.out.push_str("ER  - \n");
        self.out
    }
}

fn ris_type(kind: &str) -> &'static str {
    match kind {
        "article" => "JOUR",
        "book" | "mvbook" => "BOOK",
        "inbook" | "incollection" | "bookinbook" => "CHAP",
        "inproceedings" | "conference" => "CPAPER",
        "proceedings" => "CONF",
        "phdthesis" | "mastersthesis" | "thesis" => "THES",
        "report" | "techreport" => "RPRT",
        "online" | "electronic" | "www" => "ELEC",
        "manual" => "STAND",
        "unpublished" => "UNPB",
        _ => "GEN",
    }
}

/// An ISO date (`2018-04-25`) as RIS writes dates (`2018/04/25`).
fn ris_date(iso: &str) -> String {
    iso.replace('-', "/")
}

/// Splits `2613--2620` (or `2613–2620`) into first and last page.
fn split_pages(pages: &str) -> (&str, Option<&str>) {
    let is_dash = |c: char| matches!(c, '-' | '–' | '—');
    match pages.find(is_dash) {
        Some(i) => {
            let start = pages[..i].trim();
            let end = pages[i..].trim_start_matches(is_dash).trim();
            (start, (!end.is_empty()).then_some(end))
        }
        None => (pages.trim(), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_split_on_any_dash() {
        assert_eq!(split_pages("2613--2620"), ("2613", Some("2620")));
        assert_eq!(split_pages("2613–2620"), ("2613", Some("2620")));
        assert_eq!(split_pages("e102 - e110"), ("e102", Some("e110")));
        assert_eq!(split_pages("244"), ("244", None));
        assert_eq!(split_pages("12-"), ("12", None));
    }

    #[test]
    fn bibtex_has_no_trailing_comma() {
        let fields = vec![
            ("title".to_string(), "{A}".to_string()),
            ("doi".to_string(), "{10.1000/x}".to_string()),
        ];
        assert_eq!(
            bibtex("article", "k", &fields),
            "@article{k,\n  title = {A},\n  doi = {10.1000/x}\n}\n"
        );
    }
}
