//! `hpskb init [DIR]`: a new knowledge base from the scaffold embedded in the binary.
//!
//! The scaffold is the directory `scaffold/` at the repository root (a site of its own:
//! `config.toml`, a home page, an example monograph, calculator and reference, an empty
//! glossary, a README). Every file of it is listed in [`SCAFFOLD`] and embedded with
//! `include_str!`, so the binary needs nothing else on disk. `init` never overwrites: it
//! refuses a directory that holds anything, creates each file only if it does not exist,
//! and never prompts.

use std::io::Write;
use std::path::{Path, PathBuf};

use hpskb::diag::{Code, Diagnostic};

macro_rules! scaffold {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../scaffold/", $name)))),*]
    };
}

/// The scaffold's files: path under the new site's root, and contents.
pub(crate) const SCAFFOLD: &[(&str, &str)] = scaffold![
    ".gitignore",
    "README.md",
    "config.toml",
    "content/_index.md",
    "content/calculators/example-score.toml",
    "content/glossary.toml",
    "content/monographs/_index.md",
    "content/monographs/example.md",
    "content/references.bib",
];

/// The review date written in the scaffold's pages; `init` replaces it with today's date,
/// so that the example is not reported as overdue for review a year later.
const SCAFFOLD_REVIEWED: &str = "last_reviewed = 2026-01-01";

/// At most this many of a non-empty directory's entries are named when it is refused.
const NAMED_ENTRIES: usize = 5;

/// Writes the scaffold into `dir` (created if missing) and returns the number of files
/// written. A `dir` that is not an empty directory is refused before anything is written.
pub(crate) fn run(dir: &Path, today: time::Date) -> Result<usize, Vec<Diagnostic>> {
    refuse_unless_empty(dir)?;
    std::fs::create_dir_all(dir).map_err(|e| {
        one(
            dir,
            format!("cannot create the directory: {e}"),
            "choose a directory you can write to",
        )
    })?;
    let reviewed = format!("last_reviewed = {}", hpskb::text::date::iso_date(today));
    for (name, text) in SCAFFOLD {
        let path = dir.join(name);
        let text = if name.ends_with(".md") {
            text.replace(SCAFFOLD_REVIEWED, &reviewed)
        } else {
            (*text).to_string()
        };
        write_new(&path, &text).map_err(|e| {
            one(
                &path,
                format!("cannot create the file: {e}"),
                "the files written so far are kept; remove the directory and run `hpskb init` again",
            )
        })?;
    }
    Ok(SCAFFOLD.len())
}

/// Creates `path` (and its parent directories) with `text`; an existing file is an error.
pub(crate) fn write_new(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?
        .write_all(text.as_bytes())
}

/// Ok when `dir` is missing or an empty directory; otherwise what is in the way.
fn refuse_unless_empty(dir: &Path) -> Result<(), Vec<Diagnostic>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(_) if dir.exists() && !dir.is_dir() => {
            return Err(one(
                dir,
                "is not a directory",
                "give `hpskb init` a new or empty directory",
            ));
        }
        Err(e) => {
            return Err(one(
                dir,
                format!("cannot read the directory: {e}"),
                "give `hpskb init` a new or empty directory",
            ));
        }
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    if names.is_empty() {
        return Ok(());
    }
    names.sort();
    let count = names.len();
    let mut shown: Vec<String> = names
        .into_iter()
        .take(NAMED_ENTRIES)
        .map(|n| format!("`{n}`"))
        .collect();
    if count > NAMED_ENTRIES {
        shown.push(format!("and {} more", count - NAMED_ENTRIES));
    }
    Err(one(
        dir,
        format!(
            "the directory is not empty (it holds {}); nothing was written",
            shown.join(", ")
        ),
        "give `hpskb init` a new or empty directory, e.g. `hpskb init my-kb`",
    ))
}

fn one(file: impl Into<PathBuf>, message: impl Into<String>, hint: &str) -> Vec<Diagnostic> {
    vec![Diagnostic::new(Code::AuthoringRefused, file, message).with_hint(hint)]
}
