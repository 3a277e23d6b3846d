//! What an interrupted build left next to the output: its staging directory (being filled,
//! or — after the swap — holding the previous output) and, where the swap took two
//! renames, the previous output moved aside. The next build puts the previous output back
//! if the output is missing, finishes an interrupted replacement, and removes a staging
//! directory that was never published. A copy of a site is never deleted whole: only the
//! files its manifest lists.

use std::path::{Path, PathBuf};

use crate::diag::{Code, Diagnostic};

/// A new `.public.staging-<pid>` (`kind` "staging") or `.public.old-<pid>` next to
/// `output`; `-<n>` is added when a kept leftover of an earlier process with this pid
/// has the name.
pub(crate) fn sibling(output: &Path, kind: &str) -> PathBuf {
    let base = format!(".{}.{kind}-{}", name(output), std::process::id());
    (1..)
        .map(|n| match n {
            1 => output.with_file_name(&base),
            n => output.with_file_name(format!("{base}-{n}")),
        })
        .find(|p| std::fs::symlink_metadata(p).is_err())
        .unwrap_or_else(|| output.with_file_name(base))
}

fn name(output: &Path) -> String {
    output
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned())
}

/// Deals with what builds that were killed left next to `output` (this process's own pid
/// counts as killed: an earlier process had it). Returns warnings saying what was done.
/// Where liveness cannot be told (no `/proc`), nothing is touched.
pub(crate) fn recover(output: &Path) -> Vec<Diagnostic> {
    let mut leftovers = abandoned(output);
    let mut report = Vec::new();
    if std::fs::symlink_metadata(output).is_err() {
        // Killed between the two renames of a swap (or before the first build's only
        // one): a complete site is put in place, the previous one by preference.
        let complete = leftovers
            .iter()
            .position(|(dir, old)| *old && super::manifest::read(dir).is_some())
            .or_else(|| {
                leftovers
                    .iter()
                    .position(|(dir, _)| super::manifest::read(dir).is_some())
            });
        if let Some(i) = complete {
            let (dir, _) = leftovers.remove(i);
            if std::fs::rename(&dir, output).is_ok() {
                report.push(
                    Diagnostic::new(Code::RecoveredOutput,
                        output,
                        format!(
                            "an interrupted build had left the output missing; restored it from `{}`",
                            dir.display()
                        ),
                    )
                    .with_hint("nothing to do; this build replaces it as usual"),
                );
            }
        }
    }
    for (dir, old) in leftovers {
        if !old && super::manifest::read(&dir).is_none() {
            // A staging directory killed while being filled: only files hpskb wrote.
            let _ = std::fs::remove_dir_all(&dir);
        } else if std::fs::symlink_metadata(output).is_ok() {
            let (moved, kept) = super::finish(&dir, output);
            if !moved.is_empty() {
                report.push(
                    Diagnostic::new(Code::RecoveredOutput,
                        output,
                        format!(
                            "finished what an interrupted build left: moved {} (files hpskb did not write) from `{}` into the output",
                            super::manifest::some_of(&moved),
                            dir.display()
                        ),
                    )
                    .with_hint("nothing to do; they are kept as usual"),
                );
            }
            report.extend(kept);
        }
    }
    report
}

/// The staging and old-output directories next to `output` of processes that are gone,
/// each with whether it is an old output (`.old-`).
fn abandoned(output: &Path) -> Vec<(PathBuf, bool)> {
    let parent = output.parent().unwrap_or(Path::new("."));
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Vec::new();
    };
    if !Path::new("/proc/self").exists() {
        return Vec::new();
    }
    let name = name(output);
    let (staging, old) = (format!(".{name}.staging-"), format!(".{name}.old-"));
    let mut found: Vec<(PathBuf, bool)> = entries
        .flatten()
        .filter_map(|entry| {
            let file_name = entry.file_name();
            let file_name = file_name.to_str()?;
            let (pid, is_old) = match file_name.strip_prefix(&staging) {
                Some(pid) => (pid, false),
                None => (file_name.strip_prefix(&old)?, true),
            };
            let pid: u32 = pid.split('-').next()?.parse().ok()?;
            let gone = pid == std::process::id() || !Path::new(&format!("/proc/{pid}")).exists();
            let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
            (gone && is_dir).then(|| (entry.path(), is_old))
        })
        .collect();
    found.sort();
    found
}
