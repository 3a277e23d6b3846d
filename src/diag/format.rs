//! The machine-readable formats of `--message-format`: one line per diagnostic (`short`),
//! JSON lines (`json`, its schema in docs/diagnostics.md) and GitHub Actions workflow
//! commands (`github`). The human format is [`super::render`].

use serde_json::{Value, json};

use super::{Diagnostic, Label, Span};

/// How the command line prints diagnostics (`--message-format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageFormat {
    /// Source snippets for a person at a terminal (codespan-reporting).
    Human,
    /// One greppable `file:line:col: severity: message (hint: …)` line each.
    Short,
    /// One JSON object per line per diagnostic, then a summary object.
    Json,
    /// GitHub Actions workflow commands (`::error file=…::message`).
    Github,
}

fn span_json(span: &Span) -> Value {
    json!({
        "start": span.start,
        "end": span.end,
        "line": span.line,
        "column": span.column,
        "end_line": span.end_line,
        "end_column": span.end_column,
    })
}

fn label_json(label: &Label) -> Value {
    json!({ "message": label.message, "span": span_json(&label.span) })
}

/// One diagnostic as one line of JSON (no line break), in the documented shape.
pub fn json_line(d: &Diagnostic) -> String {
    let value = json!({
        "type": "diagnostic",
        "severity": d.severity.name(),
        "code": d.code.code(),
        "slug": d.code.slug(),
        "message": d.message,
        "file": d.file.to_string_lossy(),
        "span": d.span.as_deref().map(span_json),
        "labels": d.labels.iter().map(label_json).collect::<Vec<_>>(),
        "hints": d.hint.iter().collect::<Vec<_>>(),
    });
    value.to_string()
}

/// The last line of the `json` format: how many errors and warnings there were.
pub fn json_summary(diagnostics: &[Diagnostic]) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    json!({
        "type": "summary",
        "errors": errors,
        "warnings": diagnostics.len() - errors,
    })
    .to_string()
}

/// Escapes the message of a workflow command: `%`, CR and LF.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property of a workflow command: as data, plus `:` and `,`.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// One diagnostic as a GitHub Actions workflow command (no line break), so that it is
/// shown as an annotation on the file and line: `::error file=…,line=…,col=…,
/// endLine=…,endColumn=…,title=E0701 broken-link::message`, the hint on a line of its own.
pub fn github_line(d: &Diagnostic) -> String {
    let mut properties = vec![format!(
        "file={}",
        escape_property(&d.file.to_string_lossy())
    )];
    if let Some(s) = &d.span {
        properties.push(format!("line={}", s.line));
        properties.push(format!("col={}", s.column));
        properties.push(format!("endLine={}", s.end_line));
        properties.push(format!("endColumn={}", s.end_column));
    }
    properties.push(format!(
        "title={}",
        escape_property(&format!("{} {}", d.code.code(), d.code.slug()))
    ));
    let mut message = d.message.clone();
    for label in &d.labels {
        message.push_str(&format!(
            "\n{}:{}: {}",
            label.span.line, label.span.column, label.message
        ));
    }
    if let Some(hint) = &d.hint {
        message.push_str("\nhint: ");
        message.push_str(hint);
    }
    format!(
        "::{} {}::{}",
        d.severity.name(),
        properties.join(","),
        escape_data(&message)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Code;

    #[test]
    fn github_commands_escape_data_and_properties() {
        let text = "a\nb, c: [d](x%y)\n";
        let d = Diagnostic::new(Code::BrokenLink, "content/a,b:c.md", "100% broken\r\nlink")
            .at(text, 5..15)
            .with_label(text, 0..1, "see here")
            .with_hint("fix it");
        assert_eq!(
            github_line(&d),
            "::error file=content/a%2Cb%3Ac.md,line=2,col=4,endLine=2,endColumn=14,\
             title=E0701 broken-link::100%25 broken%0D%0Alink%0A1:1: see here%0Ahint: fix it"
        );
        let w = Diagnostic::new(Code::UncitedReference, "references.bib", "never cited");
        assert_eq!(
            github_line(&w),
            "::warning file=references.bib,title=W0401 uncited-reference::never cited"
        );
    }

    #[test]
    fn json_lines_hold_code_span_labels_and_hints() {
        let text = "ab\ncd";
        let d = Diagnostic::new(Code::DuplicateTerm, "g.toml", "twice")
            .at(text, 3..5)
            .with_label(text, 0..2, "first defined here");
        let v: Value = serde_json::from_str(&json_line(&d)).unwrap();
        assert_eq!(v["code"], "E0502");
        assert_eq!(v["slug"], "duplicate-term");
        assert_eq!(v["severity"], "error");
        assert_eq!(v["span"]["line"], 2);
        assert_eq!(v["span"]["end_column"], 3);
        assert_eq!(v["labels"][0]["span"]["start"], 0);
        assert_eq!(v["labels"][0]["message"], "first defined here");
        assert_eq!(v["hints"], json!([]));
        let s: Value = serde_json::from_str(&json_summary(&[d])).unwrap();
        assert_eq!(s, json!({"type": "summary", "errors": 1, "warnings": 0}));
    }
}
