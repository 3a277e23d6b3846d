//! Internal link and fragment checking over the rendered HTML (Markdown links, raw HTML
//! and links written in templates alike). Broken links written in Markdown, or in an HTML
//! file copied from `content/` or `static/`, are reported at their file:line:col; links
//! templates wrote once for all the pages they break on, at their line in the template
//! (or a template it extends or includes) that writes them.

use std::borrow::Cow;
use std::cell::OnceCell;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use super::written::{self, TemplateProblems};
use crate::diag::{Cap, Code, Diagnostic};
use crate::load::{Site, read_text};
use crate::markdown::links_to_markdown;
use crate::render::{Anchors, Origin, OutputEntry, RenderedSite};
use crate::text::html::{decode_entities, start_tag};
use crate::text::url::{index_file, percent_decode, served_path};

/// A broken link found in one output file.
enum Found<'a> {
    /// Located in a page's source.
    InSource(Diagnostic),
    /// Comes from a template: (the output, the link, problem).
    InTemplate(&'a OutputEntry, &'a str, String),
}

/// Checks every internal link and fragment of the rendered site.
pub(crate) fn check(site: &Site, rendered: &RenderedSite) -> Vec<Diagnostic> {
    check_in(site, rendered, |_| true)
}

/// Checks the internal links and fragments of the HTML files `from` admits (every file
/// of the site can be their target).
pub(crate) fn check_in(
    site: &Site,
    rendered: &RenderedSite,
    from: impl Fn(&OutputEntry) -> bool,
) -> Vec<Diagnostic> {
    let base_path = site.config.base_path();
    let html_files: Vec<(&OutputEntry, &Anchors)> = rendered
        .outputs
        .iter()
        .filter_map(|f| Some((f, f.anchors.as_ref()?)))
        .collect();
    // Files a template error kept from being rendered count as existing (with any id):
    // their error is reported, and every link to them would repeat it.
    let targets = Targets::new(
        rendered
            .outputs
            .iter()
            .map(|f| f.path.as_str())
            .chain(rendered.failed.iter().map(String::as_str)),
        html_files.iter().map(|(f, a)| (f.path.as_str(), *a)),
    );
    let html_files: Vec<_> = html_files.into_iter().filter(|(f, _)| from(f)).collect();
    // Links already reported while rendering Markdown (normally none).
    let reported: FxHashSet<(usize, &str)> = rendered
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
        .map(|&(file, anchors)| {
            let page = match file.origin {
                Origin::Page { index, .. } => Some(index),
                _ => None,
            };
            let mut out = Vec::new();
            let mut cap = Cap::default();
            // The page's source, read again at its first broken link (if any).
            let source = OnceCell::new();
            for href in anchors.links() {
                if !reported.is_empty() && page.is_some_and(|i| reported.contains(&(i, href))) {
                    continue;
                }
                let Some(problem) = problem(href, &file.path, anchors, &base_path, &targets) else {
                    continue;
                };
                // Locating scans the page source: cap it, as the renderer does, to stay linear.
                if cap.full() {
                    continue;
                }
                out.push(
                    match locate_in_source(site, rendered, file, href, &problem, &source) {
                        Some(d) => {
                            cap.located();
                            Found::InSource(d)
                        }
                        None => Found::InTemplate(file, href, problem),
                    },
                );
            }
            if let Some(index) = page {
                let more =
                    cap.not_shown(&site.pages[index].file, ("broken links", "links"), "page");
                out.extend(more.map(Found::InSource));
            }
            out
        })
        .collect();

    let mut diags = Vec::new();
    // Template links break on every page using the template: report each once, with a count.
    let mut in_templates = TemplateProblems::default();
    for f in found.into_iter().flatten() {
        match f {
            Found::InSource(d) => diags.push(d),
            Found::InTemplate(out, href, problem) => in_templates.add(out, href, problem),
        }
    }
    diags.extend(in_templates.report(
        Code::BrokenOutputLink,
        site,
        |site, template, href| {
            // As written, or as `{{ site.base_path }}/rest`.
            let templates = &site.templates;
            let first = written::attribute(templates, template, "href", href)
                .into_iter()
                .next()
                .or_else(|| {
                    let rest = href.strip_prefix(base_path.as_str())?;
                    written::attribute_ending(templates, template, "href", rest)
                        .into_iter()
                        .next()
                })?;
            Some((first, None))
        },
        |problem, files| format!("broken link in {files}: {problem}"),
        "fix the link in the template (or in the site's override of it)",
    ));
    diags
}

/// Whether any link in `anchors` names one of `ids` as its fragment (whatever its path):
/// the files whose links an edit that removed those ids may have broken.
pub(crate) fn names_fragment(anchors: &Anchors, ids: &FxHashSet<&str>) -> bool {
    anchors.links().any(|href| {
        href.split_once('#')
            .is_some_and(|(_, f)| ids.contains(percent_decode(f).as_ref()))
    })
}

/// Everything a link may point at.
struct Targets<'a> {
    /// Every output file's path.
    files: FxHashSet<&'a str>,
    /// Ids per HTML file, keyed by its path (`a/index.html`) and, for `index.html`
    /// files, also by its directory (`a/`; `` for the root) so that pretty URLs resolve
    /// without allocating.
    ids: FxHashMap<&'a str, &'a Anchors>,
}

impl<'a> Targets<'a> {
    /// From every output path and the scan of each HTML file.
    fn new(
        files: impl Iterator<Item = &'a str>,
        html: impl Iterator<Item = (&'a str, &'a Anchors)>,
    ) -> Self {
        let mut ids = FxHashMap::default();
        for (path, anchors) in html {
            ids.insert(path, anchors);
            let dir = served_path(path);
            if dir != path {
                ids.insert(dir, anchors);
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
            self.ids.contains_key(path) || self.files.contains(index_file(path).as_str())
        } else {
            self.files.contains(path)
        }
    }
}

/// What is wrong with `href` found in output file `from` (with anchors `own`), if
/// anything.
fn problem(
    href: &str,
    from: &str,
    own: &Anchors,
    base_path: &str,
    targets: &Targets,
) -> Option<String> {
    if href.is_empty() || href == "#" || href.starts_with("//") || has_scheme(href) {
        return None;
    }
    let (path, fragment) = match href.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (href, None),
    };
    let path = path.split('?').next().unwrap_or("");
    // Output paths are file names: `/My%20Page/` is the directory `My Page/`.
    let path = percent_decode(path);
    let path = path.as_ref();
    if path.is_empty() {
        // Within the page itself (`#x`, `?q#x`).
        let fragment = percent_decode(fragment.filter(|f| !f.is_empty())?);
        return (!own.has_id(&fragment))
            .then(|| format!("`{href}`: no element with id `{fragment}` on the target page"));
    }
    let target: Cow<str> = if path.starts_with('/') {
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
        let what = if names_file(&target) { "file" } else { "page" };
        return Some(format!("`{href}` points to a {what} that does not exist"));
    }
    let fragment = fragment.filter(|f| !f.is_empty())?;
    let fragment = percent_decode(fragment);
    match targets.ids.get(&*target) {
        Some(anchors) if anchors.has_id(&fragment) => None,
        Some(_) => Some(format!(
            "`{href}`: no element with id `{fragment}` on the target page"
        )),
        None => None,
    }
}

/// Locates a broken link written in a page's Markdown (or raw HTML in it), or in an HTML
/// file the site copies unchanged; `None` for links that templates wrote.
///
/// Sources are not kept in memory: `source` caches the file read again (a page only if it
/// still has the front matter it was built with).
fn locate_in_source(
    site: &Site,
    rendered: &RenderedSite,
    file: &OutputEntry,
    href: &str,
    problem: &str,
    source: &OnceCell<Option<String>>,
) -> Option<Diagnostic> {
    let index = match &file.origin {
        Origin::Page { index, .. } => *index,
        Origin::Copied { source: path } => {
            let source = source.get_or_init(|| read_text(&site.root, path).ok());
            let d = Diagnostic::new(Code::BrokenOutputLink, path, format!("broken link: {problem}")).with_hint(
                "the file is copied unchanged: its links must be URLs of the built site, not paths to .md files",
            );
            return Some(
                match source
                    .as_deref()
                    .and_then(|s| Some((s, find_href(s, href)?)))
                {
                    Some((text, offset)) => d.at_offset(text, offset),
                    None => d,
                },
            );
        }
        Origin::Template { .. } | Origin::Asset(_) => return None,
    };
    let page = &site.pages[index];
    let source = source.get_or_init(|| page.read_source(&site.root).ok());
    let body = || source.as_deref()?.get(page.body_offset()..);
    let offset = rendered
        .source_links(index)
        .iter()
        .find(|l| l.href == href && l.offset > 0)
        .map(|l| l.offset)
        .or_else(|| find_href(body()?, href).map(|o| page.body_offset() + o))?;
    let hint = if links_to_markdown(href) {
        "`.md` paths become URLs only in Markdown links such as [text](page.md); in HTML, write the page's URL"
    } else if names_file(href.split(['?', '#']).next().unwrap_or_default()) {
        "a file is linked by its path under static/ or content/ (`/a.pdf` is `static/a.pdf`), or by its path from the page"
    } else {
        "links to pages are relative paths to .md files; fragments are heading ids (see the page's table of contents)"
    };
    let d = Diagnostic::new(
        Code::BrokenLink,
        &page.file,
        format!("broken link: {problem}"),
    )
    .with_hint(hint);
    Some(match &source {
        Some(source) => d.at_offset(source, offset),
        None => d,
    })
}

/// Where `href` (entity-decoded) is written in an HTML file (or a page's raw HTML): as the
/// value of an `href` attribute if it is one (`&` may be written `&amp;`), else anywhere;
/// else as an `href` or `src` value with other character references (`caf&eacute;/`).
fn find_href(html: &str, href: &str) -> Option<usize> {
    written::attribute_offsets(html, "href", href)
        .first()
        .copied()
        .or_else(|| html.find(href))
        .or_else(|| find_decoded(html, href))
}

/// Where an `href` or `src` attribute whose value decodes to `href` is written in `html`.
fn find_decoded(html: &str, href: &str) -> Option<usize> {
    let bytes = html.as_bytes();
    let mut found = None;
    for lt in memchr::memchr_iter(b'<', bytes) {
        if !bytes.get(lt + 1).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        start_tag(html, lt + 1, |_, attr, value, at| {
            let url = attr.eq_ignore_ascii_case("href") || attr.eq_ignore_ascii_case("src");
            if found.is_none() && url && value.contains('&') && decode_entities(value) == href {
                found = Some(at);
            }
        });
        if found.is_some() {
            return found;
        }
    }
    None
}

/// Whether a link's path names a file other than a page (`files/a.pdf`, not `a/` or
/// `a/index.html`).
fn names_file(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    name.contains('.') && !name.ends_with(".html")
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
            ("index.html", Anchors::of("<p>home</p>")),
            (
                "a/index.html",
                Anchors::of("<h2 id=intro>I</h2><h2 id=\"r&#xe9;f\">R</h2>"),
            ),
            ("a/b/index.html", Anchors::of("")),
        ];
        let targets = Targets::new(
            html.iter().map(|(p, _)| *p).chain(["css/x.css"]),
            html.iter().map(|(p, s)| (*p, s)),
        );
        let own = &html.iter().find(|(p, _)| *p == from).expect("known page").1;
        problem(href, from, own, "/kb", &targets)
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
}
