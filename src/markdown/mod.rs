//! Stage 3a, render Markdown: pulldown-cmark events, transformed, to HTML.
//!
//! Transforms applied in one pass over the event stream: heading ids and anchor links,
//! table of contents, `.md` link rewriting (recorded for the link checker), Pandoc
//! citations (`[@key]`) numbered per page, GFM alerts as callouts, ```` ```calculator ````
//! fences, and a link on the first use of each glossary abbreviation.

mod markup;

use std::cell::RefCell;
use std::collections::{BTreeMap, VecDeque};
use std::ops::Range;
use std::path::Path;

use pulldown_cmark::{
    BlockQuoteKind, BrokenLink, CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options,
    Parser, Tag, TagEnd,
};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use crate::calc::Calculator;
use crate::cite::{self, Bibliography};
use crate::config::KindRules;
use crate::diag::Diagnostic;
use crate::load::{GlossaryTerm, Page, PageKind};
use crate::resolve::LinkTargets;
use crate::text::html::escape;
use crate::text::slug::slugify;
use crate::text::url::{encode_path, join_relative, percent_decode};

/// A heading in the page's table of contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TocEntry {
    /// 1–6.
    pub level: u8,
    /// The heading's id (fragment).
    pub id: String,
    /// The heading's plain text.
    pub title: String,
    /// Byte offset of the heading in the page's file (for diagnostics).
    #[serde(skip)]
    pub offset: usize,
}

/// A reference cited on a page, in citation order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CitedRef {
    /// Citation key.
    pub key: String,
    /// 1-based number on this page.
    pub number: usize,
    /// Ids of every place on the page that cites it (`cite-3`).
    pub backlinks: Vec<String>,
    /// Ids of the headings under which it is cited (deduplicated, in order).
    pub sections: Vec<String>,
}

/// A link written in Markdown, as emitted, with where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceLink {
    /// The `href` as it appears in the output.
    pub href: String,
    /// Byte offset in the page file (0 for links the renderer generated itself).
    pub offset: usize,
    /// Already reported as broken while rendering; the link checker skips it.
    pub reported: bool,
}

/// A footnote definition (`[^label]: …`); its label is its id in the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Footnote {
    /// The label, without `[^` and `]`.
    pub label: String,
    /// Byte offset of the definition in the page's file.
    pub offset: usize,
}

/// The result of rendering one page's Markdown.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// Body HTML.
    pub html: String,
    /// Headings in document order.
    pub toc: Vec<TocEntry>,
    /// References cited, in order of first citation.
    pub citations: Vec<CitedRef>,
    /// Internal links, for checking after the whole site is rendered.
    pub links: Vec<SourceLink>,
    /// Ids of the calculators embedded on the page.
    pub calculators: Vec<String>,
    /// Problems found.
    pub diagnostics: Vec<Diagnostic>,
}

/// Read-only site data the Markdown renderer needs.
pub struct Context<'a> {
    /// Where pages and assets live.
    pub links: &'a LinkTargets,
    /// For citations.
    pub bibliography: &'a Bibliography,
    /// For calculator fences.
    pub calculators: &'a BTreeMap<String, Calculator>,
    /// For abbreviation links.
    pub glossary: &'a [GlossaryTerm],
    /// Rules per page kind, for those the Markdown itself shows (`cited_table_rows`).
    pub kinds: &'a BTreeMap<PageKind, KindRules>,
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

const CITE_SCHEME: &str = "hpskb-cite:";

/// Most errors reported for one page's Markdown; the rest are counted in one last
/// diagnostic. Locating each error costs a scan of the page, so without a cap a large page
/// full of broken citations or links takes quadratic time (minutes at 8 MiB).
pub const MAX_ERRORS_PER_PAGE: usize = 100;

/// The one diagnostic that stands for `count` problems of `file` past
/// [`MAX_ERRORS_PER_PAGE`]: `what` names them in the message ("broken links"), `noun` in
/// the hint ("links"), and `place` is "page" or "file".
pub fn not_shown(file: &Path, count: usize, (what, noun): (&str, &str), place: &str) -> Diagnostic {
    Diagnostic::error(
        file,
        format!(
            "{count} more {what} on this {place} are not shown (at most {MAX_ERRORS_PER_PAGE} are)"
        ),
    )
    .with_hint(format!(
        "fix the {noun} reported for this {place} and build again"
    ))
}

/// Deepest nesting of Markdown elements (blocks and inlines together) a page may use.
/// Deeper pages are an error: the search indexer takes quadratic time in the nesting depth
/// (an 8 MiB page of `> > > …` ran for over 5 minutes and 3 GB); real pages stay below 20.
pub const MAX_NESTING: usize = 100;

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
            page.body_offset() + at,
            format!("link label `[{label}]` is not defined on this page"),
            Some(format!(
                "add a line `[{label}]: page.md` (or a URL) to the page, write the link inline (`[text](page.md)`), or, if the brackets are text, escape them: `\\[…\\]`"
            )),
        );
    }
    events.state.finish(html)
}

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

struct Heading<'a> {
    level: HeadingLevel,
    explicit_id: Option<String>,
    classes: Vec<String>,
    text: String,
    events: Vec<Event<'a>>,
    offset: usize,
}

struct Citation {
    label: String,
    offset: usize,
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
    code_fence: Option<(String, usize)>,
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
    /// Footnote labels defined so far, with their first definition's offset.
    footnotes: FxHashMap<String, usize>,
    glossary: FxHashMap<&'c str, &'c GlossaryTerm>,
    glossary_used: FxHashSet<&'c str>,
    diagnostics: Vec<Diagnostic>,
    /// Errors past [`MAX_ERRORS_PER_PAGE`], not reported one by one.
    suppressed: usize,
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
    /// The image being read: its offset, and whether it has alt text so far.
    image: Option<(usize, bool)>,
    /// Images without alt text: the first one's offset, and how many.
    images_without_alt: Option<(usize, usize)>,
    /// The lines of the HTML block being read, each with its offset.
    html_block: Option<Vec<(String, usize)>>,
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
            footnotes: FxHashMap::default(),
            glossary: ctx.glossary.iter().map(|t| (t.abbr.as_str(), t)).collect(),
            glossary_used: FxHashSet::default(),
            diagnostics: Vec::new(),
            suppressed: 0,
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
        }
    }

    /// Whether the page already has [`MAX_ERRORS_PER_PAGE`] errors; if so, one more is
    /// counted (and need not be worded or located).
    fn over_error_cap(&mut self) -> bool {
        let over = self.diagnostics.len() >= MAX_ERRORS_PER_PAGE;
        self.suppressed += usize::from(over);
        over
    }

    fn error(&mut self, offset: usize, message: String, hint: Option<String>) {
        if self.over_error_cap() {
            return;
        }
        let mut d = Diagnostic::error(&self.page.file, message).at_offset(self.source, offset);
        d.hint = hint;
        self.diagnostics.push(d);
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

    /// Counts the nesting depth, reporting the first time it exceeds [`MAX_NESTING`].
    fn track_depth(&mut self, event: &Event<'_>, offset: usize) {
        match event {
            Event::Start(_) => {
                self.depth += 1;
                if self.depth > MAX_NESTING && !self.too_deep {
                    self.too_deep = true;
                    self.error(
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

    fn event(&mut self, event: Event<'a>, offset: usize) {
        self.track_depth(&event, offset);
        self.check_table_row(&event, offset);
        self.check_footnote_reference(&event, offset);
        self.check_alt_text(&event, offset);
        self.check_raw_html(&event, offset);
        if self.citation.is_some() {
            // The citation's label was captured from the link destination; its text
            // events are dropped and the citation is written when the link closes.
            if let Event::End(TagEnd::Link) = event {
                let c = self.citation.take().expect("citation in progress");
                self.citation_html(c);
            }
            return;
        }
        if let Some((text, _)) = &mut self.code_fence {
            match event {
                Event::Text(t) => text.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let (id, start) = self.code_fence.take().expect("fence in progress");
                    self.calculator(id.trim(), start);
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
                    classes: classes.iter().map(|c| c.to_string()).collect(),
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
                let dest_url = self.rewrite_url(&dest_url, offset, false);
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
                let dest_url = self.rewrite_url(&dest_url, offset, true);
                self.emit(Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
                if info.trim() == "calculator" =>
            {
                self.code_fence = Some((String::new(), offset));
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                self.code_depth += 1;
                self.emit(Event::Start(Tag::CodeBlock(kind)));
            }
            Event::End(TagEnd::CodeBlock) => {
                self.code_depth = self.code_depth.saturating_sub(1);
                self.emit(Event::End(TagEnd::CodeBlock));
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (class, title) = alert(kind);
                self.emit(Event::Html(
                    format!("<div class=\"callout callout-{class}\" role=\"note\"><p class=\"callout-title\">{title}</p>\n").into(),
                ));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => self.emit(Event::Html("</div>\n".into())),
            // Not in an image's alt text either: it is an attribute, where a link would
            // be read out as markup.
            Event::Text(text)
                if self.link_depth == 0
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

    /// Reports raw HTML that runs code or loads from another origin (see [`markup`]).
    /// An HTML block is checked whole, once it ends: a tag may span its lines.
    fn check_raw_html(&mut self, event: &Event<'_>, offset: usize) {
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
                    self.error(at, p.message, Some(p.hint.into()));
                }
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                for p in markup::check_html(html) {
                    self.error(offset + p.offset, p.message, Some(p.hint.into()));
                }
            }
            _ => {}
        }
    }

    /// On a page whose kind wants it, reports a table body row that cites no source: a
    /// dose or a threshold must say where it comes from. Header rows are exempt; a
    /// citation with an unknown key counts (it is an error of its own).
    fn check_table_row(&mut self, event: &Event<'_>, offset: usize) {
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
    fn check_alt_text(&mut self, event: &Event<'_>, offset: usize) {
        match event {
            Event::Start(Tag::Image { .. }) => self.image = Some((offset, false)),
            Event::Text(t) | Event::Code(t) if !t.trim().is_empty() => {
                if let Some((_, has_alt)) = &mut self.image {
                    *has_alt = true;
                }
            }
            Event::End(TagEnd::Image) => {
                if let Some((at, false)) = self.image.take() {
                    // Images come in document order: the first one stays.
                    self.images_without_alt.get_or_insert((at, 0)).1 += 1;
                }
            }
            _ => {}
        }
    }

    /// Reports `[^label]` when the page defines no such footnote (it would be printed as
    /// it was typed).
    fn check_footnote_reference(&mut self, event: &Event<'_>, offset: usize) {
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
    fn define_footnote(&mut self, label: &str, offset: usize) {
        match self.footnotes.get(label) {
            Some(&first) => {
                // Past the cap, skip finding the first one's line (a scan of the page).
                if self.over_error_cap() {
                    return;
                }
                let (line, _) = crate::diag::line_col(self.source, first);
                self.error(
                    offset,
                    format!(
                        "footnote `[^{label}]` is defined twice on this page (first on line {line})"
                    ),
                    Some(
                        "give each footnote its own label; references reach only the first".into(),
                    ),
                );
            }
            None => {
                self.footnotes.insert(label.to_string(), offset);
            }
        }
    }

    fn finish_heading(&mut self) {
        let Some(h) = self.heading.take() else { return };
        let id = match h.explicit_id {
            Some(id) => {
                if !self.explicit_ids.insert(id.clone()) || self.ids.contains(&id) {
                    self.error(
                        h.offset,
                        format!("heading id `{id}` is used twice on this page"),
                        Some("give each heading a unique `{#id}`".into()),
                    );
                }
                id
            }
            None => {
                let base = slugify(&h.text);
                let mut id = base.clone();
                let mut n = 1;
                while self.ids.contains(&id) || self.explicit_ids.contains(&id) {
                    id = format!("{base}-{n}");
                    n += 1;
                }
                id
            }
        };
        self.ids.insert(id.clone());
        let level = h.level as u8;
        if level <= 3 {
            self.current_section = id.clone();
        }
        self.toc.push(TocEntry {
            level,
            id: id.clone(),
            title: h.text.trim().to_string(),
            offset: h.offset,
        });
        let class = if h.classes.is_empty() {
            String::new()
        } else {
            format!(" class=\"{}\"", escape(&h.classes.join(" ")))
        };
        let id_attr = escape(&id);
        self.out.push_back(Event::Html(
            format!("<h{level} id=\"{id_attr}\"{class}>").into(),
        ));
        self.out.extend(h.events);
        self.out.push_back(Event::Html(
            format!(" <a class=\"anchor\" href=\"#{id_attr}\" aria-label=\"Link to this section\">#</a></h{level}>\n").into(),
        ));
    }

    fn citation_html(&mut self, c: Citation) {
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
                c.offset,
                format!("cannot read citation `[{}]`", c.label),
                Some(hint),
            );
            return;
        };
        let mut parts = Vec::new();
        for item in items {
            // An alias (`ids`) cites its entry, numbered and linked under the entry's key.
            let Some(key) = self.ctx.bibliography.get(&item.key).map(|e| e.key.clone()) else {
                let hint = match self.ctx.bibliography.closest_key(&item.key) {
                    Some(k) => format!("did you mean `@{k}`?"),
                    None => "add the reference to content/references.bib".to_string(),
                };
                self.error(
                    c.offset,
                    format!("unknown citation key `{}`", item.key),
                    Some(hint),
                );
                continue;
            };
            self.occurrences += 1;
            let occurrence = format!("cite-{}", self.occurrences);
            let next = self.cited.len() + 1;
            let number = *self.cite_number.entry(key.clone()).or_insert(next);
            if number == next {
                self.cited.push(CitedRef {
                    key: key.clone(),
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

    /// Superscript citation numbers sit right after the word they support: drop the
    /// space an author typed before `[@key]`.
    fn trim_space_before_citation(&mut self) {
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

    fn calculator(&mut self, id: &str, offset: usize) {
        match self.ctx.calculators.get(id) {
            // A second copy would repeat every id of the form.
            Some(_) if self.calculators.iter().any(|c| c == id) => self.error(
                offset,
                format!("calculator `{id}` is already on this page"),
                Some("keep one ```calculator fence per calculator on a page".into()),
            ),
            Some(calc) => {
                self.calculators.push(id.to_string());
                self.emit(Event::Html(format!("{}\n", calc.embed_html()).into()));
            }
            None => {
                let known: Vec<&str> = self.ctx.calculators.keys().map(String::as_str).collect();
                self.error(
                    offset,
                    format!("unknown calculator `{id}`"),
                    Some(if known.is_empty() {
                        "add a spec in content/calculators/<id>.toml".into()
                    } else {
                        format!("known calculators: {}", known.join(", "))
                    }),
                );
            }
        }
    }

    /// Rewrites a link destination written in Markdown to the URL it has in the output,
    /// recording internal links for the post-render check.
    fn rewrite_url(&mut self, dest: &str, offset: usize, is_image: bool) -> CowStr<'a> {
        let targets = self.ctx.links;
        if dest.trim().is_empty() {
            let what = if is_image {
                "image has no source"
            } else {
                "link has no destination"
            };
            self.error(
                offset,
                format!("{what}: `()` is empty"),
                Some("write the page, file or URL between the parentheses".into()),
            );
            return self.reported_broken(dest, offset);
        }
        if let Some((message, hint)) = markup::check_destination(dest, is_image) {
            let what = if is_image { "image" } else { "link" };
            self.error(offset, format!("{what}: {message}"), Some(hint.into()));
            return self.reported_broken(dest, offset);
        }
        if has_scheme(dest) || dest.starts_with("//") {
            return dest.to_string().into();
        }
        let href = if let Some(frag) = dest.strip_prefix('#') {
            format!("#{frag}")
        } else if dest.starts_with('/') && !links_to_markdown(dest) {
            absolute_url(targets, dest)
        } else {
            let (path, frag) = match dest.split_once('#') {
                Some((p, f)) => (p, Some(f)),
                None => (dest, None),
            };
            let (path, query) = match path.split_once('?') {
                Some((p, q)) => (p, Some(q)),
                None => (path, None),
            };
            let decoded = percent_decode(path);
            // `/x/y.md` is a page's file from content/; `y.md`, from this page's directory.
            let joined = match decoded.strip_prefix('/') {
                Some(from_content) => join_relative("", from_content),
                None => join_relative(&self.page.rel, &decoded),
            };
            let Some(rel) = joined else {
                self.error(
                    offset,
                    format!("link `{dest}` points outside content/"),
                    Some("links are relative to the page's file".into()),
                );
                return self.reported_broken(dest, offset);
            };
            let is_page_link = rel.ends_with(".md") && !is_image;
            let page_url = is_page_link.then(|| targets.page_url(&rel)).flatten();
            let url = if let Some(u) = page_url {
                u.to_string()
            } else if let Some(path) = targets.asset_path(&rel) {
                // A file copied to the output: co-located, or in static/ (a `.md` there
                // too; CSS and JS under their hashed names).
                format!("{}/{}", targets.base_path, encode_path(path))
            } else if is_page_link && targets.is_unloaded(&rel) {
                // Its own error says why it is not a page.
                return self.reported_broken(dest, offset);
            } else if is_page_link {
                let hint = targets.closest_page(&rel).map_or(
                    "links are relative to this file; check the path".to_string(),
                    |p| format!("did you mean `{p}`?"),
                );
                self.error(
                    offset,
                    format!("link to missing page `{dest}` (resolved to content/{rel})"),
                    Some(hint),
                );
                return self.reported_broken(dest, offset);
            } else {
                let section = format!("{}/_index.md", path.trim_end_matches('/'));
                let index = match rel.as_str() {
                    "" => "_index.md".to_string(),
                    dir => format!("{dir}/_index.md"),
                };
                let hint = if targets.page_url(&index).is_some() {
                    format!("to link to the section's page, write `{section}`")
                } else {
                    "put the file next to the page under content/, or link to a .md page".into()
                };
                self.error(
                    offset,
                    format!("link to missing file `{dest}` (resolved to content/{rel})"),
                    Some(hint),
                );
                return self.reported_broken(dest, offset);
            };
            let mut href = url;
            if let Some(q) = query {
                href.push('?');
                href.push_str(q);
            }
            if let Some(f) = frag {
                href.push('#');
                href.push_str(f);
            }
            href
        };
        self.links.push(SourceLink {
            href: href.clone(),
            offset,
            reported: false,
        });
        href.into()
    }

    /// Keeps a broken destination as written and remembers that it was reported.
    fn reported_broken(&mut self, dest: &str, offset: usize) -> CowStr<'a> {
        self.links.push(SourceLink {
            href: dest.to_string(),
            offset,
            reported: true,
        });
        dest.to_string().into()
    }

    fn text_with_glossary(&mut self, text: CowStr<'a>) {
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

    /// The result, once the HTML writer has pulled every event into `html`.
    fn finish(mut self, html: String) -> Rendered {
        let mut clashes: Vec<(String, usize)> = self
            .footnotes
            .iter()
            .filter(|(label, _)| self.ids.contains(*label))
            .map(|(label, &offset)| (label.clone(), offset))
            .collect();
        clashes.sort_unstable_by_key(|&(_, offset)| offset);
        for (label, offset) in clashes {
            self.error(
                offset,
                format!("footnote `[^{label}]` has the same id as the heading `#{label}`"),
                Some(format!("rename the footnote, e.g. `[^{label}-note]`")),
            );
        }
        // One warning per page, however many images: it is not an error.
        if let Some((first, count)) = self.images_without_alt {
            let message = match count {
                1 => "image has no alt text".to_string(),
                n => format!("{n} images on this page have no alt text (the first is here)"),
            };
            self.diagnostics.push(
                Diagnostic::warning(&self.page.file, message)
                    .at_offset(self.source, first)
                    .with_hint(
                        "describe the image between the brackets, `![Marrow aspirate with hemophagocytosis](fig.png)`, for readers who cannot see it",
                    ),
            );
        }
        if self.suppressed > 0 {
            self.diagnostics.push(not_shown(
                &self.page.file,
                self.suppressed,
                ("errors", "errors"),
                "page",
            ));
        }
        Rendered {
            html,
            toc: self.toc,
            citations: self.cited,
            links: self.links,
            calculators: self.calculators,
            diagnostics: self.diagnostics,
        }
    }
}

fn alert(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    }
}

/// Words (runs of letters, digits and inner hyphens) with their byte offsets.
fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
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

/// A link written as a URL path of the built site (`/glossary/`), checked once the site
/// is built; a static CSS or JS file's is changed to its hashed name.
fn absolute_url(targets: &LinkTargets, dest: &str) -> String {
    let (path, rest) = dest.split_at(dest.find(['?', '#']).unwrap_or(dest.len()));
    let decoded = percent_decode(&path[1..]);
    match targets.asset_path(&decoded).filter(|out| *out != decoded) {
        Some(out) => format!("{}/{}{rest}", targets.base_path, encode_path(out)),
        None => format!("{}{dest}", targets.base_path),
    }
}

fn has_scheme(dest: &str) -> bool {
    match dest.find(':') {
        Some(i) => {
            let scheme = &dest[..i];
            !scheme.is_empty()
                && !scheme.contains(['/', '#', '?'])
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        }
        None => false,
    }
}

/// Whether a link's path (before any `?` or `#`) names a Markdown file.
pub fn links_to_markdown(href: &str) -> bool {
    href.split(['?', '#'])
        .next()
        .is_some_and(|p| p.ends_with(".md"))
}

#[cfg(test)]
mod tests;
