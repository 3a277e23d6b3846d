//! For authors: `hpskb init` (a site from the embedded scaffold), `hpskb new` (a page
//! skeleton per kind), the example-reference and TODO warnings, and every command of the
//! authoring guide (docs/authoring.md), run as written.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use crate::support::*;
use hpskb::BuildOptions;
use hpskb::config::Config;
use hpskb::diag::Diagnostic;
use hpskb::text::slug::slugify;

fn hpskb() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_hpskb"));
    c.stdin(Stdio::null());
    c
}

fn run(args: &[&str], root: Option<&Path>) -> Output {
    let mut c = hpskb();
    c.args(args);
    if let Some(root) = root {
        c.arg("--root").arg(root);
    }
    c.output().unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn today() -> String {
    hpskb::text::date::iso_date(time::OffsetDateTime::now_utc().date())
}

/// `hpskb init` into `<tmp>/kb`; returns the guard and the site root.
fn init() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("kb");
    let out = hpskb().arg("init").arg(&root).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).starts_with("created a knowledge base in"));
    (dir, root)
}

/// `hpskb check` through the library, without the search index; all diagnostics.
fn check(root: &Path) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
    let options = BuildOptions {
        root: root.to_path_buf(),
        search: false,
        ..Default::default()
    };
    hpskb::check(&options).map(|(_, warnings)| warnings)
}

fn listed(diags: &[Diagnostic]) -> String {
    diags
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

fn is_example_warning(d: &Diagnostic) -> bool {
    !d.is_error() && d.message == "`@example` is an example reference, not a source"
}

fn is_todo_warning(d: &Diagnostic) -> bool {
    !d.is_error() && d.message.starts_with("placeholder left: ")
}

/// 1-based line of the first line of `file` containing `needle`.
fn line_of(file: &Path, needle: &str) -> usize {
    std::fs::read_to_string(file)
        .unwrap()
        .lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle:?} not in {}", file.display()))
        + 1
}

#[test]
fn init_makes_a_site_that_builds_with_only_the_example_warnings() {
    let (_g, root) = init();
    // Nothing of the bundled clinical site is in the scaffold
    // (the theme's search synonyms are not the scaffold's).
    for (path, bytes) in tree(&root) {
        let text = String::from_utf8_lossy(&bytes).to_lowercase();
        for word in ["hemophagocytic", "hscore", "ibrutinib", "lamotrigine"] {
            assert!(!text.contains(word), "{path} mentions {word}");
        }
    }
    let warnings = build_ok(&root);
    assert!(
        warnings.iter().all(is_example_warning),
        "{}",
        listed(&warnings)
    );
    // Wherever the example is cited: at the citation in the monograph, at the source
    // reference in the calculator spec.
    let monograph = root.join("content/monographs/example.md");
    let spec = root.join("content/calculators/example-score.toml");
    assert_warning_at(
        &warnings,
        "content/monographs/example.md",
        line_of(&monograph, "[@example]"),
    );
    assert_warning_at(
        &warnings,
        "content/calculators/example-score.toml",
        line_of(&spec, "references = "),
    );
    assert!(
        std::fs::read_to_string(&monograph)
            .unwrap()
            .contains(&format!("last_reviewed = {}\n", today())),
        "the example is reviewed today, not overdue a year later"
    );
    // The built monograph has the required sections, the citation and the calculator.
    let doc = html(&root, "monographs/example/index.html");
    let config = Config::parse(
        Path::new("config.toml"),
        &std::fs::read_to_string(root.join("config.toml")).unwrap(),
    )
    .unwrap();
    let rules = &config.kinds[&hpskb::load::PageKind::Monograph];
    let wanted: Vec<String> = rules.required_sections.iter().map(|s| slugify(s)).collect();
    let ids: Vec<String> = attrs(&doc, "article h2[id]", "id")
        .into_iter()
        .filter(|id| wanted.contains(id))
        .collect();
    assert_eq!(ids, wanted, "every required section, in order");
    assert_eq!(attrs(&doc, "sup.cite a", "href"), ["#ref-example"]);
    assert_eq!(
        attrs(&doc, "[data-calculator]", "data-calculator").len(),
        1,
        "calculator embedded"
    );
}

fn assert_warning_at(diags: &[Diagnostic], file: &str, line: usize) {
    assert!(
        diags
            .iter()
            .any(|d| is_example_warning(d) && d.file.ends_with(file) && d.line() == line),
        "no example warning at {file}:{line}:\n{}",
        listed(diags)
    );
}

#[test]
fn an_example_marker_is_true_or_false() {
    let (_g, root) = init();
    let bib = root.join("content/references.bib");
    let text = std::fs::read_to_string(&bib).unwrap();
    std::fs::write(
        &bib,
        text.replace("  example = {true}", "  example = {maybe}"),
    )
    .unwrap();
    let errors = build_errors(&root);
    assert_only_error_at(
        &errors,
        "content/references.bib",
        line_of(&bib, "  example = {maybe}"),
        "is neither true nor false",
    );
    // `false`: an ordinary entry, cited without a warning.
    std::fs::write(
        &bib,
        text.replace("  example = {true}", "  example = {false}"),
    )
    .unwrap();
    let warnings = build_ok(&root);
    assert!(warnings.is_empty(), "{}", listed(&warnings));
}

#[test]
fn init_refuses_a_directory_that_is_not_empty_and_leaves_it_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("kb");
    write(&root, "notes.txt", "mine");
    write(&root, "content/_index.md", "my home page");
    let before = tree(&root);
    let out = hpskb().arg("init").arg(&root).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("not empty"), "{err}");
    assert!(
        err.contains("`content`") && err.contains("`notes.txt`"),
        "{err}"
    );
    assert_eq!(tree(&root), before);

    // A file is not a directory; the current directory is the default.
    let out = hpskb()
        .arg("init")
        .arg(root.join("notes.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let out = hpskb().arg("init").current_dir(&root).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(tree(&root), before);
}

/// Runs `hpskb new` for every kind of the site at `root` and checks the pages written;
/// returns their paths, by kind.
fn new_page_of_each_kind(root: &Path) -> Vec<(String, PathBuf)> {
    let config = Config::parse(
        Path::new("config.toml"),
        &std::fs::read_to_string(root.join("config.toml")).unwrap(),
    )
    .unwrap();
    let mut pages = Vec::new();
    for kind in config.kind_names() {
        let path = format!("new-pages/a-{kind}");
        let out = run(&["new", kind, &path], Some(root));
        assert!(out.status.success(), "{kind}: {}", stderr(&out));
        let rel = PathBuf::from(format!("content/{path}.md"));
        let text = std::fs::read_to_string(root.join(&rel)).unwrap();
        let front = text.split("+++").nth(1).unwrap();
        let front: toml::Table = toml::from_str(front).unwrap();
        assert_eq!(front["title"].as_str(), Some(format!("A {kind}").as_str()));
        assert_eq!(front["kind"].as_str(), Some(kind));
        assert_eq!(front["last_reviewed"].to_string(), today());
        assert_eq!(
            front
                .get("drugs")
                .and_then(toml::Value::as_array)
                .map(Vec::len),
            (kind == "monograph").then_some(0),
            "{kind}: empty drugs on a monograph only"
        );
        let sections: Vec<&str> = text.lines().filter_map(|l| l.strip_prefix("## ")).collect();
        let rules = config
            .kinds
            .get(&hpskb::load::PageKind::from_name(kind))
            .cloned()
            .unwrap_or_default();
        assert_eq!(sections, rules.required_sections, "{kind}");
        pages.push((kind.to_string(), rel));
    }
    pages
}

#[test]
fn new_pages_of_the_scaffold_check_with_only_placeholder_warnings() {
    let (_g, root) = init();
    let pages = new_page_of_each_kind(&root);
    assert_eq!(
        pages.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(),
        ["monograph", "overview", "page"]
    );
    let warnings = check(&root).unwrap_or_else(|d| panic!("{}", listed(&d)));
    assert!(
        warnings
            .iter()
            .all(|d| is_example_warning(d) || is_todo_warning(d)),
        "{}",
        listed(&warnings)
    );
    // One TODO warning per section prompt, at its line.
    for (_, rel) in &pages {
        let file = root.join(rel);
        let prompts = std::fs::read_to_string(&file)
            .unwrap()
            .matches("<!-- TODO")
            .count();
        let at: Vec<usize> = warnings
            .iter()
            .filter(|d| is_todo_warning(d) && d.file.ends_with(rel))
            .map(|d| d.line())
            .collect();
        assert_eq!(at.len(), prompts, "{}", listed(&warnings));
        assert!(at.contains(&line_of(&file, "<!-- TODO")));
    }
}

#[test]
fn new_pages_of_the_bundled_site_lack_only_their_citations() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    copy_dir(&repo.join("content"), &root.join("content"));
    std::fs::copy(repo.join("config.toml"), root.join("config.toml")).unwrap();
    let pages = new_page_of_each_kind(&root);
    let config = Config::parse(
        Path::new("config.toml"),
        &std::fs::read_to_string(root.join("config.toml")).unwrap(),
    )
    .unwrap();
    assert!(pages.len() >= 5, "every built-in and declared kind");
    let diags = check(&root).expect_err("the new pages cite nothing yet");
    for (kind, rel) in &pages {
        let minimum = config
            .kinds
            .get(&hpskb::load::PageKind::from_name(kind))
            .map_or(0, |r| r.min_references);
        let errors: Vec<&str> = diags
            .iter()
            .filter(|d| d.is_error() && d.file.ends_with(rel))
            .map(|d| d.message.as_str())
            .collect();
        // The one rule a skeleton cannot meet: it cites no reference yet.
        let expected = format!("cites 0 distinct references; a {kind} needs at least {minimum}");
        match minimum {
            0 => assert!(errors.is_empty(), "{kind}: {errors:?}"),
            _ => assert_eq!(errors, [expected.as_str()], "{kind}"),
        }
        let others: Vec<&Diagnostic> = diags
            .iter()
            .filter(|d| !d.is_error() && d.file.ends_with(rel) && !is_todo_warning(d))
            .collect();
        assert!(others.is_empty(), "{kind}: {others:?}");
    }
    // Nothing but the new pages has an error.
    assert!(
        diags
            .iter()
            .filter(|d| d.is_error())
            .all(|d| d.file.starts_with("content/new-pages")),
        "{}",
        listed(&diags)
    );
}

#[test]
fn new_refuses_an_existing_page_a_path_outside_content_and_an_unknown_kind() {
    let (_g, root) = init();
    let before = tree(&root);
    let refused = |args: &[&str], needle: &str| {
        let out = run(args, Some(&root));
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(needle), "{args:?}: {}", stderr(&out));
        assert_eq!(tree(&root), before, "{args:?} wrote something");
    };
    refused(
        &["new", "monograph", "monographs/example"],
        "already exists",
    );
    refused(
        &["new", "monograph", "../outside"],
        "leads outside content/",
    );
    refused(
        &["new", "monograph", "monographs/../../outside"],
        "leads outside content/",
    );
    refused(&["new", "monograph", "/tmp/outside"], "is absolute");
    refused(
        &["new", "monografh", "monographs/x"],
        "did you mean `monograph`?",
    );
    refused(
        &["new", "bedside", "monographs/x"],
        "unknown kind `bedside`",
    );
    // Outside a site.
    let out = hpskb()
        .args(["new", "page", "x"])
        .current_dir(root.parent().unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("hpskb init"), "{}", stderr(&out));
}

/// The commands of the guide's ```sh blocks, in order (a line ending in `\` continues).
fn guide_commands() -> Vec<String> {
    let guide =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/authoring.md"))
            .unwrap();
    let mut commands = Vec::new();
    let mut in_sh = false;
    let mut pending = String::new();
    for line in guide.lines() {
        match (in_sh, line.trim_end()) {
            (false, "```sh") => in_sh = true,
            (true, "```") => in_sh = false,
            (true, l) if l.trim_start().starts_with('#') || l.trim().is_empty() => {}
            (true, l) => match l.strip_suffix('\\') {
                Some(part) => pending.push_str(part),
                None => commands.push(std::mem::take(&mut pending) + l),
            },
            _ => {}
        }
    }
    commands
}

#[test]
fn every_command_of_the_guide_runs() {
    let commands = guide_commands();
    for expected in [
        "hpskb init",
        "hpskb build",
        "hpskb serve",
        "hpskb new",
        "hpskb check",
    ] {
        assert!(
            commands.iter().any(|c| c.starts_with(expected)),
            "the guide shows `{expected}`: {commands:?}"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let mut cwd = dir.path().to_path_buf();
    let bin = Path::new(env!("CARGO_BIN_EXE_hpskb")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    for command in &commands {
        if let Some(to) = command.strip_prefix("cd ") {
            cwd = cwd.join(to.trim());
            assert!(cwd.is_dir(), "{command}");
        } else if command.starts_with("hpskb serve") {
            serve_once(command, &cwd, &path);
        } else {
            let out = Command::new("sh")
                .args(["-c", command])
                .current_dir(&cwd)
                .env("PATH", &path)
                .stdin(Stdio::null())
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "`{command}` failed:\n{}{}",
                String::from_utf8_lossy(&out.stdout),
                stderr(&out)
            );
        }
    }
    // What the guide's last build published, under its sub-path.
    let site = dir.path().join("my-kb/public");
    let home = std::fs::read_to_string(site.join("index.html")).unwrap();
    assert!(
        home.contains("href=\"/my-kb/monographs/\""),
        "links under the sub-path"
    );
    assert!(site.join("monographs/my-drug/index.html").is_file());
    assert!(site.join("sw.js").is_file());
}

/// Runs the guide's `hpskb serve` on a free port until it answers `/` with the home page.
fn serve_once(command: &str, cwd: &Path, path: &str) {
    let mut child = Command::new("sh")
        .args(["-c", &format!("exec {command} --port 0")])
        .current_dir(cwd)
        .env("PATH", path)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let reply = line
        .trim()
        .strip_prefix("serving http://")
        .and_then(|a| a.strip_suffix('/'))
        .map(|addr| {
            let mut s = TcpStream::connect(addr).unwrap();
            s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
            write!(
                s,
                "GET / HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
            )
            .unwrap();
            let mut reply = String::new();
            let _ = s.read_to_string(&mut reply);
            reply
        });
    let _ = child.kill();
    let _ = child.wait();
    let reply = reply.unwrap_or_else(|| panic!("`{command}` printed {line:?}"));
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    assert!(reply.contains("My knowledge base"), "{reply}");
}
