//! Diagnostics: typed problems found by any pipeline stage, rendered in one place.
//!
//! Stages never print. They return [`Diagnostic`] values carrying a stable [`Code`], the
//! file, the byte [`Span`] a parser gave for the problem (plus secondary [`Label`]s, such
//! as the first of two definitions), a message and an optional hint. Lines and columns are
//! derived from a span in one place, [`Span::new`]; the command layer prints diagnostics
//! in one of the [`MessageFormat`]s: codespan-reporting snippets ([`render`]), one line
//! each, JSON lines or GitHub Actions workflow commands ([`format`](mod@format)).

mod cap;
mod code;
pub mod format;
mod render;
mod safe;
mod toml_spans;

pub use cap::{Cap, MAX_ERRORS_PER_PAGE};
pub use code::Code;
pub use format::MessageFormat;
pub use render::render;
pub use safe::{terminal_safe, unprintable};
pub use toml_spans::TomlSpans;

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// How serious a diagnostic is. Errors fail the build; warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The build cannot produce a correct site.
    Error,
    /// Worth fixing, but the site is still correct.
    Warning,
}

impl Severity {
    /// `error` or `warning`.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A byte range of a file, with the 1-based line and column (in characters) of its start
/// and end, derived from the file's text when the span is made.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset just past the last byte (`start` for an empty span).
    pub end: usize,
    /// 1-based line of `start`.
    pub line: usize,
    /// 1-based column of `start`, in characters.
    pub column: usize,
    /// 1-based line of `end`.
    pub end_line: usize,
    /// 1-based column of `end`, in characters.
    pub end_column: usize,
}

impl Span {
    /// The span `range` of `text` (the full text of the file), clamped to the text and to
    /// character boundaries. The one place lines and columns are computed.
    pub fn new(text: &str, range: Range<usize>) -> Span {
        let start = floor_char(text, range.start);
        let end = floor_char(text, range.end).max(start);
        let (line, column) = line_col(text, start);
        let (end_line, end_column) = line_col(text, end);
        Span {
            start,
            end,
            line,
            column,
            end_line,
            end_column,
        }
    }

    /// The one character of `text` at byte `offset` (empty at the end of the text).
    pub fn at(text: &str, offset: usize) -> Span {
        let start = floor_char(text, offset);
        let end = text[start..]
            .chars()
            .next()
            .map_or(start, |c| start + c.len_utf8());
        Span::new(text, start..end)
    }

    /// The character at a 1-based line and column a parser reported (e.g. tera, which
    /// gives no byte offsets); the end of the text when the position is past it.
    pub fn at_line(text: &str, line: usize, column: usize) -> Span {
        Span::at(
            text,
            offset_of(text, line, column.max(1)).unwrap_or(text.len()),
        )
    }

    /// A span whose lines and columns its parser gave (tera reports both), for text that
    /// is not at hand.
    pub fn given(
        range: Range<usize>,
        (line, column): (usize, usize),
        (end_line, end_column): (usize, usize),
    ) -> Span {
        Span {
            start: range.start,
            end: range.end.max(range.start),
            line,
            column,
            end_line,
            end_column,
        }
    }
}

/// A secondary place of a diagnostic, in the same file: "first defined here".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// Where.
    pub span: Span,
    /// What is there.
    pub message: String,
}

/// One problem, located in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning (set by the code).
    pub severity: Severity,
    /// What kind of problem this is.
    pub code: Code,
    /// The file the problem is in, as shown to the user (relative to the site root when possible).
    pub file: PathBuf,
    /// Where in the file; `None` when the problem concerns the whole file. (Boxed: a
    /// diagnostic is the error type of many functions, and stays small.)
    pub span: Option<Box<Span>>,
    /// Other places in the same file that explain the problem.
    pub labels: Vec<Label>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// A diagnostic of kind `code` about `file` as a whole; its severity is the code's.
    pub fn new(code: Code, file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self {
            severity: code.severity(),
            code,
            file: file.into(),
            span: None,
            labels: Vec::new(),
            message: message.into(),
            hint: None,
        }
    }

    /// A file that could not be read (it vanished, or permissions forbid it).
    pub fn cannot_read(file: impl Into<PathBuf>, err: &std::io::Error) -> Self {
        Self::new(Code::CannotRead, file, format!("cannot read file: {err}"))
            .with_hint("check that the file still exists and is readable")
    }

    /// Places the diagnostic at a span.
    pub fn with_span(mut self, span: Span) -> Self {
        self.span = Some(Box::new(span));
        self
    }

    /// Places the diagnostic at the byte range `range` of `text` (the full text of
    /// `self.file`), as a parser gave it.
    pub fn at(self, text: &str, range: Range<usize>) -> Self {
        self.with_span(Span::new(text, range))
    }

    /// Places the diagnostic at the character at byte `offset` of `text` (the full text of
    /// `self.file`), for a problem that starts there.
    pub fn at_offset(self, text: &str, offset: usize) -> Self {
        self.with_span(Span::at(text, offset))
    }

    /// Adds a secondary label at `range` of `text`: another place that explains the
    /// problem, such as the first of two definitions.
    pub fn with_label(
        mut self,
        text: &str,
        range: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        self.labels.push(Label {
            span: Span::new(text, range),
            message: message.into(),
        });
        self
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

    /// 1-based line of the start of the span; 0 when the problem concerns the whole file.
    pub fn line(&self) -> usize {
        self.span.as_ref().map_or(0, |s| s.line)
    }

    /// 1-based column (in characters) of the start of the span; 0 when there is none.
    pub fn column(&self) -> usize {
        self.span.as_ref().map_or(0, |s| s.column)
    }
}

impl fmt::Display for Diagnostic {
    /// One line, `file:line:col: error: message (line:col: label) (hint: ...)`, for logs
    /// and tests; a secondary label is given with its place in the same file.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}: {}",
            location(self),
            self.severity.name(),
            terminal_safe(&self.message, true)
        )?;
        for label in &self.labels {
            write!(
                f,
                " ({}:{}: {})",
                label.span.line,
                label.span.column,
                terminal_safe(&label.message, true)
            )?;
        }
        if let Some(hint) = &self.hint {
            write!(f, " (hint: {})", terminal_safe(hint, true))?;
        }
        Ok(())
    }
}

/// `file:line:col`, `file:line` or `file`, terminal-safe.
fn location(d: &Diagnostic) -> String {
    let file = d.file.display().to_string();
    let file = terminal_safe(&file, false);
    match d.span.as_deref() {
        None => file.into_owned(),
        Some(s) => format!("{file}:{}:{}", s.line, s.column),
    }
}

/// `offset` moved back to a character boundary of `text`, and into it.
fn floor_char(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Converts a byte offset into a 1-based (line, column) pair; the column counts characters.
/// Offsets past the end, or inside a multi-byte character, are clamped.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..floor_char(text, offset)];
    let line = memchr::memchr_iter(b'\n', before.as_bytes()).count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
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
    fn key(d: &Diagnostic) -> (&Path, Option<usize>, Severity, &str) {
        (
            &d.file,
            d.span.as_ref().map(|s| s.start),
            d.severity,
            &d.message,
        )
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
        let w = Diagnostic::new(Code::UncitedReference, "a.md", "w");
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
        let d = Diagnostic::new(Code::BrokenLink, "content/a.md", "bad")
            .at_offset("1\n2\nabcd", 7)
            .with_hint("fix it");
        assert_eq!(d.to_string(), "content/a.md:3:4: error: bad (hint: fix it)");
    }

    #[test]
    fn render_shows_location_message_and_hint() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.md"), "one\ntwo [@x]\n").unwrap();
        let d = Diagnostic::new(Code::UnknownCitation, "a.md", "unknown citation key `x`")
            .at_offset("one\ntwo [@x]\n", 8)
            .with_hint("did you mean `y`?");
        let text = render(&[d], dir.path());
        assert!(text.contains("a.md:2:5"), "{text}");
        assert!(text.contains("unknown citation key `x`"), "{text}");
        assert!(text.contains("hint: did you mean `y`?"), "{text}");
        assert!(text.contains("two [@x]"), "{text}");
    }

    #[test]
    fn spans_know_their_lines_and_columns() {
        let text = "ab\nçd\nx";
        let s = Span::new(text, 3..6);
        assert_eq!((s.line, s.column, s.end_line, s.end_column), (2, 1, 2, 3));
        assert_eq!(Span::at(text, 3).end, 5, "one character, ç");
        assert_eq!(Span::at(text, 4).start, 3, "inside ç clamps back");
        assert_eq!(
            (Span::at(text, 99).start, Span::at(text, 99).end),
            (8, 8),
            "past the end: the end"
        );
        assert_eq!(Span::at_line(text, 2, 2).start, 5);
    }

    #[test]
    fn render_shows_secondary_labels() {
        let dir = tempfile::tempdir().unwrap();
        let text = "[^n]: one\n\n[^n]: two\n";
        std::fs::write(dir.path().join("a.md"), text).unwrap();
        let d = Diagnostic::new(Code::DuplicateFootnote, "a.md", "defined twice")
            .at_offset(text, 11)
            .with_label(text, 0..4, "first defined here");
        let shown = render(&[d], dir.path());
        assert!(shown.contains("a.md:3:1"), "{shown}");
        assert!(shown.contains("first defined here"), "{shown}");
        assert!(shown.contains("[^n]: one"), "{shown}");
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
        let d = Diagnostic::new(
            Code::UnknownCitation,
            name,
            "unknown key `\u{1b}[31mred\u{9b}`\nsecond line",
        )
        .with_span(Span::given(8..9, (2, 5), (2, 6)))
        .with_hint("\u{7}bell");
        let unlocated = Diagnostic::new(Code::UncitedReference, "b\nc\u{1b}.md", "w\u{8}");
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
    fn unprintable_characters_are_found() {
        assert_eq!(unprintable("a\u{1b}b", true), Some('\u{1b}'));
        assert_eq!(unprintable("a\nb\tc", true), None);
        assert_eq!(unprintable("a\nb", false), Some('\n'));
        assert_eq!(unprintable("x\u{202e}y", true), Some('\u{202e}'));
        assert_eq!(unprintable("x\u{ffff}", true), Some('\u{ffff}'));
        assert_eq!(unprintable("ü €", false), None);
    }
}
