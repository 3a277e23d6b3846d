//! hpskb reads nothing outside the site root: every file it opens is resolved (symbolic
//! links followed) and refused, with an error at its path, when it lies outside the root
//! or is not a regular file (a FIFO, socket or device).

use std::fs::File;
use std::path::{Path, PathBuf};

use crate::diag::{Code, Diagnostic};

/// Opens the regular file `display` (relative to `root`) for reading, if it resolves to a
/// place inside the site root.
pub fn open(root: &Path, display: &Path) -> Result<File, Diagnostic> {
    let path = root.join(display);
    let cannot_read = |e: std::io::Error| Diagnostic::cannot_read(display, &e);
    let resolved = path.canonicalize().map_err(cannot_read)?;
    let root = root.canonicalize().map_err(cannot_read)?;
    check(&root, display, &resolved)?;
    // Checked again on the open file, which cannot be swapped any more; a FIFO put in
    // its place meanwhile does not block the open.
    let file = open_nonblocking(&resolved).map_err(cannot_read)?;
    match file.metadata().map_err(cannot_read)?.is_file() {
        true => Ok(file),
        false => Err(not_regular(display)),
    }
}

/// Whether `resolved` (a canonical path found at `display`) may be read from the site
/// whose canonical root is `root`: inside it, and a regular file or a directory.
pub fn check(root: &Path, display: &Path, resolved: &Path) -> Result<(), Diagnostic> {
    if !resolved.starts_with(root) {
        return Err(Diagnostic::new(
            Code::OutsideSite,
            display,
            format!(
                "leads outside the site, to `{}`: hpskb reads only files inside the site root",
                resolved.display()
            ),
        )
        .with_hint(
            "copy what it points to into the site, or point the link at a place inside the site",
        ));
    }
    match std::fs::metadata(resolved) {
        Ok(m) if !m.is_file() && !m.is_dir() => Err(not_regular(display)),
        _ => Ok(()),
    }
}

/// `root` resolved, for [`check`] (`root` itself when it cannot be).
pub fn canonical_root(root: &Path) -> PathBuf {
    root.canonicalize().unwrap_or_else(|_| root.to_path_buf())
}

fn not_regular(display: &Path) -> Diagnostic {
    Diagnostic::new(
        Code::SpecialFile,
        display,
        "is not a regular file or directory (a FIFO, socket or device)",
    )
    .with_hint("remove it from the site; hpskb reads only regular files")
}

#[cfg(unix)]
fn open_nonblocking(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> std::io::Result<File> {
    File::open(path)
}
