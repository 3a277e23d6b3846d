//! Splitting a Markdown file into TOML front matter and body, and parsing the front matter.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::config::{Config, PageKind};
use crate::diag::{Code, Diagnostic, Span, TomlSpans, UNPRINTABLE_HINT};

/// A drug a monograph covers.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Drug {
    /// International non-proprietary name: the drug's identifier (its index page's URL),
    /// the same in every language.
    pub generic: String,
    /// The name as the page's language writes it (a translation's `拉莫三嗪`), shown
    /// instead of the generic name; the generic name when not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Brand names, for search and display.
    #[serde(default)]
    pub brands: Vec<String>,
}

impl Drug {
    /// The name to show: [`Drug::name`], else the generic name.
    pub fn shown_name(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.generic)
    }

    /// The drug as templates see it: `name` always set.
    pub fn for_templates(&self) -> Drug {
        Drug {
            name: Some(self.shown_name().to_string()),
            ..self.clone()
        }
    }
}

/// Everything a page may declare in its front matter. Unknown keys are errors.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    /// Page title.
    pub title: String,
    /// One sentence for search results and link previews.
    #[serde(default)]
    pub description: Option<String>,
    /// Page kind (`page`, `monograph`, `overview`).
    #[serde(default)]
    pub kind: PageKind,
    /// Date of the last clinical review.
    #[serde(default)]
    pub last_reviewed: Option<toml::value::Datetime>,
    /// Drug class (monographs).
    #[serde(default)]
    pub drug_class: Option<String>,
    /// Drugs covered (monographs).
    #[serde(default)]
    pub drugs: Vec<Drug>,
    /// Free tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Old URLs that must keep working (redirect pages are written there).
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Sort key within a section, lower first.
    #[serde(default)]
    pub weight: Option<i64>,
    /// Template to render the page with, instead of the default.
    #[serde(default)]
    pub template: Option<String>,
    /// In a translation: the `last_reviewed` of the page it translates, as it was when the
    /// translation was made or last brought in step (`check` warns when the source has
    /// been reviewed since).
    #[serde(default)]
    pub source_reviewed: Option<toml::value::Datetime>,
}

/// The error for a page whose `kind` is neither built in nor declared in `config.toml`,
/// at the kind's value in `front_matter` (the file's text up to its closing `+++`). A
/// misspelt kind must not silently switch its rules off.
pub fn undeclared_kind(
    file: &Path,
    front_matter: &str,
    kind: &PageKind,
    config: &Config,
) -> Option<Diagnostic> {
    if config.knows_kind(kind) {
        return None;
    }
    let name = kind.name();
    let known = config.kind_names();
    let hint = match crate::text::suggest::closest(name, known.iter().copied()) {
        Some(near) => format!("did you mean `{near}`?"),
        None => format!(
            "use one of {}, or declare `[kinds.{name}]` in config.toml",
            known.join(", ")
        ),
    };
    Some(
        at_value(
            Diagnostic::new(
                Code::UnknownKind,
                file,
                format!("unknown page kind `{name}`"),
            ),
            front_matter,
            &["kind"],
        )
        .with_hint(hint),
    )
}

/// The span, in the page's file, of the front matter value at `path` (see
/// [`TomlSpans::value`]); `front_matter` is the file's text up to and including the
/// closing `+++` line ([`crate::load::Page::front_matter`]).
pub fn value_span(front_matter: &str, path: &[&str]) -> Option<Span> {
    let start = front_matter.find('\n')? + 1;
    let inner = front_matter[..front_matter.len() - 1]
        .rfind('\n')
        .filter(|&end| end + 1 >= start)
        .map_or("", |end| &front_matter[start..end + 1]);
    let range = TomlSpans::parse(inner)?.value(path)?;
    Some(Span::new(
        front_matter,
        start + range.start..start + range.end,
    ))
}

/// `d` placed at the front matter value at `path`, if the front matter writes it.
pub fn at_value(d: Diagnostic, front_matter: &str, path: &[&str]) -> Diagnostic {
    match value_span(front_matter, path) {
        Some(span) => d.with_span(span),
        None => d,
    }
}

/// A Markdown file split into its parsed front matter and its body.
#[derive(Debug, Clone)]
pub struct Split<'a> {
    /// The parsed front matter.
    pub front_matter: FrontMatter,
    /// The Markdown after the closing `+++`.
    pub body: &'a str,
    /// Byte offset of `body` within the whole file.
    pub body_offset: usize,
}

const DELIMITER: &str = "+++";

/// Splits `text` (the whole file) at its `+++` front matter and parses it.
/// `file` is the display path used in diagnostics.
pub fn split<'t>(file: &Path, text: &'t str) -> Result<Split<'t>, Diagnostic> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut lines = LineIter::new(text, start);
    let first = lines.next();
    if first.map(|(_, _, l)| l.trim_end()) != Some(DELIMITER) {
        return Err(Diagnostic::new(Code::FrontMatterMissing, file, "missing front matter")
            .at_offset(text, 0)
            .with_hint("start the file with a `+++` line, then at least `title = \"...\"`, then a closing `+++` line"));
    }
    let fm_start = first.map_or(start, |(_, end, _)| end);
    for (line_start, line_end, line) in lines.by_ref() {
        if line.trim_end() == DELIMITER {
            let fm_text = &text[fm_start..line_start];
            let front_matter = parse_front_matter(file, text, fm_start, fm_text)?;
            let body_offset = line_end.min(text.len());
            return Ok(Split {
                front_matter,
                body: &text[body_offset..],
                body_offset,
            });
        }
    }
    Err(Diagnostic::new(
        Code::FrontMatterMissing,
        file,
        "front matter is never closed",
    )
    .at_offset(text, 0)
    .with_hint("add a line containing only `+++` after the front matter"))
}

fn parse_front_matter(
    file: &Path,
    whole: &str,
    fm_start: usize,
    fm_text: &str,
) -> Result<FrontMatter, Diagnostic> {
    let fm_text = fm_text.trim_end_matches(['\n', '\r']);
    let front_matter = toml::from_str::<FrontMatter>(fm_text).map_err(|e| {
        let span = e.span().map_or(0..0, |s| fm_start + s.start..fm_start + s.end);
        let message = e.message().trim().to_string();
        let hint = if message.contains("unknown field") {
            "allowed keys: title, description, kind, last_reviewed, drug_class, drugs, tags, aliases, weight, template, source_reviewed"
        } else if message.contains("missing field `title`") {
            "every page needs `title = \"...\"`"
        } else {
            "front matter is TOML: `key = \"value\"`, dates as 2026-01-31, lists as [\"a\", \"b\"]"
        };
        Diagnostic::new(Code::FrontMatterInvalid, file, format!("invalid front matter: {message}"))
            .at(whole, span)
            .with_hint(hint)
    })?;
    let spans = TomlSpans::parse(fm_text);
    let place = |d: Diagnostic, key: &str| match spans.as_ref().and_then(|s| s.value(&[key])) {
        Some(at) => d.at(whole, fm_start + at.start..fm_start + at.end),
        None => d.at_offset(whole, fm_start),
    };
    if front_matter.title.trim().is_empty() {
        let d = Diagnostic::new(Code::FrontMatterValue, file, "`title` is empty");
        return Err(place(d, "title")
            .with_hint("the title is the page's heading and its name in menus, search and tabs"));
    }
    if let Some((key, c)) = unprintable_value(&front_matter) {
        let d = Diagnostic::new(
            Code::FrontMatterValue,
            file,
            format!(
                "`{key}` contains the control character U+{:04X}",
                u32::from(c)
            ),
        );
        return Err(place(d, key).with_hint(UNPRINTABLE_HINT));
    }
    Ok(front_matter)
}

/// The first published text value with a character a page or XML cannot show (see
/// [`crate::diag::unprintable`]; a description may have line breaks and tabs).
fn unprintable_value(fm: &FrontMatter) -> Option<(&'static str, char)> {
    let one_line =
        |key: &'static str, text: &str| Some((key, crate::diag::unprintable(text, false)?));
    one_line("title", &fm.title)
        .or_else(|| {
            Some((
                "description",
                crate::diag::unprintable(fm.description.as_deref()?, true)?,
            ))
        })
        .or_else(|| one_line("drug_class", fm.drug_class.as_deref()?))
        .or_else(|| {
            fm.drugs
                .iter()
                .flat_map(|d| std::iter::once(&d.generic).chain(&d.brands))
                .find_map(|t| one_line("drugs", t))
        })
        .or_else(|| fm.tags.iter().find_map(|t| one_line("tags", t)))
}

/// Iterates over lines, yielding (start offset, offset just past the `\n`, line without `\n`).
struct LineIter<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> LineIter<'a> {
    fn new(text: &'a str, pos: usize) -> Self {
        Self { text, pos }
    }
}

impl<'a> Iterator for LineIter<'a> {
    type Item = (usize, usize, &'a str);
    fn next(&mut self) -> Option<Self::Item> {
        if self.pos >= self.text.len() {
            return None;
        }
        let rest = &self.text[self.pos..];
        let (line, consumed) = match rest.find('\n') {
            Some(i) => (&rest[..i], i + 1),
            None => (rest, rest.len()),
        };
        let start = self.pos;
        self.pos += consumed;
        Some((start, self.pos, line))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split_str(text: &str) -> Result<Split<'_>, Diagnostic> {
        split(Path::new("a.md"), text)
    }

    #[test]
    fn splits_front_matter_and_body() {
        let s = split_str("+++\ntitle = \"T\"\n+++\n# Body\n").unwrap();
        assert_eq!(s.front_matter.title, "T");
        assert_eq!(s.body, "# Body\n");
        assert_eq!(s.body_offset, 20);
    }

    #[test]
    fn crlf_and_bom_are_accepted() {
        let s = split_str("\u{feff}+++\r\ntitle = \"T\"\r\n+++\r\nx").unwrap();
        assert_eq!(s.front_matter.title, "T");
        assert_eq!(s.body, "x");
    }

    #[test]
    fn file_that_is_only_front_matter_has_empty_body() {
        let s = split_str("+++\ntitle = \"T\"\n+++").unwrap();
        assert_eq!(s.body, "");
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        let e = split_str("+++\ntitle = \"T\"\n").unwrap_err();
        assert!(e.message.contains("never closed"));
    }

    #[test]
    fn missing_and_empty() {
        assert!(
            split_str("")
                .unwrap_err()
                .message
                .contains("missing front matter")
        );
        assert!(
            split_str("# hi")
                .unwrap_err()
                .message
                .contains("missing front matter")
        );
    }

    #[test]
    fn unknown_key_points_at_its_line() {
        let e = split_str("+++\ntitle = \"T\"\nauthor = \"X\"\n+++\n").unwrap_err();
        assert_eq!(e.line(), 3, "{e}");
        assert!(e.message.contains("author"), "{e}");
        assert!(e.hint.unwrap().contains("allowed keys"));
    }

    #[test]
    fn invalid_toml_points_at_its_line() {
        let e = split_str("+++\ntitle = \"T\"\nweight = = 3\n+++\n").unwrap_err();
        assert_eq!(e.line(), 3, "{e}");
    }

    #[test]
    fn missing_title_is_reported() {
        let e = split_str("+++\nweight = 3\n+++\n").unwrap_err();
        assert!(e.message.contains("title"), "{e}");
    }

    #[test]
    fn an_undeclared_kind_is_located_at_its_value_whatever_the_line_endings() {
        let config = Config::parse(
            Path::new("config.toml"),
            "title='t'\nbase_url='/'\n[kinds.bedside]\n",
        )
        .unwrap();
        for nl in ["\n", "\r\n"] {
            let text = format!(
                "+++{nl}title = \"Réaction – première ligne\"{nl}kind = 'bedsdie'{nl}+++{nl}"
            );
            let split = split_str(&text).unwrap();
            let kind = &split.front_matter.kind;
            let d = undeclared_kind(Path::new("a.md"), &text, kind, &config).unwrap();
            assert_eq!((d.line(), d.column()), (3, 9), "{nl:?}: {d}");
            assert_eq!(d.hint.as_deref(), Some("did you mean `bedside`?"));
        }
        let declared = split_str("+++\ntitle = \"T\"\nkind = \"bedside\"\n+++\n").unwrap();
        let kind = &declared.front_matter.kind;
        assert!(undeclared_kind(Path::new("a.md"), "", kind, &config).is_none());
    }

    #[test]
    fn empty_title_is_reported_at_it() {
        let e = split_str("+++\nweight = 3\ntitle = \"  \"\n+++\n").unwrap_err();
        assert_eq!(
            (e.line(), e.column(), e.message.as_str()),
            (3, 10, "`title` is empty")
        );
    }

    #[test]
    fn a_control_character_in_a_published_value_is_refused_at_its_line() {
        for (text, key, line) in [
            ("+++\ntitle = \"A\\u0008B\"\n+++\n", "title", 2),
            (
                "+++\ntitle = \"T\"\n\ndescription = \"x\\u001b[2Jy\"\n+++\n",
                "description",
                4,
            ),
            (
                "+++\ntitle = \"T\"\ntags = [\"a\", \"b\\u0000\"]\n+++\n",
                "tags",
                3,
            ),
            (
                "+++\ntitle = \"T\"\ndrugs = [{ generic = \"x\", brands = [\"\\uFFFF\"] }]\n+++\n",
                "drugs",
                3,
            ),
            ("+++\ntitle = \"T\\nU\"\n+++\n", "title", 2),
        ] {
            let e = split_str(text).unwrap_err();
            assert_eq!(e.line(), line, "{text}: {e}");
            assert!(
                e.message
                    .starts_with(&format!("`{key}` contains the control character U+")),
                "{e}"
            );
            assert_eq!(e.hint.as_deref(), Some(UNPRINTABLE_HINT));
        }
        let ok = split_str("+++\ntitle = \"Ü – ok\"\ndescription = \"\"\"two\nlines\"\"\"\n+++\n");
        assert!(ok.is_ok(), "{ok:?}");
    }
}
