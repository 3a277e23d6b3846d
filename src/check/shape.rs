//! Content shape rules: required sections, reference minimums, review dates, unused
//! references and calculator sources (and, in [`super::translations`], translations in
//! step with their sources). Rules per page kind come from `config.toml`.

use crate::diag::{Code, Diagnostic};
use crate::load::front_matter::at_value;
use crate::load::{Page, PageKind, Site};
use crate::markdown::Rendered;
use crate::text::slug::slugify;
use crate::text::suggest::closest;

/// Checks every page against the rules for its kind, and the bibliography for unused entries.
pub(crate) fn check(site: &Site, rendered: &[Rendered]) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for (page, r) in site.pages.iter().zip(rendered) {
        check_page(site, page, r, &mut diags);
    }
    for e in site.bibliography.entries() {
        let cited = rendered
            .iter()
            .any(|r| r.citations.iter().any(|c| c.key == e.key));
        let used_by_calculator = site.calculators.values().any(|c| {
            c.references.iter().any(|r| {
                site.bibliography
                    .get(&r.key)
                    .is_some_and(|x| x.key == e.key)
            })
        });
        if !cited && !used_by_calculator {
            diags.push(
                Diagnostic::new(
                    Code::UncitedReference,
                    "content/references.bib",
                    format!("reference `{}` is never cited", e.key),
                )
                .with_span(e.span.clone())
                .with_hint("cite it with [@key] or remove it"),
            );
        }
    }
    diags.extend(unused_kinds(site));
    diags.extend(super::translations::check(site, rendered));
    for c in site.calculators.values() {
        for r in &c.references {
            if let Some(entry) = site.bibliography.get(&r.key).filter(|e| e.example) {
                let mut warning = entry.example_warning(&c.file);
                warning.span = r.span.clone().map(Box::new);
                diags.push(warning);
            }
            if site.bibliography.get(&r.key).is_none() {
                let hint = match site.bibliography.closest_key(&r.key) {
                    Some(k) => format!("did you mean `{k}`?"),
                    None => "add the reference to content/references.bib".to_string(),
                };
                diags.push(
                    Diagnostic::new(
                        Code::UnknownSourceReference,
                        &c.file,
                        format!(
                            "source reference `{}` is not in content/references.bib",
                            r.key
                        ),
                    )
                    .with_hint(hint),
                );
                if let (Some(d), Some(span)) = (diags.last_mut(), &r.span) {
                    d.span = Some(Box::new(span.clone()));
                }
            }
        }
    }
    diags
}

/// A warning for each kind `config.toml` declares that no page has: most likely a
/// misspelt built-in kind (`[kinds.monographs]`), whose rules then apply to nothing.
fn unused_kinds(site: &Site) -> Vec<Diagnostic> {
    let used: Vec<&PageKind> = site.pages.iter().map(|p| &p.meta.kind).collect();
    site.config
        .kinds
        .iter()
        .filter(|(kind, _)| !kind.is_built_in() && !used.contains(kind))
        .map(|(kind, rules)| {
            let others = PageKind::BUILT_IN.iter().chain(used.iter().copied());
            let hint = match closest(kind.name(), others.map(PageKind::name)) {
                Some(near) => format!("did you mean `[kinds.{near}]`?"),
                None => "give a page this kind, or remove the table".to_string(),
            };
            let d = Diagnostic::new(
                Code::UnusedKind,
                "config.toml",
                format!("kind `{}` is declared but no page has it", kind.name()),
            )
            .with_hint(hint);
            match &rules.span {
                Some(span) => d.with_span(span.clone()),
                None => d,
            }
        })
        .collect()
}

fn check_page(site: &Site, page: &Page, r: &Rendered, diags: &mut Vec<Diagnostic>) {
    if let Some(date) = page.last_reviewed {
        if date > site.today {
            diags.push(
                at_value(
                    Diagnostic::new(
                        Code::ReviewInFuture,
                        &page.file,
                        format!("`last_reviewed` {date} is in the future"),
                    ),
                    &page.front_matter,
                    &["last_reviewed"],
                )
                .with_hint("use the date the page was actually reviewed"),
            );
        } else if let Some(days) = site.config.review_interval_days {
            let age = (site.today - date).whole_days();
            if age > i64::from(days) {
                diags.push(
                    at_value(
                        Diagnostic::new(
                            Code::ReviewOverdue,
                            &page.file,
                            format!(
                                "last reviewed {age} days ago, over the {days}-day review interval"
                            ),
                        ),
                        &page.front_matter,
                        &["last_reviewed"],
                    )
                    .with_hint(
                        "review the page against current evidence and update `last_reviewed`",
                    ),
                );
            }
        }
    }
    let Some(rules) = site.config.kinds.get(&page.meta.kind) else {
        return;
    };
    if rules.require_last_reviewed && page.last_reviewed.is_none() {
        diags.push(
            Diagnostic::new(
                Code::MissingReviewDate,
                &page.file,
                format!("a {} needs `last_reviewed`", page.meta.kind.name()),
            )
            .at_offset(&page.front_matter, 0)
            .with_hint("add `last_reviewed = YYYY-MM-DD` to the front matter"),
        );
    }
    let h2: Vec<&str> = r
        .toc
        .iter()
        .filter(|t| t.level == 2)
        .map(|t| t.id.as_str())
        .collect();
    let mut cursor = 0;
    for section in &rules.required_sections {
        let id = slugify(section);
        match h2[cursor..].iter().position(|h| *h == id) {
            Some(p) => cursor += p + 1,
            None => {
                let (message, hint) = if h2.contains(&id.as_str()) {
                    (
                        format!("section `## {section}` is out of order"),
                        format!(
                            "{} sections go in this order: {}",
                            page.meta.kind.name(),
                            rules.required_sections.join(", ")
                        ),
                    )
                } else {
                    (
                        format!("required section `## {section}` is missing"),
                        format!(
                            "every {} has these sections, in order: {}",
                            page.meta.kind.name(),
                            rules.required_sections.join(", ")
                        ),
                    )
                };
                diags.push(
                    Diagnostic::new(Code::MissingSection, &page.file, message)
                        .at_offset(&page.front_matter, 0)
                        .with_hint(hint),
                );
            }
        }
    }
    let distinct = r.citations.len();
    if distinct < rules.min_references {
        diags.push(
            Diagnostic::new(
                Code::TooFewReferences,
                &page.file,
                format!(
                    "cites {distinct} distinct references; a {} needs at least {}",
                    page.meta.kind.name(),
                    rules.min_references
                ),
            )
            .at_offset(&page.front_matter, 0)
            .with_hint("support the page's claims with more verified sources"),
        );
    }
}
