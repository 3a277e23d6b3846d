//! Offline reading: the service worker's precache list and version, the web app manifest,
//! and the pages that register them. (The worker itself runs in Chromium: tests/web.)

use std::path::Path;

use crate::support::*;
use hpskb::{BuildOptions, Built};

fn compile(root: &Path, offline: bool) -> Built {
    let options = BuildOptions {
        offline,
        ..options(root)
    };
    match hpskb::compile(&options) {
        Ok((built, _)) => built,
        Err(d) => panic!("{d:?}"),
    }
}

fn text(built: &Built, path: &str) -> String {
    let file = built.file(path).unwrap_or_else(|| panic!("no {path}"));
    String::from_utf8(file.bytes.clone()).unwrap()
}

/// A `var NAME = <JSON>;` line of the generated worker.
fn worker_var(worker: &str, name: &str) -> serde_json::Value {
    let prefix = format!("var {name} = ");
    let line = worker
        .lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .unwrap_or_else(|| panic!("no {name} in the worker"));
    serde_json::from_str(line.trim_end_matches(';')).unwrap()
}

fn precache(built: &Built) -> Vec<String> {
    let list = worker_var(&text(built, "sw.js"), "PRECACHE");
    list.as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

/// Asserts that each of `urls` is in the precache `list`.
fn assert_saved(list: &[String], urls: &[&str]) {
    for url in urls {
        assert!(list.iter().any(|u| u == url), "{url} not saved: {list:?}");
    }
}

/// The output file a precached URL of the `/kb/` fixture is served from.
fn output_of(url: &str) -> String {
    let path = url
        .strip_prefix("/kb/")
        .expect("within the site's base path");
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

#[test]
fn a_small_site_is_saved_whole_except_downloads_and_machine_files() {
    let (_g, root) = copy_fixture("good");
    let built = compile(&root, true);
    let list = precache(&built);
    for url in &list {
        assert!(
            built.file(&output_of(url)).is_some(),
            "{url} is not in the output"
        );
    }
    assert_saved(
        &list,
        &[
            "/kb/",
            "/kb/about/",
            "/kb/monographs/drug-a/",
            "/kb/references/",
        ],
    );
    assert!(
        list.iter()
            .any(|u| u.starts_with("/kb/css/style.") && u.ends_with(".css"))
    );
    assert!(
        list.iter()
            .any(|u| u.starts_with("/kb/js/site.") && u.ends_with(".js"))
    );
    assert!(
        list.iter().any(|u| u == "/kb/old-about/"),
        "old URLs work offline"
    );
    assert!(
        !list
            .iter()
            .any(|u| u.ends_with(".xml") || u.ends_with(".txt"))
    );
    assert!(
        !list
            .iter()
            .any(|u| u.ends_with(".bib") || u.ends_with(".ris")),
        "citation downloads are saved"
    );
    let worker = text(&built, "sw.js");
    assert_eq!(worker_var(&worker, "SCOPE"), "/kb/");
    assert_eq!(worker_var(&worker, "LANG"), "en");
}

#[test]
fn pages_register_the_worker_and_link_the_manifest() {
    let (_g, root) = copy_fixture("good");
    build_ok(&root);
    let home = html(&root, "index.html");
    assert_eq!(attrs(&home, "html", "data-sw"), ["/kb/sw.js"]);
    assert_eq!(
        attrs(&home, "link[rel=manifest]", "href"),
        ["/kb/manifest.webmanifest"]
    );
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(root.join("public/manifest.webmanifest")).unwrap())
            .unwrap();
    assert_eq!(manifest["name"], "Fixture KB");
    assert_eq!(manifest["start_url"], "/kb/");
    assert_eq!(manifest["scope"], "/kb/");
    assert_eq!(manifest["display"], "standalone");
    let icon = manifest["icons"][0]["src"].as_str().unwrap();
    assert!(
        root.join("public").join(output_of(icon)).is_file(),
        "{icon}"
    );
    // One setting colours the browser's toolbar and the installed app.
    assert_eq!(manifest["theme_color"], "#8b1e3f");
    assert_eq!(
        attrs(&home, "meta[name=theme-color]", "content"),
        ["#8b1e3f"]
    );
    let config = std::fs::read_to_string(root.join("config.toml")).unwrap();
    write(
        &root,
        "config.toml",
        format!("theme_color = \"#0a5\"\n{config}"),
    );
    build_ok(&root);
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(root.join("public/manifest.webmanifest")).unwrap())
            .unwrap();
    assert_eq!(manifest["theme_color"], "#0a5");
    let home = html(&root, "about/index.html");
    assert_eq!(attrs(&home, "meta[name=theme-color]", "content"), ["#0a5"]);
}

#[test]
fn the_worker_version_follows_every_change_to_the_output() {
    let (_g, root) = copy_fixture("good");
    let version = |built: &Built| worker_var(&text(built, "sw.js"), "VERSION");
    let first = version(&compile(&root, true));
    assert_eq!(
        version(&compile(&root, true)),
        first,
        "same site, same version"
    );
    let about = std::fs::read_to_string(root.join("content/about.md")).unwrap();
    write(
        &root,
        "content/about.md",
        format!("{about}\nOne more line.\n"),
    );
    assert_ne!(
        version(&compile(&root, true)),
        first,
        "a changed page keeps the version"
    );
}

#[test]
fn without_offline_nothing_is_registered() {
    let (_g, root) = copy_fixture("good");
    let built = compile(&root, false);
    assert!(built.file("sw.js").is_none() && built.file("manifest.webmanifest").is_none());
    let config = std::fs::read_to_string(root.join("config.toml")).unwrap();
    write(&root, "config.toml", format!("offline = false\n{config}"));
    build_ok(&root);
    assert!(!root.join("public/sw.js").exists());
    let home = html(&root, "index.html");
    assert!(attrs(&home, "html", "data-sw").is_empty());
    assert!(attrs(&home, "link[rel=manifest]", "href").is_empty());
}

#[test]
fn a_large_site_saves_its_home_calculators_and_assets_then_pages_as_they_are_read() {
    // The bundled knowledge base (it has calculators) with enough extra pages.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for sub in ["content", "templates", "static"] {
        copy_tree(&repo.join(sub), &root.join(sub));
    }
    std::fs::copy(repo.join("config.toml"), root.join("config.toml")).unwrap();
    // A figure from content/ and an image the site adds to its theme under static/.
    write(&root, "content/monographs/figure.svg", "<svg/>");
    write(&root, "static/logo.svg", "<svg/>");
    for i in 0..hpskb::offline::PRECACHE_ALL_UP_TO {
        write(
            &root,
            &format!("content/notes/n{i}.md"),
            format!("+++\ntitle = \"Note {i}\"\n+++\nText.\n"),
        );
    }
    let built = compile(&root, true);
    let list = precache(&built);
    assert_saved(
        &list,
        &[
            "/",
            "/calculators/hscore/",
            "/calculators/hlh-2004/",
            "/search/",
        ],
    );
    assert!(list.iter().any(|u| u.starts_with("/js/calculator.")));
    assert!(
        list.iter().any(|u| u == "/logo.svg"),
        "the theme's own files"
    );
    assert!(
        !list.iter().any(|u| u == "/monographs/figure.svg"),
        "content figures are saved with their pages, as read"
    );
    assert!(
        !list.iter().any(|u| u.starts_with("/notes/n")),
        "every page saved"
    );
    assert!(!list.iter().any(|u| u == "/monographs/lamotrigine/"));
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn every_output_file_carries_the_kind_its_producer_gave_it() {
    use hpskb::render::{AssetKind, GeneratedKind, Origin};
    let (_g, root) = copy_fixture("good");
    write(
        &root,
        "content/references.bib",
        "@article{doe2020,\n  author = {Doe, Jane},\n  title = {A title},\n  journal = {J},\n  year = {2020},\n  doi = {10.1000/abc}\n}\n",
    );
    let built = compile(&root, true);
    let origin = |path: &str| {
        &built
            .file(path)
            .unwrap_or_else(|| panic!("no {path}"))
            .origin
    };
    let generated = |path: &str| match origin(path) {
        Origin::Template { kind, .. } => *kind,
        other => panic!("{path}: {other:?}"),
    };
    assert_eq!(generated("references/index.html"), GeneratedKind::Reference);
    assert_eq!(generated("glossary/index.html"), GeneratedKind::Reference);
    assert_eq!(generated("search/index.html"), GeneratedKind::Search);
    assert_eq!(generated("404.html"), GeneratedKind::NotFound);
    for machine in ["sitemap.xml", "atom.xml", "robots.txt"] {
        assert_eq!(generated(machine), GeneratedKind::Machine, "{machine}");
    }
    let asset = |path: &str| match origin(path) {
        Origin::Asset(kind) => *kind,
        other => panic!("{path}: {other:?}"),
    };
    assert_eq!(
        asset("references/references.bib"),
        AssetKind::CitationExport
    );
    assert_eq!(asset("search-terms.json"), AssetKind::SearchTerms);
    assert_eq!(asset("sw.js"), AssetKind::Offline);
    assert_eq!(asset("manifest.webmanifest"), AssetKind::Offline);
    let bundle: Vec<_> = built
        .files
        .iter()
        .filter(|f| f.path.starts_with("pagefind/"))
        .collect();
    assert!(!bundle.is_empty());
    assert!(
        bundle
            .iter()
            .all(|f| f.origin == Origin::Asset(AssetKind::SearchBundle))
    );
    assert!(matches!(origin("index.html"), Origin::Page { .. }));
}
