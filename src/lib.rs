//! hpskb: a static knowledge-base generator for treatment-related hemophagocytic syndrome.
//!
//! The pipeline runs in one direction, one stage per module:
//! [`load`] → [`resolve`] → [`render`] (with [`markdown`]) → check → emit. The checks
//! and the publishing of a build are run by [`compile`], [`check()`] and [`build`]
//! (search indexing likewise): they are not API of their own. Every stage returns data
//! plus [`diag::Diagnostic`]s; nothing here prints: the binary's command layer (`build`,
//! `check`, `score`, `serve`, in `src/cmd/`) renders them.
//!
//! # Layers
//!
//! A module uses only modules of earlier layers (`tests/it/layers.rs` enforces it), so there
//! is no import cycle between top-level modules. Bottom first:
//!
//! 1. leaf helpers: [`text`] (HTML and JSON-in-script escaping, URLs and output paths,
//!    slugs, dates, "did you mean")
//! 2. diagnostics: [`diag`]
//! 3. configuration: [`config`]
//! 4. citations and calculators: [`cite`], [`calc`]
//! 5. data sets (checked against the bibliography): [`data`]
//! 6. reading the site: [`load`] (the embedded default theme included)
//! 7. URLs and structure: [`resolve`]
//! 8. Markdown: [`markdown`]
//! 9. templates and pages: [`render`]
//! 10. search index and offline files: `search`, [`offline`]
//! 11. checks of the output: `check`
//! 12. writing the output: `emit`
//! 13. the failure policy: `src/failure.rs` (what still runs after which errors)
//! 14. the pipeline: this file ([`compile`], [`check()`], [`build`])
//! 15. the preview's builds, in memory and in part: [`preview`]
//! 16. commands: `src/cmd/` (`build`, `check`, `score`, `serve`) and `main.rs`, in the binary

// The public surface is what a user of the library needs: a `pub` item no user can reach
// is reported, so that `dead_code` sees it when nothing else uses it.
#![warn(unreachable_pub)]

pub mod calc;
mod check;
pub mod cite;
pub mod config;
pub mod data;
pub mod diag;
mod emit;
mod failure;
pub mod load;
pub mod markdown;
pub mod offline;
pub mod preview;
pub mod render;
pub mod resolve;
mod search;
pub mod text;

/// What a failed build's report needs: whether the previous output was moved aside, and
/// where a symbolically linked output directory leads.
pub use emit::{moved_aside, resolve_output};

use std::path::PathBuf;
use std::time::{Duration, Instant};

use diag::Diagnostic;
use failure::{finish, has_errors, resolve_the_rest, stop_early};
use load::{LoadOptions, Site};
use render::{Memory, OutputFile, RenderedSite, Renderer, Sink};

/// A site built and checked.
pub struct Built {
    /// The loaded site.
    pub site: Site,
    /// What was rendered: every output's path and anchors, and each page's Markdown result.
    pub rendered: RenderedSite,
    /// Every output file, ordered by path, when compiled in memory ([`compile`]); empty
    /// after [`build`], which writes files as they are rendered, and after [`check()`].
    pub files: Vec<OutputFile>,
    /// How long each stage took.
    pub timings: Timings,
}

/// Wall-clock time of each pipeline stage, in order (`hpskb build --timings`).
#[derive(Debug, Clone, Default)]
pub struct Timings(pub Vec<(&'static str, Duration)>);

impl Timings {
    /// Records that `stage` ran from `since` until now, and returns now.
    fn lap(&mut self, stage: &'static str, since: Instant) -> Instant {
        let now = Instant::now();
        self.0.push((stage, now - since));
        now
    }
}

impl Built {
    /// The output file at `path` (relative to the output root), when compiled in memory.
    pub fn file(&self, path: &str) -> Option<&OutputFile> {
        let i = self
            .files
            .binary_search_by(|f| f.path.as_str().cmp(path))
            .ok()?;
        Some(&self.files[i])
    }
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
    /// Emit the offline service worker and manifest when the site's config asks for them
    /// (the preview server clears it: a worker would keep serving saved pages while the
    /// author edits).
    pub offline: bool,
}

impl Default for BuildOptions {
    fn default() -> Self {
        Self {
            root: PathBuf::from("."),
            output: None,
            base_url: None,
            search: true,
            offline: true,
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
    let memory = Memory::default();
    let (run, warnings) = run(options, &memory)?;
    let mut built = run.built;
    built.files = memory.into_files();
    Ok((built, warnings))
}

/// Runs every stage, checks included, and keeps no output (`hpskb check`).
pub fn check(options: &BuildOptions) -> Result<(Built, Vec<Diagnostic>), Vec<Diagnostic>> {
    run(options, &render::Discard).map(|(run, warnings)| (run.built, warnings))
}

/// Builds the site into the output directory: files are written to a staging directory as
/// they are rendered, which replaces the output only if every check passed. An output
/// directory hpskb did not write is refused (see [`build_force`]).
pub fn build(options: &BuildOptions) -> Result<(Built, Vec<Diagnostic>), Vec<Diagnostic>> {
    build_force(options, false)
}

/// [`build`], replacing an output directory hpskb did not write when `force` is set
/// (`--force`: what it held is deleted).
pub fn build_force(
    options: &BuildOptions,
    force: bool,
) -> Result<(Built, Vec<Diagnostic>), Vec<Diagnostic>> {
    let (target, mut notes) =
        emit::target::prepare(&options.root, &options.output_dir(), force).map_err(|d| vec![d])?;
    let staging = emit::Staging::new(target).map_err(|d| vec![d])?;
    let outcome = run(options, &staging);
    // One error for a failed write, not one per file that could not be written.
    let outcome = match (outcome, staging.failure()) {
        (outcome, None) => outcome,
        (Ok(_), Some(d)) => Err(vec![d]),
        (Err(mut diags), Some(d)) => {
            diags.push(d);
            Err(finish(diags))
        }
    };
    let (run, warnings) = outcome.map_err(|mut diags| {
        diags.splice(0..0, notes.drain(..));
        diags
    })?;
    let mut built = run.built;
    let start = Instant::now();
    notes.extend(staging.publish().map_err(|d| vec![d])?);
    built.timings.lap("publish", start);
    notes.extend(warnings);
    Ok((built, finish(notes)))
}

/// load → resolve → render (into `sink`) → search → offline → checks; the files went to
/// `sink`.
fn run(options: &BuildOptions, sink: &dyn Sink) -> Result<(Run, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut timings = Timings::default();
    let start = Instant::now();
    let load_options = LoadOptions {
        base_url: options.base_url.clone(),
        skip_dir: Some(options.output_dir()),
    };
    let (site, mut diags) = load::load(&options.root, &load_options);
    let mut site = match site {
        Some(s) if !has_errors(&diags) => s,
        Some(s) => {
            let resolved = resolve_the_rest(&s, &mut diags);
            return Err(stop_early(&s, resolved.as_ref(), diags));
        }
        None => return Err(finish(diags)),
    };
    site.config.search &= options.search;
    site.config.offline &= options.offline;
    let start = timings.lap("load", start);
    let (resolved, d) = resolve::resolve(&site);
    let start = timings.lap("resolve", start);
    diags.extend(d);
    if has_errors(&diags) {
        return Err(stop_early(&site, Some(&resolved), diags));
    }
    let renderer = match Renderer::new(&site, &resolved) {
        Ok(renderer) => renderer,
        Err(d) => {
            diags.extend(d);
            return Err(finish(failure::without_templates(&site, &resolved, diags)));
        }
    };
    // The pages the search index covers are parsed as they are rendered, and kept (packed)
    // until the index is built.
    let keep = if site.config.search {
        search::KeepIndexed::new(sink, &site)
            .map_err(|d| diags.push(d))
            .ok()
    } else {
        None
    };
    let (mut rendered, d) = match &keep {
        Some(keep) => render::render_with(&renderer, &site, &resolved, keep),
        None => render::render_with(&renderer, &site, &resolved, sink),
    };
    diags.extend(d);
    let mut start = timings.lap("render", start);
    if let Some(keep) = keep
        && !has_errors(&diags)
    {
        let indexed = keep
            .finish(&site, &resolved)
            .and_then(|files| rendered.add(files, sink));
        if let Err(d) = indexed {
            diags.push(d);
        }
        start = timings.lap("search", start);
    }
    // The worker and manifest are made even after errors: pages link to the manifest.
    if site.config.offline {
        if let Err(d) = rendered.add(offline::files(&site, &rendered), sink) {
            diags.push(d);
        }
        start = timings.lap("offline", start);
    }
    // Checks run even after rendering errors, so that every problem is reported at once.
    diags.extend(check::outputs::check(&rendered));
    diags.extend(check::shape::check(&site, &rendered.pages));
    diags.extend(check::links::check(&site, &rendered));
    diags.extend(check::ids::check(&site, &rendered));
    timings.lap("check", start);
    if has_errors(&diags) {
        return Err(finish(diags));
    }
    let built = Built {
        site,
        rendered,
        files: Vec::new(),
        timings,
    };
    let run = Run {
        built,
        resolved,
        renderer,
    };
    Ok((run, finish(diags)))
}

/// A run's result, with what the preview needs to render parts of the site again.
struct Run {
    built: Built,
    resolved: resolve::Resolved,
    renderer: Renderer,
}
