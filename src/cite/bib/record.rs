//! The fields of an entry kept for the BibTeX and RIS exports, normalized and in order.

use biblatex::{Chunk, ChunksExt, Spanned};

use super::pubmed_eprint;
use crate::cite::Record;

/// Fields left out of the exported BibTeX: local file paths, reference-manager bookkeeping
/// and abstracts (not ours to republish).
const DROPPED_FIELDS: &[&str] = &[
    "file",
    "abstract",
    "keywords",
    "mendeley-tags",
    "owner",
    "timestamp",
    "crossref",
    "xdata",
];

/// Exported fields come first in this order, then any other field alphabetically.
const FIELD_ORDER: &[&str] = &[
    "author",
    "editor",
    "title",
    "journal",
    "booktitle",
    "year",
    "month",
    "date",
    "volume",
    "number",
    "issue",
    "pages",
    "edition",
    "series",
    "chapter",
    "publisher",
    "address",
    "institution",
    "school",
    "organization",
    "howpublished",
    "type",
    "isbn",
    "issn",
    "doi",
    "pmid",
    "pmcid",
    "url",
    "urldate",
    "note",
    "annote",
];

fn is_verbatim_field(name: &str) -> bool {
    matches!(
        name,
        "file" | "doi" | "uri" | "eprint" | "verba" | "verbb" | "verbc" | "pdf" | "url" | "urlraw"
    )
}

/// A field value in braces. Like `biblatex`'s own serializer, but math is written
/// unescaped (`$\\alpha$` would not read back the same) and dashes as TeX ligatures.
fn to_bibtex_value(chunks: &[Spanned<Chunk>], verbatim_field: bool) -> String {
    let mut out = String::from("{");
    let mut in_braces = false;
    for chunk in chunks {
        let braced = matches!(chunk.v, Chunk::Verbatim(_));
        if braced != in_braces {
            out.push(if braced { '{' } else { '}' });
            in_braces = braced;
        }
        match &chunk.v {
            Chunk::Math(m) => {
                out.push('$');
                out.push_str(m);
                out.push('$');
            }
            Chunk::Normal(s) | Chunk::Verbatim(s) => {
                let escaped = Chunk::Normal(s.clone()).to_biblatex_string(verbatim_field);
                if verbatim_field {
                    out.push_str(&escaped);
                } else {
                    out.push_str(&escaped.replace('—', "---").replace('–', "--"));
                }
            }
        }
    }
    if in_braces {
        out.push('}');
    }
    out.push('}');
    out
}

/// What the exports need, taken from the parsed (biblatex) entry.
pub(super) fn record(entry: &biblatex::Entry, doi: Option<&str>, pmid: Option<&str>) -> Record {
    let pubmed = pubmed_eprint(entry);
    let mut fields: Vec<(String, String)> = Vec::new();
    for (name, chunks) in &entry.fields {
        let name = match name.as_str() {
            "journaltitle" => "journal",
            "location" => "address",
            "annotation" => "annote",
            n => n,
        };
        if DROPPED_FIELDS.contains(&name)
            || matches!(name, "doi" | "pmid")
            || (pubmed && matches!(name, "eprint" | "eprinttype"))
            || fields.iter().any(|(n, _)| n == name)
        {
            continue;
        }
        fields.push((
            name.to_string(),
            to_bibtex_value(chunks, is_verbatim_field(name)),
        ));
    }
    if let Some(doi) = doi {
        fields.push(("doi".into(), format!("{{{doi}}}")));
    }
    if let Some(pmid) = pmid {
        fields.push(("pmid".into(), format!("{{{pmid}}}")));
    }
    let rank = |n: &str| {
        FIELD_ORDER
            .iter()
            .position(|f| *f == n)
            .unwrap_or(usize::MAX)
    };
    fields.sort_by(|a, b| (rank(&a.0), &a.0).cmp(&(rank(&b.0), &b.0)));

    let text = |names: &[&str]| {
        names.iter().find_map(|n| {
            let t = entry.get(n)?.format_verbatim();
            let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
            (!t.is_empty()).then_some(t)
        })
    };
    let authors = entry
        .author()
        .unwrap_or_default()
        .into_iter()
        .filter(|p| !(p.name == "others" && p.given_name.is_empty()))
        .map(|p| {
            let mut s = String::new();
            if !p.prefix.is_empty() {
                s.push_str(&p.prefix);
                s.push(' ');
            }
            s.push_str(&p.name);
            if !p.given_name.is_empty() {
                s.push_str(", ");
                s.push_str(&p.given_name);
            }
            if !p.suffix.is_empty() {
                s.push_str(", ");
                s.push_str(&p.suffix);
            }
            s.split_whitespace().collect::<Vec<_>>().join(" ")
        })
        .filter(|s| !s.is_empty())
        .collect();
    let year = text(&["year"]).or_else(|| {
        let date = text(&["date"])?;
        let year: String = date.chars().take(4).collect();
        (year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit())).then_some(year)
    });
    Record {
        kind: entry
            .entry_type
            .to_bibtex()
            .to_string()
            .to_ascii_lowercase(),
        source_kind: entry.entry_type.to_string().to_ascii_lowercase(),
        fields,
        authors,
        title: text(&["title"]),
        container: text(&["journal", "journaltitle", "booktitle"]),
        year,
        volume: text(&["volume"]),
        issue: text(&["number", "issue"]),
        pages: text(&["pages"]),
        publisher: text(&["publisher"]),
        url: text(&["url"]),
        date: text(&["date"]),
        urldate: text(&["urldate"]),
        annotation: text(&["annote", "annotation"]),
    }
}
