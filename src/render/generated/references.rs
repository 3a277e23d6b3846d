//! The references page: one entry per reference with where it is cited, each reference's
//! BibTeX and RIS export, the whole bibliography's, and the data sets' downloads.

use serde::Serialize;

use super::Generator;
use crate::markdown::Rendered;
use crate::render::context::Link;
use crate::render::{AssetKind, GeneratedKind, Origin, OutputFile};

#[derive(Serialize)]
struct CitedIn {
    title: String,
    url: String,
    sections: Vec<Link>,
}

#[derive(Serialize)]
struct ReferenceEntry {
    key: String,
    aliases: Vec<String>,
    html: String,
    annotation: Option<String>,
    doi: Option<String>,
    pmid: Option<String>,
    doi_url: Option<String>,
    pubmed_url: Option<String>,
    bibtex_url: String,
    ris_url: String,
    cited_in: Vec<CitedIn>,
}

/// A data set's downloads, listed on the references page.
#[derive(Serialize)]
struct DataSetLink {
    title: String,
    records: usize,
    csv_url: String,
    json_url: String,
}

impl Generator<'_> {
    /// Renders the references page of the language generated for (its "cited in" lists
    /// that language's pages) and, for the site's own language, writes every citation
    /// export and data download.
    pub(super) fn references_page(&mut self, rendered: &[Rendered]) {
        let base = self.resolved.links.base_path.clone();
        let mut refs = Vec::new();
        for e in self.site.bibliography.entries() {
            let mut cited_in = Vec::new();
            // The pages in the language generated for.
            let in_language = (rendered.iter().enumerate())
                .filter(|(i, _)| self.site.pages[*i].lang.as_deref() == self.lang);
            for (i, r) in in_language {
                if let Some(c) = r.citations.iter().find(|c| c.key == e.key) {
                    let sections = c
                        .sections
                        .iter()
                        .filter_map(|id| r.toc.iter().find(|t| &t.id == id))
                        .map(|t| Link {
                            title: t.title.clone(),
                            url: format!("{}#{}", self.resolved.routes[i].url, t.id),
                        })
                        .collect();
                    cited_in.push(CitedIn {
                        title: self.site.pages[i].meta.title.clone(),
                        url: self.resolved.routes[i].url.clone(),
                        sections,
                    });
                }
            }
            refs.push(ReferenceEntry {
                key: e.key.clone(),
                aliases: e.aliases.clone(),
                html: (e.html_in(self.site.config.citation_style(self.lang))).to_string(),
                annotation: e.annotation.clone(),
                doi: e.doi.clone(),
                pmid: e.pmid.clone(),
                doi_url: e.doi_url(),
                pubmed_url: e.pubmed_url(),
                bibtex_url: format!("{base}/references/{}.bib", e.key),
                ris_url: format!("{base}/references/{}.ris", e.key),
                cited_in,
            });
        }
        // The downloads are written once, with the site's own language's page.
        if self.lang.is_none() {
            self.exports();
        }
        let data_sets: Vec<DataSetLink> = (self.site.data.values())
            .map(|set| DataSetLink {
                title: set.schema.title.clone(),
                records: set.records.len(),
                csv_url: format!("{base}/data/{}.csv", set.id),
                json_url: format!("{base}/data/{}.json", set.id),
            })
            .collect();
        let path = format!("{}/references/", self.prefix());
        let meta = self.page_meta(
            &path,
            self.ui("references"),
            self.ui("references_description"),
        );
        self.html_page(
            "references.html",
            GeneratedKind::Reference,
            &path,
            meta,
            |c| {
                c.insert("references", &refs);
                c.insert("bibtex_url", &format!("{base}/references/references.bib"));
                c.insert("ris_url", &format!("{base}/references/references.ris"));
                c.insert("data_sets", &data_sets);
            },
        );
    }

    /// Each reference's BibTeX and RIS, the whole bibliography's, and each data set's CSV
    /// and JSON.
    fn exports(&mut self) {
        let site = self.site;
        for e in site.bibliography.entries() {
            for (ext, text) in [
                ("bib", site.bibliography.bibtex(&e.key)),
                ("ris", site.bibliography.ris(&e.key)),
            ] {
                self.put(OutputFile {
                    path: format!("references/{}.{ext}", e.key),
                    bytes: text.unwrap_or_default().into_bytes(),
                    origin: Origin::Asset(AssetKind::CitationExport),
                });
            }
        }
        let all_bib: String = self
            .site
            .bibliography
            .entries()
            .filter_map(|e| self.site.bibliography.bibtex(&e.key))
            .collect::<Vec<_>>()
            .join("\n");
        let all_ris: String = self
            .site
            .bibliography
            .entries()
            .filter_map(|e| self.site.bibliography.ris(&e.key))
            .collect::<Vec<_>>()
            .join("\n");
        self.put(OutputFile {
            path: "references/references.bib".into(),
            bytes: all_bib.into_bytes(),
            origin: Origin::Asset(AssetKind::CitationExport),
        });
        self.put(OutputFile {
            path: "references/references.ris".into(),
            bytes: all_ris.into_bytes(),
            origin: Origin::Asset(AssetKind::CitationExport),
        });
        // Data sets: the CSV as written and typed JSON, at stable URLs.
        for set in self.site.data.values() {
            self.put(OutputFile {
                path: format!("data/{}.csv", set.id),
                bytes: set.csv.clone().into_bytes(),
                origin: Origin::Asset(AssetKind::DataDownload),
            });
            self.put(OutputFile {
                path: format!("data/{}.json", set.id),
                bytes: set.json().into_bytes(),
                origin: Origin::Asset(AssetKind::DataDownload),
            });
        }
    }
}
