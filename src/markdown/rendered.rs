//! What rendering a page returns (HTML, table of contents, citations, links, calculators, data tables, diagnostics), and the page's last checks before it is returned.
//! and diagnostics.

use serde::Serialize;

use super::State;
use crate::diag::{Code, Diagnostic};

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
    /// The numbers the text states (not citation keys, markup or link targets), in
    /// order, as written: a translation must state the same ones.
    pub numbers: Vec<(String, usize)>,
    /// Problems found.
    pub diagnostics: Vec<Diagnostic>,
}

impl State<'_, '_, '_> {
    /// The result, once the HTML writer has pulled every event into `html`: the page's
    /// last checks (footnote ids that clash with headings, images without alt
    /// text, the errors over the per-page cap), then its result.
    pub(super) fn finish(mut self, html: String) -> Rendered {
        let mut clashes: Vec<(String, usize)> = self
            .footnotes
            .iter()
            .filter(|(label, _)| self.ids.contains(*label))
            .map(|(label, &offset)| (label.clone(), offset))
            .collect();
        clashes.sort_unstable_by_key(|&(_, offset)| offset);
        for (label, offset) in clashes {
            self.error(
                Code::DuplicateHeadingId,
                offset,
                format!("footnote `[^{label}]` has the same id as the heading `#{label}`"),
                Some(format!("rename the footnote, e.g. `[^{label}-note]`")),
            );
        }
        // One warning per page, however many images: it is not an error.
        if let Some((first, count)) = self.images_without_alt {
            let message = match count {
                1 => "image has no alt text".to_string(),
                n => format!("{n} images on this page have no alt text (the first is here)"),
            };
            self.diagnostics.push(
                Diagnostic::new(Code::ImageWithoutAlt, &self.page.file, message)
                    .at_offset(self.source, first)
                    .with_hint(
                        "describe the image between the brackets, `![Marrow aspirate with hemophagocytosis](fig.png)`, for readers who cannot see it",
                    ),
            );
        }
        self.diagnostics.extend(
            self.cap
                .not_shown(&self.page.file, ("errors", "errors"), "page"),
        );
        Rendered {
            html,
            toc: self.toc,
            citations: self.cited,
            links: self.links,
            calculators: self.calculators,
            data_sets: self.data_sets,
            data_tables: self.data_tables,
            numbers: self.numbers,
            diagnostics: self.diagnostics,
        }
    }
}
