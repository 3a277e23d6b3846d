//! The default theme: templates and static files embedded in the binary. A site's own
//! `templates/` and `static/` override them file by file (the Zola/mdBook model).
//! The bundled site at the repository root *is* the default theme's source.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diag::{Code, Diagnostic};
use crate::load::{Asset, TemplateSource};

macro_rules! embed {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../templates/", $name)))),*]
    };
}

macro_rules! embed_static {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_bytes!(concat!("../../static/", $name)).as_slice())),*]
    };
}

/// Default templates, by name.
pub(crate) const TEMPLATES: &[(&str, &str)] = embed![
    "base.html",
    "page.html",
    "section.html",
    "references.html",
    "glossary.html",
    "taxonomy.html",
    "search.html",
    "404.html",
    "alias.html",
    "sitemap.xml",
    "atom.xml",
    "robots.txt",
];

/// Default static files, by path under `static/`.
pub(crate) const STATIC_FILES: &[(&str, &[u8])] = embed_static![
    "css/style.css",
    "js/site.js",
    "js/calculator.js",
    "js/data-table.js",
    "favicon.svg",
];

/// Templates: embedded defaults, each replaced by the site's file of the same name; and
/// whether every file under `templates/` could be read (each that could not is reported
/// in `diags`).
pub(crate) fn templates(root: &Path, diags: &mut Vec<Diagnostic>) -> (Vec<TemplateSource>, bool) {
    let problems_before = diags.len();
    let mut by_name: BTreeMap<String, TemplateSource> = TEMPLATES
        .iter()
        .map(|(name, text)| {
            (
                name.to_string(),
                TemplateSource {
                    name: name.to_string(),
                    file: PathBuf::from(format!("<built-in>/templates/{name}")),
                    text: text.to_string(),
                },
            )
        })
        .collect();
    for (rel, display, bytes) in site_files(root, "templates", diags) {
        match String::from_utf8(bytes) {
            Ok(text) => {
                by_name.insert(
                    rel.clone(),
                    TemplateSource {
                        name: rel,
                        file: display,
                        text,
                    },
                );
            }
            Err(_) => diags.push(
                Diagnostic::new(Code::NotUtf8, display, "template is not valid UTF-8")
                    .with_hint("save the file as UTF-8"),
            ),
        }
    }
    (
        by_name.into_values().collect(),
        diags.len() == problems_before,
    )
}

/// Static files: embedded defaults, each replaced by the site's file of the same path.
pub(crate) fn static_files(root: &Path, diags: &mut Vec<Diagnostic>) -> Vec<Asset> {
    let mut by_rel: BTreeMap<String, (Vec<u8>, Option<PathBuf>)> = STATIC_FILES
        .iter()
        .map(|(rel, bytes)| (rel.to_string(), (bytes.to_vec(), None)))
        .collect();
    for (rel, display, bytes) in site_files(root, "static", diags) {
        by_rel.insert(rel, (bytes, Some(display)));
    }
    by_rel
        .into_iter()
        .map(|(rel, (bytes, source))| Asset { rel, bytes, source })
        .collect()
}

/// Every file under `root/dir`, as (path relative to dir, display path, bytes).
fn site_files(
    root: &Path,
    dir: &str,
    diags: &mut Vec<Diagnostic>,
) -> Vec<(String, PathBuf, Vec<u8>)> {
    let base = root.join(dir);
    if !base.is_dir() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (display, rel) in crate::load::walk(root, &base, None, diags) {
        match crate::load::read_unparsed(root, &display) {
            Ok(bytes) => out.push((rel, display, bytes)),
            Err(d) => diags.push(d),
        }
    }
    out
}
