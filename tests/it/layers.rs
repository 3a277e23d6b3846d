//! The layer order written in `src/lib.rs`, enforced: a module may use only modules of
//! earlier layers (and itself), so no import cycle can form between top-level modules.
//! The command layer (`src/cmd/` and `main.rs`, compiled into the binary only) may use
//! anything, each other too.

use std::path::{Path, PathBuf};

/// Top-level modules, bottom layer first. `lib` is the pipeline (`src/lib.rs`), `failure` its
/// failure policy.
const LAYERS: &[&[&str]] = &[
    &["text"],
    &["diag"],
    &["config"],
    &["cite", "calc"],
    &["data"],
    &["load"],
    &["resolve"],
    &["markdown"],
    &["render"],
    &["search", "offline"],
    &["check"],
    &["emit"],
    &["failure"],
    &["lib"],
    &["preview"],
    &["cmd", "main"],
];

fn layer(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

/// The top-level module a source file belongs to: `src/load/theme.rs` → `load`.
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap();
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_string()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every top-level module named after `crate::` in `code` (comment lines left out), with
/// `use crate::{a::b, c}` groups read too.
fn crate_paths(code: &str) -> Vec<String> {
    let code: String = code
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let mut names = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        if code[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_') {
            continue; // `hpskb_crate::` and the like
        }
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0;
            let mut item_start = true;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => item_start = true,
                    c if item_start && !c.is_whitespace() => {
                        names.push(ident(&group[i..]));
                        item_start = false;
                    }
                    _ => {}
                }
            }
        } else {
            names.push(ident(rest));
        }
    }
    names.retain(|n| !n.is_empty() && n != "self");
    names
}

#[test]
fn modules_use_only_earlier_layers() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let commands = LAYERS.len() - 1;
    let mut problems = Vec::new();
    for file in &files {
        let module = module_of(&src, file);
        let Some(own) = layer(&module) else {
            problems.push(format!(
                "{}: module `{module}` is in no layer; add it to src/lib.rs and LAYERS",
                file.display()
            ));
            continue;
        };
        let code = std::fs::read_to_string(file).unwrap();
        for used in crate_paths(&code) {
            match layer(&used) {
                _ if used == module => {}
                Some(l) if l < own || (l == commands && own == commands) => {}
                Some(_) => problems.push(format!(
                    "{}: `{module}` uses `crate::{used}`, which is not in an earlier layer",
                    file.display()
                )),
                // Not a module: an item of the crate root (`crate::Built`), the pipeline's.
                None if own >= layer("lib").unwrap() => {}
                None => problems.push(format!(
                    "{}: `{module}` uses `crate::{used}` from the pipeline (src/lib.rs)",
                    file.display()
                )),
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_top_level_module_has_a_layer() {
    let lib = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/lib.rs")).unwrap();
    for line in lib.lines() {
        if let Some(name) = line.strip_prefix("pub mod ").or(line.strip_prefix("mod ")) {
            let name = name.trim_end_matches(';');
            assert!(layer(name).is_some(), "`{name}` is in no layer");
        }
    }
}

#[test]
fn a_use_of_a_later_layer_is_found() {
    assert_eq!(
        crate_paths(
            "use crate::{diag::Diagnostic, render::{a, b}};\n// crate::emit\nx(crate::check::y)"
        ),
        ["diag", "render", "check"]
    );
}
