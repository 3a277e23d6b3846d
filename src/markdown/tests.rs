use std::collections::BTreeMap;
use std::path::PathBuf;

use super::*;
use crate::load::FrontMatter;
use crate::resolve::LinkTargets;
use crate::text::url::join_relative;

const FRONT_MATTER: &str = "+++\ntitle = \"T\"\n+++\n";

fn page(rel: &str) -> Page {
    Page {
        file: PathBuf::from(format!("content/{rel}")),
        rel: rel.into(),
        front_matter: FRONT_MATTER.into(),
        meta: FrontMatter {
            title: "T".into(),
            ..Default::default()
        },
        last_reviewed: None,
        lang: None,
    }
}

fn targets() -> LinkTargets {
    let site_pages = [
        ("about.md", "/kb/about/"),
        ("monographs/ibrutinib.md", "/kb/monographs/ibrutinib/"),
    ];
    LinkTargets::for_tests("/kb", &site_pages, &["monographs/fig.png"])
}

fn render_with(rel: &str, body: &str, glossary: &[GlossaryTerm]) -> Rendered {
    let links = targets();
    let bib = Bibliography::default();
    let calcs = BTreeMap::new();
    let ui = crate::calc::words::english_strings();
    let ctx = Context {
        links: &links,
        bibliography: &bib,
        calculators: &calcs,
        glossary,
        glossary_url: "/kb/glossary/",
        ui,
        data: &BTreeMap::new(),
        kinds: &BTreeMap::new(),
        numbers: true,
    };
    render(&page(rel), &format!("{FRONT_MATTER}{body}"), &ctx)
}

fn render_md(rel: &str, body: &str) -> Rendered {
    render_with(rel, body, &[])
}

#[test]
fn headings_get_unique_slug_ids_and_anchor_links() {
    let r = render_md(
        "a.md",
        "## Management\n\n## Management\n\n### Drug *X* `code`\n",
    );
    let ids: Vec<&str> = r.toc.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["management", "management-1", "drug-x-code"]);
    assert!(
        r.html
            .contains("<h2 id=\"management\">Management <a class=\"anchor\" href=\"#management\""),
        "{}",
        r.html
    );
    assert_eq!(r.toc[2].title, "Drug X code");
}

#[test]
fn explicit_heading_ids_win_and_duplicates_are_errors() {
    let r = render_md("a.md", "## Dx {#diagnosis}\n\n## Other {#diagnosis}\n");
    assert_eq!(r.toc[0].id, "diagnosis");
    assert_eq!(r.diagnostics.len(), 1);
    assert_eq!(r.diagnostics[0].line(), 6, "{}", r.diagnostics[0]);
}

#[test]
fn a_footnote_defined_twice_is_an_error_at_the_second_definition() {
    let r = render_md(
        "a.md",
        "A.[^n] B.[^m]\n\n[^n]: One.\n\n[^m]: Two.\n\n[^n]: Three.\n",
    );
    assert_eq!(r.diagnostics.len(), 1, "{:?}", r.diagnostics);
    let d = &r.diagnostics[0];
    assert_eq!((d.line(), d.column()), (10, 1), "{d}");
    assert!(
        d.message.ends_with("`[^n]` is defined twice on this page"),
        "{d}"
    );
    let first = &d.labels[0];
    assert_eq!(
        (first.span.line, first.span.column, first.message.as_str()),
        (6, 1, "first defined here")
    );
    let source =
        format!("{FRONT_MATTER}A.[^n] B.[^m]\n\n[^n]: One.\n\n[^m]: Two.\n\n[^n]: Three.\n");
    let found: Vec<_> = footnotes(&page("a.md"), &source)
        .into_iter()
        .map(|f| (f.label, f.offset))
        .collect();
    let at = |text: &str| source.find(text).unwrap();
    assert_eq!(
        found,
        [
            ("n".into(), at("[^n]: One")),
            ("m".into(), at("[^m]: Two")),
            ("n".into(), at("[^n]: Three"))
        ]
    );
}

#[test]
fn a_footnote_with_a_heading_id_is_an_error_at_the_footnote() {
    // Either order: the heading before the footnote, or after it.
    let r = render_md(
        "a.md",
        "## Dose\n\nA.[^dose] B.[^risk]\n\n[^dose]: One.\n\n[^risk]: Two.\n\n## Risk\n",
    );
    let found: Vec<_> = r
        .diagnostics
        .iter()
        .map(|d| (d.line(), d.message.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (
                8,
                "footnote `[^dose]` has the same id as the heading `#dose`"
            ),
            (
                10,
                "footnote `[^risk]` has the same id as the heading `#risk`"
            ),
        ]
    );
    assert_eq!(
        r.diagnostics[0].hint.as_deref(),
        Some("rename the footnote, e.g. `[^dose-note]`")
    );
    let distinct = render_md("a.md", "## Dose\n\nA.[^1]\n\n[^1]: One.\n");
    assert!(
        distinct.diagnostics.is_empty(),
        "{:?}",
        distinct.diagnostics
    );
}

#[test]
fn md_links_become_pretty_urls_and_are_recorded() {
    let r = render_md(
        "monographs/x.md",
        "See [i](ibrutinib.md#management) and [a](../about.md) and [top](#top).\n",
    );
    assert!(
        r.html
            .contains("href=\"/kb/monographs/ibrutinib/#management\""),
        "{}",
        r.html
    );
    assert!(r.html.contains("href=\"/kb/about/\""));
    let hrefs: Vec<&str> = r.links.iter().map(|l| l.href.as_str()).collect();
    assert_eq!(
        hrefs,
        ["/kb/monographs/ibrutinib/#management", "/kb/about/", "#top"]
    );
    assert!(r.diagnostics.is_empty());
}

#[test]
fn broken_md_links_are_errors_at_their_position() {
    let r = render_md("monographs/x.md", "line one\n\nSee [i](ibrutinb.md).\n");
    assert_eq!(r.diagnostics.len(), 1);
    let d = &r.diagnostics[0];
    assert_eq!((d.line(), d.column()), (6, 5), "{d}");
    assert_eq!(
        d.hint.as_deref(),
        Some("did you mean `monographs/ibrutinib.md`?")
    );
}

#[test]
fn links_leaving_content_are_errors() {
    let r = render_md("a.md", "[x](../../etc/passwd.md)\n");
    assert!(r.diagnostics[0].message.contains("outside content/"));
}

#[test]
fn external_links_and_images_are_handled() {
    let r = render_md(
        "monographs/x.md",
        "[d](https://doi.org/10.1/x) ![fig](fig.png) [m](mailto:a@b)\n",
    );
    assert!(r.html.contains("href=\"https://doi.org/10.1/x\""));
    assert!(
        r.html.contains("src=\"/kb/monographs/fig.png\""),
        "{}",
        r.html
    );
    assert!(r.diagnostics.is_empty());
}

#[test]
fn unknown_citation_keys_are_errors_with_position() {
    let r = render_md("a.md", "Claim [@nobody2020].\n");
    assert_eq!(r.diagnostics.len(), 1);
    let d = &r.diagnostics[0];
    assert!(d.message.contains("nobody2020"), "{d}");
    assert_eq!((d.line(), d.column()), (4, 7));
}

#[test]
fn gfm_alerts_become_callouts() {
    let r = render_md("a.md", "> [!WARNING]\n> Stop the drug.\n");
    assert!(r.html.contains("<div class=\"callout callout-warning\" role=\"note\"><p class=\"callout-title\">Warning</p>"), "{}", r.html);
    assert!(!r.html.contains("<blockquote"));
}

#[test]
fn unknown_calculator_fence_is_an_error() {
    let r = render_md("a.md", "```calculator\nnope\n```\n");
    assert!(
        r.diagnostics[0]
            .message
            .contains("unknown calculator `nope`")
    );
}

#[test]
fn first_use_of_an_abbreviation_links_to_the_glossary() {
    let terms = [GlossaryTerm {
        abbr: "HLH".into(),
        expansion: "hemophagocytic lymphohistiocytosis".into(),
        definition: String::new(),
    }];
    let r = render_with(
        "a.md",
        "## HLH basics\n\n![Marrow in HLH](fig.png)\n\nHLH and HLH again; [HLH link](#x). `HLH`\n",
        &terms,
    );
    // Not in the image's alt text, an attribute: the link would be read out as markup.
    assert!(r.html.contains("alt=\"Marrow in HLH\""), "{}", r.html);
    assert_eq!(r.html.matches("class=\"term\"").count(), 1, "{}", r.html);
    assert!(r.html.contains("<a class=\"term\" href=\"/kb/glossary/#hlh\"><abbr title=\"hemophagocytic lymphohistiocytosis\">HLH</abbr></a> and HLH again"), "{}", r.html);
}

#[test]
fn plural_abbreviations_link_to_the_singular_term() {
    let terms = [GlossaryTerm {
        abbr: "ICI".into(),
        expansion: "immune checkpoint inhibitor".into(),
        definition: String::new(),
    }];
    let r = render_with("a.md", "Patients on ICIs.\n", &terms);
    assert!(
        r.html.contains(
            "href=\"/kb/glossary/#ici\"><abbr title=\"immune checkpoint inhibitor\">ICIs</abbr>"
        ),
        "{}",
        r.html
    );
}

#[test]
fn an_abbreviation_inside_a_chinese_sentence_links_to_the_glossary() {
    let terms = [GlossaryTerm {
        abbr: "HLH".into(),
        expansion: "噬血细胞性淋巴组织细胞增多症".into(),
        definition: String::new(),
    }];
    let r = render_with("a.zh-Hans.md", "发生HLH的患者。\n", &terms);
    assert!(
        r.html.contains("发生<a class=\"term\" href=\"/kb/glossary/#hlh\"><abbr title=\"噬血细胞性淋巴组织细胞增多症\">HLH</abbr></a>的患者"),
        "{}",
        r.html
    );
    // Latin letters still make one word: no link inside `XHLH`.
    let r = render_with("a.md", "XHLH and 的HLHx.\n", &terms);
    assert!(!r.html.contains("class=\"term\""), "{}", r.html);
}

#[test]
fn raw_html_and_odd_input_do_not_panic() {
    for body in [
        "",
        "#",
        "[@]",
        "[@; ;]",
        "[](",
        "<div id=x>",
        "```calculator\n",
        "## {#}\n",
        "\u{0}",
        "[x](%zz.md)",
        "- [ ] a\n",
    ] {
        let _ = render_md("a.md", body);
    }
}

#[test]
fn join_relative_resolves_dot_segments() {
    assert_eq!(join_relative("a/b.md", "c.md").as_deref(), Some("a/c.md"));
    assert_eq!(join_relative("a/b.md", "../c.md").as_deref(), Some("c.md"));
    assert_eq!(
        join_relative("b.md", "./x/../c.md").as_deref(),
        Some("c.md")
    );
    assert_eq!(join_relative("b.md", "../c.md"), None);
}

#[test]
fn space_before_a_citation_is_dropped() {
    let links = targets();
    let bib = Bibliography::parse(
        std::path::Path::new("content/references.bib"),
        "@article{a2020, author = {A, B}, title = {T}, journal = {J}, year = {2020}, doi = {10.1000/x}}",
    )
    .0;
    let calcs = BTreeMap::new();
    let ui = crate::calc::words::english_strings();
    let ctx = Context {
        links: &links,
        bibliography: &bib,
        calculators: &calcs,
        glossary: &[],
        glossary_url: "/kb/glossary/",
        ui,
        data: &BTreeMap::new(),
        kinds: &BTreeMap::new(),
        numbers: true,
    };
    let source = format!("{FRONT_MATTER}Claim [@a2020]. Next [@a2020]\n");
    let r = render(&page("a.md"), &source, &ctx);
    assert!(r.html.contains("Claim<sup class=\"cite\">"), "{}", r.html);
    assert!(r.html.contains("Next<sup class=\"cite\">"), "{}", r.html);
    assert_eq!(r.citations.len(), 1);
    assert_eq!(r.citations[0].backlinks, ["cite-1", "cite-2"]);
}

#[test]
fn markdown_without_transformed_constructs_renders_as_pulldown_cmark_does() {
    // No headings, links, images, citations, code blocks, alerts, task-list boxes or
    // glossary terms: every event passes through, so the HTML must equal pulldown-cmark's
    // own, whichever path (queued or direct) each event took.
    let body = "Para *em* **strong *nested*** ~~del~~ `code`  \nhard break\nsoft\n\n\
                - a\n  - b\n\n    text in item\n\n\
                1. one\n2. two\n\n> quote *x*\n>\n> - in quote\n\n---\n\n\
                | h | i |\n|---|:-:|\n| *c* | d |\n\n\
                Term\n: definition\n\n<div class=\"raw\">\n\nInside.\n\n</div>\n\n\
                Note.[^n] Again.[^n]\n\n[^n]: The *note*.\n";
    let ours = render_md("a.md", body).html;
    let mut theirs = String::new();
    pulldown_cmark::html::push_html(&mut theirs, Parser::new_ext(body, options()));
    assert_eq!(ours, theirs);
}

#[test]
fn words_before_a_citation_key_inside_its_brackets_are_an_error_not_literal_text() {
    // `[see @a]` is not a form hpskb reads; it used to be printed as it was typed.
    let r = render_md("a.md", "Shown before [see @a; @b, p. 3].\n");
    assert_eq!(r.diagnostics.len(), 1, "{:?}", r.diagnostics);
    let d = &r.diagnostics[0];
    assert_eq!(d.message, "cannot read citation `[see @a; @b, p. 3]`");
    assert_eq!((d.line(), d.column()), (4, 14));
    assert!(
        d.hint
            .as_deref()
            .unwrap()
            .ends_with("outside the brackets, `see [@a; @b, p. 3]`"),
        "{d:?}"
    );
    // Brackets around an address or an `@` that starts no key stay text.
    let r = render_md("a.md", "Mail [me@example.org] or [3 @ 5 mg].\n");
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    assert!(
        r.html.contains("[me@example.org] or [3 @ 5 mg]"),
        "{}",
        r.html
    );
}

#[test]
fn undefined_link_labels_and_empty_destinations_are_errors_at_their_place() {
    // pulldown-cmark prints `[text][label]` as typed when the label is not defined, and
    // `[text]()` as a link to the page itself: neither is what the author meant.
    let r = render_md(
        "a.md",
        "See [the guide][guide], [x][] and [ok][def].\n\nEmpty [link]() and ![pic]().\n\n[def]: about.md\n",
    );
    let mut found: Vec<_> = r
        .diagnostics
        .iter()
        .map(|d| (d.line(), d.column(), d.message.as_str()))
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            (4, 5, "link label `[guide]` is not defined on this page"),
            (4, 25, "link label `[x]` is not defined on this page"),
            (6, 7, "link has no destination: `()` is empty"),
            (6, 20, "image has no source: `()` is empty"),
        ]
    );
    // A defined label becomes a link like any other.
    assert!(
        r.html.contains("<a href=\"/kb/about/\">ok</a>"),
        "{}",
        r.html
    );
    // Plain brackets stay text.
    assert!(
        render_md("a.md", "Dose [sic] and [a] b.\n")
            .diagnostics
            .is_empty()
    );
}

#[test]
fn images_without_alt_text_are_one_warning_per_page() {
    let r = render_md(
        "monographs/x.md",
        "![](fig.png) ![ok](fig.png)\n\n![ ](fig.png) ![`code`](fig.png)\n",
    );
    assert_eq!(r.diagnostics.len(), 1, "{:?}", r.diagnostics);
    let d = &r.diagnostics[0];
    assert!(!d.is_error());
    assert_eq!(
        (d.line(), d.column(), d.message.as_str()),
        (
            4,
            1,
            "2 images on this page have no alt text (the first is here)"
        )
    );
    let one = render_md("monographs/x.md", "Text.\n\n![](fig.png)\n");
    assert_eq!(one.diagnostics[0].message, "image has no alt text");
    assert!(
        render_md("monographs/x.md", "![A figure](fig.png)\n")
            .diagnostics
            .is_empty()
    );
}

#[test]
fn links_that_run_code_and_html_loading_another_origin_are_errors_at_their_line() {
    // Line numbers: the front matter takes lines 1–3.
    let body = "[a](javascript:alert(1))\n\
        \n\
        ![b](  DATA:image/png;base64,AAAA)\n\
        \n\
        <JAVASCRIPT:alert(1)>\n\
        \n\
        [c](&#106;avascript:alert(1)) and <a href=\" java&Tab;script:x\">d</a>\n\
        \n\
        ![e](https://evil.example/e.png)\n\
        \n\
        <div>\n\
        <img alt=\"f\"\n\
          src=\"//evil.example/f.png\">\n\
        <iframe src=\"https://evil.example/\"></iframe>\n\
        </div>\n\
        \n\
        > <script src=\"https://cdn.example/x.js\"></script>\n\
        \n\
        [fine](https://doi.org/10.1/x) <a href=\"https://example.org/\">fine</a> ![fine](fig.png)\n";
    let r = render_md("monographs/x.md", body);
    let lines: Vec<(usize, &str)> = r
        .diagnostics
        .iter()
        .map(|d| (d.line(), d.message.as_str()))
        .collect();
    let at = |line: usize, needle: &str| {
        assert!(
            lines.iter().any(|(l, m)| *l == line && m.contains(needle)),
            "no `{needle}` at line {line}: {lines:#?}"
        );
    };
    at(4, "`javascript:` URL runs code");
    at(6, "`data:` URL");
    at(8, "`javascript:` URL runs code");
    at(10, "`javascript:` URL runs code");
    at(10, "`<a href>`: a `javascript:` URL runs code");
    at(
        12,
        "image: `https://evil.example/e.png` is loaded from another origin",
    );
    at(
        16,
        "`<img src>` loads `//evil.example/f.png` from another origin",
    );
    at(17, "`<iframe src>` loads");
    at(20, "`<script src>` loads");
    at(20, "`<script>` element");
    assert_eq!(lines.len(), 10, "{lines:#?}");
    assert!(r.diagnostics.iter().all(|d| d.hint.is_some()));
    assert!(
        r.diagnostics.iter().all(|d| d.line() != 22),
        "plain links stay allowed"
    );
}

#[test]
fn task_list_boxes_are_named_form_controls() {
    // pulldown-cmark writes a bare <input type=checkbox>, a form control without a name
    // (axe: "label"); each box says its state, and the item's text follows it.
    let html = render_md("a.md", "- [x] cultures sent\n- [ ] ferritin\n").html;
    assert_eq!(
        html,
        "<ul>\n<li><input type=\"checkbox\" disabled checked aria-label=\"done\"> cultures sent</li>\n\
         <li><input type=\"checkbox\" disabled aria-label=\"to do\"> ferritin</li>\n</ul>\n"
    );
}
