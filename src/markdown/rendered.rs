//! What rendering a page's Markdown gives: its HTML, table of contents, citations, links
//! and diagnostics.

use serde::Serialize;

use crate::diag::Diagnostic;

/// A heading in the page's table of contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TocEntry {
    /// 1–6.
    pub level: u8,
    /// The heading's id (fragment).
    pub id: String,
    /// The heading's plain text.
    pub title: String,
    /// Byte offset of the heading in the page's file (for diagnostics).
    #[serde(skip)]
    pub offset: usize,
}

/// A reference cited on a page, in citation order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CitedRef {
    /// Citation key.
    pub key: String,
    /// 1-based number on this page.
    pub number: usize,
    /// Ids of every place on the page that cites it (`cite-3`).
    pub backlinks: Vec<String>,
    /// Ids of the headings under which it is cited (deduplicated, in order).
    pub sections: Vec<String>,
}

/// A link written in Markdown, as emitted, with where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceLink {
    /// The `href` as it appears in the output.
    pub href: String,
    /// Byte offset in the page file (0 for links the renderer generated itself).
    pub offset: usize,
    /// Already reported as broken while rendering; the link checker skips it.
    pub reported: bool,
}

/// A footnote definition (`[^label]: …`); its label is its id in the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Footnote {
    /// The label, without `[^` and `]`.
    pub label: String,
    /// Byte offset of the definition in the page's file.
    pub offset: usize,
}

/// The result of rendering one page's Markdown.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// Body HTML.
    pub html: String,
    /// Headings in document order.
    pub toc: Vec<TocEntry>,
    /// References cited, in order of first citation.
    pub citations: Vec<CitedRef>,
    /// Internal links, for checking after the whole site is rendered.
    pub links: Vec<SourceLink>,
    /// Ids of the calculators embedded on the page.
    pub calculators: Vec<String>,
    /// Names of the data sets the page shows (tables, charts, aggregates).
    pub data_sets: Vec<String>,
    /// Whether the page has a data table (it loads `js/data-table.js`).
    pub data_tables: bool,
    /// Problems found.
    pub diagnostics: Vec<Diagnostic>,
}
