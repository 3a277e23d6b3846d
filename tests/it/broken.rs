//! Broken sites whose test asserts more than the diagnostic text (the HTML built, files
//! read from the repository, symbolic links, an untouched site, the terminal output).
//! A failure class that only needs its diagnostics compared is a directory under
//! `tests/fixtures/broken/` instead (see `fixtures.rs`).

use crate::support::*;

fn broken(file: &str, text: impl AsRef<[u8]>) -> (tempfile::TempDir, std::path::PathBuf) {
    let (g, root) = copy_fixture("good");
    write(&root, file, text);
    (g, root)
}

#[test]
fn file_that_is_only_front_matter_builds() {
    let (_g, root) = broken("content/only.md", "+++\ntitle = \"Only\"\n+++");
    build_ok(&root);
    assert_eq!(texts(&html(&root, "only/index.html"), "h1"), ["Only"]);
}

#[test]
fn the_same_calculator_twice_on_a_page_is_an_error_at_the_second() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let (_g, root) = broken(
        "content/about.md",
        "+++\ntitle = \"About\"\n+++\n## Scope\n\n```calculator\nhscore\n```\n\n```calculator\nhscore\n```\n",
    );
    for file in ["content/calculators/hscore.toml", "content/references.bib"] {
        write(&root, file, std::fs::read(repo.join(file)).unwrap());
    }
    let d = build_errors(&root);
    assert_only_error_at(
        &d,
        "content/about.md",
        10,
        "calculator `hscore` is already on this page",
    );
}

#[test]
fn unknown_calculator_source_reference_is_located_with_a_suggestion() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let spec = std::fs::read_to_string(repo.join("content/calculators/hscore.toml")).unwrap();
    let line = 1 + spec
        .lines()
        .position(|l| l.starts_with("references"))
        .unwrap();
    let (_g, root) = broken(
        "content/calculators/hscore.toml",
        spec.replacen("\"fardet2014\"", "\"fardet2041\"", 1),
    );
    write(
        &root,
        "content/references.bib",
        std::fs::read(repo.join("content/references.bib")).unwrap(),
    );
    let d = build_errors(&root);
    assert_only_error_at(
        &d,
        "content/calculators/hscore.toml",
        line,
        "`fardet2041` is not in",
    );
    assert_eq!(d[0].hint.as_deref(), Some("did you mean `fardet2014`?"));
}

#[cfg(unix)]
#[test]
fn symlink_loop_is_reported_not_followed_forever() {
    let (_g, root) = copy_fixture("good");
    std::os::unix::fs::symlink(root.join("content"), root.join("content/monographs/loop")).unwrap();
    let d = build_errors(&root);
    assert!(
        d.iter().any(|d| d.message.contains("symbolic link loop")),
        "{d:?}"
    );
}

#[cfg(unix)]
#[test]
fn broken_symlinks_are_named_with_their_target() {
    // A link whose target is gone was reported as an unreadable directory entry with a
    // hint about permissions; it now says what the link points to.
    let (_g, root) = copy_fixture("good");
    for link in ["content/gone.md", "static/gone.css", "templates/gone.html"] {
        std::fs::create_dir_all(root.join(link).parent().unwrap()).unwrap();
        std::os::unix::fs::symlink("../nowhere", root.join(link)).unwrap();
    }
    let d = build_errors(&root);
    for file in ["content/gone.md", "static/gone.css", "templates/gone.html"] {
        assert_error_at(&d, file, 0, "broken symbolic link to `../nowhere`");
    }
    assert_eq!(d.len(), 3, "{d:?}");
    assert!(
        d[0].hint.as_deref().unwrap().contains("restore the file"),
        "{d:?}"
    );
}

#[test]
fn output_directory_that_is_not_a_previous_build_is_refused() {
    let (_g, root) = copy_fixture("good");
    for (output, why) in [
        (root.clone(), "contains the site"),
        (root.join("content"), "inside the site's `content/`"),
        (root.join("config.toml"), "not a directory"),
    ] {
        let mut opts = options(&root);
        opts.output = Some(output.clone());
        let d = hpskb::build(&opts)
            .err()
            .unwrap_or_else(|| panic!("{} accepted", output.display()));
        assert!(d[0].message.contains(why), "{}", d[0]);
    }
    assert!(
        root.join("content/_index.md").is_file() && root.join("config.toml").is_file(),
        "nothing was touched"
    );
}

#[test]
fn a_control_character_in_a_title_is_refused_and_the_terminal_sees_none() {
    // The title would be written into atom.xml and every page, where XML 1.0 cannot
    // hold it; the raw bytes would also reach the terminal through the diagnostic.
    let (_g, root) = broken(
        "content/about.md",
        "+++\ntitle = \"About \\u001b]0;owned\\u0007\"\n+++\n## Scope\n\nx \u{1b}[2J \u{9b}31m\n\n[y](nowhere\u{1b}[31m.md)\n",
    );
    let d = build_errors(&root);
    assert_only_error_at(
        &d,
        "content/about.md",
        2,
        "`title` contains the control character U+001B",
    );
    // Through the command line: nothing the terminal would act on.
    let stderr = check_stderr(&root);
    assert!(stderr.contains("U+001B"), "{stderr}");
    // Fixed title, broken link with an escape sequence in it: the message escapes it.
    write(
        &root,
        "content/about.md",
        "+++\ntitle = \"About\"\n+++\n## Scope\n\n<a href=\"nowhere\u{1b}[31m/\">y</a>\n",
    );
    let stderr = check_stderr(&root);
    assert!(stderr.contains(r"nowhere\u{1b}[31m/"), "{stderr}");
}

/// The standard error of a failing `hpskb check`, asserted free of anything a terminal
/// would act on (control characters but line breaks).
fn check_stderr(root: &std::path::Path) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_hpskb"))
        .args(["check", "--root"])
        .arg(root)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        !stderr.chars().any(|c| c.is_control() && c != '\n'),
        "{stderr:?}"
    );
    stderr
}
