//! `--message-format` on a broken site: the JSON lines match the shape documented in
//! docs/diagnostics.md, the GitHub lines are workflow commands, `short` is one line per
//! problem; and the documented codes are exactly the codes of `src/diag/code.rs`, each used.

use std::collections::BTreeSet;
use std::process::{Command, Output};

use crate::support::*;
use hpskb::diag::Code;
use serde_json::Value;

fn check(format: &str) -> Output {
    let (_g, root) = copy_fixture("broken-formats");
    let out = Command::new(env!("CARGO_BIN_EXE_hpskb"))
        .args(["check", "--message-format", format, "--root"])
        .arg(&root)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    out
}

fn docs() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/diagnostics.md")).unwrap()
}

/// The ```json examples of docs/diagnostics.md: a diagnostic, then the summary.
fn documented_shapes() -> Vec<Value> {
    docs()
        .split("```json\n")
        .skip(1)
        .map(|block| serde_json::from_str(block.split("```").next().unwrap()).unwrap())
        .collect()
}

/// Whether `value` has the shape of `example`: the same keys, recursively, with values of
/// the same JSON type (`span` may also be `null`; an array's items match its first item).
fn same_shape(value: &Value, example: &Value, path: &str) -> Result<(), String> {
    match (value, example) {
        (Value::Object(v), Value::Object(e)) => {
            let (vk, ek): (BTreeSet<_>, BTreeSet<_>) = (v.keys().collect(), e.keys().collect());
            if vk != ek {
                return Err(format!("{path}: keys {vk:?}, documented {ek:?}"));
            }
            for (k, ev) in e {
                if k == "span" && v[k].is_null() && path.is_empty() {
                    continue;
                }
                same_shape(&v[k], ev, &format!("{path}.{k}"))?;
            }
            Ok(())
        }
        (Value::Array(v), Value::Array(e)) => match e.first() {
            Some(item) => v
                .iter()
                .try_for_each(|x| same_shape(x, item, &format!("{path}[]"))),
            None => Ok(()),
        },
        (Value::String(_), Value::String(_)) | (Value::Bool(_), Value::Bool(_)) => Ok(()),
        (Value::Number(v), Value::Number(_)) if v.is_u64() => Ok(()),
        _ => Err(format!("{path}: {value} is not like {example}")),
    }
}

#[test]
fn json_lines_match_the_documented_shape_and_stdout_holds_nothing_else() {
    let out = check("json");
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let shapes = documented_shapes();
    let (summary, diagnostics) = lines.split_last().unwrap();
    same_shape(summary, &shapes[1], "").unwrap();
    assert!(diagnostics.len() >= 4, "{stdout}");
    for d in diagnostics {
        same_shape(d, &shapes[0], "").unwrap_or_else(|e| panic!("{e}: {d}"));
        let code = Code::find(d["code"].as_str().unwrap()).unwrap();
        assert_eq!(d["slug"], code.slug());
        assert_eq!(d["severity"], code.severity().name());
    }
    let count = |s: &str| diagnostics.iter().filter(|d| d["severity"] == s).count();
    assert_eq!(summary["errors"], count("error"));
    assert_eq!(summary["warnings"], count("warning"));
    let find = |slug: &str| {
        diagnostics
            .iter()
            .find(|d| d["slug"] == slug)
            .unwrap_or_else(|| panic!("no {slug}: {stdout}"))
    };
    let link = find("broken-link");
    assert_eq!(link["file"], "content/notes.md");
    assert_eq!(
        (&link["span"]["line"], &link["span"]["column"]),
        (&5.into(), &5.into())
    );
    let twice = find("duplicate-footnote");
    assert_eq!(twice["span"]["line"], 11);
    assert_eq!(twice["labels"][0]["span"]["line"], 9);
    assert_eq!(twice["labels"][0]["message"], "first defined here");
    assert_eq!(find("image-without-alt")["severity"], "warning");
    find("unknown-citation");
    // The summary for people stays on stderr.
    assert!(String::from_utf8_lossy(&out.stderr).contains("check failed"));
}

#[test]
fn github_lines_are_escaped_workflow_commands() {
    let out = check("github");
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.lines().count() >= 4, "{stdout}");
    for line in stdout.lines() {
        let (command, message) = line[2..].split_once("::").unwrap();
        let (severity, properties) = command.split_once(' ').unwrap();
        assert!(matches!(severity, "error" | "warning"), "{line}");
        let properties: Vec<(&str, &str)> = properties
            .split(',')
            .map(|p| p.split_once('=').unwrap())
            .collect();
        let names: Vec<&str> = properties.iter().map(|p| p.0).collect();
        assert!(
            names == ["file", "title"]
                || names == ["file", "line", "col", "endLine", "endColumn", "title"],
            "{line}"
        );
        let title = properties.last().unwrap().1;
        let (code, slug) = title.split_once(' ').unwrap();
        assert_eq!(Code::find(code).map(Code::slug), Some(slug), "{line}");
        for (_, value) in &properties {
            assert!(!value.contains(':'), "`:` escaped in properties: {line}");
        }
        // A `%` is only ever the start of an escape; line breaks are escaped.
        for (i, _) in message.match_indices('%') {
            assert!(
                ["%25", "%0D", "%0A"]
                    .iter()
                    .any(|e| message[i..].starts_with(e)),
                "{line}"
            );
        }
    }
    assert!(
        stdout.contains(
            "::error file=content/notes.md,line=11,col=1,endLine=11,endColumn=2,title=E0705 duplicate-footnote::footnote `[^n]` is defined twice on this page%0A9:1: first defined here%0Ahint: "
        ),
        "{stdout}"
    );
}

#[test]
fn short_is_one_line_per_problem_and_human_shows_labels() {
    let out = check("short");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(out.stdout.is_empty());
    assert!(
        stderr.contains(
            "content/notes.md:11:1: error: footnote `[^n]` is defined twice on this page (9:1: first defined here) (hint: "
        ),
        "{stderr}"
    );
    assert_eq!(stderr.matches("first defined here").count(), 1, "{stderr}");
    let out = check("human");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(out.stdout.is_empty());
    assert!(stderr.contains("first defined here"), "{stderr}");
    assert!(stderr.contains("[^n]: One."), "{stderr}");
}

#[test]
fn every_code_is_documented_and_used() {
    let docs = docs();
    let documented: BTreeSet<(String, String, String)> = docs
        .lines()
        .filter_map(|l| {
            let cells: Vec<&str> = l
                .strip_prefix("| ")?
                .strip_suffix(" |")?
                .split(" | ")
                .collect();
            let [code, slug, meaning] = cells[..] else {
                return None;
            };
            let code = code.trim();
            (code.len() == 5 && (code.starts_with('E') || code.starts_with('W'))).then(|| {
                (
                    code.to_string(),
                    slug.trim_matches('`').to_string(),
                    meaning.replace("\\|", "|"),
                )
            })
        })
        .collect();
    let table: BTreeSet<(String, String, String)> = Code::ALL
        .iter()
        .map(|c| (c.code().into(), c.slug().into(), c.explanation().into()))
        .collect();
    assert_eq!(
        documented.difference(&table).collect::<Vec<_>>(),
        Vec::<&(String, String, String)>::new(),
        "documented but not in src/diag/code.rs"
    );
    assert_eq!(
        table.difference(&documented).collect::<Vec<_>>(),
        Vec::<&(String, String, String)>::new(),
        "in src/diag/code.rs but not in docs/diagnostics.md"
    );
    // Each code is made somewhere outside the table.
    let mut sources = String::new();
    for e in walkdir::WalkDir::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src")) {
        let e = e.unwrap();
        if e.path().extension().is_some_and(|x| x == "rs") && !e.path().ends_with("diag/code.rs") {
            sources.push_str(&std::fs::read_to_string(e.path()).unwrap());
        }
    }
    for c in Code::ALL {
        let name = format!("{c:?}");
        assert!(
            sources.contains(&format!("Code::{name}")),
            "{} ({}) is never used",
            c.code(),
            c.slug()
        );
    }
}
