//! The default templates' UI strings (`i18n/<language>.toml`): the embedded table of the
//! site's language, the site's own strings over it key by key, and every missing key or
//! placeholder an error naming the language and the key.

use std::path::Path;

use hpskb::diag::Code;

use crate::support::{
    assert_error_at, attrs, build_errors, build_ok, copy_fixture, html, texts, write,
};

/// The fixture site in `language`.
fn site_in(language: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, root) = copy_fixture("good");
    let config = std::fs::read_to_string(root.join("config.toml")).unwrap();
    write(
        &root,
        "config.toml",
        format!("language = \"{language}\"\n{config}"),
    );
    (dir, root)
}

fn ui_errors(root: &Path) -> Vec<hpskb::diag::Diagnostic> {
    let errors = build_errors(root);
    assert!(
        errors.iter().all(|d| d.code == Code::UiStrings),
        "{errors:?}"
    );
    errors
}

#[test]
fn a_chinese_site_gets_the_chinese_strings_of_the_default_templates() {
    let (_dir, root) = site_in("zh-Hans");
    build_ok(&root);
    let page = html(&root, "monographs/drug-a/index.html");
    assert_eq!(attrs(&page, "html", "lang"), ["zh-Hans"]);
    assert_eq!(texts(&page, "a.skip-link"), ["跳到正文"]);
    assert_eq!(texts(&page, "button.menu-toggle"), ["菜单"]);
    assert!(texts(&page, "#site-nav a").contains(&"参考文献".to_string()));
    assert_eq!(texts(&page, ".toc-title"), ["本页目录"]);
    // A string with a link in it: the link is built by the template, the text translated.
    let missing = html(&root, "404.html");
    assert_eq!(texts(&missing, "h1"), ["页面不存在"]);
    assert_eq!(
        texts(&missing, "article p"),
        ["您访问的页面不存在或已移动。请使用搜索框，或从首页开始浏览。"]
    );
    assert_eq!(attrs(&missing, "article p a", "href"), ["/kb/"]);
    assert_eq!(texts(&missing, "article p a"), ["首页"]);
    // The scripts get theirs as JSON: the `js_` keys without the prefix.
    let script = texts(&page, "script#ui-strings").remove(0);
    let strings: serde_json::Value = serde_json::from_str(&script).unwrap();
    assert_eq!(strings["copy"], "复制");
    assert_eq!(strings["no_results"], "没有结果。请尝试通用名或商品名。");
    assert!(strings.get("menu").is_none(), "{strings}");
    // Generated pages' titles come from the table too.
    let glossary = html(&root, "glossary/index.html");
    assert_eq!(texts(&glossary, "h1"), ["术语表"]);
    let drugs = html(&root, "drugs/index.html");
    assert_eq!(texts(&drugs, "h1"), ["药物"]);
}

#[test]
fn a_site_overrides_single_strings_and_keeps_the_rest() {
    let (_dir, root) = site_in("en");
    write(&root, "i18n/en.toml", "menu = \"Navigation\"\n");
    build_ok(&root);
    let page = html(&root, "about/index.html");
    assert_eq!(texts(&page, "button.menu-toggle"), ["Navigation"]);
    assert_eq!(texts(&page, "a.skip-link"), ["Skip to content"]);
}

#[test]
fn a_language_without_strings_is_an_error_naming_it() {
    let (_dir, root) = site_in("fr");
    let errors = ui_errors(&root);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].file.ends_with("config.toml"));
    assert!(errors[0].message.contains("`fr`"), "{}", errors[0].message);
    assert!(
        errors[0]
            .hint
            .as_deref()
            .unwrap_or("")
            .contains("i18n/fr.toml"),
        "{:?}",
        errors[0].hint
    );
}

#[test]
fn each_missing_key_is_an_error_naming_the_language_and_the_key() {
    let (_dir, root) = site_in("fr");
    let english =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("i18n/en.toml"))
            .unwrap();
    // Every line but two: `menu` and `sitemap` are left out.
    let french: String = english
        .lines()
        .filter(|l| !l.starts_with("menu =") && !l.starts_with("sitemap ="))
        .map(|l| format!("{l}\n"))
        .collect();
    write(&root, "i18n/fr.toml", french);
    let errors = ui_errors(&root);
    let mut messages: Vec<&str> = errors.iter().map(|d| d.message.as_str()).collect();
    messages.sort();
    assert_eq!(
        messages,
        [
            "UI string `menu` is missing for the language `fr`",
            "UI string `sitemap` is missing for the language `fr`",
        ]
    );
    assert!(errors.iter().all(|d| d.file.ends_with("i18n/fr.toml")));
}

#[test]
fn month_names_must_be_twelve() {
    let (_dir, root) = site_in("en");
    write(
        &root,
        "i18n/en.toml",
        "months = \"Jan, Feb, Mar, Apr, May, Jun, Jul, Aug, Sep, Oct, Nov\"\n",
    );
    let errors = ui_errors(&root);
    let messages: Vec<&str> = errors.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        ["UI string `months` for the language `en` lists 11 names, not 12"]
    );
    assert!(errors[0].file.ends_with("i18n/en.toml"));
    // Twelve, abbreviated, are the site's to choose: review dates use them.
    write(
        &root,
        "i18n/en.toml",
        "months = \"Jan, Feb, Mar, Apr, May, Jun, Jul, Aug, Sep, Oct, Nov, Dec\"\n",
    );
    build_ok(&root);
    let dates = texts(&html(&root, "monographs/drug-a/index.html"), ".meta time");
    assert_eq!(dates, ["15 Jan 2026"]);
}

#[test]
fn a_placeholder_left_out_is_an_error() {
    let (_dir, root) = site_in("en");
    write(
        &root,
        "i18n/en.toml",
        "page_not_found_text = \"Nothing here. Start from the home page.\"\n",
    );
    let errors = ui_errors(&root);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].message.contains("`page_not_found_text`")
            && errors[0].message.contains("`{home}`"),
        "{}",
        errors[0].message
    );
}

#[test]
fn strings_that_are_not_a_table_of_strings_are_an_error_at_their_line() {
    let (_dir, root) = site_in("en");
    write(&root, "i18n/en.toml", "menu = \"Menu\"\nsearch = 3\n");
    let errors = ui_errors(&root);
    assert_error_at(&errors, "i18n/en.toml", 2, "invalid UI strings");
}
