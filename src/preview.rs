//! The preview's builds (`hpskb serve`): the whole site in memory, and after an edit only
//! what the edit can change.
//!
//! A page's front matter decides everything other files know of it (its URL, title,
//! menus, drug and class indexes, feed and sitemap entries); its body decides only its
//! own files and, through what it cites and its headings, the references page. So when
//! every changed file is a page whose front matter is still the one loaded, [`Preview`]
//! renders just those pages (and the references page when their citations or headings
//! changed) and checks what they can break: their own links and ids, the links elsewhere
//! to ids they no longer have, and the content rules. Anything else — a page added or
//! removed, front matter, `config.toml`, a template, the bibliography, a calculator, a
//! data set, a static file, the search index, a new day (review dates are checked
//! against today) — rebuilds the whole site, as does any error, so that every problem is
//! reported as a full build reports it. The result is byte for byte the clean build's
//! (`tests/it/preview.rs` checks it after random edits).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustc_hash::FxHashSet;

use crate::diag::Diagnostic;
use crate::failure::{finish, has_errors};
use crate::load::{self, Site};
use crate::render::{Memory, OutputEntry, RenderedSite, Renderer};
use crate::resolve::Resolved;
use crate::{BuildOptions, check, run};

/// Every output file of a preview build: its path (`monographs/x/index.html`) → its bytes.
/// Shared: a new build copies the map, not the files.
pub type Files = HashMap<String, Arc<Vec<u8>>>;

/// How much a rebuild rebuilt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rebuilt {
    /// Only these many pages (and the references page if their citations changed).
    Pages(usize),
    /// The whole site.
    Site,
}

/// A site built in memory for the preview, ready to be rebuilt in part.
pub struct Preview {
    options: BuildOptions,
    site: Site,
    resolved: Resolved,
    renderer: Renderer,
    rendered: RenderedSite,
    files: Arc<Files>,
    /// Set when a rebuild failed: the sources may then differ from this build anywhere,
    /// so the next rebuild is a full one.
    stale: bool,
}

impl Preview {
    /// Builds the whole site in memory, checks included. `Err` holds all diagnostics when
    /// any is an error; `Ok` carries the warnings.
    pub fn build(options: &BuildOptions) -> Result<(Self, Vec<Diagnostic>), Vec<Diagnostic>> {
        let memory = Memory::default();
        let (run, warnings) = run(options, &memory)?;
        let files = memory
            .into_files()
            .into_iter()
            .map(|f| (f.path, Arc::new(f.bytes)))
            .collect();
        let preview = Preview {
            options: options.clone(),
            site: run.built.site,
            resolved: run.resolved,
            renderer: run.renderer,
            rendered: run.built.rendered,
            files: Arc::new(files),
            stale: false,
        };
        Ok((preview, warnings))
    }

    /// Brings the build up to date with the sources after the files `changed` (relative
    /// to the site root, or absolute under it) changed: only the edited pages when nothing but page
    /// bodies changed, else the whole site. On `Err` this stays the last good build.
    pub fn rebuild(
        &mut self,
        changed: &[PathBuf],
    ) -> Result<(Rebuilt, Vec<Diagnostic>), Vec<Diagnostic>> {
        if let Some(pages) = self.edited_bodies(changed)
            && let Some(warnings) = self.rebuild_pages(&pages)
        {
            return Ok((Rebuilt::Pages(pages.len()), warnings));
        }
        match Preview::build(&self.options) {
            Ok((fresh, warnings)) => {
                *self = fresh;
                Ok((Rebuilt::Site, warnings))
            }
            Err(diags) => {
                self.stale = true;
                Err(diags)
            }
        }
    }

    /// The output files.
    pub fn files(&self) -> Arc<Files> {
        Arc::clone(&self.files)
    }

    /// The built site.
    pub fn site(&self) -> &Site {
        &self.site
    }

    /// The pages among `changed` when every changed file is a page of this build and
    /// nothing else asks for a full rebuild.
    fn edited_bodies(&self, changed: &[PathBuf]) -> Option<Vec<usize>> {
        let site = &self.site;
        if self.stale
            || site.config.search
            || site.config.offline
            || site.today != load::today()
            || changed.is_empty()
        {
            return None;
        }
        // Whether each page's front matter is still the one loaded is found when it is
        // read to be rendered again (`Page::read_source`: an error, so a full rebuild).
        let mut pages = changed
            .iter()
            .map(|path| page_of(site, path))
            .collect::<Option<Vec<usize>>>()?;
        pages.sort_unstable();
        pages.dedup();
        Some(pages)
    }

    /// Renders `pages` again and checks what they can break; the warnings, or `None` when
    /// there is an error (the full rebuild reports it with everything else) or the
    /// pages' files are not the ones they made before.
    fn rebuild_pages(&mut self, pages: &[usize]) -> Option<Vec<Diagnostic>> {
        // The build is changed in place from here on: until it is whole again, only a
        // full rebuild can be trusted.
        self.stale = true;
        let (site, resolved) = (&self.site, &self.resolved);
        let memory = Memory::default();
        let mut diags = Vec::new();
        let mut entries = Vec::new();
        let mut references = false;
        for &i in pages {
            let (mut r, files) = self.renderer.page(site, resolved, i, &memory);
            diags.append(&mut r.diagnostics);
            entries.extend(files.ok()?.into_iter().map(Result::ok));
            let before = &self.rendered.pages[i];
            references |= r.citations != before.citations || r.toc != before.toc;
            self.rendered.pages[i] = r;
        }
        if references {
            let g = self
                .renderer
                .references(site, resolved, &self.rendered.pages, &memory);
            diags.extend(g.diags);
            entries.extend(g.stored.into_iter().map(Result::ok));
        }
        if has_errors(&diags) {
            return None;
        }
        let changed = self.replace_entries(entries.into_iter().collect::<Option<_>>()?)?;
        diags.extend(self.check(&changed));
        if has_errors(&diags) {
            return None;
        }
        let files = Arc::make_mut(&mut self.files);
        for f in memory.into_files() {
            files.insert(f.path, Arc::new(f.bytes));
        }
        self.stale = false;
        Some(finish(diags))
    }

    /// Puts `entries` in place of the outputs of the same paths; what changed (path, and
    /// the ids the file no longer has), or `None` if a path is new.
    fn replace_entries(&mut self, entries: Vec<OutputEntry>) -> Option<Vec<Replaced>> {
        let outputs = &mut self.rendered.outputs;
        let mut changed = Vec::new();
        for entry in entries {
            let at = outputs
                .binary_search_by(|o| o.path.as_str().cmp(&entry.path))
                .ok()?;
            let old = std::mem::replace(&mut outputs[at], entry);
            let new = &outputs[at];
            if old.digest == new.digest {
                continue;
            }
            let removed_ids = match (&old.anchors, &new.anchors) {
                (Some(old), Some(new)) => old
                    .ids()
                    .filter(|id| !new.has_id(id))
                    .map(str::to_string)
                    .collect(),
                _ => Vec::new(),
            };
            changed.push(Replaced {
                path: new.path.clone(),
                removed_ids,
            });
        }
        Some(changed)
    }

    /// The checks an edit of page bodies can fail: the content rules, and the ids and
    /// links of the changed files, and of the files linking to ids they no longer have.
    fn check(&self, changed: &[Replaced]) -> Vec<Diagnostic> {
        let (site, rendered) = (&self.site, &self.rendered);
        let paths: FxHashSet<&str> = changed.iter().map(|c| c.path.as_str()).collect();
        let removed: FxHashSet<&str> = changed
            .iter()
            .flat_map(|c| c.removed_ids.iter().map(String::as_str))
            .collect();
        let mut diags = check::shape::check(site, &rendered.pages);
        diags.extend(check::ids::check_in(site, rendered, |o| {
            paths.contains(o.path.as_str())
        }));
        diags.extend(check::links::check_in(site, rendered, |o| {
            paths.contains(o.path.as_str())
                || (!removed.is_empty()
                    && o.anchors
                        .as_ref()
                        .is_some_and(|a| check::links::names_fragment(a, &removed)))
        }));
        diags
    }
}

/// An output file a partial rebuild changed.
struct Replaced {
    path: String,
    /// Ids the file had and no longer has.
    removed_ids: Vec<String>,
}

/// The page whose file is `path` (relative to the site root, or absolute under it).
fn page_of(site: &Site, path: &Path) -> Option<usize> {
    let rel = path.strip_prefix(&site.root).unwrap_or(path);
    site.pages.iter().position(|p| p.file == rel)
}
