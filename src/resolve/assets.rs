//! Output paths of static files: CSS and JS named by content hash.

use std::collections::BTreeMap;

use crate::load::Asset;

/// Map from a static file's path (`css/style.css`) to its output path
/// (`css/style.1a2b3c4d.css`).
pub type StaticPaths = BTreeMap<String, String>;

/// Names static CSS and JS files by content hash, so that browsers may cache them for
/// good; other files keep their path.
pub fn static_paths(files: &[Asset]) -> StaticPaths {
    files
        .iter()
        .map(|f| {
            let path = match f.rel.rsplit_once('.') {
                Some((stem, ext)) if ext == "css" || ext == "js" => {
                    format!("{stem}.{:08x}.{ext}", fnv1a(&f.bytes) as u32)
                }
                _ => f.rel.clone(),
            };
            (f.rel.clone(), path)
        })
        .collect()
}

/// FNV-1a, 64-bit: stable across platforms and compiler versions.
pub(super) fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn static_css_and_js_are_named_by_content_hash() {
        let asset = |rel: &str, bytes: &[u8]| Asset {
            rel: rel.into(),
            bytes: bytes.to_vec(),
            source: None,
        };
        let paths = static_paths(&[asset("css/style.css", b"a"), asset("favicon.svg", b"b")]);
        assert_eq!(paths["favicon.svg"], "favicon.svg");
        let css = &paths["css/style.css"];
        assert!(
            css.starts_with("css/style.") && css.ends_with(".css"),
            "{css}"
        );
        assert_ne!(css, "css/style.css");
        let changed = static_paths(&[asset("css/style.css", b"c")]);
        assert_ne!(
            css, &changed["css/style.css"],
            "content change changes the name"
        );
    }
}
