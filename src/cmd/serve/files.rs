//! Request path → built-file resolution and content types.
//!
//! Everything here is a pure function over strings, so the safety rules (what a request
//! may name) are unit-tested without a server. The site is served from memory, so a
//! request can only ever name a key of the built site; the checks below reject anything
//! that even looks like an escape attempt before a lookup happens.

use hpskb::text::url::{encode_path, percent_decode_strict};

/// What a request path names in the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Resolution {
    /// A file of the site, by its output path (`monographs/x/index.html`).
    File(String),
    /// A directory without its trailing slash: redirect (301) to this location.
    Redirect(String),
    /// Nothing.
    NotFound,
}

/// Decodes the path of a request target (`/a%20b/?q=1` → `/a b/`) and validates it.
///
/// The path is percent-decoded exactly once. `None` (served as 404) when the target does
/// not start with `/`, is not valid percent-encoding or UTF-8, or contains a `.` or `..`
/// segment, an empty segment (`//`), a backslash, NUL or another control character.
pub(crate) fn decode_path(target: &str) -> Option<String> {
    let raw = target.split(['?', '#']).next().unwrap_or("");
    if !raw.starts_with('/') {
        return None;
    }
    let path = percent_decode_strict(raw)?;
    if path.chars().any(|c| c == '\\' || c.is_control()) {
        return None;
    }
    let inner = path.strip_prefix('/').unwrap_or_default();
    if !inner.is_empty() {
        let body = inner.strip_suffix('/').unwrap_or(inner);
        for segment in body.split('/') {
            if segment.is_empty() || segment == "." || segment == ".." || segment.contains(':') {
                return None;
            }
        }
    }
    Some(path)
}

/// Resolves a decoded path (from [`decode_path`]) against the site's files.
///
/// `/` and `/dir/` serve `index.html` of that directory; `/dir` redirects to `/dir/` when
/// `dir/index.html` exists; there are no directory listings.
pub(crate) fn resolve(path: &str, exists: impl Fn(&str) -> bool) -> Resolution {
    let Some(key) = path.strip_prefix('/') else {
        return Resolution::NotFound;
    };
    if key.is_empty() || key.ends_with('/') {
        let index = format!("{key}index.html");
        return if exists(&index) {
            Resolution::File(index)
        } else {
            Resolution::NotFound
        };
    }
    if exists(key) {
        return Resolution::File(key.to_string());
    }
    if exists(&format!("{key}/index.html")) {
        return Resolution::Redirect(format!("{}/", encode_path(path)));
    }
    Resolution::NotFound
}

/// The `Content-Type` for an output path, by extension (`application/octet-stream` when unknown).
pub(crate) fn content_type(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or(path);
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "webmanifest" => "application/manifest+json",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "bib" => "text/plain; charset=utf-8",
        "ris" => "application/x-research-info-systems",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "wasm" => "application/wasm",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        // Pagefind's index files (`.pf_meta`, `.pf_index`, `.pf_fragment`, `.pf_filter`,
        // `wasm.en.pagefind`) are compressed binary.
        _ => "application/octet-stream",
    }
}

/// True for content types that get the live-reload script injected.
pub(crate) fn is_html(content_type: &str) -> bool {
    content_type.starts_with("text/html")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_once_and_strips_the_query() {
        assert_eq!(decode_path("/").as_deref(), Some("/"));
        assert_eq!(decode_path("/a%20b/?x=1").as_deref(), Some("/a b/"));
        assert_eq!(decode_path("/a#frag").as_deref(), Some("/a"));
        // Decoded once: %252e stays the literal text `%2e`, which names no file.
        assert_eq!(decode_path("/%252e%252e/x").as_deref(), Some("/%2e%2e/x"));
    }

    #[test]
    fn rejects_traversal_and_odd_paths() {
        for bad in [
            "/../config.toml",
            "/%2e%2e/config.toml",
            "/%2E%2E/config.toml",
            "/..%2fconfig.toml",
            "/..%2Fconfig.toml",
            "/a/../../config.toml",
            "/a/%2e%2e/%2e%2e/config.toml",
            "/..\\config.toml",
            "/..%5cconfig.toml",
            "/a\\b",
            "//etc/passwd",
            "/%2fetc/passwd",
            "/a//b",
            "/./a",
            "/a/.",
            "/a%00.html",
            "/a\0",
            "/a%0d%0aSet-Cookie:x",
            "/C:/Windows/win.ini",
            "/c%3a/x",
            "etc/passwd",
            "http://example.org/",
            "*",
            "",
            "/%zz",
            "/%2",
            "/%ff%fe",
        ] {
            assert_eq!(decode_path(bad), None, "{bad:?} must be rejected");
        }
    }

    fn site(path: &str) -> bool {
        matches!(
            path,
            "index.html" | "a/index.html" | "a/b.css" | "404.html" | "a b/index.html"
        )
    }

    #[test]
    fn resolves_index_files_and_redirects_directories() {
        assert_eq!(resolve("/", site), Resolution::File("index.html".into()));
        assert_eq!(
            resolve("/a/", site),
            Resolution::File("a/index.html".into())
        );
        assert_eq!(resolve("/a", site), Resolution::Redirect("/a/".into()));
        assert_eq!(
            resolve("/a b", site),
            Resolution::Redirect("/a%20b/".into())
        );
        assert_eq!(
            resolve("/a/b.css", site),
            Resolution::File("a/b.css".into())
        );
        assert_eq!(
            resolve("/a/index.html", site),
            Resolution::File("a/index.html".into())
        );
        assert_eq!(resolve("/a/b.css/", site), Resolution::NotFound);
        assert_eq!(resolve("/b/", site), Resolution::NotFound);
        assert_eq!(resolve("/b", site), Resolution::NotFound);
        assert_eq!(resolve("relative", site), Resolution::NotFound);
    }

    #[test]
    fn content_types_by_extension() {
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(
            content_type("css/style.1a2b3c4d.css"),
            "text/css; charset=utf-8"
        );
        assert_eq!(content_type("a.JS"), "text/javascript; charset=utf-8");
        assert_eq!(content_type("logo.svg"), "image/svg+xml");
        assert_eq!(content_type("search.json"), "application/json");
        assert_eq!(
            content_type("sitemap.xml"),
            "application/xml; charset=utf-8"
        );
        assert_eq!(content_type("robots.txt"), "text/plain; charset=utf-8");
        assert_eq!(content_type("a.png"), "image/png");
        assert_eq!(content_type("a.jpg"), "image/jpeg");
        assert_eq!(content_type("pagefind/wasm.wasm"), "application/wasm");
        assert_eq!(content_type("f.woff2"), "font/woff2");
        assert_eq!(content_type("refs.bib"), "text/plain; charset=utf-8");
        assert_eq!(
            content_type("refs.ris"),
            "application/x-research-info-systems"
        );
        for pf in ["x.pf_meta", "x.pf_index", "x.pf_fragment", "x.pf_filter"] {
            assert_eq!(content_type(pf), "application/octet-stream");
        }
        assert_eq!(content_type("noext"), "application/octet-stream");
        assert_eq!(content_type(".dir/noext"), "application/octet-stream");
        assert!(is_html(content_type("404.html")));
    }
}
