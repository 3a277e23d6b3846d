//! hpskb: a static knowledge-base generator for treatment-related hemophagocytic syndrome.
//!
//! The pipeline runs in one direction, one stage per module:
//! [`load`] → [`resolve`] → [`render`] (with [`markdown`]) → [`check`] → [`emit`].
//! Every stage returns data plus [`diag::Diagnostic`]s; nothing is printed below [`cli`].

pub mod calc;
pub mod check;
pub mod cite;
pub mod cli;
pub mod config;
pub mod diag;
pub mod emit;
pub mod load;
pub mod markdown;
pub mod render;
pub mod resolve;
pub mod score;
pub mod search;
pub mod serve;
pub mod theme;

use std::path::{Path, PathBuf};

use diag::Diagnostic;
use load::{LoadOptions, Site};
use render::RenderedSite;

/// A site built in memory: the loaded input and every output file, checked.
pub struct Built {
    /// The loaded site.
    pub site: Site,
    /// Every output file.
    pub rendered: RenderedSite,
}

/// What to build.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Site root.
    pub root: PathBuf,
    /// Output directory (default `<root>/public`).
    pub output: Option<PathBuf>,
    /// Overrides `base_url`.
    pub base_url: Option<String>,
    /// Build the search index when the site's config asks for it (`--no-search` clears it).
    pub search: bool,
}

impl Default for BuildOptions {
    fn default() -> Self {
        Self {
            root: PathBuf::from("."),
            output: None,
            base_url: None,
            search: true,
        }
    }
}

impl BuildOptions {
    /// The output directory.
    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }
}

/// Runs every stage up to and including the checks, in memory. `Err` holds all
/// diagnostics when any is an error; `Ok` carries the warnings.
pub fn compile(options: &BuildOptions) -> Result<(Built, Vec<Diagnostic>), Vec<Diagnostic>> {
    let load_options = LoadOptions {
        base_url: options.base_url.clone(),
        skip_dir: Some(options.output_dir()),
    };
    let (site, mut diags) = load::load(&options.root, &load_options);
    let mut site = match site {
        Some(s) if !has_errors(&diags) => s,
        _ => return Err(finish(diags)),
    };
    site.config.search &= options.search;
    let (resolved, d) = resolve::resolve(&site);
    diags.extend(d);
    if has_errors(&diags) {
        return Err(finish(diags));
    }
    let (rendered, d) = render::render(&site, &resolved);
    diags.extend(d);
    let Some(mut rendered) = rendered else {
        return Err(finish(diags));
    };
    if site.config.search && !has_errors(&diags) {
        match search::index(&site, &rendered) {
            Ok(files) => {
                rendered.files.extend(files);
                rendered.files.sort_by(|a, b| a.path.cmp(&b.path));
            }
            Err(d) => diags.push(d),
        }
    }
    // Checks run even after rendering errors, so that every problem is reported at once.
    diags.extend(check::shape::check(&site, &rendered.pages));
    diags.extend(check::links::check(&site, &rendered));
    if has_errors(&diags) {
        return Err(finish(diags));
    }
    Ok((Built { site, rendered }, finish(diags)))
}

/// Compiles the site and writes it to the output directory atomically.
pub fn build(options: &BuildOptions) -> Result<(Built, Vec<Diagnostic>), Vec<Diagnostic>> {
    let (built, warnings) = compile(options)?;
    let output = options.output_dir();
    emit::emit(&built.rendered.files, &output).map_err(|e| {
        vec![
            Diagnostic::error(&output, format!("cannot write the site: {e}"))
                .with_hint("check that the output directory is writable"),
        ]
    })?;
    Ok((built, warnings))
}

fn has_errors(diags: &[Diagnostic]) -> bool {
    diags.iter().any(Diagnostic::is_error)
}

fn finish(mut diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diag::sort(&mut diags);
    diags.dedup();
    diags
}

/// Canonical form of a root path for display (`.` stays `.`).
pub fn display_root(root: &Path) -> String {
    root.display().to_string()
}
