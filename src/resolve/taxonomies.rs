//! Taxonomies: the drugs and drug classes monographs declare, each a generated page.

use std::collections::BTreeMap;

use super::Term;
use crate::load::{PageKind, Site};
use crate::text::slug::slugify;

pub(super) fn taxonomies(site: &Site) -> (Vec<Term>, Vec<Term>) {
    let mut drugs: BTreeMap<String, Term> = BTreeMap::new();
    let mut classes: BTreeMap<String, Term> = BTreeMap::new();
    // Translations are not listed: the indexes are in the site's own language.
    for (i, page) in site
        .pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.lang.is_none())
    {
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
