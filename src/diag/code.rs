//! The one table of diagnostic codes: each kind of problem has a stable code (`E…` for
//! errors, `W…` for warnings), a slug and a one-line explanation. docs/diagnostics.md lists
//! them; a test fails when the two differ. A code, once published, keeps its meaning: a
//! retired code is not reused.

use super::Severity;

macro_rules! codes {
    ($($name:ident = $code:literal, $slug:literal, $explanation:literal;)*) => {
        /// A kind of diagnostic, with its stable code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $(
                #[doc = $explanation]
                $name,
            )*
        }

        impl Code {
            /// Every code, in the order of the table.
            pub const ALL: &'static [Code] = &[$(Code::$name),*];

            /// The stable code, e.g. `E0701`.
            pub fn code(self) -> &'static str {
                match self {
                    $(Code::$name => $code,)*
                }
            }

            /// The stable slug, e.g. `broken-link`.
            pub fn slug(self) -> &'static str {
                match self {
                    $(Code::$name => $slug,)*
                }
            }

            /// What this kind of diagnostic means, in one line.
            pub fn explanation(self) -> &'static str {
                match self {
                    $(Code::$name => $explanation,)*
                }
            }
        }
    };
}

impl Code {
    /// Errors have codes starting with `E`, warnings with `W`.
    pub fn severity(self) -> Severity {
        if self.code().starts_with('W') {
            Severity::Warning
        } else {
            Severity::Error
        }
    }

    /// The code with the given text (`E0701`) or slug (`broken-link`).
    pub fn find(name: &str) -> Option<Code> {
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.code() == name || c.slug() == name)
    }
}

codes! {
    // 00: about the report itself.
    NotShown = "E0001", "errors-not-shown", "A page or file has more errors than are reported one by one; the rest are counted.";
    // 01: the site's files.
    NoContent = "E0101", "no-content-dir", "The site root has no `content/` directory.";
    CannotRead = "E0102", "cannot-read", "A file could not be read (it vanished, or permissions forbid it).";
    BadFileName = "E0103", "bad-file-name", "A file's name is not valid UTF-8, or its path cannot become a URL.";
    FileTooLarge = "E0104", "file-too-large", "A file is over the size limit hpskb reads.";
    NotUtf8 = "E0105", "not-utf8", "A file that hpskb reads as text is not valid UTF-8.";
    OutsideSite = "E0106", "outside-site", "A symbolic link leads outside the site root.";
    SpecialFile = "E0107", "special-file", "A path is a FIFO, socket or device, not a regular file or directory.";
    ChangedDuringBuild = "E0108", "changed-during-build", "A page's front matter changed while the site was being built.";
    CopiedAsIs = "W0101", "copied-as-is", "A file in `content/` is copied as it is, not made a page.";
    // 02: config.toml.
    ConfigInvalid = "E0201", "config-invalid", "`config.toml` is not valid TOML, or has an unknown or missing key.";
    ConfigValue = "E0202", "config-value", "A value in `config.toml` is not allowed (empty title, bad language tag, base URL or colour, a control character).";
    KindName = "E0203", "kind-name", "A kind declared in `config.toml` has a name that is not allowed.";
    RequiredSections = "E0204", "required-sections", "A kind's `required_sections` has an empty or repeated title.";
    UiStrings = "E0205", "ui-strings", "The UI strings for the site's language are missing, not a TOML table of strings, or lack a key.";
    UnusedKind = "W0201", "unused-kind", "A kind is declared in `config.toml` but no page has it.";
    // 03: pages, front matter, URLs and content shape.
    FrontMatterMissing = "E0301", "front-matter-missing", "A page has no front matter, or it is never closed.";
    FrontMatterInvalid = "E0302", "front-matter-invalid", "A page's front matter is not valid TOML, or has an unknown key or a value of the wrong type.";
    FrontMatterValue = "E0303", "front-matter-value", "A value in a page's front matter is not allowed (empty title, a control character, a date that is not a calendar date).";
    UnknownKind = "E0304", "unknown-kind", "A page names a kind that is neither built in nor declared in `config.toml`.";
    DuplicateUrl = "E0305", "duplicate-url", "Two pages have the same URL.";
    ReservedUrl = "E0306", "reserved-url", "A page's URL is one hpskb generates itself.";
    NoHomePage = "E0307", "no-home-page", "The site has no home page (`content/_index.md`).";
    BadAlias = "E0308", "bad-alias", "A page's alias is not a usable old URL, or is taken.";
    TaxonomyUrl = "E0309", "taxonomy-url", "A drug or drug class name makes a URL that is not usable or is taken.";
    ReviewInFuture = "E0310", "review-in-future", "A page's `last_reviewed` date is in the future.";
    MissingReviewDate = "E0311", "missing-review-date", "A page of a kind that requires `last_reviewed` does not have it.";
    MissingSection = "E0312", "missing-section", "A page lacks a section its kind requires, or has them out of order.";
    TooFewReferences = "E0313", "too-few-references", "A page cites fewer distinct references than its kind requires.";
    ReviewOverdue = "W0301", "review-overdue", "A page was last reviewed longer ago than the review interval.";
    StaleTranslation = "W0302", "stale-translation", "A translation does not say which review of its source it translates (`source_reviewed`), or its source has been reviewed since.";
    Untranslated = "W0303", "untranslated", "Pages of the site have no translation into one of its `[languages]` (listed once per language).";
    TranslationSections = "W0304", "translation-sections", "A translation's sections (heading ids) differ from its source's: the language switcher and required sections match sections by id.";
    TranslationContent = "W0305", "translation-content", "A translation cites other references, or states other numbers, than its source.";
    // 04: bibliography and citations.
    BibliographySyntax = "E0401", "bibliography-syntax", "`references.bib` cannot be read as BibTeX.";
    DuplicateReference = "E0402", "duplicate-reference", "Two references in `references.bib` have one key (or alias).";
    ReferenceInvalid = "E0403", "reference-invalid", "A reference has a field that is missing, repeated, malformed or not supported.";
    UnknownCitation = "E0404", "unknown-citation", "A page cites a key that is not in `references.bib`.";
    CitationSyntax = "E0405", "citation-syntax", "A citation in a page cannot be read.";
    UnknownSourceReference = "E0406", "unknown-source-reference", "A calculator's source reference is not in `references.bib`.";
    UncitedReference = "W0401", "uncited-reference", "A reference in `references.bib` is never cited.";
    ExampleReference = "W0402", "example-reference", "A page or calculator cites a reference marked `example = {true}`, a placeholder to replace with a real source.";
    // 05: the glossary.
    GlossaryInvalid = "E0501", "glossary-invalid", "The glossary is not valid TOML or not in the glossary's shape.";
    DuplicateTerm = "E0502", "duplicate-term", "An abbreviation is defined twice in the glossary.";
    TermNotOneWord = "E0503", "term-not-one-word", "A glossary abbreviation is not one word.";
    // 06: calculators.
    CalculatorSpec = "E0601", "calculator-spec", "A calculator spec is not valid (its TOML, inputs, items, bands or results).";
    UnknownCalculator = "E0602", "unknown-calculator", "A page, or `hpskb score`, names a calculator that does not exist.";
    CalculatorTwice = "E0603", "calculator-twice", "A page embeds the same calculator twice.";
    ScoreInput = "E0604", "score-input", "The answers given to `hpskb score` cannot be read or do not fit the calculator.";
    CalculatorTranslation = "E0605", "calculator-translation", "A calculator's translated texts (`<id>.<tag>.toml`) are not valid TOML, lack a text of the spec, or name an id the spec does not have.";
    // 07: Markdown.
    BrokenLink = "E0701", "broken-link", "A link or image in a page points to a page, file or fragment that does not exist.";
    UndefinedLinkLabel = "E0702", "undefined-link-label", "A reference-style link uses a label the page does not define.";
    DuplicateHeadingId = "E0703", "duplicate-heading-id", "Two headings, or a heading and a footnote, have one id.";
    UndefinedFootnote = "E0704", "undefined-footnote", "A footnote reference has no definition on the page.";
    DuplicateFootnote = "E0705", "duplicate-footnote", "A footnote label is defined twice on the page.";
    TooDeep = "E0706", "too-deep", "Markdown is nested deeper than hpskb renders.";
    Markup = "E0707", "markup", "A page contains markup it may not publish (a script, an event handler, a control character…).";
    UncitedTableRow = "E0708", "uncited-table-row", "A table row cites no source on a page whose kind requires it.";
    ImageWithoutAlt = "W0701", "image-without-alt", "An image has no alternative text.";
    Placeholder = "W0702", "placeholder", "A page still holds a `<!-- TODO … -->` prompt that `hpskb new` or `hpskb init` wrote.";
    // 08: templates.
    TemplateSyntax = "E0801", "template-syntax", "A template cannot be compiled.";
    TemplateMissing = "E0802", "template-missing", "A template names, or a page asks for, a template that does not exist.";
    TemplateLoop = "E0803", "template-loop", "Templates extend or include each other in a loop.";
    TemplateRender = "E0804", "template-render", "A template failed while rendering a page.";
    // 09: checks on the rendered site.
    BrokenOutputLink = "E0901", "broken-output-link", "A link in the rendered site (from a template or a copied HTML file) points nowhere.";
    DuplicateId = "E0902", "duplicate-id", "An id is used twice in one output file.";
    OutputPath = "E0903", "output-path", "An output path is not usable, or two outputs write one path.";
    // 10: publishing.
    OutputRefused = "E1001", "output-refused", "The output directory cannot be used (it holds the site, files hpskb did not write, or a dangling link).";
    WriteFailed = "E1002", "write-failed", "The site could not be written or published.";
    SearchIndex = "E1003", "search-index", "The search index could not be built.";
    KeptPreviousOutput = "W1001", "kept-previous-output", "A copy of the previous output was kept for you to look through.";
    RecoveredOutput = "W1002", "recovered-output", "An interrupted build's output was recovered.";
    // 11: `hpskb init` and `hpskb new`.
    AuthoringRefused = "E1101", "authoring-refused", "`hpskb init` or `hpskb new` wrote nothing: the directory is not empty, the page exists, the path leaves `content/`, or the kind is unknown.";
    // 12: data sets.
    DataSetFiles = "E1201", "data-set-files", "A data set's CSV has no schema beside it, or a schema has no CSV.";
    DataSchema = "E1202", "data-schema", "A data set's schema is not valid (its TOML, a column's type, range or values).";
    DataRecord = "E1203", "data-record", "A record of a data set does not fit its schema (header, field count, type, range, enum value, citation key, missing source, duplicate id).";
    DataFence = "E1204", "data-fence", "A data table, chart or inline number in a page names an unknown data set, column or statistic, or cannot be read.";
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_and_slugs_are_unique_and_well_formed() {
        let mut seen = HashSet::new();
        for c in Code::ALL {
            assert!(seen.insert(c.code()), "{} twice", c.code());
            assert!(seen.insert(c.slug()), "{} twice", c.slug());
            let digits = &c.code()[1..];
            assert!(
                matches!(&c.code()[..1], "E" | "W")
                    && digits.len() == 4
                    && digits.bytes().all(|b| b.is_ascii_digit()),
                "{}",
                c.code()
            );
            assert!(
                c.slug()
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{}",
                c.slug()
            );
            assert_eq!(Code::find(c.code()), Some(*c));
            assert_eq!(Code::find(c.slug()), Some(*c));
        }
        assert_eq!(Code::BrokenLink.severity(), Severity::Error);
        assert_eq!(Code::ImageWithoutAlt.severity(), Severity::Warning);
    }
}
