//! Stage 4, check: verify the rendered site before anything is written — every internal
//! link and fragment resolves ([`links`]), content keeps its required shape ([`shape`])
//! and no two outputs share a path ([`outputs`]).

pub mod links;
pub mod outputs;
pub mod shape;
