//! Pandoc-style citation labels: the text inside `[...]` of `[@a; @b, p. 5]`.

use super::CiteItem;

/// Parses the text inside a citation's brackets.
///
/// Items are separated by `;`. Each item is `@key`, optionally followed by a comma and a
/// locator kept verbatim (runs of whitespace, e.g. a line break inside the brackets, become
/// one space). Keys are made of letters, digits and `_-:.`; trailing `:.-` are not part of
/// the key (Pandoc's rule): `[@a:, p. 3]` cites `a`, and `[@a.]` is rejected for its stray `.`.
/// Returns `None` when the label is not a well-formed citation: no `@`, an empty key, an
/// empty item (`@a;;@b`), or text after the key that is not a comma-introduced locator.
pub fn parse_citation_label(label: &str) -> Option<Vec<CiteItem>> {
    let label = label.trim();
    if !label.starts_with('@') {
        return None;
    }
    label.split(';').map(parse_item).collect()
}

/// Where a bracketed text that is not a citation has one inside it (`[see @key]`): the
/// byte offset of the first `@` that starts a key after a space. hpskb reads no text
/// before a citation's first key, so the author is told rather than shown the brackets.
pub fn key_inside(label: &str) -> Option<usize> {
    label.match_indices(" @").map(|(i, _)| i + 1).find(|&at| {
        label[at + 1..]
            .chars()
            .next()
            .is_some_and(char::is_alphanumeric)
    })
}

fn parse_item(item: &str) -> Option<CiteItem> {
    let rest = item.trim().strip_prefix('@')?;
    let end = rest
        .char_indices()
        .find(|&(_, c)| !is_key_char(c))
        .map_or(rest.len(), |(i, _)| i);
    let key = rest[..end].trim_end_matches(is_key_punctuation);
    if !key.chars().next().is_some_and(char::is_alphanumeric) && !key.starts_with('_') {
        return None;
    }
    let after = rest[key.len()..].trim_start();
    let locator = if after.is_empty() {
        None
    } else {
        let locator = after.strip_prefix(',')?;
        let locator = locator.split_whitespace().collect::<Vec<_>>().join(" ");
        (!locator.is_empty()).then_some(locator)
    };
    Some(CiteItem {
        key: key.to_string(),
        locator,
    })
}

/// Characters allowed in a citation key.
pub(crate) fn is_key_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | ':' | '.')
}

fn is_key_punctuation(c: char) -> bool {
    matches!(c, '-' | ':' | '.')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(key: &str, locator: Option<&str>) -> CiteItem {
        CiteItem {
            key: key.into(),
            locator: locator.map(Into::into),
        }
    }

    #[test]
    fn single_key() {
        assert_eq!(
            parse_citation_label("@fardet2014"),
            Some(vec![item("fardet2014", None)])
        );
        assert_eq!(
            parse_citation_label("  @fardet2014  "),
            Some(vec![item("fardet2014", None)])
        );
    }

    #[test]
    fn several_keys() {
        assert_eq!(
            parse_citation_label("@noseda2019; @diaz2023"),
            Some(vec![item("noseda2019", None), item("diaz2023", None)])
        );
        assert_eq!(
            parse_citation_label("@a;@b ;  @c"),
            Some(vec![item("a", None), item("b", None), item("c", None)])
        );
    }

    #[test]
    fn locators_are_verbatim() {
        assert_eq!(
            parse_citation_label("@fardet2014, p. 2615"),
            Some(vec![item("fardet2014", Some("p. 2615"))])
        );
        assert_eq!(
            parse_citation_label("@a, pp. 3–5, fig. 2; @b, table 1"),
            Some(vec![
                item("a", Some("pp. 3–5, fig. 2")),
                item("b", Some("table 1"))
            ])
        );
        assert_eq!(
            parse_citation_label("@a,\n  p.\t12"),
            Some(vec![item("a", Some("p. 12"))]),
            "whitespace runs collapse"
        );
        assert_eq!(parse_citation_label("@a,"), Some(vec![item("a", None)]));
    }

    #[test]
    fn key_characters_and_trailing_punctuation() {
        assert_eq!(
            parse_citation_label("@zore-florenz_2022:b.x"),
            Some(vec![item("zore-florenz_2022:b.x", None)])
        );
        // Trailing `.:-` are not part of the key; what follows it is then stray text.
        assert_eq!(parse_citation_label("@knaak2020:, p. 3"), None);
        assert_eq!(parse_citation_label("@a."), None);
        assert_eq!(
            parse_citation_label("@a.b-c, p. 1"),
            Some(vec![item("a.b-c", Some("p. 1"))])
        );
        assert_eq!(
            parse_citation_label("@Müller2020"),
            Some(vec![item("Müller2020", None)])
        );
    }

    #[test]
    fn invalid_labels() {
        for label in [
            "",
            "fardet2014",
            "see @fardet2014",
            "@",
            "@ a",
            "@-a",
            "@a;",
            "@a;;@b",
            "@a; b",
            "@a b",
            "@a p. 5",
            "@a/b",
            "@@a",
        ] {
            assert_eq!(parse_citation_label(label), None, "{label:?}");
        }
    }
}
