//! Bugs the spec examples found (issue #25), each with a test that failed before its fix:
//! some on the Markdown stage alone, some on a whole site (the link check runs after
//! rendering, on the output).

use hpskb::diag::Diagnostic;
use hpskb::load::GlossaryTerm;
use hpskb::markdown::Rendered;
use scraper::{Html, Selector};

use super::spec::render;
use crate::support::{build_errors, build_ok, copy_fixture, html, write};

fn errors(r: &Rendered) -> Vec<String> {
    r.diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(Diagnostic::to_string)
        .collect()
}

fn select(html: &str, css: &str) -> Vec<(String, String)> {
    let doc = Html::parse_fragment(html);
    doc.select(&Selector::parse(css).unwrap())
        .map(|e| {
            let href = e.value().attr("href").unwrap_or_default().to_string();
            (href, e.text().collect())
        })
        .collect()
}

fn hlh() -> Vec<GlossaryTerm> {
    vec![GlossaryTerm {
        abbr: "HLH".into(),
        expansion: "hemophagocytic lymphohistiocytosis".into(),
        definition: String::new(),
    }]
}

#[test]
fn an_email_autolink_is_a_mailto_link() {
    let r = render(
        "Write to <foo@bar.example.com> or <foo+special@Bar.baz-bar0.com>.\n",
        &[],
        &[],
    );
    assert_eq!(errors(&r), Vec::<String>::new());
    let links = select(&r.html, "a");
    assert_eq!(
        links,
        [
            (
                "mailto:foo@bar.example.com".to_string(),
                "foo@bar.example.com".to_string()
            ),
            (
                "mailto:foo+special@Bar.baz-bar0.com".to_string(),
                "foo+special@Bar.baz-bar0.com".to_string()
            ),
        ]
    );
}

#[test]
fn no_glossary_link_is_put_inside_a_link_written_in_raw_html() {
    let body = "See <a href=\"https://example.org/\">HLH</a> here.\n\n\
                <A HREF=\"/about/\"><em>the HLH page</em></A> and HLH.\n";
    let r = render(body, &hlh(), &[]);
    assert_eq!(errors(&r), Vec::<String>::new());
    // (An HTML parser would take a link in a link apart: the markup is checked as written.)
    assert!(
        r.html.contains("<a href=\"https://example.org/\">HLH</a>"),
        "{}",
        r.html
    );
    // The first use outside a link gets the glossary link.
    let terms = select(&r.html, "a.term");
    assert_eq!(
        terms,
        [("/glossary/#hlh".to_string(), "HLH".to_string())],
        "{}",
        r.html
    );
    let doc = Html::parse_fragment(&r.html);
    let p = Selector::parse("p:nth-of-type(2) > a.term").unwrap();
    assert_eq!(doc.select(&p).count(), 1, "{}", r.html);
}

#[test]
fn an_image_whose_alt_text_holds_a_link_or_image_is_not_refused() {
    // Alt text is an attribute: the links and images in it are only their text, so their
    // destinations are neither checked nor loaded.
    let body =
        "![see [the page](missing.md) and ![x](https://example.org/x.png) <b>too</b>](fig.png)\n";
    let r = render(body, &[], &["fig.png"]);
    assert_eq!(errors(&r), Vec::<String>::new());
    assert_eq!(r.links.len(), 1, "{:?}", r.links);
    let doc = Html::parse_fragment(&r.html);
    let img: Vec<_> = doc.select(&Selector::parse("img").unwrap()).collect();
    assert_eq!(img.len(), 1, "{}", r.html);
    assert_eq!(img[0].value().attr("src"), Some("/fig.png"));
    assert_eq!(
        img[0].value().attr("alt"),
        Some("see the page and x <b>too</b>")
    );
    // The image itself is still checked.
    let r = render(
        "![see [the page](about.md)](https://example.org/x.png)\n",
        &[],
        &[],
    );
    assert_eq!(errors(&r).len(), 1, "{:?}", r.diagnostics);
    assert!(errors(&r)[0].contains("another origin"), "{:?}", errors(&r));
}

#[test]
fn a_heading_in_a_list_item_is_written_as_plain_markdown_writes_it() {
    let r = render("- # Foo\n- Bar\n  ---\n", &[], &[]);
    assert!(
        r.html
            .starts_with("<ul>\n<li>\n<h1 id=\"foo\">Foo <a class=\"anchor\""),
        "{}",
        r.html
    );
}

/// The fixture site with `content/spec.md` holding `body` and a page `content/café.md`.
fn site(body: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, root) = copy_fixture("good");
    write(
        &root,
        "content/café.md",
        "+++\ntitle = \"Café\"\n+++\n## Référence {#réf}\n\nText.\n",
    );
    write(
        &root,
        "content/spec.md",
        format!("+++\ntitle = \"Spec\"\n+++\n{body}"),
    );
    (dir, root)
}

#[test]
fn raw_html_hrefs_decode_every_named_and_numeric_reference() {
    let (_dir, root) = site(
        "<a href=\"/kb/caf&eacute;/#r&eacute;f\">named</a>\n\
         <a href=\"/kb/caf&#xE9;/#r&#233;f\">numeric</a>\n\
         <a href=\"/kb/about/#reach&hyphen;us&NotANamedEntity;\">x</a>\n",
    );
    let errors = build_errors(&root);
    // `&hyphen;` is U+2010, not `-`; the unknown name stays as written.
    assert_eq!(errors.len(), 1, "{errors:?}");
    // Located in the page, although written with references.
    assert_eq!(
        (errors[0].file.display().to_string(), errors[0].line()),
        ("content/spec.md".to_string(), 6),
        "{}",
        errors[0]
    );
    assert!(
        errors[0]
            .message
            .contains("reach\u{2010}us&NotANamedEntity;"),
        "{}",
        errors[0]
    );
    let (_dir, root) = site(
        "<a href=\"/kb/caf&eacute;/#r&eacute;f\">named</a> \
         <a href=\"/kb/caf&#xE9;/#r&#233;f\">numeric</a>\n",
    );
    build_ok(&root);
    let page = html(&root, "spec/index.html");
    assert_eq!(
        page.select(&Selector::parse(".content a[href^='/kb/caf']").unwrap())
            .count(),
        2
    );
}

#[test]
fn broken_links_with_non_ascii_spaces_or_quotes_are_reported_once_at_the_page() {
    let body = "[a](about.md#nöpe)\n\n[b](<a b.md>)\n\n[c](a\"b.md)\n\n[d](café.md#nope)\n\n\
                [e](<missing file.pdf>)\n";
    let (_dir, root) = site(body);
    let errors = build_errors(&root);
    let places: Vec<(String, usize)> = errors
        .iter()
        .map(|d| (d.file.display().to_string(), d.line()))
        .collect();
    assert_eq!(
        places,
        [
            ("content/spec.md".to_string(), 4),
            ("content/spec.md".to_string(), 6),
            ("content/spec.md".to_string(), 8),
            ("content/spec.md".to_string(), 10),
            ("content/spec.md".to_string(), 12),
        ],
        "{errors:#?}"
    );
    assert!(errors[0].message.contains("nöpe"), "{}", errors[0]);
}

#[test]
fn a_citation_in_an_image_alt_text_is_an_error_at_the_page() {
    // It used to be written into the alt attribute as markup, its backlink from the
    // reference list broken and reported against the template.
    let (_dir, root) = site("![Marrow aspirate [@fardet2014]](fig.png)\n");
    write(&root, "content/fig.png", "");
    write(
        &root,
        "content/references.bib",
        "@article{fardet2014,\n  author = {Fardet, L.},\n  title = {T},\n  journal = {J},\n  year = {2014},\n  doi = {10.1002/art.38690}\n}\n",
    );
    let errors = build_errors(&root);
    let found: Vec<(String, usize, &str)> = errors
        .iter()
        .map(|d| (d.file.display().to_string(), d.line(), d.message.as_str()))
        .collect();
    assert_eq!(
        found,
        [(
            "content/spec.md".to_string(),
            4,
            "citation `[@fardet2014]` in an image's alt text"
        )],
        "{errors:#?}"
    );
}
