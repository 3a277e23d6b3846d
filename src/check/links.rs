//! Internal link and fragment checking over the rendered HTML (Markdown links, raw HTML
//! and links written in templates alike). Broken links written in Markdown are reported
//! at their file:line:col; others at the template that produced the page.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use html5gum::{DefaultEmitter, Token, Tokenizer};
use rayon::prelude::*;

use crate::diag::Diagnostic;
use crate::load::Site;
use crate::markdown::percent_decode;
use crate::render::{Origin, OutputFile, RenderedSite};

/// Ids and links found in one HTML file.
#[derive(Debug, Default)]
struct Scan {
    ids: HashSet<String>,
    links: Vec<String>,
}

fn scan(html: &str) -> Scan {
    let mut emitter = DefaultEmitter::default();
    emitter.naively_switch_states(true);
    let mut out = Scan::default();
    for token in Tokenizer::new_with_emitter(html, emitter).flatten() {
        let Token::StartTag(tag) = token else {
            continue;
        };
        for (name, value) in &tag.attributes {
            let name: &[u8] = name;
            let value = String::from_utf8_lossy(value);
            match name {
                b"id" => {
                    out.ids.insert(value.into_owned());
                }
                b"name" if &*tag.name == b"a" => {
                    out.ids.insert(value.into_owned());
                }
                b"href" | b"src" if !matches!(&*tag.name as &[u8], b"base") => {
                    out.links.push(value.into_owned());
                }
                _ => {}
            }
        }
    }
    out
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
        .map(|f| scan(&String::from_utf8_lossy(&f.bytes)))
        .collect();
    let all_files: HashSet<&str> = rendered.files.iter().map(|f| f.path.as_str()).collect();
    let ids: HashMap<&str, &HashSet<String>> = html_files
        .iter()
        .zip(&scans)
        .map(|(f, s)| (f.path.as_str(), &s.ids))
        .collect();

    let mut diags = Vec::new();
    for (file, scan) in html_files.iter().zip(&scans) {
        let mut seen = HashSet::new();
        for href in &scan.links {
            if !seen.insert(href.as_str()) || already_reported(rendered, file, href) {
                continue;
            }
            let Some(problem) = problem(href, &file.path, &base_path, &all_files, &ids) else {
                continue;
            };
            diags.push(locate(site, rendered, file, href, problem));
        }
    }
    diags
}

/// What is wrong with `href` found in output file `from`, if anything.
fn problem(
    href: &str,
    from: &str,
    base_path: &str,
    files: &HashSet<&str>,
    ids: &HashMap<&str, &HashSet<String>>,
) -> Option<String> {
    if href.is_empty() || href == "#" || href.starts_with("//") || has_scheme(href) {
        return None;
    }
    let (path, fragment) = match href.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (href, None),
    };
    let path = path.split('?').next().unwrap_or("");
    let target = if path.is_empty() {
        from.to_string()
    } else {
        let absolute = if path.starts_with('/') {
            match path.strip_prefix(base_path) {
                Some(rest) if rest.starts_with('/') => rest.to_string(),
                _ => {
                    return Some(format!(
                        "`{href}` is outside the site's base path `{base_path}/`"
                    ));
                }
            }
        } else {
            let dir = from.rfind('/').map_or("", |i| &from[..=i]);
            format!("/{dir}{path}")
        };
        match normalize(&absolute) {
            Some(p) => p,
            None => return Some(format!("`{href}` leaves the site")),
        }
    };
    let target = if target.is_empty() || target.ends_with('/') {
        format!("{target}index.html")
    } else {
        target
    };
    if !files.contains(target.as_str()) {
        if files.contains(format!("{target}/index.html").as_str()) {
            return Some(format!("`{href}` needs a trailing slash"));
        }
        return Some(format!("`{href}` points to a page that does not exist"));
    }
    let fragment = fragment.filter(|f| !f.is_empty())?;
    let fragment = percent_decode(fragment);
    match ids.get(target.as_str()) {
        Some(set) if set.contains(&fragment) => None,
        Some(_) => Some(format!(
            "`{href}`: no element with id `{fragment}` on the target page"
        )),
        None => None,
    }
}

fn already_reported(rendered: &RenderedSite, file: &OutputFile, href: &str) -> bool {
    match file.origin {
        Origin::Page(i) => rendered
            .source_links(i)
            .iter()
            .any(|l| l.reported && l.href == href),
        _ => false,
    }
}

fn locate(
    site: &Site,
    rendered: &RenderedSite,
    file: &OutputFile,
    href: &str,
    problem: String,
) -> Diagnostic {
    match &file.origin {
        Origin::Page(i) => {
            let page = &site.pages[*i];
            match rendered.source_links(*i).iter().find(|l| l.href == href && l.offset > 0) {
                Some(l) => Diagnostic::error(&page.file, format!("broken link: {problem}"))
                    .at_offset(&page.text, l.offset)
                    .with_hint("links to pages are relative paths to .md files; fragments are heading ids (see the page's table of contents)"),
                None => Diagnostic::error(&page.file, format!("broken link in the rendered page `{}`: {problem}", file.path))
                    .with_hint("the link comes from the page's template or from raw HTML in the page"),
            }
        }
        Origin::Template(t) => Diagnostic::error(
            PathBuf::from(format!("templates/{t}")),
            format!("broken link in `{}`: {problem}", file.path),
        )
        .with_hint("fix the link in the template"),
        Origin::Asset => Diagnostic::error(
            PathBuf::from(format!("static/{}", file.path)),
            format!("broken link: {problem}"),
        ),
    }
}

fn has_scheme(href: &str) -> bool {
    href.find(':').is_some_and(|i| {
        let s = &href[..i];
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    })
}

/// Resolves `.` and `..` in an absolute path; returns it without the leading `/`.
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
        let files: HashSet<&str> = ["index.html", "a/index.html", "a/b/index.html", "css/x.css"]
            .into_iter()
            .collect();
        let a_ids: HashSet<String> = ["intro".to_string(), "réf".to_string()]
            .into_iter()
            .collect();
        let empty = HashSet::new();
        let ids: HashMap<&str, &HashSet<String>> = [
            ("index.html", &empty),
            ("a/index.html", &a_ids),
            ("a/b/index.html", &empty),
        ]
        .into_iter()
        .collect();
        problem(href, from, "/kb", &files, &ids)
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
        assert!(
            check_one("../../../x", "a/index.html")
                .unwrap()
                .contains("leaves the site")
        );
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
