//! Callouts: GFM alerts (`> [!WARNING]`) written as a titled note.

use pulldown_cmark::{BlockQuoteKind, Event};

/// The opening of the callout for an alert of `kind` (its block quote's end closes it).
pub(super) fn start<'a>(kind: BlockQuoteKind) -> Event<'a> {
    let (class, title) = match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    };
    Event::Html(
        format!("<div class=\"callout callout-{class}\" role=\"note\"><p class=\"callout-title\">{title}</p>\n").into(),
    )
}
