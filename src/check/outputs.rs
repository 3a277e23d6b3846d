//! No two outputs may have the same path: a content file named like a generated or static
//! file (`content/sw.js`, `content/favicon.svg`, `content/search/index.html`) would
//! silently replace it, or be replaced. And every output path is a plain one that names
//! one file the preview can serve (the stages before report the source of each such path;
//! this is the net under them: such a file is never written).

use crate::diag::{Code, Diagnostic};
use crate::render::RenderedSite;

/// One error per path written twice, and per path that is not a plain output path.
/// `rendered.outputs` is ordered by path.
pub(crate) fn check(rendered: &RenderedSite) -> Vec<Diagnostic> {
    let unsafe_paths = rendered.outputs.iter().filter_map(|o| {
        let problem = crate::text::url::output_path_problem(&o.path)?;
        Some(
            Diagnostic::new(
                Code::OutputPath,
                format!("content/{}", o.path.escape_debug()),
                format!("output path `{}` {problem}", o.path.escape_debug()),
            )
            .with_hint("rename what makes it (a file, a drug or drug class name)"),
        )
    });
    let twice = rendered
        .outputs
        .windows(2)
        .filter(|pair| pair[0].path == pair[1].path)
        .map(|pair| {
            Diagnostic::new(
                Code::OutputPath,
                format!("content/{}", pair[1].path),
                format!("two outputs write `{}`", pair[1].path),
            )
            .with_hint("a content file collides with a generated file or a static file; rename it")
        });
    unsafe_paths.chain(twice).collect()
}
