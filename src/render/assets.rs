//! Static files in the output, under the paths the resolve stage gave them
//! ([`crate::resolve::static_paths`]: CSS and JS by content hash).

use super::{Origin, OutputFile};
use crate::load::Asset;
use crate::resolve::StaticPaths;

/// The output file of each static file, at its path in `paths`.
pub(crate) fn files(files: &[Asset], paths: &StaticPaths) -> Vec<OutputFile> {
    files
        .iter()
        .map(|f| OutputFile {
            path: paths.get(&f.rel).unwrap_or(&f.rel).clone(),
            bytes: f.bytes.clone(),
            origin: Origin::copied(f.source.as_deref()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::AssetKind;
    use crate::resolve::static_paths;

    fn asset(rel: &str, bytes: &[u8], source: Option<&str>) -> Asset {
        Asset {
            rel: rel.into(),
            bytes: bytes.to_vec(),
            source: source.map(Into::into),
        }
    }

    #[test]
    fn static_files_are_written_at_their_resolved_paths() {
        let files = [
            asset("css/style.css", b"a", None),
            asset("favicon.svg", b"b", Some("static/favicon.svg")),
        ];
        let paths = static_paths(&files);
        let out = super::files(&files, &paths);
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].path, paths["css/style.css"]);
        assert_eq!(out[1].path, "favicon.svg");
        // The site's own file is traced to it; a built-in one is not.
        assert_eq!(out[0].origin, Origin::Asset(AssetKind::Theme));
        assert_eq!(
            out[1].origin,
            Origin::Copied {
                source: "static/favicon.svg".into()
            }
        );
    }
}
