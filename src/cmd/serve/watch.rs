//! Watching the site's sources: `content/`, `templates/`, `static/`, `i18n/` and `config.toml`.
//!
//! Native file events (inotify, FSEvents, ReadDirectoryChangesW) through a short
//! debouncer, or polling (`--poll`) where native events are unreliable (network and
//! container file systems). The watcher only reports *that* something relevant changed;
//! the caller rebuilds.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode};
use notify::{Event, EventKind, PollWatcher, RecommendedWatcher, RecursiveMode, Watcher};

/// Directories under the site root whose contents are inputs.
pub(crate) const WATCHED_DIRS: &[&str] = &["content", "templates", "static", "i18n"];
/// Quiet period after the last event before a change is reported.
pub(crate) const DEBOUNCE: Duration = Duration::from_millis(15);
/// Longest a change waits while events keep arriving.
pub(crate) const MAX_DELAY: Duration = Duration::from_millis(500);
/// Scan interval of `--poll`.
pub(crate) const POLL_INTERVAL: Duration = Duration::from_millis(250);

/// What the watcher reports.
#[derive(Debug)]
pub(crate) enum Change {
    /// Some inputs changed (relative paths, for the log).
    Changed(Vec<PathBuf>),
    /// The watcher failed (message for the terminal).
    Error(String),
}

enum Backend {
    Native(RecommendedWatcher),
    Poll(PollWatcher),
}

/// A running watcher; stops when dropped.
pub(crate) struct SourceWatcher {
    backend: Backend,
    root: PathBuf,
    watched: BTreeSet<String>,
}

impl SourceWatcher {
    /// Starts watching `root` (ideally canonical), sending debounced [`Change`]s to `tx`.
    pub(crate) fn start(root: &Path, poll: bool, tx: Sender<Change>) -> notify::Result<Self> {
        let (raw_tx, raw_rx) = mpsc::channel::<notify::Result<Event>>();
        let filter_root = root.to_path_buf();
        std::thread::Builder::new()
            .name("hpskb-debounce".into())
            .spawn(move || debounce(&filter_root, &raw_rx, &tx))?;
        let backend = if poll {
            // The poller compares modification times in whole seconds, so it must also
            // compare contents to see an edit made within the same second.
            let config = notify::Config::default()
                .with_poll_interval(POLL_INTERVAL)
                .with_compare_contents(true);
            Backend::Poll(PollWatcher::new(raw_tx, config)?)
        } else {
            Backend::Native(RecommendedWatcher::new(raw_tx, notify::Config::default())?)
        };
        let mut me = Self {
            backend,
            root: root.to_path_buf(),
            watched: BTreeSet::new(),
        };
        // The root itself, non-recursively: config.toml, and input directories appearing.
        me.watcher().watch(root, RecursiveMode::NonRecursive)?;
        me.refresh(&[])?;
        Ok(me)
    }

    fn watcher(&mut self) -> &mut dyn Watcher {
        match &mut self.backend {
            Backend::Native(w) => w,
            Backend::Poll(w) => w,
        }
    }

    /// Starts watching input directories that have appeared since the last call, forgets
    /// those that disappeared, and watches again each one that `changed` (paths relative
    /// to the root) names itself: a directory removed and recreated, or replaced by a
    /// rename, between two calls is a new directory, which the old watch does not see.
    pub(crate) fn refresh(&mut self, changed: &[PathBuf]) -> notify::Result<()> {
        for dir in WATCHED_DIRS {
            let path = self.root.join(dir);
            let exists = path.is_dir();
            let known = self.watched.contains(*dir);
            let replaced = known && changed.iter().any(|c| c == Path::new(dir));
            if known && (replaced || !exists) {
                let _ = self.watcher().unwatch(&path);
                self.watched.remove(*dir);
            }
            if exists && !self.watched.contains(*dir) {
                self.watcher().watch(&path, RecursiveMode::Recursive)?;
                self.watched.insert((*dir).to_string());
            }
        }
        Ok(())
    }
}

/// Collects raw events into batches: a batch is reported once no relevant event has
/// arrived for [`DEBOUNCE`] (or after [`MAX_DELAY`] of continuous events). Ends when
/// the watcher is dropped.
fn debounce(root: &Path, rx: &Receiver<notify::Result<Event>>, tx: &Sender<Change>) {
    let mut batch: Vec<PathBuf> = Vec::new();
    let mut first = Instant::now();
    loop {
        let next = if batch.is_empty() {
            rx.recv().map_err(|_| RecvTimeoutError::Disconnected)
        } else {
            let left = MAX_DELAY.saturating_sub(first.elapsed());
            rx.recv_timeout(DEBOUNCE.min(left))
        };
        match next {
            Ok(Ok(event)) => {
                if !changes_content(&event.kind) {
                    continue;
                }
                let before = batch.len();
                batch.extend(event.paths.iter().filter_map(|p| relevant(root, p)));
                if before == 0 && !batch.is_empty() {
                    first = Instant::now();
                }
            }
            Ok(Err(e)) => {
                if tx.send(Change::Error(e.to_string())).is_err() {
                    return;
                }
            }
            Err(RecvTimeoutError::Timeout) => {
                let mut paths = std::mem::take(&mut batch);
                paths.sort();
                paths.dedup();
                if tx.send(Change::Changed(paths)).is_err() {
                    return;
                }
            }
            Err(RecvTimeoutError::Disconnected) => return,
        }
    }
}

/// False for events that only report reading (inotify reports every `open`, including
/// the build's own reads, which would otherwise trigger rebuilds forever).
pub(crate) fn changes_content(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// The path relative to `root` when a change to it affects the build: `config.toml`, or
/// anything under an input directory except editor scratch files (`.#x`, `x~`, `.x.swp`).
pub(crate) fn relevant(root: &Path, path: &Path) -> Option<PathBuf> {
    let rel = path.strip_prefix(root).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?;
    if rel == Path::new("config.toml") {
        return Some(rel.to_path_buf());
    }
    if !WATCHED_DIRS.contains(&first) {
        return None;
    }
    let name = rel.file_name()?.to_string_lossy();
    let scratch = name.starts_with(".#")
        || name.ends_with('~')
        || name == "4913"
        || [".swp", ".swx", ".swo"].iter().any(|s| name.ends_with(s));
    (!scratch).then(|| rel.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_inputs_are_relevant() {
        let root = Path::new("/site");
        let yes = |p: &str| relevant(root, &root.join(p)).is_some();
        assert!(yes("config.toml"));
        assert!(yes("content/about.md"));
        assert!(yes("content"));
        assert!(yes("templates/page.html"));
        assert!(yes("static/css/x.css"));
        assert!(yes("static/.well-known/security.txt"));
        assert!(yes("i18n/en.toml"));
        assert!(!yes("public/index.html"));
        assert!(!yes("config.toml.bak"));
        assert!(!yes("content/.about.md.swp"));
        assert!(!yes("content/about.md~"));
        assert!(!yes("content/.#about.md"));
        assert!(!yes("content/4913"));
        assert!(!yes("README.md"));
        assert!(relevant(root, Path::new("/elsewhere/content/a.md")).is_none());
    }

    #[test]
    fn reads_are_not_changes() {
        use notify::event::{CreateKind, ModifyKind};
        assert!(!changes_content(&EventKind::Access(AccessKind::Open(
            AccessMode::Any
        ))));
        assert!(!changes_content(&EventKind::Access(AccessKind::Close(
            AccessMode::Read
        ))));
        assert!(changes_content(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(changes_content(&EventKind::Modify(ModifyKind::Any)));
        assert!(changes_content(&EventKind::Create(CreateKind::File)));
        assert!(changes_content(&EventKind::Remove(
            notify::event::RemoveKind::Any
        )));
    }
}
