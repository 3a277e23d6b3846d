//! Finding and reading a site's files: walking directories inside the site, size limits,
//! UTF-8.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::inside;
use crate::diag::{Code, Diagnostic};

/// Largest page or data file read, in bytes; larger ones are refused with a diagnostic
/// (parsing cost grows with size). Content assets are copied unparsed and have no limit.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// Walks `content/`, returning (display path, path relative to content/) of every file.
pub(super) fn discover(
    root: &Path,
    content_dir: &Path,
    skip_dir: Option<&Path>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<(PathBuf, String)> {
    if !content_dir.is_dir() {
        diags.push(
            Diagnostic::new(
                Code::NoContent,
                "content",
                "the site has no `content/` directory",
            )
            .with_hint("create `content/_index.md` for the home page"),
        );
        return Vec::new();
    }
    walk(root, content_dir, skip_dir, diags)
}

/// Every file below `dir` (following symbolic links that stay inside `root`, skipping
/// hidden entries, editor backups and `skip_dir`), as (display path relative to `root`,
/// path relative to `dir` with `/` separators), in file-name order. Unreadable entries,
/// symbolic link loops, links that lead outside the site, entries that are neither files
/// nor directories and names that are not plain output paths (see
/// [`crate::text::url::output_path_problem`]) become diagnostics.
pub fn walk(
    root: &Path,
    dir: &Path,
    skip_dir: Option<&Path>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<(PathBuf, String)> {
    let skip = skip_dir.and_then(|d| d.canonicalize().ok());
    let canonical_root = inside::canonical_root(root);
    let display_of = |p: &Path| p.strip_prefix(root).unwrap_or(p).to_path_buf();
    let mut refused = Vec::new();
    let mut files = Vec::new();
    let walker = WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let hidden = e.depth() > 0 && e.file_name().to_string_lossy().starts_with('.');
            let skipped = skip.as_ref().is_some_and(|s| {
                e.file_type().is_dir() && e.path().canonicalize().ok().as_ref() == Some(s)
            });
            if hidden || skipped {
                return false;
            }
            // What is below a directory inside the site is inside unless it is a link.
            if e.depth() == 0
                || e.path_is_symlink()
                || !e.file_type().is_file() && !e.file_type().is_dir()
            {
                let checked = e
                    .path()
                    .canonicalize()
                    .map_err(|err| Diagnostic::cannot_read(display_of(e.path()), &err))
                    .and_then(|resolved| {
                        inside::check(&canonical_root, &display_of(e.path()), &resolved)
                    });
                if let Err(d) = checked {
                    refused.push(d);
                    return false;
                }
            }
            true
        });
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_file() => {
                let display = display_of(e.path());
                let Some(rel) = e.path().strip_prefix(dir).ok().and_then(Path::to_str) else {
                    diags.push(
                        Diagnostic::new(Code::BadFileName, display, "file name is not valid UTF-8")
                            .with_hint("rename the file using UTF-8 characters"),
                    );
                    continue;
                };
                if rel.ends_with('~') {
                    continue;
                }
                match crate::text::url::output_path_problem(rel) {
                    None => files.push((display, rel.to_string())),
                    Some(problem) => diags.push(
                        Diagnostic::new(
                            Code::BadFileName,
                            display,
                            format!("the file's path {problem}"),
                        )
                        .with_hint("rename it: its path becomes a URL"),
                    ),
                }
            }
            Ok(_) => {}
            Err(e) => {
                let path = e.path().map_or_else(|| display_of(dir), display_of);
                // A file that is not found although listed is a link to nothing.
                let broken_link = e
                    .io_error()
                    .filter(|io| io.kind() == std::io::ErrorKind::NotFound)
                    .and_then(|_| std::fs::read_link(e.path()?).ok());
                let (message, hint) = if e.loop_ancestor().is_some() {
                    (
                        format!("symbolic link loop: {e}"),
                        "remove the link that points back to one of its parent directories",
                    )
                } else if let Some(target) = broken_link {
                    (
                        format!("broken symbolic link to `{}`", target.display()),
                        "remove the link, or restore the file it points to",
                    )
                } else {
                    (
                        format!("cannot read directory entry: {e}"),
                        "check the file's permissions",
                    )
                };
                diags.push(Diagnostic::new(Code::CannotRead, path, message).with_hint(hint));
            }
        }
    }
    diags.append(&mut refused);
    files
}

pub(super) fn read_bytes(root: &Path, display: &Path) -> Result<Vec<u8>, Diagnostic> {
    use std::io::Read as _;
    let cannot_read = |e: std::io::Error| Diagnostic::cannot_read(display, &e);
    let file = inside::open(root, display)?;
    let len = file.metadata().map_err(cannot_read)?.len();
    if len > MAX_FILE_BYTES {
        return Err(Diagnostic::new(
            Code::FileTooLarge,
            display,
            format!("file is {len} bytes, over the {MAX_FILE_BYTES}-byte limit"),
        )
        .with_hint("split the file into several pages"));
    }
    // At most one byte past the limit is read, in case the file grew since.
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot_read)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Diagnostic::new(
            Code::FileTooLarge,
            display,
            format!("file is over the {MAX_FILE_BYTES}-byte limit"),
        )
        .with_hint("split the file into several pages"));
    }
    Ok(bytes)
}

/// Reads a file of the site whatever its size (a copied asset: not parsed).
pub fn read_unparsed(root: &Path, display: &Path) -> Result<Vec<u8>, Diagnostic> {
    use std::io::Read as _;
    let mut bytes = Vec::new();
    inside::open(root, display)?
        .read_to_end(&mut bytes)
        .map_err(|e| Diagnostic::cannot_read(display, &e))?;
    Ok(bytes)
}

/// Reads a UTF-8 text file relative to the root.
pub fn read_text(root: &Path, display: &Path) -> Result<String, Diagnostic> {
    utf8(display, read_bytes(root, display)?)
}

pub(super) fn utf8(display: &Path, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let text = String::from_utf8_lossy(valid);
        Diagnostic::new(Code::NotUtf8, display, "file is not valid UTF-8")
            .at_offset(&text, valid.len())
            .with_hint("save the file as UTF-8")
    })
}
