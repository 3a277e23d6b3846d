//! Where templates wrote the text behind a problem found in their output: the template
//! that rendered the file, or one it extends, includes or imports. A broken link or an id
//! written twice in `base.html` shows up in every page; it is reported once, at its line in
//! `base.html`, rather than at each template that extends it.

use std::collections::{BTreeMap, VecDeque};
use std::path::PathBuf;

use crate::diag::{Code, Diagnostic, Span};
use crate::load::{Site, TemplateSource};
use crate::render::OutputEntry;

/// One place where a template writes an attribute.
pub(super) struct Written<'s> {
    template: &'s TemplateSource,
    offset: usize,
}

impl Written<'_> {
    /// `templates/base.html:37`, for hints.
    pub(super) fn place(&self) -> String {
        let line = Span::at(&self.template.text, self.offset).line;
        format!("{}:{line}", self.template.file.display())
    }
}

/// Every place where `attr="value"` (or `attr='value'`) is written in the template `name`
/// and the templates it reaches through `extends`, `include` and `import`, in that order
/// (each file's places in text order).
pub(super) fn attribute<'s>(
    templates: &'s [TemplateSource],
    name: &str,
    attr: &str,
    value: &str,
) -> Vec<Written<'s>> {
    find(templates, name, |text| attribute_offsets(text, attr, value))
}

/// The byte offsets of the values where `text` writes `attr="value"` (or with single
/// quotes), in order; `&` may be written as `&amp;`.
pub(super) fn attribute_offsets(text: &str, attr: &str, value: &str) -> Vec<usize> {
    let mut values = vec![value.to_string()];
    if value.contains('&') {
        values.push(value.replace('&', "&amp;"));
    }
    let mut offsets: Vec<usize> = values
        .iter()
        .flat_map(|v| ['"', '\''].map(|q| format!("{attr}={q}{v}{q}")))
        .flat_map(|needle| {
            text.match_indices(&needle)
                .filter(|&(at, _)| follows_space(text, at))
                .map(|(at, _)| at + attr.len() + 2)
                .collect::<Vec<_>>()
        })
        .collect();
    offsets.sort_unstable();
    offsets
}

/// Every place where an `attr` value is written as a template expression followed by
/// `rest`, as in `href="{{ site.base_path }}/about/"` for `rest` = `/about/`.
pub(super) fn attribute_ending<'s>(
    templates: &'s [TemplateSource],
    name: &str,
    attr: &str,
    rest: &str,
) -> Vec<Written<'s>> {
    find(templates, name, |text| {
        let mut offsets: Vec<usize> = ['"', '\'']
            .iter()
            .flat_map(|q| {
                let (opening, ending) = (format!("{attr}={q}"), format!("}}}}{rest}{q}"));
                text.match_indices(&ending)
                    .filter_map(|(end, _)| {
                        // The value this ending closes: opened on the same line, in this tag.
                        let before = &text[..end];
                        let open = before.rfind(&opening)?;
                        let between = &before[open..];
                        (follows_space(text, open) && !between.contains(['>', '\n']))
                            .then_some(open + opening.len())
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        offsets.sort_unstable();
        offsets
    })
}

/// Whether the text at `at` starts an attribute (follows white space), not the end of
/// another one's name (`data-id` for `id`).
fn follows_space(text: &str, at: usize) -> bool {
    text.as_bytes()[..at]
        .last()
        .is_some_and(u8::is_ascii_whitespace)
}

/// The places `offsets_in` finds in each template of `name`'s chain.
fn find<'s>(
    templates: &'s [TemplateSource],
    name: &str,
    offsets_in: impl Fn(&str) -> Vec<usize>,
) -> Vec<Written<'s>> {
    chain(templates, name)
        .into_iter()
        .flat_map(|template| {
            offsets_in(&template.text)
                .into_iter()
                .map(move |offset| Written { template, offset })
        })
        .collect()
}

/// The template `name` and every template it reaches through `extends`, `include` and
/// `import`, each once, in the order first reached.
fn chain<'s>(templates: &'s [TemplateSource], name: &str) -> Vec<&'s TemplateSource> {
    let mut chain: Vec<&TemplateSource> = Vec::new();
    let mut queue = VecDeque::from([name.to_string()]);
    while let Some(name) = queue.pop_front() {
        if chain.iter().any(|t| t.name == name) {
            continue;
        }
        if let Some(template) = templates.iter().find(|t| t.name == name) {
            chain.push(template);
            queue.extend(referenced(&template.text));
        }
    }
    chain
}

/// The template names quoted in a template's `{% extends %}`, `{% include %}` and
/// `{% import %}` tags.
fn referenced(text: &str) -> Vec<String> {
    text.split("{%")
        .skip(1)
        .filter_map(|tag| {
            let tag = tag.split("%}").next()?.trim_start_matches('-').trim_start();
            ["extends", "include", "import"]
                .iter()
                .find_map(|keyword| tag.strip_prefix(keyword))
        })
        .flat_map(quoted)
        .collect()
}

/// The strings between matching quotes in `text`.
fn quoted(text: &str) -> Vec<String> {
    let mut strings = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(['"', '\'']) {
        let quote = &rest[start..=start];
        let after = &rest[start + 1..];
        let Some(end) = after.find(quote) else { break };
        strings.push(after[..end].to_string());
        rest = &after[end + 1..];
    }
    strings
}

/// Problems with text that templates wrote, gathered over the files they show up in and
/// reported once per place: at the place found (by `locate`) in the templates, or else
/// at the file that made the outputs.
#[derive(Default)]
pub(super) struct TemplateProblems {
    /// Each problem as it shows up in one template's outputs → (an output, how many).
    gathered: BTreeMap<Gathered, (String, usize)>,
}

/// A problem as it shows up in the outputs one template made.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct Gathered {
    /// The file that made the outputs (see [`super::made_by`]).
    made_by: PathBuf,
    /// Their template, if a template made them.
    template: Option<String>,
    /// The attribute's value (the id or link).
    value: String,
    /// What is wrong.
    problem: String,
}

impl TemplateProblems {
    /// Records `problem`, with the attribute value `value`, in the output `out`.
    pub(super) fn add(&mut self, out: &OutputEntry, value: &str, problem: String) {
        let template = out.origin.template().map(str::to_string);
        let key = Gathered {
            made_by: super::made_by(out),
            template,
            value: value.to_string(),
            problem,
        };
        self.gathered
            .entry(key)
            .or_insert_with(|| (out.path.clone(), 0))
            .1 += 1;
    }

    /// One diagnostic per place. `locate` picks, in a template's chain, where a value is
    /// written, with an optional second place for the hint; `message` words the problem
    /// given the files it shows up in; each diagnostic is of kind `code`.
    pub(super) fn report<'s>(
        self,
        code: Code,
        site: &'s Site,
        locate: impl Fn(&'s Site, &str, &str) -> Option<(Written<'s>, Option<String>)>,
        message: impl Fn(&str, &str) -> String,
        hint: &str,
    ) -> Vec<Diagnostic> {
        // (file, offset, problem) → (where, second place, an output, how many).
        type Located<'s> = (Written<'s>, Option<String>, String, usize);
        let mut located: BTreeMap<(PathBuf, usize, String), Located<'s>> = BTreeMap::new();
        let mut diags = Vec::new();
        for (g, (example, count)) in self.gathered {
            let Gathered {
                made_by,
                template,
                value,
                problem,
            } = g;
            match template.and_then(|t| locate(site, &t, &value)) {
                Some((at, also)) => {
                    let key = (at.template.file.clone(), at.offset, problem);
                    located.entry(key).or_insert((at, also, example, 0)).3 += count;
                }
                None => diags.push(
                    Diagnostic::new(
                        code,
                        made_by,
                        message(&problem, &super::in_files(&example, count)),
                    )
                    .with_hint(hint),
                ),
            }
        }
        for ((_, _, problem), (at, also, example, count)) in located {
            let hint = match also {
                Some(also) => format!("{hint}; it is also written at {also}"),
                None => hint.to_string(),
            };
            diags.push(
                Diagnostic::new(
                    code,
                    &at.template.file,
                    message(&problem, &super::in_files(&example, count)),
                )
                .at_offset(&at.template.text, at.offset)
                .with_hint(hint),
            );
        }
        diags
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources(named: &[(&str, &str)]) -> Vec<TemplateSource> {
        named
            .iter()
            .map(|(name, text)| TemplateSource {
                name: name.to_string(),
                file: PathBuf::from(format!("templates/{name}")),
                text: text.to_string(),
            })
            .collect()
    }

    #[test]
    fn attributes_are_found_in_the_template_and_those_it_reaches() {
        let templates = sources(&[
            (
                "page.html",
                "{% extends \"base.html\" %}\n<p data-id=\"x\" id='x'>",
            ),
            (
                "base.html",
                "{% include \"nav.html\" %}\n<a href=\"?a=1&amp;b=2\" id=\"x\">",
            ),
            ("nav.html", "<nav id=\"x\">{% include \"page.html\" %}"),
            ("other.html", "<p id=\"x\">"),
        ]);
        let places: Vec<_> = attribute(&templates, "page.html", "id", "x")
            .iter()
            .map(Written::place)
            .collect();
        assert_eq!(
            places,
            [
                "templates/page.html:2",
                "templates/base.html:2",
                "templates/nav.html:1"
            ]
        );
        let links = attribute(&templates, "page.html", "href", "?a=1&b=2");
        assert_eq!(links.len(), 1);
        let templates = sources(&[(
            "page.html",
            "<a href=\"{{ site.base_path }}/a/\">\n<a href='/a/'>\n<a title=\"{{ x }}/a/\">",
        )]);
        let places: Vec<_> = attribute_ending(&templates, "page.html", "href", "/a/")
            .iter()
            .map(|w| (w.place(), w.offset))
            .collect();
        assert_eq!(places, [("templates/page.html:1".to_string(), 9)]);
        assert!(attribute(&templates, "missing.html", "id", "x").is_empty());
    }

    #[test]
    fn referenced_templates_are_read_from_extends_include_and_import_tags() {
        let text = "{% extends \"base.html\" %}{%- include 'nav.html' -%}\
                    {% import \"macros.html\" as m %}{% block x %}{% if a %}\"no.html\"{% endif %}";
        assert_eq!(referenced(text), ["base.html", "nav.html", "macros.html"]);
    }
}
