//! Formatting bibliography entries through hayagriva's CSL processor: AMA, and the styles
//! languages name.
//!
//! hayagriva's own HTML output styles text with inline `style` attributes; instead, the
//! rendered element tree is walked here and written as semantic, escaped HTML (`<i>`, `<b>`,
//! `<sup>`, `<sub>`), with the DOI turned into a `https://doi.org/` link.

use std::collections::HashMap;
use std::fmt::Write;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Mutex, OnceLock};

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

/// A CSL style of hayagriva's archive and the CSL locales it needs: AMA (AMA Manual of
/// Style, 11th edition) for the site's language, and any style a language names
/// (`citation_style`, e.g. GB/T 7714-2015 numeric for Chinese).
pub(crate) struct Csl {
    style: IndependentStyle,
    locales: Vec<Locale>,
}

/// The name of the AMA style in hayagriva's archive.
pub(crate) const AMA: &str = "american-medical-association";

impl Csl {
    /// The AMA style, loaded once; `None` only if hayagriva's archive is broken.
    pub(crate) fn ama() -> Option<&'static Self> {
        Self::get(AMA)
    }

    /// The archived style `name`, loaded once per process; `None` if hayagriva has no
    /// such style (the config stage refuses those names) or its archive is broken.
    pub(crate) fn get(name: &str) -> Option<&'static Self> {
        static LOADED: OnceLock<Mutex<HashMap<String, Option<&'static Csl>>>> = OnceLock::new();
        let mut loaded = LOADED
            .get_or_init(Default::default)
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        *loaded
            .entry(name.to_string())
            .or_insert_with(|| Self::load(name).map(|c| &*Box::leak(Box::new(c))))
    }

    fn load(name: &str) -> Option<Self> {
        let archived = ArchivedStyle::by_name(name)?;
        catch_unwind(|| {
            let Style::Independent(style) = archived.get() else {
                return None;
            };
            // The style's own locale (zh-CN for GB/T 7714) and en-US, which CSL falls
            // back to; decoding all of hayagriva's locales takes longer than building the
            // rest of the bundled site.
            let own = style.default_locale.as_ref().map(|l| l.0.clone());
            let mut tags = vec!["en-US".to_string()];
            tags.extend(own.filter(|t| t != "en-US"));
            let decoded: Option<Vec<Locale>> = tags.iter().map(|t| locale(t)).collect();
            Some(Self {
                style,
                locales: decoded.unwrap_or_else(locales),
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

/// The CSL locale `tag` (`en-US`, `zh-CN`) decoded alone from hayagriva's archive; `None`
/// if it cannot be found there.
fn locale(tag: &str) -> Option<Locale> {
    // Each archived locale is a CBOR map that starts with its `@xml:lang`, a short text
    // string (CBOR major type 3: 0x60 plus its length).
    let mut head = vec![0x60 + u8::try_from(tag.len()).ok().filter(|n| *n < 24)?];
    head.extend_from_slice(tag.as_bytes());
    hayagriva::archive::LOCALES
        .iter()
        .filter(|b| {
            b.get(..32)
                .is_some_and(|h| h.windows(head.len()).any(|w| w == head))
        })
        .filter_map(|b| ciborium::de::from_reader::<Locale, _>(*b).ok())
        .find(|l| l.lang.as_ref().map(|l| l.0.as_str()) == Some(tag))
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
    fn each_style_decodes_only_its_own_locale_and_en_us_alone() {
        let all = locales();
        for (name, own) in [(AMA, "en-US"), ("gb-7714-2015-numeric", "zh-CN")] {
            let style = Csl::get(name).expect(name);
            assert_eq!(
                style.style.default_locale.as_ref().map(|l| l.0.as_str()),
                Some(own),
                "the style's locale decides which CSL locale formatting uses"
            );
            for tag in ["en-US", own] {
                let alone = locale(tag).expect("found without decoding every locale");
                let from_all = all
                    .iter()
                    .find(|l| l.lang.as_ref().is_some_and(|c| c.0 == tag));
                assert_eq!(Some(&alone), from_all, "{tag}");
                assert!(style.locales.contains(&alone), "{name}: {tag}");
            }
        }
        assert!(Csl::get("no-such-style").is_none());
    }
}
