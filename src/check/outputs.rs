//! No two outputs may have the same path: a content file named like a generated or static
//! file (`content/sw.js`, `content/favicon.svg`, `content/search/index.html`) would
//! silently replace it, or be replaced.

use crate::diag::Diagnostic;
use crate::render::RenderedSite;

/// One error per path written twice. `rendered.outputs` is ordered by path.
pub fn check(rendered: &RenderedSite) -> Vec<Diagnostic> {
    rendered
        .outputs
        .windows(2)
        .filter(|pair| pair[0].path == pair[1].path)
        .map(|pair| {
            Diagnostic::error(
                format!("content/{}", pair[1].path),
                format!("two outputs write `{}`", pair[1].path),
            )
            .with_hint("a content file collides with a generated file or a static file; rename it")
        })
        .collect()
}
