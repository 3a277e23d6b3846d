//! The benchmark's synthetic corpus (`benches/gen_corpus.rs`) is a valid site: a
//! benchmark whose build fails would time the error path, not a build. (It once did,
//! unnoticed: every page defined some footnote labels twice.)

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::*;

/// Builds the `gen_corpus` example in this test's profile and returns its path.
fn gen_corpus() -> PathBuf {
    let mut cargo = Command::new(env!("CARGO"));
    cargo.args(["build", "--quiet", "--example", "gen_corpus"]);
    if !cfg!(debug_assertions) {
        cargo.arg("--release");
    }
    let status = cargo
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()
        .unwrap();
    assert!(status.success(), "cargo build --example gen_corpus");
    Path::new(env!("CARGO_BIN_EXE_hpskb"))
        .with_file_name("examples")
        .join(format!("gen_corpus{}", std::env::consts::EXE_SUFFIX))
}

#[test]
fn the_synthetic_corpus_builds_without_a_diagnostic() {
    let generator = gen_corpus();
    for flags in [&[][..], &["--plain"][..]] {
        let dir = tempfile::tempdir().unwrap();
        let generated = Command::new(&generator)
            .arg(dir.path())
            .arg("30")
            .args(flags)
            .output()
            .unwrap();
        assert!(
            generated.status.success(),
            "gen_corpus {flags:?}: {generated:?}"
        );
        let warnings = build_ok(dir.path());
        assert!(warnings.is_empty(), "{flags:?}: {warnings:?}");
        for i in 0..30 {
            let doc = html(dir.path(), &format!("monographs/drug-{i}/index.html"));
            let notes = attrs(&doc, ".footnote-definition", "id");
            assert_eq!(notes.len(), 9, "drug-{i} {flags:?}: {notes:?}");
            let mut distinct = notes.clone();
            distinct.sort();
            distinct.dedup();
            assert_eq!(distinct.len(), 9, "drug-{i} {flags:?}: {notes:?}");
        }
    }
}
