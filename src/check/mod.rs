//! Stage 4, check: verify the rendered site before anything is written — every internal
//! link and fragment resolves ([`links`]), no id is used twice in a file ([`ids`]),
//! content keeps its required shape ([`shape`]) and no two outputs share a path
//! ([`outputs`]).

pub(crate) mod ids;
pub(crate) mod links;
pub(crate) mod outputs;
pub(crate) mod shape;
mod translations;
mod written;

use std::path::PathBuf;

use crate::render::{Origin, OutputEntry};

/// The file that made an output, for problems found in it: its template
/// (`templates/page.html`), the copied file, or for a generated file the output itself.
fn made_by(out: &OutputEntry) -> PathBuf {
    if let Some(template) = out.origin.template() {
        return PathBuf::from(format!("templates/{template}"));
    }
    match &out.origin {
        Origin::Copied { source } => source.clone(),
        _ => PathBuf::from(&out.path),
    }
}

/// Names the output files a template's (or a copied file's) problem shows up in:
/// `` `a/index.html` `` or `` 3 files, e.g. `a/index.html` ``.
fn in_files(example: &str, count: usize) -> String {
    if count == 1 {
        format!("`{example}`")
    } else {
        format!("{count} files, e.g. `{example}`")
    }
}
