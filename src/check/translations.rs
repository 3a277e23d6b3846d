//! Translations in step with their sources: the review each translates, the pages not yet
//! translated, and what a faithful translation keeps — the source's sections (heading
//! ids), its citations and every number it states.

use std::collections::{BTreeMap, HashMap};

use crate::diag::{Code, Diagnostic};
use crate::load::front_matter::at_value;
use crate::load::{Page, Site};
use crate::markdown::Rendered;

/// Every translation warning of the site.
pub(crate) fn check(site: &Site, rendered: &[Rendered]) -> Vec<Diagnostic> {
    let mut diags = stale_translations(site);
    diags.extend(untranslated(site));
    diags.extend(unfaithful(site, rendered));
    diags
}

/// A warning for each translation that does not record the review of its source it
/// translates, or whose source has been reviewed since: its text may no longer say what
/// the source says.
fn stale_translations(site: &Site) -> Vec<Diagnostic> {
    let sources: std::collections::HashMap<&str, &Page> = (site.pages.iter())
        .filter(|p| p.lang.is_none())
        .map(|p| (p.rel.as_str(), p))
        .collect();
    let mut diags = Vec::new();
    for page in site.pages.iter().filter(|p| p.lang.is_some()) {
        let Some(source) = sources.get(page.source_rel().as_ref()) else {
            continue;
        };
        let Some(reviewed) = source.last_reviewed else {
            continue;
        };
        let translated = page
            .meta
            .source_reviewed
            .and_then(|dt| dt.date)
            .map(|d| (i32::from(d.year), d.month, d.day));
        let source_date = (reviewed.year(), u8::from(reviewed.month()), reviewed.day());
        let message = match translated {
            None => format!(
                "this translation of {} does not record the review it translates (`source_reviewed`)",
                source.file.display()
            ),
            Some(date) if date < source_date => format!(
                "{} was reviewed on {reviewed}, after the review this translation translates",
                source.file.display()
            ),
            Some(_) => continue,
        };
        let d = Diagnostic::new(Code::StaleTranslation, &page.file, message).with_hint(format!(
            "bring the translation in step with the source, then set `source_reviewed = {reviewed}`"
        ));
        diags.push(match page.meta.source_reviewed {
            Some(_) => at_value(d, &page.front_matter, &["source_reviewed"]),
            None => d.at_offset(&page.front_matter, 0),
        });
    }
    diags
}

/// One warning per language of `[languages]` listing the pages not yet translated into it
/// (a few by name, then a count), so that an edition's gaps are visible in `check`.
fn untranslated(site: &Site) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for tag in site.config.languages.keys() {
        let translated: std::collections::HashSet<std::borrow::Cow<'_, str>> = (site.pages.iter())
            .filter(|p| p.lang.as_deref() == Some(tag.as_str()))
            .map(Page::source_rel)
            .collect();
        let missing: Vec<&Page> = (site.pages.iter())
            .filter(|p| p.lang.is_none() && !translated.contains(p.rel.as_str()))
            .collect();
        let Some(first) = missing.first() else {
            continue;
        };
        const NAMED: usize = 5;
        let mut names: Vec<String> = (missing.iter().take(NAMED))
            .map(|p| p.file.display().to_string())
            .collect();
        if missing.len() > NAMED {
            names.push(format!("and {} more", missing.len() - NAMED));
        }
        diags.push(
            Diagnostic::new(
                Code::Untranslated,
                &first.file,
                format!(
                    "{} of {} pages have no {tag} translation: {}",
                    missing.len(),
                    site.pages.iter().filter(|p| p.lang.is_none()).count(),
                    names.join(", ")
                ),
            )
            .with_hint(format!(
                "translate a page into `name.{tag}.md` beside it, or remove `[languages.{tag}]` from config.toml"
            )),
        );
    }
    diags
}

/// Per translation whose source is rendered: a warning when a section of the source has
/// no heading with its id in the translation (or the other way round: the language
/// switcher and required sections match by id), when the two cite different references,
/// or when the numbers the two state differ (each number as written, counted).
fn unfaithful(site: &Site, rendered: &[Rendered]) -> Vec<Diagnostic> {
    let by_rel: HashMap<&str, usize> = (site.pages.iter().enumerate())
        .filter(|(_, p)| p.lang.is_none())
        .map(|(i, p)| (p.rel.as_str(), i))
        .collect();
    let mut diags = Vec::new();
    for (page, r) in site.pages.iter().zip(rendered) {
        let Some(&s) = page
            .lang
            .as_ref()
            .and_then(|_| by_rel.get(page.source_rel().as_ref()))
        else {
            continue;
        };
        let (source, sr) = (&site.pages[s], &rendered[s]);
        let ids = |r: &Rendered| -> Vec<(String, Option<usize>)> {
            (r.toc.iter())
                .map(|t| (format!("#{}", t.id), Some(t.offset)))
                .collect()
        };
        let keys = |r: &Rendered| -> Vec<(String, Option<usize>)> {
            (r.citations.iter())
                .map(|c| (format!("[@{}]", c.key), None))
                .collect()
        };
        let numbers = |r: &Rendered| -> Vec<(String, Option<usize>)> {
            (r.numbers.iter())
                .map(|(n, offset)| (n.clone(), Some(*offset)))
                .collect()
        };
        for (what, code, theirs, ours, hint) in [
            (
                "sections",
                Code::TranslationSections,
                ids(sr),
                ids(r),
                "give each translated heading its source's id: `## 要点 {#key-points}`",
            ),
            (
                "citations",
                Code::TranslationContent,
                keys(sr),
                keys(r),
                "cite what the source cites, where it cites it",
            ),
            (
                "numbers",
                Code::TranslationContent,
                numbers(sr),
                numbers(r),
                "write every number as the source writes it (digits, not words)",
            ),
        ] {
            let names = |list: &[(String, Option<usize>)]| -> Vec<String> {
                list.iter().map(|(name, _)| name.clone()).collect()
            };
            let Some(difference) = difference(&names(&theirs), &names(&ours)) else {
                continue;
            };
            let d = Diagnostic::new(
                code,
                &page.file,
                format!(
                    "the {what} of this translation differ from {}'s: {difference}",
                    source.file.display()
                ),
            )
            .with_hint(hint);
            // Where the translation first departs from its source, in order (or its
            // last item, when it only lacks the source's last ones).
            let first = (ours.iter().zip(&theirs).position(|(o, t)| o.0 != t.0))
                .unwrap_or(ours.len().min(theirs.len()));
            let offset = (ours.get(first).or(ours.last())).and_then(|(_, offset)| *offset);
            let located = offset.and_then(|o| Some((o, page.read_source(&site.root).ok()?)));
            diags.push(match located {
                Some((offset, text)) => d.at_offset(&text, offset),
                None => d,
            });
        }
    }
    diags
}

/// What `ours` lacks of `theirs` and has beyond it, counting repeats; `None` when the
/// two hold the same items.
fn difference(theirs: &[String], ours: &[String]) -> Option<String> {
    let mut count: BTreeMap<&str, i64> = BTreeMap::new();
    for t in theirs {
        *count.entry(t).or_default() += 1;
    }
    for o in ours {
        *count.entry(o).or_default() -= 1;
    }
    let list = |sign: i64| -> Vec<&str> {
        count
            .iter()
            .filter(|(_, n)| n.signum() == sign)
            .map(|(k, _)| *k)
            .collect()
    };
    let (missing, extra) = (list(1), list(-1));
    let mut parts = Vec::new();
    const SHOWN: usize = 8;
    for (name, items) in [("missing", missing), ("extra", extra)] {
        if !items.is_empty() {
            let more = items.len().saturating_sub(SHOWN);
            let mut shown = items[..items.len().min(SHOWN)].join(", ");
            if more > 0 {
                shown += &format!(" and {more} more");
            }
            parts.push(format!("{name} {shown}"));
        }
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn differences_count_repeats() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(difference(&s(&["1", "2", "2"]), &s(&["2", "1", "2"])), None);
        assert_eq!(
            difference(&s(&["1", "2", "2"]), &s(&["2", "3"])),
            Some("missing 1, 2; extra 3".to_string())
        );
    }
}
