//! Stage 2, resolve: URLs, output paths, sections, navigation, aliases and taxonomies.
//! Everything here is derived from the loaded [`Site`]; nothing is rendered yet.

mod aliases;
mod assets;
mod taxonomies;

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

use crate::diag::{Code, Diagnostic};
use crate::load::Site;
use crate::load::front_matter::at_value;
use crate::text::suggest::closest;
use crate::text::url::{encode_path, index_file, output_path_problem};
use aliases::{alias_error, alias_output};
pub use assets::{StaticPaths, static_paths};
use taxonomies::taxonomies;

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
    /// The drugs and drug classes of each translation language's monographs, by tag.
    pub translated_taxonomies: BTreeMap<String, (Vec<Term>, Vec<Term>)>,
    /// Each static file's output path, by its path under static/ ([`static_paths`]).
    pub static_paths: StaticPaths,
    /// Per page, same order as `Site::pages`: the page in its other languages (the page
    /// it translates and that page's other translations), the site's language first.
    pub translations: Vec<Vec<usize>>,
    /// The site path of every drug and drug-class page, in every language.
    term_paths: HashSet<String>,
}

impl Resolved {
    /// The drugs and drug classes of the monographs in `lang` (`None`: the site's
    /// language).
    pub fn taxonomies(&self, lang: Option<&str>) -> (&[Term], &[Term]) {
        match lang.and_then(|l| self.translated_taxonomies.get(l)) {
            Some((drugs, classes)) => (drugs, classes),
            None if lang.is_some() => (&[], &[]),
            None => (&self.drugs, &self.drug_classes),
        }
    }

    /// Whether `path` (a site path, `/zh-hans/drugs/ibrutinib/`) is a drug or drug-class
    /// page in any language.
    pub fn is_term_page(&self, path: &str) -> bool {
        self.term_paths.contains(path)
    }
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
            let path = match &p.lang {
                Some(tag) => format!(
                    "{}{}",
                    config.language_prefix(tag),
                    site_path(&p.source_rel())
                ),
                None => site_path(&p.rel),
            };
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
                Diagnostic::new(
                    Code::DuplicateUrl,
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
                Diagnostic::new(
                    Code::ReservedUrl,
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
    // Per language: a translation's section is the translation of its section index.
    let index_of: HashMap<(String, Option<&str>), usize> = site
        .pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.is_section_index())
        .map(|(i, p)| ((p.source_rel().into_owned(), p.lang.as_deref()), i))
        .collect();
    // Every page links home (the site's name, breadcrumbs): without a home page, each of
    // those links would be reported as broken instead of this one missing file.
    let home_failed = site.unloaded_pages.iter().any(|p| p.rel == "_index.md");
    if !index_of.contains_key(&("_index.md".to_string(), None)) && !home_failed {
        diags.push(
            Diagnostic::new(
                Code::NoHomePage,
                "content/_index.md",
                "the site has no home page",
            )
            .with_hint("add content/_index.md with a title; its text opens the home page"),
        );
    }
    for (i, page) in site.pages.iter().enumerate() {
        let rel = page.source_rel();
        let mut dir = parent_dir(&rel);
        if page.is_section_index() {
            if rel == "_index.md" {
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
            if let Some(&s) = index_of.get(&(key, page.lang.as_deref())) {
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
        for (j, alias) in page.meta.aliases.iter().enumerate() {
            match alias_output(alias) {
                Ok(out) if is_generated(&format!("/{out}")) => diags.push(alias_error(
                    page,
                    j,
                    format!("alias `{alias}` is a URL generated by hpskb"),
                    &format!(
                        "choose another alias; generated: {}",
                        GENERATED_PATHS.join(", ")
                    ),
                )),
                Ok(out) if out == routes[i].output => diags.push(alias_error(
                    page,
                    j,
                    format!("alias `{alias}` is the page's own URL"),
                    "remove it: the page is already there",
                )),
                // At the second time it is written, when both are written alike.
                Ok(out) if claimed.get(&out) == Some(&i) => diags.push(alias_error(
                    page,
                    j,
                    format!("alias `{alias}` is listed twice"),
                    "remove one of the two",
                )),
                Ok(out) if claimed.contains_key(&out) => diags.push(alias_error(
                    page,
                    j,
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
                    j,
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

    let (drugs, drug_classes) = taxonomies(site, None, "");
    let translated_taxonomies: BTreeMap<String, (Vec<Term>, Vec<Term>)> = (site.config.languages)
        .keys()
        .map(|tag| {
            let prefix = site.config.language_prefix(tag);
            (tag.clone(), taxonomies(site, Some(tag), &prefix))
        })
        .collect();
    let all_terms = || {
        (translated_taxonomies.values())
            .flat_map(|(d, c)| d.iter().chain(c))
            .chain(drugs.iter().chain(&drug_classes))
    };
    let term_paths = all_terms().map(|t| t.path.clone()).collect();
    for term in all_terms() {
        if let Some(problem) = output_path_problem(&index_file(&term.path[1..])) {
            let page = &site.pages[term.pages[0]];
            let d = Diagnostic::new(
                Code::TaxonomyUrl,
                &page.file,
                format!(
                    "`{}` makes the URL `{}`, which {problem}",
                    term.name, term.path
                ),
            )
            .with_hint("shorten the name");
            // Where the page names the term: a drug's generic name, or the drug class.
            let path = match (page.meta.drugs.iter()).position(|x| x.shown_name() == term.name) {
                Some(j) => vec!["drugs".to_string(), j.to_string(), "generic".into()],
                None => vec!["drug_class".to_string()],
            };
            let path: Vec<&str> = path.iter().map(String::as_str).collect();
            diags.push(at_value(d, &page.front_matter, &path));
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
            translated_taxonomies,
            static_paths,
            translations: translations(site),
            term_paths,
        },
        diags,
    )
}

/// Per page, the other pages with the same source (`a.md`, `a.zh-Hans.md`, …): the one
/// in the site's language first, then by language tag.
fn translations(site: &Site) -> Vec<Vec<usize>> {
    let mut by_source: BTreeMap<std::borrow::Cow<'_, str>, Vec<usize>> = BTreeMap::new();
    for (i, page) in site.pages.iter().enumerate() {
        by_source.entry(page.source_rel()).or_default().push(i);
    }
    for group in by_source.values_mut() {
        group.sort_by_key(|&i| site.pages[i].lang.as_deref());
    }
    site.pages
        .iter()
        .enumerate()
        .map(|(i, page)| {
            by_source[&page.source_rel()]
                .iter()
                .copied()
                .filter(|&j| j != i)
                .collect()
        })
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
