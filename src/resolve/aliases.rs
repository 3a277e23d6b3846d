//! Aliases: old URLs that must keep working, checked to be plain site paths.

use crate::diag::{Diagnostic, find_nth_quoted, find_quoted};
use crate::load::Page;
use crate::text::url::output_path_problem;

/// An error about one of a page's aliases, located at the alias in its front matter.
/// An error at the `nth` place `alias` is written in the page's front matter (or its
/// first, when it is not written that many times alike).
pub(super) fn alias_error(
    page: &Page,
    alias: &str,
    nth: usize,
    message: String,
    hint: &str,
) -> Diagnostic {
    let d = Diagnostic::error(&page.file, message).with_hint(hint);
    let fm = &page.front_matter;
    let escaped = |hex: fn(u32) -> String| {
        let mut e = String::new();
        for c in alias.chars() {
            match c {
                '\\' | '"' => e.extend(['\\', c]),
                _ if c.is_control() => e.push_str(&hex(u32::from(c))),
                _ => e.push(c),
            }
        }
        e
    };
    // As written, or with TOML escapes (`\\`, `\u001B`, `\u001b`).
    let at = find_nth_quoted(fm, alias, nth)
        .or_else(|| find_quoted(fm, alias))
        .or_else(|| find_quoted(fm, &escaped(|c| format!("\\u{c:04X}"))))
        .or_else(|| find_quoted(fm, &escaped(|c| format!("\\u{c:04x}"))));
    match at {
        Some(offset) => d.at_offset(fm, offset),
        None => d,
    }
}

/// The output file for an alias, or what keeps it from being a plain site path.
pub(super) fn alias_output(alias: &str) -> Result<String, String> {
    let a = alias.trim();
    let a = a.strip_prefix('/').unwrap_or(a);
    if a.is_empty() {
        return Err("is the home page".into());
    }
    if a.contains(['?', '#']) {
        return Err("has a query or a fragment".into());
    }
    let out = if a.ends_with(".html") {
        a.to_string()
    } else {
        format!("{}/index.html", a.strip_suffix('/').unwrap_or(a))
    };
    match output_path_problem(&out) {
        Some(problem) => Err(problem),
        None => Ok(out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_map_to_files() {
        assert_eq!(
            alias_output("/old/page/").as_deref(),
            Ok("old/page/index.html")
        );
        assert_eq!(alias_output("old.html").as_deref(), Ok("old.html"));
        for (alias, problem) in [
            ("/../etc", "has a `..` segment"),
            ("https://x.org/a", "has a `:`"),
            ("/", "is the home page"),
            ("/./", "has a `.` segment"),
            ("/about/./", "has a `.` segment"),
            ("//x/", "has an empty segment"),
            ("/a//b/", "has an empty segment"),
            ("/a\\b/", "has a backslash"),
            ("/a\u{1b}[2J/", "has a control character"),
            ("/.hpskb-manifest", "manifest"),
            ("/a?x=1", "query"),
        ] {
            let got = alias_output(alias).unwrap_err();
            assert!(got.contains(problem), "{alias}: {got}");
        }
        let long = format!("/{}/", "x".repeat(256));
        assert!(alias_output(&long).unwrap_err().contains("256 bytes"));
        assert!(alias_output(&format!("/{}/", "x".repeat(255))).is_ok());
    }
}
