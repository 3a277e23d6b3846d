//! AMA formatting of bibliography entries through hayagriva's CSL processor.
//!
//! hayagriva's own HTML output styles text with inline `style` attributes; instead, the
//! rendered element tree is walked here and written as semantic, escaped HTML (`<i>`, `<b>`,
//! `<sup>`, `<sub>`), with the DOI turned into a `https://doi.org/` link.

use std::fmt::Write;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::OnceLock;

use crate::text::html::escape;

use hayagriva::archive::{ArchivedStyle, locales};
use hayagriva::citationberg::{
    FontStyle, FontVariant, FontWeight, IndependentStyle, Locale, Style, TextDecoration,
    VerticalAlign,
};
use hayagriva::{
    BibliographyDriver, BibliographyRequest, CitationItem, CitationRequest, ElemChild,
    ElemChildren, Formatted,
};

/// The AMA style (AMA Manual of Style, 11th edition) and the CSL locales it needs.
pub(crate) struct Ama {
    style: IndependentStyle,
    locales: Vec<Locale>,
}

impl Ama {
    /// The bundled style, loaded once; `None` only if hayagriva's archive is broken.
    pub(crate) fn get() -> Option<&'static Self> {
        static AMA: OnceLock<Option<Ama>> = OnceLock::new();
        AMA.get_or_init(Self::load).as_ref()
    }

    fn load() -> Option<Self> {
        catch_unwind(|| {
            let Style::Independent(style) = ArchivedStyle::AmericanMedicalAssociation.get() else {
                return None;
            };
            Some(Self {
                style,
                locales: en_us_locale().unwrap_or_else(locales),
            })
        })
        .ok()
        .flatten()
    }

    /// Formats one entry on its own (so its text never depends on the other entries) as an
    /// HTML fragment without the list number. `None` if hayagriva fails on the entry.
    pub(crate) fn html(&self, entry: &hayagriva::Entry, doi: Option<&str>) -> Option<String> {
        let entry = &with_et_al(entry);
        let rendered = catch_unwind(AssertUnwindSafe(|| {
            let mut driver = BibliographyDriver::new();
            driver.citation(CitationRequest::from_items(
                vec![CitationItem::with_entry(entry)],
                &self.style,
                &self.locales,
            ));
            driver.finish(BibliographyRequest::new(&self.style, None, &self.locales))
        }))
        .ok()?;
        let item = rendered.bibliography?.items.into_iter().next()?;
        let mut w = HtmlWriter {
            out: String::new(),
            doi,
            doi_linked: false,
        };
        w.children(&item.content);
        let html = w.out.trim().to_string();
        (!html.is_empty()).then_some(html)
    }
}

/// The en-US CSL locale, the only one the AMA style uses (its default locale; hpskb never
/// asks for another), decoded alone: decoding all of hayagriva's locales takes longer than
/// building the rest of the bundled site. `None` if it cannot be found in the archive.
fn en_us_locale() -> Option<Vec<Locale>> {
    // Each archived locale is a CBOR map that starts with its `@xml:lang`.
    let tag = b"\x65en-US";
    let bytes = hayagriva::archive::LOCALES.iter().find(|b| {
        b.get(..32)
            .is_some_and(|head| head.windows(tag.len()).any(|w| w == tag))
    })?;
    let locale: Locale = ciborium::de::from_reader(*bytes).ok()?;
    (locale.lang.as_ref().map(|l| l.0.as_str()) == Some("en-US")).then(|| vec![locale])
}

/// BibTeX's `and others` arrives as an author named "others", which the CSL processor would
/// print as a name. It is renamed "et al" (no given name), which AMA then prints as
/// `Batu ED, Erden A, Seyhoğlu E, et al.`; with seven or more names AMA truncates anyway.
fn with_et_al(entry: &hayagriva::Entry) -> hayagriva::Entry {
    let mut entry = entry.clone();
    if let Some(authors) = entry.authors() {
        let mut authors = authors.to_vec();
        for p in &mut authors {
            if p.name == "others" && p.given_name.as_deref().is_none_or(str::is_empty) {
                p.name = "et al".to_string();
                p.given_name = None;
            }
        }
        entry.set_authors(authors);
    }
    entry
}

struct HtmlWriter<'d> {
    out: String,
    doi: Option<&'d str>,
    doi_linked: bool,
}

impl HtmlWriter<'_> {
    fn children(&mut self, children: &ElemChildren) {
        for child in &children.0 {
            match child {
                ElemChild::Text(f) => self.formatted(f, true),
                ElemChild::Elem(e) => self.children(&e.children),
                ElemChild::Markup(m) => self.out.push_str(&escape(m)),
                ElemChild::Link { text, url } => {
                    let doi_link = self
                        .doi
                        .filter(|d| url.strip_prefix("https://doi.org/") == Some(*d))
                        .map(doi_url);
                    if let Some(href) = doi_link {
                        self.doi_linked = true;
                        let _ = write!(self.out, "<a href=\"{href}\">");
                        self.formatted(text, false);
                        self.out.push_str("</a>");
                    } else if url.starts_with("https://") || url.starts_with("http://") {
                        let _ = write!(self.out, "<a href=\"{}\">", escape(url));
                        self.formatted(text, false);
                        self.out.push_str("</a>");
                    } else {
                        self.formatted(text, true);
                    }
                }
                ElemChild::Transparent { .. } => {}
            }
        }
    }

    fn formatted(&mut self, f: &Formatted, may_link: bool) {
        let fmt = &f.formatting;
        let mut tags: Vec<(&str, &str)> = Vec::new();
        if fmt.font_style == FontStyle::Italic {
            tags.push(("<i>", "</i>"));
        }
        if fmt.font_weight == FontWeight::Bold {
            tags.push(("<b>", "</b>"));
        }
        if fmt.font_variant == FontVariant::SmallCaps {
            tags.push(("<span class=\"small-caps\">", "</span>"));
        }
        if fmt.text_decoration == TextDecoration::Underline {
            tags.push(("<u>", "</u>"));
        }
        match fmt.vertical_align {
            VerticalAlign::Sup => tags.push(("<sup>", "</sup>")),
            VerticalAlign::Sub => tags.push(("<sub>", "</sub>")),
            _ => {}
        }
        for (open, _) in &tags {
            self.out.push_str(open);
        }
        match self.doi.filter(|_| may_link && !self.doi_linked) {
            Some(doi) if f.text.contains(doi) => {
                let (before, after) = f.text.split_once(doi).unwrap_or((&f.text, ""));
                let _ = write!(
                    self.out,
                    "{}<a href=\"{}\">{}</a>{}",
                    escape(before),
                    doi_url(doi),
                    escape(doi),
                    escape(after)
                );
                self.doi_linked = true;
            }
            _ => self.out.push_str(&escape(&f.text)),
        }
        for (_, close) in tags.iter().rev() {
            self.out.push_str(close);
        }
    }
}

/// `https://doi.org/<doi>` with the DOI percent-encoded where a URL requires it, ready to be
/// placed in an HTML attribute.
pub(crate) fn doi_url(doi: &str) -> String {
    let mut url = String::from("https://doi.org/");
    for b in doi.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/:;()+,=@!$*".contains(&b) {
            url.push(char::from(b));
        } else {
            let _ = write!(url, "%{b:02X}");
        }
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doi_urls_are_percent_encoded() {
        assert_eq!(
            doi_url("10.1002/art.38690"),
            "https://doi.org/10.1002/art.38690"
        );
        assert_eq!(
            doi_url("10.1002/(SICI)1097-0258<1>3.0.CO;2-#"),
            "https://doi.org/10.1002/(SICI)1097-0258%3C1%3E3.0.CO;2-%23"
        );
        assert_eq!(
            doi_url("10.1234/a&b\"é"),
            "https://doi.org/10.1234/a%26b%22%C3%A9"
        );
    }

    #[test]
    fn the_ama_style_needs_only_the_en_us_locale_which_is_decoded_alone() {
        let ama = Ama::get().expect("AMA style");
        assert_eq!(
            ama.style.default_locale.as_ref().map(|l| l.0.as_str()),
            Some("en-US"),
            "the style's locale decides which CSL locale formatting uses"
        );
        let alone = en_us_locale().expect("en-US found without decoding every locale");
        let from_all: Vec<Locale> = locales()
            .into_iter()
            .filter(|l| l.lang.as_ref().is_some_and(|c| c.0 == "en-US"))
            .collect();
        assert_eq!(alone, from_all);
    }
}
