//! HTML text and attribute escaping, character references, and JSON inside `<script>`.

use std::borrow::Cow;

use serde::Serialize;

/// Escapes text for HTML content and double-quoted attribute values; control characters
/// other than tab and newline, which HTML does not allow, are dropped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if c.is_control() && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// Decodes the character references in an attribute value: every HTML5 named reference
/// (`&eacute;`, `&colon;`, `&NewLine;`) and numeric one (`&#233;`, `&#xE9;`) ending in `;`.
/// References without `;` (accepted by browsers for some names) and numeric references to
/// NUL or C0 controls other than whitespace are left as written.
pub fn decode_entities(v: &str) -> Cow<'_, str> {
    html_escape::decode_html_entities(v)
}

/// Walks one start tag beginning at `start` (just after `<`), calling `attribute(tag name,
/// attribute name, raw value, offset of the value in html)` for each attribute that has a
/// value; returns the tag's name and the offset after its `>`.
pub fn start_tag<'h>(
    html: &'h str,
    start: usize,
    mut attribute: impl FnMut(&'h str, &'h str, &'h str, usize),
) -> (&'h str, usize) {
    let b = html.as_bytes();
    let mut i = start;
    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' && b[i] != b'/' {
        i += 1;
    }
    let name = &html[start..i];
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        if i >= b.len() {
            return (name, b.len());
        }
        if b[i] == b'>' {
            return (name, i + 1);
        }
        let attr_start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        let attr = &html[attr_start..i];
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i < b.len() && b[i] == b'=' {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            let (v, at, end) = match b.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    let close = memchr::memchr(q, &b[i + 1..]).map_or(b.len(), |e| i + 1 + e);
                    (&html[i + 1..close], i + 1, (close + 1).min(b.len()))
                }
                _ => {
                    let e = b[i..]
                        .iter()
                        .position(|c| c.is_ascii_whitespace() || *c == b'>')
                        .map_or(b.len(), |e| i + e);
                    (&html[i..e], i, e)
                }
            };
            attribute(name, attr, v, at);
            i = end;
        }
    }
}

/// `value` as JSON safe inside a `<script>` element: `<`, `>` and `&` are written as
/// `\u003c`, `\u003e` and `\u0026`, so `</script>` or `<!--` cannot occur.
pub fn json_in_script(value: &impl Serialize) -> String {
    serde_json::to_string(value)
        .unwrap_or_else(|_| "{}".into())
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_covers_markup_characters() {
        assert_eq!(escape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c'");
        assert_eq!(escape("a\u{1b}b\tc"), "ab\tc");
    }

    #[test]
    fn every_named_and_numeric_reference_is_decoded() {
        assert_eq!(
            decode_entities(
                "caf&eacute;&#xE9;&#233;&NewLine;&colon;&amp;&CounterClockwiseContourIntegral;"
            ),
            "café\u{e9}\u{e9}\n:&\u{2233}"
        );
        // Unknown names, references without `;` and NUL stay as written.
        assert_eq!(decode_entities("&nosuch; &amp &#0;"), "&nosuch; &amp &#0;");
    }

    #[test]
    fn json_in_script_cannot_close_the_script() {
        let json = json_in_script(&"</script><!-- & >");
        assert!(!json.contains(['<', '>', '&']), "{json}");
        assert_eq!(
            serde_json::from_str::<String>(&json).unwrap(),
            "</script><!-- & >"
        );
    }
}
