//! Page kinds: built in, or declared in `config.toml`.

use serde::{Deserialize, Serialize};

/// The kind of a page decides which shape rules apply to it: one of the built-in kinds,
/// or a kind the site declares in `config.toml` (`[kinds.<name>]`).
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PageKind {
    /// An ordinary page.
    #[default]
    Page,
    /// A drug monograph.
    Monograph,
    /// A topic overview.
    Overview,
    /// Any other name (`bedside`): valid only when `config.toml` declares it.
    Declared(String),
}

impl PageKind {
    /// The built-in kinds, which need no declaration.
    pub const BUILT_IN: [PageKind; 3] = [PageKind::Monograph, PageKind::Overview, PageKind::Page];

    /// The kind called `name`.
    pub fn from_name(name: &str) -> Self {
        match name {
            "page" => PageKind::Page,
            "monograph" => PageKind::Monograph,
            "overview" => PageKind::Overview,
            other => PageKind::Declared(other.to_string()),
        }
    }

    /// The name used in front matter and in `config.toml` `[kinds.<name>]`.
    pub fn name(&self) -> &str {
        match self {
            PageKind::Page => "page",
            PageKind::Monograph => "monograph",
            PageKind::Overview => "overview",
            PageKind::Declared(name) => name,
        }
    }

    /// True for `page`, `monograph` and `overview`.
    pub fn is_built_in(&self) -> bool {
        !matches!(self, PageKind::Declared(_))
    }
}

impl Serialize for PageKind {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for PageKind {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(|name| PageKind::from_name(&name))
    }
}
