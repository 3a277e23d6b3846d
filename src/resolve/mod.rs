//! Stage 2, resolve: URLs, output paths, sections, navigation, aliases and taxonomies.
//! Everything here is derived from the loaded [`Site`]; nothing is rendered yet.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

use crate::diag::{Diagnostic, find_nth_quoted, find_quoted};
use crate::load::{Asset, Page, PageKind, Site};
use crate::text::slug::slugify;
use crate::text::suggest::closest;
use crate::text::url::{encode_path, index_file, output_path_problem};

/// Where internal links may point: pages (by source path), and files copied to the
/// output (co-located assets under content/, static files).
#[derive(Debug, Clone, Default)]
pub struct LinkTargets {
    /// Path part of `base_url` without trailing slash (`""` or `/kb`).
    pub base_path: String,
    /// URL of the glossary page.
    pub glossary_url: String,
    pages: HashMap<String, String>,
    /// Copied files by path relative to content/ (or static/), with their path relative to
    /// the output root: the same but for static CSS and JS, named by content hash.
    assets: HashMap<String, String>,
    /// Pages that could not be loaded, by source path: reported already.
    unloaded: HashSet<String>,
}

impl LinkTargets {
    /// URL of the page whose source is `rel` (relative to content/).
    pub fn page_url(&self, rel: &str) -> Option<&str> {
        self.pages.get(rel).map(String::as_str)
    }

    /// Where the file `rel` is copied in the output, relative to its root, if it is a
    /// co-located asset under content/ or a static file (a Markdown file in static/ is
    /// one too, not a page).
    pub fn asset_path(&self, rel: &str) -> Option<&str> {
        self.assets.get(rel).map(String::as_str)
    }

    /// Whether `rel` is a page that could not be loaded: its error is reported, so links
    /// to it are not reported as well.
    pub fn is_unloaded(&self, rel: &str) -> bool {
        self.unloaded.contains(rel)
    }

    /// Link targets from explicit lists, for rendering Markdown outside a full build
    /// (fuzz targets, benchmarks, tests): `base_path` as in [`LinkTargets::base_path`]
    /// (`""` or `/kb`), `pages` as (source path relative to content/, URL) pairs, `assets`
    /// as paths relative to content/. The glossary URL is `{base_path}/glossary/`.
    pub fn from_lists(base_path: &str, pages: &[(&str, &str)], assets: &[&str]) -> Self {
        Self {
            base_path: base_path.into(),
            glossary_url: format!("{base_path}/glossary/"),
            pages: pages
                .iter()
                .map(|(r, u)| (r.to_string(), u.to_string()))
                .collect(),
            assets: assets
                .iter()
                .map(|a| (a.to_string(), a.to_string()))
                .collect(),
            unloaded: HashSet::new(),
        }
    }

    /// Link targets from explicit lists, for unit tests of other stages.
    #[cfg(test)]
    pub fn for_tests(base_path: &str, pages: &[(&str, &str)], assets: &[&str]) -> Self {
        Self::from_lists(base_path, pages, assets)
    }

    /// The existing page whose source path is closest to `rel`.
    pub fn closest_page(&self, rel: &str) -> Option<String> {
        closest(rel, self.pages.keys().map(String::as_str)).map(str::to_string)
    }
}

/// The place of one page in the output.
#[derive(Debug, Clone, Serialize)]
pub struct Route {
    /// Site-relative path without base path (`/monographs/ibrutinib/`).
    pub path: String,
    /// Root-relative URL including the base path (`/kb/monographs/ibrutinib/`).
    pub url: String,
    /// Absolute URL.
    pub permalink: String,
    /// Output file relative to the output root (`monographs/ibrutinib/index.html`).
    pub output: String,
    /// The section index page this page belongs to.
    #[serde(skip)]
    pub parent: Option<usize>,
    /// For section index pages: the pages of the section, ordered.
    #[serde(skip)]
    pub children: Vec<usize>,
    /// Previous page in the same section.
    #[serde(skip)]
    pub prev: Option<usize>,
    /// Next page in the same section.
    #[serde(skip)]
    pub next: Option<usize>,
}

/// A drug or drug class and the monographs that cover it.
#[derive(Debug, Clone, Serialize)]
pub struct Term {
    /// Display name.
    pub name: String,
    /// Brand names (drugs only).
    pub brands: Vec<String>,
    /// Site path of the term's page.
    pub path: String,
    /// Pages that cover it, ordered by title.
    #[serde(skip)]
    pub pages: Vec<usize>,
}

/// The resolved structure of a site.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// One route per page, same order as `Site::pages`.
    pub routes: Vec<Route>,
    /// Link targets for the Markdown renderer.
    pub links: LinkTargets,
    /// Redirects: (output file, target URL).
    pub aliases: Vec<(String, String)>,
    /// Drugs, by name.
    pub drugs: Vec<Term>,
    /// Drug classes, by name.
    pub drug_classes: Vec<Term>,
    /// Each static file's output path, by its path under static/ ([`static_paths`]).
    pub static_paths: StaticPaths,
}

/// Map from a static file's path (`css/style.css`) to its output path
/// (`css/style.1a2b3c4d.css`).
pub type StaticPaths = BTreeMap<String, String>;

/// Names static CSS and JS files by content hash, so that browsers may cache them for
/// good; other files keep their path.
pub fn static_paths(files: &[Asset]) -> StaticPaths {
    files
        .iter()
        .map(|f| {
            let path = match f.rel.rsplit_once('.') {
                Some((stem, ext)) if ext == "css" || ext == "js" => {
                    format!("{stem}.{:08x}.{ext}", fnv1a(&f.bytes) as u32)
                }
                _ => f.rel.clone(),
            };
            (f.rel.clone(), path)
        })
        .collect()
}

/// FNV-1a, 64-bit: stable across platforms and compiler versions.
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Path prefixes the generator writes itself; neither pages nor aliases may claim them.
pub const GENERATED_PATHS: &[&str] = &[
    "/references/",
    "/glossary/",
    "/drugs/",
    "/drug-classes/",
    "/search/",
    "/404.html",
];

/// Whether the site path `path` (`/glossary/`, `/404.html`) is one hpskb writes itself.
fn is_generated(path: &str) -> bool {
    GENERATED_PATHS.iter().any(|g| path.starts_with(g))
}

/// Resolves URLs and structure. Diagnostics are returned for conflicts.
pub fn resolve(site: &Site) -> (Resolved, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let config = &site.config;
    let base_path = config.base_path();
    let origin = config.origin_and_base().to_string();
    let url_of = |path: &str| format!("{base_path}{}", encode_path(path));

    let mut routes: Vec<Route> = site
        .pages
        .iter()
        .map(|p| {
            let path = site_path(&p.rel);
            Route {
                url: url_of(&path),
                permalink: format!("{origin}{}", encode_path(&path)),
                output: index_file(&path[1..]),
                path,
                parent: None,
                children: Vec::new(),
                prev: None,
                next: None,
            }
        })
        .collect();

    let mut claimed: HashMap<String, usize> = HashMap::new();
    for (i, r) in routes.iter().enumerate() {
        if let Some(&other) = claimed.get(&r.output) {
            diags.push(
                Diagnostic::error(
                    &site.pages[i].file,
                    format!(
                        "page has the same URL `{}` as {}",
                        r.path,
                        site.pages[other].file.display()
                    ),
                )
                .with_hint("rename one of the two files"),
            );
        } else if is_generated(&r.path) {
            diags.push(
                Diagnostic::error(
                    &site.pages[i].file,
                    format!("URL `{}` is generated by hpskb", r.path),
                )
                .with_hint(format!(
                    "rename the file; generated: {}",
                    GENERATED_PATHS.join(", ")
                )),
            );
        }
        claimed.insert(r.output.clone(), i);
    }

    // Sections: a page belongs to the nearest ancestor directory that has an _index.md.
    let index_of: HashMap<&str, usize> = site
        .pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.is_section_index())
        .map(|(i, p)| (p.rel.as_str(), i))
        .collect();
    // Every page links home (the site's name, breadcrumbs): without a home page, each of
    // those links would be reported as broken instead of this one missing file.
    let home_failed = site.unloaded_pages.iter().any(|p| p.rel == "_index.md");
    if !index_of.contains_key("_index.md") && !home_failed {
        diags.push(
            Diagnostic::error("content/_index.md", "the site has no home page")
                .with_hint("add content/_index.md with a title; its text opens the home page"),
        );
    }
    for (i, page) in site.pages.iter().enumerate() {
        let mut dir = parent_dir(&page.rel);
        if page.is_section_index() {
            if page.rel == "_index.md" {
                continue;
            }
            dir = parent_dir(dir);
        }
        loop {
            let key = if dir.is_empty() {
                "_index.md".to_string()
            } else {
                format!("{dir}/_index.md")
            };
            if let Some(&s) = index_of.get(key.as_str()) {
                routes[i].parent = Some(s);
                break;
            }
            if dir.is_empty() {
                break;
            }
            dir = parent_dir(dir);
        }
    }
    let mut children: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, r) in routes.iter().enumerate() {
        if let Some(p) = r.parent {
            children.entry(p).or_default().push(i);
        }
    }
    for (section, mut kids) in children {
        kids.sort_by(|&a, &b| {
            let (pa, pb) = (&site.pages[a], &site.pages[b]);
            (pa.meta.weight.unwrap_or(i64::MAX), &pa.meta.title, &pa.rel).cmp(&(
                pb.meta.weight.unwrap_or(i64::MAX),
                &pb.meta.title,
                &pb.rel,
            ))
        });
        for w in kids.windows(2) {
            routes[w[0]].next = Some(w[1]);
            routes[w[1]].prev = Some(w[0]);
        }
        routes[section].children = kids;
    }

    // Aliases.
    let mut aliases = Vec::new();
    for (i, page) in site.pages.iter().enumerate() {
        for alias in &page.meta.aliases {
            match alias_output(alias) {
                Ok(out) if is_generated(&format!("/{out}")) => diags.push(alias_error(
                    page,
                    alias,
                    1,
                    format!("alias `{alias}` is a URL generated by hpskb"),
                    &format!(
                        "choose another alias; generated: {}",
                        GENERATED_PATHS.join(", ")
                    ),
                )),
                Ok(out) if out == routes[i].output => diags.push(alias_error(
                    page,
                    alias,
                    1,
                    format!("alias `{alias}` is the page's own URL"),
                    "remove it: the page is already there",
                )),
                // At the second time it is written, when both are written alike.
                Ok(out) if claimed.get(&out) == Some(&i) => diags.push(alias_error(
                    page,
                    alias,
                    2,
                    format!("alias `{alias}` is listed twice"),
                    "remove one of the two",
                )),
                Ok(out) if claimed.contains_key(&out) => diags.push(alias_error(
                    page,
                    alias,
                    1,
                    format!(
                        "alias `{alias}` is already taken by {}",
                        site.pages[claimed[&out]].file.display()
                    ),
                    "remove the alias or rename the other page",
                )),
                Ok(out) => {
                    claimed.insert(out.clone(), i);
                    aliases.push((out, routes[i].url.clone()));
                }
                Err(problem) => diags.push(alias_error(
                    page,
                    alias,
                    1,
                    format!(
                        "alias `{}` is not a site path: it {problem}",
                        alias.escape_debug()
                    ),
                    "write aliases as site paths such as `/old/path/`",
                )),
            }
        }
    }
    aliases.sort();

    let (drugs, drug_classes) = taxonomies(site);
    for term in drugs.iter().chain(&drug_classes) {
        if let Some(problem) = output_path_problem(&index_file(&term.path[1..])) {
            let page = &site.pages[term.pages[0]];
            let d = Diagnostic::error(
                &page.file,
                format!(
                    "`{}` makes the URL `{}`, which {problem}",
                    term.name, term.path
                ),
            )
            .with_hint("shorten the name");
            diags.push(match find_quoted(&page.front_matter, &term.name) {
                Some(at) => d.at_offset(&page.front_matter, at),
                None => d,
            });
        }
    }
    let static_paths = static_paths(&site.static_files);

    let mut links = LinkTargets {
        base_path: base_path.clone(),
        glossary_url: url_of("/glossary/"),
        pages: HashMap::new(),
        // A file under content/ wins over a static file of the same path: the link was
        // written relative to the page's file.
        assets: (static_paths.iter().map(|(k, v)| (k.clone(), v.clone())))
            .chain(
                site.content_assets
                    .iter()
                    .map(|a| (a.rel.clone(), a.rel.clone())),
            )
            .collect(),
        unloaded: site.unloaded_pages.iter().map(|p| p.rel.clone()).collect(),
    };
    for (p, r) in site.pages.iter().zip(&routes) {
        links.pages.insert(p.rel.clone(), r.url.clone());
    }
    (
        Resolved {
            routes,
            links,
            aliases,
            drugs,
            drug_classes,
            static_paths,
        },
        diags,
    )
}

fn taxonomies(site: &Site) -> (Vec<Term>, Vec<Term>) {
    let mut drugs: BTreeMap<String, Term> = BTreeMap::new();
    let mut classes: BTreeMap<String, Term> = BTreeMap::new();
    for (i, page) in site.pages.iter().enumerate() {
        if page.meta.kind != PageKind::Monograph {
            continue;
        }
        for d in &page.meta.drugs {
            let term = drugs
                .entry(d.generic.to_lowercase())
                .or_insert_with(|| Term {
                    name: d.generic.clone(),
                    brands: Vec::new(),
                    path: format!("/drugs/{}/", slugify(&d.generic)),
                    pages: Vec::new(),
                });
            for b in &d.brands {
                if !term.brands.contains(b) {
                    term.brands.push(b.clone());
                }
            }
            if !term.pages.contains(&i) {
                term.pages.push(i);
            }
        }
        if let Some(c) = &page.meta.drug_class {
            let term = classes.entry(c.to_lowercase()).or_insert_with(|| Term {
                name: c.clone(),
                brands: Vec::new(),
                path: format!("/drug-classes/{}/", slugify(c)),
                pages: Vec::new(),
            });
            term.pages.push(i);
        }
    }
    (
        drugs.into_values().collect(),
        classes.into_values().collect(),
    )
}

/// `monographs/ibrutinib.md` → `/monographs/ibrutinib/`; `a/_index.md` → `/a/`.
pub fn site_path(rel: &str) -> String {
    let stem = rel.strip_suffix(".md").unwrap_or(rel);
    let stem = if stem == "_index" {
        ""
    } else {
        stem.strip_suffix("/_index").unwrap_or(stem)
    };
    if stem.is_empty() {
        "/".to_string()
    } else {
        format!("/{stem}/")
    }
}

fn parent_dir(rel: &str) -> &str {
    rel.rfind('/').map_or("", |i| &rel[..i])
}

/// An error about one of a page's aliases, located at the alias in its front matter.
/// An error at the `nth` place `alias` is written in the page's front matter (or its
/// first, when it is not written that many times alike).
fn alias_error(page: &Page, alias: &str, nth: usize, message: String, hint: &str) -> Diagnostic {
    let d = Diagnostic::error(&page.file, message).with_hint(hint);
    let fm = &page.front_matter;
    let escaped = |hex: fn(u32) -> String| {
        let mut e = String::new();
        for c in alias.chars() {
            match c {
                '\\' | '"' => e.extend(['\\', c]),
                _ if c.is_control() => e.push_str(&hex(u32::from(c))),
                _ => e.push(c),
            }
        }
        e
    };
    // As written, or with TOML escapes (`\\`, `\u001B`, `\u001b`).
    let at = find_nth_quoted(fm, alias, nth)
        .or_else(|| find_quoted(fm, alias))
        .or_else(|| find_quoted(fm, &escaped(|c| format!("\\u{c:04X}"))))
        .or_else(|| find_quoted(fm, &escaped(|c| format!("\\u{c:04x}"))));
    match at {
        Some(offset) => d.at_offset(fm, offset),
        None => d,
    }
}

/// The output file for an alias, or what keeps it from being a plain site path.
fn alias_output(alias: &str) -> Result<String, String> {
    let a = alias.trim();
    let a = a.strip_prefix('/').unwrap_or(a);
    if a.is_empty() {
        return Err("is the home page".into());
    }
    if a.contains(['?', '#']) {
        return Err("has a query or a fragment".into());
    }
    let out = if a.ends_with(".html") {
        a.to_string()
    } else {
        format!("{}/index.html", a.strip_suffix('/').unwrap_or(a))
    };
    match output_path_problem(&out) {
        Some(problem) => Err(problem),
        None => Ok(out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn static_css_and_js_are_named_by_content_hash() {
        let asset = |rel: &str, bytes: &[u8]| Asset {
            rel: rel.into(),
            bytes: bytes.to_vec(),
            source: None,
        };
        let paths = static_paths(&[asset("css/style.css", b"a"), asset("favicon.svg", b"b")]);
        assert_eq!(paths["favicon.svg"], "favicon.svg");
        let css = &paths["css/style.css"];
        assert!(
            css.starts_with("css/style.") && css.ends_with(".css"),
            "{css}"
        );
        assert_ne!(css, "css/style.css");
        let changed = static_paths(&[asset("css/style.css", b"c")]);
        assert_ne!(
            css, &changed["css/style.css"],
            "content change changes the name"
        );
    }

    #[test]
    fn site_paths_are_pretty() {
        assert_eq!(site_path("_index.md"), "/");
        assert_eq!(site_path("about.md"), "/about/");
        assert_eq!(site_path("monographs/_index.md"), "/monographs/");
        assert_eq!(
            site_path("monographs/ibrutinib.md"),
            "/monographs/ibrutinib/"
        );
    }

    #[test]
    fn aliases_map_to_files() {
        assert_eq!(
            alias_output("/old/page/").as_deref(),
            Ok("old/page/index.html")
        );
        assert_eq!(alias_output("old.html").as_deref(), Ok("old.html"));
        for (alias, problem) in [
            ("/../etc", "has a `..` segment"),
            ("https://x.org/a", "has a `:`"),
            ("/", "is the home page"),
            ("/./", "has a `.` segment"),
            ("/about/./", "has a `.` segment"),
            ("//x/", "has an empty segment"),
            ("/a//b/", "has an empty segment"),
            ("/a\\b/", "has a backslash"),
            ("/a\u{1b}[2J/", "has a control character"),
            ("/.hpskb-manifest", "manifest"),
            ("/a?x=1", "query"),
        ] {
            let got = alias_output(alias).unwrap_err();
            assert!(got.contains(problem), "{alias}: {got}");
        }
        let long = format!("/{}/", "x".repeat(256));
        assert!(alias_output(&long).unwrap_err().contains("256 bytes"));
        assert!(alias_output(&format!("/{}/", "x".repeat(255))).is_ok());
    }
}
