//! No id may be used twice in one HTML file: a link to it would reach only the first
//! element, and the page would not be valid HTML. A page heading that takes an id its
//! template also uses (a `## References` heading and the reference list, say) is
//! reported at the heading, an id written twice in a page's HTML (or in an HTML file
//! copied unchanged) at its second place; other duplicates once for all the files they
//! show up in, at the line of the template (or a template it extends or includes) that
//! writes the id again, or else at the template that made the files.

use std::path::Path;

use super::written::{self, TemplateProblems};
use crate::diag::Diagnostic;
use crate::diag::{Cap, Code};
use crate::load::{Page, Site, read_text};
use crate::markdown::{self, CitedRef, Footnote, TocEntry};
use crate::render::{Origin, OutputEntry, RenderedSite};

/// How the ids past the per-page cap are named (message, hint).
const TWICE: (&str, &str) = ("ids used twice", "ids");

/// Checks every HTML output for ids used more than once.
pub(crate) fn check(site: &Site, rendered: &RenderedSite) -> Vec<Diagnostic> {
    check_in(site, rendered, |_| true)
}

/// Checks the HTML outputs `which` admits for ids used more than once.
pub(crate) fn check_in(
    site: &Site,
    rendered: &RenderedSite,
    which: impl Fn(&OutputEntry) -> bool,
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let mut in_templates = TemplateProblems::default();
    for out in rendered.outputs.iter().filter(|o| which(o)) {
        let Some(anchors) = &out.anchors else {
            continue;
        };
        let mut duplicates = anchors.duplicate_ids().peekable();
        if duplicates.peek().is_none() {
            continue;
        }
        let page = match &out.origin {
            Origin::Page { index, template } => PageSource::read(site, rendered, *index, template),
            Origin::Copied { source } => {
                diags.extend(in_copied_file(site, source, duplicates.collect()));
                continue;
            }
            _ => None,
        };
        let Some(page) = page else {
            duplicates.for_each(|id| in_templates.add(out, id, id.to_string()));
            continue;
        };
        // Locating scans the page: cap it, as the renderer does, to stay linear.
        let mut cap = Cap::default();
        for id in duplicates {
            if !cap.admit() {
                continue;
            }
            match page.locate(id) {
                InPage::Reported => {}
                InPage::At(d) => diags.push(d),
                InPage::No => in_templates.add(out, id, id.to_string()),
            }
        }
        diags.extend(cap.not_shown(&page.page.file, TWICE, "page"));
    }
    diags.extend(in_templates.report(
        Code::DuplicateId,
        site,
        |site, template, id| {
            // Two places in the templates: the second is the repeat; one: the template
            // writes it and something else (a dynamic id) does too.
            let mut written = written::attribute(&site.templates, template, "id", id).into_iter();
            let first = written.next()?;
            Some(match written.next() {
                Some(second) => (second, Some(first.place())),
                None => (first, None),
            })
        },
        |id, files| format!("id `{id}` is used twice in {files}"),
        "give each element its own id",
    ));
    diags
}

/// The errors for ids used twice in an HTML file the site copies unchanged, each at the
/// second place the file writes it (at most [`crate::diag::MAX_ERRORS_PER_PAGE`], then a count).
fn in_copied_file(site: &Site, source: &Path, ids: Vec<&str>) -> Vec<Diagnostic> {
    let text = read_text(&site.root, source).ok();
    let mut cap = Cap::default();
    let mut diags: Vec<Diagnostic> = ids
        .iter()
        .filter(|_| cap.admit())
        .map(|id| {
            let d = Diagnostic::new(
                Code::DuplicateId,
                source,
                format!("id `{id}` is used twice in this file"),
            )
            .with_hint("give each element its own id (the file is copied unchanged)");
            let second = |t: &str| written::attribute_offsets(t, "id", id).get(1).copied();
            match text.as_deref().and_then(|t| Some((t, second(t)?))) {
                Some((text, at)) => d.at_offset(text, at),
                None => d,
            }
        })
        .collect();
    diags.extend(cap.not_shown(source, TWICE, "file"));
    diags
}

/// A page's source and what its Markdown gave ids to, read once for all of the page's
/// duplicate ids (an error path only).
struct PageSource<'a> {
    page: &'a Page,
    template: &'a str,
    source: String,
    toc: &'a [TocEntry],
    citations: &'a [CitedRef],
    footnotes: Vec<Footnote>,
}

/// Where a page's duplicate id comes from.
enum InPage {
    /// Its Markdown gave two elements the id (two headings, two footnotes, or one of
    /// each): the Markdown stage reported it at the second.
    Reported,
    /// From the page: one of its headings or footnotes, or an id in its HTML.
    At(Diagnostic),
    /// Only its template can have made it.
    No,
}

impl<'a> PageSource<'a> {
    fn read(
        site: &'a Site,
        rendered: &'a RenderedSite,
        index: usize,
        template: &'a str,
    ) -> Option<Self> {
        let page = &site.pages[index];
        let source = page.read_source(&site.root).ok()?;
        let footnotes = markdown::footnotes(page, &source);
        Some(PageSource {
            page,
            template,
            source,
            toc: &rendered.pages[index].toc,
            citations: &rendered.pages[index].citations,
            footnotes,
        })
    }

    /// What else on the page has `id`, with where to look: a citation marker or a
    /// reference list entry (which the renderer and template make for citations), or
    /// else something in the template or the page's HTML.
    fn other_element(&self, id: &str) -> (String, String) {
        if self
            .citations
            .iter()
            .any(|c| c.backlinks.iter().any(|b| b == id))
        {
            let place = " (citations are numbered `cite-1`, `cite-2`, …)";
            return ("a citation marker on the page".into(), place.into());
        }
        if let Some(c) = self
            .citations
            .iter()
            .find(|c| id.strip_prefix("ref-") == Some(&c.key))
        {
            return (
                format!("the page's reference list entry for `{}`", c.key),
                String::new(),
            );
        }
        let place = format!(
            " (in its template `{}`, or in HTML on the page)",
            self.template
        );
        ("another element of the page".into(), place)
    }

    fn locate(&self, id: &str) -> InPage {
        let page = self.page;
        let headings: Vec<&TocEntry> = self.toc.iter().filter(|t| t.id == id).collect();
        let footnotes: Vec<&Footnote> = self.footnotes.iter().filter(|f| f.label == id).collect();
        let (offset, d) = match (headings.as_slice(), footnotes.as_slice()) {
            (h, f) if h.len() + f.len() > 1 => return InPage::Reported,
            ([heading], _) => (
                heading.offset,
                Diagnostic::new(Code::DuplicateHeadingId, &page.file, {
                    let (who, place) = self.other_element(id);
                    format!("heading id `{id}` is also used by {who}{place}")
                })
                .with_hint(format!(
                    "give the heading another id, e.g. `## {} {{#{id}-section}}`",
                    heading.title
                )),
            ),
            (_, [footnote]) => (
                footnote.offset,
                Diagnostic::new(Code::DuplicateHeadingId, &page.file, {
                    let (who, place) = self.other_element(id);
                    format!("footnote `[^{id}]` has the id `{id}`, which {who} also has{place}")
                })
                .with_hint(format!("rename the footnote, e.g. `[^{id}-note]`")),
            ),
            _ => {
                // The second place the page writes it, or the only one (the template has
                // the other).
                let body = &self.source[page.body_offset()..];
                let written = written::attribute_offsets(body, "id", id);
                let Some(&written) = written.get(1).or(written.first()) else {
                    return InPage::No;
                };
                (
                    // At the attribute (`id="`), before its value.
                    page.body_offset() + written - "id=\"".len(),
                    Diagnostic::new(
                        Code::DuplicateId,
                        &page.file,
                        format!("id `{id}` is used twice on the page"),
                    )
                    .with_hint("give each element its own id"),
                )
            }
        };
        InPage::At(d.at_offset(&self.source, offset))
    }
}
