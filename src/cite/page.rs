//! "Cite this page": an AMA-style web-page citation plus BibTeX and RIS.
//!
//! The output depends only on the page (title, site title, URL, review date) so it is
//! byte-identical between builds: there is no access date, only "Last reviewed".

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

/// `Title. Site title. Last reviewed 2024-05-01. <a href="url">url</a>`
fn ama(info: &PageInfo<'_>) -> String {
    let mut out = String::new();
    for part in [info.title, info.site_title] {
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
    let mut fields = vec![
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
            "Ruxolitinib &amp; HLH: &lt;dosing&gt;. T-HPS knowledge base. Last reviewed \
             2024-05-01. <a href=\"https://example.org/drugs/ruxolitinib/\">\
             https://example.org/drugs/ruxolitinib/</a>"
        );
    }

    #[test]
    fn bibtex_is_an_online_entry() {
        assert_eq!(
            cite_page(&info()).bibtex,
            "@online{drugs-ruxolitinib,\n  title = {{Ruxolitinib \\& HLH: <dosing>}},\n  \
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
            "TY  - ELEC\nID  - drugs-ruxolitinib\nTI  - Ruxolitinib & HLH: <dosing>\n\
             T2  - T-HPS knowledge base\nPB  - T-HPS knowledge base\nPY  - 2024\n\
             DA  - 2024/05/01\nN1  - Last reviewed 2024-05-01\n\
             UR  - https://example.org/drugs/ruxolitinib/\nER  - \n"
        );
    }

    #[test]
    fn output_is_stable() {
        let a = cite_page(&info());
        let b = cite_page(&info());
        assert_eq!((a.ama, a.bibtex, a.ris), (b.ama, b.bibtex, b.ris));
    }
}
