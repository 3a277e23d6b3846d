//! URLs and output paths: percent-encoding and decoding, relative links, the output file
//! a site path is written to and the path an output file is served at.

use std::borrow::Cow;

/// The name of hpskb's output manifest, at the output root (see `emit`).
pub const MANIFEST: &str = ".hpskb-manifest";

/// Longest file name most file systems allow, in bytes.
pub const MAX_NAME_BYTES: usize = 255;

/// What keeps `path` (relative to the output root, `/` separators) from being a plain
/// output path that names one file and that the preview can serve, or `None`: an empty,
/// `.` or `..` segment, a backslash, a `:`, a control character, a name longer than
/// [`MAX_NAME_BYTES`], or the name of hpskb's own output manifest.
pub fn output_path_problem(path: &str) -> Option<String> {
    let problem = |p: &str| Some(p.to_string());
    if path.split('/').next() == Some(MANIFEST) {
        return problem("is the name of hpskb's output manifest");
    }
    for segment in path.split('/') {
        match segment {
            "" => return problem("has an empty segment (`//`, or a leading or trailing `/`)"),
            "." | ".." => return Some(format!("has a `{segment}` segment")),
            _ if segment.contains('\\') => return problem("has a backslash"),
            _ if segment.contains(':') => return problem("has a `:`"),
            _ if segment.chars().any(char::is_control) => {
                return problem("has a control character");
            }
            _ if segment.len() > MAX_NAME_BYTES => {
                return Some(format!(
                    "has a name of {} bytes, over the {MAX_NAME_BYTES} a file system allows",
                    segment.len()
                ));
            }
            _ => {}
        }
    }
    None
}

/// A site path as it is written in a URL: bytes other than letters, digits and the
/// characters a path may hold as they are (`-._~/!$&'()*+,;=:@`) are percent-encoded, so
/// a file named `My Page.md` is linked as `My%20Page/`.
pub fn encode_path(path: &str) -> String {
    let mut url = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            url.push(char::from(b));
        } else {
            url.push_str(&format!("%{b:02X}"));
        }
    }
    url
}

/// Decodes `%XX` escapes; invalid escapes are kept as written (and bytes that are not
/// UTF-8 replaced), for links written by hand. See [`percent_decode_strict`].
pub fn percent_decode(s: &str) -> Cow<'_, str> {
    if !s.contains('%') {
        return Cow::Borrowed(s);
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match escaped_byte(bytes, i) {
            Some(b) => {
                out.push(b);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    Cow::Owned(String::from_utf8_lossy(&out).into_owned())
}

/// Decodes `%XX` escapes exactly once, or `None` when an escape is invalid (`%zz`, `%2`)
/// or the decoded bytes are not UTF-8: for request paths, where a lenient guess could
/// name another file than the one asked for.
pub fn percent_decode_strict(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            out.push(escaped_byte(bytes, i)?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The byte a valid `%XX` escape at `bytes[i]` stands for.
fn escaped_byte(bytes: &[u8], i: usize) -> Option<u8> {
    let hex = |at: usize| bytes.get(at).and_then(|&b| char::from(b).to_digit(16));
    match bytes[i] {
        b'%' => Some((hex(i + 1)? * 16 + hex(i + 2)?) as u8),
        _ => None,
    }
}

/// Resolves `link` relative to the directory of `page_rel` (both relative to content/).
/// `None` when the result leaves content/.
pub fn join_relative(page_rel: &str, link: &str) -> Option<String> {
    let mut parts: Vec<&str> = page_rel.split('/').collect();
    parts.pop();
    for seg in link.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// The output file of a site directory (`""` or ending in `/`, without the leading `/`):
/// `a/b/` → `a/b/index.html`.
pub fn index_file(dir: &str) -> String {
    format!("{dir}index.html")
}

/// The path an output file is served at (without the leading `/`): pretty URLs for
/// `index.html` files (`a/index.html` → `a/`, `index.html` → ``), other files as they are.
pub fn served_path(output: &str) -> &str {
    match output.strip_suffix("index.html") {
        Some(dir) if dir.is_empty() || dir.ends_with('/') => dir,
        _ => output,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_files_and_served_paths_match() {
        for dir in ["", "a/", "a/b/"] {
            assert_eq!(served_path(&index_file(dir)), dir);
        }
        assert_eq!(served_path("notindex.html"), "notindex.html");
        assert_eq!(served_path("a/cite.bib"), "a/cite.bib");
    }

    #[test]
    fn encoding_and_decoding_round_trip() {
        for path in ["My Page/", "réactions/", "a%b", "q?x#y"] {
            assert_eq!(percent_decode(&encode_path(path)), path);
        }
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
    }

    #[test]
    fn strict_decoding_refuses_invalid_escapes_and_utf8() {
        assert_eq!(percent_decode_strict("/a%20b/").as_deref(), Some("/a b/"));
        assert_eq!(percent_decode_strict("%252e").as_deref(), Some("%2e"));
        assert_eq!(percent_decode_strict("r%C3%A9").as_deref(), Some("ré"));
        for bad in ["%zz", "%2", "a%", "%ff%fe"] {
            assert_eq!(percent_decode_strict(bad), None, "{bad}");
        }
    }
}
