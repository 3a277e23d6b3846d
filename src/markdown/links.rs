//! Links and images: `.md` links rewritten to page URLs (recorded for the link checker),
//! site paths to hashed asset names, and broken targets reported.

use crate::diag::Code;
use pulldown_cmark::CowStr;
use pulldown_cmark_escape::escape_href;

use super::{SourceLink, State, markup};
use crate::resolve::LinkTargets;
use crate::text::html::decode_entities;
use crate::text::url::{encode_path, join_relative, percent_decode};

/// A link written as a URL path of the built site (`/glossary/`), checked once the site
/// is built; a static CSS or JS file's is changed to its hashed name.
pub(super) fn absolute_url(targets: &LinkTargets, dest: &str) -> String {
    let (path, rest) = dest.split_at(dest.find(['?', '#']).unwrap_or(dest.len()));
    let decoded = percent_decode(&path[1..]);
    match targets.asset_path(&decoded).filter(|out| *out != decoded) {
        Some(out) => format!("{}/{}{rest}", targets.base_path, encode_path(out)),
        None => format!("{}{dest}", targets.base_path),
    }
}

pub(super) fn has_scheme(dest: &str) -> bool {
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

/// `href` as the link checker reads it in the output: as the HTML writer writes it
/// (non-ASCII characters, spaces and quotes percent-encoded), then entity-decoded.
fn written(href: &str) -> String {
    let mut out = String::with_capacity(href.len());
    // Writing to a String cannot fail.
    let _ = escape_href(&mut out, href);
    decode_entities(&out).into_owned()
}

/// Whether a link's path (before any `?` or `#`) names a Markdown file.
pub fn links_to_markdown(href: &str) -> bool {
    href.split(['?', '#'])
        .next()
        .is_some_and(|p| p.ends_with(".md"))
}

impl<'p, 'c, 'a> State<'p, 'c, 'a> {
    /// Rewrites a link destination written in Markdown to the URL it has in the output,
    /// recording internal links for the post-render check.
    pub(super) fn rewrite_url(&mut self, dest: &str, offset: usize, is_image: bool) -> CowStr<'a> {
        let targets = self.ctx.links;
        if dest.trim().is_empty() {
            let what = if is_image {
                "image has no source"
            } else {
                "link has no destination"
            };
            self.error(
                Code::BrokenLink,
                offset,
                format!("{what}: `()` is empty"),
                Some("write the page, file or URL between the parentheses".into()),
            );
            return self.reported_broken(dest, offset);
        }
        if let Some((message, hint)) = markup::check_destination(dest, is_image) {
            let what = if is_image { "image" } else { "link" };
            self.error(
                Code::BrokenLink,
                offset,
                format!("{what}: {message}"),
                Some(hint.into()),
            );
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
                    Code::BrokenLink,
                    offset,
                    format!("link `{dest}` points outside content/"),
                    Some("links are relative to the page's file".into()),
                );
                return self.reported_broken(dest, offset);
            };
            let is_page_link = rel.ends_with(".md") && !is_image;
            // A translation links to the page's translation in its language where there
            // is one, else to the page itself.
            let translated = self.page.lang.as_ref().and_then(|tag| {
                let stem = rel.strip_suffix(".md")?;
                targets.page_url(&format!("{stem}.{tag}.md"))
            });
            let page_url = is_page_link
                .then(|| translated.or_else(|| targets.page_url(&rel)))
                .flatten();
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
                    Code::BrokenLink,
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
                    Code::BrokenLink,
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
            href: written(&href),
            offset,
            reported: false,
        });
        href.into()
    }

    /// Keeps a broken destination as written and remembers that it was reported.
    pub(super) fn reported_broken(&mut self, dest: &str, offset: usize) -> CowStr<'a> {
        self.links.push(SourceLink {
            href: written(dest),
            offset,
            reported: true,
        });
        dest.to_string().into()
    }
}
