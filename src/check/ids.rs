//! No id may be used twice in one HTML file: a link to it would reach only the first
//! element, and the page would not be valid HTML. A page heading that takes an id its
//! template also uses (a `## References` heading and the reference list, say) is
//! reported at the heading, an id written twice in a page's HTML at the id; other
//! duplicates once for all the files they show up in, at the line of the template (or a
//! template it extends or includes) that writes the id again, or else at the template
//! (or copied file) that made the files.

use super::written::{self, TemplateProblems};
use crate::diag::Diagnostic;
use crate::load::Site;
use crate::render::{Origin, OutputEntry, RenderedSite};

/// Checks every HTML output for ids used more than once.
pub fn check(site: &Site, rendered: &RenderedSite) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let mut in_templates = TemplateProblems::default();
    for out in &rendered.outputs {
        let Some(anchors) = &out.anchors else {
            continue;
        };
        for id in anchors.duplicate_ids() {
            if written_twice_in_markdown(rendered, out, id) {
                continue;
            }
            match in_page(site, rendered, out, id) {
                Some(d) => diags.push(d),
                None => in_templates.add(out, id, id.to_string()),
            }
        }
    }
    diags.extend(in_templates.report(
        site,
        |site, template, id| {
            // Two places in the templates: the second is the repeat; one: the template
            // writes it and something else (a dynamic id) does too.
            let mut written = written::attribute(site, template, "id", id).into_iter();
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

/// Whether the page's Markdown itself gave two elements this id (two headings, two
/// footnotes, or one of each): the Markdown stage reported it at the second.
fn written_twice_in_markdown(rendered: &RenderedSite, out: &OutputEntry, id: &str) -> bool {
    let Origin::Page { index, .. } = &out.origin else {
        return false;
    };
    let page = &rendered.pages[*index];
    let headings = page.toc.iter().filter(|t| t.id == id).count();
    let footnotes = page.footnotes.iter().filter(|f| f.label == id).count();
    headings + footnotes > 1
}

/// The error in a page's source when the duplicate is one of its headings' or footnotes'
/// ids or an id written in its HTML; `None` when only its template can have made it.
fn in_page(
    site: &Site,
    rendered: &RenderedSite,
    out: &OutputEntry,
    id: &str,
) -> Option<Diagnostic> {
    let Origin::Page { index, template } = &out.origin else {
        return None;
    };
    let page = &site.pages[*index];
    let source = page.read_source(&site.root).ok()?;
    let body = source.get(page.body_offset()..)?;
    let rendered = &rendered.pages[*index];
    let heading = rendered.toc.iter().find(|t| t.id == id);
    let footnote = rendered.footnotes.iter().find(|f| f.label == id);
    let (offset, d) = match (heading, footnote) {
        (Some(heading), _) => (
            heading.offset,
            Diagnostic::error(
                &page.file,
                format!("heading id `{id}` is also used by another element of the page (in its template `{template}`, or in HTML on the page)"),
            )
            .with_hint(format!(
                "give the heading another id, e.g. `## {} {{#{id}-section}}`",
                heading.title
            )),
        ),
        (None, Some(footnote)) => (
            footnote.offset,
            Diagnostic::error(
                &page.file,
                format!("footnote `[^{id}]` has the id `{id}`, which another element of the page also has (in its template `{template}`, or in HTML on the page)"),
            )
            .with_hint(format!("rename the footnote, e.g. `[^{id}-note]`")),
        ),
        (None, None) => {
            // The second place the page writes it, or the only one (the template has
            // the other).
            let written = ["\"", "'"].iter().find_map(|q| {
                let attr = format!("id={q}{id}{q}");
                let first = body.find(&attr)?;
                let again = body[first + 1..].find(&attr).map(|o| first + 1 + o);
                Some(again.unwrap_or(first))
            })?;
            (
                page.body_offset() + written,
                Diagnostic::error(&page.file, format!("id `{id}` is used twice on the page"))
                    .with_hint("give each element its own id"),
            )
        }
    };
    Some(d.at_offset(&source, offset))
}
