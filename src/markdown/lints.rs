//! Lints on the Markdown as written: nesting depth, raw HTML that runs code (see
//! [`markup`](super::markup)), table rows without a citation, images without alt text,
//! `<!-- TODO … -->` placeholders (as `hpskb new` writes them) left in a page.

use crate::diag::Code;
use pulldown_cmark::{Event, Tag, TagEnd};

use super::{CITE_SCHEME, State, markup};
use crate::diag::Diagnostic;

/// Deepest nesting of Markdown elements (blocks and inlines together) a page may use.
/// Deeper pages are an error: the search indexer takes quadratic time in the nesting depth
/// (an 8 MiB page of `> > > …` ran for over 5 minutes and 3 GB); real pages stay below 20.
pub const MAX_NESTING: usize = 100;

impl<'p, 'c, 'a> State<'p, 'c, 'a> {
    /// Counts the nesting depth, reporting the first time it exceeds [`MAX_NESTING`].
    pub(super) fn track_depth(&mut self, event: &Event<'_>, offset: usize) {
        match event {
            Event::Start(_) => {
                self.depth += 1;
                if self.depth > MAX_NESTING && !self.too_deep {
                    self.too_deep = true;
                    self.error(
                        Code::TooDeep,
                        offset,
                        format!("Markdown nested more than {MAX_NESTING} levels deep"),
                        Some("flatten the nested lists, block quotes or emphasis here".into()),
                    );
                }
            }
            Event::End(_) => self.depth = self.depth.saturating_sub(1),
            _ => {}
        }
    }

    /// Reports raw HTML that runs code or loads from another origin (see [`markup`]).
    /// An HTML block is checked whole, once it ends: a tag may span its lines.
    pub(super) fn check_raw_html(&mut self, event: &Event<'_>, offset: usize) {
        match event {
            Event::Start(Tag::HtmlBlock) => self.html_block = Some(Vec::new()),
            Event::Html(html) if self.html_block.is_some() => {
                if let Some(lines) = &mut self.html_block {
                    lines.push((html.to_string(), offset));
                }
            }
            Event::End(TagEnd::HtmlBlock) => {
                let lines = self.html_block.take().unwrap_or_default();
                let text: String = lines.iter().map(|(l, _)| l.as_str()).collect();
                if let Some(todo) = text.trim_start().strip_prefix("<!-- TODO") {
                    let what = todo.split("-->").next().unwrap_or_default();
                    let what = what.trim_start_matches(':').trim();
                    self.diagnostics.push(
                        Diagnostic::new(
                            Code::Placeholder,
                            &self.page.file,
                            format!("placeholder left: {what}"),
                        )
                        .at_offset(self.source, lines.first().map_or(offset, |l| l.1))
                        .with_hint(
                            "write this part of the page and delete the `<!-- TODO … -->` comment",
                        ),
                    );
                }
                for p in markup::check_html(&text) {
                    // The source offset of the line the problem is on.
                    let mut start = 0;
                    let mut at = offset;
                    for (line, line_offset) in &lines {
                        if p.offset < start + line.len() {
                            at = line_offset + (p.offset - start);
                            break;
                        }
                        start += line.len();
                    }
                    self.error(Code::Markup, at, p.message, Some(p.hint.into()));
                }
            }
            // In an image's alt text, raw HTML is written as text: it does nothing.
            Event::InlineHtml(_) if self.image.is_some() => {}
            Event::Html(html) | Event::InlineHtml(html) => {
                for p in markup::check_html(html) {
                    self.error(
                        Code::Markup,
                        offset + p.offset,
                        p.message,
                        Some(p.hint.into()),
                    );
                }
            }
            _ => {}
        }
    }

    /// On a page whose kind wants it, reports a table body row that cites no source: a
    /// dose or a threshold must say where it comes from. Header rows are exempt; a
    /// citation with an unknown key counts (it is an error of its own).
    pub(super) fn check_table_row(&mut self, event: &Event<'_>, offset: usize) {
        if !self.cited_rows {
            return;
        }
        match event {
            Event::Start(Tag::TableRow) => self.table_row = Some((offset, false)),
            Event::Start(Tag::Link { dest_url, .. }) if dest_url.starts_with(CITE_SCHEME) => {
                if let Some((_, cited)) = &mut self.table_row {
                    *cited = true;
                }
            }
            Event::End(TagEnd::TableRow) => {
                if let Some((start, false)) = self.table_row.take() {
                    let kind = self.page.meta.kind.name();
                    self.error(
                        Code::UncitedTableRow,
                        start,
                        "table row cites no source".into(),
                        Some(format!(
                            "every row of a table on a {kind} page cites its source: add [@key] to the row"
                        )),
                    );
                }
            }
            _ => {}
        }
    }

    /// Notes images without alt text: screen readers have nothing to say for them.
    pub(super) fn check_alt_text(&mut self, event: &Event<'_>, offset: usize) {
        match event {
            // An image in another's alt text is part of that text.
            Event::Start(Tag::Image { .. }) => match &mut self.image {
                Some((.., nested)) => *nested += 1,
                None => self.image = Some((offset, false, 0)),
            },
            Event::Text(t) | Event::Code(t) if !t.trim().is_empty() => {
                if let Some((_, has_alt, _)) = &mut self.image {
                    *has_alt = true;
                }
            }
            Event::End(TagEnd::Image) => match &mut self.image {
                Some((.., nested)) if *nested > 0 => *nested -= 1,
                _ => {
                    if let Some((at, false, _)) = self.image.take() {
                        // Images come in document order: the first one stays.
                        self.images_without_alt.get_or_insert((at, 0)).1 += 1;
                    }
                }
            },
            _ => {}
        }
    }
}
