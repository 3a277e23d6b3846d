//! The BibTeX loader: parsing, validation, AMA formatting and BibTeX/RIS export.
#![no_main]

use std::path::Path;

use hpskb::cite::Bibliography;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (bib, diags) = Bibliography::parse(Path::new("content/references.bib"), text);
    for d in &diags {
        let _ = d.to_string();
    }
    let keys: Vec<String> = bib.entries().map(|e| e.key.clone()).collect();
    for key in &keys {
        let e = bib.get(key).expect("listed entry");
        let _ = e.doi_url();
        let _ = e.pubmed_url();
        let _ = bib.bibtex(key);
        let _ = bib.ris(key);
        let _ = bib.closest_key(&format!("{key}x"));
    }
});
