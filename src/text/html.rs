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

/// Decodes the character references that occur in attribute values.
pub fn decode_entities(v: &str) -> Cow<'_, str> {
    if !v.contains('&') {
        return Cow::Borrowed(v);
    }
    let mut out = String::with_capacity(v.len());
    let mut rest = v;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let ent = &rest[1..e];
            let c = match ent {
                "amp" => Some('&'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "lt" => Some('<'),
                "gt" => Some('>'),
                _ => ent
                    .strip_prefix("#x")
                    .or_else(|| ent.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| ent.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
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
    fn json_in_script_cannot_close_the_script() {
        let json = json_in_script(&"</script><!-- & >");
        assert!(!json.contains(['<', '>', '&']), "{json}");
        assert_eq!(
            serde_json::from_str::<String>(&json).unwrap(),
            "</script><!-- & >"
        );
    }
}
