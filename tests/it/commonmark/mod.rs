//! Markdown conformance: the CommonMark and GFM spec examples against plain pulldown-cmark
//! (`spec`), and the bugs that running them found, each with its test (`fixes`).

mod fixes;
mod spec;
