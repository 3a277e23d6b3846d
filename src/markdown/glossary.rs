//! Glossary: a link on the first use of each abbreviation on a page.

use pulldown_cmark::{CowStr, Event};

use super::{SourceLink, State};
use crate::text::html::escape;
use crate::text::slug::slugify;

/// Words (runs of letters, digits and inner hyphens) with their byte offsets.
pub(super) fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        let inner = c.is_alphanumeric() || (c == '-' && start.is_some());
        match (inner, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, text[s..i].trim_end_matches('-')));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, text[s..].trim_end_matches('-')));
    }
    out.into_iter()
}

impl<'p, 'c, 'a> State<'p, 'c, 'a> {
    pub(super) fn text_with_glossary(&mut self, text: CowStr<'a>) {
        let mut last = 0;
        let mut pieces: Vec<Event<'a>> = Vec::new();
        for (start, word) in words(&text) {
            let term = self.glossary.get(word).copied().or_else(|| {
                word.strip_suffix('s')
                    .and_then(|w| self.glossary.get(w).copied())
            });
            let Some(term) = term else { continue };
            if !self.glossary_used.insert(term.abbr.as_str()) {
                continue;
            }
            if start > last {
                pieces.push(Event::Text(text[last..start].to_string().into()));
            }
            let href = format!("{}#{}", self.ctx.links.glossary_url, slugify(&term.abbr));
            self.links.push(SourceLink {
                href: href.clone(),
                offset: 0,
                reported: false,
            });
            pieces.push(Event::InlineHtml(
                format!(
                    "<a class=\"term\" href=\"{}\"><abbr title=\"{}\">{}</abbr></a>",
                    escape(&href),
                    escape(&term.expansion),
                    escape(word)
                )
                .into(),
            ));
            last = start + word.len();
        }
        if pieces.is_empty() {
            self.emit(Event::Text(text));
            return;
        }
        if last < text.len() {
            pieces.push(Event::Text(text[last..].to_string().into()));
        }
        for p in pieces {
            self.emit(p);
        }
    }
}
