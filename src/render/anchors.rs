//! The anchors (`id`, `<a name>`) and links (`href`, `src`) of each rendered HTML file,
//! collected as the file is produced, so that the link check needs no copy of the output
//! and the files can be written (and freed) as soon as they are rendered.

use std::borrow::Cow;

use crate::text::html::{decode_entities, start_tag};
use std::ops::Range;

use rustc_hash::FxHashSet;

/// What one HTML file offers to links (ids) and asks of other files (links).
///
/// Kept for every output file until the link check, so stored compactly: the values back
/// to back in one string, with ranges into it (three allocations per file, not one per
/// value).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Anchors {
    /// Every value, back to back.
    text: String,
    /// Distinct ids (and `name`s of `<a>`), entity-decoded, sorted.
    ids: Vec<Range<usize>>,
    /// Distinct `href`/`src` values, entity-decoded, in document order.
    links: Vec<Range<usize>>,
    /// `id` values that more than one element has (normally none), sorted.
    duplicates: Vec<Range<usize>>,
}

impl Anchors {
    /// Scans an HTML document.
    pub fn of(html: &str) -> Self {
        let scan = scan(html);
        let mut anchors = Anchors::default();
        let mut ids: Vec<&str> = scan.ids.iter().map(|i| &**i).collect();
        ids.sort_unstable();
        let mut duplicates: Vec<&str> = ids
            .windows(2)
            .filter(|w| w[0] == w[1])
            .map(|w| w[0])
            .collect();
        duplicates.dedup();
        // `<a name>` anchors are targets too, but `<a id="x" name="x">` is one element.
        if !scan.names.is_empty() {
            ids.extend(scan.names.iter().map(|n| &**n));
            ids.sort_unstable();
        }
        ids.dedup();
        let mut seen = FxHashSet::with_capacity_and_hasher(scan.links.len(), Default::default());
        let links: Vec<&str> = scan
            .links
            .iter()
            .map(|l| &**l)
            .filter(|l| seen.insert(*l))
            .collect();
        let len = ids.iter().chain(&links).map(|v| v.len()).sum();
        anchors.text.reserve_exact(len);
        anchors.ids = ids.iter().map(|i| anchors.push(i)).collect();
        anchors.links = links.iter().map(|l| anchors.push(l)).collect();
        anchors.duplicates = duplicates.iter().map(|d| anchors.push(d)).collect();
        anchors
    }

    fn push(&mut self, value: &str) -> Range<usize> {
        let start = self.text.len();
        self.text.push_str(value);
        start..self.text.len()
    }

    fn get(&self, range: &Range<usize>) -> &str {
        &self.text[range.clone()]
    }

    /// Whether the file has an element with this id.
    pub fn has_id(&self, id: &str) -> bool {
        self.ids.binary_search_by(|r| self.get(r).cmp(id)).is_ok()
    }

    /// The ids, sorted.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.ids.iter().map(|r| self.get(r))
    }

    /// The `id` values more than one element has, sorted.
    pub fn duplicate_ids(&self) -> impl Iterator<Item = &str> {
        self.duplicates.iter().map(|r| self.get(r))
    }

    /// The distinct links, in document order.
    pub fn links(&self) -> impl Iterator<Item = &str> {
        self.links.iter().map(|r| self.get(r))
    }
}

/// Ids and links of one HTML file while it is scanned (borrowing from it).
#[derive(Debug, Default)]
struct Scan<'h> {
    /// `id` attributes.
    ids: Vec<Cow<'h, str>>,
    /// `name` attributes of `<a>`.
    names: Vec<Cow<'h, str>>,
    links: Vec<Cow<'h, str>>,
}

/// Collects `id`/`name` anchors and `href`/`src` links from the start tags of an HTML
/// document. A purpose-built tokenizer: comments, doctype, end tags and the contents of
/// `<script>`/`<style>` are skipped; attribute values are entity-decoded. (html5gum was
/// measured at 3× the cost of the whole render stage on a 1,000-page site.)
fn scan(html: &str) -> Scan<'_> {
    let mut out = Scan::default();
    let bytes = html.as_bytes();
    let mut pos = 0;
    while let Some(lt) = memchr(b'<', &bytes[pos..]) {
        let start = pos + lt + 1;
        pos = start;
        match bytes.get(start) {
            Some(b'!') => {
                pos = if html[start..].starts_with("!--") {
                    html[start..]
                        .find("-->")
                        .map_or(bytes.len(), |e| start + e + 3)
                } else {
                    memchr(b'>', &bytes[start..]).map_or(bytes.len(), |e| start + e + 1)
                };
            }
            Some(c) if c.is_ascii_alphabetic() => {
                let (name, end) = tag(html, start, &mut out);
                pos = end;
                if name.eq_ignore_ascii_case("script") || name.eq_ignore_ascii_case("style") {
                    let close = format!("</{}", name.to_ascii_lowercase());
                    pos = find_ignore_case(&html[pos..], &close).map_or(bytes.len(), |e| pos + e);
                }
            }
            _ => {}
        }
    }
    out
}

/// Parses one start tag beginning at `start` (just after `<`), recording its ids and
/// links; returns its name and the offset after its `>`.
fn tag<'h>(html: &'h str, start: usize, out: &mut Scan<'h>) -> (&'h str, usize) {
    start_tag(html, start, |name, attr, value, _| {
        if attr.eq_ignore_ascii_case("id") {
            out.ids.push(decode_entities(value));
        } else if attr.eq_ignore_ascii_case("name") && name.eq_ignore_ascii_case("a") {
            out.names.push(decode_entities(value));
        } else if attr.eq_ignore_ascii_case("href") || attr.eq_ignore_ascii_case("src") {
            out.links.push(decode_entities(value));
        }
    })
}

fn memchr(needle: u8, haystack: &[u8]) -> Option<usize> {
    memchr::memchr(needle, haystack)
}

fn find_ignore_case(haystack: &str, needle: &str) -> Option<usize> {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    (0..h.len().saturating_sub(n.len() - 1)).find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scan_decodes_entities_and_handles_odd_markup() {
        let s = Anchors::of(
            "<!DOCTYPE html><!-- <a href=\"/c/\"> --><A HREF='/x/?a=1&amp;b=2' ID=up><img src=p.png alt=x/><style>a{}</style><p id=\"&#x41;&#66;&bogus;\">",
        );
        assert_eq!(s.links().collect::<Vec<_>>(), ["/x/?a=1&b=2", "p.png"]);
        assert_eq!(s.ids().collect::<Vec<_>>(), ["AB&bogus;", "up"]);
        for odd in [
            "<",
            "<a",
            "<a href",
            "<a href=",
            "<a href=\"x",
            "<!--",
            "<script>",
            "<a\u{e9} id=\u{e9}>",
        ] {
            let _ = Anchors::of(odd);
        }
    }

    #[test]
    fn ids_used_twice_are_listed_once_each() {
        let s = Anchors::of(
            "<h2 id=a>1</h2><p id=b><a id=c name=c>legacy</a><a name=b></a><i id=a></i><b id=a></b><u id=d><s id=d>",
        );
        assert_eq!(s.ids().collect::<Vec<_>>(), ["a", "b", "c", "d"]);
        // `<a id=c name=c>` is one element; an `<a name>` matching an id is not an id twice.
        assert_eq!(s.duplicate_ids().collect::<Vec<_>>(), ["a", "d"]);
        assert_eq!(Anchors::of("<p id=x><p id=y>").duplicate_ids().count(), 0);
    }

    #[test]
    fn scan_finds_ids_and_links_but_not_in_scripts() {
        let s = Anchors::of(
            "<h2 id=\"x\">t</h2><a href=\"/a/\" name=\"y\">l</a><script>var s='<a href=\"/no/\">';</script><img src=\"i.png\">",
        );
        assert!(s.has_id("x") && s.has_id("y") && !s.has_id("z"));
        assert_eq!(s.links().collect::<Vec<_>>(), ["/a/", "i.png"]);
    }

    #[test]
    fn links_are_distinct_in_document_order() {
        let s = Anchors::of("<a href=/b/>1</a><a href=/a/>2</a><a href='/b/'>3</a>");
        assert_eq!(s.links().collect::<Vec<_>>(), ["/b/", "/a/"]);
    }
}
