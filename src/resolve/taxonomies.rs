//! Taxonomies: the drugs and drug classes monographs declare, each a generated page, in
//! the site's language and in each language monographs are translated into.

use std::collections::BTreeMap;

use super::Term;
use crate::load::{PageKind, Site};
use crate::text::slug::slugify;

/// The drugs and drug classes of the monographs in `lang` (`None`: the site's language),
/// under `prefix` (`/zh-hans`, or empty). A drug's page is named by its generic name (the
/// same URL in every language) and shows the name the pages write (`name`).
pub(super) fn taxonomies(site: &Site, lang: Option<&str>, prefix: &str) -> (Vec<Term>, Vec<Term>) {
    let mut drugs: BTreeMap<String, Term> = BTreeMap::new();
    let mut classes: BTreeMap<String, Term> = BTreeMap::new();
    for (i, page) in site
        .pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.lang.as_deref() == lang)
    {
        if page.meta.kind != PageKind::Monograph {
            continue;
        }
        for d in &page.meta.drugs {
            let term = drugs
                .entry(d.generic.to_lowercase())
                .or_insert_with(|| Term {
                    name: d.shown_name().to_string(),
                    brands: Vec::new(),
                    path: format!("{prefix}/drugs/{}/", slugify(&d.generic)),
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
                path: format!("{prefix}/drug-classes/{}/", slugify(c)),
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
