//! The integration tests, one binary (issue #25): one module per area, shared helpers in
//! `support`, and the broken-site fixture runner in `fixtures` (see docs/testing.md).
//! One binary links once instead of once per file, which is most of a cold `cargo test`.

mod authoring;
mod bench_corpus;
mod broken;
mod build;
mod calculators;
mod chinese_search;
mod cite;
mod cli;
mod commonmark;
mod content;
mod data;
mod fixtures;
mod kinds;
mod layers;
mod message_format;
mod offline;
mod preview;
mod publish;
mod robustness;
mod serve;
mod site_root;
mod support;
mod translations;
mod ui_strings;
