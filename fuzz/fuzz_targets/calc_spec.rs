//! The calculator spec loader (`content/calculators/*.toml`) and the HTML it embeds.
#![no_main]

use std::path::Path;

use hpskb::calc;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match calc::parse(Path::new("content/calculators/fuzz.toml"), text) {
        Ok(c) => {
            let _ = c.embed_html();
        }
        Err(diags) => {
            for d in &diags {
                let _ = d.to_string();
            }
        }
    }
});
