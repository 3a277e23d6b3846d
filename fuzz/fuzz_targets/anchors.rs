//! The HTML scanner behind the link check: ids and links of arbitrary markup.
#![no_main]

use std::collections::HashSet;

use hpskb::render::Anchors;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(html) = std::str::from_utf8(data) else {
        return;
    };
    let anchors = Anchors::of(html);
    let distinct: HashSet<&str> = anchors.links().collect();
    assert_eq!(distinct.len(), anchors.links().count(), "links are listed once each");
    // Every value comes from an attribute, which entity decoding never lengthens.
    for value in anchors.ids().chain(anchors.links()) {
        assert!(value.len() <= html.len());
        assert!(anchors.has_id(value) || anchors.links().any(|l| l == value));
    }
    for id in anchors.ids() {
        assert!(anchors.has_id(id), "every id is found");
    }
});
