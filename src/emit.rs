//! Stage 5, emit: files are written, as they are rendered, to a staging directory next to
//! the output, which replaces the output only when the whole build succeeded. A failed
//! build never touches the previous output.

use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::render::{OutputFile, Sink};

/// A staging directory being filled (created with its first file); dropped without
/// [`Staging::publish`], it is removed.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    output: PathBuf,
    published: bool,
}

impl Staging {
    /// A staging directory for `output`, next to it.
    pub fn new(output: &Path) -> io::Result<Self> {
        let parent = output
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        remove_abandoned(parent, &name(output));
        let dir = parent.join(format!(".{}.staging-{}", name(output), std::process::id()));
        // Left by an earlier process with this pid.
        for stale in [&dir, &old_dir(&dir, output)] {
            match std::fs::remove_dir_all(stale) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
                _ => {}
            }
        }
        Ok(Staging {
            dir,
            output: output.to_path_buf(),
            published: false,
        })
    }

    /// Swaps the staging directory into place of the output and removes the old output.
    pub fn publish(mut self) -> io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        let old = old_dir(&self.dir, &self.output);
        if self.output.exists() {
            std::fs::rename(&self.output, &old)?;
            if let Err(e) = std::fs::rename(&self.dir, &self.output) {
                let _ = std::fs::rename(&old, &self.output);
                return Err(e);
            }
            self.published = true;
            remove_tree(&old)
        } else {
            std::fs::rename(&self.dir, &self.output)?;
            self.published = true;
            Ok(())
        }
    }
}

impl Sink for Staging {
    fn put(&self, file: OutputFile) -> io::Result<()> {
        let path = self.dir.join(&file.path);
        let parent = path.parent().unwrap_or(&self.dir);
        // A page (`…/index.html`) is normally the first file of its directory: create the
        // directory first. Other files try the write first. Either way a missing directory
        // is created (with the staging directory itself, on the first file; create_dir_all
        // tolerates other threads creating the same directories).
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
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.published {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Removes the staging and old-output directories of builds that were killed (their
/// process is gone), so that interrupted builds do not pile up copies of the site.
/// Where liveness cannot be told (no `/proc`), nothing is removed.
fn remove_abandoned(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let (staging, old) = (format!(".{name}.staging-"), format!(".{name}.old-"));
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let file_name = file_name.to_string_lossy();
        let pid = file_name
            .strip_prefix(&staging)
            .or_else(|| file_name.strip_prefix(&old))
            .and_then(|pid| pid.parse::<u32>().ok());
        let gone = pid.is_some_and(|pid| {
            Path::new("/proc/self").exists() && !Path::new(&format!("/proc/{pid}")).exists()
        });
        if gone {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Where the previous output goes while it is being removed.
fn old_dir(staging: &Path, output: &Path) -> PathBuf {
    staging.with_file_name(format!(".{}.old-{}", name(output), std::process::id()))
}

fn name(output: &Path) -> String {
    output
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned())
}

/// Removes a directory tree, its top-level entries in parallel.
fn remove_tree(dir: &Path) -> io::Result<()> {
    let entries: Vec<(PathBuf, bool)> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| (e.path(), e.file_type().is_ok_and(|t| t.is_dir())))
        .collect();
    entries.par_iter().try_for_each(|(p, is_dir)| {
        if *is_dir {
            std::fs::remove_dir_all(p)
        } else {
            std::fs::remove_file(p)
        }
    })?;
    std::fs::remove_dir(dir)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::Origin;

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            bytes: text.as_bytes().to_vec(),
            origin: Origin::Asset,
        }
    }

    fn emit(files: Vec<OutputFile>, output: &Path) -> io::Result<()> {
        let staging = Staging::new(output)?;
        files.into_par_iter().try_for_each(|f| staging.put(f))?;
        staging.publish()
    }

    fn entries(dir: &Path) -> Vec<std::ffi::OsString> {
        let mut names: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn replaces_previous_output_whole() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        emit(
            vec![file("a/b/index.html", "1"), file("stale.html", "x")],
            &out,
        )
        .unwrap();
        emit(vec![file("a/b/index.html", "2")], &out).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("a/b/index.html")).unwrap(),
            "2"
        );
        assert!(!out.join("stale.html").exists());
        assert_eq!(entries(dir.path()), ["public"]);
    }

    #[test]
    fn directories_of_killed_builds_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        // Above any pid_max, so no such process; and pid 1, which is always running.
        let dead = dir.path().join(".public.staging-999999999");
        let old = dir.path().join(".public.old-999999999");
        let alive = dir.path().join(".public.staging-1");
        let other_site = dir.path().join(".site.staging-999999999");
        for d in [&dead, &old, &alive, &other_site] {
            std::fs::create_dir_all(d.join("x")).unwrap();
        }
        emit(vec![file("index.html", "1")], &out).unwrap();
        assert!(!dead.exists() && !old.exists());
        assert!(alive.exists() && other_site.exists());
        // A leftover with this process's pid (an earlier process had it) is no obstacle.
        let own_old = dir
            .path()
            .join(format!(".public.old-{}", std::process::id()));
        std::fs::create_dir_all(own_old.join("x")).unwrap();
        emit(vec![file("index.html", "2")], &out).unwrap();
        assert!(!own_old.exists());
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "2"
        );
    }

    #[test]
    fn unpublished_staging_is_removed_and_output_kept() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        emit(vec![file("index.html", "old")], &out).unwrap();
        let staging = Staging::new(&out).unwrap();
        assert_eq!(entries(dir.path()), ["public"]);
        staging.put(file("deep/er/index.html", "new")).unwrap();
        assert_eq!(entries(dir.path()).len(), 2);
        drop(staging);
        assert_eq!(entries(dir.path()), ["public"]);
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "old"
        );
    }
}
