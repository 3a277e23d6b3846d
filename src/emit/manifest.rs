//! The mark of a directory hpskb wrote: `.hpskb-manifest` lists every file the build wrote
//! there, and hpskb deletes nothing else.

use std::collections::BTreeSet;
use std::io;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

/// File name of the manifest, at the top of the output directory.
pub(crate) use crate::text::url::MANIFEST;

/// First line of every manifest; a file named [`MANIFEST`] without it is no mark.
const HEADER: &str =
    "# hpskb output: the files hpskb wrote here, one per line; it deletes only these";

/// Writes the manifest of `dir`, listing `paths` (relative, `/` separators).
pub(crate) fn write(dir: &Path, paths: &[String]) -> io::Result<()> {
    let mut text = String::with_capacity(HEADER.len() + paths.len() * 32);
    text.push_str(HEADER);
    text.push('\n');
    for p in paths {
        text.push_str(p);
        text.push('\n');
    }
    std::fs::write(dir.join(MANIFEST), text)
}

/// The files `dir`'s manifest lists, or `None` when `dir` carries no manifest (a line that
/// is not a plain relative path, such as `../x`, is ignored: nothing outside is ever listed).
pub(crate) fn read(dir: &Path) -> Option<BTreeSet<String>> {
    let path = dir.join(MANIFEST);
    if !std::fs::symlink_metadata(&path).ok()?.is_file() {
        return None;
    }
    let text = std::fs::read_to_string(path).ok()?;
    let mut lines = text.lines();
    (lines.next() == Some(HEADER)).then(|| {
        lines
            .filter(|l| crate::text::url::output_path_problem(l).is_none())
            .map(str::to_string)
            .collect()
    })
}

/// What a directory holds, sorted into the files its manifest lists and everything else.
#[derive(Debug, Default)]
pub(crate) struct Survey {
    /// Regular files the manifest lists (relative paths).
    pub listed: Vec<PathBuf>,
    /// Entries hpskb did not write, each as high up as possible: a directory none of whose
    /// files is listed (`.git/`) is one entry. Relative paths.
    pub unlisted: Vec<PathBuf>,
}

/// Sorts what `dir` holds by `listed` (from its manifest). Symbolic links are not followed:
/// only what is physically inside `dir` is looked at.
pub(crate) fn survey(dir: &Path, listed: &BTreeSet<String>) -> io::Result<Survey> {
    let listed_dirs: BTreeSet<&str> = listed
        .iter()
        .flat_map(|p| p.match_indices('/').map(move |(i, _)| &p[..i]))
        .collect();
    let mut survey = Survey::default();
    let mut walker = WalkDir::new(dir)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = walker.next() {
        let entry = entry.map_err(io::Error::other)?;
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        let key = rel.to_str().unwrap_or_default();
        let kind = entry.file_type();
        if entry.depth() == 1 && key == MANIFEST {
            continue;
        }
        if kind.is_dir() && listed_dirs.contains(key) {
            continue; // descend
        }
        if kind.is_file() && listed.contains(key) {
            survey.listed.push(rel.to_path_buf());
        } else {
            survey.unlisted.push(rel.to_path_buf());
            if kind.is_dir() {
                walker.skip_current_dir();
            }
        }
    }
    Ok(survey)
}

/// Up to three of `paths`, quoted, and how many more there are: "`a`, `b`, `c` and 4 more".
pub(crate) fn some_of(paths: &[PathBuf]) -> String {
    let mut text = paths
        .iter()
        .take(3)
        .map(|p| format!("`{}`", p.display()))
        .collect::<Vec<_>>()
        .join(", ");
    if paths.len() > 3 {
        text.push_str(&format!(" and {} more", paths.len() - 3));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn survey_sorts_written_files_from_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        for f in [
            "index.html",
            "a/index.html",
            "a/notes.txt",
            ".git/HEAD",
            "CNAME",
        ] {
            std::fs::create_dir_all(d.join(f).parent().unwrap()).unwrap();
            std::fs::write(d.join(f), f).unwrap();
        }
        let listed = ["index.html", "a/index.html", "gone.html", "../x"];
        write(d, &listed.map(String::from)).unwrap();
        let read = read(d).unwrap();
        assert!(!read.contains("../x"));
        let s = survey(d, &read).unwrap();
        assert_eq!(
            s.listed,
            [PathBuf::from("a/index.html"), "index.html".into()]
        );
        assert_eq!(
            s.unlisted,
            [PathBuf::from(".git"), "CNAME".into(), "a/notes.txt".into()]
        );
        std::fs::write(d.join(MANIFEST), "index.html\n").unwrap();
        assert!(super::read(d).is_none(), "no header, no mark");
    }
}
