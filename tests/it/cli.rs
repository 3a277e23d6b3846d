//! The binary's contract: exit codes, quiet success with a one-line summary, --version.

use std::process::Command;

use crate::support::*;

fn hpskb() -> Command {
    Command::new(env!("CARGO_BIN_EXE_hpskb"))
}

/// Runs `hpskb build <extra> --root <root>` and asserts that it succeeded.
fn build_ok(root: &std::path::Path, extra: &[&str]) -> std::process::Output {
    let out = hpskb()
        .arg("build")
        .args(extra)
        .arg("--root")
        .arg(root)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn build_succeeds_with_one_summary_line() {
    let (_g, root) = copy_fixture("good");
    let out = build_ok(&root, &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("built 5 pages"), "{stderr}");
    assert!(out.stdout.is_empty());
}

/// The stage names of the `stages:` line `--timings` adds after the summary line.
fn stages(stderr: &str) -> Vec<&str> {
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{stderr}");
    lines[1]
        .strip_prefix("stages: ")
        .expect("a stages line after the summary")
        .split(" · ")
        .map(|s| {
            let (stage, ms) = s.split_once(' ').expect("stage and time");
            let ms: f64 = ms.strip_suffix(" ms").unwrap().parse().unwrap();
            assert!(ms >= 0.0, "{s}");
            stage
        })
        .collect()
}

#[test]
fn timings_name_every_stage_in_order() {
    let (_g, root) = copy_fixture("good");
    let out = build_ok(&root, &["--timings", "--no-search"]);
    assert_eq!(
        stages(&String::from_utf8_lossy(&out.stderr)),
        ["load", "resolve", "render", "offline", "check", "publish"]
    );
    // With search on, its stage comes between rendering and the offline worker; `check`
    // publishes nothing.
    let out = hpskb()
        .args(["check", "--timings", "--root"])
        .arg(&root)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(
        stages(&stderr),
        ["load", "resolve", "render", "search", "offline", "check"]
    );
}

#[test]
fn content_errors_exit_1_with_file_and_line() {
    let (_g, root) = copy_fixture("good");
    write(
        &root,
        "content/about.md",
        "+++\ntitle = \"A\"\nbad = true\n+++\n",
    );
    let out = hpskb()
        .args(["check", "--root"])
        .arg(&root)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("content/about.md:3:1: error: invalid front matter"),
        "{stderr}"
    );
}

#[test]
fn usage_errors_exit_2() {
    let out = hpskb().args(["build", "--no-such-flag"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = hpskb().output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn version_and_help() {
    let out = hpskb().arg("--version").output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("hpskb "));
    let out = hpskb().arg("--help").output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("check"));
}

#[test]
fn base_url_override_rewrites_links() {
    let (_g, root) = copy_fixture("good");
    build_ok(&root, &["--base-url", "http://127.0.0.1:8000/"]);
    let home = html(&root, "index.html");
    assert!(attrs(&home, "main a", "href").contains(&"/monographs/".to_string()));
    // Not a URL: a usage error, and the output built above stays.
    let out = hpskb()
        .args(["build", "--base-url", "example.org/kb/", "--root"])
        .arg(&root)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("`example.org/kb/` is neither an http(s) URL"),
        "{stderr}"
    );
    assert!(root.join("public/index.html").exists());
}
