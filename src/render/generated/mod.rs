//! Files hpskb generates beyond the Markdown pages: the references page and its exports,
//! the glossary, drug and drug-class indexes, alias redirects, 404, sitemap, feed, robots.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Value};

use super::context::{Link, PageContext, Translation};
use super::{AssetKind, GeneratedKind, Origin, OutputFile, Renderer, Sink, Stored, Templates, put};
use crate::diag::Diagnostic;
use crate::load::{GlossaryTerm, Site};
use crate::markdown::Rendered;
use crate::resolve::{Resolved, Route, Term};
use crate::text::date::iso_date;
use crate::text::slug::slugify;
use crate::text::url::{index_file, served_path};

mod references;

/// "Cite this page" downloads next to a page.
pub(crate) fn page_exports(ctx: &PageContext, route: &Route) -> Vec<OutputFile> {
    let Some(cite) = &ctx.cite else {
        return Vec::new();
    };
    let dir = served_path(&route.output);
    vec![
        OutputFile {
            path: format!("{dir}cite.bib"),
            bytes: cite.text.bibtex.clone().into_bytes(),
            origin: Origin::Asset(AssetKind::CitationExport),
        },
        OutputFile {
            path: format!("{dir}cite.ris"),
            bytes: cite.text.ris.clone().into_bytes(),
            origin: Origin::Asset(AssetKind::CitationExport),
        },
    ]
}

#[derive(Serialize)]
struct GeneratedPage {
    title: String,
    description: String,
    url: String,
    permalink: String,
    /// The same generated page in the site's other languages that have it (the language
    /// switcher, `hreflang` and the sitemap's alternates).
    translations: Vec<Translation>,
}

#[derive(Serialize)]
struct TermContext {
    name: String,
    brands: Vec<String>,
    url: String,
    pages: Vec<Link>,
}

#[derive(Serialize)]
struct SitemapEntry {
    permalink: String,
    lastmod: Option<String>,
    /// The page in every language it has, itself included (none for a page without
    /// translations): the sitemap's `hreflang` alternates.
    alternates: Vec<Alternate>,
}

#[derive(Serialize)]
struct Alternate {
    lang: String,
    permalink: String,
}

#[derive(Serialize)]
struct FeedEntry {
    title: String,
    permalink: String,
    updated: String,
    summary: String,
}

struct Generator<'a> {
    site: &'a Site,
    resolved: &'a Resolved,
    /// `site` in every template, serialized once, in the language generated for.
    site_value: &'a Value,
    /// The language generated for: a tag of `[languages]`, or `None` for the site's own.
    lang: Option<&'a str>,
    templates: &'a Templates,
    /// Where each file goes as soon as it is rendered.
    sink: &'a dyn Sink,
    stored: Vec<Stored>,
    diags: Vec<Diagnostic>,
    /// Paths of files a template error kept from being rendered.
    failed: Vec<String>,
    sitemap: Vec<SitemapEntry>,
}

/// A file a template error kept from being rendered.
struct Failed {
    path: String,
    diagnostic: Box<Diagnostic>,
}

/// What became of the generated files.
pub(crate) struct Generated {
    /// Each file handed to the sink.
    pub stored: Vec<Stored>,
    /// Template errors.
    pub diags: Vec<Diagnostic>,
    /// Paths of the files those errors kept from being rendered.
    pub failed: Vec<String>,
}

impl<'a> Generator<'a> {
    fn new(
        site: &'a Site,
        resolved: &'a Resolved,
        site_value: &'a Value,
        templates: &'a Templates,
        sink: &'a dyn Sink,
    ) -> Self {
        Generator {
            site,
            resolved,
            site_value,
            lang: None,
            templates,
            sink,
            stored: Vec::new(),
            diags: Vec::new(),
            failed: Vec::new(),
            sitemap: Vec::new(),
        }
    }

    /// Runs `make` for each other language of the site (`[languages]`, each with its
    /// `site` value), as a generator for that language, and keeps what it produced.
    fn in_other_languages(
        &mut self,
        translated: &'a BTreeMap<String, Value>,
        make: impl Fn(&mut Generator<'a>),
    ) {
        for (tag, site_value) in translated {
            let mut other = Generator::new(
                self.site,
                self.resolved,
                site_value,
                self.templates,
                self.sink,
            );
            other.lang = Some(tag);
            make(&mut other);
            self.stored.extend(other.stored);
            self.diags.extend(other.diags);
            self.failed.extend(other.failed);
            self.sitemap.extend(other.sitemap);
        }
    }

    /// The URL path prefix of the language generated for (`/zh-hans`, or empty).
    fn prefix(&self) -> String {
        (self.lang)
            .map(|l| self.site.config.language_prefix(l))
            .unwrap_or_default()
    }

    /// The UI string `key` in the language generated for.
    fn ui(&self, key: &'a str) -> &'a str {
        let strings = self.site.ui_strings(self.lang);
        strings.get(key).map_or(key, String::as_str)
    }

    /// The pages each language has: the references page, the search page and the 404;
    /// and the glossary, in the site's language and in each that has its own.
    fn language_pages(&mut self, rendered: &[Rendered]) {
        self.references_page(rendered);
        let (terms, own) = self.site.glossary_for(self.lang);
        if !terms.is_empty() && own == self.lang {
            self.glossary_page(terms);
        }
        let prefix = self.prefix();
        // Search page (the form's no-JavaScript target and a place to link to).
        if self.site.config.search {
            let path = format!("{prefix}/search/");
            let meta = self.page_meta(&path, self.ui("search"), self.ui("search_description"));
            self.html_page("search.html", GeneratedKind::Search, &path, meta, |_| {});
        }
        let path = format!("{prefix}/404.html");
        let meta = self.page_meta(&path, self.ui("page_not_found"), "");
        let c = self.context(&meta);
        self.render(
            "404.html",
            GeneratedKind::NotFound,
            path[1..].to_string(),
            c,
        );
    }

    /// The drug and drug-class indexes of the language generated for, and a page per
    /// drug and per class.
    fn taxonomy_pages(&mut self) {
        let (site, resolved) = (self.site, self.resolved);
        let base = resolved.links.base_path.clone();
        let prefix = self.prefix();
        let (drugs, classes) = resolved.taxonomies(self.lang);
        for (name, description, path, terms) in [
            (
                self.ui("drugs"),
                self.ui("drugs_description"),
                format!("{prefix}/drugs/"),
                drugs,
            ),
            (
                self.ui("drug_classes"),
                self.ui("drug_classes_description"),
                format!("{prefix}/drug-classes/"),
                classes,
            ),
        ] {
            if terms.is_empty() {
                continue;
            }
            let list: Vec<TermContext> = terms
                .iter()
                .map(|t| term_context(site, resolved, t))
                .collect();
            let meta = self.page_meta(&path, name, description);
            self.html_page("taxonomy.html", GeneratedKind::Listing, &path, meta, |c| {
                c.insert("terms", &list);
                c.insert("term", &Option::<TermContext>::None);
            });
            // One page per term, rendered and handed to the sink in parallel (a site can have
            // a drug per monograph).
            let term_pages: Vec<_> = terms
                .par_iter()
                .map(|t| {
                    let tc = term_context(site, resolved, t);
                    let meta = self.page_meta(
                        &t.path,
                        &t.name,
                        &self.ui("term_description").replace("{term}", &t.name),
                    );
                    let (entry, file) = self.html_file(
                        "taxonomy.html",
                        GeneratedKind::Listing,
                        &t.path,
                        meta,
                        |c| {
                            c.insert("terms", &Vec::<TermContext>::new());
                            c.insert("term", &Some(tc));
                            c.insert(
                                "taxonomy",
                                &Link {
                                    title: name.into(),
                                    url: format!("{base}{path}"),
                                },
                            );
                        },
                    );
                    (entry, file.map(|f| put(self.sink, f)))
                })
                .collect();
            for (entry, stored) in term_pages {
                self.sitemap.push(entry);
                match stored {
                    Ok(w) => self.stored.push(w),
                    Err(f) => self.fail(f),
                }
            }
        }
    }

    /// The glossary page of the language generated for.
    fn glossary_page(&mut self, terms: &[GlossaryTerm]) {
        #[derive(Serialize)]
        struct Term<'a> {
            id: String,
            abbr: &'a str,
            expansion: &'a str,
            definition: &'a str,
        }
        let terms: Vec<Term<'_>> = terms
            .iter()
            .map(|t| Term {
                id: slugify(&t.abbr),
                abbr: &t.abbr,
                expansion: &t.expansion,
                definition: &t.definition,
            })
            .collect();
        let path = format!("{}/glossary/", self.prefix());
        let meta = self.page_meta(&path, self.ui("glossary"), self.ui("glossary_description"));
        self.html_page(
            "glossary.html",
            GeneratedKind::Reference,
            &path,
            meta,
            |c| c.insert("terms", &terms),
        );
    }

    fn finish(self) -> Generated {
        Generated {
            stored: self.stored,
            diags: self.diags,
            failed: self.failed,
        }
    }

    fn page_meta(&self, path: &str, title: &str, description: &str) -> GeneratedPage {
        GeneratedPage {
            title: title.into(),
            description: description.into(),
            url: format!("{}{path}", self.resolved.links.base_path),
            permalink: format!("{}{path}", self.site.config.origin_and_base()),
            translations: self.translations_of(path),
        }
    }

    /// The generated page at `path` in each other language that has it: the references,
    /// search and 404 pages are in every language; a glossary in each language that has
    /// its own (and the site's); a drug or class index and page where that language's
    /// monographs name it.
    fn translations_of(&self, path: &str) -> Vec<Translation> {
        let (site, prefix) = (self.site, self.prefix());
        let Some(rest) = path.strip_prefix(prefix.as_str()) else {
            return Vec::new();
        };
        let languages = std::iter::once(None)
            .chain(site.config.languages.keys().map(|tag| Some(tag.as_str())))
            .filter(|&lang| lang != self.lang);
        languages
            .filter_map(|lang| {
                let other = lang
                    .map(|l| site.config.language_prefix(l))
                    .unwrap_or_default();
                let there = format!("{other}{rest}");
                let exists = match rest {
                    "/references/" | "/404.html" => true,
                    "/search/" => site.config.search,
                    "/glossary/" => {
                        let (terms, own) = site.glossary_for(lang);
                        !terms.is_empty() && own == lang
                    }
                    "/drugs/" | "/drug-classes/" => {
                        let (drugs, classes) = self.resolved.taxonomies(lang);
                        !(if rest == "/drugs/" { drugs } else { classes }).is_empty()
                    }
                    _ => self.resolved.is_term_page(&there),
                };
                let tag = lang.unwrap_or(&site.config.language);
                let url = format!("{}{there}", self.resolved.links.base_path);
                let permalink = format!("{}{there}", site.config.origin_and_base());
                exists.then(|| Translation::new(site, tag, url, permalink))
            })
            .collect()
    }

    fn render(&mut self, template: &str, kind: GeneratedKind, output: String, context: Context) {
        let file = self.render_file(template, kind, output, &context);
        self.push(file);
    }

    fn render_file(
        &self,
        template: &str,
        kind: GeneratedKind,
        output: String,
        context: &Context,
    ) -> Result<OutputFile, Failed> {
        match self.templates.render(template, context) {
            Ok(text) => Ok(OutputFile {
                path: output,
                bytes: text.into_bytes(),
                origin: Origin::Template {
                    template: template.into(),
                    kind,
                },
            }),
            Err(diagnostic) => Err(Failed {
                path: output,
                diagnostic: Box::new(diagnostic),
            }),
        }
    }

    fn push(&mut self, file: Result<OutputFile, Failed>) {
        match file {
            Ok(f) => self.put(f),
            Err(f) => self.fail(f),
        }
    }

    fn fail(&mut self, f: Failed) {
        self.failed.push(f.path);
        self.diags.push(*f.diagnostic);
    }

    /// Hands `file` to the sink at once.
    fn put(&mut self, file: OutputFile) {
        self.stored.push(put(self.sink, file));
    }

    fn context(&self, page: &GeneratedPage) -> Context {
        let mut c = Context::new();
        c.insert_value("site", self.site_value.clone());
        c.insert("page", page);
        c
    }

    fn html_page(
        &mut self,
        template: &str,
        kind: GeneratedKind,
        path: &str,
        page: GeneratedPage,
        extra: impl FnOnce(&mut Context),
    ) {
        let (entry, file) = self.html_file(template, kind, path, page, extra);
        self.sitemap.push(entry);
        self.push(file);
    }

    /// Renders a generated HTML page at `path` (root-relative, ending in `/`), with its
    /// sitemap entry.
    fn html_file(
        &self,
        template: &str,
        kind: GeneratedKind,
        path: &str,
        page: GeneratedPage,
        extra: impl FnOnce(&mut Context),
    ) -> (SitemapEntry, Result<OutputFile, Failed>) {
        let mut c = self.context(&page);
        extra(&mut c);
        let file = self.render_file(template, kind, index_file(&path[1..]), &c);
        let lang = self.lang.unwrap_or(&self.site.config.language);
        let alternates = if page.translations.is_empty() {
            Vec::new()
        } else {
            let own = (lang.to_string(), page.permalink.clone());
            std::iter::once(own)
                .chain((page.translations.iter()).map(|t| (t.lang.clone(), t.permalink.clone())))
                .map(|(lang, permalink)| Alternate { lang, permalink })
                .collect()
        };
        let entry = SitemapEntry {
            permalink: page.permalink,
            lastmod: None,
            alternates,
        };
        (entry, file)
    }
}

/// Renders every generated file into `sink`, as it is rendered.
pub(crate) fn site_files(
    renderer: &Renderer,
    site: &Site,
    resolved: &Resolved,
    rendered: &[Rendered],
    sink: &dyn Sink,
) -> Generated {
    let (site_value, translated) = (&renderer.site_value, &renderer.translated);
    let mut g = Generator::new(site, resolved, site_value, &renderer.templates, sink);
    let base = resolved.links.base_path.clone();

    for (i, r) in resolved.routes.iter().enumerate() {
        let others = &resolved.translations[i];
        let alternate = |j: usize| Alternate {
            lang: (site.pages[j].lang.as_deref())
                .unwrap_or(&site.config.language)
                .to_string(),
            permalink: resolved.routes[j].permalink.clone(),
        };
        let mut alternates: Vec<Alternate> = if others.is_empty() {
            Vec::new()
        } else {
            std::iter::once(i)
                .chain(others.iter().copied())
                .map(alternate)
                .collect()
        };
        alternates.sort_by(|a, b| a.lang.cmp(&b.lang));
        g.sitemap.push(SitemapEntry {
            permalink: r.permalink.clone(),
            lastmod: site.pages[i].last_reviewed.map(iso_date),
            alternates,
        });
    }

    // Drug and drug-class indexes, in each language.
    g.taxonomy_pages();
    g.in_other_languages(translated, |other| other.taxonomy_pages());

    // The references, search and 404 pages, in each language.
    g.language_pages(rendered);
    g.in_other_languages(translated, |other| other.language_pages(rendered));

    // Aliases.
    for (output, target) in &resolved.aliases {
        let meta = g.page_meta("/", ui(site, "redirect"), "");
        let mut c = g.context(&meta);
        c.insert("target", target);
        c.insert(
            "target_permalink",
            &format!(
                "{}{}",
                site.config.origin_and_base(),
                target.strip_prefix(&base).unwrap_or(target)
            ),
        );
        g.render("alias.html", GeneratedKind::Redirect, output.clone(), c);
    }

    // Sitemap, feed, robots.
    g.sitemap.sort_by(|a, b| a.permalink.cmp(&b.permalink));
    let mut c = Context::new();
    c.insert_value("site", site_value.clone());
    c.insert("entries", &g.sitemap);
    g.render(
        "sitemap.xml",
        GeneratedKind::Machine,
        "sitemap.xml".into(),
        c,
    );

    // One feed per language: the site's at /atom.xml, each translation language's under
    // its prefix (/zh-hans/atom.xml), with that language's pages.
    let languages = std::iter::once((None, site_value)).chain(
        translated
            .iter()
            .map(|(tag, value)| (Some(tag.as_str()), value)),
    );
    for (lang, value) in languages {
        let mut feed: Vec<FeedEntry> = site
            .pages
            .iter()
            .zip(&resolved.routes)
            .filter(|(p, _)| p.lang.as_deref() == lang)
            .filter_map(|(p, r)| {
                p.last_reviewed.map(|d| FeedEntry {
                    title: p.meta.title.clone(),
                    permalink: r.permalink.clone(),
                    updated: format!("{}T00:00:00Z", iso_date(d)),
                    summary: p.meta.description.clone().unwrap_or_default(),
                })
            })
            .collect();
        feed.sort_by(|a, b| b.updated.cmp(&a.updated).then(a.title.cmp(&b.title)));
        let updated = feed
            .first()
            .map(|e| e.updated.clone())
            .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
        let prefix = lang
            .map(|l| site.config.language_prefix(l))
            .unwrap_or_default();
        let mut c = Context::new();
        c.insert_value("site", value.clone());
        c.insert("entries", &feed);
        c.insert("updated", &updated);
        c.insert(
            "feed_url",
            &format!("{}{prefix}/atom.xml", site.config.origin_and_base()),
        );
        // `/zh-hans` → `zh-hans/atom.xml`; none → `atom.xml`.
        let output = match prefix.strip_prefix('/') {
            Some(dir) => format!("{dir}/atom.xml"),
            None => "atom.xml".to_string(),
        };
        g.render("atom.xml", GeneratedKind::Machine, output, c);
    }

    let mut c = Context::new();
    c.insert_value("site", site_value.clone());
    c.insert(
        "sitemap_url",
        &format!("{}/sitemap.xml", site.config.origin_and_base()),
    );
    g.render("robots.txt", GeneratedKind::Machine, "robots.txt".into(), c);
    g.finish()
}

/// Renders the references page and the files made with it into `sink`: of the generated
/// files, the only ones that depend on what the pages' bodies cite.
pub(crate) fn references_files(
    renderer: &Renderer,
    site: &Site,
    resolved: &Resolved,
    rendered: &[Rendered],
    sink: &dyn Sink,
) -> Generated {
    let mut g = Generator::new(
        site,
        resolved,
        &renderer.site_value,
        &renderer.templates,
        sink,
    );
    g.references_page(rendered);
    g.in_other_languages(&renderer.translated, |other| {
        other.references_page(rendered)
    });
    g.finish()
}

/// The UI string `key` in the site's language (every key of the default theme's English
/// table is there: the load stage checks it).
pub(super) fn ui<'s>(site: &'s Site, key: &'s str) -> &'s str {
    site.ui_strings(None).get(key).map_or(key, String::as_str)
}

fn term_context(site: &Site, resolved: &Resolved, t: &Term) -> TermContext {
    let mut pages: Vec<Link> = t
        .pages
        .iter()
        .map(|&i| Link {
            title: site.pages[i].meta.title.clone(),
            url: resolved.routes[i].url.clone(),
        })
        .collect();
    pages.sort_by(|a, b| a.title.cmp(&b.title));
    TermContext {
        name: t.name.clone(),
        brands: t.brands.clone(),
        url: format!("{}{}", resolved.links.base_path, t.path),
        pages,
    }
}
