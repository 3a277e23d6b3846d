//! The human format: each diagnostic with a snippet of its source (codespan-reporting),
//! its secondary labels and its hint.

use std::collections::HashMap;
use std::path::Path;

use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term;

use super::safe::visible_source;
use super::{Diagnostic, Severity, location, offset_of, terminal_safe};

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
        let source = match d.span {
            None => None,
            Some(_) => *read.entry(&d.file).or_insert_with(|| {
                let text = std::fs::read(root.join(&d.file)).ok()?;
                let text = visible_source(String::from_utf8(text).ok()?);
                Some(files.add(
                    terminal_safe(&d.file.display().to_string(), false).into_owned(),
                    text,
                ))
            }),
        };
        // The range shown: from the span's line and column (a span a parser gave may
        // not carry byte offsets), as long as the span, and at least one character; a
        // place past the end of the file as it is now (it changed since) is not shown.
        let range = |id: usize, span: &super::Span| {
            let src = files.get(id).ok()?.source();
            let start = offset_of(src, span.line, span.column.max(1))?;
            let first = src[start..].chars().next().map_or(0, char::len_utf8);
            let mut end = (start + (span.end - span.start).max(first)).min(src.len());
            while !src.is_char_boundary(end) {
                end -= 1;
            }
            Some(start..end)
        };
        let diag = match d.severity {
            Severity::Error => cs::Diagnostic::error(),
            Severity::Warning => cs::Diagnostic::warning(),
        };
        let message = terminal_safe(&d.message, true);
        let primary = source
            .zip(d.span.as_ref())
            .and_then(|(id, s)| Some((id, range(id, s)?)));
        let diag = match primary {
            Some((id, at)) => {
                let mut labels = vec![cs::Label::primary(id, at)];
                labels.extend(d.labels.iter().filter_map(|l| {
                    Some(
                        cs::Label::secondary(id, range(id, &l.span)?)
                            .with_message(terminal_safe(&l.message, false)),
                    )
                }));
                diag.with_message(message).with_labels(labels)
            }
            _ => diag.with_message(format!("{}: {message}", location(d))),
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
