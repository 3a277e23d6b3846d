//! Static assets with content-hashed file names, for long-lived caching.

use std::collections::BTreeMap;

use super::{Origin, OutputFile};
use crate::load::Asset;

/// Map from a static file's path (`css/style.css`) to its output URL path (`css/style.1a2b3c4d.css`).
pub type AssetUrls = BTreeMap<String, String>;

/// Names CSS and JS files by content hash; other files keep their names.
pub fn hashed(files: &[Asset]) -> (AssetUrls, Vec<OutputFile>) {
    let mut urls = AssetUrls::new();
    let mut out = Vec::new();
    for f in files {
        let path = match f.rel.rsplit_once('.') {
            Some((stem, ext)) if ext == "css" || ext == "js" => {
                format!("{stem}.{:08x}.{ext}", fnv1a(&f.bytes) as u32)
            }
            _ => f.rel.clone(),
        };
        urls.insert(f.rel.clone(), path.clone());
        out.push(OutputFile {
            path,
            bytes: f.bytes.clone(),
            origin: Origin::copied(f.source.as_deref()),
        });
    }
    (urls, out)
}

/// FNV-1a, 64-bit: stable across platforms and compiler versions.
pub fn fnv1a(bytes: &[u8]) -> u64 {
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
    fn css_and_js_get_content_hashes() {
        let files = vec![
            Asset {
                rel: "css/style.css".into(),
                bytes: b"a".to_vec(),
                source: None,
            },
            Asset {
                rel: "favicon.svg".into(),
                bytes: b"b".to_vec(),
                source: Some("static/favicon.svg".into()),
            },
        ];
        let (urls, out) = hashed(&files);
        assert_eq!(urls["favicon.svg"], "favicon.svg");
        assert!(
            urls["css/style.css"].starts_with("css/style.")
                && urls["css/style.css"].ends_with(".css")
        );
        assert_ne!(urls["css/style.css"], "css/style.css");
        let (urls2, _) = hashed(&[Asset {
            rel: "css/style.css".into(),
            bytes: b"c".to_vec(),
            source: None,
        }]);
        assert_ne!(
            urls["css/style.css"], urls2["css/style.css"],
            "content change changes the name"
        );
        assert_eq!(out.len(), 2);
        // The site's own file is traced to it; a built-in one is not.
        assert_eq!(out[0].origin, Origin::Asset);
        assert_eq!(
            out[1].origin,
            Origin::Copied {
                source: "static/favicon.svg".into()
            }
        );
    }
}
