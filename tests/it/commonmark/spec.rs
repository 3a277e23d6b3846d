//! Conformance: every example of the CommonMark 0.31.2 and GFM specifications
//! (`tests/spec/`) rendered by hpskb's Markdown stage, as a page body, and by plain
//! pulldown-cmark with the options hpskb enables. The two must give the same HTML after
//! the normalisation below (what hpskb adds on purpose), or the example must be listed in
//! [`BY_DESIGN`] with the reason it differs. An unlisted difference fails, and so does a
//! listed example that no longer differs, so the list cannot rot. docs/content.md,
//! "Conformance", says the same for users.
//!
//! Normalisation (applied to both sides):
//! - heading `id`s are dropped, and the `<a class="anchor">` hpskb adds at the end of each
//!   heading, with the space before it (every heading gets an id and an anchor link);
//! - a task-list checkbox's `aria-label` is dropped (hpskb names the box by its state);
//! - an `href` or `src` without a scheme is compared as the path it names, resolved from
//!   the page (the site's home page, at `/`; `.` and `..` segments resolved) and
//!   percent-decoded: hpskb rewrites a link to a file to the file's root-relative URL
//!   (`foo` → `/foo`, `./a.md` → `/a.md`);
//! - the HTML is compared as a tree (attributes in any order, `<br>` or `<br />`).
//!
//! The site the examples are rendered in has every file they link to (an example's link
//! to a file that does not exist would be reported as broken, which the spec has no word
//! on); its base path is `/`. Only the Markdown stage runs: the site-wide link check
//! after rendering is tested with whole sites (`fixes`).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::PathBuf;

use hpskb::cite::Bibliography;
use hpskb::load::{FrontMatter, GlossaryTerm, Page};
use hpskb::markdown::{self, Context, Rendered};
use hpskb::resolve::LinkTargets;
use hpskb::text::url::{join_relative, percent_decode};
use pulldown_cmark::{Event, LinkType, Parser, Tag};
use scraper::{ElementRef, Html, Node};
use serde::Deserialize;

/// One example of a specification, as in `tests/spec/*.json`.
#[derive(Debug, Deserialize)]
struct Example {
    example: u32,
    section: String,
    markdown: String,
}

/// Which specification an example is from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Spec {
    CommonMark,
    Gfm,
}

/// Why hpskb renders an example differently from plain pulldown-cmark, on purpose
/// (docs/content.md, "Conformance", lists the same).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Why {
    /// A `<script>` element: pages' raw HTML may not run code (scripts belong in
    /// `static/js/`, loaded by a template). Refused.
    RunsCode,
    /// A link with an empty destination (`[text]()`, `[text](<>)`, `[label]: <>`) would
    /// link to the page itself: refused, so that a link left unfinished is found.
    EmptyDestination,
    /// A reference link whose label the page does not define (`[text][label]`, here
    /// `[foo][bar]` or `[bar][foo\!]` when only `[foo!]` is defined) is printed as typed:
    /// refused, so that a misspelt label is found.
    UndefinedLabel,
}

impl Why {
    /// Part of the message of every error hpskb reports for such an example; `None` for
    /// an example it renders (differently) instead of refusing.
    fn error(self) -> Option<&'static str> {
        Some(match self {
            Why::RunsCode => "runs code",
            Why::EmptyDestination => "has no destination",
            Why::UndefinedLabel => "is not defined on this page",
        })
    }
}

/// Examples hpskb renders differently, on purpose: (spec, example number, why). The GFM
/// spec holds the CommonMark 0.29 examples, so most appear twice.
const BY_DESIGN: &[(Spec, u32, Why)] = &[
    (Spec::CommonMark, 170, Why::RunsCode),
    (Spec::CommonMark, 178, Why::RunsCode),
    (Spec::CommonMark, 200, Why::EmptyDestination),
    (Spec::CommonMark, 485, Why::EmptyDestination),
    (Spec::CommonMark, 486, Why::EmptyDestination),
    (Spec::CommonMark, 487, Why::EmptyDestination),
    (Spec::CommonMark, 545, Why::UndefinedLabel),
    (Spec::CommonMark, 567, Why::EmptyDestination),
    (Spec::CommonMark, 569, Why::UndefinedLabel),
    (Spec::CommonMark, 571, Why::UndefinedLabel),
    (Spec::Gfm, 140, Why::RunsCode),
    (Spec::Gfm, 147, Why::RunsCode),
    (Spec::Gfm, 169, Why::EmptyDestination),
    (Spec::Gfm, 495, Why::EmptyDestination),
    (Spec::Gfm, 496, Why::EmptyDestination),
    (Spec::Gfm, 553, Why::UndefinedLabel),
    (Spec::Gfm, 575, Why::EmptyDestination),
    (Spec::Gfm, 577, Why::UndefinedLabel),
    (Spec::Gfm, 579, Why::UndefinedLabel),
];

const FRONT_MATTER: &str = "+++\ntitle = \"Spec example\"\n+++\n";

fn examples(spec: Spec) -> Vec<Example> {
    let file = match spec {
        Spec::CommonMark => "commonmark.json",
        Spec::Gfm => "gfm.json",
    };
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/spec")
        .join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path:?}: {e}"))
}

/// The page the examples are the body of: the home page, `content/_index.md`.
fn page() -> Page {
    Page {
        file: PathBuf::from("content/_index.md"),
        rel: "_index.md".into(),
        front_matter: FRONT_MATTER.into(),
        meta: FrontMatter {
            title: "Spec example".into(),
            ..Default::default()
        },
        last_reviewed: None,
        lang: None,
    }
}

/// Whether a destination is a path in the site (no scheme, not `//host`).
fn is_site_path(dest: &str) -> bool {
    let scheme = dest.find(':').is_some_and(|i| {
        let s = &dest[..i];
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    !scheme && !dest.starts_with("//")
}

/// Every file the example links to, relative to content/: the site has them all.
fn linked_files(markdown: &str) -> Vec<String> {
    let mut files = BTreeSet::new();
    for event in Parser::new_ext(markdown, markdown::options()) {
        let (Event::Start(Tag::Link {
            dest_url,
            link_type,
            ..
        })
        | Event::Start(Tag::Image {
            dest_url,
            link_type,
            ..
        })) = event
        else {
            continue;
        };
        if link_type == LinkType::Email || !is_site_path(&dest_url) {
            continue;
        }
        let path = dest_url.split(['#', '?']).next().unwrap_or_default();
        if path.is_empty() || path.starts_with('/') {
            continue;
        }
        if let Some(rel) = join_relative("_index.md", &percent_decode(path)) {
            files.insert(rel);
        }
    }
    files.into_iter().collect()
}

/// `markdown` rendered by hpskb's Markdown stage as the body of the home page
/// (`content/_index.md`, at `/`), in a site with the pages `_index.md` and `about.md` (at
/// `/about/`), the files `assets` (relative to content/) and the glossary `glossary`.
pub(crate) fn render(markdown: &str, glossary: &[GlossaryTerm], assets: &[&str]) -> Rendered {
    let pages = [("_index.md", "/"), ("about.md", "/about/")];
    let links = LinkTargets::from_lists("", &pages, assets);
    let bibliography = Bibliography::default();
    let ctx = Context {
        links: &links,
        bibliography: &bibliography,
        calculators: &BTreeMap::new(),
        glossary,
        glossary_url: "/glossary/",
        ui: hpskb::calc::words::english_strings(),
        kinds: &BTreeMap::new(),
        data: &BTreeMap::new(),
        numbers: false,
    };
    markdown::render(&page(), &format!("{FRONT_MATTER}{markdown}"), &ctx)
}

/// What hpskb's Markdown stage makes of the example: its HTML and its errors.
fn hpskb(markdown: &str) -> (String, Vec<String>) {
    let files = linked_files(markdown);
    let assets: Vec<&str> = files.iter().map(String::as_str).collect();
    let rendered = render(markdown, &[], &assets);
    let errors = rendered
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.to_string())
        .collect();
    (rendered.html, errors)
}

/// Plain pulldown-cmark with hpskb's options.
fn plain(markdown: &str) -> String {
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, Parser::new_ext(markdown, markdown::options()));
    html
}

/// The HTML as a normalised tree, written out (see the module's documentation).
fn normalised(html: &str) -> String {
    let fragment = Html::parse_fragment(html);
    let mut out = String::new();
    write_children(fragment.root_element(), &mut out);
    out
}

fn write_children(element: ElementRef<'_>, out: &mut String) {
    let name = element.value().name();
    let heading = matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6");
    let mut children = String::new();
    for child in element.children() {
        match child.value() {
            Node::Text(text) => {
                let _ = write!(children, "{}", escape(text));
            }
            Node::Element(_) => {
                let Some(child) = ElementRef::wrap(child) else {
                    continue;
                };
                if heading
                    && child
                        .value()
                        .has_class("anchor", scraper::CaseSensitivity::CaseSensitive)
                {
                    continue;
                }
                write_element(child, &mut children);
            }
            Node::Comment(c) => {
                let _ = write!(children, "<!--{}-->", &**c);
            }
            _ => {}
        }
    }
    if heading {
        children.truncate(children.trim_end().len());
    }
    out.push_str(&children);
}

fn write_element(element: ElementRef<'_>, out: &mut String) {
    let el = element.value();
    let name = el.name();
    let heading = matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6");
    let mut attrs: Vec<(String, String)> = el
        .attrs()
        .filter(|(a, _)| !(heading && *a == "id"))
        .filter(|(a, _)| !(name == "input" && *a == "aria-label"))
        .map(|(a, v)| {
            let v = if matches!(a, "href" | "src") {
                site_path(v)
            } else {
                v.to_string()
            };
            (a.to_string(), v)
        })
        .collect();
    attrs.sort();
    let _ = write!(out, "<{name}");
    for (a, v) in attrs {
        let _ = write!(out, " {a}=\"{}\"", escape(&v));
    }
    out.push('>');
    write_children(element, out);
    let _ = write!(out, "</{name}>");
}

/// A URL without a scheme as the path it names from the home page, percent-decoded.
fn site_path(url: &str) -> String {
    if !is_site_path(url) {
        return url.to_string();
    }
    let resolved = if url.is_empty() || url.starts_with(['/', '#', '?']) {
        url.to_string()
    } else {
        format!("/{url}")
    };
    let decoded = percent_decode(&resolved);
    // `.` and `..` segments resolved, as a browser does.
    let (path, rest) = decoded.split_at(decoded.find(['?', '#']).unwrap_or(decoded.len()));
    if !path.starts_with('/') {
        return decoded.into_owned();
    }
    let mut segments: Vec<&str> = Vec::new();
    let parts: Vec<&str> = path[1..].split('/').collect();
    for (i, seg) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        match *seg {
            "." if last => segments.push(""),
            "." => {}
            ".." => {
                segments.pop();
                if last {
                    segments.push("");
                }
            }
            s => segments.push(s),
        }
    }
    format!("/{}{rest}", segments.join("/"))
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// How one example fared.
#[derive(Debug)]
enum Outcome {
    /// The same HTML, byte for byte.
    Identical,
    /// The same after normalisation.
    Normalised,
    /// Different: (plain, hpskb), normalised.
    Differs(String, String),
    /// hpskb reports errors.
    Refused(Vec<String>),
}

fn outcome(markdown: &str) -> Outcome {
    let (html, errors) = hpskb(markdown);
    if !errors.is_empty() {
        return Outcome::Refused(errors);
    }
    let expected = plain(markdown);
    if html == expected {
        return Outcome::Identical;
    }
    let (a, b) = (normalised(&expected), normalised(&html));
    if a == b {
        Outcome::Normalised
    } else {
        Outcome::Differs(a, b)
    }
}

fn run(spec: Spec) {
    let mut problems = Vec::new();
    let mut counts = BTreeMap::<&str, usize>::new();
    let listed: BTreeMap<u32, Why> = BY_DESIGN
        .iter()
        .filter(|(s, _, _)| *s == spec)
        .map(|&(_, n, why)| (n, why))
        .collect();
    let examples = examples(spec);
    for ex in &examples {
        let outcome = outcome(&ex.markdown);
        let key = match &outcome {
            Outcome::Identical => "identical",
            Outcome::Normalised => "equal after normalisation",
            Outcome::Differs(..) => "different",
            Outcome::Refused(_) => "refused",
        };
        *counts.entry(key).or_default() += 1;
        let head = format!("{spec:?} example {} ({})", ex.example, ex.section);
        match (listed.get(&ex.example), &outcome) {
            (None, Outcome::Identical | Outcome::Normalised) => {}
            (None, Outcome::Differs(a, b)) => problems.push(format!(
                "{head}: differs\n  markdown: {:?}\n  plain:    {a}\n  hpskb:    {b}",
                ex.markdown
            )),
            (None, Outcome::Refused(errors)) => problems.push(format!(
                "{head}: refused\n  markdown: {:?}\n  {}",
                ex.markdown,
                errors.join("\n  ")
            )),
            (Some(why), Outcome::Identical | Outcome::Normalised) => problems.push(format!(
                "{head}: listed in BY_DESIGN ({why:?}) but renders as plain pulldown-cmark: remove it from the list"
            )),
            (Some(why), Outcome::Refused(errors)) => match why.error() {
                None => problems.push(format!(
                    "{head}: listed in BY_DESIGN as rendered differently ({why:?}), but refused:\n  {}",
                    errors.join("\n  ")
                )),
                Some(expected) if errors.iter().any(|e| !e.contains(expected)) => {
                    problems.push(format!(
                        "{head}: listed in BY_DESIGN as refused ({why:?}), but refused for another reason:\n  {}",
                        errors.join("\n  ")
                    ))
                }
                Some(_) => {}
            },
            (Some(why), Outcome::Differs(..)) => {
                if why.error().is_some() {
                    problems.push(format!(
                        "{head}: listed in BY_DESIGN as refused ({why:?}), but rendered"
                    ));
                }
            }
        }
    }
    for n in listed.keys() {
        if !examples.iter().any(|ex| ex.example == *n) {
            problems.push(format!("{spec:?} has no example {n}, listed in BY_DESIGN"));
        }
    }
    eprintln!("{spec:?}: {} examples, {counts:?}", examples.len());
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn commonmark_examples_render_as_plain_pulldown_cmark() {
    run(Spec::CommonMark);
}

#[test]
fn gfm_examples_render_as_plain_pulldown_cmark() {
    run(Spec::Gfm);
}
