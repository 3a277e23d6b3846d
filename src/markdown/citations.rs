//! Citations: `[@key]` and `[see @key, p. 3]` numbered per page and linked to the reference list.

use crate::diag::Code;
use pulldown_cmark::Event;

use super::{CitedRef, State};
use crate::cite;
use crate::text::html::escape;

pub(super) const CITE_SCHEME: &str = "hpskb-cite:";

pub(super) struct Citation {
    pub(super) label: String,
    pub(super) offset: usize,
}

impl<'p, 'c, 'a> State<'p, 'c, 'a> {
    pub(super) fn citation_html(&mut self, c: Citation) {
        // Alt text is an attribute: a citation there could not link to its reference, nor
        // the reference list back to it.
        if self.image.is_some() {
            self.error(
                Code::CitationSyntax,
                c.offset,
                format!("citation `[{}]` in an image's alt text", c.label),
                Some(format!(
                    "cite the source after the image, in its caption: `![…](fig.png) [{}]`",
                    c.label
                )),
            );
            return;
        }
        let Some(items) = cite::parse_citation_label(&c.label) else {
            let hint = match cite::key_inside(&c.label).filter(|_| !c.label.starts_with('@')) {
                Some(at) => format!(
                    "a citation starts with its key: write the words before it outside the brackets, `{} [{}]`",
                    c.label[..at].trim_end(),
                    &c.label[at..]
                ),
                None => "write citations as [@key], [@a; @b] or [@key, p. 12]".into(),
            };
            self.error(
                Code::CitationSyntax,
                c.offset,
                format!("cannot read citation `[{}]`", c.label),
                Some(hint),
            );
            return;
        };
        let mut parts = Vec::new();
        for item in items {
            // An alias (`ids`) cites its entry, numbered and linked under the entry's key.
            let Some(entry) = self.ctx.bibliography.get(&item.key) else {
                let hint = match self.ctx.bibliography.closest_key(&item.key) {
                    Some(k) => format!("did you mean `@{k}`?"),
                    None => "add the reference to content/references.bib".to_string(),
                };
                self.error(
                    Code::UnknownCitation,
                    c.offset,
                    format!("unknown citation key `{}`", item.key),
                    Some(hint),
                );
                continue;
            };
            let key = entry.key.clone();
            if entry.example {
                let warning = entry.example_warning(&self.page.file);
                self.diagnostics
                    .push(warning.at_offset(self.source, c.offset));
            }
            let (occurrence, number) = self.cite(&key);
            let locator = item
                .locator
                .map(|l| format!("<span class=\"cite-locator\">({})</span>", escape(&l)))
                .unwrap_or_default();
            parts.push(format!(
                "<a href=\"#ref-{key}\" id=\"{occurrence}\" role=\"doc-noteref\" aria-label=\"Reference {number}\">{number}</a>{locator}",
                key = escape(&key)
            ));
        }
        if !parts.is_empty() {
            self.trim_space_before_citation();
            self.emit(Event::InlineHtml(
                format!("<sup class=\"cite\">{}</sup>", parts.join(",")).into(),
            ));
        }
    }

    /// Records one citation of `key` (an entry's own key) on the page: its occurrence id
    /// (`cite-3`, the back link's target) and its number in the page's reference list.
    pub(super) fn cite(&mut self, key: &str) -> (String, usize) {
        self.occurrences += 1;
        let occurrence = format!("cite-{}", self.occurrences);
        let next = self.cited.len() + 1;
        let number = *self.cite_number.entry(key.to_string()).or_insert(next);
        if number == next {
            self.cited.push(CitedRef {
                key: key.to_string(),
                number,
                backlinks: Vec::new(),
                sections: Vec::new(),
            });
        }
        let cited = &mut self.cited[number - 1];
        cited.backlinks.push(occurrence.clone());
        if !self.current_section.is_empty() && !cited.sections.contains(&self.current_section) {
            cited.sections.push(self.current_section.clone());
        }
        (occurrence, number)
    }

    /// Superscript citation numbers sit right after the word they support: drop the
    /// space an author typed before `[@key]`.
    pub(super) fn trim_space_before_citation(&mut self) {
        let last = match &mut self.heading {
            Some(h) => h.events.last_mut(),
            None => self.out.back_mut(),
        };
        if let Some(Event::Text(t)) = last {
            let trimmed = t.trim_end();
            if trimmed.len() != t.len() {
                *t = trimmed.to_string().into();
            }
        }
    }
}
