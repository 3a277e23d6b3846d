//! Stage 3b, search: a Pagefind index over the rendered pages (chunked, loaded by the
//! browser only when the reader searches), plus `search-terms.json`, a small list of
//! titles, drug names, brand names and abbreviations that the search box uses to correct
//! misspellings (Pagefind itself matches prefixes, not typos).

use std::collections::BTreeMap;

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;
use serde::Serialize;

use crate::diag::{Code, Diagnostic};
use crate::load::Site;
use crate::render::{AssetKind, GeneratedKind, Memory, Origin, OutputFile, Sink};
use crate::resolve::Resolved;

/// Directory (under the output root) of the Pagefind bundle.
pub(crate) const BUNDLE_DIR: &str = "pagefind";

#[derive(Serialize)]
struct Term {
    term: String,
    title: String,
    url: String,
}

/// Builds the search index from the rendered pages that [`KeepIndexed`] kept.
pub(crate) fn index(
    site: &Site,
    resolved: &Resolved,
    pages: Vec<OutputFile>,
) -> Result<Vec<OutputFile>, Diagnostic> {
    let failed = |e: String| {
        Diagnostic::new(
            Code::SearchIndex,
            "config.toml",
            format!("search indexing failed: {e}"),
        )
        .with_hint("set `search = false` in config.toml to build without search")
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| failed(e.to_string()))?;
    let pages: Vec<(String, String)> = pages
        .into_iter()
        .filter_map(|f| Some((f.path, String::from_utf8(f.bytes).ok()?)))
        .collect();
    let language = site.config.language.clone();
    let files = runtime.block_on(async move {
        let config = PagefindServiceConfig::builder()
            .force_language(language)
            .build();
        let mut index = PagefindIndex::new(Some(config)).map_err(|e| e.to_string())?;
        for (path, html) in pages {
            index
                .add_html_file(Some(path), None, html)
                .await
                .map_err(|e| e.to_string())?;
        }
        index.get_files().await.map_err(|e| e.to_string())
    });
    let files = files.map_err(failed)?;
    let mut out: Vec<OutputFile> = files
        .into_iter()
        .filter(|f| is_needed(&f.filename))
        .map(|f| OutputFile {
            path: format!(
                "{BUNDLE_DIR}/{}",
                f.filename.to_string_lossy().replace('\\', "/")
            ),
            bytes: f.contents,
            origin: Origin::Asset(AssetKind::SearchBundle),
        })
        .collect();
    out.push(OutputFile {
        path: "search-terms.json".into(),
        bytes: terms(site, resolved),
        origin: Origin::Asset(AssetKind::SearchTerms),
    });
    Ok(out)
}

/// A [`Sink`] that passes files on and keeps a copy of those the search index covers.
pub(crate) struct KeepIndexed<'a> {
    inner: &'a dyn Sink,
    kept: Memory,
}

impl<'a> KeepIndexed<'a> {
    /// Passes files on to `inner`.
    pub(crate) fn new(inner: &'a dyn Sink) -> Self {
        KeepIndexed {
            inner,
            kept: Memory::default(),
        }
    }

    /// The indexed pages kept, ordered by path.
    pub(crate) fn into_pages(self) -> Vec<OutputFile> {
        self.kept.into_files()
    }
}

impl Sink for KeepIndexed<'_> {
    fn put(&self, file: OutputFile) -> std::io::Result<()> {
        if is_indexed(&file) {
            self.kept.put(file.clone())?;
        }
        self.inner.put(file)
    }
}

/// Whether the search index covers this file: Markdown pages, the references page and the
/// glossary. Drug and drug-class index pages only list links to monographs (which are
/// indexed with their drug names), so indexing them would double the work and duplicate
/// every result.
fn is_indexed(f: &OutputFile) -> bool {
    match &f.origin {
        Origin::Page { .. } => true,
        Origin::Template { kind, .. } => *kind == GeneratedKind::Reference,
        Origin::Copied { .. } | Origin::Asset(_) => false,
    }
}

/// The bundle minus Pagefind's prebuilt UIs (hpskb's own `site.js` drives the search) and
/// the WASM for languages the site does not use.
fn is_needed(file: &std::path::Path) -> bool {
    let name = file.to_string_lossy();
    !(name.contains("-ui.")
        || name.contains("highlight")
        || name.ends_with("wasm.unknown.pagefind"))
}

/// Titles, generic and brand names and glossary abbreviations with the page they lead to.
fn terms(site: &Site, resolved: &Resolved) -> Vec<u8> {
    let mut terms: BTreeMap<String, Term> = BTreeMap::new();
    let mut add = |term: &str, title: &str, url: String| {
        let key = term.trim().to_lowercase();
        if key.len() >= 3 {
            terms.entry(key.clone()).or_insert(Term {
                term: key,
                title: title.to_string(),
                url,
            });
        }
    };
    for (page, route) in site.pages.iter().zip(&resolved.routes) {
        let url = route.url.clone();
        for d in &page.meta.drugs {
            add(&d.generic, &page.meta.title, url.clone());
            for b in &d.brands {
                add(b, &page.meta.title, url.clone());
            }
        }
        for word in page.meta.title.split(|c: char| !c.is_alphanumeric()) {
            add(word, &page.meta.title, url.clone());
        }
    }
    for t in &site.glossary {
        add(
            &t.abbr,
            &t.expansion,
            format!(
                "{}#{}",
                resolved.links.glossary_url,
                crate::text::slug::slugify(&t.abbr)
            ),
        );
    }
    let list: Vec<Term> = terms.into_values().collect();
    serde_json::to_vec(&list).unwrap_or_else(|_| b"[]".to_vec())
}
