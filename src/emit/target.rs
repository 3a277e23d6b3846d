//! Which directory a build may publish into, checked before anything is written.

use std::path::{Path, PathBuf};

use crate::diag::{Code, Diagnostic};

use super::manifest;

/// The output directory a build publishes into.
#[derive(Debug, Clone)]
pub(crate) struct Target {
    /// The directory, resolved: symbolic links followed, absolute.
    pub dir: PathBuf,
    /// What is there now.
    pub previous: Previous,
}

/// What the output directory holds before the build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Previous {
    /// Nothing: it does not exist, or is empty.
    Nothing,
    /// A previous build: it carries hpskb's manifest.
    Marked,
    /// Files hpskb did not write, to be replaced because `--force` was given.
    Unmarked,
}

/// `output` with symbolic links resolved (the directory a link points to, which is what
/// gets replaced; the link stays), or an error when it is a link to nothing.
pub fn resolve_output(output: &Path) -> Result<PathBuf, Diagnostic> {
    if let Ok(dir) = output.canonicalize() {
        return Ok(dir);
    }
    if let Ok(target) = std::fs::read_link(output) {
        return Err(Diagnostic::new(
            Code::OutputRefused,
            output,
            format!(
                "the output is a symbolic link to `{}`, which does not exist",
                target.display()
            ),
        )
        .with_hint("create the directory it points to, or remove the link"));
    }
    // Not there yet: its nearest existing ancestor, resolved, and the rest of the path
    // (created only when the build publishes).
    let absolute = std::path::absolute(output).map_err(|e| super::cannot_write(output, &e))?;
    if absolute
        .components()
        .any(|c| c == std::path::Component::ParentDir)
    {
        return Err(Diagnostic::new(
            Code::OutputRefused,
            output,
            "the output path goes through `..` and a directory that does not exist",
        )
        .with_hint("give the output directory without `..`"));
    }
    let mut base = absolute.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(dir) = base.canonicalize() {
            return Ok(rest.iter().rev().fold(dir, |dir, name| dir.join(name)));
        }
        match (base.parent(), base.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                base = parent;
            }
            _ => return Ok(absolute),
        }
    }
}

/// Checks that the site rooted at `root` may be published into `output` — not the site
/// itself or one of its source directories, and an empty directory, a previous build, or
/// (`force`) any directory — after dealing with what interrupted builds left there.
/// Returns the target and warnings.
pub(crate) fn prepare(
    root: &Path,
    output: &Path,
    force: bool,
) -> Result<(Target, Vec<Diagnostic>), Diagnostic> {
    let refuse = |why: String, hint: &str| {
        Diagnostic::new(
            Code::OutputRefused,
            output,
            format!("refusing to use this output directory: {why}"),
        )
        .with_hint(hint.to_string())
    };
    let dir = resolve_output(output)?;
    let root = root
        .canonicalize()
        .map_err(|e| Diagnostic::cannot_read(root, &e))?;
    if root.starts_with(&dir) {
        return Err(refuse("it contains the site itself".into(), CHOOSE_ANOTHER));
    }
    for source in ["content", "static", "templates", "i18n"] {
        let source_dir = root
            .join(source)
            .canonicalize()
            .unwrap_or_else(|_| root.join(source));
        if dir.starts_with(&source_dir) {
            return Err(refuse(
                format!(
                    "it is inside the site's `{source}/`, which would publish the output as a source"
                ),
                CHOOSE_ANOTHER,
            ));
        }
    }
    if std::fs::symlink_metadata(&dir).is_ok_and(|m| !m.is_dir()) {
        return Err(refuse("it is not a directory".into(), CHOOSE_ANOTHER));
    }
    let warnings = super::recover::recover(&dir);
    let previous = if manifest::read(&dir).is_some() {
        Previous::Marked
    } else {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map(|d| d.flatten().map(|e| PathBuf::from(e.file_name())).collect())
            .unwrap_or_default();
        entries.sort();
        match (entries.is_empty(), force) {
            (true, _) => Previous::Nothing,
            (false, true) => Previous::Unmarked,
            (false, false) => {
                return Err(refuse(
                    format!(
                        "it holds files hpskb did not write ({}), which replacing it would delete",
                        manifest::some_of(&entries)
                    ),
                    "choose another --output directory, or pass --force to replace this one and delete what it holds",
                ));
            }
        }
    };
    Ok((Target { dir, previous }, warnings))
}

const CHOOSE_ANOTHER: &str =
    "hpskb replaces the whole output directory; choose a new or dedicated one, e.g. `public/`";
