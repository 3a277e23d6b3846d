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
    /// Renders the references page and writes every citation export and data download.
    pub(super) fn references_page(&mut self, rendered: &[Rendered]) {
        let base = self.resolved.links.base_path.clone();
        let mut refs = Vec::new();
        for e in self.site.bibliography.entries() {
            let mut cited_in = Vec::new();
            for (i, r) in rendered.iter().enumerate() {
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
            for (ext, text) in [
                ("bib", self.site.bibliography.bibtex(&e.key)),
                ("ris", self.site.bibliography.ris(&e.key)),
            ] {
                self.put(OutputFile {
                    path: format!("references/{}.{ext}", e.key),
                    bytes: text.unwrap_or_default().into_bytes(),
                    origin: Origin::Asset(AssetKind::CitationExport),
                });
            }
            refs.push(ReferenceEntry {
                key: e.key.clone(),
                aliases: e.aliases.clone(),
                html: e.html.clone(),
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
        let mut data_sets = Vec::new();
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
            data_sets.push(DataSetLink {
                title: set.schema.title.clone(),
                records: set.records.len(),
                csv_url: format!("{base}/data/{}.csv", set.id),
                json_url: format!("{base}/data/{}.json", set.id),
            });
        }
        let meta = self.page_meta(
            "/references/",
            super::ui(self.site, "references"),
            super::ui(self.site, "references_description"),
        );
        self.html_page(
            "references.html",
            GeneratedKind::Reference,
            "/references/",
            meta,
            |c| {
                c.insert("references", &refs);
                c.insert("bibtex_url", &format!("{base}/references/references.bib"));
                c.insert("ris_url", &format!("{base}/references/references.ris"));
                c.insert("data_sets", &data_sets);
            },
        );
    }
}
