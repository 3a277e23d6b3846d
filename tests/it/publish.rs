//! Publishing deletes only what hpskb wrote, and is crash-safe: each build's output carries
//! a manifest of the files it wrote; a directory without one is refused (or, with
//! `--force`, replaced); files the previous build did not write are moved into the new
//! output; what an interrupted build left is restored or finished, never deleted whole.
//! Each data-loss test asserts that the files at risk are still there, byte for byte.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::*;

/// A pid no process has (above any pid_max).
const DEAD: &str = "999999999";

fn public(root: &Path) -> PathBuf {
    root.join("public")
}

/// The files under `dir`, without hpskb's manifest.
fn site_files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut t = tree(dir);
    t.remove(".hpskb-manifest");
    t
}

/// The user's files put in an output directory: a gh-pages worktree's.
const USER_FILES: &[(&str, &str)] = &[
    ("CNAME", "kb.example.org\n"),
    (".nojekyll", ""),
    (".git", "gitdir: /elsewhere/.git/worktrees/public\n"),
    ("notes.txt", "my notes\n"),
    ("monographs/draft.txt", "a draft\n"),
];

fn put_user_files(dir: &Path) {
    for (rel, text) in USER_FILES {
        write(dir, rel, text);
    }
}

fn assert_user_files_intact(dir: &Path) {
    for (rel, text) in USER_FILES {
        assert_eq!(
            std::fs::read(dir.join(rel)).ok().as_deref(),
            Some(text.as_bytes()),
            "{rel} lost or changed in {}",
            dir.display()
        );
    }
}

/// Names next to the output that an interrupted build leaves.
fn leftovers(root: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public."))
        .collect();
    names.sort();
    names
}

fn errors_of(
    result: Result<(hpskb::Built, Vec<hpskb::diag::Diagnostic>), Vec<hpskb::diag::Diagnostic>>,
) -> Vec<hpskb::diag::Diagnostic> {
    match result {
        Ok(_) => panic!("the build succeeded"),
        Err(d) => d,
    }
}

#[test]
fn a_directory_hpskb_did_not_write_is_refused_and_left_as_it_was() {
    let (_g, root) = copy_fixture("good");
    // Looks like a site (it has an index.html), but hpskb's mark is missing.
    write(&public(&root), "index.html", "<p>someone else's site</p>");
    put_user_files(&public(&root));
    let before = tree(&public(&root));
    let d = build_errors(&root);
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(
        d[0].message.contains("holds files hpskb did not write"),
        "{}",
        d[0]
    );
    assert!(
        d[0].message.contains("`.git`"),
        "names a few files: {}",
        d[0]
    );
    assert!(d[0].message.contains("more"), "{}", d[0]);
    assert!(d[0].hint.as_deref().unwrap().contains("--force"));
    assert_eq!(tree(&public(&root)), before);
    assert_eq!(leftovers(&root), Vec::<String>::new());
}

#[test]
fn force_replaces_a_directory_hpskb_did_not_write() {
    let (_g, root) = copy_fixture("good");
    put_user_files(&public(&root));
    hpskb::build_force(&options(&root), true)
        .map_err(|d| format!("{d:?}"))
        .unwrap();
    assert!(public(&root).join("index.html").is_file());
    assert!(
        !public(&root).join("notes.txt").exists(),
        "--force deletes what it held"
    );
    assert_eq!(leftovers(&root), Vec::<String>::new());
    // From now on it is hpskb's: an ordinary build replaces it.
    build_ok(&root);
}

#[test]
fn files_the_previous_build_did_not_write_are_kept() {
    let (_g, root) = copy_fixture("good");
    write(
        &root,
        "content/extra.md",
        "+++\ntitle = \"Extra\"\n+++\nx\n",
    );
    build_ok(&root);
    put_user_files(&public(&root));
    std::fs::remove_file(root.join("content/extra.md")).unwrap();
    build_ok(&root);
    assert_user_files_intact(&public(&root));
    assert!(
        !public(&root).join("extra/index.html").exists(),
        "a page no longer built goes"
    );
    let manifest = std::fs::read_to_string(public(&root).join(".hpskb-manifest")).unwrap();
    assert!(!manifest.lines().any(|l| l == "CNAME" || l == "notes.txt"));
    assert_eq!(leftovers(&root), Vec::<String>::new());
    // And again: kept files stay kept.
    build_ok(&root);
    assert_user_files_intact(&public(&root));
}

#[test]
fn a_kept_file_where_the_build_now_writes_is_refused() {
    let (_g, root) = copy_fixture("good");
    build_ok(&root);
    put_user_files(&public(&root));
    write(&root, "content/notes.txt", "published notes\n");
    let before = tree(&public(&root));
    let d = build_errors(&root);
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(d[0].message.contains("`notes.txt`"), "{}", d[0]);
    assert_eq!(tree(&public(&root)), before);
    assert_user_files_intact(&public(&root));
    assert_eq!(leftovers(&root), Vec::<String>::new());
}

#[test]
fn an_output_among_the_sources_or_around_the_site_is_refused_before_anything_is_written() {
    let (_g, root) = copy_fixture("good");
    std::fs::create_dir_all(root.join("static")).unwrap();
    std::fs::create_dir_all(root.join("templates")).unwrap();
    let before = tree(&root);
    for (output, why) in [
        (root.join("content/out"), "inside the site's `content/`"),
        (root.join("content/a/b"), "inside the site's `content/`"),
        (root.join("static"), "inside the site's `static/`"),
        (root.join("templates/out"), "inside the site's `templates/`"),
        (root.clone(), "contains the site itself"),
        (
            root.parent().unwrap().to_path_buf(),
            "contains the site itself",
        ),
        (root.join("nope/../content/x"), "`..`"),
    ] {
        let mut opts = options(&root);
        opts.output = Some(output.clone());
        let d = errors_of(hpskb::build_force(&opts, true));
        assert!(d[0].message.contains(why), "{}: {}", output.display(), d[0]);
        assert_eq!(tree(&root), before, "{}", output.display());
        assert!(!root.join("content/out").exists() && !root.join("content/a").exists());
    }
}

#[test]
fn a_symlinked_output_is_resolved_and_the_summary_says_where_the_site_went() {
    let (g, root) = copy_fixture("good");
    let real = g.path().join("elsewhere/site");
    std::fs::create_dir_all(&real).unwrap();
    std::os::unix::fs::symlink(&real, public(&root)).unwrap();
    for _ in 0..2 {
        let out = Command::new(env!("CARGO_BIN_EXE_hpskb"))
            .args(["build", "--no-search", "--root"])
            .arg(&root)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{stderr}");
        let real = real.canonicalize().unwrap();
        assert!(
            stderr.contains(&format!(
                "(a symbolic link: the site is in {})",
                real.display()
            )),
            "{stderr}"
        );
    }
    assert!(
        std::fs::symlink_metadata(public(&root))
            .unwrap()
            .is_symlink(),
        "the link stays"
    );
    assert!(real.join("index.html").is_file() && real.join(".hpskb-manifest").is_file());

    // A link to nothing is refused, and stays as it was.
    std::fs::remove_file(public(&root)).unwrap();
    std::os::unix::fs::symlink(g.path().join("gone"), public(&root)).unwrap();
    let d = build_errors(&root);
    assert!(d[0].message.contains("which does not exist"), "{}", d[0]);
    assert!(!g.path().join("gone").exists());
}

#[test]
fn an_unwritable_output_is_one_error_and_no_previous_output_is_claimed_untouched() {
    let (g, root) = copy_fixture("good");
    // The output's parent is a file: nothing can be written (root ignores permissions,
    // so this stands in for a parent without write permission).
    write(g.path(), "file", "x");
    let out = Command::new(env!("CARGO_BIN_EXE_hpskb"))
        .args(["build", "--no-search", "--output"])
        .arg(g.path().join("file/public"))
        .arg("--root")
        .arg(&root)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(
        stderr.matches("cannot write the site").count(),
        2,
        "once, plus its greppable line: {stderr}"
    );
    assert!(!stderr.contains("broken"), "{stderr}");
    assert!(
        stderr.contains("nothing was published") && !stderr.contains("untouched"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(g.path().join("file")).unwrap(), "x");
}

/// A complete site with its manifest, as a build of `marker` would leave it.
fn fake_site(dir: &Path, marker: &str) {
    write(dir, "index.html", format!("<p>{marker}</p>"));
    write(dir, "about/index.html", format!("<p>{marker} about</p>"));
    write(
        dir,
        ".hpskb-manifest",
        "# hpskb output: the files hpskb wrote here, one per line; it deletes only these\nabout/index.html\nindex.html\n",
    );
}

#[test]
fn killed_between_the_renames_of_a_swap_the_previous_site_is_restored_even_by_a_failing_build() {
    let (_g, root) = copy_fixture("good");
    let old = root.join(format!(".public.old-{DEAD}"));
    let staging = root.join(format!(".public.staging-{DEAD}"));
    fake_site(&old, "old");
    put_user_files(&old);
    fake_site(&staging, "new");
    let before = tree(&old);
    write(
        &root,
        "content/about.md",
        "+++\ntitle = \"About\"\nbogus = 1\n+++\n",
    );
    let d = build_errors(&root);
    assert!(d.iter().any(|d| d.message.contains("bogus")), "{d:?}");
    assert_eq!(
        tree(&public(&root)),
        before,
        "the previous site is back, whole"
    );
    assert_user_files_intact(&public(&root));
    assert_eq!(leftovers(&root), Vec::<String>::new());
}

#[test]
fn killed_after_the_swap_the_next_build_finishes_and_keeps_the_users_files() {
    let (_g, root) = copy_fixture("good");
    build_ok(&root);
    // The exchange happened: the previous site (with the user's files) sits at the
    // staging directory's name.
    let swapped = root.join(format!(".public.staging-{DEAD}"));
    fake_site(&swapped, "old");
    put_user_files(&swapped);
    let warnings = build_ok(&root);
    assert!(
        warnings.iter().any(|w| w
            .message
            .contains("moved `.git`, `.nojekyll`, `CNAME` and 2 more")),
        "{warnings:?}"
    );
    assert_user_files_intact(&public(&root));
    assert!(
        std::fs::read_to_string(public(&root).join("index.html"))
            .unwrap()
            .contains("<html")
    );
    assert_eq!(leftovers(&root), Vec::<String>::new());
}

#[test]
fn killed_while_staging_the_output_is_untouched_and_the_partial_copy_removed() {
    let (_g, root) = copy_fixture("good");
    build_ok(&root);
    let before = tree(&public(&root));
    let partial = root.join(format!(".public.staging-{DEAD}"));
    write(&partial, "monographs/index.html", "half");
    write(
        &root,
        "content/about.md",
        "+++\ntitle = \"About\"\nbogus = 1\n+++\n",
    );
    build_errors(&root);
    assert_eq!(tree(&public(&root)), before);
    assert_eq!(leftovers(&root), Vec::<String>::new());
}

#[test]
fn a_leftover_copy_holding_files_that_cannot_move_is_kept_with_a_warning() {
    let (_g, root) = copy_fixture("good");
    build_ok(&root);
    let old = root.join(format!(".public.old-{DEAD}"));
    fake_site(&old, "old");
    // Unlisted, and the current output has a file at that path: it cannot move.
    write(&old, "favicon.svg", "mine");
    // A running build's directories are not touched.
    let running = root.join(".public.staging-1");
    write(&running, "x", "y");
    let warnings = build_ok(&root);
    assert!(
        warnings
            .iter()
            .any(|w| w.message.contains("kept this copy") && w.message.contains("favicon.svg")),
        "{warnings:?}"
    );
    assert_eq!(std::fs::read(old.join("favicon.svg")).unwrap(), b"mine");
    assert!(
        !old.join("index.html").exists(),
        "what hpskb wrote there is deleted"
    );
    assert_eq!(std::fs::read(running.join("x")).unwrap(), b"y");
}

#[test]
fn a_build_is_marked_with_the_files_it_wrote_and_the_manifest_is_not_published() {
    let (_g, root) = copy_fixture("good");
    build_ok(&root);
    let files = site_files(&public(&root));
    let manifest = std::fs::read_to_string(public(&root).join(".hpskb-manifest")).unwrap();
    let listed: Vec<&str> = manifest.lines().skip(1).collect();
    assert_eq!(listed, files.keys().map(String::as_str).collect::<Vec<_>>());
    for (path, bytes) in &files {
        if path.ends_with(".html")
            || path.ends_with(".xml")
            || path.ends_with(".json")
            || path.ends_with(".js")
        {
            assert!(
                !String::from_utf8_lossy(bytes).contains("hpskb-manifest"),
                "{path} mentions the manifest"
            );
        }
    }
}
