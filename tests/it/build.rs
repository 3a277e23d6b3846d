//! Integration tests: build fixture sites and assert on the parsed HTML.

use crate::support::*;

#[test]
fn good_site_builds_with_pretty_urls_and_base_path() {
    let (_g, root) = copy_fixture("good");
    build_ok(&root);
    let home = html(&root, "index.html");
    let links = attrs(&home, "main a", "href");
    assert!(links.contains(&"/kb/monographs/".to_string()), "{links:?}");
    assert!(links.contains(&"/kb/about/#scope".to_string()), "{links:?}");
    let a = html(&root, "monographs/drug-a/index.html");
    assert_eq!(texts(&a, "h1"), ["Drug A"]);
    assert_eq!(
        attrs(&a, "link[rel=canonical]", "href"),
        ["https://example.org/kb/monographs/drug-a/"]
    );
    assert!(
        attrs(&a, ".content a", "href").contains(&"/kb/monographs/drug-b/#management".to_string())
    );
    assert_eq!(attrs(&a, ".content h2", "id"), ["key-points", "management"]);
    assert_eq!(
        attrs(&a, ".content h2 a.anchor", "href"),
        ["#key-points", "#management"]
    );
    assert_eq!(texts(&a, ".callout-warning .callout-title"), ["Warning"]);
    assert_eq!(texts(&a, ".content table td"), ["1", "Stop"]);
    assert_eq!(attrs(&a, "a.term", "href"), ["/kb/glossary/#hlh"]);
    assert_eq!(
        attrs(&a, "nav.pager a.next", "href"),
        ["/kb/monographs/drug-b/"]
    );
    assert_eq!(texts(&a, "nav.toc li"), ["Key points", "Management"]);
}

#[test]
fn links_to_md_files_from_the_content_root_are_rewritten() {
    let (_g, root) = copy_fixture("good");
    write(
        &root,
        "content/about.md",
        "+++\ntitle = \"About\"\n+++\n## Scope\n\n[a](/monographs/drug-a.md#management), \
         [s](/monographs/_index.md), [me](/about.md#scope), [r](/robots.txt)\n",
    );
    build_ok(&root);
    let about = html(&root, "about/index.html");
    assert_eq!(
        attrs(&about, ".content p a", "href"),
        [
            "/kb/monographs/drug-a/#management",
            "/kb/monographs/",
            "/kb/about/#scope",
            "/kb/robots.txt"
        ]
    );
}

#[test]
fn file_names_with_spaces_or_accents_get_encoded_urls_that_pass_the_link_check() {
    let (_g, root) = copy_fixture("good");
    write(
        &root,
        "content/My Page.md",
        "+++\ntitle = \"Spaced\"\n+++\nSee [the other](Über.md) and ![a figure](<My Fig.svg>).\n",
    );
    write(
        &root,
        "content/Über.md",
        "+++\ntitle = \"Accented\"\n+++\nBack to [spaced](<My Page.md>).\n",
    );
    write(
        &root,
        "content/My Fig.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    build_ok(&root);
    let spaced = html(&root, "My Page/index.html");
    assert_eq!(attrs(&spaced, ".content a", "href"), ["/kb/%C3%9Cber/"]);
    assert_eq!(attrs(&spaced, ".content img", "src"), ["/kb/My%20Fig.svg"]);
    assert_eq!(
        attrs(&spaced, "link[rel=canonical]", "href"),
        ["https://example.org/kb/My%20Page/"]
    );
    let accented = html(&root, "Über/index.html");
    assert_eq!(attrs(&accented, ".content a", "href"), ["/kb/My%20Page/"]);
    let sitemap = std::fs::read_to_string(root.join("public/sitemap.xml")).unwrap();
    assert!(
        sitemap.contains("<loc>https://example.org/kb/My%20Page/</loc>"),
        "{sitemap}"
    );
    assert!(
        sitemap.contains("<loc>https://example.org/kb/%C3%9Cber/</loc>"),
        "{sitemap}"
    );
    let terms = std::fs::read_to_string(root.join("public/search-terms.json")).unwrap();
    assert!(terms.contains("\"/kb/My%20Page/\""), "{terms}");
}

/// Chinese headings keep their characters in the id (punctuation becomes `-`, Latin
/// letters are lowercased); links to them, written raw or percent-encoded, pass the
/// fragment check, and a fragment no heading has is an error at the linking page.
#[test]
fn chinese_headings_keep_their_characters_in_ids_and_links_to_them_are_checked() {
    let (_g, root) = copy_fixture("good");
    write(
        &root,
        "content/诊断.md",
        "+++\ntitle = \"诊断\"\n+++\n## 诊断标准（HLH-2004）\n\n文本。\n\n## 治疗：第一步\n\n见[上文](#诊断标准-hlh-2004)。\n",
    );
    write(
        &root,
        "content/links.md",
        "+++\ntitle = \"Links\"\n+++\nSee [raw](诊断.md#诊断标准-hlh-2004) and \
         [encoded](诊断.md#%E6%B2%BB%E7%96%97-%E7%AC%AC%E4%B8%80%E6%AD%A5).\n",
    );
    build_ok(&root);
    let page = html(&root, "诊断/index.html");
    assert_eq!(
        attrs(&page, ".content h2", "id"),
        ["诊断标准-hlh-2004", "治疗-第一步"]
    );
    let links = html(&root, "links/index.html");
    assert_eq!(
        attrs(&links, ".content a", "href"),
        [
            "/kb/%E8%AF%8A%E6%96%AD/#%E8%AF%8A%E6%96%AD%E6%A0%87%E5%87%86-hlh-2004",
            "/kb/%E8%AF%8A%E6%96%AD/#%E6%B2%BB%E7%96%97-%E7%AC%AC%E4%B8%80%E6%AD%A5",
        ]
    );

    write(
        &root,
        "content/links.md",
        "+++\ntitle = \"Links\"\n+++\nSee [missing](诊断.md#诊断标准).\n",
    );
    let errors = build_errors(&root);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].file.ends_with("links.md"), "{:?}", errors[0]);
    assert!(
        errors[0].message.contains("诊断标准"),
        "{}",
        errors[0].message
    );
}

/// The footer and print line and the search synonyms come from `config.toml`: a site that
/// sets none has neither (the default theme is not about any one subject).
#[test]
fn disclaimer_and_search_synonyms_come_from_the_config() {
    let (_g, root) = copy_fixture("good");
    build_ok(&root);
    let home = html(&root, "index.html");
    assert_eq!(
        texts(&home, ".site-footer p").len(),
        1,
        "only the links line"
    );
    assert!(texts(&home, ".print-source p").len() == 1);
    let terms: serde_json::Value =
        serde_json::from_slice(&std::fs::read(root.join("public/search-terms.json")).unwrap())
            .unwrap();
    assert_eq!(terms["synonyms"], serde_json::json!({}));
    assert!(terms["terms"].as_array().is_some_and(|t| !t.is_empty()));

    let config = std::fs::read_to_string(root.join("config.toml")).unwrap();
    let config = config.replacen(
        "review_interval_days",
        "disclaimer = \"Not medical advice.\"\nreview_interval_days",
        1,
    ) + "\n[search_synonyms]\nhlh = [\"hps\", \"hemophagocytic syndrome\"]\n";
    write(&root, "config.toml", config);
    build_ok(&root);
    let home = html(&root, "index.html");
    assert_eq!(texts(&home, ".site-footer p")[0], "Not medical advice.");
    assert_eq!(texts(&home, ".print-source p")[1], "Not medical advice.");
    let terms: serde_json::Value =
        serde_json::from_slice(&std::fs::read(root.join("public/search-terms.json")).unwrap())
            .unwrap();
    assert_eq!(
        terms["synonyms"],
        serde_json::json!({"hps": "hlh", "hemophagocytic syndrome": "hlh"})
    );
}

#[test]
fn sections_list_their_pages_in_weight_order() {
    let (_g, root) = copy_fixture("good");
    build_ok(&root);
    let s = html(&root, "monographs/index.html");
    assert_eq!(texts(&s, ".section-list .card > a"), ["Drug A", "Drug B"]);
    let nav = texts(&s, ".site-nav a");
    assert_eq!(&nav[..2], ["Monographs", "About"]);
}

#[test]
fn aliases_redirect_to_the_new_url() {
    let (_g, root) = copy_fixture("good");
    build_ok(&root);
    let r = html(&root, "old-about/index.html");
    assert_eq!(
        attrs(&r, "meta[http-equiv=refresh]", "content"),
        ["0; url=/kb/about/"]
    );
    assert_eq!(
        attrs(&r, "link[rel=canonical]", "href"),
        ["https://example.org/kb/about/"]
    );
}

#[test]
fn generated_pages_exist() {
    let (_g, root) = copy_fixture("good");
    build_ok(&root);
    let g = html(&root, "glossary/index.html");
    assert_eq!(attrs(&g, "dt", "id"), ["hlh"]);
    let d = html(&root, "drugs/index.html");
    assert!(
        texts(&d, "main li")
            .iter()
            .any(|t| t.contains("druga") && t.contains("Brandix"))
    );
    let c = html(&root, "drug-classes/kinase-inhibitors/index.html");
    assert_eq!(texts(&c, "main ul li a"), ["Drug A", "Drug B"]);
    assert!(root.join("public/404.html").is_file());
    let sitemap = std::fs::read_to_string(root.join("public/sitemap.xml")).unwrap();
    assert!(sitemap.contains(
        "<loc>https://example.org/kb/monographs/drug-a/</loc><lastmod>2026-01-15</lastmod>"
    ));
    let robots = std::fs::read_to_string(root.join("public/robots.txt")).unwrap();
    assert!(robots.contains("Sitemap: https://example.org/kb/sitemap.xml"));
}

#[test]
fn static_assets_are_hashed_and_referenced() {
    let (_g, root) = copy_fixture("good");
    build_ok(&root);
    let home = html(&root, "index.html");
    let css = attrs(&home, "link[rel=stylesheet]", "href");
    assert_eq!(css.len(), 1);
    assert!(
        css[0].starts_with("/kb/css/style.")
            && css[0].ends_with(".css")
            && css[0] != "/kb/css/style.css",
        "{css:?}"
    );
    assert!(
        root.join("public")
            .join(css[0].trim_start_matches("/kb/"))
            .is_file()
    );
}

#[test]
fn links_to_files_in_static_work_like_links_to_co_located_files() {
    // A Markdown file in static/ is copied as it is, not made a page: links to it (as a
    // site path or relative to the page) point at the file instead of failing as links
    // to a missing page; so do relative links to any other static file.
    let (_g, root) = copy_fixture("good");
    write(&root, "static/notes/raw.md", "# Kept as Markdown\n");
    write(&root, "static/files/a.pdf", "%PDF-1.4\n");
    write(
        &root,
        "content/about.md",
        "+++\ntitle = \"About\"\n+++\n## Scope\n\n[abs](/notes/raw.md) [rel](notes/raw.md) [pdf](files/a.pdf)\n",
    );
    build_ok(&root);
    assert_eq!(
        attrs(&html(&root, "about/index.html"), ".content p a", "href"),
        ["/kb/notes/raw.md", "/kb/notes/raw.md", "/kb/files/a.pdf"]
    );
    assert_eq!(
        std::fs::read_to_string(root.join("public/notes/raw.md")).unwrap(),
        "# Kept as Markdown\n"
    );
    // A link to a static file that does not exist is still an error at its line.
    write(
        &root,
        "content/about.md",
        "+++\ntitle = \"About\"\n+++\n## Scope\n\n[gone](/notes/gone.md)\n",
    );
    let d = build_errors(&root);
    assert_one_error(&d, "content/about.md", "missing page `/notes/gone.md`");
    assert_eq!(d[0].line(), 6, "{d:?}");
}

#[test]
fn links_to_static_css_and_js_point_to_their_hashed_names() {
    // CSS and JS are written under content-hashed names: a link to `css/style.css`, as a
    // site path (with a query) or from the page, points to the hashed file, the one the
    // templates use, rather than to a file that is not written.
    let (_g, root) = copy_fixture("good");
    write(
        &root,
        "content/monographs/drug-a.md",
        "+++\ntitle = \"Drug A\"\n+++\n## Styles\n\n[abs](/css/style.css?v=2) [rel](../css/style.css)\n",
    );
    build_ok(&root);
    let page = html(&root, "monographs/drug-a/index.html");
    let stylesheet = attrs(&page, "link[rel=stylesheet]", "href");
    assert_eq!(
        attrs(&page, ".content p a", "href"),
        [format!("{}?v=2", stylesheet[0]), stylesheet[0].clone()]
    );
    // A file of that path under content/ is the one a link relative to a page reaches.
    write(&root, "content/css/style.css", "p {}\n");
    write(
        &root,
        "content/monographs/drug-a.md",
        "+++\ntitle = \"Drug A\"\n+++\n## Styles\n\n[own](../css/style.css)\n",
    );
    build_ok(&root);
    let page = html(&root, "monographs/drug-a/index.html");
    assert_eq!(attrs(&page, ".content p a", "href"), ["/kb/css/style.css"]);
    assert_eq!(
        std::fs::read_to_string(root.join("public/css/style.css")).unwrap(),
        "p {}\n"
    );
    std::fs::remove_file(root.join("content/css/style.css")).unwrap();
    // A missing one is named a missing file, with a hint about files rather than pages.
    write(
        &root,
        "content/monographs/drug-a.md",
        "+++\ntitle = \"Drug A\"\n+++\n## Styles\n\n[abs](/css/gone.css)\n",
    );
    let d = build_errors(&root);
    assert_one_error(
        &d,
        "content/monographs/drug-a.md",
        "`/kb/css/gone.css` points to a file that does not exist",
    );
    assert_eq!(d[0].line(), 6, "{d:?}");
    assert!(
        d[0].hint.as_deref().unwrap_or_default().contains("static/"),
        "{d:?}"
    );
}

#[test]
fn site_templates_and_static_files_override_the_defaults() {
    let (_g, root) = copy_fixture("good");
    write(
        &root,
        "templates/404.html",
        "{% extends \"base.html\" %}{% block main %}<p id=\"custom\">custom 404</p>{% endblock main %}",
    );
    write(
        &root,
        "static/favicon.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    build_ok(&root);
    assert_eq!(texts(&html(&root, "404.html"), "#custom"), ["custom 404"]);
    assert_eq!(
        std::fs::read_to_string(root.join("public/favicon.svg")).unwrap(),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"
    );
}

#[test]
fn builds_are_byte_identical() {
    let (_g, root) = copy_fixture("good");
    build_ok(&root);
    let first = tree(&root.join("public"));
    build_ok(&root);
    let second = tree(&root.join("public"));
    assert!(first.len() > 10);
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    for (k, v) in &first {
        assert!(second[k] == *v, "{k} differs between builds");
    }
}

#[test]
fn failed_build_leaves_previous_output_untouched() {
    let (_g, root) = copy_fixture("good");
    build_ok(&root);
    let before = tree(&root.join("public"));
    // Fails while loading (before anything is written), and in the link check (after
    // every file went to the staging directory).
    for (about, problem) in [
        ("+++\ntitle = \"About\"\nbogus = 1\n+++\n", "bogus"),
        (
            "+++\ntitle = \"About\"\n+++\n## Scope\n\nSee [below](#nowhere).\n",
            "nowhere",
        ),
    ] {
        write(&root, "content/about.md", about);
        let errors = build_errors(&root);
        assert!(
            errors.iter().all(|d| d.message.contains(problem)),
            "{errors:?}"
        );
        assert_eq!(tree(&root.join("public")), before, "{about}");
        let leftovers: Vec<String> = std::fs::read_dir(&root)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("staging") || n.contains(".old"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }
}

#[test]
fn check_writes_nothing_but_sees_every_output_a_build_writes() {
    let (_g, root) = copy_fixture("good");
    let before = tree(&root);
    let (checked, _) = hpskb::check(&options(&root))
        .map_err(|d| format!("{d:?}"))
        .unwrap();
    assert_eq!(tree(&root), before);
    build_ok(&root);
    let checked: Vec<&str> = checked
        .rendered
        .outputs
        .iter()
        .map(|o| o.path.as_str())
        .collect();
    // Besides the manifest, which lists exactly what was written.
    let written: Vec<String> = tree(&root.join("public"))
        .into_keys()
        .filter(|k| k != ".hpskb-manifest")
        .collect();
    assert_eq!(checked, written);
    let manifest = std::fs::read_to_string(root.join("public/.hpskb-manifest")).unwrap();
    assert_eq!(manifest.lines().skip(1).collect::<Vec<_>>(), written);
}

#[test]
fn markdown_files_not_named_dot_md_are_copied_with_a_warning() {
    // `Notes.MD` or `notes.markdown` is not a page (only `.md` is), which an author would
    // otherwise find out only by its missing page: the build says so, and still succeeds.
    let (_g, root) = copy_fixture("good");
    write(
        &root,
        "content/Notes.MD",
        "+++\ntitle = \"Notes\"\n+++\nx\n",
    );
    write(&root, "content/monographs/extra.markdown", "# Extra\n");
    let warnings = build_ok(&root);
    let found: Vec<_> = warnings
        .iter()
        .map(|w| {
            (
                w.is_error(),
                w.file.to_string_lossy().into_owned(),
                w.hint.clone(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                false,
                "content/Notes.MD".to_string(),
                Some(
                    "pages end in `.md` (lowercase): rename it `Notes.md` to make it a page".into()
                )
            ),
            (
                false,
                "content/monographs/extra.markdown".to_string(),
                Some(
                    "pages end in `.md` (lowercase): rename it `extra.md` to make it a page".into()
                )
            ),
        ]
    );
    assert!(root.join("public/Notes.MD").is_file());
    assert!(!root.join("public/Notes/index.html").exists());
}

#[test]
fn unused_references_are_warnings_not_errors() {
    let (_g, root) = copy_fixture("good");
    write(
        &root,
        "content/references.bib",
        "@article{used2020,\n  author = {Used, A.},\n  title = {Cited},\n  journal = {J},\n  year = {2020},\n  doi = {10.1000/used}\n}\n\n@article{spare2021,\n  author = {Spare, B.},\n  title = {Not cited},\n  journal = {J},\n  year = {2021},\n  pmid = {12345678}\n}\n",
    );
    write(
        &root,
        "content/about.md",
        "+++\ntitle = \"About\"\n+++\n## Scope\n\nA claim [@used2020].\n\n## Contact {#reach-us}\n",
    );
    let warnings = build_ok(&root);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    let w = &warnings[0];
    assert!(!w.is_error());
    assert!(w.message.contains("spare2021"), "{w}");
    assert_eq!(
        (w.file.to_string_lossy().as_ref(), w.line()),
        ("content/references.bib", 9)
    );
    let about = html(&root, "about/index.html");
    assert_eq!(attrs(&about, ".reference-list li", "id"), ["ref-used2020"]);
}

/// The first two stages of a build of the site at `root`, which must have no errors.
fn load_and_resolve(root: &std::path::Path) -> (hpskb::load::Site, hpskb::resolve::Resolved) {
    let (site, diags) = hpskb::load::load(root, &Default::default());
    assert!(diags.iter().all(|d| !d.is_error()), "{diags:?}");
    let site = site.expect("site loads");
    let (resolved, diags) = hpskb::resolve::resolve(&site);
    assert!(diags.iter().all(|d| !d.is_error()), "{diags:?}");
    (site, resolved)
}

/// Asserts that `diags` hold exactly one error, about `file`, whose message contains `needle`.
fn assert_one_error(diags: &[hpskb::diag::Diagnostic], file: &str, needle: &str) {
    let errors: Vec<_> = diags.iter().filter(|d| d.is_error()).collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].file, std::path::Path::new(file));
    assert!(errors[0].message.contains(needle), "{}", errors[0].message);
}

/// A page whose Markdown has an error is rendered and checked but not handed to the
/// sink, so that nothing is written or indexed for a page that will not be published;
/// its ids still count, so drug A's link to drug B's `#management` is not reported.
#[test]
fn a_page_with_a_markdown_error_is_checked_but_not_handed_on() {
    let (_g, root) = copy_fixture("good");
    append(
        &root,
        "content/monographs/drug-b.md",
        "\nSee [@nosuchkey].\n",
    );
    let (site, resolved) = load_and_resolve(&root);
    let memory = hpskb::render::Memory::default();
    let (_, diags) = hpskb::render::render(&site, &resolved, &memory);
    assert_one_error(
        &diags,
        "content/monographs/drug-b.md",
        "unknown citation key `nosuchkey`",
    );
    let files = memory.into_files();
    assert!(
        files
            .iter()
            .any(|f| f.path == "monographs/drug-a/index.html"),
        "the other pages are handed on"
    );
    let of_b: Vec<&str> = (files.iter())
        .map(|f| f.path.as_str())
        .filter(|p| p.starts_with("monographs/drug-b/"))
        .collect();
    assert_eq!(of_b, Vec::<&str>::new());
    let errors = build_errors(&root);
    assert_one_error(
        &errors,
        "content/monographs/drug-b.md",
        "unknown citation key `nosuchkey`",
    );
}

/// A sink whose every write fails, as on a full disk.
struct FullDisk;

impl hpskb::render::Sink for FullDisk {
    fn put(&self, _: hpskb::render::OutputFile) -> std::io::Result<()> {
        Err(std::io::Error::new(
            std::io::ErrorKind::StorageFull,
            "no space left on device",
        ))
    }
}

#[test]
fn a_failing_write_is_one_error_not_one_per_file() {
    let (_g, root) = copy_fixture("good");
    let (site, resolved) = load_and_resolve(&root);
    let (_, diags) = hpskb::render::render(&site, &resolved, &FullDisk);
    let errors: Vec<_> = diags.iter().filter(|d| d.is_error()).collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].message.starts_with("cannot write `")
            && errors[0].message.contains("no space left on device"),
        "{}",
        errors[0].message
    );
}

#[test]
fn a_page_changed_while_the_site_builds_is_rendered_as_it_now_is_unless_its_front_matter_changed() {
    let (_g, root) = copy_fixture("good");
    let (site, resolved) = load_and_resolve(&root);
    // Pages are read again as they are rendered: after loading, one page's body and
    // another page's front matter change on disk.
    append(&root, "content/monographs/drug-b.md", "\nAdded later.\n");
    let drug_a = root.join("content/monographs/drug-a.md");
    let text = std::fs::read_to_string(&drug_a).unwrap();
    write(
        &root,
        "content/monographs/drug-a.md",
        text.replacen("title = \"Drug A\"", "title = \"Drug A2\"", 1),
    );
    let memory = hpskb::render::Memory::default();
    let (_, diags) = hpskb::render::render(&site, &resolved, &memory);
    assert_one_error(
        &diags,
        "content/monographs/drug-a.md",
        "front matter changed",
    );
    // It points at the first changed character: the `2` of `title = "Drug A2"`.
    let error = diags.iter().find(|d| d.is_error()).unwrap();
    assert_eq!((error.line(), error.column()), (2, 16), "{error}");
    let files = memory.into_files();
    let page = files
        .iter()
        .find(|f| f.path == "monographs/drug-b/index.html")
        .expect("drug B rendered");
    let page = scraper::Html::parse_document(std::str::from_utf8(&page.bytes).unwrap());
    assert!(
        texts(&page, ".content p")
            .iter()
            .any(|t| t == "Added later."),
        "{:?}",
        texts(&page, ".content p")
    );
}

#[test]
fn a_content_asset_gone_before_it_is_copied_is_an_error_naming_it() {
    let (_g, root) = copy_fixture("good");
    write(
        &root,
        "content/monographs/figure.png",
        [0x89, b'P', b'N', b'G'],
    );
    let (site, resolved) = load_and_resolve(&root);
    std::fs::remove_file(root.join("content/monographs/figure.png")).unwrap();
    let (_, diags) = hpskb::render::render(&site, &resolved, &hpskb::render::Discard);
    assert_one_error(&diags, "content/monographs/figure.png", "cannot read file");
}
