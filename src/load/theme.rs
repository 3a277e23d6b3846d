//! The default theme: templates, static files and UI strings embedded in the binary. A
//! site's own `templates/` and `static/` override them file by file (the Zola/mdBook
//! model), its `i18n/<language>.toml` string by string. The bundled site at the
//! repository root *is* the default theme's source.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diag::{Code, Diagnostic};
use crate::load::{Asset, TemplateSource};
use crate::text::date::{MONTHS, month_names};

macro_rules! embed {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../templates/", $name)))),*]
    };
}

macro_rules! embed_static {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_bytes!(concat!("../../static/", $name)).as_slice())),*]
    };
}

/// Default templates, by name.
pub(crate) const TEMPLATES: &[(&str, &str)] = embed![
    "base.html",
    "page.html",
    "section.html",
    "references.html",
    "glossary.html",
    "taxonomy.html",
    "search.html",
    "404.html",
    "alias.html",
    "sitemap.xml",
    "atom.xml",
    "robots.txt",
];

/// Default static files, by path under `static/`.
pub(crate) const STATIC_FILES: &[(&str, &[u8])] = embed_static![
    "css/style.css",
    "js/site.js",
    "js/calculator.js",
    "js/data-table.js",
    "favicon.svg",
];

/// The default templates' UI strings, by language tag. English is the reference: every
/// language's strings must have each of its keys.
pub(crate) const UI_STRINGS: &[(&str, &str)] = &[
    ("en", include_str!("../../i18n/en.toml")),
    ("zh-Hans", include_str!("../../i18n/zh-Hans.toml")),
];

/// The UI strings for `language`: the embedded table of that language, if any, with the
/// site's `i18n/<language>.toml` over it, key by key. Every key of the English table must
/// be there; each one missing is an error naming the language and the key.
pub(crate) fn ui_strings(
    root: &Path,
    language: &str,
    diags: &mut Vec<Diagnostic>,
) -> BTreeMap<String, String> {
    let embedded = |tag: &str| {
        UI_STRINGS
            .iter()
            .find(|(t, _)| *t == tag)
            .map(|(_, text)| parse_ui_table(Path::new("<built-in>/i18n"), text).unwrap_or_default())
    };
    let reference = embedded("en").unwrap_or_default();
    let mut strings = embedded(language).unwrap_or_default();
    let own = format!("{language}.toml");
    let mut site_file = None;
    for (rel, display, bytes) in site_files(root, "i18n", diags) {
        if rel != own {
            continue;
        }
        let parsed = crate::load::files::utf8(&display, bytes)
            .map_err(|d| vec![d])
            .and_then(|text| parse_ui_table(&display, &text));
        match parsed {
            Ok(table) => strings.extend(table),
            Err(d) => diags.extend(d),
        }
        site_file = Some(display);
    }
    if strings.is_empty() && site_file.is_none() {
        diags.push(
            Diagnostic::new(
                Code::UiStrings,
                "config.toml",
                format!("hpskb has no UI strings for the language `{language}`"),
            )
            .with_hint(format!(
                "add i18n/{language}.toml with every key of hpskb's English table \
                 (i18n/en.toml in hpskb's repository), translated"
            )),
        );
        return reference;
    }
    let file = site_file.unwrap_or_else(|| PathBuf::from("config.toml"));
    for (key, english) in &reference {
        let Some(text) = strings.get(key) else {
            diags.push(
                Diagnostic::new(
                    Code::UiStrings,
                    &file,
                    format!("UI string `{key}` is missing for the language `{language}`"),
                )
                .with_hint(format!(
                    "add `{key} = \"…\"` to i18n/{language}.toml (the English: \"{english}\")"
                )),
            );
            continue;
        };
        // A placeholder left out would drop what the template puts there (a link, a number).
        for placeholder in placeholders(english).filter(|p| !text.contains(p)) {
            diags.push(
                Diagnostic::new(
                    Code::UiStrings,
                    &file,
                    format!(
                        "UI string `{key}` for the language `{language}` lacks `{placeholder}`"
                    ),
                )
                .with_hint(format!(
                    "the template puts something in its place; keep it in the text (the \
                     English: \"{english}\")"
                )),
            );
        }
    }
    let months = strings.get("months").map(|m| month_names(m).count());
    if let Some(n) = months.filter(|&n| n != MONTHS) {
        diags.push(
            Diagnostic::new(
                Code::UiStrings,
                &file,
                format!(
                    "UI string `months` for the language `{language}` lists {n} names, not {MONTHS}"
                ),
            )
            .with_hint("list the twelve month names, January first, separated by commas"),
        );
    }
    strings
}

/// The `{name}` placeholders in a UI string.
fn placeholders(text: &str) -> impl Iterator<Item = &str> {
    text.match_indices('{').filter_map(|(start, _)| {
        let end = start + text[start..].find('}')?;
        let name = &text[start + 1..end];
        (!name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
            .then(|| &text[start..=end])
    })
}

/// A UI-strings file: a TOML table of strings.
fn parse_ui_table(file: &Path, text: &str) -> Result<BTreeMap<String, String>, Vec<Diagnostic>> {
    toml::from_str(text).map_err(|e| {
        let d = Diagnostic::new(
            Code::UiStrings,
            file,
            format!("invalid UI strings: {}", e.message().trim()),
        )
        .with_hint("each line is `key = \"text\"`");
        vec![match e.span() {
            Some(span) => d.at(text, span),
            None => d,
        }]
    })
}

/// Templates: embedded defaults, each replaced by the site's file of the same name; and
/// whether every file under `templates/` could be read (each that could not is reported
/// in `diags`).
pub(crate) fn templates(root: &Path, diags: &mut Vec<Diagnostic>) -> (Vec<TemplateSource>, bool) {
    let problems_before = diags.len();
    let mut by_name: BTreeMap<String, TemplateSource> = TEMPLATES
        .iter()
        .map(|(name, text)| {
            (
                name.to_string(),
                TemplateSource {
                    name: name.to_string(),
                    file: PathBuf::from(format!("<built-in>/templates/{name}")),
                    text: text.to_string(),
                },
            )
        })
        .collect();
    for (rel, display, bytes) in site_files(root, "templates", diags) {
        match String::from_utf8(bytes) {
            Ok(text) => {
                by_name.insert(
                    rel.clone(),
                    TemplateSource {
                        name: rel,
                        file: display,
                        text,
                    },
                );
            }
            Err(_) => diags.push(
                Diagnostic::new(Code::NotUtf8, display, "template is not valid UTF-8")
                    .with_hint("save the file as UTF-8"),
            ),
        }
    }
    (
        by_name.into_values().collect(),
        diags.len() == problems_before,
    )
}

/// Static files: embedded defaults, each replaced by the site's file of the same path.
pub(crate) fn static_files(root: &Path, diags: &mut Vec<Diagnostic>) -> Vec<Asset> {
    let mut by_rel: BTreeMap<String, (Vec<u8>, Option<PathBuf>)> = STATIC_FILES
        .iter()
        .map(|(rel, bytes)| (rel.to_string(), (bytes.to_vec(), None)))
        .collect();
    for (rel, display, bytes) in site_files(root, "static", diags) {
        by_rel.insert(rel, (bytes, Some(display)));
    }
    by_rel
        .into_iter()
        .map(|(rel, (bytes, source))| Asset { rel, bytes, source })
        .collect()
}

/// Every file under `root/dir`, as (path relative to dir, display path, bytes).
fn site_files(
    root: &Path,
    dir: &str,
    diags: &mut Vec<Diagnostic>,
) -> Vec<(String, PathBuf, Vec<u8>)> {
    let base = root.join(dir);
    if !base.is_dir() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (display, rel) in crate::load::walk(root, &base, None, diags) {
        match crate::load::read_unparsed(root, &display) {
            Ok(bytes) => out.push((rel, display, bytes)),
            Err(d) => diags.push(d),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(tag: &str) -> BTreeMap<String, String> {
        let text = UI_STRINGS.iter().find(|(t, _)| *t == tag).unwrap().1;
        parse_ui_table(Path::new(tag), text).unwrap()
    }

    /// Every embedded language has exactly the English keys, with their placeholders.
    #[test]
    fn embedded_tables_match_the_english_one() {
        let english = table("en");
        assert!(english.len() > 40);
        for (tag, _) in UI_STRINGS {
            let strings = table(tag);
            assert_eq!(
                strings.keys().collect::<Vec<_>>(),
                english.keys().collect::<Vec<_>>(),
                "{tag}"
            );
            for (key, text) in &english {
                for p in placeholders(text) {
                    assert!(strings[key].contains(p), "{tag}: `{key}` lacks {p}");
                }
            }
        }
    }

    /// The English fallbacks a script keeps in its `ENGLISH` block (`key: '…'` entries).
    fn fallbacks_in(script: &str) -> Vec<String> {
        let script =
            std::str::from_utf8(STATIC_FILES.iter().find(|(p, _)| *p == script).unwrap().1)
                .unwrap();
        let block = &script[script.find("ENGLISH = {").unwrap()..];
        let block = &block[..block.find("};").unwrap()];
        let mut keys: Vec<String> = block
            .match_indices(": '")
            .map(|(at, _)| {
                let before = &block[..at];
                let start = before
                    .rfind(|c: char| !(c.is_ascii_lowercase() || c == '_'))
                    .map_or(0, |i| i + 1);
                before[start..].to_string()
            })
            .collect();
        keys.sort();
        keys
    }

    /// site.js and calculator.js keep English fallbacks for a site's own base.html
    /// without the strings (and calculator.js for `evaluate` outside a page): one for
    /// each of their `js_` keys, and no other.
    #[test]
    fn the_scripts_have_an_english_fallback_for_each_of_their_strings() {
        let english = table("en");
        let script_keys = |calculator: bool| -> Vec<String> {
            english
                .keys()
                .filter_map(|k| k.strip_prefix("js_"))
                .filter(|k| k.starts_with("calc_") == calculator)
                .map(str::to_string)
                .collect()
        };
        assert_eq!(fallbacks_in("js/site.js"), script_keys(false));
        assert_eq!(fallbacks_in("js/calculator.js"), script_keys(true));
    }

    #[test]
    fn placeholders_are_lowercase_names_in_braces() {
        let found: Vec<_> = placeholders("from the {home} or {x1} {} {Big} {term}.").collect();
        assert_eq!(found, ["{home}", "{term}"]);
    }
}
