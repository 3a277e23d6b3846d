//! Markdown rendering with every hpskb transform: citations (against the real
//! bibliography), heading ids and table of contents, `.md` link rewriting, GFM alerts,
//! calculator fences and glossary links (against the real glossary).
#![no_main]

mod shared;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::LazyLock;

use hpskb::calc;
use hpskb::load::{FrontMatter, Page, Site};
use hpskb::markdown::{self, Context};
use hpskb::resolve::LinkTargets;
use libfuzzer_sys::fuzz_target;

const HEADER: &str = "+++\ntitle = \"Fuzz\"\n+++\n";

/// The bundled site (its bibliography, calculators and glossary, as `hpskb build` loads
/// them) and a fixed set of link targets.
struct Fixed {
    site: Site,
    links: LinkTargets,
}

static FIXED: LazyLock<Fixed> = LazyLock::new(|| {
    let site = shared::bundled_site();
    let links = LinkTargets::from_lists(
        "/kb",
        &[
            ("_index.md", "/kb/"),
            ("about.md", "/kb/about/"),
            ("hemophagocytic-syndrome.md", "/kb/hemophagocytic-syndrome/"),
            ("monographs/_index.md", "/kb/monographs/"),
            ("monographs/ibrutinib.md", "/kb/monographs/ibrutinib/"),
            ("monographs/lamotrigine.md", "/kb/monographs/lamotrigine/"),
            ("monographs/fuzz.md", "/kb/monographs/fuzz/"),
        ],
        &["monographs/fig.png", "files/a b.pdf"],
    );
    Fixed { site, links }
});

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else {
        return;
    };
    let fixed = &*FIXED;
    let page = Page {
        file: PathBuf::from("content/monographs/fuzz.md"),
        rel: "monographs/fuzz.md".into(),
        front_matter: HEADER.into(),
        meta: FrontMatter {
            title: "Fuzz".into(),
            ..Default::default()
        },
        last_reviewed: None,
        lang: None,
    };
    let ctx = Context {
        links: &fixed.links,
        bibliography: &fixed.site.bibliography,
        calculators: &fixed.site.calculators,
        glossary: &fixed.site.glossary,
        glossary_url: "/glossary/",
        ui: calc::words::english_strings(),
        data: &BTreeMap::new(),
        kinds: &BTreeMap::new(),
        numbers: true,
    };
    let rendered = markdown::render(&page, &format!("{HEADER}{body}"), &ctx);
    for (i, c) in rendered.citations.iter().enumerate() {
        assert_eq!(c.number, i + 1);
    }
    for d in &rendered.diagnostics {
        let _ = d.to_string();
    }
});
