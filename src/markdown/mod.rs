//! Stage 3a, render Markdown: pulldown-cmark events, transformed, to HTML.
//!
//! Transforms applied in one pass over the event stream: heading ids and anchor links,
//! table of contents, `.md` link rewriting (recorded for the link checker), Pandoc
//! citations (`[@key]`) numbered per page, GFM alerts as callouts, ```` ```calculator ````
//! fences, and a link on the first use of each glossary abbreviation.

mod calculators;
mod callouts;
mod citations;
mod css;
mod data;
mod footnotes;
mod glossary;
mod headings;
mod links;
mod lints;
mod markup;
mod numbers;
mod rendered;

use std::cell::RefCell;
use std::collections::{BTreeMap, VecDeque};
use std::ops::Range;

use pulldown_cmark::{
    BrokenLink, CodeBlockKind, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd,
};
use rustc_hash::{FxHashMap, FxHashSet};

use crate::calc::Calculator;
use crate::cite::{self, Bibliography};
use crate::config::KindRules;
use crate::data::DataSet;
use crate::diag::{Cap, Code, Diagnostic};
use crate::load::{GlossaryTerm, Page, PageKind};
use crate::resolve::LinkTargets;

use citations::{CITE_SCHEME, Citation};
pub use footnotes::footnotes;
use headings::Heading;
pub use links::links_to_markdown;
pub use lints::MAX_NESTING;
pub use rendered::{CitedRef, Footnote, Rendered, SourceLink, TocEntry};

/// Read-only site data the Markdown renderer needs.
pub struct Context<'a> {
    /// Where pages and assets live.
    pub links: &'a LinkTargets,
    /// For citations.
    pub bibliography: &'a Bibliography,
    /// For calculator fences.
    pub calculators: &'a BTreeMap<String, Calculator>,
    /// For abbreviation links: the glossary of the page's language.
    pub glossary: &'a [GlossaryTerm],
    /// URL of that glossary's page (`/kb/glossary/`, `/kb/zh-hans/glossary/`).
    pub glossary_url: &'a str,
    /// The UI strings of the page's language (the calculators' own words).
    pub ui: &'a BTreeMap<String, String>,
    /// For data tables, charts and aggregates, by set name.
    pub data: &'a BTreeMap<String, DataSet>,
    /// Rules per page kind, for those the Markdown itself shows (`cited_table_rows`).
    pub kinds: &'a BTreeMap<PageKind, KindRules>,
    /// Whether to collect the numbers the text states ([`Rendered::numbers`]): only a
    /// site with translations holds pages to each other's numbers.
    pub numbers: bool,
}

/// The pulldown-cmark extensions hpskb enables.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_DEFINITION_LIST
}

/// Renders a page's Markdown body; `source` is the page's whole text (front matter and
/// body), which diagnostics point into.
pub fn render(page: &Page, source: &str, ctx: &Context<'_>) -> Rendered {
    let body = source.get(page.body_offset()..).unwrap_or_default();
    // `[text][label]` and `[text][]` whose label the page never defines: pulldown-cmark
    // prints them as typed; they are reported once the page is rendered.
    let undefined_labels = RefCell::new(Vec::new());
    let callback = |link: BrokenLink<'_>| {
        let label = link.reference.trim();
        match link.link_type {
            LinkType::Shortcut | LinkType::ShortcutUnknown
                if label.starts_with('@') || cite::key_inside(label).is_some() =>
            {
                Some((
                    CowStr::from(format!("{CITE_SCHEME}{label}")),
                    CowStr::from(""),
                ))
            }
            LinkType::Reference
            | LinkType::ReferenceUnknown
            | LinkType::Collapsed
            | LinkType::CollapsedUnknown => {
                undefined_labels
                    .borrow_mut()
                    .push((link.span.start, label.to_string()));
                None
            }
            _ => None,
        }
    };
    let parser = Parser::new_with_broken_link_callback(body, options(), Some(callback));
    let mut events = Transform {
        parser: parser.into_offset_iter(),
        state: State::new(page, source, ctx),
        offset: page.body_offset(),
        done: false,
    };
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, &mut events);
    let mut undefined = undefined_labels.take();
    undefined.dedup();
    for (at, label) in undefined {
        events.state.error(
            Code::UndefinedLinkLabel,
            page.body_offset() + at,
            format!("link label `[{label}]` is not defined on this page"),
            Some(format!(
                "add a line `[{label}]: page.md` (or a URL) to the page, write the link inline (`[text](page.md)`), or, if the brackets are text, escape them: `\\[…\\]`"
            )),
        );
    }
    events.state.finish(html)
}

/// The page's events as the HTML writer pulls them: parser events through [`State`],
/// each released as soon as nothing later can change it.
struct Transform<'p, 'c, 'a, I> {
    parser: I,
    state: State<'p, 'c, 'a>,
    /// Byte offset of the body in the page's file.
    offset: usize,
    /// Whether the parser is exhausted.
    done: bool,
}

impl<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> Iterator for Transform<'_, '_, 'a, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        loop {
            // A trailing text event waits for the next event: a citation right after it
            // trims its trailing space.
            let held = !self.done && matches!(self.state.out.back(), Some(Event::Text(_)));
            if self.state.out.len() > usize::from(held) {
                return self.state.out.pop_front();
            }
            if self.done {
                return None;
            }
            match self.parser.next() {
                // Most structural events need no transform: with nothing queued before
                // them, they go straight to the writer.
                Some((event, range)) if self.state.out.is_empty() && self.state.passes(&event) => {
                    self.state.track_depth(&event, self.offset + range.start);
                    self.state
                        .check_table_row(&event, self.offset + range.start);
                    self.state.after_bracket = false;
                    return Some(event);
                }
                Some((event, range)) => self.state.event(event, self.offset + range.start),
                None => {
                    self.done = true;
                    if self.state.heading.is_some() {
                        self.state.finish_heading();
                    }
                }
            }
        }
    }
}

struct State<'p, 'c, 'a> {
    page: &'p Page,
    /// The page's whole text.
    source: &'p str,
    ctx: &'c Context<'c>,
    /// Events ready for the HTML writer (but for a trailing text, see [`Transform`]).
    out: VecDeque<Event<'a>>,
    heading: Option<Heading<'a>>,
    citation: Option<Citation>,
    /// The fence being read: its info string, body so far and offset.
    code_fence: Option<(&'static str, String, usize)>,
    link_depth: usize,
    code_depth: usize,
    ids: FxHashSet<String>,
    explicit_ids: FxHashSet<String>,
    toc: Vec<TocEntry>,
    cited: Vec<CitedRef>,
    cite_number: FxHashMap<String, usize>,
    occurrences: usize,
    current_section: String,
    links: Vec<SourceLink>,
    calculators: Vec<String>,
    /// Data sets the page shows, in order of first use.
    data_sets: Vec<String>,
    /// Whether the page has a data table (and needs its script).
    data_tables: bool,
    /// Charts on the page so far (their ids are `chart-<n>`).
    charts: usize,
    /// Footnote labels defined so far, with their first definition's offset.
    footnotes: FxHashMap<String, usize>,
    glossary: FxHashMap<&'c str, &'c GlossaryTerm>,
    glossary_used: FxHashSet<&'c str>,
    diagnostics: Vec<Diagnostic>,
    /// The page's errors located so far, and those past the cap.
    cap: Cap,
    /// Current nesting depth of elements (open `Start` events).
    depth: usize,
    /// Whether exceeding [`MAX_NESTING`] was already reported.
    too_deep: bool,
    /// Whether the last event was the text `[`: pulldown-cmark writes a footnote
    /// reference with no definition as the texts `[`, `^label`, `]`.
    after_bracket: bool,
    /// Whether every body row of a table must cite a source (the page kind's
    /// `cited_table_rows`).
    cited_rows: bool,
    /// The table body row being read: its offset, and whether it cites a source so far.
    table_row: Option<(usize, bool)>,
    /// The image being read: its offset, whether it has alt text so far, and how many
    /// images are open inside its alt text.
    image: Option<(usize, bool, usize)>,
    /// Images without alt text: the first one's offset, and how many.
    images_without_alt: Option<(usize, usize)>,
    /// The lines of the HTML block being read, each with its offset.
    html_block: Option<Vec<(String, usize)>>,
    /// How many `<a>` elements written in raw HTML are open (no glossary link inside).
    raw_links: usize,
    /// The numbers the page's text states, in order, each with the offset of its text.
    numbers: Vec<(String, usize)>,
}

impl<'p, 'c, 'a> State<'p, 'c, 'a> {
    fn new(page: &'p Page, source: &'p str, ctx: &'c Context<'c>) -> Self {
        Self {
            page,
            source,
            ctx,
            out: VecDeque::new(),
            heading: None,
            citation: None,
            code_fence: None,
            link_depth: 0,
            code_depth: 0,
            ids: FxHashSet::default(),
            explicit_ids: FxHashSet::default(),
            toc: Vec::new(),
            cited: Vec::new(),
            cite_number: FxHashMap::default(),
            occurrences: 0,
            current_section: String::new(),
            links: Vec::new(),
            calculators: Vec::new(),
            data_sets: Vec::new(),
            data_tables: false,
            charts: 0,
            footnotes: FxHashMap::default(),
            glossary: ctx.glossary.iter().map(|t| (t.abbr.as_str(), t)).collect(),
            glossary_used: FxHashSet::default(),
            diagnostics: Vec::new(),
            cap: Cap::default(),
            depth: 0,
            too_deep: false,
            after_bracket: false,
            cited_rows: ctx
                .kinds
                .get(&page.meta.kind)
                .is_some_and(|rules| rules.cited_table_rows),
            table_row: None,
            image: None,
            images_without_alt: None,
            html_block: None,
            raw_links: 0,
            numbers: Vec::new(),
        }
    }

    /// Whether the page already has as many errors as are reported one by one ([`Cap`]);
    /// if so, one more is counted (and need not be worded or located).
    fn over_error_cap(&mut self) -> bool {
        self.cap.full()
    }

    fn error(&mut self, code: Code, offset: usize, message: String, hint: Option<String>) {
        self.error_with(code, offset, message, hint, None);
    }

    /// An error at `offset`, with a secondary label (a byte range of the page and what is
    /// there), e.g. the first of two definitions.
    fn error_with(
        &mut self,
        code: Code,
        offset: usize,
        message: String,
        hint: Option<String>,
        label: Option<(std::ops::Range<usize>, &str)>,
    ) {
        if self.over_error_cap() {
            return;
        }
        let mut d = Diagnostic::new(code, &self.page.file, message).at_offset(self.source, offset);
        if let Some((range, what)) = label {
            d = d.with_label(self.source, range, what);
        }
        d.hint = hint;
        self.diagnostics.push(d);
        self.cap.located();
    }

    fn emit(&mut self, event: Event<'a>) {
        match &mut self.heading {
            Some(h) => {
                if let Event::Text(t) | Event::Code(t) = &event {
                    h.text.push_str(t);
                }
                h.events.push(event);
            }
            None => self.out.push_back(event),
        }
    }

    /// Whether `event` goes to the writer unchanged: no heading, citation or calculator
    /// fence is being collected, and it is not one of the events the transforms rewrite.
    fn passes(&self, event: &Event<'_>) -> bool {
        let plain = |tag: TagEnd| {
            !matches!(
                tag,
                TagEnd::Heading(_)
                    | TagEnd::Link
                    | TagEnd::Image
                    | TagEnd::CodeBlock
                    | TagEnd::BlockQuote(_)
                    | TagEnd::FootnoteDefinition
                    | TagEnd::HtmlBlock
            )
        };
        self.heading.is_none()
            && self.citation.is_none()
            && self.code_fence.is_none()
            && match event {
                Event::Start(tag) => plain(tag.to_end()),
                Event::End(tag) => plain(*tag),
                Event::SoftBreak | Event::HardBreak | Event::Rule => true,
                _ => false,
            }
    }

    fn event(&mut self, event: Event<'a>, offset: usize) {
        self.track_depth(&event, offset);
        self.check_table_row(&event, offset);
        self.check_footnote_reference(&event, offset);
        self.check_alt_text(&event, offset);
        self.check_raw_html(&event, offset);
        if let (Event::Text(t) | Event::Code(t), None, true) =
            (&event, &self.citation, self.ctx.numbers)
        {
            numbers::collect(t, offset, &mut self.numbers);
        }
        self.track_raw_links(&event);
        if self.citation.is_some() {
            // The citation's label was captured from the link destination; its text
            // events are dropped and the citation is written when the link closes.
            if let Event::End(TagEnd::Link) = event {
                let c = self.citation.take().expect("citation in progress");
                self.citation_html(c);
            }
            return;
        }
        if let Some((_, text, _)) = &mut self.code_fence {
            match event {
                Event::Text(t) => text.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let (kind, body, start) = self.code_fence.take().expect("fence in progress");
                    if kind == "calculator" {
                        self.calculator(body.trim(), start);
                    } else {
                        self.data_fence(kind, &body, start);
                    }
                }
                _ => {}
            }
            return;
        }
        match event {
            Event::Start(Tag::Heading {
                level, id, classes, ..
            }) => {
                self.heading = Some(Heading {
                    level,
                    explicit_id: id.map(|i| i.to_string()),
                    classes,
                    text: String::new(),
                    events: Vec::new(),
                    offset,
                });
            }
            Event::End(TagEnd::Heading(_)) => self.finish_heading(),
            Event::Start(Tag::FootnoteDefinition(label)) => {
                self.define_footnote(&label, offset);
                self.emit(Event::Start(Tag::FootnoteDefinition(label)));
            }
            Event::Start(Tag::Link { dest_url, .. }) if dest_url.starts_with(CITE_SCHEME) => {
                self.citation = Some(Citation {
                    label: dest_url[CITE_SCHEME.len()..].to_string(),
                    offset,
                });
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                self.link_depth += 1;
                // An email autolink's destination is an address (the writer adds
                // `mailto:`); in an image's alt text, a link is only its text.
                let dest_url = if link_type == LinkType::Email || self.image.is_some() {
                    dest_url
                } else {
                    self.rewrite_url(&dest_url, offset, false)
                };
                self.emit(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::End(TagEnd::Link) => {
                self.link_depth = self.link_depth.saturating_sub(1);
                self.emit(Event::End(TagEnd::Link));
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                // An image in another's alt text is only its text: nothing is loaded.
                let dest_url = match self.image {
                    Some((.., nested)) if nested > 0 => dest_url,
                    _ => self.rewrite_url(&dest_url, offset, true),
                };
                self.emit(Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
                if data::fence_kind(&info).is_some() =>
            {
                self.code_fence = data::fence_kind(&info).map(|k| (k, String::new(), offset));
            }
            Event::Code(code) if data::is_aggregate(&code) => self.aggregate(&code, offset),
            Event::Start(Tag::CodeBlock(kind)) => {
                self.code_depth += 1;
                self.emit(Event::Start(Tag::CodeBlock(kind)));
            }
            Event::End(TagEnd::CodeBlock) => {
                self.code_depth = self.code_depth.saturating_sub(1);
                self.emit(Event::End(TagEnd::CodeBlock));
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => self.emit(callouts::start(kind)),
            Event::End(TagEnd::BlockQuote(Some(_))) => self.emit(Event::Html("</div>\n".into())),
            // A task list's box is a form control and needs a name (WCAG 4.1.2); its
            // state is the item's, the item's text follows it.
            Event::TaskListMarker(done) => self.emit(Event::InlineHtml(if done {
                "<input type=\"checkbox\" disabled checked aria-label=\"done\"> ".into()
            } else {
                "<input type=\"checkbox\" disabled aria-label=\"to do\"> ".into()
            })),
            // Not in an image's alt text either: it is an attribute, where a link would
            // be read out as markup.
            Event::Text(text)
                if self.link_depth == 0
                    && self.raw_links == 0
                    && self.code_depth == 0
                    && self.heading.is_none()
                    && self.image.is_none()
                    && !self.glossary.is_empty() =>
            {
                self.text_with_glossary(text);
            }
            other => self.emit(other),
        }
    }
}

#[cfg(test)]
mod tests;
