//! `hpskb score` input parsing and evaluation: `Calculator::score_json` on every real
//! spec in `content/calculators/`.
#![no_main]

mod shared;

use std::sync::LazyLock;

use hpskb::calc::Calculator;
use libfuzzer_sys::fuzz_target;

/// The bundled site's calculators, as `hpskb build` loads them.
static CALCULATORS: LazyLock<Vec<Calculator>> =
    LazyLock::new(|| shared::bundled_site().calculators.into_values().collect());

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
