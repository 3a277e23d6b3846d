//! Markup a page may not publish: URLs that run code and raw HTML that loads a
//! resource from another origin.
//!
//! - A link or image destination, or any URL attribute in raw HTML, with the scheme
//!   `javascript:`, `vbscript:` or `data:` — however it is written: any case, leading
//!   spaces or control characters, tabs and line breaks inside, character references
//!   (`&#106;avascript:`, `javascript&colon;`) — is an error.
//! - A `<script>` element or an event-handler attribute (`onclick`, `onerror`, …) in
//!   raw HTML is an error: scripts belong in `static/js/`, loaded by templates.
//! - Raw HTML that makes the browser fetch something (`<script src>`, `<iframe src>`,
//!   `<img src>`/`srcset`, `<link href>` other than `rel="canonical"`/`"alternate"`,
//!   `<audio>`/`<video>`/`<source>`/`<track>`/`<embed>`/`<input>` `src`, `<video
//!   poster>`, `<object data>`, SVG `<image>`/`<use>`/`<feImage>` `href`, `background`,
//!   CSS in a `style` attribute or `<style>` element) from an absolute or
//!   protocol-relative URL is an error,
//!   and so is a Markdown image with such a URL: the site promises that no page requests
//!   another origin. Links (`<a href="https://…">`, `[text](https://…)`) stay allowed.

use super::css;
use crate::text::html::{decode_entities, start_tag};

/// A problem at a byte offset of the scanned text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    /// Byte offset of the offending value in the scanned text.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: &'static str,
}

const RUNS_CODE_HINT: &str = "a link may not run code: link to a page, a file or an https:// URL";
const SCRIPT_HINT: &str =
    "pages' raw HTML may not run code: scripts belong in static/js/, loaded by a template";
const DATA_HINT: &str =
    "a `data:` URL can carry a script or a whole page: put the file in static/ and link to it";
/// The hint for a resource loaded from another origin.
pub(crate) const FOREIGN_HINT: &str = "pages never request another origin: save the file in static/ or next to the page and use its path (a plain link to another site is fine)";

/// Attributes whose value is a URL the browser follows or fetches.
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "srcset",
    "action",
    "formaction",
    "poster",
    "data",
    "cite",
    "background",
    "xlink:href",
];

/// Checks a link or image destination written in Markdown.
pub(crate) fn check_destination(dest: &str, is_image: bool) -> Option<(String, &'static str)> {
    if let Some(problem) = forbidden_scheme(dest) {
        return Some(problem);
    }
    (is_image && is_foreign(dest)).then(|| {
        (
            format!("`{}` is loaded from another origin", short(dest)),
            FOREIGN_HINT,
        )
    })
}

/// Checks raw HTML (a tag, or a whole HTML block): every problem, at its offset.
pub(crate) fn check_html(html: &str) -> Vec<Problem> {
    let mut problems = Vec::new();
    let bytes = html.as_bytes();
    let mut pos = 0;
    while let Some(lt) = memchr::memchr(b'<', &bytes[pos..]) {
        let start = pos + lt + 1;
        pos = start;
        if html[start..].starts_with("!--") {
            pos = html[start..]
                .find("-->")
                .map_or(bytes.len(), |e| start + e + 3);
            continue;
        }
        if !bytes.get(start).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        let mut attributes = Vec::new();
        let (name, end) = start_tag(html, start, |_, attr, value, at| {
            attributes.push((attr, value, at));
        });
        pos = end;
        if name.eq_ignore_ascii_case("script") {
            problems.push(Problem {
                offset: start - 1,
                message: "a `<script>` element in a page runs code".to_string(),
                hint: SCRIPT_HINT,
            });
        }
        for &(attr, _, at) in &attributes {
            if attr.len() > 2 && attr[..2].eq_ignore_ascii_case("on") {
                problems.push(Problem {
                    offset: at,
                    message: format!("the event handler `{attr}` on `<{name}>` runs code"),
                    hint: SCRIPT_HINT,
                });
            }
        }
        let mut css_problems = |css: &str, at: usize, exact: bool, what: &str| {
            for (offset, url) in css::urls(css) {
                if is_foreign(&url) {
                    problems.push(Problem {
                        offset: if exact { at + offset } else { at },
                        message: format!("{what} loads `{}` from another origin", short(&url)),
                        hint: FOREIGN_HINT,
                    });
                }
            }
        };
        for &(attr, value, at) in &attributes {
            if attr.eq_ignore_ascii_case("style") {
                let what = format!("the CSS in `<{name} style>`");
                css_problems(&decode_entities(value), at, !value.contains('&'), &what);
            }
        }
        if name.eq_ignore_ascii_case("style") {
            let close = find_ignore_case(&html[end..], "</style").map_or(bytes.len(), |e| end + e);
            css_problems(&html[end..close], end, true, "the CSS in `<style>`");
            pos = close;
        }
        let rel = attributes
            .iter()
            .find(|(a, _, _)| a.eq_ignore_ascii_case("rel"))
            .map(|(_, v, _)| v.to_ascii_lowercase());
        for &(attr, value, at) in &attributes {
            if !URL_ATTRIBUTES.iter().any(|u| attr.eq_ignore_ascii_case(u)) {
                continue;
            }
            let urls: Vec<&str> = if attr.eq_ignore_ascii_case("srcset") {
                value
                    .split(',')
                    .filter_map(|c| c.split_whitespace().next())
                    .collect()
            } else {
                vec![value]
            };
            for url in urls {
                let offset = at + url.as_ptr() as usize - value.as_ptr() as usize;
                if let Some((message, hint)) = forbidden_scheme(url) {
                    problems.push(Problem {
                        offset,
                        message: format!("`<{name} {attr}>`: {message}"),
                        hint,
                    });
                } else if loads(name, attr, rel.as_deref()) && is_foreign(url) {
                    problems.push(Problem {
                        offset,
                        message: format!(
                            "`<{name} {attr}>` loads `{}` from another origin",
                            short(&decode_entities(url))
                        ),
                        hint: FOREIGN_HINT,
                    });
                }
            }
        }
    }
    problems
}

/// Whether attribute `attr` of a `<name>` element makes the browser fetch its URL.
fn loads(name: &str, attr: &str, rel: Option<&str>) -> bool {
    let name = name.to_ascii_lowercase();
    let attr = attr.to_ascii_lowercase();
    match (name.as_str(), attr.as_str()) {
        ("link", "href") => !rel.is_some_and(|rel| {
            rel.split_ascii_whitespace()
                .all(|r| matches!(r, "canonical" | "alternate" | "author" | "license" | "help"))
        }),
        ("img" | "source", "src" | "srcset") => true,
        ("video", "src" | "poster") => true,
        ("script" | "iframe" | "frame" | "audio" | "track" | "embed" | "input", "src") => true,
        ("object", "data") => true,
        ("image" | "use" | "feimage", "href" | "xlink:href") => true,
        ("body" | "table" | "td" | "th", "background") => true,
        _ => false,
    }
}

/// The offset of `needle` (ASCII) in `text`, in any case.
fn find_ignore_case(text: &str, needle: &str) -> Option<usize> {
    text.as_bytes()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// `javascript:`, `vbscript:` or `data:`, as a browser would read the URL.
fn forbidden_scheme(url: &str) -> Option<(String, &'static str)> {
    let scheme = scheme(url)?;
    match scheme.as_str() {
        "javascript" | "vbscript" => Some((format!("a `{scheme}:` URL runs code"), RUNS_CODE_HINT)),
        "data" => Some(("a `data:` URL".to_string(), DATA_HINT)),
        _ => None,
    }
}

/// Absolute (`https://…`, any scheme) or protocol-relative (`//host/…`).
fn is_foreign(url: &str) -> bool {
    let url = decode_entities(url);
    let url = url.trim_start_matches(|c: char| c.is_ascii_whitespace() || c.is_control());
    url.starts_with("//") || url.starts_with("\\\\") || scheme(url).is_some()
}

/// The scheme of `url` as a browser parses it, lower-cased: leading spaces and control
/// characters skipped, tabs and line breaks ignored, character references decoded
/// (`&#106;`, `&#x6A`, `&colon;`, `&Tab;`, `&NewLine;`, with or without `;`).
fn scheme(url: &str) -> Option<String> {
    let mut out = String::new();
    let mut rest = url;
    while let Some(c) = rest.chars().next() {
        let (decoded, used) = match c {
            '&' => reference(rest).unwrap_or((Some('&'), 1)),
            c => (Some(c), c.len_utf8()),
        };
        rest = &rest[used..];
        let Some(c) = decoded else { continue };
        if c == ':' {
            return (!out.is_empty()).then_some(out);
        }
        if c.is_ascii_whitespace() || c.is_control() {
            continue;
        }
        if !(c.is_ascii_alphanumeric() || "+-.".contains(c)) || out.len() > 32 {
            return None;
        }
        out.push(c.to_ascii_lowercase());
    }
    None
}

/// A character reference at the start of `text`: (the character, or `None` for one
/// that stands for nothing a scheme could hold, bytes used).
fn reference(text: &str) -> Option<(Option<char>, usize)> {
    let body = &text[1..];
    if let Some(num) = body.strip_prefix('#') {
        let (digits, radix, skip) = match num.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16, 3),
            None => (num, 10, 2),
        };
        let len = digits
            .bytes()
            .take_while(|b| (*b as char).is_digit(radix))
            .count();
        let c = u32::from_str_radix(&digits[..len.min(8)], radix).ok()?;
        let semi = usize::from(digits[len..].starts_with(';'));
        return Some((char::from_u32(c), skip + len + semi));
    }
    for (name, c) in [("colon", ':'), ("tab", '\t'), ("newline", '\n')] {
        if body
            .get(..name.len())
            .is_some_and(|n| n.eq_ignore_ascii_case(name))
        {
            let semi = usize::from(body[name.len()..].starts_with(';'));
            return Some((Some(c), 1 + name.len() + semi));
        }
    }
    None
}

/// A URL cut for a message.
fn short(url: &str) -> String {
    match url.char_indices().nth(60) {
        Some((end, _)) => format!("{}…", &url[..end]),
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_that_run_code_are_found_however_written() {
        for url in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            "  javascript:alert(1)",
            "\u{1}\tjavascript:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            "&#106;avascript:alert(1)",
            "&#x6A;avascript:alert(1)",
            "&#106avascript:alert(1)",
            "&#0000106;avascript:alert(1)",
            "javascript&colon;alert(1)",
            "java&Tab;script:alert(1)",
            "vbscript:msgbox(1)",
            "VBScript:msgbox(1)",
            "data:text/html,<script>alert(1)</script>",
            " DATA:image/png;base64,AAAA",
        ] {
            assert!(forbidden_scheme(url).is_some(), "{url:?}");
        }
        for url in [
            "https://example.org/",
            "/about/",
            "page.md#javascript:x",
            "#data:x",
            "mailto:a@b.org",
            "notjavascript:x",
            "files/data:x.pdf",
        ] {
            assert!(forbidden_scheme(url).is_none(), "{url:?}");
        }
    }

    #[test]
    fn raw_html_loading_from_another_origin_is_found_at_its_value() {
        let cases = [
            r#"<script src="https://cdn.example/x.js"></script>"#,
            r#"<iframe src="//evil.example/"></iframe>"#,
            r#"<img alt="x" src="http://evil.example/x.png">"#,
            r#"<img alt="x" srcset="/a.png 1x, https://evil.example/b.png 2x">"#,
            r#"<link rel="stylesheet" href="https://cdn.example/x.css">"#,
            r#"<link rel="icon" href="https://cdn.example/x.ico">"#,
            r#"<video poster="https://evil.example/p.png"></video>"#,
            r#"<audio src="https://evil.example/a.mp3"></audio>"#,
            r#"<source src="https://evil.example/a.mp4">"#,
            r#"<embed src="https://evil.example/a.swf">"#,
            r#"<object data="https://evil.example/a.pdf"></object>"#,
            r#"<IMG SRC=https://evil.example/x.png>"#,
            r#"<img src="&#104;ttps://evil.example/x.png">"#,
            r#"<p style="background: url(https://evil.example/x.png)">"#,
            r#"<p style="background: u\72l(&quot;https://evil.example/x.png&quot;)">"#,
            "<style>\np { background: url('//evil.example/x.png') }\n</style>",
            "<STYLE>@import \"https://evil.example/s.css\";</STYLE>",
            r#"<svg><image href="https://evil.example/x.svg"/></svg>"#,
            r#"<svg><use xlink:href="https://evil.example/s.svg#i"/></svg>"#,
            r#"<td background="https://evil.example/x.png">"#,
        ];
        for html in cases {
            let problems = check_html(html);
            // (`<script>` is also an error in itself.)
            let foreign: Vec<_> = problems
                .iter()
                .filter(|p| p.message.contains("another origin"))
                .collect();
            assert_eq!(foreign.len(), 1, "{html}: {problems:?}");
            let p = foreign[0];
            let at = &html[p.offset..];
            assert!(
                [
                    "http",
                    "//",
                    "&",
                    "url(",
                    "u\\",
                    "'//",
                    "\"http",
                    "background"
                ]
                .iter()
                .any(|s| at.starts_with(s)),
                "{html}: offset at {at}"
            );
        }
        for html in [
            r#"<a href="https://example.org/">a link</a>"#,
            r#"<img alt="x" src="/figures/a.png">"#,
            r#"<img alt="x" src="fig.png" srcset="fig-2x.png 2x">"#,
            r#"<link rel="canonical" href="https://example.org/">"#,
            r#"<link rel="alternate" type="application/atom+xml" href="https://example.org/atom.xml">"#,
            r#"<p data-x="https://example.org/">text</p>"#,
            "<!-- <script src=\"https://x/\"></script> -->",
            r#"<p style="background: url(/figures/a.png); color: red">x</p>"#,
            "<style>p { background: url(bg.png) } a::after { content: \"see\" }</style>",
            r##"<svg><use href="#icon"/></svg>"##,
        ] {
            assert_eq!(check_html(html), [], "{html}");
        }
    }

    #[test]
    fn raw_html_urls_that_run_code_are_errors_on_any_url_attribute() {
        for html in [
            r#"<a href="javascript:alert(1)">x</a>"#,
            r#"<a href=" &#106;avascript:alert(1)">x</a>"#,
            r#"<form action="javascript:alert(1)"></form>"#,
            r#"<img alt="x" src="data:image/svg+xml,<svg onload=alert(1)>">"#,
            r#"<iframe src="data:text/html,x"></iframe>"#,
            r#"<a HREF='VBScript:x'>x</a>"#,
            r#"<img alt="x" src="fig.png" onerror="alert(1)">"#,
            r#"<script>alert(1)</script>"#,
        ] {
            let problems = check_html(html);
            assert_eq!(problems.len(), 1, "{html}: {problems:?}");
            assert!(
                problems[0].message.contains("runs code") || problems[0].message.contains("data:"),
                "{html}: {}",
                problems[0].message
            );
        }
    }

    #[test]
    fn markdown_destinations() {
        assert!(check_destination("javascript:alert(1)", false).is_some());
        assert!(check_destination("data:image/png;base64,AA", true).is_some());
        assert!(check_destination("https://example.org/x.png", true).is_some());
        assert!(check_destination("//example.org/x.png", true).is_some());
        assert!(check_destination("https://example.org/", false).is_none());
        assert!(check_destination("fig.png", true).is_none());
        assert!(check_destination("/figures/fig.png", true).is_none());
    }
}
