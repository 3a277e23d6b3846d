//! Citations: the BibTeX bibliography, Pandoc-style citation labels, AMA formatting and
//! BibTeX/RIS export.
//!
//! - `bib`: loading and validating `content/references.bib` (every entry needs a DOI or a
//!   PMID);
//! - `label`: `[@a; @b, p. 5]` citation labels;
//! - [`format`]: AMA formatting through hayagriva, written as clean HTML;
//! - `export`: BibTeX and RIS;
//! - `page`: "cite this page".
//!
//! Everything here is deterministic: the same input gives byte-identical output.

mod bib;
mod export;
mod format;
mod label;
mod page;

use std::collections::BTreeMap;
use std::path::Path;

use crate::diag::{Code, Diagnostic};
use crate::text::suggest::closest;

pub use label::{key_inside, parse_citation_label};
pub use page::cite_page;

/// One bibliography entry, ready to render.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Citation key, e.g. `fardet2014`.
    pub key: String,
    /// Where the entry starts (its `@`) in the .bib file.
    pub span: crate::diag::Span,
    /// DOI without the `https://doi.org/` prefix.
    pub doi: Option<String>,
    /// PubMed identifier.
    pub pmid: Option<String>,
    /// The reference formatted in AMA style, as HTML (no list number).
    pub html: String,
    /// The reference in each further style the site's languages use, by style name.
    pub styled: BTreeMap<String, String>,
    /// Other keys that cite this entry (biblatex `ids`): old keys, kept so that old
    /// citations and links (`#ref-<alias>`) keep working.
    pub aliases: Vec<String>,
    /// What the source adds, in a line or two (`annote` or biblatex `annotation`), as
    /// plain text: the annotated bibliography.
    pub annotation: Option<String>,
    /// A placeholder to be replaced (`example = {true}`, as in the site `hpskb init`
    /// writes): every citation of it is a warning.
    pub example: bool,
    /// What the exports need.
    record: Record,
}

impl Entry {
    /// The reference as HTML in `style` (a language's `citation_style`; `None`: AMA).
    pub fn html_in(&self, style: Option<&str>) -> &str {
        style.and_then(|s| self.styled.get(s)).unwrap_or(&self.html)
    }

    /// `https://doi.org/<doi>`, percent-encoded where a URL requires it (DOIs may contain
    /// `#`, `?` or `<`), ready for an `href`.
    pub fn doi_url(&self) -> Option<String> {
        self.doi.as_deref().map(format::doi_url)
    }

    /// The warning for a citation of this entry when it is an example (`example = {true}`),
    /// wherever it is cited: in a page, or in a calculator's `references`.
    pub fn example_warning(&self, file: &Path) -> Diagnostic {
        Diagnostic::new(
            Code::ExampleReference,
            file,
            format!("`@{}` is an example reference, not a source", self.key),
        )
        .with_hint(format!(
            "cite a real source instead, and delete the example entry `{}` (marked `example = {{true}}`) from content/references.bib",
            self.key
        ))
    }

    /// `https://pubmed.ncbi.nlm.nih.gov/<pmid>/`.
    pub fn pubmed_url(&self) -> Option<String> {
        self.pmid
            .as_deref()
            .map(|p| format!("https://pubmed.ncbi.nlm.nih.gov/{p}/"))
    }
}

/// The parsed fields of an entry, for export.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Record {
    /// BibTeX entry type, lowercase (`article`; biblatex's `online` is `misc`).
    kind: String,
    /// The entry type as written, lowercase (`online`), for the RIS type.
    source_kind: String,
    /// Normalized fields in export order: name and BibTeX value (with its braces).
    fields: Vec<(String, String)>,
    /// Authors as `Family, Given`, without "others".
    authors: Vec<String>,
    title: Option<String>,
    /// Journal or book title.
    container: Option<String>,
    year: Option<String>,
    volume: Option<String>,
    issue: Option<String>,
    pages: Option<String>,
    publisher: Option<String>,
    url: Option<String>,
    /// `date` as written (ISO: `2018-04-25`).
    date: Option<String>,
    /// `urldate`: when the URL was read (ISO).
    urldate: Option<String>,
    /// `annote` (or `annotation`).
    annotation: Option<String>,
}

/// One cited work inside a citation label, with its optional locator (`p. 2615`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CiteItem {
    /// Citation key.
    pub key: String,
    /// Locator such as `p. 2615`.
    pub locator: Option<String>,
}

/// All references of a site, keyed by citation key.
#[derive(Debug, Clone, Default)]
pub struct Bibliography {
    entries: BTreeMap<String, Entry>,
    /// Alias (`ids`) → the key of its entry.
    aliases: BTreeMap<String, String>,
}

impl Bibliography {
    /// Parses a BibTeX file. Problems (syntax, duplicate keys, entries without DOI/PMID,
    /// malformed identifiers) come back as diagnostics located in `file`. Entries that can
    /// be formatted are kept even when they have a problem, so that one bad entry does not
    /// turn every citation of it into a second error.
    pub fn parse(file: &Path, text: &str) -> (Self, Vec<Diagnostic>) {
        Self::parse_with_styles(file, text, &[])
    }

    /// Like [`Bibliography::parse`], each entry also formatted in each of `styles` (names
    /// of CSL styles hayagriva ships, as a language's `citation_style` gives them).
    pub fn parse_with_styles(file: &Path, text: &str, styles: &[&str]) -> (Self, Vec<Diagnostic>) {
        let (entries, diags) = bib::load(file, text, styles);
        let aliases = entries
            .values()
            .flat_map(|e| e.aliases.iter().map(|a| (a.clone(), e.key.clone())))
            .collect();
        (Self { entries, aliases }, diags)
    }

    /// The entry for `key`, or for the alias `key` (see [`Entry::aliases`]).
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.entries
            .get(key)
            .or_else(|| self.entries.get(self.aliases.get(key)?))
    }

    /// Every entry, ordered by key.
    pub fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.entries.values()
    }

    /// The known key closest to `key`, for "did you mean" hints: the smallest edit distance
    /// (case-insensitive, transpositions count once), at most a third of the key's length
    /// (and at least 2). Ties go to the alphabetically first key.
    pub fn closest_key(&self, key: &str) -> Option<&str> {
        closest(key, self.entries.keys().map(String::as_str))
    }

    /// The entry exported as BibTeX (re-emitted from the parsed fields).
    pub fn bibtex(&self, key: &str) -> Option<String> {
        let e = self.entries.get(key)?;
        Some(export::bibtex(&e.record.kind, &e.key, &e.record.fields))
    }

    /// The entry exported as RIS (PMID as `AN`, DOI as `DO` and `UR`).
    pub fn ris(&self, key: &str) -> Option<String> {
        let e = self.entries.get(key)?;
        Some(export::ris(
            &e.key,
            &e.record,
            e.doi.as_deref(),
            e.pmid.as_deref(),
        ))
    }
}

/// What a "cite this page" block needs to know about a page.
#[derive(Debug, Clone)]
pub struct PageInfo<'a> {
    /// Page title.
    pub title: &'a str,
    /// Site title (the "publisher" / container).
    pub site_title: &'a str,
    /// The site's authors, each `"Family, Given"` (`config.toml` `authors`); empty: the
    /// site is the author.
    pub authors: &'a [String],
    /// Canonical absolute URL.
    pub url: &'a str,
    /// Last review date, `YYYY-MM-DD`.
    pub last_reviewed: Option<&'a str>,
}

/// A page citation in three forms.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PageCitation {
    /// AMA-style text (HTML).
    pub ama: String,
    /// BibTeX entry.
    pub bibtex: String,
    /// RIS record.
    pub ris: String,
}

#[cfg(test)]
mod tests;
