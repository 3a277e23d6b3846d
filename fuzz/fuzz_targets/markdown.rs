//! Markdown rendering with every hpskb transform: citations (against the real
//! bibliography), heading ids and table of contents, `.md` link rewriting, GFM alerts,
//! calculator fences and glossary links (against the real glossary).
#![no_main]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use hpskb::calc::{self, Calculator};
use hpskb::cite::Bibliography;
use hpskb::load::{FrontMatter, GlossaryTerm, Page};
use hpskb::markdown::{self, Context};
use hpskb::resolve::LinkTargets;
use libfuzzer_sys::fuzz_target;

const CONTENT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../content");
const HEADER: &str = "+++\ntitle = \"Fuzz\"\n+++\n";

struct Fixed {
    links: LinkTargets,
    bibliography: Bibliography,
    calculators: BTreeMap<String, Calculator>,
    glossary: Vec<GlossaryTerm>,
}

#[derive(serde::Deserialize)]
struct GlossaryFile {
    term: Vec<GlossaryTerm>,
}

static FIXED: LazyLock<Fixed> = LazyLock::new(|| {
    let bib_text = std::fs::read_to_string(format!("{CONTENT}/references.bib")).unwrap();
    let (bibliography, _) = Bibliography::parse(Path::new("content/references.bib"), &bib_text);
    let glossary_text = std::fs::read_to_string(format!("{CONTENT}/glossary.toml")).unwrap();
    let glossary = toml::from_str::<GlossaryFile>(&glossary_text).unwrap().term;
    let mut calculators = BTreeMap::new();
    for path in calculator_specs() {
        let text = std::fs::read_to_string(&path).unwrap();
        let c = calc::parse(&path, &text).unwrap_or_else(|d| panic!("{}: {d:?}", path.display()));
        calculators.insert(c.id.clone(), c);
    }
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
    Fixed {
        links,
        bibliography,
        calculators,
        glossary,
    }
});

/// `content/calculators/*.toml`, sorted (none until the calculator branch is merged).
fn calculator_specs() -> Vec<PathBuf> {
    let mut specs: Vec<PathBuf> = std::fs::read_dir(format!("{CONTENT}/calculators"))
        .map(|dir| {
            dir.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                // `<id>.toml` is a spec; `<id>.<tag>.toml` holds its texts in a language.
                .filter(|p| p.file_stem().is_some_and(|s| !s.to_string_lossy().contains('.')))
                .collect()
        })
        .unwrap_or_default();
    specs.sort();
    specs
}

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
        bibliography: &fixed.bibliography,
        calculators: &fixed.calculators,
        glossary: &fixed.glossary,
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
