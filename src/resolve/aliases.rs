//! Aliases: old URLs that must keep working, checked to be plain site paths.

use crate::diag::{Code, Diagnostic};
use crate::load::Page;
use crate::load::front_matter::at_value;
use crate::text::url::output_path_problem;

/// An error about the page's alias number `index` (0-based), at that alias in its front
/// matter.
pub(super) fn alias_error(page: &Page, index: usize, message: String, hint: &str) -> Diagnostic {
    let d = Diagnostic::new(Code::BadAlias, &page.file, message).with_hint(hint);
    at_value(d, &page.front_matter, &["aliases", &index.to_string()])
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
