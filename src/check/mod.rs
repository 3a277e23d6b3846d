//! Stage 4, check: verify the rendered site before anything is written — every internal
//! link and fragment resolves ([`links`]), no id is used twice in a file ([`ids`]),
//! content keeps its required shape ([`shape`]) and no two outputs share a path
//! ([`outputs`]).

pub mod ids;
pub mod links;
pub mod outputs;
pub mod shape;
