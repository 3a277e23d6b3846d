//! Stage 1, load: discover and read every input of a site and parse it into [`Site`].
//!
//! Inputs: `config.toml`, `content/**/*.md` (pages), `content/references.bib`,
//! `content/calculators/*.toml`, `content/glossary.toml`, `content/data/*.csv` with
//! `*.schema.toml` (data sets, [`crate::data`]), other files under `content/`
//! (co-located assets), `templates/` and `static/` (each overriding the embedded defaults).

mod files;
pub mod front_matter;
mod glossary;
pub mod inside;
pub mod theme;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::calc::{self, Calculator};
use crate::cite::Bibliography;
use crate::config::Config;
pub use crate::config::PageKind;
use crate::data::DataSet;
use crate::diag::{Code, Diagnostic};
pub use files::{MAX_FILE_BYTES, read_text, read_unparsed, walk};
use files::{discover, read_bytes, utf8};
pub use front_matter::{Drug, FrontMatter};
pub use glossary::GlossaryTerm;

/// A Markdown page as read from disk.
#[derive(Debug, Clone)]
pub struct Page {
    /// Display path, relative to the site root (`content/monographs/ibrutinib.md`).
    pub file: PathBuf,
    /// Path relative to `content/` with `/` separators (`monographs/ibrutinib.md`).
    pub rel: String,
    /// The file's front matter as read: its text up to and including the closing `+++`
    /// line. The body is not kept: the render stage reads the file again
    /// ([`Page::read_source`]), so that a site's sources are never all in memory at once.
    pub front_matter: String,
    /// Parsed front matter.
    pub meta: FrontMatter,
    /// `last_reviewed` as `YYYY-MM-DD`, validated.
    pub last_reviewed: Option<time::Date>,
    /// For a translation (`a.zh-Hans.md`), its language: a tag of `[languages]` in
    /// `config.toml`. `None` for a page in the site's own language.
    pub lang: Option<String>,
}

impl Page {
    /// Byte offset of the Markdown body in the file (the length of the front matter).
    pub fn body_offset(&self) -> usize {
        self.front_matter.len()
    }

    /// Reads the page's whole file (front matter and body) again, refusing it if its front
    /// matter is no longer the one the site was loaded with: links, menus and routes were
    /// all derived from that.
    pub fn read_source(&self, root: &Path) -> Result<String, Diagnostic> {
        let text = read_text(root, &self.file)?;
        if text.starts_with(&self.front_matter) {
            return Ok(text);
        }
        // Point at the first character that differs.
        let same = text
            .char_indices()
            .zip(self.front_matter.chars())
            .find(|((_, now), then)| now != then)
            .map_or(text.len().min(self.front_matter.len()), |((i, _), _)| i);
        Err(Diagnostic::new(
            Code::ChangedDuringBuild,
            &self.file,
            "the page's front matter changed during the build",
        )
        .at_offset(&text, same)
        .with_hint("build again once the file is saved"))
    }

    /// True for a section's `_index.md` (or its translation, `_index.zh-Hans.md`).
    pub fn is_section_index(&self) -> bool {
        let rel = self.source_rel();
        rel == "_index.md" || rel.ends_with("/_index.md")
    }

    /// The page a translation translates, as a path relative to `content/`
    /// (`monographs/a.md` for `monographs/a.zh-Hans.md`); the page's own `rel` otherwise.
    pub fn source_rel(&self) -> std::borrow::Cow<'_, str> {
        match &self.lang {
            Some(tag) => {
                let stem = self
                    .rel
                    .strip_suffix(&format!(".{tag}.md"))
                    .unwrap_or(&self.rel);
                std::borrow::Cow::Owned(format!("{stem}.md"))
            }
            None => std::borrow::Cow::Borrowed(&self.rel),
        }
    }
}

/// The language of the page at `rel` when its name ends in `.<tag>.md` for a tag of
/// `languages` (`a.zh-Hans.md`).
fn translation_language(
    rel: &str,
    languages: &BTreeMap<String, crate::config::LanguageConfig>,
) -> Option<String> {
    let stem = rel.strip_suffix(".md")?;
    let (_, tag) = stem.rsplit_once('.')?;
    languages.contains_key(tag).then(|| tag.to_string())
}

/// A Markdown file under `content/` that could not be loaded as a page.
#[derive(Debug, Clone)]
pub struct UnloadedPage {
    /// Display path, relative to the site root (`content/about.md`).
    pub file: PathBuf,
    /// Path relative to `content/`, `/` separators (`about.md`).
    pub rel: String,
}

/// A file under `content/` that is neither a page nor one of the site's data files,
/// copied to the output unchanged. Its bytes are read only when it is copied, and it may
/// be of any size: it is not parsed.
#[derive(Debug, Clone)]
pub struct ContentAsset {
    /// Display path, relative to the site root (`content/monographs/figure.png`).
    pub file: PathBuf,
    /// Path relative to `content/` (and to the output root), `/` separators.
    pub rel: String,
}

/// A static file, copied to the output (under a fingerprinted name where templates ask).
#[derive(Debug, Clone)]
pub struct Asset {
    /// Output path relative to the output root, `/` separators.
    pub rel: String,
    /// Contents.
    pub bytes: Vec<u8>,
    /// The site's file (`static/css/style.css`), or `None` for a built-in default.
    pub source: Option<PathBuf>,
}

/// A template source: site file or embedded default.
#[derive(Debug, Clone)]
pub struct TemplateSource {
    /// Template name (`page.html`).
    pub name: String,
    /// Display path for diagnostics (`templates/page.html` or `<built-in>/page.html`).
    pub file: PathBuf,
    /// Template text.
    pub text: String,
}

/// Everything read from a site directory.
#[derive(Debug, Clone)]
pub struct Site {
    /// Site root directory.
    pub root: PathBuf,
    /// `config.toml`.
    pub config: Config,
    /// Markdown pages, ordered by `rel`.
    pub pages: Vec<Page>,
    /// Pages that could not be loaded (their errors are among the load diagnostics),
    /// ordered by `rel`: links to them are not reported again as links to missing pages.
    pub unloaded_pages: Vec<UnloadedPage>,
    /// Co-located content assets, ordered by `rel`.
    pub content_assets: Vec<ContentAsset>,
    /// Static files: embedded defaults overridden by the site's `static/`, ordered by `rel`.
    pub static_files: Vec<Asset>,
    /// Templates: embedded defaults overridden by the site's `templates/`.
    pub templates: Vec<TemplateSource>,
    /// Whether every file under `templates/` could be read. One that could not (its error
    /// is among the load diagnostics) is missing from `templates`, so the templates naming
    /// it would be reported as naming an unknown template.
    pub all_templates_read: bool,
    /// `content/references.bib`.
    pub bibliography: Bibliography,
    /// `content/calculators/*.toml`, by id.
    pub calculators: BTreeMap<String, Calculator>,
    /// The default templates' UI strings (`i18n/<language>.toml` over the embedded table),
    /// by language tag (the site's and each of `[languages]`), then by key.
    pub ui: BTreeMap<String, BTreeMap<String, String>>,
    /// `content/glossary.toml`, ordered by abbreviation.
    pub glossary: Vec<GlossaryTerm>,
    /// `content/glossary.<tag>.toml` for languages of `[languages]` that have their own
    /// glossary, by tag, each ordered by abbreviation.
    pub translated_glossaries: BTreeMap<String, Vec<GlossaryTerm>>,
    /// `content/data/<set>.csv` with `<set>.schema.toml`, checked, by set name.
    pub data: BTreeMap<String, DataSet>,
    /// Today, for review-date checks.
    pub today: time::Date,
}

impl Site {
    /// The glossary pages in `lang` use, and its language: the language's own
    /// (`glossary.<tag>.toml`) where there is one, else the site's.
    pub fn glossary_for(&self, lang: Option<&str>) -> (&[GlossaryTerm], Option<&str>) {
        match lang.and_then(|l| self.translated_glossaries.get_key_value(l)) {
            Some((tag, terms)) => (terms, Some(tag.as_str())),
            None => (&self.glossary, None),
        }
    }

    /// The UI strings of `lang` (a tag of the site), or of the site's own language.
    pub fn ui_strings(&self, lang: Option<&str>) -> &BTreeMap<String, String> {
        static NONE: BTreeMap<String, String> = BTreeMap::new();
        let tag = lang.unwrap_or(&self.config.language);
        self.ui.get(tag).unwrap_or(&NONE)
    }
}

/// Options that change what is loaded.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Overrides `base_url` from `config.toml`.
    pub base_url: Option<String>,
    /// Directory to skip while walking `content/` (the output directory, if inside).
    pub skip_dir: Option<PathBuf>,
}

/// Reads and parses a site. Returns the site and every problem found; any error in the
/// diagnostics means the site must not be built.
pub fn load(root: &Path, options: &LoadOptions) -> (Option<Site>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let config = match read_text(root, Path::new("config.toml")) {
        Ok(text) => match Config::parse(Path::new("config.toml"), &text) {
            Ok(mut c) => {
                if let Some(url) = &options.base_url {
                    c.base_url = url.clone();
                    if !c.base_url.ends_with('/') {
                        c.base_url.push('/');
                    }
                }
                Some(c)
            }
            Err(d) => {
                diags.extend(d);
                None
            }
        },
        Err(d) => {
            diags.push(
                d.with_hint("a site needs `config.toml` with at least `title` and `base_url`"),
            );
            None
        }
    };

    let content_dir = root.join("content");
    let files = discover(root, &content_dir, options.skip_dir.as_deref(), &mut diags);
    let today = today();

    let mut pages = Vec::new();
    let mut unloaded_pages = Vec::new();
    let mut content_assets = Vec::new();
    let mut bibliography = Bibliography::default();
    let mut calculators = BTreeMap::new();
    let mut glossary = Vec::new();
    let mut translated_glossaries = BTreeMap::new();
    // Data sets: CSV and schema by set name, read here, checked once the bibliography is.
    let mut data_csv: BTreeMap<String, (PathBuf, String)> = BTreeMap::new();
    let mut data_schemas: BTreeMap<String, (PathBuf, String)> = BTreeMap::new();
    // Calculators' translated texts: (file, calculator id, language tag, text).
    let mut calculator_texts = Vec::new();

    let languages = config.as_ref().map(|c| &c.languages);
    // A page is parsed as soon as it is read, on the same thread, so that its body's
    // memory is reused for the next file rather than held until every file is read.
    // Assets are not read here at all.
    let read: Vec<Result<Read, Diagnostic>> = files
        .into_par_iter()
        .map(|(file, rel)| {
            if rel.ends_with(".md") {
                let parsed = read_bytes(root, &file).and_then(|bytes| parse_page(&file, bytes));
                Ok(match parsed {
                    Ok((front_matter, meta, last_reviewed)) => Read::Page(Box::new(Page {
                        lang: languages.and_then(|l| translation_language(&rel, l)),
                        file,
                        rel,
                        front_matter,
                        meta,
                        last_reviewed,
                    })),
                    Err(diagnostic) => Read::Unloaded {
                        page: UnloadedPage { file, rel },
                        diagnostic,
                    },
                })
            } else if let Some(kind) = data_file(&rel, languages) {
                let bytes = read_bytes(root, &file)?;
                Ok(Read::Data { file, kind, bytes })
            } else {
                Ok(Read::Asset(ContentAsset { file, rel }))
            }
        })
        .collect();

    for read in read {
        let (file, kind, bytes) = match read {
            Ok(Read::Data { file, kind, bytes }) => (file, kind, bytes),
            Ok(Read::Page(page)) => {
                pages.push(*page);
                continue;
            }
            Ok(Read::Unloaded { page, diagnostic }) => {
                unloaded_pages.push(page);
                diags.push(diagnostic);
                continue;
            }
            Ok(Read::Asset(asset)) => {
                content_assets.push(asset);
                continue;
            }
            Err(d) => {
                diags.push(d);
                continue;
            }
        };
        let text = match utf8(&file, bytes) {
            Ok(text) => text,
            Err(d) => {
                diags.push(d);
                continue;
            }
        };
        match kind {
            DataFile::Bibliography => {
                let styles = config
                    .as_ref()
                    .map(|c| c.citation_styles())
                    .unwrap_or_default();
                let (bib, d) = Bibliography::parse_with_styles(&file, &text, &styles);
                bibliography = bib;
                diags.extend(d);
            }
            DataFile::Glossary => match glossary::parse(&file, &text) {
                Ok(g) => glossary = g,
                Err(d) => diags.extend(d),
            },
            DataFile::TranslatedGlossary(tag) => match glossary::parse(&file, &text) {
                Ok(g) => {
                    translated_glossaries.insert(tag, g);
                }
                Err(d) => diags.extend(d),
            },
            DataFile::CalculatorTexts(id, tag) => {
                calculator_texts.push((file, id, tag, text));
            }
            DataFile::Calculator => match calc::parse(&file, &text) {
                Ok(c) => {
                    calculators.insert(c.id.clone(), c);
                }
                Err(d) => diags.extend(d),
            },
            DataFile::DataCsv(set) => {
                data_csv.insert(set, (file, text));
            }
            DataFile::DataSchema(set) => {
                data_schemas.insert(set, (file, text));
            }
        }
    }
    translate_calculators(&mut calculators, calculator_texts, &mut diags);
    let data = data_sets(data_csv, data_schemas, &bibliography, &mut diags);
    if let Some(config) = &config {
        // A page of a kind the site does not know is not loaded: its rules are unknown.
        pages.retain(|p| {
            let problem =
                front_matter::undeclared_kind(&p.file, &p.front_matter, &p.meta.kind, config);
            let known = problem.is_none();
            if let Some(d) = problem {
                diags.push(d);
                unloaded_pages.push(UnloadedPage {
                    file: p.file.clone(),
                    rel: p.rel.clone(),
                });
            }
            known
        });
    }
    pages.sort_by(|a, b| a.rel.cmp(&b.rel));
    unloaded_pages.sort_by(|a, b| a.rel.cmp(&b.rel));
    content_assets.sort_by(|a, b| a.rel.cmp(&b.rel));
    diags.extend(content_assets.iter().filter_map(named_like_a_page));

    let static_files = theme::static_files(root, &mut diags);
    let (templates, all_templates_read) = theme::templates(root, &mut diags);
    let ui = config
        .as_ref()
        .map(|c| {
            std::iter::once(&c.language)
                .chain(c.languages.keys())
                .map(|tag| (tag.clone(), theme::ui_strings(root, tag, &mut diags)))
                .collect()
        })
        .unwrap_or_default();

    let site = config.map(|config| Site {
        root: root.to_path_buf(),
        config,
        pages,
        unloaded_pages,
        content_assets,
        static_files,
        templates,
        all_templates_read,
        ui,
        bibliography,
        calculators,
        glossary,
        translated_glossaries,
        data,
        today,
    });
    (site, diags)
}

/// A content file once discovered: a parsed page (or why it is not one), a data file's
/// bytes, or an asset.
enum Read {
    Page(Box<Page>),
    Unloaded {
        page: UnloadedPage,
        diagnostic: Diagnostic,
    },
    Data {
        file: PathBuf,
        kind: DataFile,
        bytes: Vec<u8>,
    },
    Asset(ContentAsset),
}

/// Today's date (UTC): review dates are checked against it.
pub fn today() -> time::Date {
    time::OffsetDateTime::now_utc().date()
}

/// The content files the load stage parses besides pages.
enum DataFile {
    /// `references.bib`.
    Bibliography,
    /// `glossary.toml`.
    Glossary,
    /// `glossary.<tag>.toml` for a language of `[languages]`, with its tag.
    TranslatedGlossary(String),
    /// `calculators/*.toml`.
    Calculator,
    /// `calculators/<id>.<tag>.toml` for a language of `[languages]`: the calculator's
    /// texts in that language, with its id and the tag.
    CalculatorTexts(String, String),
    /// `data/<set>.csv`, with the set's name.
    DataCsv(String),
    /// `data/<set>.schema.toml`, with the set's name.
    DataSchema(String),
}

/// Which data file `rel` (relative to `content/`) is, if any.
fn data_file(
    rel: &str,
    languages: Option<&BTreeMap<String, crate::config::LanguageConfig>>,
) -> Option<DataFile> {
    let translated_glossary = rel
        .strip_prefix("glossary.")
        .and_then(|r| r.strip_suffix(".toml"))
        .filter(|tag| languages.is_some_and(|l| l.contains_key(*tag)));
    if let Some(tag) = translated_glossary {
        return Some(DataFile::TranslatedGlossary(tag.to_string()));
    }
    match rel {
        "references.bib" => Some(DataFile::Bibliography),
        "glossary.toml" => Some(DataFile::Glossary),
        _ if rel.starts_with("calculators/") && rel.ends_with(".toml") => {
            let stem = &rel["calculators/".len()..rel.len() - ".toml".len()];
            match stem.rsplit_once('.') {
                Some((id, tag)) if languages.is_some_and(|l| l.contains_key(tag)) => {
                    Some(DataFile::CalculatorTexts(id.to_string(), tag.to_string()))
                }
                _ => Some(DataFile::Calculator),
            }
        }
        _ => {
            let name = rel.strip_prefix("data/").filter(|n| !n.contains('/'))?;
            if let Some(set) = name.strip_suffix(".schema.toml") {
                Some(DataFile::DataSchema(set.to_string()))
            } else {
                name.strip_suffix(".csv")
                    .map(|set| DataFile::DataCsv(set.to_string()))
            }
        }
    }
}

/// Gives each calculator its translated texts; a translation of a calculator that does
/// not exist is an error (unless its spec failed to load: that error is reported).
fn translate_calculators(
    calculators: &mut BTreeMap<String, Calculator>,
    texts: Vec<(PathBuf, String, String, String)>,
    diags: &mut Vec<Diagnostic>,
) {
    for (file, id, tag, text) in texts {
        let Some(calculator) = calculators.get_mut(&id) else {
            let spec_file = file.with_file_name(format!("{id}.toml"));
            if !diags.iter().any(|d| d.file == spec_file) {
                diags.push(
                    Diagnostic::new(
                        Code::CalculatorTranslation,
                        &file,
                        format!("translates the calculator `{id}`, which does not exist"),
                    )
                    .with_hint(format!(
                        "name it after a calculator's spec: content/calculators/<id>.{tag}.toml"
                    )),
                );
            }
            continue;
        };
        match calc::translate::translate(&calculator.spec, &file, &text) {
            Ok(spec) => {
                calculator.translations.insert(tag, spec);
            }
            Err(d) => diags.extend(d),
        }
    }
}

/// Pairs each data set's CSV with its schema and checks its records; a CSV without a
/// schema, or a schema without a CSV, is an error.
fn data_sets(
    mut csv: BTreeMap<String, (PathBuf, String)>,
    schemas: BTreeMap<String, (PathBuf, String)>,
    bibliography: &Bibliography,
    diags: &mut Vec<Diagnostic>,
) -> BTreeMap<String, DataSet> {
    let mut sets = BTreeMap::new();
    for (name, (schema_file, schema_text)) in schemas {
        let Some((file, text)) = csv.remove(&name) else {
            diags.push(
                Diagnostic::new(
                    Code::DataSetFiles,
                    &schema_file,
                    format!("schema of data set `{name}` has no `{name}.csv`"),
                )
                .with_hint(format!("add content/data/{name}.csv, or remove the schema")),
            );
            continue;
        };
        let (set, d) = crate::data::load((&file, text), (&schema_file, &schema_text), bibliography);
        diags.extend(d);
        if let Some(set) = set {
            sets.insert(name, set);
        }
    }
    for (name, (file, _)) in csv {
        diags.push(
            Diagnostic::new(
                Code::DataSetFiles,
                &file,
                format!("data set `{name}` has no schema"),
            )
            .with_hint(format!(
                "declare its columns in content/data/{name}.schema.toml (see docs/data.md)"
            )),
        );
    }
    sets
}

/// A warning for a content file copied as it is although its name says Markdown
/// (`Notes.MD`, `notes.markdown`): only names ending in `.md` are pages.
fn named_like_a_page(asset: &ContentAsset) -> Option<Diagnostic> {
    let (stem, ext) = asset.rel.rsplit_once('.')?;
    let markdown = ext.eq_ignore_ascii_case("md") || ext.eq_ignore_ascii_case("markdown");
    let name = stem.rsplit('/').next().unwrap_or(stem);
    markdown.then(|| {
        Diagnostic::new(
            Code::CopiedAsIs,
            &asset.file,
            format!("`.{ext}` file is copied as it is, not made a page"),
        )
        .with_hint(format!(
            "pages end in `.md` (lowercase): rename it `{name}.md` to make it a page"
        ))
    })
}

/// A page file's front matter as read (see [`Page::front_matter`]), parsed, and its
/// validated `last_reviewed`.
type ParsedPage = (String, FrontMatter, Option<time::Date>);

fn parse_page(file: &Path, bytes: Vec<u8>) -> Result<ParsedPage, Diagnostic> {
    let text = utf8(file, bytes)?;
    let split = front_matter::split(file, &text)?;
    let meta = split.front_matter;
    let last_reviewed = match &meta.last_reviewed {
        None => None,
        Some(dt) => Some(date_only(file, &text[..split.body_offset], dt)?),
    };
    Ok((text[..split.body_offset].to_string(), meta, last_reviewed))
}

fn date_only(
    file: &Path,
    text: &str,
    dt: &toml::value::Datetime,
) -> Result<time::Date, Diagnostic> {
    let bad = || {
        front_matter::at_value(
            Diagnostic::new(
                Code::FrontMatterValue,
                file,
                format!("`last_reviewed = {dt}` is not a calendar date"),
            ),
            text,
            &["last_reviewed"],
        )
        .with_hint("write a plain date without quotes, e.g. `last_reviewed = 2026-11-26`")
    };
    match (dt.date, dt.time) {
        (Some(d), None) => {
            let month = time::Month::try_from(d.month).map_err(|_| bad())?;
            time::Date::from_calendar_date(i32::from(d.year), month, d.day).map_err(|_| bad())
        }
        _ => Err(bad()),
    }
}
