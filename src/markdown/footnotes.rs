//! Footnotes: definitions found for locating problems, references without a definition
//! and labels defined twice reported.

use crate::diag::Code;
use pulldown_cmark::{Event, Parser, Tag};

use super::{Footnote, State, options};
use crate::load::Page;

/// The footnote definitions in a page's Markdown, in order; `source` is the page's whole
/// text. For locating problems: rendering does not keep them.
pub fn footnotes(page: &Page, source: &str) -> Vec<Footnote> {
    let body = source.get(page.body_offset()..).unwrap_or_default();
    Parser::new_ext(body, options())
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::FootnoteDefinition(label)) => Some(Footnote {
                label: label.to_string(),
                offset: page.body_offset() + range.start,
            }),
            _ => None,
        })
        .collect()
}

impl<'p, 'c, 'a> State<'p, 'c, 'a> {
    /// Reports `[^label]` when the page defines no such footnote (it would be printed as
    /// it was typed).
    pub(super) fn check_footnote_reference(&mut self, event: &Event<'_>, offset: usize) {
        let Event::Text(text) = event else {
            self.after_bracket = false;
            return;
        };
        if self.after_bracket
            && self.code_fence.is_none()
            && let Some(label) = text
                .strip_prefix('^')
                .filter(|l| !l.is_empty() && !l.contains(char::is_whitespace))
        {
            self.error(
                Code::UndefinedFootnote,
                offset.saturating_sub(1),
                format!("footnote `[^{label}]` has no definition on this page"),
                Some(format!(
                    "add a line `[^{label}]: …` to the page, or remove the reference"
                )),
            );
        }
        self.after_bracket = &**text == "[";
    }

    /// Records a footnote definition, reporting a label defined twice (references reach
    /// only the first, and both would have one id).
    pub(super) fn define_footnote(&mut self, label: &str, offset: usize) {
        match self.footnotes.get(label) {
            Some(&first) => {
                // Past the cap, the first one is not located either.
                if self.over_error_cap() {
                    return;
                }
                let written = format!("[^{label}]");
                let len = if self
                    .source
                    .get(first..)
                    .is_some_and(|s| s.starts_with(&written))
                {
                    written.len()
                } else {
                    1
                };
                self.error_with(
                    Code::DuplicateFootnote,
                    offset,
                    format!("footnote `[^{label}]` is defined twice on this page"),
                    Some(
                        "give each footnote its own label; references reach only the first".into(),
                    ),
                    Some((first..first + len, "first defined here")),
                );
            }
            None => {
                self.footnotes.insert(label.to_string(), offset);
            }
        }
    }
}
