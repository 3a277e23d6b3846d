//! Markdown conformance: the CommonMark and GFM spec examples against plain pulldown-cmark
//! (`spec`), and the bugs that running them found, each with its test (`fixes`).

#[path = "commonmark/fixes.rs"]
mod fixes;
#[path = "commonmark/spec.rs"]
mod spec;
mod support;
