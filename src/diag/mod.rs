//! Diagnostics: typed problems found by any pipeline stage, rendered in one place.
//!
//! Stages never print. They return [`Diagnostic`] values carrying the file, a 1-based
//! line and column, a message and an optional hint; [`render`] turns a list of them into
//! human-readable text with a source snippet (codespan-reporting).
//!
//! Rendering is also where text from sources and file names is made safe for a terminal:
//! control characters and bidirectional overrides are escaped (`\u{1b}`) in messages,
//! hints and file names, and shown as visible symbols in source snippets, so no file can
//! move the cursor, recolour or retitle the terminal, or hide part of a message.

mod cap;

pub use cap::{Cap, MAX_ERRORS_PER_PAGE};

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term;

/// How serious a diagnostic is. Errors fail the build; warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The build cannot produce a correct site.
    Error,
    /// Worth fixing, but the site is still correct.
    Warning,
}

/// One problem, located in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file the problem is in, as shown to the user (relative to the site root when possible).
    pub file: PathBuf,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column (in characters); 0 when unknown.
    pub column: usize,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error about `file` as a whole.
    pub fn error(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            file: file.into(),
            line: 0,
            column: 0,
            message: message.into(),
            hint: None,
        }
    }

    /// A warning about `file` as a whole.
    pub fn warning(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(file, message)
        }
    }

    /// A file that could not be read (it vanished, or permissions forbid it).
    pub fn cannot_read(file: impl Into<PathBuf>, err: &std::io::Error) -> Self {
        Self::error(file, format!("cannot read file: {err}"))
            .with_hint("check that the file still exists and is readable")
    }

    /// Places the diagnostic at a 1-based line and column.
    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = line;
        self.column = column;
        self
    }

    /// Places the diagnostic at a byte offset of `text` (the full text of `self.file`).
    pub fn at_offset(self, text: &str, offset: usize) -> Self {
        let (line, column) = line_col(text, offset);
        self.at(line, column)
    }

    /// Adds a hint telling the user how to fix the problem.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    /// One line, `file:line:col: error: message (hint: ...)`, for logs and tests.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}",
            terminal_safe(&self.file.display().to_string(), false)
        )?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
            if self.column > 0 {
                write!(f, ":{}", self.column)?;
            }
        }
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, ": {label}: {}", terminal_safe(&self.message, true))?;
        if let Some(hint) = &self.hint {
            write!(f, " (hint: {})", terminal_safe(hint, true))?;
        }
        Ok(())
    }
}

/// Whether a terminal would act on `c` instead of showing it, or XML 1.0 cannot hold it:
/// a control character, a bidirectional embedding, override or isolate, U+FFFE or U+FFFF.
fn is_unprintable(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{fffe}' | '\u{ffff}')
}

/// The first character of `text` that a terminal would act on or XML 1.0 cannot hold: a
/// control character, a bidirectional embedding, override or isolate, U+FFFE or U+FFFF;
/// line breaks and tabs count too unless `multiline`.
pub fn unprintable(text: &str, multiline: bool) -> Option<char> {
    text.chars()
        .find(|&c| is_unprintable(c) && !(multiline && matches!(c, '\n' | '\t')))
}

/// `text` with each unprintable character (see [`unprintable`]) written as `\u{1b}`.
pub fn terminal_safe(text: &str, multiline: bool) -> Cow<'_, str> {
    if unprintable(text, multiline).is_none() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unprintable(c) && !(multiline && matches!(c, '\n' | '\t')) {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A source file's text for a snippet: each unprintable character but line breaks and
/// tabs replaced by one visible character (its Unicode control picture, `␛` for escape,
/// else `�`), so that lines and columns stay where they were.
fn visible_source(text: String) -> String {
    if unprintable(&text, true).is_none() {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let keep = matches!(c, '\n' | '\t') || (c == '\r' && chars.peek() == Some(&'\n'));
        out.push(match c {
            _ if keep || !is_unprintable(c) => c,
            '\0'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
            '\u{7f}' => '\u{2421}',
            _ => '\u{fffd}',
        });
    }
    out
}

/// Byte offset of the line where TOML `text` assigns `key` (`key = …`), to point at a
/// value whose decoded text does not appear in the file.
pub fn find_key(text: &str, key: &str) -> Option<usize> {
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let indent = line.len() - line.trim_start().len();
        let assigns = line[indent..]
            .strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with('='));
        if assigns {
            return Some(start + indent);
        }
        start += line.len();
    }
    None
}

/// Converts a byte offset into a 1-based (line, column) pair; the column counts characters.
/// Offsets past the end, or inside a multi-byte character, are clamped.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// Byte offset of the first character of `value` where `text` writes it as a quoted
/// string (`"value"` or `'value'`), to point a diagnostic at a value read from a file.
pub fn find_quoted(text: &str, value: &str) -> Option<usize> {
    ['"', '\'']
        .iter()
        .find_map(|q| text.find(&format!("{q}{value}{q}")))
        .map(|at| at + 1)
}

/// Byte offset of the `n`th (1-based) quoted occurrence of `value` in `text` (see
/// [`find_quoted`]): where a value written twice is written the second time.
pub fn find_nth_quoted(text: &str, value: &str, n: usize) -> Option<usize> {
    let mut at = 0;
    for _ in 0..n {
        // Past the first, a match cannot be an earlier one: its opening quote is behind.
        at += find_quoted(&text[at..], value)?;
    }
    Some(at)
}

/// Byte offset of a 1-based (line, column) position in `text`, if it exists.
fn offset_of(text: &str, line: usize, column: usize) -> Option<usize> {
    let line_start = if line <= 1 {
        0
    } else {
        text.match_indices('\n').nth(line - 2)?.0 + 1
    };
    let line_text = text[line_start..].split('\n').next().unwrap_or("");
    let col_bytes = line_text
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(line_text.len(), |(i, _)| i);
    Some(line_start + col_bytes)
}

/// Sorts diagnostics into a stable order (by file, position, severity, then message) and
/// keeps one of those with the same place and message: one cause seen from several
/// outputs is reported once, with the first one's hint.
pub fn sort_unique(diagnostics: &mut Vec<Diagnostic>) {
    fn key(d: &Diagnostic) -> (&Path, usize, usize, Severity, &str) {
        (&d.file, d.line, d.column, d.severity, &d.message)
    }
    diagnostics.sort_by(|a, b| key(a).cmp(&key(b)));
    diagnostics.dedup_by(|a, b| key(a) == key(b));
}

/// `count` and `noun`, plural unless the count is one: "1 page", "3 errors".
pub fn counted(count: usize, noun: &str) -> String {
    format!("{count} {noun}{}", if count == 1 { "" } else { "s" })
}

/// The end of a summary line for `warnings`: ", 2 warnings", or nothing.
pub fn warnings_suffix(warnings: &[Diagnostic]) -> String {
    if warnings.is_empty() {
        String::new()
    } else {
        format!(", {}", counted(warnings.len(), "warning"))
    }
}

/// Renders diagnostics for a terminal, with a snippet of the offending line when the
/// file (resolved against `root`) can be read as UTF-8. Each file is read once, however
/// many diagnostics point into it.
pub fn render(diagnostics: &[Diagnostic], root: &Path) -> String {
    let config = term::Config::default();
    let mut files = SimpleFiles::new();
    // The file id of each file read (None: it cannot be read as UTF-8).
    let mut read: HashMap<&Path, Option<usize>> = HashMap::new();
    let mut out = String::new();
    for d in diagnostics {
        let source = match d.line {
            0 => None,
            _ => *read.entry(&d.file).or_insert_with(|| {
                let text = std::fs::read(root.join(&d.file)).ok()?;
                let text = visible_source(String::from_utf8(text).ok()?);
                Some(files.add(
                    terminal_safe(&d.file.display().to_string(), false).into_owned(),
                    text,
                ))
            }),
        };
        let start = source.and_then(|id| {
            let src = files.get(id).ok()?.source();
            let start = offset_of(src, d.line, d.column.max(1))?;
            let end = src[start..]
                .char_indices()
                .nth(1)
                .map_or(src.len(), |(i, _)| start + i)
                .max(start);
            Some((id, start..end))
        });
        let diag = match d.severity {
            Severity::Error => cs::Diagnostic::error(),
            Severity::Warning => cs::Diagnostic::warning(),
        };
        let message = terminal_safe(&d.message, true);
        let diag = match start {
            Some((id, span)) => diag
                .with_message(message)
                .with_labels(vec![cs::Label::primary(id, span)]),
            None => diag.with_message(format!("{}: {message}", location(d))),
        };
        let notes = d
            .hint
            .iter()
            .map(|hint| format!("hint: {}", terminal_safe(hint, true)))
            .collect();
        match term::emit_into_string(&config, &files, &diag.with_notes(notes)) {
            Ok(text) => out.push_str(&text),
            Err(_) => {
                out.push_str(&d.to_string());
                out.push('\n');
            }
        }
    }
    out
}

fn location(d: &Diagnostic) -> String {
    let file = d.file.display().to_string();
    let file = terminal_safe(&file, false);
    match (d.line, d.column) {
        (0, _) => file.into_owned(),
        (l, 0) => format!("{file}:{l}"),
        (l, c) => format!("{file}:{l}:{c}"),
    }
}

/// Why a value with a control character is refused.
pub const UNPRINTABLE_HINT: &str = "remove it: it cannot be seen in the page, and the Atom feed and the sitemap would not be valid XML";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_count_in_the_singular_and_plural() {
        assert_eq!(counted(1, "page"), "1 page");
        assert_eq!(counted(0, "error"), "0 errors");
        assert_eq!(counted(12, "file"), "12 files");
        assert_eq!(warnings_suffix(&[]), "");
        let w = Diagnostic::warning("a.md", "w");
        assert_eq!(warnings_suffix(std::slice::from_ref(&w)), ", 1 warning");
        assert_eq!(warnings_suffix(&[w.clone(), w]), ", 2 warnings");
    }

    #[test]
    fn line_col_counts_lines_and_characters() {
        let text = "ab\nçd\nx";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        assert_eq!(line_col(text, 5), (2, 2), "ç is one character of two bytes");
        assert_eq!(line_col(text, 4), (2, 1), "inside ç clamps back");
        assert_eq!(line_col(text, 999), (3, 2));
    }

    #[test]
    fn offset_of_inverts_line_col() {
        let text = "ab\nçd\nx";
        for off in [0, 1, 3, 5, 6, 7] {
            let (l, c) = line_col(text, off);
            assert_eq!(offset_of(text, l, c), Some(off));
        }
        assert_eq!(offset_of(text, 9, 1), None);
    }

    #[test]
    fn display_is_one_greppable_line() {
        let d = Diagnostic::error("content/a.md", "bad")
            .at(3, 4)
            .with_hint("fix it");
        assert_eq!(d.to_string(), "content/a.md:3:4: error: bad (hint: fix it)");
    }

    #[test]
    fn render_shows_location_message_and_hint() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.md"), "one\ntwo [@x]\n").unwrap();
        let d = Diagnostic::error("a.md", "unknown citation key `x`")
            .at(2, 5)
            .with_hint("did you mean `y`?");
        let text = render(&[d], dir.path());
        assert!(text.contains("a.md:2:5"), "{text}");
        assert!(text.contains("unknown citation key `x`"), "{text}");
        assert!(text.contains("hint: did you mean `y`?"), "{text}");
        assert!(text.contains("two [@x]"), "{text}");
    }

    #[test]
    fn control_characters_from_sources_and_file_names_are_escaped() {
        let dir = tempfile::tempdir().unwrap();
        let name = "a\u{1b}]0;pwned\u{7}.md";
        std::fs::write(
            dir.path().join(name),
            "one\ntwo \u{1b}[2J\u{1b}[31m[@x] \u{202e}gnp.exe\r\n",
        )
        .unwrap();
        let d = Diagnostic::error(name, "unknown key `\u{1b}[31mred\u{9b}`\nsecond line")
            .at(2, 5)
            .with_hint("\u{7}bell");
        let unlocated = Diagnostic::warning("b\nc\u{1b}.md", "w\u{8}");
        let text = render(&[d.clone(), unlocated.clone()], dir.path());
        let shown = format!("{text}{d}\n{unlocated}");
        assert!(
            !shown.chars().any(|c| c.is_control() && c != '\n'),
            "{shown:?}"
        );
        assert!(!shown.contains('\u{202e}'), "{shown:?}");
        assert!(
            text.contains(r"unknown key `\u{1b}[31mred\u{9b}`"),
            "{text}"
        );
        assert!(
            text.contains("second line"),
            "line breaks of messages stay: {text}"
        );
        assert!(text.contains(r"a\u{1b}]0;pwned\u{7}.md:2:5"), "{text}");
        assert!(text.contains(r"b\u{a}c\u{1b}.md"), "{text}");
        assert!(text.contains(r"hint: \u{7}bell"), "{text}");
        assert!(
            text.contains("two ␛[2J␛[31m[@x]"),
            "snippet, same columns: {text}"
        );
        assert!(d.to_string().contains(r"\u{1b}[31m"), "{d}");
    }

    #[test]
    fn unprintable_characters_and_toml_keys_are_found() {
        assert_eq!(unprintable("a\u{1b}b", true), Some('\u{1b}'));
        assert_eq!(unprintable("a\nb\tc", true), None);
        assert_eq!(unprintable("a\nb", false), Some('\n'));
        assert_eq!(unprintable("x\u{202e}y", true), Some('\u{202e}'));
        assert_eq!(unprintable("x\u{ffff}", true), Some('\u{ffff}'));
        assert_eq!(unprintable("ü €", false), None);
        let toml = "title = \"T\"\n  description=\"x\"\ntitles = 1\n";
        assert_eq!(find_key(toml, "title"), Some(0));
        assert_eq!(find_key(toml, "description"), Some(14));
        assert_eq!(find_key(toml, "tags"), None);
    }
}
