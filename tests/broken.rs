//! Integration tests: one broken site per failure class. Each must fail with a located,
//! hinted diagnostic, never panic, and report every problem at once.

mod support;

use support::*;

fn broken(file: &str, text: impl AsRef<[u8]>) -> (tempfile::TempDir, std::path::PathBuf) {
    let (g, root) = copy_fixture("good");
    write(&root, file, text);
    (g, root)
}

#[test]
fn unknown_front_matter_key() {
    let (_g, root) = broken(
        "content/about.md",
        "+++\ntitle = \"About\"\nauthor = \"Nobody\"\n+++\nx\n",
    );
    let d = build_errors(&root);
    assert_error_at(&d, "content/about.md", 3, "author");
    assert!(d[0].hint.as_deref().unwrap().contains("allowed keys"));
}

#[test]
fn unclosed_front_matter() {
    let (_g, root) = broken("content/about.md", "+++\ntitle = \"About\"\n\n## Scope\n");
    assert_error_at(&build_errors(&root), "content/about.md", 1, "never closed");
}

#[test]
fn invalid_toml() {
    let (_g, root) = broken(
        "content/about.md",
        "+++\ntitle = \"About\nweight = 1\n+++\n",
    );
    let d = build_errors(&root);
    assert!(
        d.iter()
            .any(|d| d.file.ends_with("content/about.md") && d.line() >= 2),
        "{d:?}"
    );
}

#[test]
fn non_utf8_file() {
    let (_g, root) = broken(
        "content/about.md",
        b"+++\ntitle = \"A\"\n+++\nabc \xff\xfe\n".as_slice(),
    );
    assert_error_at(
        &build_errors(&root),
        "content/about.md",
        4,
        "not valid UTF-8",
    );
}

#[test]
fn empty_file() {
    let (_g, root) = broken("content/empty.md", "");
    assert_error_at(
        &build_errors(&root),
        "content/empty.md",
        1,
        "missing front matter",
    );
}

#[test]
fn file_that_is_only_front_matter_builds() {
    let (_g, root) = broken("content/only.md", "+++\ntitle = \"Only\"\n+++");
    build_ok(&root);
    assert_eq!(texts(&html(&root, "only/index.html"), "h1"), ["Only"]);
}

#[test]
fn bad_review_date() {
    let (_g, root) = broken(
        "content/monographs/drug-b.md",
        "+++\ntitle = \"B\"\nkind = \"monograph\"\nlast_reviewed = 2999-01-01\n+++\n## Key points\n\n## Management\n",
    );
    assert_error_at(
        &build_errors(&root),
        "content/monographs/drug-b.md",
        4,
        "in the future",
    );
}

#[test]
fn monograph_missing_required_section_and_date() {
    let (_g, root) = broken(
        "content/monographs/drug-b.md",
        "+++\ntitle = \"B\"\nkind = \"monograph\"\n+++\n## Key points\n",
    );
    let d = build_errors(&root);
    assert_error_at(
        &d,
        "content/monographs/drug-b.md",
        1,
        "`## Management` is missing",
    );
    assert_error_at(
        &d,
        "content/monographs/drug-b.md",
        1,
        "needs `last_reviewed`",
    );
}

#[test]
fn broken_link_and_fragment_are_located() {
    let (_g, root) = broken(
        "content/about.md",
        "+++\ntitle = \"About\"\n+++\n## Scope\n\n[gone](gone.md) and [frag](monographs/drug-a.md#nowhere) and [self](#nope)\n\n<p>Raw <a href=\"/kb/no-such-page/\">HTML</a> link.</p>\n",
    );
    let d = build_errors(&root);
    assert_error_at(&d, "content/about.md", 6, "missing page `gone.md`");
    assert_error_at(&d, "content/about.md", 6, "nowhere");
    assert_error_at(&d, "content/about.md", 6, "nope");
    // Found in the output, located by searching the page's source.
    assert_error_at(&d, "content/about.md", 8, "/kb/no-such-page/");
    assert!(d.iter().all(|d| d.hint.is_some()));
}

#[test]
fn links_to_a_directory_or_to_md_in_html_get_a_hint_that_fixes_them() {
    let (_g, root) = broken(
        "content/about.md",
        "+++\ntitle = \"About\"\n+++\n## Scope\n[all](monographs/)\n\n<a href=\"monographs/drug-a.md\">A</a>\n\n[home](./)\n",
    );
    let d = build_errors(&root);
    assert_error_at(&d, "content/about.md", 5, "`monographs/`");
    assert_error_at(&d, "content/about.md", 7, "`monographs/drug-a.md`");
    assert_error_at(&d, "content/about.md", 9, "`./`");
    let hints: Vec<&str> = d.iter().map(|d| d.hint.as_deref().unwrap()).collect();
    assert_eq!(hints.len(), 3, "{d:?}");
    assert!(
        hints[0].contains("write `monographs/_index.md`"),
        "{hints:?}"
    );
    assert!(hints[1].contains("only in Markdown links"), "{hints:?}");
    // The content root's own section page.
    assert!(hints[2].contains("write `./_index.md`"), "{hints:?}");
}

#[test]
fn an_id_used_twice_in_a_copied_html_file_is_located_at_the_second() {
    let (_g, root) = broken(
        "content/legacy/handout.html",
        "<!DOCTYPE html>\n<title>Handout</title>\n<p id=\"dose\">1</p>\n<p data-id=\"dose\" id='dose'>2</p>\n",
    );
    let d = build_errors(&root);
    assert_only_error_at(
        &d,
        "content/legacy/handout.html",
        4,
        "id `dose` is used twice in this file",
    );
    assert_eq!(d[0].column(), 23, "at the second id's value: {d:?}");
}

#[test]
fn broken_link_in_a_copied_html_file_is_located_in_that_file() {
    // HTML files under content/ and static/ are copied unchanged, and their links
    // checked: a broken one is reported in the file itself, not in a template.
    let (_g, root) = broken(
        "content/legacy/handout.html",
        "<!DOCTYPE html>\n<title>Handout</title>\n<p>See <a href=\"/kb/no-such-page/\">this</a>.</p>\n",
    );
    write(
        &root,
        "static/extra.html",
        "<!DOCTYPE html>\n<title>Extra</title>\n\n<a href='#nope'>x</a>\n",
    );
    let d = build_errors(&root);
    assert_error_at(&d, "content/legacy/handout.html", 3, "/kb/no-such-page/");
    assert_error_at(&d, "static/extra.html", 4, "nope");
    let columns: Vec<usize> = d.iter().map(|d| d.column()).collect();
    assert_eq!(columns, [17, 10], "each at its attribute value: {d:?}");
    assert!(
        d.iter()
            .all(|d| d.hint.as_deref().unwrap().contains("copied unchanged"))
    );
}

#[test]
fn broken_link_in_a_template_names_the_template() {
    let (_g, root) = copy_fixture("good");
    write(
        &root,
        "templates/404.html",
        "{% extends \"base.html\" %}{% block main %}<a href=\"{{ site.base_path }}/nowhere/\">x</a>{% endblock main %}",
    );
    let d = build_errors(&root);
    // Found in the template although it writes the base path as an expression.
    assert_only_error_at(
        &d,
        "templates/404.html",
        1,
        "broken link in `404.html`: `/kb/nowhere/` points to a page that does not exist",
    );
    assert_eq!(d[0].column(), 51, "at the link's value: {d:?}");
}

#[test]
fn template_syntax_error_names_file_and_line() {
    let (_g, root) = broken(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block main %}\n{{ page.title \n{% endblock main %}\n",
    );
    let d = build_errors(&root);
    assert!(
        d.iter()
            .any(|d| d.file.ends_with("templates/page.html") && d.line() >= 3),
        "{d:?}"
    );
}

/// A template that does not compile, for tests that break the site in two places.
const BROKEN_TEMPLATE: &str =
    "{% extends \"base.html\" %}\n{% block main %}\n{% if %}\n{% endblock main %}\n";

#[test]
fn errors_in_pages_and_in_templates_are_reported_in_one_run() {
    // A page that cannot be loaded stops the build before rendering, not before the
    // templates and the other pages' Markdown are checked; links to that page (the home
    // page links to about.md#scope) are not reported again.
    let (_g, root) = broken("content/about.md", "+++\ntitle = 5\n+++\nx\n");
    write(&root, "templates/page.html", BROKEN_TEMPLATE);
    write(
        &root,
        "content/monographs/drug-b.md",
        "+++\ntitle = \"Drug B\"\n+++\n[gone](gone.md) [about](../about.md)\n",
    );
    let d = build_errors(&root);
    assert_error_at(&d, "content/about.md", 2, "invalid front matter");
    assert_error_at(&d, "templates/page.html", 3, "template error");
    assert_error_at(
        &d,
        "content/monographs/drug-b.md",
        4,
        "missing page `gone.md`",
    );
    assert_eq!(d.len(), 3, "{d:?}");

    // An error in a data file (here the glossary, whose terms pages link to) still stops
    // the Markdown check: its consequences would be reported as problems of their own.
    let (_g, root) = broken("content/glossary.toml", "[[term]]\nabbr = \"HLH\"\n");
    write(
        &root,
        "content/monographs/drug-b.md",
        "+++\ntitle = \"Drug B\"\n+++\n[gone](gone.md)\n",
    );
    let d = build_errors(&root);
    assert_only_error_at(&d, "content/glossary.toml", 1, "missing field");

    // Two pages with one URL (a resolve error) hide neither the templates' errors nor
    // the pages' Markdown problems.
    let (_g, root) = broken(
        "content/about/_index.md",
        "+++\ntitle = \"Again\"\n+++\n[gone](gone.md)\n",
    );
    write(&root, "templates/page.html", BROKEN_TEMPLATE);
    let d = build_errors(&root);
    assert_error_at(&d, "content/about/_index.md", 0, "same URL");
    assert_error_at(&d, "content/about/_index.md", 4, "missing page `gone.md`");
    assert_error_at(&d, "templates/page.html", 3, "template error");
    assert_eq!(d.len(), 3, "{d:?}");

    // But a template that cannot be read is not then reported missing where it is included.
    let (_g, root) = broken("content/about.md", "+++\ntitle = 5\n+++\nx\n");
    write(&root, "templates/partial.html", b"\xff\xfe");
    write(
        &root,
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block main %}{% include \"partial.html\" %}{% endblock main %}\n",
    );
    let d = build_errors(&root);
    assert_error_at(&d, "content/about.md", 2, "invalid front matter");
    assert_error_at(&d, "templates/partial.html", 0, "not valid UTF-8");
    assert_eq!(d.len(), 2, "{d:?}");

    // Templates that do not compile do not hide the pages' Markdown problems.
    let (_g, root) = broken(
        "content/about.md",
        "+++\ntitle = \"About\"\n+++\n[gone](gone.md) and [@nokey]\n",
    );
    write(&root, "templates/page.html", BROKEN_TEMPLATE);
    let d = build_errors(&root);
    assert_error_at(&d, "content/about.md", 4, "missing page `gone.md`");
    assert_error_at(&d, "content/about.md", 4, "unknown citation key `nokey`");
    assert_error_at(&d, "templates/page.html", 3, "template error");
    assert_eq!(d.len(), 3, "{d:?}");
}

#[test]
fn template_rendering_error_names_file_and_line() {
    let (_g, root) = broken(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block main %}\n{{ page.nonexistent.field }}\n{% endblock main %}\n",
    );
    let d = build_errors(&root);
    assert_error_at(&d, "templates/page.html", 3, "template error");
    // Pages that could not be rendered are not then reported as targets of broken links
    // (every page links to them), nor is the manifest the failed build did not make.
    assert_eq!(
        d.len(),
        1,
        "one error, not one per link to a page that failed: {d:?}"
    );
}

#[test]
fn an_undefined_variable_in_a_template_others_extend_is_one_error() {
    // section.html extends page.html: both render the line, with different variables.
    let (_g, root) = broken(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block main %}\n{{ config.title }}\n{% endblock main %}\n",
    );
    let d = build_errors(&root);
    assert_only_error_at(
        &d,
        "templates/page.html",
        3,
        "template error: Variable `config` is not defined",
    );
    let hint = d[0].hint.as_deref().unwrap();
    assert!(
        hint.contains(".html` receives ") && hint.contains("page, site"),
        "{hint}"
    );
}

#[test]
fn a_template_named_in_front_matter_that_does_not_exist_is_located_there() {
    let (_g, root) = broken(
        "content/about.md",
        "+++\ntitle = \"About\"\ntemplate = \"nope.html\"\n+++\n## Scope\n",
    );
    let d = build_errors(&root);
    assert_only_error_at(
        &d,
        "content/about.md",
        3,
        "template `nope.html` does not exist",
    );
}

#[test]
fn an_include_of_a_missing_template_is_located_at_the_include() {
    let (_g, root) = broken(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block main %}\n\n{% include \"partial.html\" %}\n{% endblock main %}\n",
    );
    let d = build_errors(&root);
    assert_only_error_at(&d, "templates/page.html", 4, "`partial.html`");
}

#[test]
fn templates_that_include_each_other_in_a_loop_are_located_at_the_closing_include() {
    let (_g, root) = broken(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block main %}\n{% include \"page.html\" %}\n{% endblock main %}\n",
    );
    let d = build_errors(&root);
    assert_only_error_at(&d, "templates/page.html", 3, "`page.html` includes itself");
}

#[test]
fn unknown_calculator_fence() {
    let (_g, root) = broken(
        "content/about.md",
        "+++\ntitle = \"About\"\n+++\n## Scope\n\n```calculator\nnope\n```\n",
    );
    assert_error_at(
        &build_errors(&root),
        "content/about.md",
        6,
        "unknown calculator `nope`",
    );
}

#[test]
fn the_same_calculator_twice_on_a_page_is_an_error_at_the_second() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let (_g, root) = broken(
        "content/about.md",
        "+++\ntitle = \"About\"\n+++\n## Scope\n\n```calculator\nhscore\n```\n\n```calculator\nhscore\n```\n",
    );
    for file in ["content/calculators/hscore.toml", "content/references.bib"] {
        write(&root, file, std::fs::read(repo.join(file)).unwrap());
    }
    let d = build_errors(&root);
    assert_only_error_at(
        &d,
        "content/about.md",
        10,
        "calculator `hscore` is already on this page",
    );
}

#[test]
fn an_id_used_twice_on_a_page_is_located_in_the_page_or_the_template() {
    // A heading whose id the template also uses (`main`, the skip link's target), and an
    // id written twice in the page's HTML.
    let (_g, root) = broken(
        "content/about.md",
        "+++\ntitle = \"About\"\n+++\n## Scope\n\n## Main\n\n<p id=\"n\">1</p>\n<p id=\"n\">2</p>\n",
    );
    let d = build_errors(&root);
    assert_error_at(&d, "content/about.md", 6, "heading id `main`");
    assert_error_at(&d, "content/about.md", 9, "id `n` is used twice");
    assert_eq!(d.len(), 2, "{d:?}");
    assert!(
        d[0].hint.as_deref().unwrap().contains("{#main-section}"),
        "{d:?}"
    );
    // In a template: one error for all the pages it made, at the repeat (section.html
    // extends page.html, so its pages have the duplicate too).
    let (_g, root) = broken(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block main %}<p id=\"x\"></p><p id=\"x\"></p>{{ page.content | safe }}{% endblock main %}",
    );
    let d = build_errors(&root);
    assert_only_error_at(
        &d,
        "templates/page.html",
        1,
        "id `x` is used twice in 5 files, e.g. `about/index.html`",
    );
    assert_eq!(d[0].column(), 63, "at the second `x`: {d:?}");
    assert_eq!(
        d[0].hint.as_deref(),
        Some("give each element its own id; it is also written at templates/page.html:1")
    );
    // An id the template computes cannot be found in its text: reported at each template
    // that rendered it, without a line.
    let (_g, root) = broken(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block main %}<p id=\"{{ 'y' }}\"></p><p id=\"{{ 'y' }}\"></p>{{ page.content | safe }}{% endblock main %}",
    );
    let d = build_errors(&root);
    let found: Vec<_> = d
        .iter()
        .map(|d| (d.file.to_str().unwrap(), d.line(), d.message.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "templates/page.html",
                0,
                "id `y` is used twice in 3 files, e.g. `about/index.html`"
            ),
            (
                "templates/section.html",
                0,
                "id `y` is used twice in 2 files, e.g. `index.html`"
            ),
        ]
    );
}

#[test]
fn a_broken_link_in_a_template_others_extend_is_one_error_at_its_line() {
    // page.html's pages and section.html's (which extends it) alike.
    let (_g, root) = broken(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block main %}\n<a href=\"/kb/nowhere/\">x</a>\n{{ page.content | safe }}{% endblock main %}",
    );
    let d = build_errors(&root);
    assert_only_error_at(
        &d,
        "templates/page.html",
        3,
        "broken link in 5 files, e.g. `about/index.html`: `/kb/nowhere/` points to a page that does not exist",
    );
    assert_eq!(d[0].column(), 10, "at the link: {d:?}");
}

#[test]
fn a_heading_with_a_citation_marker_s_id_names_the_citation() {
    // `## Cite 1` takes the id `cite-1`, which the page's first citation marker has.
    let (_g, root) = broken(
        "content/about.md",
        "+++\ntitle = \"About\"\n+++\n## Scope\n\n## Cite 1\n\nShown [@doe2020].\n",
    );
    write(
        &root,
        "content/references.bib",
        "@article{doe2020,\n  author = {Doe, Jane},\n  title = {A title},\n  journal = {J},\n  year = {2020},\n  doi = {10.1000/abc}\n}\n",
    );
    let d = build_errors(&root);
    assert_only_error_at(
        &d,
        "content/about.md",
        6,
        "heading id `cite-1` is also used by a citation marker on the page (citations are numbered `cite-1`, `cite-2`, …)",
    );
}

#[test]
fn a_footnote_reference_without_definition_is_located() {
    // pulldown-cmark would print `[^gone]` as typed.
    let (_g, root) = broken(
        "content/about.md",
        "+++\ntitle = \"About\"\n+++\n## Scope\n\nKept[^kept], lost[^gone], `[^code]`.\n\n[^kept]: Defined.\n",
    );
    let d = build_errors(&root);
    assert_only_error_at(
        &d,
        "content/about.md",
        6,
        "footnote `[^gone]` has no definition",
    );
    assert_eq!(d[0].column(), 18, "at its `[`: {d:?}");
}

#[test]
fn an_id_the_markdown_repeats_is_reported_once_and_a_footnote_is_located() {
    // Two headings with one id and a footnote defined twice are reported by the Markdown
    // stage alone (not again as ids used twice); a footnote whose label the template
    // also uses as an id (`main`) is reported at its definition.
    let (_g, root) = broken(
        "content/about.md",
        "+++\ntitle = \"About\"\n+++\n## Scope {#a}\n\n## B {#a}\n\n## Scope\n\nX.[^n] Y.[^main]\n\n[^n]: One.\n\n[^n]: Two.\n\n[^main]: Three.\n",
    );
    let d = build_errors(&root);
    let found: Vec<_> = d.iter().map(|d| (d.line(), d.message.as_str())).collect();
    assert_eq!(
        found,
        [
            (6, "heading id `a` is used twice on this page"),
            (14, "footnote `[^n]` is defined twice on this page"),
            (
                16,
                "footnote `[^main]` has the id `main`, which another element of the page also has (in its template `page.html`, or in HTML on the page)"
            ),
        ],
        "{d:?}"
    );
    assert!(
        d.iter().all(|d| d.file.ends_with("content/about.md")),
        "{d:?}"
    );
}

#[test]
fn duplicate_urls() {
    let (_g, root) = broken(
        "content/about/_index.md",
        "+++\ntitle = \"About again\"\n+++\n",
    );
    let d = build_errors(&root);
    assert!(
        d.iter().any(|d| d.message.contains("same URL `/about/`")),
        "{d:?}"
    );
}

#[test]
fn content_files_named_like_generated_or_static_files() {
    for (file, output) in [
        ("content/sw.js", "sw.js"),
        ("content/favicon.svg", "favicon.svg"),
    ] {
        let (_g, root) = broken(file, "x");
        let d = build_errors(&root);
        assert!(
            d.iter()
                .any(|d| d.file.ends_with(file)
                    && d.message == format!("two outputs write `{output}`")),
            "{d:?}"
        );
    }
}

#[test]
fn bad_aliases_are_located_in_the_front_matter() {
    let (_g, root) = broken(
        "content/about.md",
        "+++\ntitle = \"About\"\naliases = [\n  \"/monographs/\",\n  '../up/',\n  \"/old-a/\",\n]\n+++\nx\n",
    );
    write(
        &root,
        "content/monographs/drug-b.md",
        std::fs::read_to_string(root.join("content/monographs/drug-b.md"))
            .unwrap()
            .replacen("+++\n", "+++\naliases = [\"/old-a/\"]\n", 1),
    );
    let d = build_errors(&root);
    assert_eq!(d.len(), 3, "{d:?}");
    assert_error_at(
        &d,
        "content/about.md",
        4,
        "`/monographs/` is already taken by content/monographs/_index.md",
    );
    assert_error_at(&d, "content/about.md", 5, "`../up/` is not a site path");
    // Pages are taken in path order: the later page's alias is the one reported.
    assert_error_at(
        &d,
        "content/monographs/drug-b.md",
        2,
        "`/old-a/` is already taken by content/about.md",
    );
    let columns: Vec<usize> = d.iter().map(|d| d.column()).collect();
    assert_eq!(
        columns,
        [4, 4, 13],
        "at each alias's first character: {d:?}"
    );
}

#[test]
fn aliases_on_generated_urls_the_own_url_or_twice_are_refused_at_their_place() {
    // An alias on a generated page's URL was caught only as two outputs writing one
    // file, followed by a broken link for every glossary term on every page.
    let (_g, root) = broken(
        "content/about.md",
        "+++\ntitle = \"About\"\naliases = [\n  \"/glossary/\",\n  \"/404.html\",\n  \"/about/\",\n  \"/old/\",\n  \"/old/\",\n]\n+++\nx\n",
    );
    let d = build_errors(&root);
    assert_error_at(
        &d,
        "content/about.md",
        4,
        "`/glossary/` is a URL generated by hpskb",
    );
    assert_error_at(
        &d,
        "content/about.md",
        5,
        "`/404.html` is a URL generated by hpskb",
    );
    assert_error_at(&d, "content/about.md", 6, "`/about/` is the page's own URL");
    // The repeat is the one reported.
    assert_error_at(&d, "content/about.md", 8, "`/old/` is listed twice");
    assert_eq!(d.len(), 4, "{d:?}");
    assert!(
        d[0].hint.as_deref().unwrap().contains("/drug-classes/"),
        "{d:?}"
    );
}

#[test]
fn unknown_calculator_source_reference_is_located_with_a_suggestion() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let spec = std::fs::read_to_string(repo.join("content/calculators/hscore.toml")).unwrap();
    let line = 1 + spec
        .lines()
        .position(|l| l.starts_with("references"))
        .unwrap();
    let (_g, root) = broken(
        "content/calculators/hscore.toml",
        spec.replacen("\"fardet2014\"", "\"fardet2041\"", 1),
    );
    write(
        &root,
        "content/references.bib",
        std::fs::read(repo.join("content/references.bib")).unwrap(),
    );
    let d = build_errors(&root);
    assert_only_error_at(
        &d,
        "content/calculators/hscore.toml",
        line,
        "`fardet2041` is not in",
    );
    assert_eq!(d[0].hint.as_deref(), Some("did you mean `fardet2014`?"));
}

#[test]
fn missing_config() {
    let (_g, root) = copy_fixture("good");
    std::fs::remove_file(root.join("config.toml")).unwrap();
    let d = build_errors(&root);
    assert!(d.iter().any(|d| d.file.ends_with("config.toml")), "{d:?}");
}

#[test]
fn bad_glossary() {
    let (_g, root) = broken(
        "content/glossary.toml",
        "[[term]]\nabbr = \"HLH\"\nexpansion = \"x\"\n\n[[term]]\nabbr = \"HLH\"\nexpansion = \"y\"\n\n[[term]]\nabbr = \"IL 6\"\nexpansion = \"z\"\n",
    );
    let d = build_errors(&root);
    assert_eq!(d.len(), 2, "{d:?}");
    // The second entry, pointing back at the first.
    assert_error_at(&d, "content/glossary.toml", 6, "`HLH` is defined twice");
    assert_eq!(d[0].labels[0].span.line, 2, "a label at the first: {d:?}");
    assert_error_at(&d, "content/glossary.toml", 10, "`IL 6` must be one word");
}

#[cfg(unix)]
#[test]
fn symlink_loop_is_reported_not_followed_forever() {
    let (_g, root) = copy_fixture("good");
    std::os::unix::fs::symlink(root.join("content"), root.join("content/monographs/loop")).unwrap();
    let d = build_errors(&root);
    assert!(
        d.iter().any(|d| d.message.contains("symbolic link loop")),
        "{d:?}"
    );
}

#[cfg(unix)]
#[test]
fn broken_symlinks_are_named_with_their_target() {
    // A link whose target is gone was reported as an unreadable directory entry with a
    // hint about permissions; it now says what the link points to.
    let (_g, root) = copy_fixture("good");
    for link in ["content/gone.md", "static/gone.css", "templates/gone.html"] {
        std::fs::create_dir_all(root.join(link).parent().unwrap()).unwrap();
        std::os::unix::fs::symlink("../nowhere", root.join(link)).unwrap();
    }
    let d = build_errors(&root);
    for file in ["content/gone.md", "static/gone.css", "templates/gone.html"] {
        assert_error_at(&d, file, 0, "broken symbolic link to `../nowhere`");
    }
    assert_eq!(d.len(), 3, "{d:?}");
    assert!(
        d[0].hint.as_deref().unwrap().contains("restore the file"),
        "{d:?}"
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let (_g, root) = copy_fixture("good");
    write(&root, "content/a.md", "+++\ntitle = \"A\"\nx = 1\n+++\n");
    write(&root, "content/b.md", "");
    write(&root, "content/c.md", "+++\ntitle = \"C\"\n");
    let d = build_errors(&root);
    for f in ["content/a.md", "content/b.md", "content/c.md"] {
        assert!(
            d.iter().any(|d| d.file.ends_with(f)),
            "{f} not reported: {d:?}"
        );
    }
}

#[test]
fn output_directory_that_is_not_a_previous_build_is_refused() {
    let (_g, root) = copy_fixture("good");
    for (output, why) in [
        (root.clone(), "contains the site"),
        (root.join("content"), "inside the site's `content/`"),
        (root.join("config.toml"), "not a directory"),
    ] {
        let mut opts = options(&root);
        opts.output = Some(output.clone());
        let d = hpskb::build(&opts)
            .err()
            .unwrap_or_else(|| panic!("{} accepted", output.display()));
        assert!(d[0].message.contains(why), "{}", d[0]);
    }
    assert!(
        root.join("content/_index.md").is_file() && root.join("config.toml").is_file(),
        "nothing was touched"
    );
}

#[test]
fn a_site_without_a_home_page_is_one_error_not_a_broken_link_on_every_page() {
    let (_g, root) = copy_fixture("good");
    std::fs::remove_file(root.join("content/_index.md")).unwrap();
    let d = build_errors(&root);
    assert_only_error_at(&d, "content/_index.md", 0, "no home page");
    assert!(
        d[0].hint
            .as_deref()
            .unwrap()
            .contains("add content/_index.md")
    );

    // A home page that fails to load is reported for itself only.
    let (_g, root) = broken("content/_index.md", "+++\ntitle = 3\n+++\nx\n");
    let d = build_errors(&root);
    assert_only_error_at(&d, "content/_index.md", 2, "invalid front matter");
}

#[test]
fn a_control_character_in_a_title_is_refused_and_the_terminal_sees_none() {
    // The title would be written into atom.xml and every page, where XML 1.0 cannot
    // hold it; the raw bytes would also reach the terminal through the diagnostic.
    let (_g, root) = broken(
        "content/about.md",
        "+++\ntitle = \"About \\u001b]0;owned\\u0007\"\n+++\n## Scope\n\nx \u{1b}[2J \u{9b}31m\n\n[y](nowhere\u{1b}[31m.md)\n",
    );
    let d = build_errors(&root);
    assert_only_error_at(
        &d,
        "content/about.md",
        2,
        "`title` contains the control character U+001B",
    );
    // Through the command line: nothing the terminal would act on.
    let stderr = check_stderr(&root);
    assert!(stderr.contains("U+001B"), "{stderr}");
    // Fixed title, broken link with an escape sequence in it: the message escapes it.
    write(
        &root,
        "content/about.md",
        "+++\ntitle = \"About\"\n+++\n## Scope\n\n<a href=\"nowhere\u{1b}[31m/\">y</a>\n",
    );
    let stderr = check_stderr(&root);
    assert!(stderr.contains(r"nowhere\u{1b}[31m/"), "{stderr}");
}

/// The standard error of a failing `hpskb check`, asserted free of anything a terminal
/// would act on (control characters but line breaks).
fn check_stderr(root: &std::path::Path) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_hpskb"))
        .args(["check", "--root"])
        .arg(root)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        !stderr.chars().any(|c| c.is_control() && c != '\n'),
        "{stderr:?}"
    );
    stderr
}
