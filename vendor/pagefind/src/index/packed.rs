//! hpskb patch: a page's words packed as `build_indexes` packs them, as soon as the page
//! is parsed, so that its word map (every word with every position, the largest part of
//! a parsed page) can be dropped long before the index is built. The packed form merges
//! into the index exactly as the word map did, so the index's bytes do not change.

use hashbrown::HashMap;
use std::collections::BTreeMap;

use super::index_words::{PackedPage, PackedVariant, PackedWord};
use super::positions_to_packed_page;
use crate::fossick::{FossickedData, FossickedWord};
use crate::utils::full_hash;

/// One page's text words with their packed locations, without the page's number: words
/// and diacritic variants back to back in one string, their locations back to back in one
/// list.
#[derive(Debug, Clone, Default)]
pub struct PackedWords {
    text: String,
    locs: Vec<i32>,
    entries: Vec<Entry>,
}

/// A word (followed by the entries of its variants) or a variant, by where it ends in
/// `text` and `locs`.
#[derive(Debug, Clone, Copy)]
struct Entry {
    variant: bool,
    text_end: u32,
    locs_end: u32,
}

/// What of a parsed page the index still needs once its words are packed.
#[derive(Debug, Clone)]
pub struct PackedPageData {
    pub words: PackedWords,
    /// The page's fragment as JSON, gzip-compressed as the bundle stores it (at zlib's
    /// default level; a quarter of the JSON's size).
    pub gzipped_data: Vec<u8>,
    /// `full_hash` of the JSON.
    pub data_hash: String,
}

impl FossickedData {
    /// Packs the page's words and encodes its fragment, then drops the word map and the
    /// fragment's text and anchors, which the index needs no longer (hpskb patch).
    pub fn pack(&mut self) {
        if self.packed.is_some() {
            return;
        }
        let words = PackedWords::new(std::mem::take(&mut self.word_data));
        let encoded_data = serde_json::to_string(&self.fragment.data).unwrap();
        let data_hash = full_hash(encoded_data.as_bytes());
        let gzipped_data = crate::output::gzip_default(vec![encoded_data.as_bytes()]).unwrap();
        self.fragment.data.content = String::new();
        self.fragment.data.anchors = Vec::new();
        self.packed = Some(Box::new(PackedPageData {
            words,
            gzipped_data,
            data_hash,
        }));
    }

    /// Whether the page has words in its text (packed or not).
    pub fn has_words(&self) -> bool {
        !self.word_data.is_empty() || self.packed.as_ref().is_some_and(|p| !p.words.is_empty())
    }
}

impl PackedWords {
    /// Packs a page's word map as `build_indexes` did: per word, the locations of its
    /// normalised form, then each diacritic variant (in order of its form) with its own.
    fn new(word_data: HashMap<String, Vec<FossickedWord>>) -> Self {
        let mut packed = PackedWords::default();
        for (word, positions) in word_data {
            let mut normalized: Vec<FossickedWord> = Vec::new();
            let mut variants: BTreeMap<String, Vec<FossickedWord>> = BTreeMap::new();
            for fossicked in positions {
                match fossicked.original_word.clone() {
                    None => normalized.push(fossicked),
                    Some(original) => variants.entry(original).or_default().push(fossicked),
                }
            }
            let locs = if normalized.is_empty() {
                Vec::new()
            } else {
                positions_to_packed_page(normalized, 0).locs
            };
            packed.push(false, &word, &locs);
            for (form, positions) in variants {
                packed.push(true, &form, &positions_to_packed_page(positions, 0).locs);
            }
        }
        packed
    }

    fn push(&mut self, variant: bool, text: &str, locs: &[i32]) {
        self.text.push_str(text);
        self.locs.extend_from_slice(locs);
        self.entries.push(Entry {
            variant,
            text_end: self.text.len() as u32,
            locs_end: self.locs.len() as u32,
        });
    }

    fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Each entry with its text and locations.
    fn iter(&self) -> impl Iterator<Item = (bool, &str, &[i32])> {
        let mut start = (0, 0);
        self.entries.iter().map(move |e| {
            let (t, l) = std::mem::replace(&mut start, (e.text_end as usize, e.locs_end as usize));
            (
                e.variant,
                &self.text[t..e.text_end as usize],
                &self.locs[l..e.locs_end as usize],
            )
        })
    }

    /// Adds the page's words to the index's word map, as page `page_number` (pages are
    /// merged in page order).
    pub fn merge_into(&self, word_map: &mut HashMap<String, PackedWord>, page_number: usize) {
        let mut word: Option<&str> = None;
        for (variant, text, locs) in self.iter() {
            let Some(current) = (if variant { word } else { Some(text) }) else {
                continue;
            };
            let packed = word_map
                .entry_ref(current)
                .or_insert_with(|| new_word(current));
            let page = PackedPage {
                page_number,
                locs: locs.to_vec(),
                meta_locs: vec![],
            };
            if variant {
                variant_pages(packed, text).push(page);
            } else {
                word = Some(text);
                if !locs.is_empty() {
                    packed.pages.push(page);
                }
            }
        }
    }
}

/// The pages of the word's variant `form`, a new variant if the word has none yet.
pub(super) fn variant_pages<'w>(word: &'w mut PackedWord, form: &str) -> &'w mut Vec<PackedPage> {
    let i = match (word.additional_variants.iter()).position(|v| v.form == form) {
        Some(i) => i,
        None => {
            word.additional_variants.push(PackedVariant {
                form: form.to_string(),
                pages: Vec::new(),
            });
            word.additional_variants.len() - 1
        }
    };
    &mut word.additional_variants[i].pages
}

/// A word not yet in the index.
pub(super) fn new_word(word: &str) -> PackedWord {
    PackedWord {
        word: word.to_string(),
        pages: Vec::new(),
        additional_variants: Vec::new(),
    }
}

/// The JSON of a fragment compressed by [`FossickedData::pack`].
pub(super) fn gunzip(gzipped: &[u8]) -> String {
    use std::io::Read;
    let mut json = String::new();
    let _ = flate2::read::GzDecoder::new(gzipped).read_to_string(&mut json);
    json.split_off("pagefind_dcd".len())
}
