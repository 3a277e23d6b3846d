//! The broken-site fixture runner: every directory under `tests/fixtures/broken/` is one
//! case. Its files are laid over a copy of the `good` fixture site (or over nothing, when
//! its `base.txt` says `none`), the files its `removed.txt` lists (one relative path a
//! line) are deleted, `check` runs on the result, and the outcome and every diagnostic in
//! the short form (`file:line:col: error: message (hint: …)`, the temporary directory
//! written `<site>`) must equal the case's `expected.txt`.
//!
//! A new failure class is a new case directory: write the broken files, run
//! `BLESS=1 cargo test --test it fixtures::` to write its `expected.txt`, and read that
//! file before committing it. `BROKEN_CASE=<part of a name>` runs only matching cases.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::support::*;

/// Files of a case directory that describe the case instead of being laid over the site.
const CASE_FILES: [&str; 3] = ["expected.txt", "removed.txt", "base.txt"];

#[test]
fn broken_site_fixtures() {
    let dir = fixture("broken");
    let only = std::env::var("BROKEN_CASE").unwrap_or_default();
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir() && name(p).contains(&only))
        .collect();
    cases.sort();
    assert!(!cases.is_empty(), "no case under {}", dir.display());
    let bless = std::env::var_os("BLESS").is_some();
    let failures: Vec<String> = cases
        .par_iter()
        .filter_map(|case| {
            let actual = run_case(case);
            let expected_file = case.join("expected.txt");
            if bless {
                std::fs::write(&expected_file, &actual).unwrap();
                return None;
            }
            let expected = std::fs::read_to_string(&expected_file).unwrap_or_default();
            (expected != actual).then(|| {
                format!(
                    "--- {} expected:\n{expected}+++ {} actual:\n{actual}",
                    name(case),
                    name(case)
                )
            })
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} fixtures differ (if the new output is right, accept it with \
         BLESS=1 cargo test --test it fixtures::):\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// Builds the case's site in a temporary directory, checks it, and renders the outcome.
fn run_case(case: &Path) -> String {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let base = std::fs::read_to_string(case.join("base.txt")).unwrap_or_else(|_| "good".into());
    match base.trim() {
        "none" => std::fs::create_dir_all(&root).unwrap(),
        base => copy_dir(&fixture(base), &root),
    }
    if let Ok(removed) = std::fs::read_to_string(case.join("removed.txt")) {
        for rel in removed.lines().filter(|l| !l.trim().is_empty()) {
            std::fs::remove_file(root.join(rel.trim()))
                .unwrap_or_else(|e| panic!("{}: removed.txt: {rel}: {e}", name(case)));
        }
    }
    for e in std::fs::read_dir(case).unwrap() {
        let e = e.unwrap();
        let file_name = e.file_name();
        if CASE_FILES.iter().any(|f| file_name == *f) {
            continue;
        }
        let target = root.join(&file_name);
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
    let (outcome, diagnostics) = match hpskb::check(&options(&root)) {
        Ok((_, warnings)) => ("check passes", warnings),
        Err(diagnostics) => ("check fails", diagnostics),
    };
    let mut out = format!("{outcome}\n");
    for d in &diagnostics {
        let line = d
            .to_string()
            .replace(&root.display().to_string(), "<site>")
            .replace(&dir.path().display().to_string(), "<tmp>");
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// The case's directory name.
fn name(case: &Path) -> String {
    case.file_name().unwrap().to_string_lossy().into_owned()
}
