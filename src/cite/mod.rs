//! Citations: the BibTeX bibliography, Pandoc-style citation labels, AMA formatting and
//! BibTeX/RIS export. (Interface stub; the full implementation replaces this file.)

use std::collections::BTreeMap;
use std::path::Path;

use crate::diag::Diagnostic;

/// One bibliography entry, ready to render.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Citation key, e.g. `fardet2014`.
    pub key: String,
    /// 1-based line of the entry in the .bib file.
    pub line: usize,
    /// DOI without the `https://doi.org/` prefix.
    pub doi: Option<String>,
    /// PubMed identifier.
    pub pmid: Option<String>,
    /// The reference formatted in AMA style, as HTML (no list number).
    pub html: String,
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
}

impl Bibliography {
    /// Parses a BibTeX file. Problems (syntax, entries without DOI/PMID) come back as diagnostics.
    pub fn parse(_file: &Path, _text: &str) -> (Self, Vec<Diagnostic>) {
        (Self::default(), Vec::new())
    }

    /// The entry for `key`.
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.entries.get(key)
    }

    /// Every entry, ordered by key.
    pub fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.entries.values()
    }

    /// The known key closest to `key`, for "did you mean" hints.
    pub fn closest_key(&self, _key: &str) -> Option<&str> {
        None
    }

    /// The entry exported as BibTeX.
    pub fn bibtex(&self, _key: &str) -> Option<String> {
        None
    }

    /// The entry exported as RIS.
    pub fn ris(&self, _key: &str) -> Option<String> {
        None
    }
}

/// Parses the text inside a citation's brackets (`@a; @b, p. 5`). `None` when it is not a citation.
pub fn parse_citation_label(label: &str) -> Option<Vec<CiteItem>> {
    let label = label.trim();
    label.strip_prefix('@').map(|k| {
        vec![CiteItem {
            key: k.to_string(),
            locator: None,
        }]
    })
}

/// What a "cite this page" block needs to know about a page.
#[derive(Debug, Clone)]
pub struct PageInfo<'a> {
    /// Page title.
    pub title: &'a str,
    /// Site title (the "publisher" / container).
    pub site_title: &'a str,
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

/// Formats a "cite this page" block.
pub fn cite_page(info: &PageInfo<'_>) -> PageCitation {
    PageCitation {
        ama: info.title.to_string(),
        bibtex: String::new(),
        ris: String::new(),
    }
}
