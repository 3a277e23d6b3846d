//! The identifiers of a reference: DOI, PMID (or PubMed `eprint`), URL and the `ids`
//! aliases, each checked and reported at its field.

use super::{Loader, is_key_char};
use biblatex::ChunksExt;

impl Loader<'_> {
    /// Whether the entry is marked `example = {true}` (a placeholder to be replaced, as
    /// `hpskb init` writes one); a value other than `true` or `false` is reported.
    pub(super) fn example(&mut self, key: &str, entry: &biblatex::Entry, offset: usize) -> bool {
        let Some(raw) = entry.get("example").map(|c| c.format_verbatim()) else {
            return false;
        };
        match raw.trim().to_ascii_lowercase().as_str() {
            "true" => true,
            "false" => false,
            other => {
                self.error(
                    offset,
                    format!("reference `{key}`: `example = {{{other}}}` is neither true nor false"),
                    "`example = {true}` marks a placeholder entry that `hpskb check` warns about wherever it is cited",
                );
                false
            }
        }
    }

    /// True when a DOI or PMID field is present (even if malformed, already reported).
    pub(super) fn has_identifier_field(&self, entry: &biblatex::Entry) -> bool {
        entry.get("doi").is_some() || entry.get("pmid").is_some() || pubmed_eprint(entry)
    }

    /// The citation-key aliases in `ids = {old1, old2}`, each a citable key (else reported
    /// at the field and left out), noted for the check against every other key.
    pub(super) fn aliases(
        &mut self,
        key: &str,
        entry: &biblatex::Entry,
        offset: usize,
    ) -> Vec<String> {
        let Some(raw) = entry.get("ids").map(|c| c.format_verbatim()) else {
            return Vec::new();
        };
        let mut aliases: Vec<String> = Vec::new();
        for alias in raw.split(',').map(str::trim).filter(|a| !a.is_empty()) {
            if !alias.chars().all(is_key_char) {
                self.error(
                    offset,
                    format!("reference `{key}`: alias `{alias}` in `ids` cannot be cited"),
                    "list old keys separated by commas, `ids = {old1, old2}`; keys may contain only letters, digits and `_-:.`",
                );
            } else if !aliases.iter().any(|a| a == alias) {
                aliases.push(alias.to_string());
                self.aliases
                    .push((alias.to_string(), key.to_string(), offset));
            }
        }
        aliases
    }

    /// Reports a `url` that is not a web address (`http://` or `https://`, a host, no
    /// spaces): it is printed as a link.
    pub(super) fn check_url(&mut self, key: &str, entry: &biblatex::Entry, offset: usize) {
        let Some(raw) = entry.get("url").map(|c| c.format_verbatim()) else {
            return;
        };
        let url = raw.trim();
        let host = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
            .and_then(|rest| rest.split(['/', '?', '#']).next())
            .filter(|host| !host.is_empty());
        if host.is_none() || url.chars().any(char::is_whitespace) {
            self.error(
                offset,
                format!("reference `{key}`: `url = {{{url}}}` is not a web address"),
                "write the whole address, starting with `https://` (or `http://`), without spaces",
            );
        }
    }

    pub(super) fn doi(
        &mut self,
        key: &str,
        entry: &biblatex::Entry,
        offset: usize,
    ) -> Option<String> {
        let raw = entry.get("doi")?.format_verbatim();
        let doi = normalize_doi(&raw);
        if is_valid_doi(doi) {
            Some(doi.to_string())
        } else {
            self.error(
                offset,
                format!("reference `{key}`: malformed DOI `{}`", raw.trim()),
                "a DOI looks like `10.1002/art.38690` (with or without `https://doi.org/`)",
            );
            None
        }
    }

    pub(super) fn pmid(
        &mut self,
        key: &str,
        entry: &biblatex::Entry,
        pmid_offset: usize,
        eprint_offset: usize,
    ) -> Option<String> {
        let field = entry
            .get("pmid")
            .map(|c| (c.format_verbatim(), pmid_offset));
        let eprint = pubmed_eprint(entry)
            .then(|| {
                entry
                    .get("eprint")
                    .map(|c| (c.format_verbatim(), eprint_offset))
            })
            .flatten();
        let mut valid = Vec::new();
        for (raw, offset) in field.into_iter().chain(eprint) {
            let pmid = raw.trim();
            if is_valid_pmid(pmid) {
                valid.push((pmid.to_string(), offset));
            } else {
                self.error(
                    offset,
                    format!("reference `{key}`: malformed PMID `{pmid}`"),
                    "a PMID is a number such as `27298397`",
                );
            }
        }
        if let [(a, _), (b, offset)] = valid.as_slice()
            && a != b
        {
            self.error(
                *offset,
                format!("reference `{key}`: `pmid` ({a}) and PubMed `eprint` ({b}) differ"),
                "keep one PMID",
            );
        }
        valid.into_iter().next().map(|(p, _)| p)
    }
}

pub(super) fn pubmed_eprint(entry: &biblatex::Entry) -> bool {
    entry.get("eprinttype").is_some_and(|t| {
        let t = t.format_verbatim();
        let t = t.trim();
        t.eq_ignore_ascii_case("pubmed") || t.eq_ignore_ascii_case("pmid")
    }) && entry.get("eprint").is_some()
}

/// Strips the resolver prefixes people paste along with a DOI.
pub(crate) fn normalize_doi(raw: &str) -> &str {
    let doi = raw.trim();
    for prefix in [
        "https://doi.org/",
        "http://doi.org/",
        "https://dx.doi.org/",
        "http://dx.doi.org/",
        "doi.org/",
        "doi:",
    ] {
        if doi.len() >= prefix.len()
            && doi.is_char_boundary(prefix.len())
            && doi[..prefix.len()].eq_ignore_ascii_case(prefix)
        {
            return doi[prefix.len()..].trim_start();
        }
    }
    doi
}

/// `10.\d{4,9}/\S+`, whole string.
pub(crate) fn is_valid_doi(doi: &str) -> bool {
    let Some(rest) = doi.strip_prefix("10.") else {
        return false;
    };
    let Some((registrant, suffix)) = rest.split_once('/') else {
        return false;
    };
    (4..=9).contains(&registrant.len())
        && registrant.bytes().all(|b| b.is_ascii_digit())
        && !suffix.is_empty()
        && !suffix.chars().any(char::is_whitespace)
}

/// One to nine ASCII digits, not all zeros.
pub(crate) fn is_valid_pmid(pmid: &str) -> bool {
    (1..=9).contains(&pmid.len())
        && pmid.bytes().all(|b| b.is_ascii_digit())
        && pmid.bytes().any(|b| b != b'0')
}
