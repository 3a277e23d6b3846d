//! Stage 5, emit: write the site to a staging directory next to the output, and swap it
//! into place only once the build succeeded. A failed build never touches the previous
//! output.
//!
//! Each build's output carries a manifest of the files it wrote ([`MANIFEST`]); hpskb
//! replaces an output directory only when it carries one (or with `--force`), keeps the
//! files in it that it did not write (they are moved into the new output), and deletes
//! nothing else. Publishing is one atomic exchange of the staging directory with the
//! output (`swap`); killed at any instant, the next build finds the old site or the new
//! one in place and finishes or undoes what was left (`recover`).

mod manifest;
mod recover;
pub(crate) mod target;

use std::collections::BTreeSet;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use crate::diag::{Code, Diagnostic};
use crate::render::{OutputFile, Sink};
pub(crate) use manifest::MANIFEST;
pub use target::resolve_output;
pub(crate) use target::{Previous, Target};

/// A staging directory being filled; dropped without [`Staging::publish`], it is removed.
#[derive(Debug)]
pub(crate) struct Staging {
    dir: PathBuf,
    target: Target,
    /// Every path written, in no order.
    written: Mutex<Vec<String>>,
    /// The first write that failed: later files are not attempted, and the build reports
    /// this one cause instead of one error per file.
    failure: Mutex<Option<(String, io::Error)>>,
    published: bool,
}

impl Staging {
    /// Creates the staging directory for `target`, next to it.
    pub(crate) fn new(target: Target) -> Result<Self, Diagnostic> {
        let dir = recover::sibling(&target.dir, "staging");
        if let Some(parent) = dir.parent() {
            std::fs::create_dir_all(parent).map_err(|e| cannot_write(&target.dir, &e))?;
        }
        std::fs::create_dir(&dir).map_err(|e| cannot_write(&target.dir, &e))?;
        Ok(Staging {
            dir,
            target,
            written: Mutex::default(),
            failure: Mutex::default(),
            published: false,
        })
    }

    /// Why writing to the staging directory failed, if it did.
    pub(crate) fn failure(&self) -> Option<Diagnostic> {
        let failure = self.failure.lock().unwrap_or_else(|e| e.into_inner());
        failure.as_ref().map(|(path, e)| {
            cannot_write(&self.target.dir, e).with_hint(format!(
                "writing `{path}` failed first; nothing was published"
            ))
        })
    }

    /// Swaps the staging directory into place of the output, moves the files of the
    /// previous output that hpskb did not write into the new one, and deletes the rest of
    /// the previous output. Returns warnings (a leftover kept). Before the swap an error
    /// leaves the output as it was; the swap itself is one step.
    pub(crate) fn publish(mut self) -> Result<Vec<Diagnostic>, Diagnostic> {
        if let Some(d) = self.failure() {
            return Err(d);
        }
        let mut written =
            std::mem::take(&mut *self.written.lock().unwrap_or_else(|e| e.into_inner()));
        written.sort();
        let output = &self.target.dir;
        if self.target.previous == Previous::Marked {
            refuse_overwriting_kept_files(output, &written)?;
        }
        manifest::write(&self.dir, &written).map_err(|e| cannot_write(output, &e))?;
        let old = swap(&self.dir, output)?;
        self.published = true;
        let Some(old) = old else {
            return Ok(Vec::new());
        };
        if self.target.previous == Previous::Unmarked {
            // `--force`: the user agreed to lose what the directory held.
            return Ok(std::fs::remove_dir_all(&old)
                .err()
                .map(|e| kept(&old, format!("could not be removed: {e}")))
                .into_iter()
                .collect());
        }
        Ok(finish(&old, output).1.into_iter().collect())
    }
}

impl Sink for Staging {
    fn put(&self, file: OutputFile) -> io::Result<()> {
        // Not a plain path: never written (the build fails on it, see check::outputs).
        if crate::text::url::output_path_problem(&file.path).is_some()
            || self
                .failure
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .is_some()
        {
            return Ok(());
        }
        match write_file(&self.dir, &file) {
            Ok(()) => {
                self.written
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(file.path);
            }
            Err(e) => {
                let mut failure = self.failure.lock().unwrap_or_else(|e| e.into_inner());
                failure.get_or_insert((file.path, e));
            }
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.published {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

fn write_file(dir: &Path, file: &OutputFile) -> io::Result<()> {
    let path = dir.join(&file.path);
    let parent = path.parent().unwrap_or(dir);
    // A page (`…/index.html`) is normally the first file of its directory: create the
    // directory first. Other files try the write first. Either way a missing directory is
    // created (create_dir_all tolerates other threads creating the same directories).
    if file.path.ends_with("index.html") {
        match std::fs::create_dir(parent) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => std::fs::create_dir_all(parent)?,
            Err(e) if e.kind() != io::ErrorKind::AlreadyExists => return Err(e),
            _ => {}
        }
    }
    match std::fs::write(&path, &file.bytes) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            std::fs::create_dir_all(parent)?;
            std::fs::write(&path, &file.bytes)
        }
        r => r,
    }
}

/// A file the previous build did not write (kept: it is moved into the new output) is at
/// a path this build writes: one of the two would be lost.
fn refuse_overwriting_kept_files(output: &Path, written: &[String]) -> Result<(), Diagnostic> {
    let listed = manifest::read(output).unwrap_or_default();
    let survey = manifest::survey(output, &listed).map_err(|e| cannot_write(output, &e))?;
    let written: BTreeSet<&str> = written.iter().map(String::as_str).collect();
    let clashes: Vec<PathBuf> = survey
        .unlisted
        .into_iter()
        .filter(|p| {
            let p = p.to_string_lossy();
            let under = format!("{p}/");
            written.contains(p.as_ref())
                || written
                    .range(under.as_str()..)
                    .next()
                    .is_some_and(|w| w.starts_with(&under))
                || p.match_indices('/').any(|(i, _)| written.contains(&p[..i]))
        })
        .collect();
    if clashes.is_empty() {
        return Ok(());
    }
    Err(Diagnostic::new(Code::OutputRefused,
        output,
        format!(
            "this build writes where the output holds files hpskb did not write: {}",
            manifest::some_of(&clashes)
        ),
    )
    .with_hint(
        "hpskb keeps such files (they are moved into each new output); move them out of the output directory, or into static/ to publish them",
    ))
}

/// Exchanges the staging directory `staging` with `output` in one step; returns where the
/// previous output now is (at `staging`'s name), or `None` when there was none.
fn swap(staging: &Path, output: &Path) -> Result<Option<PathBuf>, Diagnostic> {
    let failed = |e: io::Error| cannot_write(output, &e);
    if std::fs::symlink_metadata(output).is_err() {
        std::fs::rename(staging, output).map_err(failed)?;
        return Ok(None);
    }
    match exchange(staging, output) {
        Ok(()) => return Ok(Some(staging.to_path_buf())),
        Err(e)
            if !matches!(
                e.raw_os_error(),
                Some(libc::EINVAL | libc::ENOSYS | libc::EOPNOTSUPP)
            ) =>
        {
            return Err(failed(e));
        }
        Err(_) => {}
    }
    // No atomic exchange on this file system: two renames. Killed between them, the next
    // build restores the previous output from `old` (see `recover`).
    let old = recover::sibling(output, "old");
    std::fs::rename(output, &old).map_err(failed)?;
    if let Err(e) = std::fs::rename(staging, output) {
        if let Err(back) = std::fs::rename(&old, output) {
            return Err(Diagnostic::new(Code::WriteFailed,
                output,
                format!(
                    "{MOVED_ASIDE} `{}`: moving the new site into place failed ({e}), and so did moving the previous one back ({back})",
                    old.display()
                ),
            )
            .with_hint("the next build puts it back; or rename it yourself"));
        }
        return Err(failed(e));
    }
    Ok(Some(old))
}

/// How the error begins when a failed build leaves the previous output moved aside.
const MOVED_ASIDE: &str = "the previous output is now at";

/// Whether `diags` say that the previous output was moved aside (it is then not untouched).
pub fn moved_aside(diags: &[Diagnostic]) -> bool {
    diags.iter().any(|d| d.message.starts_with(MOVED_ASIDE))
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| std::ffi::CString::new(p.as_os_str().as_bytes()).map_err(io::Error::other);
    let (a, b) = (c(a)?, c(b)?);
    // SAFETY: both are valid NUL-terminated paths that live across the call.
    let r = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if r == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::from_raw_os_error(libc::ENOSYS))
}

/// Completes the replacement of a previous output, now at `old`, by `output`: what hpskb
/// did not write is moved into `output` (unless something there has its path), the files
/// `old`'s manifest lists are deleted, then the manifest and `old` itself when nothing else
/// is left. Returns what was moved, and a warning when `old` is kept (it then still holds
/// what could not move). Safe to run again after being interrupted.
fn finish(old: &Path, output: &Path) -> (Vec<PathBuf>, Option<Diagnostic>) {
    let listed = manifest::read(old).unwrap_or_default();
    let survey = match manifest::survey(old, &listed) {
        Ok(s) => s,
        Err(e) => {
            return (
                Vec::new(),
                Some(kept(old, format!("could not be read: {e}"))),
            );
        }
    };
    let mut stuck = Vec::new();
    for rel in &survey.unlisted {
        carry(old, output, rel, &mut stuck);
    }
    let moved = survey
        .unlisted
        .into_iter()
        .filter(|rel| !stuck.iter().any(|s| s.starts_with(rel)))
        .collect();
    survey.listed.par_iter().for_each(|rel| {
        let _ = std::fs::remove_file(old.join(rel));
    });
    remove_empty_dirs(old);
    if stuck.is_empty() {
        let _ = std::fs::remove_file(old.join(MANIFEST));
        if std::fs::remove_dir(old).is_ok() {
            return (moved, None);
        }
    }
    let why = if stuck.is_empty() {
        "it is not empty".to_string()
    } else {
        format!(
            "it holds files hpskb did not write that could not be moved into the new output: {}",
            manifest::some_of(&stuck)
        )
    };
    (moved, Some(kept(old, why)))
}

/// Moves `rel` from `old` into `output`; a directory whose place is taken by a directory
/// is merged into it. What cannot move (its place is taken) is added to `stuck`.
fn carry(old: &Path, output: &Path, rel: &Path, stuck: &mut Vec<PathBuf>) {
    let (from, to) = (old.join(rel), output.join(rel));
    let is_dir = |p: &Path| std::fs::symlink_metadata(p).is_ok_and(|m| m.is_dir());
    if std::fs::symlink_metadata(&to).is_err() {
        let moved = to
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::rename(&from, &to));
        if moved.is_err() {
            stuck.push(rel.to_path_buf());
        }
    } else if is_dir(&from) && is_dir(&to) {
        let mut children: Vec<PathBuf> = std::fs::read_dir(&from)
            .map(|d| d.flatten().map(|e| rel.join(e.file_name())).collect())
            .unwrap_or_default();
        children.sort();
        for child in children {
            carry(old, output, &child, stuck);
        }
    } else {
        stuck.push(rel.to_path_buf());
    }
}

/// Removes the empty directories below `dir` (deepest first).
fn remove_empty_dirs(dir: &Path) {
    for entry in walkdir::WalkDir::new(dir)
        .min_depth(1)
        .contents_first(true)
        .into_iter()
        .flatten()
    {
        if entry.file_type().is_dir() {
            let _ = std::fs::remove_dir(entry.path());
        }
    }
}

/// A warning that the leftover copy `dir` of a previous output was kept, and why.
fn kept(dir: &Path, why: String) -> Diagnostic {
    Diagnostic::new(
        Code::KeptPreviousOutput,
        dir,
        format!("kept this copy of the previous output: {why}"),
    )
    .with_hint("look through it and delete it yourself; hpskb deletes only files it wrote")
}

fn cannot_write(output: &Path, e: &io::Error) -> Diagnostic {
    Diagnostic::new(
        Code::WriteFailed,
        output,
        format!("cannot write the site: {e}"),
    )
    .with_hint("check that the output directory's parent is writable and has space")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::{AssetKind, Origin};

    #[test]
    fn a_failed_write_is_one_failure_and_nothing_is_published() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        let target = Target {
            dir: output.clone(),
            previous: Previous::Nothing,
        };
        let staging = Staging::new(target).unwrap();
        // The staging directory becomes a file: every write fails (as on a full disk).
        std::fs::remove_dir(&staging.dir).unwrap();
        std::fs::write(&staging.dir, "").unwrap();
        for i in 0..100 {
            let file = OutputFile {
                path: format!("p{i}/index.html"),
                bytes: b"x".to_vec(),
                origin: Origin::Asset(AssetKind::Theme),
            };
            staging.put(file).unwrap();
        }
        let failure = staging.failure().unwrap();
        assert!(failure.hint.unwrap().contains("`p0/index.html`"));
        assert!(staging.publish().is_err());
        assert!(!output.exists());
    }
}
