//! Stage 5, emit: write the rendered site to a staging directory next to the output and
//! swap it into place only when everything succeeded. A failed build never touches the
//! previous output.

use std::collections::BTreeSet;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::render::OutputFile;

/// Writes `files` to `output` atomically (staging directory, then rename).
pub fn emit(files: &[OutputFile], output: &Path) -> io::Result<()> {
    let parent = output
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)?;
    let name = output
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    let staging = parent.join(format!(".{name}.staging-{}", std::process::id()));
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    let result = write_all(files, &staging).and_then(|()| swap(&staging, output, &old));
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}

fn write_all(files: &[OutputFile], dir: &Path) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    // Every directory the files need, created level by level, each level in parallel.
    let mut levels: Vec<BTreeSet<&str>> = Vec::new();
    for f in files {
        for (depth, (end, _)) in f.path.match_indices('/').enumerate() {
            if levels.len() <= depth {
                levels.push(BTreeSet::new());
            }
            levels[depth].insert(&f.path[..end]);
        }
    }
    for level in &levels {
        level
            .par_iter()
            .try_for_each(|d| match std::fs::create_dir(dir.join(d)) {
                Err(e) if e.kind() != io::ErrorKind::AlreadyExists => Err(e),
                _ => Ok(()),
            })?;
    }
    files
        .par_iter()
        .try_for_each(|f| std::fs::write(dir.join(&f.path), &f.bytes))
}

fn swap(staging: &Path, output: &Path, old: &Path) -> io::Result<()> {
    if output.exists() {
        std::fs::rename(output, old)?;
        if let Err(e) = std::fs::rename(staging, output) {
            let _ = std::fs::rename(old, output);
            return Err(e);
        }
        remove_tree(old)
    } else {
        std::fs::rename(staging, output)
    }
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

    #[test]
    fn replaces_previous_output_whole() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        emit(&[file("a/index.html", "1"), file("stale.html", "x")], &out).unwrap();
        emit(&[file("a/index.html", "2")], &out).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "2"
        );
        assert!(!out.join("stale.html").exists());
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("public")]);
    }
}
