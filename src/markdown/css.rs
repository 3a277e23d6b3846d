//! The URLs a piece of CSS in raw HTML (a `style` attribute or a `<style>` element) may
//! load: every `url(…)` argument and every quoted string (`@import "…"`,
//! `image-set("…" 1x)`), with CSS escapes (`\68 ttps`) and comments undone first.

/// The URLs in `css`, each with the byte offset in `css` where its `url(` or string
/// starts (approximate when escapes come before it).
pub(super) fn urls(css: &str) -> Vec<(usize, String)> {
    let (text, offsets) = unescape(css);
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '"' || c == '\'' {
            let close = chars[i + 1..].iter().position(|&d| d == c);
            let end = close.map_or(chars.len(), |e| i + 1 + e);
            out.push((offsets[i], chars[i + 1..end].iter().collect()));
            i = end + 1;
        } else if is_url_function(&chars[i..]) {
            let mut j = i + 4;
            while chars.get(j).is_some_and(|c| c.is_whitespace()) {
                j += 1;
            }
            if matches!(chars.get(j), Some('"' | '\'')) {
                // `url("…")`: the string is taken on the next turn.
                i = j;
                continue;
            }
            let end = chars[j..]
                .iter()
                .position(|&d| d == ')')
                .map_or(chars.len(), |e| j + e);
            out.push((
                offsets[i],
                chars[j..end].iter().collect::<String>().trim().into(),
            ));
            i = end + 1;
        } else {
            i += 1;
        }
    }
    out
}

/// Whether `chars` starts with `url(`, in any case.
fn is_url_function(chars: &[char]) -> bool {
    chars.len() >= 4
        && chars[..3]
            .iter()
            .zip("url".chars())
            .all(|(a, b)| a.to_ascii_lowercase() == b)
        && chars[3] == '('
}

/// `css` with comments removed and escapes decoded, and the offset in `css` of each
/// character kept.
fn unescape(css: &str) -> (String, Vec<usize>) {
    let mut text = String::with_capacity(css.len());
    let mut offsets = Vec::with_capacity(css.len());
    let mut rest = css.char_indices().peekable();
    while let Some((at, c)) = rest.next() {
        match c {
            '/' if rest.peek().is_some_and(|&(_, d)| d == '*') => {
                rest.next();
                let mut last = ' ';
                for (_, d) in rest.by_ref() {
                    if last == '*' && d == '/' {
                        break;
                    }
                    last = d;
                }
            }
            '\\' => {
                let mut hex = String::new();
                while hex.len() < 6
                    && let Some(&(_, d)) = rest.peek().filter(|(_, d)| d.is_ascii_hexdigit())
                {
                    hex.push(d);
                    rest.next();
                }
                let decoded = if hex.is_empty() {
                    rest.next().map(|(_, d)| d)
                } else {
                    // One whitespace after a hex escape belongs to it.
                    rest.next_if(|(_, d)| d.is_whitespace());
                    u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32)
                };
                if let Some(d) = decoded {
                    text.push(d);
                    offsets.push(at);
                }
            }
            c => {
                text.push(c);
                offsets.push(at);
            }
        }
    }
    (text, offsets)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(css: &str) -> Vec<String> {
        urls(css).into_iter().map(|(_, u)| u).collect()
    }

    #[test]
    fn urls_and_strings_are_found_however_written() {
        assert_eq!(
            found("background: URL( https://a.example/x.png ) no-repeat"),
            ["https://a.example/x.png"]
        );
        assert_eq!(
            found("background:url('//b.example/y.png')"),
            ["//b.example/y.png"]
        );
        assert_eq!(
            found("@import \"https://c.example/s.css\";"),
            ["https://c.example/s.css"]
        );
        assert_eq!(
            found("b\\61 ckground: u\\72l(\\68ttps://d.example/)"),
            ["https://d.example/"]
        );
        assert_eq!(found("background: u/**/rl(x.png)"), ["x.png"]);
        assert_eq!(found("color: red"), Vec::<String>::new());
        let (at, _) = urls("a { b: url(x) }")[0];
        assert_eq!(at, 7);
    }
}
