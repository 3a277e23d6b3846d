//! The failure policy: what still runs after which errors, so that every problem is
//! reported once and no consequence of one is reported as a problem of its own.
//!
//! - **Load errors** ([`crate::load::load`]): nothing is rendered. When every error is a page's
//!   own (the page is left out, [`Site::unloaded_pages`]), the rest of the site is
//!   resolved so its Markdown is still checked ([`resolve_the_rest`]); links to the pages
//!   left out are not reported again (`resolve` records them).
//! - **Resolve errors**: nothing is rendered; the templates and the pages' Markdown are
//!   still checked ([`stop_early`]).
//! - **Templates that do not compile**: nothing is rendered; the pages' Markdown is still
//!   checked ([`without_templates`]). A template that could not be read is not compiled
//!   at all ([`Site::all_templates_read`]): every template naming it would be reported too.
//! - **Rendering errors**: the search index is not built (it would index broken pages),
//!   and a page whose Markdown has an error is not handed to the sink (not written, not
//!   parsed for the index; its ids and links are still recorded); the offline files and
//!   every check of the output still run, so all problems are reported at once. Problems the Markdown renderer reported are not reported again by
//!   the link checker.
//! - **Many errors on one page or file**: at most [`crate::diag::MAX_ERRORS_PER_PAGE`]
//!   are located, the rest counted in one diagnostic ([`crate::diag::Cap`]).
//! - **A failed write**: one error, not one per file ([`crate::emit::Staging::failure`]).
//! - **At the end**: every diagnostic is sorted and each problem kept once ([`finish`]).
//!
//! Any error leaves the previously built site untouched.

use crate::diag::Diagnostic;
use crate::load::Site;
use crate::render;
use crate::resolve::{self, Resolved};

pub(crate) fn has_errors(diags: &[Diagnostic]) -> bool {
    diags.iter().any(Diagnostic::is_error)
}

/// After load errors: when every one of them is a page's own (the page is left out of
/// `site`), the rest of the site, resolved, so that its Markdown can still be checked;
/// links to the pages left out are not reported again.
pub(crate) fn resolve_the_rest(site: &Site, diags: &mut Vec<Diagnostic>) -> Option<Resolved> {
    let only_pages_failed = diags
        .iter()
        .filter(|d| d.is_error())
        .all(|d| site.unloaded_pages.iter().any(|p| p.file == d.file));
    only_pages_failed.then(|| {
        let (resolved, d) = resolve::resolve(site);
        diags.extend(d);
        resolved
    })
}

/// Ends a run whose load or resolve stage found errors, so that nothing is rendered:
/// later stages would report consequences (a page missing from the menus, a data file's
/// entries unknown) as problems of their own. What cannot be such a consequence is still
/// checked: the templates — unless a template could not be read, for it is then missing
/// and every template naming it would be reported too — and, when the site could be
/// resolved (`resolved`: every load error is a page's own), the pages' Markdown.
pub(crate) fn stop_early(
    site: &Site,
    resolved: Option<&Resolved>,
    mut diags: Vec<Diagnostic>,
) -> Vec<Diagnostic> {
    if site.all_templates_read
        && let Err(d) = render::Templates::compile(&site.templates)
    {
        diags.extend(d);
    }
    if let Some(resolved) = resolved {
        diags.extend(render::markdown_problems(site, resolved));
    }
    finish(diags)
}

/// After templates that do not compile (`diags`): nothing can be rendered, but the
/// pages' Markdown problems do not depend on the templates and are reported in the same run.
pub(crate) fn without_templates(
    site: &Site,
    resolved: &Resolved,
    mut diags: Vec<Diagnostic>,
) -> Vec<Diagnostic> {
    diags.extend(render::markdown_problems(site, resolved));
    diags
}

/// The run's diagnostics in their final order, each problem once ([`crate::diag::sort_unique`]).
pub(crate) fn finish(mut diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    crate::diag::sort_unique(&mut diags);
    diags
}
