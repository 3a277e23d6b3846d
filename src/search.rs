//! Stage 3b, search: a Pagefind index over the rendered pages (chunked, loaded by the
//! browser only when the reader searches), plus `search-terms.json`, a small list of
//! titles, drug names, brand names and abbreviations that the search box uses to correct
//! misspellings (Pagefind itself matches prefixes, not typos).

use std::collections::BTreeMap;
use std::sync::Mutex;

use pagefind::api::{PageParser, PagefindIndex, ParsedPage, SyntheticFile};
use pagefind::options::PagefindServiceConfig;
use serde::Serialize;

use crate::diag::{Code, Diagnostic};
use crate::load::Site;
use crate::render::{AssetKind, GeneratedKind, Origin, OutputFile, Sink};
use crate::resolve::Resolved;

/// Directory (under the output root) of the Pagefind bundle.
pub(crate) const BUNDLE_DIR: &str = "pagefind";

/// `search-terms.json`: what the search box needs besides the index.
#[derive(Serialize)]
struct SearchTerms<'a> {
    /// Known names, for correcting misspellings.
    terms: Vec<Term>,
    /// Each name readers type → the site's term (`config.toml` `[search_synonyms]`).
    synonyms: BTreeMap<&'a str, &'a str>,
}

#[derive(Serialize)]
struct Term {
    term: String,
    title: String,
    url: String,
    /// The language of the page it leads to: a search box offers only its own language's.
    lang: String,
}

/// A [`Sink`] that passes files on and parses those the search index covers, on the
/// rendering thread that made them, keeping only the parsed (and packed) page, a fraction
/// of its HTML; [`KeepIndexed::finish`] adds them to the index in path order once
/// rendering succeeded.
pub(crate) struct KeepIndexed<'a> {
    inner: &'a dyn Sink,
    index: PagefindIndex,
    parser: PageParser,
    parsed: Mutex<Vec<(String, ParsedPage)>>,
    /// Pages Pagefind could not parse, with why.
    errors: Mutex<Vec<String>>,
}

impl<'a> KeepIndexed<'a> {
    /// Passes files on to `inner`, indexing pages in the site's language, or, on a site
    /// with `[languages]`, each page in its own (from `<html lang>`, so that a search box
    /// searches its page's language).
    pub(crate) fn new(inner: &'a dyn Sink, site: &Site) -> Result<Self, Diagnostic> {
        let config = if site.config.languages.is_empty() {
            (PagefindServiceConfig::builder())
                .force_language(site.config.language.clone())
                .build()
        } else {
            PagefindServiceConfig::builder().build()
        };
        let index = PagefindIndex::new(Some(config)).map_err(|e| failed(e.to_string()))?;
        let parser = index.page_parser().map_err(|e| failed(e.to_string()))?;
        Ok(KeepIndexed {
            inner,
            index,
            parser,
            parsed: Mutex::default(),
            errors: Mutex::default(),
        })
    }

    /// Builds the index from the pages parsed, and returns its files with
    /// `search-terms.json`.
    pub(crate) fn finish(
        self,
        site: &Site,
        resolved: &Resolved,
    ) -> Result<Vec<OutputFile>, Diagnostic> {
        let errors = self.errors.into_inner().unwrap_or_else(|e| e.into_inner());
        if let Some(e) = errors.into_iter().min() {
            return Err(failed(e));
        }
        let parsed = self.parsed.into_inner().unwrap_or_else(|e| e.into_inner());
        let files = bundle(self.index, parsed).map_err(failed)?;
        // Pagefind has no stemming WASM for some languages (Chinese among them): their
        // pages load the language-neutral one.
        let neutral_wasm = !site.config.languages.is_empty()
            || !files.iter().any(|f| is_language_wasm(&f.filename));
        let mut out: Vec<OutputFile> = files
            .into_iter()
            .filter(|f| is_needed(&f.filename, neutral_wasm))
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
}

impl Sink for KeepIndexed<'_> {
    fn put(&self, file: OutputFile) -> std::io::Result<()> {
        if is_indexed(&file)
            && let Ok(html) = std::str::from_utf8(&file.bytes)
        {
            match self.parser.parse_html(file.path.clone(), html.to_owned()) {
                Ok(page) => lock(&self.parsed).push((file.path.clone(), page)),
                Err(e) => lock(&self.errors).push(format!("{}: {e}", file.path)),
            }
        }
        self.inner.put(file)
    }
}

/// The index's files, from pages parsed in any order: they are added in path order, so
/// that the bundle does not depend on the order in which rendering finished them.
fn bundle(
    mut index: PagefindIndex,
    mut parsed: Vec<(String, ParsedPage)>,
) -> Result<Vec<SyntheticFile>, String> {
    parsed.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let pages = parsed.into_iter().map(|(_, page)| page).collect();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| e.to_string())?;
    let files = runtime.block_on(async move {
        index.add_parsed_pages(pages).await?;
        index.get_files().await
    });
    files.map_err(|e| e.to_string())
}

/// A mutex's value, also after a thread panicked while holding it.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// The diagnostic for a search index that could not be built.
fn failed(e: String) -> Diagnostic {
    Diagnostic::new(
        Code::SearchIndex,
        "config.toml",
        format!("search indexing failed: {e}"),
    )
    .with_hint("set `search = false` in config.toml to build without search")
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
/// the language-neutral WASM unless the site's language has none of its own.
fn is_needed(file: &std::path::Path, neutral_wasm: bool) -> bool {
    let name = file.to_string_lossy();
    !(name.contains("-ui.")
        || name.contains("highlight")
        || (!neutral_wasm && name.ends_with("wasm.unknown.pagefind")))
}

/// Whether the file is the stemming WASM of a language (`wasm.en.pagefind`).
fn is_language_wasm(file: &std::path::Path) -> bool {
    let name = file.to_string_lossy();
    name.starts_with("wasm.")
        && name.ends_with(".pagefind")
        && !name.ends_with("wasm.unknown.pagefind")
}

/// Titles, generic and brand names and glossary abbreviations with the page they lead to,
/// and the site's search synonyms.
fn terms(site: &Site, resolved: &Resolved) -> Vec<u8> {
    let mut terms: BTreeMap<(String, String), Term> = BTreeMap::new();
    let mut add = |lang: &str, term: &str, title: &str, url: String| {
        let key = term.trim().to_lowercase();
        if key.len() >= 3 {
            (terms.entry((lang.to_string(), key.clone()))).or_insert(Term {
                term: key,
                title: title.to_string(),
                url,
                lang: lang.to_string(),
            });
        }
    };
    for (page, route) in site.pages.iter().zip(&resolved.routes) {
        let lang = page.lang.as_deref().unwrap_or(&site.config.language);
        let url = route.url.clone();
        for d in &page.meta.drugs {
            add(lang, &d.generic, &page.meta.title, url.clone());
            for b in &d.brands {
                add(lang, b, &page.meta.title, url.clone());
            }
        }
        for word in page.meta.title.split(|c: char| !c.is_alphanumeric()) {
            add(lang, word, &page.meta.title, url.clone());
        }
    }
    let languages =
        std::iter::once(None).chain(site.config.languages.keys().map(|tag| Some(tag.as_str())));
    for lang in languages {
        let (glossary, own) = site.glossary_for(lang);
        if own != lang {
            continue;
        }
        let prefix = lang
            .map(|l| site.config.language_prefix(l))
            .unwrap_or_default();
        let url = format!("{}{prefix}/glossary/", resolved.links.base_path);
        let tag = lang.unwrap_or(&site.config.language);
        for t in glossary {
            let anchor = crate::text::slug::slugify(&t.abbr);
            add(tag, &t.abbr, &t.expansion, format!("{url}#{anchor}"));
        }
    }
    let synonyms: BTreeMap<&str, &str> = (site.config.search_synonyms.iter())
        .flat_map(|(term, names)| names.iter().map(move |n| (n.as_str(), term.as_str())))
        .collect();
    let file = SearchTerms {
        terms: terms.into_values().collect(),
        synonyms,
    };
    serde_json::to_vec(&file).unwrap_or_else(|_| b"{}".to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> PagefindIndex {
        let config = PagefindServiceConfig::builder()
            .force_language("en".into())
            .build();
        PagefindIndex::new(Some(config)).unwrap()
    }

    fn page(i: usize) -> (String, String) {
        let body = format!(
            "<h1>Page {i} Sjögren</h1><p>ferritin {i} hemophagocytic ibrutinib lamotrigine</p>\
             <h2 id=\"s{i}\">Section {i}</h2><p>fever cytopenia word{i} {} café Café cafe</p>\
             <p data-pagefind-filter=\"drug\">drug{}</p>",
            "etoposide ".repeat(i % 7),
            i % 3
        );
        (
            format!("p{i:03}/index.html"),
            format!(
                "<html lang=\"en\"><body><nav>menu</nav><article data-pagefind-body>{body}</article></body></html>"
            ),
        )
    }

    fn sorted(files: Vec<SyntheticFile>) -> Vec<(std::path::PathBuf, Vec<u8>)> {
        let mut files: Vec<_> = files
            .into_iter()
            .map(|f| (f.filename, f.contents))
            .collect();
        files.sort();
        files
    }

    /// The patched batch path (pages parsed on several threads, in any order) gives the
    /// bundle that Pagefind's own one-page-at-a-time API gives, byte for byte.
    #[test]
    fn batch_index_is_byte_identical_to_serial() {
        let pages: Vec<(String, String)> = (0..60).map(page).collect();
        let mut serial = index();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let expected = runtime.block_on(async {
            for (path, html) in pages.clone() {
                serial.add_html_file(Some(path), None, html).await.unwrap();
            }
            serial.get_files().await.unwrap()
        });

        let batch = index();
        let parser = batch.page_parser().unwrap();
        let parsed = Mutex::new(Vec::new());
        // Reverse order, on two threads: the order rendering finishes pages in varies.
        std::thread::scope(|scope| {
            for half in pages.rchunks(30) {
                let (parser, parsed) = (&parser, &parsed);
                scope.spawn(move || {
                    for (path, html) in half.iter().rev() {
                        let page = parser.parse_html(path.clone(), html.clone()).unwrap();
                        lock(parsed).push((path.clone(), page));
                    }
                });
            }
        });
        let actual = bundle(batch, parsed.into_inner().unwrap()).unwrap();
        let (expected, actual) = (sorted(expected), sorted(actual));
        assert!(
            expected
                .iter()
                .any(|(f, _)| f.to_string_lossy().ends_with(".pf_fragment"))
        );
        assert_eq!(
            expected.iter().map(|f| &f.0).collect::<Vec<_>>(),
            actual.iter().map(|f| &f.0).collect::<Vec<_>>()
        );
        for (e, a) in expected.iter().zip(&actual) {
            assert!(e.1 == a.1, "{} differs", e.0.display());
        }
        // Every compressed file is a whole gzip stream (its CRC and length check out)
        // of Pagefind's framing.
        for (name, bytes) in actual
            .iter()
            .filter(|f| f.0.to_string_lossy().contains(".pf_"))
        {
            let mut text = Vec::new();
            std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&bytes[..]), &mut text)
                .unwrap_or_else(|e| panic!("{}: {e}", name.display()));
            assert!(text.starts_with(b"pagefind_dcd"), "{}", name.display());
        }
    }
}
