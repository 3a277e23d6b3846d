//! The data templates receive. Field names here are the template API (see README).

use std::collections::BTreeMap;

use serde::Serialize;

use super::jsonld;
use crate::cite::{self, PageCitation};
use crate::load::{Drug, Page, PageKind, Site};
use crate::markdown::{Rendered, TocEntry};
use crate::resolve::Resolved;
use crate::text::date::{human_date, iso_date};

/// `site` in every template.
#[derive(Debug, Clone, Serialize)]
pub struct SiteContext {
    /// Site title.
    pub title: String,
    /// Site description.
    pub description: String,
    /// Absolute base URL with trailing slash.
    pub base_url: String,
    /// Path part of the base URL without trailing slash (`""` or `/kb`).
    pub base_path: String,
    /// Content language.
    pub language: String,
    /// Path prefix of the language's pages after `base_path`: empty for the site's own
    /// language, `/zh-hans` for `zh-Hans` (its feed is `{{ site.base_path }}{{
    /// site.language_prefix }}/atom.xml`).
    pub language_prefix: String,
    /// Static file path → URL (hashed names for CSS/JS).
    pub assets: BTreeMap<String, String>,
    /// URL of the language's home page (the site's home when the language has none).
    pub home_url: String,
    /// Top-level navigation: the home page's children.
    pub nav: Vec<Link>,
    /// Whether a search index is built.
    pub search: bool,
    /// Whether the offline service worker and manifest are emitted.
    pub offline: bool,
    /// Colour of the browser's toolbar and of the installed app.
    pub theme_color: String,
    /// Whether the site has a glossary page.
    pub has_glossary: bool,
    /// URL of the glossary page in the language (the site's when the language has no
    /// glossary of its own).
    pub glossary_url: String,
    /// The footer and print line from `config.toml`; empty for none.
    pub disclaimer: String,
    /// The default templates' UI strings in the site's language, by key
    /// (`{{ site.t.references }}`).
    pub t: BTreeMap<String, String>,
    /// The page scripts' UI strings (the keys starting `js_`, without that prefix), as
    /// JSON safe inside `<script type="application/json">`.
    pub t_script: String,
}

/// A titled link.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    /// Link text.
    pub title: String,
    /// Root-relative URL.
    pub url: String,
}

/// A page in a section listing.
#[derive(Debug, Clone, Serialize)]
pub struct Child {
    /// Title.
    pub title: String,
    /// Root-relative URL.
    pub url: String,
    /// Description.
    pub description: String,
    /// Page kind.
    pub kind: PageKind,
    /// Drugs covered.
    pub drugs: Vec<Drug>,
    /// Drug class.
    pub drug_class: Option<String>,
    /// Last review date.
    pub last_reviewed: Option<String>,
}

/// One entry of a page's reference list.
#[derive(Debug, Clone, Serialize)]
pub struct PageReference {
    /// Number on this page.
    pub number: usize,
    /// Citation key; the entry's id is `ref-<key>`.
    pub key: String,
    /// The entry's old keys (`ids`), each with an anchor `ref-<alias>` in the entry.
    pub aliases: Vec<String>,
    /// Formatted reference (HTML).
    pub html: String,
    /// DOI, if any.
    pub doi: Option<String>,
    /// PMID, if any.
    pub pmid: Option<String>,
    /// `https://doi.org/…` link, percent-encoded.
    pub doi_url: Option<String>,
    /// PubMed link.
    pub pubmed_url: Option<String>,
    /// Ids of the citing places on the page.
    pub backlinks: Vec<String>,
    /// URL of the reference's entry on the references page.
    pub references_url: String,
}

/// `page` in page templates.
#[derive(Debug, Clone, Serialize)]
pub struct PageContext<'r> {
    /// Title.
    pub title: String,
    /// Description (falls back to the site description).
    pub description: String,
    /// Root-relative URL.
    pub url: String,
    /// Absolute URL (canonical).
    pub permalink: String,
    /// Source file, relative to the site root.
    pub source: String,
    /// Page kind.
    pub kind: PageKind,
    /// Whether this is a section index (`_index.md`).
    pub is_section: bool,
    /// Whether this is the home page.
    pub is_home: bool,
    /// `YYYY-MM-DD`.
    pub last_reviewed: Option<String>,
    /// Human-readable review date (`26 November 2026`).
    pub last_reviewed_human: Option<String>,
    /// Drug class.
    pub drug_class: Option<String>,
    /// URL of the drug class page.
    pub drug_class_url: Option<String>,
    /// Drugs covered, with brand names.
    pub drugs: Vec<Drug>,
    /// Tags.
    pub tags: Vec<String>,
    /// Body HTML.
    pub content: &'r str,
    /// Table of contents (h2 and h3).
    pub toc: Vec<&'r TocEntry>,
    /// Reference list in citation order.
    pub references: Vec<PageReference>,
    /// Calculators embedded on the page.
    pub calculators: Vec<String>,
    /// Whether the page has a data table (the template loads `js/data-table.js`).
    pub data_tables: bool,
    /// Breadcrumbs from the home page to the parent.
    pub breadcrumbs: Vec<Link>,
    /// Previous page in the section.
    pub prev: Option<Link>,
    /// Next page in the section.
    pub next: Option<Link>,
    /// Pages of the section (section index pages only).
    pub children: Vec<Child>,
    /// "Cite this page" (pages with a review date).
    pub cite: Option<PageCitationContext>,
    /// The page in the site's other languages (for the language switcher and `hreflang`).
    pub translations: Vec<Translation>,
    /// schema.org JSON-LD, ready to embed.
    pub json_ld: String,
    /// Template used.
    #[serde(skip)]
    pub template: String,
}

/// The page in another language.
#[derive(Debug, Clone, Serialize)]
pub struct Translation {
    /// Language tag (`zh-Hans`).
    pub lang: String,
    /// The language's name in itself (`简体中文`), from its UI strings.
    pub name: String,
    /// Root-relative URL.
    pub url: String,
    /// Absolute URL.
    pub permalink: String,
}

impl Translation {
    /// The page at `url` and `permalink` in the language `tag`, named by that language's
    /// UI strings (the tag itself if they have no `language_name`).
    pub fn new(site: &Site, tag: &str, url: String, permalink: String) -> Self {
        Translation {
            name: (site.ui_strings(Some(tag)).get("language_name").cloned())
                .unwrap_or_else(|| tag.to_string()),
            lang: tag.to_string(),
            url,
            permalink,
        }
    }
}

/// "Cite this page" in three formats plus download URLs.
#[derive(Debug, Clone, Serialize)]
pub struct PageCitationContext {
    /// AMA, BibTeX and RIS texts.
    #[serde(flatten)]
    pub text: PageCitation,
    /// URL of the `.bib` download.
    pub bibtex_url: String,
    /// URL of the `.ris` download.
    pub ris_url: String,
}

impl SiteContext {
    /// Builds the site context for pages in `lang` (a tag of `[languages]`), or in the
    /// site's own language for `None`: title, description, menu and UI strings in it.
    pub fn new(site: &Site, resolved: &Resolved, lang: Option<&str>) -> Self {
        let base_path = resolved.links.base_path.clone();
        let home = site
            .pages
            .iter()
            .position(|p| p.source_rel() == "_index.md" && p.lang.as_deref() == lang);
        let nav = home
            .map(|h| {
                resolved.routes[h]
                    .children
                    .iter()
                    .map(|&c| Link {
                        title: short_title(&site.pages[c]),
                        url: resolved.routes[c].url.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let home_url = home
            .map(|h| resolved.routes[h].url.clone())
            .unwrap_or_else(|| format!("{base_path}/"));
        let language = lang.and_then(|l| site.config.languages.get(l));
        let ui = site.ui_strings(lang);
        Self {
            title: language
                .and_then(|l| l.title.clone())
                .unwrap_or_else(|| site.config.title.clone()),
            description: language
                .and_then(|l| l.description.clone())
                .unwrap_or_else(|| site.config.description.clone()),
            base_url: site.config.base_url.clone(),
            assets: (resolved.static_paths.iter())
                .map(|(k, v)| (k.clone(), format!("{base_path}/{v}")))
                .collect(),
            base_path,
            language: lang.unwrap_or(&site.config.language).to_string(),
            language_prefix: lang
                .map(|l| site.config.language_prefix(l))
                .unwrap_or_default(),
            home_url,
            nav,
            search: site.config.search,
            offline: site.config.offline,
            theme_color: site.config.theme_color.clone(),
            has_glossary: !site.glossary_for(lang).0.is_empty(),
            glossary_url: super::glossary_url(site, resolved, lang),
            disclaimer: language
                .and_then(|l| l.disclaimer.clone())
                .unwrap_or_else(|| site.config.disclaimer.clone()),
            t: ui.clone(),
            t_script: crate::text::html::json_in_script(
                &ui.iter()
                    .filter_map(|(k, v)| Some((k.strip_prefix("js_")?, v)))
                    .collect::<BTreeMap<_, _>>(),
            ),
        }
    }
}

fn short_title(p: &Page) -> String {
    p.meta.title.clone()
}

impl<'r> PageContext<'r> {
    /// Builds the context of page `i`.
    pub fn new(site: &Site, resolved: &Resolved, r: &'r Rendered, i: usize) -> Self {
        let page = &site.pages[i];
        let ui = site.ui_strings(page.lang.as_deref());
        let route = &resolved.routes[i];
        let link = |j: usize| Link {
            title: site.pages[j].meta.title.clone(),
            url: resolved.routes[j].url.clone(),
        };
        let mut breadcrumbs = Vec::new();
        let mut cur = route.parent;
        while let Some(p) = cur {
            let mut crumb = link(p);
            if site.pages[p].source_rel() == "_index.md" {
                crumb.title = ui.get("home").cloned().unwrap_or_else(|| "Home".into());
            }
            breadcrumbs.push(crumb);
            cur = resolved.routes[p].parent;
        }
        breadcrumbs.reverse();
        let references_base = format!(
            "{}{}/references/",
            resolved.links.base_path,
            (page.lang.as_deref())
                .map(|l| site.config.language_prefix(l))
                .unwrap_or_default()
        );
        let references = r
            .citations
            .iter()
            .filter_map(|c| {
                let e = site.bibliography.get(&c.key)?;
                Some(PageReference {
                    number: c.number,
                    key: c.key.clone(),
                    aliases: e.aliases.clone(),
                    html: (e.html_in(site.config.citation_style(page.lang.as_deref()))).to_string(),
                    doi: e.doi.clone(),
                    pmid: e.pmid.clone(),
                    doi_url: e.doi_url(),
                    pubmed_url: e.pubmed_url(),
                    backlinks: c.backlinks.clone(),
                    references_url: format!("{references_base}#{}", c.key),
                })
            })
            .collect();
        let children = route
            .children
            .iter()
            .map(|&c| {
                let p = &site.pages[c];
                Child {
                    title: p.meta.title.clone(),
                    url: resolved.routes[c].url.clone(),
                    description: p.meta.description.clone().unwrap_or_default(),
                    kind: p.meta.kind.clone(),
                    drugs: p.meta.drugs.iter().map(Drug::for_templates).collect(),
                    drug_class: p.meta.drug_class.clone(),
                    last_reviewed: p.last_reviewed.map(iso_date),
                }
            })
            .collect();
        let last_reviewed = page.last_reviewed.map(iso_date);
        let cite = last_reviewed.as_ref().map(|date| PageCitationContext {
            text: cite::cite_page(&cite::PageInfo {
                title: &page.meta.title,
                site_title: &site.config.title,
                authors: &site.config.authors,
                url: &route.permalink,
                last_reviewed: Some(date),
            }),
            bibtex_url: format!("{}cite.bib", route.url),
            ris_url: format!("{}cite.ris", route.url),
        });
        let description = page
            .meta
            .description
            .clone()
            .unwrap_or_else(|| site.config.description.clone());
        let drug_class_url = page.meta.drug_class.as_ref().and_then(|c| {
            (resolved.taxonomies(page.lang.as_deref()).1)
                .iter()
                .find(|t| &t.name == c)
                .map(|t| format!("{}{}", resolved.links.base_path, t.path))
        });
        let template = page.meta.template.clone().unwrap_or_else(|| {
            if page.is_section_index() {
                "section.html".into()
            } else {
                "page.html".into()
            }
        });
        let json_ld = jsonld::page(site, page, route, &description);
        Self {
            title: page.meta.title.clone(),
            description,
            url: route.url.clone(),
            permalink: route.permalink.clone(),
            source: page.file.display().to_string(),
            kind: page.meta.kind.clone(),
            is_section: page.is_section_index(),
            is_home: page.rel == "_index.md",
            last_reviewed,
            last_reviewed_human: page.last_reviewed.map(|d| human_date(d, ui)),
            drug_class: page.meta.drug_class.clone(),
            drug_class_url,
            drugs: page.meta.drugs.iter().map(Drug::for_templates).collect(),
            tags: page.meta.tags.clone(),
            content: &r.html,
            toc: r
                .toc
                .iter()
                .filter(|t| t.level == 2 || t.level == 3)
                .collect(),
            references,
            calculators: r.calculators.clone(),
            data_tables: r.data_tables,
            breadcrumbs,
            prev: route.prev.map(link),
            next: route.next.map(link),
            children,
            cite,
            translations: resolved.translations[i]
                .iter()
                .map(|&j| {
                    let tag = (site.pages[j].lang.as_deref()).unwrap_or(&site.config.language);
                    let route = &resolved.routes[j];
                    Translation::new(site, tag, route.url.clone(), route.permalink.clone())
                })
                .collect(),
            json_ld,
            template,
        }
    }
}
