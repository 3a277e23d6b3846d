//! Internal link and fragment checking over the rendered HTML (Markdown links, raw HTML
//! and links written in templates alike). Broken links written in Markdown are reported
//! at their file:line:col; others at the template that produced the page.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::diag::Diagnostic;
use crate::load::Site;
use crate::markdown::{MAX_ERRORS_PER_PAGE, percent_decode};
use crate::render::{Origin, OutputFile, RenderedSite};

/// Ids and links found in one HTML file.
#[derive(Debug, Default)]
struct Scan<'h> {
    ids: FxHashSet<Cow<'h, str>>,
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

/// Parses one start tag beginning at `start` (just after `<`); returns its name and the
/// offset after its `>`.
fn tag<'h>(html: &'h str, start: usize, out: &mut Scan<'h>) -> (&'h str, usize) {
    let b = html.as_bytes();
    let mut i = start;
    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' && b[i] != b'/' {
        i += 1;
    }
    let name = &html[start..i];
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        if i >= b.len() {
            return (name, b.len());
        }
        if b[i] == b'>' {
            return (name, i + 1);
        }
        let attr_start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        let attr = &html[attr_start..i];
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = None;
        if i < b.len() && b[i] == b'=' {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            let (v, end) = match b.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    let close = memchr(q, &b[i + 1..]).map_or(b.len(), |e| i + 1 + e);
                    (&html[i + 1..close], (close + 1).min(b.len()))
                }
                _ => {
                    let e = b[i..]
                        .iter()
                        .position(|c| c.is_ascii_whitespace() || *c == b'>')
                        .map_or(b.len(), |e| i + e);
                    (&html[i..e], e)
                }
            };
            value = Some(v);
            i = end;
        }
        let Some(value) = value else { continue };
        if attr.eq_ignore_ascii_case("id")
            || (attr.eq_ignore_ascii_case("name") && name.eq_ignore_ascii_case("a"))
        {
            out.ids.insert(decode_entities(value));
        } else if attr.eq_ignore_ascii_case("href") || attr.eq_ignore_ascii_case("src") {
            out.links.push(decode_entities(value));
        }
    }
}

fn memchr(needle: u8, haystack: &[u8]) -> Option<usize> {
    memchr::memchr(needle, haystack)
}

fn find_ignore_case(haystack: &str, needle: &str) -> Option<usize> {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    (0..h.len().saturating_sub(n.len() - 1)).find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
}

/// Decodes the character references that occur in attribute values.
fn decode_entities(v: &str) -> Cow<'_, str> {
    if !v.contains('&') {
        return Cow::Borrowed(v);
    }
    let mut out = String::with_capacity(v.len());
    let mut rest = v;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let ent = &rest[1..e];
            let c = match ent {
                "amp" => Some('&'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "lt" => Some('<'),
                "gt" => Some('>'),
                _ => ent
                    .strip_prefix("#x")
                    .or_else(|| ent.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| ent.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// A broken link found in one output file.
enum Found {
    /// Located in a page's source.
    InSource(Diagnostic),
    /// Comes from a template: (template, problem, output path).
    InTemplate(String, String, String),
}

/// Checks every internal link and fragment of the rendered site.
pub fn check(site: &Site, rendered: &RenderedSite) -> Vec<Diagnostic> {
    let base_path = site.config.base_path();
    let html_files: Vec<&OutputFile> = rendered
        .files
        .iter()
        .filter(|f| f.path.ends_with(".html"))
        .collect();
    let scans: Vec<Scan> = html_files
        .par_iter()
        .map(|f| scan(std::str::from_utf8(&f.bytes).unwrap_or_default()))
        .collect();
    let targets = Targets::new(
        rendered.files.iter().map(|f| f.path.as_str()),
        html_files.iter().map(|f| f.path.as_str()).zip(&scans),
    );
    // Links already reported while rendering Markdown (normally none).
    let reported: HashSet<(usize, &str)> = rendered
        .pages
        .iter()
        .enumerate()
        .flat_map(|(i, r)| {
            r.links
                .iter()
                .filter(|l| l.reported)
                .map(move |l| (i, l.href.as_str()))
        })
        .collect();

    let found: Vec<Vec<Found>> = html_files
        .par_iter()
        .zip(&scans)
        .map(|(file, scan)| {
            let page = match file.origin {
                Origin::Page { index, .. } => Some(index),
                _ => None,
            };
            let mut seen = FxHashSet::default();
            let mut out = Vec::new();
            let (mut located, mut suppressed) = (0, 0);
            for href in &scan.links {
                let href: &str = href;
                if !seen.insert(href) || page.is_some_and(|i| reported.contains(&(i, href))) {
                    continue;
                }
                let Some(problem) = problem(href, &file.path, &base_path, &targets) else {
                    continue;
                };
                // Locating scans the page source: cap it, as the renderer does, to stay linear.
                if located >= MAX_ERRORS_PER_PAGE {
                    suppressed += 1;
                    continue;
                }
                out.push(match locate_in_source(site, rendered, file, href, &problem) {
                    Some(d) => {
                        located += 1;
                        Found::InSource(d)
                    }
                    None => Found::InTemplate(template_of(file), problem, file.path.clone()),
                });
            }
            if let (true, Some(index)) = (suppressed > 0, page) {
                out.push(Found::InSource(
                    Diagnostic::error(
                        &site.pages[index].file,
                        format!("{suppressed} more broken links on this page are not shown (at most {MAX_ERRORS_PER_PAGE} are)"),
                    )
                    .with_hint("fix the links reported for this page and build again"),
                ));
            }
            out
        })
        .collect();

    let mut diags = Vec::new();
    // Template links break on every page using the template: report each once, with a count.
    let mut in_templates: BTreeMap<(String, String), (String, usize)> = BTreeMap::new();
    for f in found.into_iter().flatten() {
        match f {
            Found::InSource(d) => diags.push(d),
            Found::InTemplate(template, problem, path) => {
                in_templates
                    .entry((template, problem))
                    .or_insert((path, 0))
                    .1 += 1;
            }
        }
    }
    for ((template, problem), (example, count)) in in_templates {
        let pages = if count == 1 {
            format!("`{example}`")
        } else {
            format!("{count} pages, e.g. `{example}`")
        };
        diags.push(
            Diagnostic::error(
                PathBuf::from(format!("templates/{template}")),
                format!("broken link in {pages}: {problem}"),
            )
            .with_hint("fix the link in the template (or in the site's override of it)"),
        );
    }
    diags
}

fn template_of(file: &OutputFile) -> String {
    match &file.origin {
        Origin::Page { template, .. } | Origin::Template(template) => template.clone(),
        Origin::Asset => file.path.clone(),
    }
}

/// Everything a link may point at.
struct Targets<'a> {
    /// Every output file's path.
    files: FxHashSet<&'a str>,
    /// Ids per HTML file, keyed by its path (`a/index.html`) and, for `index.html`
    /// files, also by its directory (`a/`; `` for the root) so that pretty URLs resolve
    /// without allocating.
    ids: FxHashMap<&'a str, &'a FxHashSet<Cow<'a, str>>>,
}

impl<'a> Targets<'a> {
    /// From every output path and the scan of each HTML file.
    fn new(
        files: impl Iterator<Item = &'a str>,
        html: impl Iterator<Item = (&'a str, &'a Scan<'a>)>,
    ) -> Self {
        let mut ids = FxHashMap::default();
        for (path, scan) in html {
            ids.insert(path, &scan.ids);
            if let Some(dir) = path.strip_suffix("index.html")
                && (dir.is_empty() || dir.ends_with('/'))
            {
                ids.insert(dir, &scan.ids);
            }
        }
        Targets {
            files: files.collect(),
            ids,
        }
    }

    /// Whether `path` (an output path, or a directory ending in `/`) exists.
    fn exists(&self, path: &str) -> bool {
        if path.is_empty() || path.ends_with('/') {
            self.ids.contains_key(path) || self.files.contains(format!("{path}index.html").as_str())
        } else {
            self.files.contains(path)
        }
    }
}

/// What is wrong with `href` found in output file `from`, if anything.
fn problem(href: &str, from: &str, base_path: &str, targets: &Targets) -> Option<String> {
    if href.is_empty() || href == "#" || href.starts_with("//") || has_scheme(href) {
        return None;
    }
    let (path, fragment) = match href.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (href, None),
    };
    let path = path.split('?').next().unwrap_or("");
    let target: Cow<str> = if path.is_empty() {
        Cow::Borrowed(from)
    } else if path.starts_with('/') {
        match path.strip_prefix(base_path) {
            Some(rest) if rest.starts_with('/') => {
                let rest = &rest[1..];
                if is_normal(rest) {
                    Cow::Borrowed(rest)
                } else if let Some(p) = normalize(rest) {
                    Cow::Owned(p)
                } else {
                    return Some(format!("`{href}` leaves the site"));
                }
            }
            _ => {
                return Some(format!(
                    "`{href}` is outside the site's base path `{base_path}/`"
                ));
            }
        }
    } else {
        let dir = from.rfind('/').map_or("", |i| &from[..=i]);
        match normalize(&format!("{dir}{path}")) {
            Some(p) => Cow::Owned(p),
            None => return Some(format!("`{href}` leaves the site")),
        }
    };
    if !targets.exists(&target) {
        if targets.exists(&format!("{target}/")) {
            return Some(format!("`{href}` needs a trailing slash"));
        }
        return Some(format!("`{href}` points to a page that does not exist"));
    }
    let fragment = fragment.filter(|f| !f.is_empty())?;
    let fragment = percent_decode(fragment);
    match targets.ids.get(&*target) {
        Some(set) if set.contains(&*fragment) => None,
        Some(_) => Some(format!(
            "`{href}`: no element with id `{fragment}` on the target page"
        )),
        None => None,
    }
}

/// Locates a broken link written in a page's Markdown (or raw HTML in it), if it was.
fn locate_in_source(
    site: &Site,
    rendered: &RenderedSite,
    file: &OutputFile,
    href: &str,
    problem: &str,
) -> Option<Diagnostic> {
    let Origin::Page { index, .. } = file.origin else {
        return None;
    };
    let page = &site.pages[index];
    let offset = rendered
        .source_links(index)
        .iter()
        .find(|l| l.href == href && l.offset > 0)
        .map(|l| l.offset)
        .or_else(|| page.body().find(href).map(|o| page.body_offset + o))?;
    Some(
        Diagnostic::error(&page.file, format!("broken link: {problem}"))
            .at_offset(&page.text, offset)
            .with_hint("links to pages are relative paths to .md files; fragments are heading ids (see the page's table of contents)"),
    )
}

fn has_scheme(href: &str) -> bool {
    href.find(':').is_some_and(|i| {
        let s = &href[..i];
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    })
}

/// Whether a root-relative path is already in normal form (no empty, `.` or `..` segments).
fn is_normal(path: &str) -> bool {
    !path.starts_with('/')
        && !path.contains("//")
        && !path.split('/').any(|seg| seg == "." || seg == "..")
}

/// Resolves `.`, `..` and empty segments in a root-relative path; `None` if it climbs
/// above the root.
fn normalize(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    let trailing = path.ends_with('/');
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if trailing && !out.is_empty() {
        out.push('/');
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_one(href: &str, from: &str) -> Option<String> {
        let html = [
            ("index.html", scan("<p>home</p>")),
            (
                "a/index.html",
                scan("<h2 id=intro>I</h2><h2 id=\"r&#xe9;f\">R</h2>"),
            ),
            ("a/b/index.html", scan("")),
        ];
        let targets = Targets::new(
            html.iter().map(|(p, _)| *p).chain(["css/x.css"]),
            html.iter().map(|(p, s)| (*p, s)),
        );
        problem(href, from, "/kb", &targets)
    }

    #[test]
    fn resolves_root_relative_relative_and_fragments() {
        assert_eq!(check_one("/kb/a/", "index.html"), None);
        assert_eq!(check_one("/kb/a/#intro", "index.html"), None);
        assert_eq!(check_one("#intro", "a/index.html"), None);
        assert_eq!(check_one("b/", "a/index.html"), None);
        assert_eq!(check_one("../", "a/index.html"), None);
        assert_eq!(check_one("/kb/css/x.css", "a/index.html"), None);
        assert_eq!(check_one("/kb/a/#r%C3%A9f", "index.html"), None);
        assert_eq!(check_one("/kb/a/./b/", "index.html"), None);
        assert_eq!(check_one("/kb/a/b/..//#intro", "index.html"), None);
        assert_eq!(check_one("/kb/", "a/index.html"), None);
        assert!(
            check_one("/kb", "a/index.html")
                .unwrap()
                .contains("base path")
        );
        assert_eq!(check_one("https://doi.org/10.1/x", "index.html"), None);
        assert_eq!(check_one("mailto:x@y", "index.html"), None);
    }

    #[test]
    fn reports_missing_pages_fragments_and_escapes() {
        assert!(
            check_one("/kb/zzz/", "index.html")
                .unwrap()
                .contains("does not exist")
        );
        assert!(
            check_one("/kb/a/#nope", "index.html")
                .unwrap()
                .contains("nope")
        );
        assert!(check_one("#nope", "a/index.html").unwrap().contains("nope"));
        assert!(
            check_one("/a/", "index.html")
                .unwrap()
                .contains("base path")
        );
        assert!(
            check_one("/kb/a", "index.html")
                .unwrap()
                .contains("trailing slash")
        );
        for climbing in ["../../../x", "/kb/a/../../x"] {
            assert!(
                check_one(climbing, "a/index.html")
                    .unwrap()
                    .contains("leaves the site"),
                "{climbing}"
            );
        }
        assert!(
            check_one("/kb/a/./zzz/#intro", "index.html")
                .unwrap()
                .contains("does not exist")
        );
    }

    #[test]
    fn scan_decodes_entities_and_handles_odd_markup() {
        let s = scan(
            "<!DOCTYPE html><!-- <a href=\"/c/\"> --><A HREF='/x/?a=1&amp;b=2' ID=up><img src=p.png alt=x/><style>a{}</style><p id=\"&#x41;&#66;&bogus;\">",
        );
        assert_eq!(
            s.links,
            vec!["/x/?a=1&b=2".to_string(), "p.png".to_string()]
        );
        assert!(
            s.ids.contains("up") && s.ids.contains("AB&bogus;"),
            "{:?}",
            s.ids
        );
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
            let _ = scan(odd);
        }
    }

    #[test]
    fn scan_finds_ids_and_links_but_not_in_scripts() {
        let s = scan(
            "<h2 id=\"x\">t</h2><a href=\"/a/\" name=\"y\">l</a><script>var s='<a href=\"/no/\">';</script><img src=\"i.png\">",
        );
        assert!(s.ids.contains("x") && s.ids.contains("y"));
        assert_eq!(s.links, vec!["/a/".to_string(), "i.png".to_string()]);
    }
}
