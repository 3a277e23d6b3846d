//! `hpskb score` input parsing and evaluation: `Calculator::score_json` on every real
//! spec in `content/calculators/`.
#![no_main]

use std::path::PathBuf;
use std::sync::LazyLock;

use hpskb::calc::{self, Calculator};
use libfuzzer_sys::fuzz_target;

const SPECS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../content/calculators");

static CALCULATORS: LazyLock<Vec<Calculator>> = LazyLock::new(|| {
    let mut specs: Vec<PathBuf> = std::fs::read_dir(SPECS)
        .map(|dir| {
            dir.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                // `<id>.toml` is a spec; `<id>.<tag>.toml` holds its texts in a language.
                .filter(|p| p.file_stem().is_some_and(|s| !s.to_string_lossy().contains('.')))
                .collect()
        })
        .unwrap_or_default();
    specs.sort();
    specs
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).unwrap();
            let display = PathBuf::from("content/calculators").join(path.file_name().unwrap());
            calc::parse(&display, &text).unwrap_or_else(|d| panic!("{}: {d:?}", path.display()))
        })
        .collect()
});

fuzz_target!(|data: &[u8]| {
    // `hpskb score` reads its input with `read_to_string`: non-UTF-8 never reaches it.
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    for c in CALCULATORS.iter() {
        match c.score_json(input) {
            Ok(out) => assert!(!out.is_empty()),
            Err(messages) => assert!(!messages.is_empty()),
        }
    }
});
