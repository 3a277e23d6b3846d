//! Translated pages (`[languages]` in `config.toml`, `a.<tag>.md` beside `a.md`): their
//! URLs, the language switcher and `hreflang` pairs, links that prefer the reader's
//! language, and the warnings that keep translations in step with their sources.

use std::path::{Path, PathBuf};

use hpskb::diag::Code;

use crate::support::{attrs, build_errors, build_ok, copy_fixture, html, texts, write};

/// The fixture site, with a disclaimer in each language, and a Simplified Chinese edition
/// of its home page, its monographs section, drug A (whose source was reviewed on
/// 2026-01-15) and the about page; drug B stays untranslated.
fn bilingual(drug_a_front: &str, drug_a_body: &str) -> (tempfile::TempDir, PathBuf) {
    let (dir, root) = copy_fixture("good");
    let config = std::fs::read_to_string(root.join("config.toml")).unwrap();
    write(
        &root,
        "config.toml",
        format!(
            "disclaimer = \"Teaching only.\"\n{config}\n[languages.zh-Hans]\n\
             title = \"测试知识库\"\ndisclaimer = \"仅供教学。\"\n"
        ),
    );
    write(
        &root,
        "content/_index.zh-Hans.md",
        "+++\ntitle = \"首页\"\n+++\n中文首页。\n",
    );
    write(
        &root,
        "content/monographs/_index.zh-Hans.md",
        "+++\ntitle = \"药物专论\"\n+++\n本栏目。\n",
    );
    write(
        &root,
        "content/about.zh-Hans.md",
        "+++\ntitle = \"关于\"\n+++\n## 范围 {#scope}\n\n测试。\n",
    );
    write(
        &root,
        "content/monographs/drug-a.zh-Hans.md",
        format!(
            "+++\ntitle = \"药物 A\"\nkind = \"monograph\"\nlast_reviewed = 2026-02-01\n{drug_a_front}+++\n\
             ## 要点 {{#key-points}}\n\n{drug_a_body}\n\n## 处理 {{#management}}\n\n测试。\n"
        ),
    );
    (dir, root)
}

const IN_STEP: &str = "source_reviewed = 2026-01-15\n";

#[test]
fn translations_are_served_under_their_language_and_link_to_each_other() {
    let (_dir, root) = bilingual(
        IN_STEP,
        "见[关于](../about.md)与[药物 B 的处理](drug-b.md#management)。",
    );
    let warnings = build_ok(&root);
    assert!(
        warnings.iter().all(|d| d.code != Code::StaleTranslation),
        "{warnings:?}"
    );
    // The one page not translated is listed.
    let untranslated: Vec<&str> = (warnings.iter())
        .filter(|d| d.code == Code::Untranslated)
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(
        untranslated,
        ["1 of 5 pages have no zh-Hans translation: content/monographs/drug-b.md"]
    );
    // The sitemap pairs each translated page with its translations.
    let sitemap = std::fs::read_to_string(root.join("public/sitemap.xml")).unwrap();
    let doc = roxmltree::Document::parse(&sitemap).unwrap();
    let url_of = |loc: &str| {
        doc.descendants()
            .find(|n| {
                n.has_tag_name("url")
                    && n.children()
                        .any(|c| c.has_tag_name("loc") && c.text() == Some(loc))
            })
            .unwrap_or_else(|| panic!("{loc} is not in the sitemap"))
    };
    let alternates = |loc: &str| -> Vec<(String, String)> {
        url_of(loc)
            .children()
            .filter(|c| c.has_tag_name(("http://www.w3.org/1999/xhtml", "link")))
            .map(|c| {
                (
                    c.attribute("hreflang").unwrap().into(),
                    c.attribute("href").unwrap().into(),
                )
            })
            .collect()
    };
    let pair = vec![
        (
            "en".to_string(),
            "https://example.org/kb/monographs/drug-a/".to_string(),
        ),
        (
            "zh-Hans".to_string(),
            "https://example.org/kb/zh-hans/monographs/drug-a/".to_string(),
        ),
    ];
    assert_eq!(
        alternates("https://example.org/kb/monographs/drug-a/"),
        pair
    );
    assert_eq!(
        alternates("https://example.org/kb/zh-hans/monographs/drug-a/"),
        pair
    );
    assert!(alternates("https://example.org/kb/monographs/drug-b/").is_empty());
    let zh = html(&root, "zh-hans/monographs/drug-a/index.html");
    let en = html(&root, "monographs/drug-a/index.html");
    assert_eq!(attrs(&zh, "html", "lang"), ["zh-Hans"]);
    assert_eq!(attrs(&en, "html", "lang"), ["en"]);
    // The switcher leads to the same page in the other language, named in that language.
    assert_eq!(
        attrs(&en, ".languages a", "href"),
        ["/kb/zh-hans/monographs/drug-a/"]
    );
    assert_eq!(texts(&en, ".languages a"), ["简体中文"]);
    assert_eq!(
        attrs(&zh, ".languages a", "href"),
        ["/kb/monographs/drug-a/"]
    );
    assert_eq!(texts(&zh, ".languages a"), ["English"]);
    // hreflang pairs, each page naming itself and the other.
    for doc in [&en, &zh] {
        let mut pairs: Vec<(String, String)> =
            attrs(doc, "link[rel=alternate][hreflang]", "hreflang")
                .into_iter()
                .zip(attrs(doc, "link[rel=alternate][hreflang]", "href"))
                .collect();
        pairs.sort();
        assert_eq!(
            pairs,
            [
                (
                    "en".to_string(),
                    "https://example.org/kb/monographs/drug-a/".to_string()
                ),
                (
                    "zh-Hans".to_string(),
                    "https://example.org/kb/zh-hans/monographs/drug-a/".to_string()
                ),
            ]
        );
    }
    // A link goes to the page in the translation's language where there is one, else to
    // the site's own language.
    let links = attrs(&zh, ".content a", "href");
    assert!(
        links.contains(&"/kb/zh-hans/about/".to_string()),
        "{links:?}"
    );
    assert!(
        links.contains(&"/kb/monographs/drug-b/#management".to_string()),
        "{links:?}"
    );
    // The Chinese pages have the Chinese menu, title, breadcrumbs, dates and disclaimer.
    assert_eq!(texts(&zh, "button.menu-toggle"), ["菜单"]);
    assert_eq!(texts(&zh, ".meta time"), ["2026年2月1日"]);
    assert_eq!(texts(&en, ".meta time"), ["15 January 2026"]);
    assert_eq!(texts(&zh, ".print-source time"), ["2026年2月1日"]);
    assert_eq!(texts(&zh, ".site-footer p:first-child"), ["仅供教学。"]);
    assert_eq!(texts(&en, ".site-footer p:first-child"), ["Teaching only."]);
    assert_eq!(
        texts(&zh, ".print-source p"),
        [
            "测试知识库: 药物 A. https://example.org/kb/zh-hans/monographs/drug-a/ · 最近审阅 2026年2月1日",
            "仅供教学。"
        ]
    );
    assert_eq!(texts(&zh, ".site-title"), ["测试知识库"]);
    assert_eq!(texts(&zh, ".breadcrumbs a"), ["首页", "药物专论"]);
    let nav = attrs(&zh, "#site-nav a", "href");
    assert!(
        nav.contains(&"/kb/zh-hans/monographs/".to_string()),
        "{nav:?}"
    );
    // An untranslated page has no switcher; the drug index lists the source only.
    let b = html(&root, "monographs/drug-b/index.html");
    assert!(attrs(&b, ".languages a", "href").is_empty());
    let drugs = attrs(
        &html(&root, "drugs/druga/index.html"),
        "article > ul a",
        "href",
    );
    assert_eq!(drugs, ["/kb/monographs/drug-a/"]);
    let json_ld: serde_json::Value =
        serde_json::from_str(&texts(&zh, "script[type='application/ld+json']")[0]).unwrap();
    assert_eq!(json_ld["inLanguage"], "zh-Hans");
    // Each language has its references, search and 404 pages, which its pages link to.
    assert_eq!(
        attrs(&zh, "#site-nav a", "href")
            .into_iter()
            .filter(|h| h.contains("references"))
            .collect::<Vec<_>>(),
        ["/kb/zh-hans/references/"]
    );
    assert_eq!(
        attrs(&zh, "form.search-form", "action"),
        ["/kb/zh-hans/search/"]
    );
    assert_eq!(attrs(&zh, "a.site-title", "href"), ["/kb/zh-hans/"]);
    assert_eq!(
        texts(&html(&root, "zh-hans/references/index.html"), "h1"),
        ["参考文献"]
    );
    assert_eq!(
        texts(&html(&root, "zh-hans/search/index.html"), "h1"),
        ["搜索"]
    );
    let missing = html(&root, "zh-hans/404.html");
    assert_eq!(texts(&missing, "h1"), ["页面不存在"]);
    assert_eq!(attrs(&missing, "article a", "href"), ["/kb/zh-hans/"]);
    assert_eq!(attrs(&en, "form.search-form", "action"), ["/kb/search/"]);
    // One feed per language, each page's head and footer linking to its language's.
    let feed = std::fs::read_to_string(root.join("public/atom.xml")).unwrap();
    assert!(!feed.contains("zh-hans"), "{feed}");
    let zh_feed = std::fs::read_to_string(root.join("public/zh-hans/atom.xml")).unwrap();
    let doc = roxmltree::Document::parse(&zh_feed).unwrap();
    let feed_root = doc.root_element();
    assert_eq!(
        feed_root.attribute(("http://www.w3.org/XML/1998/namespace", "lang")),
        Some("zh-Hans")
    );
    let entries: Vec<&str> = feed_root
        .descendants()
        .filter(|n| n.has_tag_name("entry"))
        .filter_map(|e| e.children().find(|c| c.has_tag_name("id"))?.text())
        .collect();
    assert_eq!(
        entries,
        ["https://example.org/kb/zh-hans/monographs/drug-a/"]
    );
    assert_eq!(
        attrs(&zh, "link[type='application/atom+xml']", "href"),
        ["/kb/zh-hans/atom.xml"]
    );
    assert_eq!(
        attrs(&en, "link[type='application/atom+xml']", "href"),
        ["/kb/atom.xml"]
    );
}

#[test]
fn a_broken_fragment_in_a_translation_is_an_error_at_its_file() {
    let (_dir, root) = bilingual(IN_STEP, "见[药物 B](drug-b.md#no-such-section)。");
    let errors = build_errors(&root);
    assert!(
        errors.iter().any(|d| d.code == Code::BrokenLink
            && d.file.ends_with("drug-a.zh-Hans.md")
            && d.message.contains("no-such-section")),
        "{errors:?}"
    );
}

#[test]
fn a_translation_behind_its_source_or_without_its_review_date_is_a_warning() {
    let stale = |front: &str| {
        let (_dir, root) = bilingual(front, "测试。");
        build_ok(&root)
            .into_iter()
            .filter(|d| d.code == Code::StaleTranslation)
            .map(|d| (d.file.to_string_lossy().into_owned(), d.line(), d.message))
            .collect::<Vec<_>>()
    };
    let behind = stale("source_reviewed = 2025-06-01\n");
    assert_eq!(behind.len(), 1, "{behind:?}");
    assert!(behind[0].0.ends_with("drug-a.zh-Hans.md"));
    assert_eq!(behind[0].1, 5, "at the source_reviewed line");
    assert!(behind[0].2.contains("2026-01-15"), "{}", behind[0].2);
    let unrecorded = stale("");
    assert_eq!(unrecorded.len(), 1, "{unrecorded:?}");
    assert!(
        unrecorded[0].2.contains("does not record"),
        "{}",
        unrecorded[0].2
    );
}

#[test]
fn the_site_language_listed_again_is_an_error() {
    let (_dir, root) = copy_fixture("good");
    let config = std::fs::read_to_string(root.join("config.toml")).unwrap();
    write(&root, "config.toml", format!("{config}\n[languages.en]\n"));
    let errors = build_errors(&root);
    assert!(
        errors
            .iter()
            .any(|d| d.code == Code::ConfigValue && d.message.contains("[languages.en]")),
        "{errors:?}"
    );
}

/// A file named like a translation into a language the site does not list is an ordinary
/// page (nothing is guessed from its name).
#[test]
fn a_suffix_that_is_no_listed_language_makes_an_ordinary_page() {
    let (_dir, root) = copy_fixture("good");
    write(
        &root,
        "content/notes.fr.md",
        "+++\ntitle = \"Notes\"\n+++\nText.\n",
    );
    build_ok(&root);
    assert!(Path::new(&root.join("public/notes.fr/index.html")).is_file());
}

/// A language with its own glossary (`glossary.zh-Hans.toml`) has its glossary page, and
/// its pages' abbreviations and menu link to it; a language without one links to the
/// site's.
#[test]
fn a_language_with_its_own_glossary_links_to_it() {
    let (_dir, root) = bilingual(IN_STEP, "HLH 是一种综合征。");
    build_ok(&root);
    let without = html(&root, "zh-hans/monographs/drug-a/index.html");
    assert_eq!(attrs(&without, "a.term", "href"), ["/kb/glossary/#hlh"]);
    assert!(!root.join("public/zh-hans/glossary/index.html").exists());

    write(
        &root,
        "content/glossary.zh-Hans.toml",
        "[[term]]\nabbr = \"HLH\"\nexpansion = \"噬血细胞性淋巴组织细胞增多症\"\ndefinition = \"测试定义。\"\n",
    );
    build_ok(&root);
    let zh = html(&root, "zh-hans/monographs/drug-a/index.html");
    assert_eq!(attrs(&zh, "a.term", "href"), ["/kb/zh-hans/glossary/#hlh"]);
    assert_eq!(
        attrs(&zh, "a.term abbr", "title"),
        ["噬血细胞性淋巴组织细胞增多症"]
    );
    assert!(attrs(&zh, "#site-nav a", "href").contains(&"/kb/zh-hans/glossary/".to_string()));
    let glossary = html(&root, "zh-hans/glossary/index.html");
    assert_eq!(texts(&glossary, "h1"), ["术语表"]);
    assert_eq!(
        texts(&glossary, "dd strong"),
        ["噬血细胞性淋巴组织细胞增多症"]
    );
    // The site's own pages keep the site's glossary.
    let en = html(&root, "about/index.html");
    assert!(attrs(&en, "#site-nav a", "href").contains(&"/kb/glossary/".to_string()));
}

/// A language's monographs have their own drug and drug-class indexes, at the same paths
/// under the language's prefix (drug pages are named by the generic name), showing the
/// name the translation writes; the site's indexes list only the site's own pages.
#[test]
fn each_language_has_its_drug_and_class_indexes() {
    let (_dir, root) = bilingual(
        "source_reviewed = 2026-01-15\ndrug_class = \"激酶抑制剂\"\n\
         drugs = [{ generic = \"druga\", name = \"药物甲\", brands = [\"品牌甲\"] }]\n",
        "测试。",
    );
    build_ok(&root);
    let zh_drug = html(&root, "zh-hans/drugs/druga/index.html");
    assert_eq!(texts(&zh_drug, "h1"), ["药物甲"]);
    assert_eq!(attrs(&zh_drug, "html", "lang"), ["zh-Hans"]);
    assert_eq!(
        attrs(&zh_drug, "main a[href*='monographs']", "href"),
        ["/kb/zh-hans/monographs/drug-a/"]
    );
    let zh_index = html(&root, "zh-hans/drugs/index.html");
    assert!(texts(&zh_index, "main").concat().contains("品牌甲"));
    let zh_page = html(&root, "zh-hans/monographs/drug-a/index.html");
    assert_eq!(texts(&zh_page, ".drug").concat(), "药物甲 (品牌甲)");
    assert_eq!(
        attrs(&zh_page, ".meta a", "href"),
        ["/kb/zh-hans/drug-classes/激酶抑制剂/"]
    );
    let zh_class = html(&root, "zh-hans/drug-classes/激酶抑制剂/index.html");
    assert_eq!(texts(&zh_class, "h1"), ["激酶抑制剂"]);
    // The site's own index lists only the site's own page, by its generic name.
    let en_drug = html(&root, "drugs/druga/index.html");
    assert_eq!(texts(&en_drug, "h1"), ["druga"]);
    assert_eq!(
        attrs(&en_drug, "main a[href*='monographs']", "href"),
        ["/kb/monographs/drug-a/"]
    );
}

/// A language's `citation_style` formats its pages' reference lists and its references
/// page (GB/T 7714-2015 for Chinese); the site's language
/// keeps AMA.
#[test]
fn a_language_formats_references_in_its_own_style() {
    let (_dir, root) = bilingual(IN_STEP, "测试[@smith2020]。");
    write(
        &root,
        "content/references.bib",
        "@article{smith2020,\n  author = {Smith, Anna and Jones, Bob},\n  title = {A test article},\n  \
         journal = {Test Journal},\n  year = {2020},\n  volume = {12},\n  number = {3},\n  \
         pages = {45--67},\n  doi = {10.1000/test.2020}\n}\n",
    );
    let config = std::fs::read_to_string(root.join("config.toml")).unwrap();
    write(
        &root,
        "config.toml",
        config.replace(
            "[languages.zh-Hans]\n",
            "[languages.zh-Hans]\ncitation_style = \"gb-7714-2015-numeric\"\n",
        ),
    );
    build_ok(&root);
    let zh = texts(
        &html(&root, "zh-hans/monographs/drug-a/index.html"),
        "section.references li",
    )
    .concat();
    let zh_page = texts(&html(&root, "zh-hans/references/index.html"), "main li").concat();
    let en_page = texts(&html(&root, "references/index.html"), "main li").concat();
    // GB/T 7714-2015: surnames in capitals, `[J/OL]` for an article with a DOI.
    let gb = "SMITH A, JONES B. A test article[J/OL]. Test Journal, 2020, 12(3): 45-67.";
    assert!(zh.contains(gb), "{zh}");
    assert!(zh_page.contains(gb), "{zh_page}");
    assert!(
        en_page.contains("Smith A, Jones B. A test article. Test Journal."),
        "{en_page}"
    );

    write(
        &root,
        "config.toml",
        config.replace(
            "[languages.zh-Hans]\n",
            "[languages.zh-Hans]\ncitation_style = \"gb-7714\"\n",
        ),
    );
    let errors = build_errors(&root);
    assert!(
        errors
            .iter()
            .any(|d| d.code == Code::ConfigValue
                && d.message.contains("no citation style `gb-7714`")),
        "{errors:?}"
    );
}

/// A translation that keeps its source's sections, citations and numbers draws no
/// warning; one with a section of its own or another number is told which.
#[test]
fn a_translation_with_other_sections_or_numbers_is_a_warning() {
    let faithful =
        "- 停用药物 A。\n\n| 步骤 | 处理 |\n|---|---|\n| 1 | 停用 |\n\n脚注。[^1]\n\n[^1]: 脚注。";
    let (_dir, root) = bilingual(IN_STEP, faithful);
    let of_code = |warnings: &[hpskb::diag::Diagnostic], code: Code| -> Vec<String> {
        (warnings.iter())
            .filter(|d| d.code == code && d.file.ends_with("monographs/drug-a.zh-Hans.md"))
            .map(|d| d.message.clone())
            .collect()
    };
    let warnings = build_ok(&root);
    assert_eq!(
        of_code(&warnings, Code::TranslationSections),
        Vec::<String>::new()
    );
    assert_eq!(
        of_code(&warnings, Code::TranslationContent),
        Vec::<String>::new()
    );

    let (_dir, root) = bilingual(IN_STEP, &faithful.replace("| 1 |", "| 2 |"));
    let page = root.join("content/monographs/drug-a.zh-Hans.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, format!("{text}\n## 附注\n\n测试。\n")).unwrap();
    let warnings = build_ok(&root);
    let source = Path::new("content/monographs/drug-a.md")
        .display()
        .to_string();
    assert_eq!(
        of_code(&warnings, Code::TranslationSections),
        [format!(
            "the sections of this translation differ from {source}'s: extra #附注"
        )]
    );
    assert_eq!(
        of_code(&warnings, Code::TranslationContent),
        [format!(
            "the numbers of this translation differ from {source}'s: missing 1; extra 2"
        )]
    );
    // Each is reported where the translation departs from its source: the heading of
    // its own, and the table row with the other number.
    let text = std::fs::read_to_string(&page).unwrap();
    let line_of = |needle: &str| text.lines().position(|l| l.starts_with(needle)).unwrap() + 1;
    let lines: Vec<(Code, usize)> = (warnings.iter())
        .filter(|d| d.file.ends_with("monographs/drug-a.zh-Hans.md"))
        .filter(|d| matches!(d.code, Code::TranslationSections | Code::TranslationContent))
        .map(|d| (d.code, d.span.as_ref().expect("located").line))
        .collect();
    assert!(
        lines.contains(&(Code::TranslationSections, line_of("## 附注")))
            && lines.contains(&(Code::TranslationContent, line_of("| 2 |"))),
        "{lines:?}"
    );
}

#[test]
fn generated_pages_switch_to_the_same_page_where_the_other_language_has_it() {
    let (_dir, root) = bilingual(IN_STEP, "测试。");
    build_ok(&root);
    // Every language has its references and search pages: each leads to the other.
    for path in ["references/", "search/"] {
        let en = html(&root, &format!("{path}index.html"));
        let zh = html(&root, &format!("zh-hans/{path}index.html"));
        assert_eq!(
            attrs(&en, ".languages a", "href"),
            [format!("/kb/zh-hans/{path}")]
        );
        assert_eq!(attrs(&zh, ".languages a", "href"), [format!("/kb/{path}")]);
        assert_eq!(
            attrs(&zh, "link[rel=alternate][hreflang=en]", "href").len(),
            1
        );
    }
    // The Chinese edition has no glossary of its own here: the site's has no switcher.
    let glossary = html(&root, "glossary/index.html");
    assert!(attrs(&glossary, ".languages a", "href").is_empty());
    // The sitemap pairs them too.
    let sitemap = std::fs::read_to_string(root.join("public/sitemap.xml")).unwrap();
    assert!(
        sitemap
            .contains("hreflang=\"zh-Hans\" href=\"https://example.org/kb/zh-hans/references/\""),
        "{sitemap}"
    );
}
