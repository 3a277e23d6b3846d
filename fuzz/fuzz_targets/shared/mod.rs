//! What several fuzz targets share (a module, not a target of its own).

use std::path::Path;

use hpskb::load::{self, LoadOptions, Site};

/// The bundled site as `hpskb build` loads it: the real bibliography, calculators (with
/// their translations) and glossary. Panics if it does not load, which the test suite
/// would report first.
pub fn bundled_site() -> Site {
    let root = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
    let (site, diags) = load::load(root, &LoadOptions::default());
    site.unwrap_or_else(|| panic!("the bundled site does not load: {diags:?}"))
}
