//! Search on a site in Chinese (`tests/fixtures/zh-site`): Pagefind's word segmentation
//! (its `extended` feature) splits Chinese sentences into words, and the bundle keeps the
//! language-neutral WASM that Chinese pages load. The browser side, searching for words in
//! the middle of a sentence, is `tests/web/zh.test.mjs`.

use std::io::Read;
use std::path::Path;

use crate::support::{build_ok, copy_fixture};

/// The words of the built site's Pagefind index, decompressed and concatenated.
fn index_bytes(root: &Path) -> Vec<u8> {
    let mut all = Vec::new();
    for e in std::fs::read_dir(root.join("public/pagefind/index")).unwrap() {
        let bytes = std::fs::read(e.unwrap().path()).unwrap();
        flate2::read::GzDecoder::new(bytes.as_slice())
            .read_to_end(&mut all)
            .unwrap();
    }
    all
}

/// A CBOR text string (how the index stores each word): its length byte, then its bytes.
fn cbor_text(word: &str) -> Vec<u8> {
    let bytes = word.as_bytes();
    assert!(bytes.len() < 24, "short words only");
    let mut out = vec![0x60 + bytes.len() as u8];
    out.extend_from_slice(bytes);
    out
}

#[test]
fn chinese_sentences_are_indexed_word_by_word() {
    let (_dir, root) = copy_fixture("zh-site");
    build_ok(&root);
    let index = index_bytes(&root);
    // The sentence "患者服用拉莫三嗪后出现持续发热与血细胞减少" has no spaces: without
    // segmentation it would be one word, and "发热" no word of its own.
    let word = cbor_text("发热");
    assert!(
        index.windows(word.len()).any(|w| w == word),
        "\"发热\" is not a word of the index"
    );
    let sentence = cbor_text("患者服用");
    assert!(!index.windows(sentence.len()).any(|w| w == sentence));
}

/// Pagefind has no stemming WASM for Chinese: a Chinese site's bundle keeps the
/// language-neutral one its search loads instead (beside the English one its English
/// translation's index uses); an English site's does without it.
#[test]
fn a_language_without_stemming_keeps_the_neutral_search_wasm() {
    let bundle = |fixture: &str| {
        let (_dir, root) = copy_fixture(fixture);
        build_ok(&root);
        let mut names: Vec<String> = std::fs::read_dir(root.join("public/pagefind"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("wasm."))
            .collect();
        names.sort();
        names
    };
    assert_eq!(
        bundle("zh-site"),
        ["wasm.en.pagefind", "wasm.unknown.pagefind"]
    );
    assert_eq!(bundle("good"), ["wasm.en.pagefind"]);
}

/// A site in several languages has an index per language, so that a reader searches the
/// pages of their own language; a site in one language has one index.
#[test]
fn each_language_has_its_own_search_index() {
    let languages = |fixture: &str| {
        let (_dir, root) = copy_fixture(fixture);
        build_ok(&root);
        let entry =
            std::fs::read_to_string(root.join("public/pagefind/pagefind-entry.json")).unwrap();
        let entry: serde_json::Value = serde_json::from_str(&entry).unwrap();
        let mut tags: Vec<String> = entry["languages"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        tags.sort();
        tags
    };
    assert_eq!(languages("zh-site"), ["en", "zh-hans"]);
    assert_eq!(languages("good"), ["en"]);
}
