//! Loading and validating `content/references.bib` (BibTeX as Zotero and PubMed export it).
//!
//! The file is read with the `biblatex` crate's raw parser, which keeps source spans, so
//! every problem is reported at a line and column: syntax errors, duplicate keys, keys that
//! cannot be cited, entries without a DOI or PMID, malformed identifiers. Each entry is then
//! converted to a hayagriva entry and formatted in AMA style.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::panic::catch_unwind;
use std::path::Path;

use biblatex::{
    Chunk, ParseError, ParseErrorKind, RawBibliography, RawChunk, RawEntry, Spanned, Token,
};

use super::Entry;
use super::format::Csl;
use super::label::is_key_char;
use crate::diag::{Code, Diagnostic, Span};

mod identifiers;
mod record;

use identifiers::pubmed_eprint;
#[cfg(test)]
pub(crate) use identifiers::{is_valid_doi, is_valid_pmid, normalize_doi};
use record::record;

/// Fields that hold an ISO 8601 date (or a range of two).
const DATE_FIELDS: [&str; 4] = ["date", "urldate", "origdate", "eventdate"];

/// Whether `value` is `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, or two of them joined by `/`.
fn is_date(value: &str) -> bool {
    let one = |d: &str| {
        let mut parts = d.split('-');
        let year = parts.next().unwrap_or_default();
        let numbers: Vec<&str> = parts.collect();
        let in_range = |text: &str, max: u32| {
            text.len() == 2
                && text.bytes().all(|b| b.is_ascii_digit())
                && (1..=max).contains(&text.parse().unwrap_or(0))
        };
        year.len() == 4
            && year.bytes().all(|b| b.is_ascii_digit())
            && match numbers.as_slice() {
                [] => true,
                [month] => in_range(month, 12),
                [month, day] => in_range(month, 12) && in_range(day, 31),
                _ => false,
            }
    };
    match value.trim().split_once('/') {
        Some((from, to)) => one(from) && one(to),
        None => one(value.trim()),
    }
}

/// The text of a field written without `@string` abbreviations, if it is.
fn normal_text(field: &[Spanned<RawChunk<'_>>]) -> Option<String> {
    field
        .iter()
        .map(|chunk| match chunk.v {
            RawChunk::Normal(text) => Some(text),
            RawChunk::Abbreviation(_) => None,
        })
        .collect()
}

const SYNTAX_HINT: &str =
    "BibTeX entries look like `@article{key, author = {…}, title = {…}, doi = {10.…}}`";

/// Parses and validates a bibliography, formatting every entry that can be formatted: in
/// AMA, and in each of `styles` (CSL style names the config has checked).
pub(crate) fn load(
    file: &Path,
    text: &str,
    styles: &[&str],
) -> (BTreeMap<String, Entry>, Vec<Diagnostic>) {
    let mut loader = Loader {
        file,
        text,
        styles,
        diags: Vec::new(),
        aliases: Vec::new(),
    };
    let entries = loader.run();
    (entries, loader.diags)
}

struct Loader<'a> {
    file: &'a Path,
    /// Styles besides AMA to format each entry in.
    styles: &'a [&'a str],
    text: &'a str,
    diags: Vec<Diagnostic>,
    /// Every alias read from an `ids` field, in file order: (alias, its entry's key,
    /// offset of the `ids` value).
    aliases: Vec<(String, String, usize)>,
}

impl Loader<'_> {
    fn error(&mut self, offset: usize, message: String, hint: impl Into<String>) {
        self.error_code(Code::ReferenceInvalid, offset, message, hint);
    }

    /// A reference the BibTeX reader gave up on (it panicked): one error at its start.
    fn unreadable(&mut self, start: usize, key: &str) {
        self.error_code(
            Code::BibliographySyntax,
            start,
            format!("cannot read reference `{key}`"),
            SYNTAX_HINT,
        );
    }

    fn error_code(&mut self, code: Code, offset: usize, message: String, hint: impl Into<String>) {
        self.diags.push(
            Diagnostic::new(code, self.file, message)
                .at_offset(self.text, offset)
                .with_hint(hint),
        );
    }

    /// An error at `offset` about something written a second time, with a label at the
    /// first (`first`, a byte range).
    fn again(
        &mut self,
        code: Code,
        (offset, first): (usize, Range<usize>),
        message: String,
        hint: &str,
    ) {
        self.diags.push(
            Diagnostic::new(code, self.file, message)
                .at_offset(self.text, offset)
                .with_label(self.text, first, "first defined here")
                .with_hint(hint),
        );
    }

    fn run(&mut self) -> BTreeMap<String, Entry> {
        let mut entries = BTreeMap::new();
        let text = self.text;
        let raw = match catch_unwind(|| RawBibliography::parse(text)) {
            Ok(Ok(raw)) => raw,
            Ok(Err(e)) => {
                self.syntax_error(&e);
                return entries;
            }
            Err(_) => {
                self.diags.push(
                    Diagnostic::new(
                        Code::BibliographySyntax,
                        self.file,
                        "the BibTeX parser failed on this file",
                    )
                    .with_hint(SYNTAX_HINT),
                );
                return entries;
            }
        };
        let Some(ama) = Csl::ama() else {
            self.diags.push(
                Diagnostic::new(
                    Code::BibliographySyntax,
                    self.file,
                    "cannot load the AMA citation style",
                )
                .with_hint("the style is built into hpskb: this is a bug, please report it"),
            );
            return entries;
        };
        let mut others = Vec::new();
        for &name in self.styles {
            match Csl::get(name) {
                Some(style) => others.push((name, style)),
                None => self.diags.push(
                    Diagnostic::new(
                        Code::BibliographySyntax,
                        self.file,
                        format!("cannot load the citation style `{name}`"),
                    )
                    .with_hint("the style is built into hpskb: this is a bug, please report it"),
                ),
            }
        }
        let mut first: HashMap<String, Range<usize>> = HashMap::new();
        for entry in &raw.entries {
            let key = entry.v.key.v;
            let start = entry.span.start;
            if let Some(at) = first.get(key) {
                self.again(
                    Code::DuplicateReference,
                    (start, at.clone()),
                    format!("duplicate citation key `{key}`"),
                    "give each reference a unique key, or delete the copy",
                );
                continue;
            }
            first.insert(key.to_string(), entry.v.key.span.clone());
            if let Some(e) = self.entry(&raw, entry, ama, &others) {
                entries.insert(e.key.clone(), e);
            }
        }
        self.drop_ambiguous_aliases(&mut entries);
        entries
    }

    /// Reports (and drops) an alias that is another entry's key or alias, or its own
    /// entry's key: a citation of it would be ambiguous.
    fn drop_ambiguous_aliases(&mut self, entries: &mut BTreeMap<String, Entry>) {
        let mut taken: HashMap<String, String> =
            entries.keys().map(|k| (k.clone(), k.clone())).collect();
        for (alias, key, offset) in std::mem::take(&mut self.aliases) {
            let Some(owner) = taken.get(&alias) else {
                taken.insert(alias, key);
                continue;
            };
            let what = if *owner == alias {
                format!("the key of reference `{owner}`")
            } else {
                format!("an alias of reference `{owner}`")
            };
            self.error_code(
                Code::DuplicateReference,
                offset,
                format!("reference `{key}`: alias `{alias}` in `ids` is already {what}"),
                "an alias is an old key of this reference only: remove it here, or rename the other",
            );
            if let Some(e) = entries.get_mut(&key) {
                e.aliases.retain(|a| *a != alias);
            }
        }
    }

    fn syntax_error(&mut self, e: &ParseError) {
        let (message, hint) = match &e.kind {
            ParseErrorKind::UnexpectedEof => (
                "BibTeX syntax error: the file ends inside an entry".to_string(),
                "an entry is missing its closing `}`; check that braces are balanced".to_string(),
            ),
            ParseErrorKind::Expected(token) => (
                format!("BibTeX syntax error: expected {token}"),
                match token {
                    Token::Comma => "separate fields with commas: `title = {…},`".to_string(),
                    Token::Equals => "write fields as `name = {value}`".to_string(),
                    Token::ClosingBrace | Token::OpeningBrace => {
                        "check that braces are balanced".to_string()
                    }
                    _ => SYNTAX_HINT.to_string(),
                },
            ),
            ParseErrorKind::Unexpected(token) => (
                format!("BibTeX syntax error: unexpected {token}"),
                SYNTAX_HINT.to_string(),
            ),
            ParseErrorKind::UnknownAbbreviation(name) => (
                format!("BibTeX syntax error: unknown abbreviation `{name}`"),
                "put the value in braces (`{…}`) or define it with `@string{…}`".to_string(),
            ),
            ParseErrorKind::MalformedCommand => (
                "BibTeX syntax error: malformed TeX command".to_string(),
                "write special characters as UTF-8 or as `{\\'e}`".to_string(),
            ),
            other => (
                format!("BibTeX syntax error: {other}"),
                SYNTAX_HINT.to_string(),
            ),
        };
        self.error_code(Code::BibliographySyntax, e.span.start, message, hint);
    }

    /// Validates and formats one entry. `None` when it cannot be used at all.
    fn entry(
        &mut self,
        raw: &RawBibliography<'_>,
        entry: &Spanned<RawEntry<'_>>,
        ama: &Csl,
        others: &[(&str, &Csl)],
    ) -> Option<Entry> {
        let key = entry.v.key.v;
        let start = entry.span.start;
        let span = Span::at(self.text, start);
        if key.is_empty() || !key.chars().all(is_key_char) {
            self.error(
                entry.v.key.span.start,
                format!("citation key `{key}` cannot be cited"),
                "keys may contain only letters, digits and `_-:.`",
            );
            return None;
        }

        // Fields given twice, and cross-references (which the parser would resolve
        // recursively, and which exports from Zotero and PubMed never contain).
        let mut single = entry.v.clone();
        let mut seen: HashMap<String, Range<usize>> = HashMap::new();
        let mut fields = Vec::new();
        for pair in single.fields.drain(..) {
            let name = pair.key.v.to_ascii_lowercase();
            if name == "crossref" || name == "xdata" {
                self.error(
                    pair.key.span.start,
                    format!("reference `{key}`: `{name}` is not supported"),
                    "copy the fields into the entry",
                );
                continue;
            }
            if let Some(first) = seen.get(&name) {
                self.again(
                    Code::ReferenceInvalid,
                    (pair.key.span.start, first.clone()),
                    format!("reference `{key}`: field `{name}` is given twice"),
                    "keep one of them",
                );
                continue;
            }
            if DATE_FIELDS.contains(&name.as_str())
                && let Some(value) = normal_text(&pair.value.v)
                && !is_date(&value)
            {
                // `12345` would be shown as the year 1234; biblatex overflows on longer years.
                self.error(
                    pair.value.span.start,
                    format!("reference `{key}`: `{name} = {{{value}}}` is not a date"),
                    "write dates as `2021`, `2021-03` or `2021-03-07`, and a range as `2021-03/2021-05`",
                );
                continue;
            }
            seen.insert(name, pair.key.span.clone());
            fields.push(pair);
        }
        single.fields = fields;
        let value_offset = |name: &str| {
            single
                .fields
                .iter()
                .find(|p| p.key.v.eq_ignore_ascii_case(name))
                .map_or(start, |p| p.value.span.start)
        };

        let one = RawBibliography {
            preamble: String::new(),
            entries: vec![Spanned::new(single.clone(), entry.span.clone())],
            abbreviations: raw.abbreviations.clone(),
        };
        let mut parsed = match catch_unwind(|| biblatex::Bibliography::from_raw(one)) {
            Ok(Ok(b)) => b.into_vec().into_iter().next()?,
            Ok(Err(e)) => {
                self.syntax_error(&e);
                return None;
            }
            Err(_) => {
                self.unreadable(start, key);
                return None;
            }
        };

        let aliases = self.aliases(key, &parsed, value_offset("ids"));
        let doi = self.doi(key, &parsed, value_offset("doi"));
        let pmid = self.pmid(key, &parsed, value_offset("pmid"), value_offset("eprint"));
        self.check_url(key, &parsed, value_offset("url"));
        let example = self.example(key, &parsed, value_offset("example"));
        if doi.is_none() && pmid.is_none() && !self.has_identifier_field(&parsed) {
            // Without an identifier, a source (a regulator's web page) is found by its
            // address and dated; a malformed url or date is reported at its value.
            let written = |name: &str| {
                entry
                    .v
                    .fields
                    .iter()
                    .any(|p| p.key.v.eq_ignore_ascii_case(name))
            };
            if !written("url") {
                self.error(
                    start,
                    format!(
                        "reference `{key}` (line {}) has neither a DOI nor a PMID",
                        span.line
                    ),
                    "add `doi = {10.…}` or `pmid = {…}` so readers can find the source; a source that has neither (a regulator's web page) needs `url = {https://…}` and `date = {YYYY-MM-DD}`",
                );
            } else if !written("date") && !written("urldate") {
                // An undated page (a label, a product information) is dated by the day
                // it was read, as AMA's "Accessed" does.
                self.error(
                    value_offset("url"),
                    format!("reference `{key}` has a `url` but no `date` or `urldate`, and neither a DOI nor a PMID"),
                    "a source without a DOI or PMID is cited by its address and a date: add `date = {YYYY-MM-DD}` (when it was published) or, for an undated page, `urldate = {YYYY-MM-DD}` (the day you read it)",
                );
            }
        }

        // Normalize the identifiers before formatting; drop malformed ones so that no
        // broken link is written.
        parsed.remove("doi");
        if let Some(d) = &doi {
            parsed.set("doi", vec![Spanned::detached(Chunk::Verbatim(d.clone()))]);
        }
        let record = record(&parsed, doi.as_deref(), pmid.as_deref());

        let converted = match catch_unwind(|| hayagriva::Entry::try_from(&parsed)) {
            Ok(Ok(e)) => e,
            Ok(Err(e)) => {
                let at = if e.span.start == usize::MAX {
                    start
                } else {
                    e.span.start
                };
                self.error(
                    at,
                    format!("reference `{key}`: {}", e.kind),
                    "check the field's format (dates as `2021` or `2021-03-07`, pages as `12--18`)",
                );
                return None;
            }
            Err(_) => {
                self.unreadable(start, key);
                return None;
            }
        };
        let Some(html) = ama.html(&converted, doi.as_deref()) else {
            self.error(
                start,
                format!("cannot format reference `{key}` in AMA style"),
                "check the entry's author, title, journal and year",
            );
            return None;
        };
        let mut styled = BTreeMap::new();
        for (name, style) in others {
            let Some(html) = style.html(&converted, doi.as_deref()) else {
                self.error(
                    start,
                    format!("cannot format reference `{key}` in the style `{name}`"),
                    "check the entry's author, title, journal and year",
                );
                return None;
            };
            styled.insert(name.to_string(), html);
        }
        Some(Entry {
            key: key.to_string(),
            span,
            doi,
            pmid,
            html,
            styled,
            annotation: record.annotation.clone(),
            aliases,
            example,
            record,
        })
    }
}
