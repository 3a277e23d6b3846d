//! "Cite this page": an AMA-style web-page citation plus BibTeX and RIS.
//!
//! The output depends only on the site and the page (authors, title, site title, URL,
//! review date) so it is byte-identical between builds: there is no access date, only
//! "Last reviewed" (the reader's browser adds the date it was accessed). The authors are
//! the people named in `config.toml`; until someone is named, the site itself is the
//! author, as for an organization's work.

use biblatex::{Chunk, ChunksExt, Spanned};

use super::export::{RisWriter, bibtex};
use super::{PageCitation, PageInfo};
use crate::text::html::escape;

/// Formats a "cite this page" block.
pub fn cite_page(info: &PageInfo<'_>) -> PageCitation {
    PageCitation {
        ama: ama(info),
        bibtex: page_bibtex(info),
        ris: page_ris(info),
    }
}

/// The named authors, or none when the site is the author.
fn people<'a>(info: &PageInfo<'a>) -> Vec<&'a str> {
    (info.authors.iter())
        .map(|a| a.trim())
        .filter(|a| !a.is_empty())
        .collect()
}

/// An author in AMA style: `"Family, Given Middle"` → `Family GM`.
fn ama_name(name: &str) -> String {
    match name.split_once(',') {
        Some((family, given)) => {
            let initials: String = (given.split([' ', '-', '.']))
                .filter_map(|w| w.chars().next())
                .flat_map(char::to_uppercase)
                .collect();
            format!("{} {initials}", family.trim())
        }
        None => name.to_string(),
    }
}

/// AMA's author list: all names up to six, else the first three and "et al".
fn ama_authors(info: &PageInfo<'_>) -> String {
    let people = people(info);
    if people.is_empty() {
        return info.site_title.trim().to_string();
    }
    let names: Vec<String> = people.iter().map(|p| ama_name(p)).collect();
    if names.len() > 6 {
        format!("{}, et al", names[..3].join(", "))
    } else {
        names.join(", ")
    }
}

/// `Authors. Title. Site title. Last reviewed 2024-05-01. <a href="url">url</a>`
fn ama(info: &PageInfo<'_>) -> String {
    let mut out = String::new();
    let authors = ama_authors(info);
    for part in [authors.as_str(), info.title, info.site_title] {
        let part = part.trim();
        if !part.is_empty() {
            out.push_str(&escape(&sentence(part)));
            out.push(' ');
        }
    }
    if let Some(date) = info.last_reviewed {
        out.push_str(&escape(&format!("Last reviewed {}.", date.trim())));
        out.push(' ');
    }
    let url = escape(info.url.trim());
    out.push_str(&format!("<a href=\"{url}\">{url}</a>"));
    out
}

/// Ends `text` with a period unless it already ends with terminal punctuation.
fn sentence(text: &str) -> String {
    if text.ends_with(['.', '?', '!']) {
        text.to_string()
    } else {
        format!("{text}.")
    }
}

/// A BibTeX key from the URL path: `https://x.org/drugs/ruxolitinib/` → `drugs-ruxolitinib`.
pub(crate) fn page_key(url: &str) -> String {
    let path = url.split_once("://").map_or(url, |(_, rest)| {
        rest.split_once('/').map_or("", |(_, path)| path)
    });
    let path = path.split(['?', '#']).next().unwrap_or("");
    let mut key = String::new();
    for c in path.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            key.push(c.to_ascii_lowercase());
        } else if !key.is_empty() && !key.ends_with('-') {
            key.push('-');
        }
    }
    let key = key.trim_end_matches('-');
    if key.is_empty() {
        "home".to_string()
    } else {
        key.to_string()
    }
}

/// A field value in braces, with TeX special characters escaped. `protect` adds an inner
/// pair of braces so styles keep the capitalization.
fn value(text: &str, protect: bool, verbatim_field: bool) -> String {
    let chunk = if protect {
        Chunk::Verbatim(text.trim().to_string())
    } else {
        Chunk::Normal(text.trim().to_string())
    };
    [Spanned::detached(chunk)].to_biblatex_string(verbatim_field)
}

fn page_bibtex(info: &PageInfo<'_>) -> String {
    let people = people(info);
    let author = if people.is_empty() {
        value(info.site_title, true, false)
    } else {
        value(&people.join(" and "), false, false)
    };
    let mut fields = vec![
        ("author".to_string(), author),
        ("title".to_string(), value(info.title, true, false)),
        (
            "organization".to_string(),
            value(info.site_title, true, false),
        ),
        ("url".to_string(), value(info.url, false, true)),
    ];
    if let Some(date) = info.last_reviewed {
        fields.push(("date".to_string(), value(date, false, false)));
        fields.push((
            "note".to_string(),
            value(&format!("Last reviewed {}", date.trim()), false, false),
        ));
    }
    bibtex("online", &page_key(info.url), &fields)
}

fn page_ris(info: &PageInfo<'_>) -> String {
    let mut w = RisWriter::default();
    w.tag("TY", "ELEC");
    w.tag("ID", &page_key(info.url));
    let people = people(info);
    if people.is_empty() {
        w.opt("AU", Some(info.site_title));
    }
    for person in people {
        w.tag("AU", person);
    }
    w.opt("TI", Some(info.title));
    w.opt("T2", Some(info.site_title));
    w.opt("PB", Some(info.site_title));
    if let Some(date) = info.last_reviewed.map(str::trim) {
        w.opt("PY", date.get(..4));
        w.tag("DA", &date.replace('-', "/"));
        w.tag("N1", &format!("Last reviewed {date}"));
    }
    w.tag("UR", info.url);
    w.end()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info() -> PageInfo<'static> {
        PageInfo {
            title: "Ruxolitinib & HLH: <dosing>",
            site_title: "T-HPS knowledge base",
            authors: &[],
            url: "https://example.org/drugs/ruxolitinib/",
            last_reviewed: Some("2024-05-01"),
        }
    }

    #[test]
    fn keys_come_from_the_url_path() {
        assert_eq!(
            page_key("https://example.org/drugs/ruxolitinib/"),
            "drugs-ruxolitinib"
        );
        assert_eq!(page_key("https://example.org/"), "home");
        assert_eq!(
            page_key("https://example.org/a%20b/c.html?x#y"),
            "a-20b-c-html"
        );
    }

    #[test]
    fn ama_is_escaped_and_has_no_access_date() {
        assert_eq!(
            cite_page(&info()).ama,
            "T-HPS knowledge base. Ruxolitinib &amp; HLH: &lt;dosing&gt;. T-HPS knowledge base. \
             Last reviewed \
             2024-05-01. <a href=\"https://example.org/drugs/ruxolitinib/\">\
             https://example.org/drugs/ruxolitinib/</a>"
        );
    }

    #[test]
    fn bibtex_is_an_online_entry() {
        assert_eq!(
            cite_page(&info()).bibtex,
            "@online{drugs-ruxolitinib,\n  author = {{T-HPS knowledge base}},\n  \
             title = {{Ruxolitinib \\& HLH: <dosing>}},\n  \
             organization = {{T-HPS knowledge base}},\n  \
             url = {https://example.org/drugs/ruxolitinib/},\n  date = {2024-05-01},\n  \
             note = {Last reviewed 2024-05-01}\n}\n"
        );
    }

    #[test]
    fn bibtex_reparses_to_the_same_values() {
        let bib = biblatex::Bibliography::parse(&cite_page(&info()).bibtex).unwrap();
        let e = bib.get("drugs-ruxolitinib").unwrap();
        assert_eq!(
            e.get("title").unwrap().format_verbatim(),
            "Ruxolitinib & HLH: <dosing>"
        );
        assert_eq!(
            e.get("organization").unwrap().format_verbatim(),
            "T-HPS knowledge base"
        );
        assert_eq!(
            e.get("url").unwrap().format_verbatim(),
            "https://example.org/drugs/ruxolitinib/"
        );
    }

    #[test]
    fn ris_is_an_electronic_record() {
        assert_eq!(
            cite_page(&info()).ris,
            "TY  - ELEC\nID  - drugs-ruxolitinib\nAU  - T-HPS knowledge base\n\
             TI  - Ruxolitinib & HLH: <dosing>\n\
             T2  - T-HPS knowledge base\nPB  - T-HPS knowledge base\nPY  - 2024\n\
             DA  - 2024/05/01\nN1  - Last reviewed 2024-05-01\n\
             UR  - https://example.org/drugs/ruxolitinib/\nER  - \n"
        );
    }

    #[test]
    fn named_authors_replace_the_site_as_author() {
        let authors = [
            "Doe, Jane Ann".to_string(),
            "  ".to_string(),
            "Roe, Richard".to_string(),
        ];
        let c = cite_page(&PageInfo {
            authors: &authors,
            ..info()
        });
        assert!(
            c.ama.starts_with("Doe JA, Roe R. Ruxolitinib &amp; HLH"),
            "{}",
            c.ama
        );
        let bib = biblatex::Bibliography::parse(&c.bibtex).unwrap();
        let e = bib.get("drugs-ruxolitinib").unwrap();
        let names: Vec<String> = (e.author().unwrap().iter())
            .map(|p| format!("{}, {}", p.name, p.given_name))
            .collect();
        assert_eq!(names, ["Doe, Jane Ann", "Roe, Richard"]);
        assert!(
            c.ris
                .contains("\nAU  - Doe, Jane Ann\nAU  - Roe, Richard\nTI  - ")
        );
        assert!(!c.ris.contains("AU  - T-HPS"));
        let many: Vec<String> = (1..=7).map(|i| format!("Name{i}, A")).collect();
        let c = cite_page(&PageInfo {
            authors: &many,
            ..info()
        });
        assert!(
            c.ama
                .starts_with("Name1 A, Name2 A, Name3 A, et al. Ruxolitinib"),
            "{}",
            c.ama
        );
    }

    #[test]
    fn without_named_authors_the_site_is_a_corporate_author() {
        let bib = biblatex::Bibliography::parse(&cite_page(&info()).bibtex).unwrap();
        let e = bib.get("drugs-ruxolitinib").unwrap();
        let authors = e.author().unwrap();
        assert_eq!(
            authors.len(),
            1,
            "one corporate author, not split into names"
        );
        assert_eq!(authors[0].name, "T-HPS knowledge base");
    }

    #[test]
    fn output_is_stable() {
        let a = cite_page(&info());
        let b = cite_page(&info());
        assert_eq!((a.ama, a.bibtex, a.ris), (b.ama, b.bibtex, b.ris));
    }
}
