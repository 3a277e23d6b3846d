//! Front matter: `+++` splitting and TOML parsing of a whole Markdown file.
#![no_main]

use std::path::Path;

use hpskb::load::front_matter;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Non-UTF-8 files are refused before this stage.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match front_matter::split(Path::new("content/fuzz.md"), text) {
        Ok(split) => {
            assert!(split.body_offset <= text.len());
            assert_eq!(split.body, &text[split.body_offset..]);
        }
        Err(d) => {
            // Locating the error (line/column from a byte offset) must not panic either.
            let _ = d.to_string();
        }
    }
});
