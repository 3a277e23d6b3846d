//! `hpskb new <kind> <path>`: a page skeleton with the front matter and the required
//! sections of its kind, read from the site's `config.toml`.
//!
//! The page is `content/<path>.md`. Each section gets a one-line prompt written as an
//! HTML comment starting with `TODO`, which `hpskb check` reports as a warning until the
//! section is written (and which a reader never sees).

use std::path::{Component, Path, PathBuf};

use hpskb::config::{Config, KindRules};
use hpskb::diag::{Code, Diagnostic};
use hpskb::load::PageKind;
use hpskb::text::suggest::closest;

use super::init::write_new;

/// Writes the page for `kind` at `content/<path>.md` under `root`, and returns its path
/// relative to `root`.
pub(crate) fn run(
    root: &Path,
    kind: &str,
    path: &str,
    today: time::Date,
) -> Result<PathBuf, Vec<Diagnostic>> {
    let config_file = Path::new("config.toml");
    let text = hpskb::load::read_text(root, config_file).map_err(|d| {
        vec![d.with_hint(format!(
            "`hpskb new` adds a page to a site: run it in the site's directory, give `--root`, or make a site with `hpskb init` (looked in {})",
            root.display()
        ))]
    })?;
    let config = Config::parse(config_file, &text)?;
    let kind = known_kind(&config, kind)?;
    let rel = page_path(path)?;
    let file = root.join(&rel);
    if std::fs::symlink_metadata(&file).is_ok() {
        return Err(vec![
            Diagnostic::new(
                Code::AuthoringRefused,
                &rel,
                "the page already exists; nothing was written",
            )
            .with_hint("choose another path, or edit the page"),
        ]);
    }
    if let Some(other) = same_url(&rel).filter(|other| root.join(other).is_file()) {
        return Err(vec![
            Diagnostic::new(
                Code::AuthoringRefused,
                &rel,
                format!(
                    "the page would have the URL of {}; nothing was written",
                    other.display()
                ),
            )
            .with_hint("choose another path, or edit that page"),
        ]);
    }
    let rules = config.kinds.get(&kind).cloned().unwrap_or_default();
    let page = skeleton(&kind, &rules, &title(&rel), today);
    write_new(&file, &page).map_err(|e| {
        vec![
            Diagnostic::new(
                Code::AuthoringRefused,
                &rel,
                format!("cannot create the page: {e}"),
            )
            .with_hint("check that the directory under content/ can be written"),
        ]
    })?;
    Ok(rel)
}

/// The kind named `name`, if the site knows it (built in or declared in `config.toml`).
fn known_kind(config: &Config, name: &str) -> Result<PageKind, Vec<Diagnostic>> {
    let kind = PageKind::from_name(name);
    if config.knows_kind(&kind) {
        return Ok(kind);
    }
    let names = config.kind_names();
    let hint = match closest(name, names.iter().copied()) {
        Some(near) => format!("did you mean `{near}`?"),
        None => format!(
            "the kinds of this site are {}; declare another as `[kinds.{name}]` in config.toml",
            names.join(", ")
        ),
    };
    Err(vec![
        Diagnostic::new(
            Code::AuthoringRefused,
            "<command line>",
            format!("unknown kind `{}`", name.escape_debug()),
        )
        .with_hint(hint),
    ])
}

/// `content/<path>.md` for a path given on the command line: relative, inside
/// `content/`, with plain segments. A leading `content/` and a trailing `.md` are
/// accepted (`content/monographs/x.md` is `monographs/x`).
fn page_path(path: &str) -> Result<PathBuf, Vec<Diagnostic>> {
    let refuse = |why: &str| {
        vec![
            Diagnostic::new(
                Code::AuthoringRefused,
                "<command line>",
                format!("page path `{}` {why}", path.escape_debug()),
            )
            .with_hint(
                "give a path inside content/, without `.md`, e.g. `monographs/carbamazepine`",
            ),
        ]
    };
    let trimmed = path.strip_prefix("content/").unwrap_or(path);
    let trimmed = trimmed.strip_suffix(".md").unwrap_or(trimmed);
    let plain = |s: &str| {
        !s.is_empty()
            && !s.starts_with('.')
            && !s.contains(['\\', ':'])
            && !s.chars().any(char::is_control)
    };
    if Path::new(trimmed).is_absolute() || trimmed.starts_with('/') {
        return Err(refuse("is absolute"));
    }
    let relative = Path::new(trimmed);
    if relative
        .components()
        .any(|c| matches!(c, Component::ParentDir | Component::CurDir))
    {
        return Err(refuse("leads outside content/"));
    }
    if trimmed.is_empty() || !trimmed.split('/').all(plain) {
        return Err(refuse("is not a plain path"));
    }
    Ok(Path::new("content").join(format!("{trimmed}.md")))
}

/// The other file that would be published at the same URL as `rel`: `x/_index.md` for
/// `x.md`, and `x.md` for `x/_index.md` (`None` for the home page).
fn same_url(rel: &Path) -> Option<PathBuf> {
    let stem = rel.file_stem()?;
    let parent = rel.parent()?;
    if stem == "_index" {
        (parent != Path::new("content")).then(|| parent.with_extension("md"))
    } else {
        Some(parent.join(stem).join("_index.md"))
    }
}

/// A title from the file name: `monographs/st-johns-wort` → "St johns wort"; a section
/// page (`_index`) is named after its directory.
fn title(rel: &Path) -> String {
    let stem = rel.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
    let name = if stem == "_index" {
        rel.parent()
            .and_then(Path::file_name)
            .and_then(|s| s.to_str())
            .filter(|s| *s != "content")
            .unwrap_or("Home")
    } else {
        stem
    };
    let words = name.replace(['-', '_'], " ");
    let words = words.trim();
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "Untitled".to_string(),
    }
}

/// The page: front matter, then each required section with its prompt.
fn skeleton(kind: &PageKind, rules: &KindRules, title: &str, today: time::Date) -> String {
    let mut page = format!(
        "+++\ntitle = {}\n# description = \"One sentence for search results and link previews.\"\nkind = \"{}\"\nlast_reviewed = {}\n",
        toml::Value::String(title.to_string()),
        kind.name(),
        hpskb::text::date::iso_date(today),
    );
    if *kind == PageKind::Monograph {
        page.push_str("# drugs = [{ generic = \"name\", brands = [\"Brand\"] }]\ndrugs = []\n");
    }
    page.push_str("+++\n");
    if rules.required_sections.is_empty() {
        page.push_str("\n<!-- TODO: write the page; cite each claim's source as [@key]. -->\n");
    }
    for section in &rules.required_sections {
        page.push_str(&format!(
            "\n## {section}\n\n<!-- TODO: {} -->\n",
            prompt(section)
        ));
    }
    if rules.min_references > 0 {
        page.push_str(&format!(
            "\n<!-- A {} cites at least {} distinct references from content/references.bib. -->\n",
            kind.name(),
            rules.min_references
        ));
    }
    page
}

/// The one-line prompt under a required section.
fn prompt(section: &str) -> String {
    match section.to_lowercase().as_str() {
        "key points" => "the few points a reader must not miss, each cited as [@key].".into(),
        "management" => "what to do, step by step, each step cited as [@key].".into(),
        other => format!("write the {other} section, citing each claim's source as [@key]."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_content() {
        assert_eq!(
            page_path("monographs/carbamazepine").unwrap(),
            Path::new("content/monographs/carbamazepine.md")
        );
        assert_eq!(
            page_path("content/monographs/x.md").unwrap(),
            Path::new("content/monographs/x.md")
        );
        for bad in [
            "../x",
            "a/../../x",
            "/etc/x",
            "./x",
            "",
            "a//b",
            ".hidden",
            "a\\b",
        ] {
            assert!(page_path(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_page_and_a_section_page_share_a_url() {
        let same = |p: &str| same_url(Path::new(p)).map(|p| p.display().to_string());
        assert_eq!(
            same("content/monographs.md").as_deref(),
            Some("content/monographs/_index.md")
        );
        assert_eq!(
            same("content/monographs/_index.md").as_deref(),
            Some("content/monographs.md")
        );
        assert_eq!(same("content/_index.md"), None);
    }

    #[test]
    fn titles_come_from_the_file_name() {
        assert_eq!(
            title(Path::new("content/monographs/st-johns_wort.md")),
            "St johns wort"
        );
        assert_eq!(
            title(Path::new("content/monographs/_index.md")),
            "Monographs"
        );
        assert_eq!(title(Path::new("content/_index.md")), "Home");
    }
}
