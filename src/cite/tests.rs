//! Unit tests of the bibliography as a whole.

use std::path::Path;

use super::*;

fn parse(text: &str) -> (Bibliography, Vec<Diagnostic>) {
    Bibliography::parse(Path::new("content/references.bib"), text)
}

#[test]
fn real_bibliography_parses_cleanly() {
    let text = include_str!("../../tests/fixtures/cite-real/references.bib");
    let (bib, diags) = parse(text);
    assert!(diags.is_empty(), "{diags:#?}");
    assert_eq!(bib.entries().count(), text.matches("\n@article{").count());
    for e in bib.entries() {
        println!("{}: {}", e.key, e.html);
    }
}
