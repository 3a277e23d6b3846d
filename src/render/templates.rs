//! The tera 2 template engine, loaded from the theme's template sources.

use std::collections::HashMap;
use std::path::PathBuf;

use tera::{Context, ErrorKind, Tera};

use crate::diag::{Code, Diagnostic, Span};
use crate::load::TemplateSource;

/// Compiled templates plus where each came from, for diagnostics.
pub struct Templates {
    tera: Tera,
    files: HashMap<String, PathBuf>,
}

impl Templates {
    /// Compiles every template; syntax errors come back as diagnostics naming file and line.
    pub fn compile(sources: &[TemplateSource]) -> Result<Self, Vec<Diagnostic>> {
        let files: HashMap<String, PathBuf> = sources
            .iter()
            .map(|s| (s.name.clone(), s.file.clone()))
            .collect();
        let mut tera = Tera::new();
        tera.autoescape_on([".html", ".xml"]);
        // Compile one by one first so that every syntax error is reported, not only the first.
        let mut diags = Vec::new();
        for s in sources {
            let mut single = Tera::new();
            if let Err(e) = single.add_raw_template(&s.name, &s.text)
                && matches!(e.kind(), ErrorKind::SyntaxError(_))
            {
                diags.push(to_diagnostic(&e, &files, &s.name));
            }
        }
        if !diags.is_empty() {
            return Err(diags);
        }
        tera.add_raw_templates(sources.iter().map(|s| (s.name.as_str(), s.text.as_str())))
            .map_err(|e| set_errors(&e, sources, &files))?;
        Ok(Self { tera, files })
    }

    /// Renders `name` with `context`.
    pub fn render(&self, name: &str, context: &Context) -> Result<String, Diagnostic> {
        self.render_bytes(name, context, 8 * 1024).and_then(|b| {
            String::from_utf8(b).map_err(|_| {
                Diagnostic::new(
                    Code::TemplateRender,
                    self.file(name),
                    "template output is not UTF-8",
                )
            })
        })
    }

    /// Renders `name` into bytes, reserving `capacity` up front (the expected output size)
    /// so large pages are not copied over and over while they grow.
    pub fn render_bytes(
        &self,
        name: &str,
        context: &Context,
        capacity: usize,
    ) -> Result<Vec<u8>, Diagnostic> {
        let mut out = Vec::with_capacity(capacity);
        self.tera
            .render_to(name, context, &mut out)
            .map_err(|e| to_diagnostic(&e, &self.files, name))?;
        Ok(out)
    }

    fn file(&self, name: &str) -> PathBuf {
        template_file(&self.files, name)
    }

    /// Whether a template of that name exists.
    pub fn has(&self, name: &str) -> bool {
        self.files.contains_key(name)
    }
}

/// The file a template comes from (`templates/<name>` when it is not known).
fn template_file(files: &HashMap<String, PathBuf>, name: &str) -> PathBuf {
    files
        .get(name)
        .cloned()
        .unwrap_or_else(|| PathBuf::from(format!("templates/{name}")))
}

/// Errors tera finds once every template is loaded (an `extends` or `include` of a
/// template that does not exist, templates that include or extend each other in a loop,
/// a block no parent has), each at its file and line.
/// tera reports several at once as one message of `error: …` / ` --> name:line:col`
/// reports; those are read back into one diagnostic each.
fn set_errors(
    e: &tera::Error,
    sources: &[TemplateSource],
    files: &HashMap<String, PathBuf>,
) -> Vec<Diagnostic> {
    const HINT: &str = "add the missing template under templates/ or fix the name";
    let file_of = |name: &str| template_file(files, name);
    match e.kind() {
        ErrorKind::CircularInclude { include_chain, .. } => {
            vec![template_loop(
                include_chain,
                ("include", "include"),
                sources,
                files,
            )]
        }
        ErrorKind::CircularExtend {
            tpl,
            inheritance_chain,
        } => {
            let chain: Vec<String> = std::iter::once(tpl.clone())
                .chain(inheritance_chain.iter().cloned())
                .collect();
            vec![template_loop(&chain, ("extend", "extends"), sources, files)]
        }
        ErrorKind::MissingParent { current, parent } => {
            let d = Diagnostic::new(
                Code::TemplateMissing,
                file_of(current),
                format!("`{current}` extends `{parent}`, which does not exist"),
            )
            .with_hint(HINT);
            vec![at_name(d, sources, current, parent)]
        }
        ErrorKind::Msg(message) => {
            let mut diags = Vec::new();
            let mut lines = message.lines();
            while let Some(line) = lines.next() {
                let Some(what) = line.strip_prefix("error: ") else {
                    continue;
                };
                let place = lines
                    .next()
                    .and_then(|l| l.trim_start().strip_prefix("--> "));
                let Some((name, line, column)) = place.and_then(|p| {
                    let (rest, column) = p.rsplit_once(':')?;
                    let (name, line) = rest.rsplit_once(':')?;
                    Some((name, line.parse().ok()?, column.parse().ok()?))
                }) else {
                    continue;
                };
                // Most of these are unknown templates; the rest unknown filters, tests
                // or functions, which are tera's own.
                let tera_own = ["Unknown filter", "Unknown test", "Unknown function"];
                let hint = if tera_own.iter().any(|k| what.starts_with(k)) {
                    "templates have tera 2's built-in filters, tests and functions (see its documentation); check the name"
                } else {
                    HINT
                };
                let d = Diagnostic::new(
                    Code::TemplateSyntax,
                    file_of(name),
                    format!("template error: {what}"),
                );
                let span = match sources.iter().find(|s| s.name == name) {
                    Some(s) => Span::at_line(&s.text, line, column),
                    None => Span::given(0..0, (line, column), (line, column)),
                };
                diags.push(d.with_span(span).with_hint(hint));
            }
            if diags.is_empty() {
                diags.push(to_diagnostic(e, files, ""));
            }
            diags
        }
        _ => vec![to_diagnostic(e, files, "")],
    }
}

/// Templates that `include` (or `extend`) each other in a loop: tera's `chain` of names
/// ends with the one that closes the loop, which the error points at where the template
/// before it names it. `(verb, tag)`: `("include", "include")` or `("extend", "extends")`.
fn template_loop(
    chain: &[String],
    (verb, tag): (&str, &str),
    sources: &[TemplateSource],
    files: &HashMap<String, PathBuf>,
) -> Diagnostic {
    let (Some(target), Some(closing)) = (chain.last(), chain.len().checked_sub(2)) else {
        return Diagnostic::new(
            Code::TemplateLoop,
            "templates",
            format!("templates {verb} each other in a loop"),
        );
    };
    let closing = &chain[closing];
    let start = chain.iter().position(|n| n == target).unwrap_or(0);
    let message = if closing == target {
        format!("`{target}` {verb}s itself")
    } else {
        let names: Vec<String> = chain[start..].iter().map(|n| format!("`{n}`")).collect();
        format!(
            "templates {verb} each other in a loop: {}",
            names.join(" → ")
        )
    };
    let d = Diagnostic::new(Code::TemplateLoop, template_file(files, closing), message).with_hint(format!(
        "a template cannot {verb} itself, directly or through others: change one of the loop's `{tag}` tags"
    ));
    at_name(d, sources, closing, target)
}

/// `d` placed where template `template` names template `named` (in quotes), if it does.
fn at_name(d: Diagnostic, sources: &[TemplateSource], template: &str, named: &str) -> Diagnostic {
    let source = sources.iter().find(|s| s.name == template);
    match source.and_then(|s| Some((s, find_quoted(&s.text, named)?))) {
        Some((s, at)) => d.at_offset(&s.text, at),
        None => d,
    }
}

/// Byte offset of the first character of `value` where `text` writes it as a quoted
/// string (`"value"` or `'value'`): tera gives no span for a template's name in an
/// `extends` or `include` tag.
fn find_quoted(text: &str, value: &str) -> Option<usize> {
    ['"', '\'']
        .iter()
        .find_map(|q| text.find(&format!("{q}{value}{q}")))
        .map(|at| at + 1)
}

fn to_diagnostic(e: &tera::Error, files: &HashMap<String, PathBuf>, fallback: &str) -> Diagnostic {
    let file_of = |name: &str| template_file(files, name);
    match e.kind() {
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => {
            let name = if r.filename().is_empty() {
                fallback
            } else {
                r.filename()
            };
            // The variables depend on the template rendered (`fallback`), not on the one
            // holding the error (`base.html` for every template extending it): they go in
            // the hint, so that one such error is reported once.
            let (what, hint) = match r.message().split_once(". Available variables: ") {
                Some((what, variables)) if !fallback.is_empty() => (
                    what,
                    format!("`{fallback}` receives {variables}; the README lists the variables each template receives"),
                ),
                _ => (
                    r.message(),
                    "see the tera 2 documentation; the README lists the variables each template receives".into(),
                ),
            };
            Diagnostic::new(
                Code::TemplateRender,
                file_of(name),
                format!("template error: {what}"),
            )
            .with_span(Span::given(
                r.span().range.clone(),
                (r.span().start_line, r.span().start_col + 1),
                (r.span().end_line, r.span().end_col + 1),
            ))
            .with_hint(hint)
        }
        ErrorKind::TemplateNotFound(t) => Diagnostic::new(
            Code::TemplateMissing,
            file_of(fallback),
            format!("template `{t}` not found"),
        )
        .with_hint("add it under templates/ or use one of the built-in templates"),
        _ => Diagnostic::new(
            Code::TemplateRender,
            file_of(fallback),
            format!("template error: {e}"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(name: &str, text: &str) -> TemplateSource {
        TemplateSource {
            name: name.into(),
            file: PathBuf::from(format!("templates/{name}")),
            text: text.into(),
        }
    }

    #[test]
    fn syntax_errors_name_file_and_line() {
        let err = Templates::compile(&[
            source("a.html", "ok\n{{ x }}\n{% if %}\n"),
            source("b.html", "{{ y"),
        ])
        .err()
        .unwrap();
        assert_eq!(err.len(), 2, "{err:?}");
        assert_eq!(err[0].file, PathBuf::from("templates/a.html"));
        assert_eq!(err[0].line(), 3);
        assert_eq!(err[1].file, PathBuf::from("templates/b.html"));
    }

    #[test]
    fn unknown_includes_and_parents_name_file_and_line() {
        let err = Templates::compile(&[
            source(
                "a.html",
                "x\n{% include \"gone.html\" %}\n\n{% include \"lost.html\" %}\n",
            ),
            source("b.html", "fine"),
        ])
        .err()
        .unwrap();
        let found: Vec<_> = err
            .iter()
            .map(|d| (d.file.to_str().unwrap(), d.line(), d.column()))
            .collect();
        assert_eq!(
            found,
            [("templates/a.html", 2, 12), ("templates/a.html", 4, 12)],
            "{err:?}"
        );
        assert!(err[0].message.contains("`gone.html`") && err[1].message.contains("`lost.html`"));
        let err = Templates::compile(&[source("b.html", "\n{% extends \"nowhere.html\" %}")])
            .err()
            .unwrap();
        assert_eq!(err.len(), 1, "{err:?}");
        assert_eq!((err[0].line(), err[0].column()), (2, 13), "{err:?}");
        assert!(err[0].message.contains("`nowhere.html`"), "{err:?}");
    }

    #[test]
    fn unknown_filters_and_functions_are_not_blamed_on_a_missing_template() {
        let err = Templates::compile(&[
            source("a.html", "{% include \"gone.html\" %}"),
            source("b.html", "\n{{ x | nofilter }} {{ nofn() }}"),
        ])
        .err()
        .unwrap();
        let found: Vec<_> = err
            .iter()
            .map(|d| {
                (
                    d.line(),
                    d.message.as_str(),
                    d.hint.as_deref().unwrap_or(""),
                )
            })
            .collect();
        assert_eq!(found.len(), 3, "{err:?}");
        for (line, message, hint) in found {
            assert_eq!(
                hint.contains("add the missing template"),
                message.contains("gone.html"),
                "{line}: {message} ({hint})"
            );
            assert_eq!(line, 1 + usize::from(!message.contains("gone.html")));
        }
    }

    #[test]
    fn template_loops_name_the_statement_that_closes_them() {
        let err = Templates::compile(&[
            source("page.html", "{% include \"a.html\" %}"),
            source("a.html", "x\n{% include \"b.html\" %}"),
            source("b.html", "y\n\n {% include 'a.html' %}"),
        ])
        .err()
        .unwrap();
        assert_eq!(err.len(), 1, "{err:?}");
        assert_eq!(err[0].file, PathBuf::from("templates/b.html"));
        assert_eq!((err[0].line(), err[0].column()), (3, 14), "{err:?}");
        assert_eq!(
            err[0].message,
            "templates include each other in a loop: `a.html` → `b.html` → `a.html`"
        );
        let err = Templates::compile(&[source("self.html", "\n{% include \"self.html\" %}")])
            .err()
            .unwrap();
        assert_eq!(err[0].message, "`self.html` includes itself", "{err:?}");
        assert_eq!((err[0].line(), err[0].column()), (2, 13), "{err:?}");
        let err = Templates::compile(&[
            source("a.html", "{% extends \"b.html\" %}"),
            source("b.html", "\n{% extends \"a.html\" %}"),
        ])
        .err()
        .unwrap();
        assert_eq!(err.len(), 1, "{err:?}");
        assert!(
            err[0]
                .message
                .starts_with("templates extend each other in a loop: "),
            "{err:?}"
        );
        let (file, line) = (err[0].file.to_str().unwrap(), err[0].line());
        assert!(
            [("templates/a.html", 1), ("templates/b.html", 2)].contains(&(file, line)),
            "{err:?}"
        );
    }

    #[test]
    fn rendering_errors_name_file_and_line() {
        let t = Templates::compile(&[source("a.html", "x\n{{ missing.field }}")]).unwrap();
        let err = t.render("a.html", &Context::new()).unwrap_err();
        assert_eq!(err.file, PathBuf::from("templates/a.html"));
        assert_eq!(err.line(), 2, "{err}");
    }
}
