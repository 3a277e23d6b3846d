//! Stage 4, check: verify the rendered site before anything is written — every internal
//! link and fragment resolves ([`links`]) and content keeps its required shape ([`shape`]).

pub mod links;
pub mod shape;
