//! Leaf helpers shared by every stage: HTML and JSON-in-script escaping, URL encoding and
//! decoding, output paths and their URLs, slugs, dates and "did you mean" suggestions.
//! They depend on nothing else in the crate (the bottom layer; see the crate docs).

pub mod date;
pub mod html;
pub mod slug;
pub mod suggest;
pub mod url;
