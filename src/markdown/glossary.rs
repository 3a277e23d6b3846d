//! Glossary: a link on the first use of each abbreviation on a page (not inside a link,
//! one written in raw HTML included: a link cannot hold another).

use pulldown_cmark::{CowStr, Event};

use super::{SourceLink, State};
use crate::text::html::escape;
use crate::text::slug::slugify;

/// Words (runs of letters, digits and inner hyphens) with their byte offsets. Scripts
/// written without spaces (Chinese, Japanese, Korean) are not part of a word, so that an
/// abbreviation in a Chinese sentence (`发生HLH的患者`) is a word of its own.
pub(super) fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        let inner =
            (c.is_alphanumeric() && !written_without_spaces(c)) || (c == '-' && start.is_some());
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

/// Whether `c` belongs to a script whose words are not separated by spaces: CJK
/// ideographs, kana and hangul.
fn written_without_spaces(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF
            | 0xF900..=0xFAFF | 0x20000..=0x3FFFF)
}

/// How many `<a>` start tags `html` opens, less the `</a>` end tags it closes.
fn raw_links_opened(html: &str) -> isize {
    let bytes = html.as_bytes();
    let tag = |at: usize, name: &[u8]| {
        bytes
            .get(at..at + name.len())
            .is_some_and(|b| b.eq_ignore_ascii_case(name))
            && bytes
                .get(at + name.len())
                .is_none_or(|c| c.is_ascii_whitespace() || matches!(c, b'>' | b'/'))
    };
    let mut opened = 0;
    for at in memchr::memchr_iter(b'<', bytes) {
        if tag(at + 1, b"a") {
            opened += 1;
        } else if tag(at + 1, b"/a") {
            opened -= 1;
        }
    }
    opened
}

impl<'p, 'c, 'a> State<'p, 'c, 'a> {
    /// Counts the `<a>` elements raw HTML opens and closes, so that no glossary link is
    /// put inside one.
    pub(super) fn track_raw_links(&mut self, event: &Event<'_>) {
        // (In an image's alt text, raw HTML is written as text.)
        if let Event::Html(html) | Event::InlineHtml(html) = event
            && self.image.is_none()
        {
            self.raw_links = self.raw_links.saturating_add_signed(raw_links_opened(html));
        }
    }

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
            let href = format!("{}#{}", self.ctx.glossary_url, slugify(&term.abbr));
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
