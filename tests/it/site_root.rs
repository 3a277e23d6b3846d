//! Nothing outside the site root is read or published, and every output path is a plain
//! one: links leading out of the site, FIFOs and sockets, `hpskb score` ids that are
//! paths, and aliases or file names that are not plain paths are errors at their place.

use std::path::Path;
use std::process::Command;

use crate::support::*;
use hpskb::diag::Diagnostic;

const SECRET: &str = "SECRET-4f1c9e";

/// Every diagnostic of a failed in-memory build (what the preview would serve).
fn compile_errors(root: &Path) -> Vec<Diagnostic> {
    match hpskb::compile(&options(root)) {
        Ok(_) => panic!("compiled"),
        Err(d) => d.into_iter().filter(Diagnostic::is_error).collect(),
    }
}

fn link(target: impl AsRef<Path>, at: &Path) {
    std::fs::create_dir_all(at.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(target, at).unwrap();
}

#[test]
fn links_leading_out_of_the_site_are_errors_and_nothing_of_them_is_published() {
    let (g, root) = copy_fixture("good");
    write(g.path(), "outside/secret.txt", SECRET);
    write(
        g.path(),
        "outside/page.md",
        format!("+++\ntitle = \"{SECRET}\"\n+++\n{SECRET}\n"),
    );
    let outside = g.path().join("outside");
    build_ok(&root);
    let links = [
        (
            "content/environ.txt",
            Path::new("/proc/self/environ").to_path_buf(),
        ),
        ("content/etc", "/etc".into()),
        ("content/leak.txt", outside.join("secret.txt")),
        ("content/leak.md", outside.join("page.md")),
        ("content/tree", outside.clone()),
        ("static/leak.css", outside.join("secret.txt")),
        ("static/tree", outside.clone()),
        ("templates/page.html", outside.join("secret.txt")),
    ];
    for (at, target) in &links {
        link(target, &root.join(at));
    }
    build_ok_before(&root, || {
        let d = build_errors(&root);
        for (at, _) in &links {
            assert_error_at(&d, at, 0, "leads outside the site");
        }
        assert!(d.iter().all(|d| d.hint.is_some()));
        assert!(!format!("{d:?}").contains(SECRET));
        assert_eq!(
            compile_errors(&root).len(),
            d.len(),
            "the preview builds nothing either"
        );
    });
}

/// Runs `check` on a site whose previous build succeeded (before the links were added),
/// then asserts the previous output is still exactly that build.
fn build_ok_before(root: &Path, check: impl FnOnce()) {
    let public = root.join("public");
    let before = tree(&public);
    check();
    assert_eq!(tree(&public), before);
    assert!(
        !tree(&public)
            .values()
            .any(|v| String::from_utf8_lossy(v).contains(SECRET))
    );
}

#[test]
fn config_and_data_files_linked_out_of_the_site_are_errors() {
    let (g, root) = copy_fixture("good");
    for file in ["config.toml", "content/glossary.toml"] {
        let copy = g.path().join(file.replace('/', "-"));
        std::fs::rename(root.join(file), &copy).unwrap();
        link(&copy, &root.join(file));
    }
    write(g.path(), "refs.bib", "");
    link(
        g.path().join("refs.bib"),
        &root.join("content/references.bib"),
    );
    let d = compile_errors(&root);
    for file in [
        "config.toml",
        "content/glossary.toml",
        "content/references.bib",
    ] {
        assert_error_at(&d, file, 0, "leads outside the site");
    }
}

#[test]
fn a_site_root_that_is_a_link_and_links_inside_the_site_keep_working() {
    let (g, root) = copy_fixture("good");
    write(&root, "shared/figure.txt", "figure");
    link("../shared/figure.txt", &root.join("content/figure.txt"));
    link("../shared", &root.join("content/shared-dir"));
    let via_link = g.path().join("site-link");
    link(&root, &via_link);
    let mut opts = options(&via_link);
    opts.search = false;
    hpskb::build(&opts).map_err(|d| format!("{d:?}")).unwrap();
    let public = root.join("public");
    assert_eq!(std::fs::read(public.join("figure.txt")).unwrap(), b"figure");
    assert_eq!(
        std::fs::read(public.join("shared-dir/figure.txt")).unwrap(),
        b"figure"
    );
}

#[test]
fn fifos_and_sockets_are_errors_not_hangs() {
    let (_g, root) = copy_fixture("good");
    let status = Command::new("mkfifo")
        .arg(root.join("content/pipe.md"))
        .status()
        .unwrap();
    assert!(status.success());
    let status = Command::new("mkfifo")
        .arg(root.join("content/pipe.txt"))
        .status()
        .unwrap();
    assert!(status.success());
    let _socket = std::os::unix::net::UnixListener::bind(root.join("content/sock")).unwrap();
    link("pipe.txt", &root.join("content/pipe-link.txt"));
    let d = compile_errors(&root);
    for file in [
        "content/pipe.md",
        "content/pipe.txt",
        "content/sock",
        "content/pipe-link.txt",
    ] {
        assert_error_at(&d, file, 0, "not a regular file or directory");
    }
    assert_eq!(d.len(), 4, "{d:?}");
}

#[test]
fn score_takes_a_calculator_id_not_a_path() {
    let (g, root) = copy_fixture("good");
    // Were the id taken as a path, `../../x` would find this file.
    write(g.path(), "x.toml", "id = \"x\"\n");
    for id in ["../../x", "/etc/passwd", "a/b", "..", "", "hscore\0"] {
        let out = Command::new(env!("CARGO_BIN_EXE_hpskb"))
            .args(["score", id, "--input", "/nonexistent-input.json", "--root"])
            .arg(&root)
            .output();
        let Ok(out) = out else {
            continue; // a NUL cannot even be passed as an argument
        };
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{id}: {stderr}");
        assert!(stderr.contains("is not a calculator id"), "{id}: {stderr}");
        assert!(
            !stderr.contains("nonexistent-input"),
            "checked before any file: {stderr}"
        );
    }
}

#[test]
fn aliases_that_are_not_plain_site_paths_are_errors_at_their_line() {
    let (_g, root) = copy_fixture("good");
    let long = "x".repeat(256);
    let aliases = [
        ("/./", "has a `.` segment"),
        ("/about/./", "has a `.` segment"),
        ("/monographs/drug-a/../", "has a `..` segment"),
        ("//elsewhere/", "empty segment"),
        ("/a//b/", "empty segment"),
        ("/a\\\\b/", "backslash"),
        ("/bell\\u0007/", "control character"),
        ("/.hpskb-manifest", "manifest"),
        (long.as_str(), "256 bytes"),
    ];
    let lines: String = aliases
        .iter()
        .map(|(a, _)| format!("  \"{a}\",\n"))
        .collect();
    write(
        &root,
        "content/moved.md",
        format!("+++\ntitle = \"Moved\"\naliases = [\n{lines}]\n+++\nx\n"),
    );
    let d = build_errors(&root);
    for (i, (_, problem)) in aliases.iter().enumerate() {
        assert_error_at(&d, "content/moved.md", 4 + i, problem);
    }
    assert_eq!(d.len(), aliases.len(), "{d:?}");
}

#[test]
fn file_names_that_are_not_plain_paths_are_errors_at_the_file() {
    let (_g, root) = copy_fixture("good");
    for (name, problem) in [
        ("content/a\\b.md", "backslash"),
        ("content/bell\u{7}.md", "control character"),
        ("content/esc\u{1b}[2J.txt", "control character"),
        ("content/c:d.png", "`:`"),
    ] {
        write(&root, name, "+++\ntitle = \"X\"\n+++\nx\n");
        let d = compile_errors(&root);
        assert_only_error_at(&d, name, 0, problem);
        std::fs::remove_file(root.join(name)).unwrap();
    }
}

#[test]
fn a_drug_name_too_long_for_a_url_is_an_error_at_its_line() {
    let (_g, root) = copy_fixture("good");
    let page = std::fs::read_to_string(root.join("content/monographs/drug-b.md")).unwrap();
    let long = "d".repeat(300);
    write(
        &root,
        "content/monographs/drug-b.md",
        page.replace("generic = \"drugb\"", &format!("generic = \"{long}\"")),
    );
    let d = compile_errors(&root);
    assert_only_error_at(&d, "content/monographs/drug-b.md", 6, "over the 255");
}
