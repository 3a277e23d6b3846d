//! schema.org JSON-LD for pages: `MedicalWebPage` with `lastReviewed`, plus `Drug` on
//! monographs, `MedicalCondition` on the overview and `MedicalRiskScore` on calculator pages.

use serde_json::{Value, json};

use crate::load::{Page, PageKind, Site};
use crate::resolve::Route;
use crate::text::date::iso_date;
use crate::text::html::json_in_script;

/// JSON-LD for one page, serialized and safe to embed in a `<script>` element.
pub(crate) fn page(site: &Site, page: &Page, route: &Route, description: &str) -> String {
    let mut doc = json!({
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": page.meta.title,
        "description": description,
        "url": route.permalink,
        "inLanguage": page.lang.as_deref().unwrap_or(&site.config.language),
        "isPartOf": { "@type": "WebSite", "name": site.config.title, "url": site.config.base_url },
    });
    if let Some(d) = page.last_reviewed {
        doc["lastReviewed"] = Value::String(iso_date(d));
    }
    match page.meta.kind {
        PageKind::Monograph => {
            doc["medicalAudience"] =
                json!({ "@type": "MedicalAudience", "audienceType": "Clinician" });
            doc["about"] = Value::Array(
                page.meta
                    .drugs
                    .iter()
                    .map(|d| {
                        let mut drug = json!({ "@type": "Drug", "name": d.generic, "nonProprietaryName": d.generic });
                        if !d.brands.is_empty() {
                            drug["alternateName"] = json!(d.brands);
                        }
                        if let Some(c) = &page.meta.drug_class {
                            drug["drugClass"] = json!({ "@type": "DrugClass", "name": c });
                        }
                        drug
                    })
                    .collect(),
            );
        }
        PageKind::Overview => {
            doc["about"] = json!({
                "@type": "MedicalCondition",
                "name": "Hemophagocytic lymphohistiocytosis",
                "alternateName": ["Hemophagocytic syndrome", "HLH", "HPS"],
            });
        }
        PageKind::Page | PageKind::Declared(_) => {}
    }
    if page.rel.starts_with("calculators/") && !page.is_section_index() {
        doc["mainEntity"] =
            json!({ "@type": "MedicalRiskScore", "name": page.meta.title, "url": route.permalink });
    }
    json_in_script(&doc)
}
