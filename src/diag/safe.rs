//! Making text from sources and file names safe for a terminal: control characters and
//! bidirectional overrides are escaped (`\u{1b}`) in messages, hints and file names, and
//! shown as visible symbols in source snippets, so no file can move the cursor, recolour
//! or retitle the terminal, or hide part of a message.

use std::borrow::Cow;

/// Whether a terminal would act on `c` instead of showing it, or XML 1.0 cannot hold it:
/// a control character, a bidirectional embedding, override or isolate, U+FFFE or U+FFFF.
fn is_unprintable(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{fffe}' | '\u{ffff}')
}

/// The first character of `text` that a terminal would act on or XML 1.0 cannot hold: a
/// control character, a bidirectional embedding, override or isolate, U+FFFE or U+FFFF;
/// line breaks and tabs count too unless `multiline`.
pub fn unprintable(text: &str, multiline: bool) -> Option<char> {
    text.chars()
        .find(|&c| is_unprintable(c) && !(multiline && matches!(c, '\n' | '\t')))
}

/// `text` with each unprintable character (see [`unprintable`]) written as `\u{1b}`.
pub fn terminal_safe(text: &str, multiline: bool) -> Cow<'_, str> {
    if unprintable(text, multiline).is_none() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unprintable(c) && !(multiline && matches!(c, '\n' | '\t')) {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A source file's text for a snippet: each unprintable character but line breaks and
/// tabs replaced by one visible character (its Unicode control picture, `␛` for escape,
/// else `�`), so that lines and columns stay where they were.
pub(super) fn visible_source(text: String) -> String {
    if unprintable(&text, true).is_none() {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let keep = matches!(c, '\n' | '\t') || (c == '\r' && chars.peek() == Some(&'\n'));
        out.push(match c {
            _ if keep || !is_unprintable(c) => c,
            '\0'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
            '\u{7f}' => '\u{2421}',
            _ => '\u{fffd}',
        });
    }
    out
}
