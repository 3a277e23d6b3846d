//! Shared helpers for integration tests: fixture sites copied into temp dirs, parsed HTML.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use hpskb::BuildOptions;
use hpskb::diag::Diagnostic;
use scraper::{Html, Selector};

/// Path of a committed fixture site.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Copies a fixture site into a fresh temp dir and returns (guard, root).
pub fn copy_fixture(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    copy_dir(&fixture(name), &root);
    (dir, root)
}

/// Copies directory `from` to `to`, recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

/// Writes `text` to `root/rel`, creating directories.
pub fn write(root: &Path, rel: &str, text: impl AsRef<[u8]>) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// Appends `text` to the file `root/rel`.
pub fn append(root: &Path, rel: &str, text: &str) {
    let existing = std::fs::read_to_string(root.join(rel)).unwrap();
    write(root, rel, existing + text);
}

/// Build options for `root`, output in `root/public`.
pub fn options(root: &Path) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        ..Default::default()
    }
}

/// Builds and expects failure; returns the error diagnostics.
pub fn build_errors(root: &Path) -> Vec<Diagnostic> {
    match hpskb::build(&options(root)) {
        Ok(_) => panic!("build of {} unexpectedly succeeded", root.display()),
        Err(d) => d.into_iter().filter(Diagnostic::is_error).collect(),
    }
}

/// Builds and expects success.
pub fn build_ok(root: &Path) -> Vec<Diagnostic> {
    match hpskb::build(&options(root)) {
        Ok((_, warnings)) => warnings,
        Err(d) => panic!(
            "build failed:\n{}",
            d.iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        ),
    }
}

/// Parses an output HTML file.
pub fn html(root: &Path, rel: &str) -> Html {
    let text = std::fs::read_to_string(root.join("public").join(rel))
        .unwrap_or_else(|e| panic!("{rel}: {e}"));
    Html::parse_document(&text)
}

/// Text of every element matching `selector`.
pub fn texts(doc: &Html, selector: &str) -> Vec<String> {
    let sel = Selector::parse(selector).unwrap();
    doc.select(&sel)
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

/// Attribute `attr` of every element matching `selector`.
pub fn attrs(doc: &Html, selector: &str, attr: &str) -> Vec<String> {
    let sel = Selector::parse(selector).unwrap();
    doc.select(&sel)
        .filter_map(|e| e.value().attr(attr).map(str::to_string))
        .collect()
}

/// Every file under `dir` with its bytes, by relative path.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.insert(rel, std::fs::read(e.path()).unwrap());
        }
    }
    out
}

/// Asserts that the only error is at `file` (suffix match) and `line`, mentioning `needle`.
pub fn assert_only_error_at(diags: &[Diagnostic], file: &str, line: usize, needle: &str) {
    assert_error_at(diags, file, line, needle);
    assert_eq!(diags.len(), 1, "one error only: {diags:?}");
}

/// Asserts that some error is at `file` (suffix match) and `line`, mentioning `needle`.
pub fn assert_error_at(diags: &[Diagnostic], file: &str, line: usize, needle: &str) {
    let found = diags.iter().any(|d| {
        d.file.to_string_lossy().ends_with(file) && d.line() == line && d.message.contains(needle)
    });
    assert!(
        found,
        "no error at {file}:{line} containing {needle:?}; got:\n{}",
        diags
            .iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    );
}
