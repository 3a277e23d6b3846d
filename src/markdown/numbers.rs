//! The numbers a page's text states, so that a translation can be held to the same ones.

/// Appends the numbers `text` (at `offset` in its file) states, each with that offset, as
/// written (`38.5`, `49,883`, `2`): runs of digits with inner `.` or `,`, each whole, not
/// as part of a word (`@kim2019`, `IL-6`'s `6` is a number, `kim2019` is not). A Chinese
/// date's month (`2018年4月`) is not counted: other languages name the month.
pub(super) fn collect(text: &str, offset: usize, out: &mut Vec<(String, usize)>) {
    let mut rest = text;
    while let Some(start) = rest.find(|c: char| c.is_ascii_digit()) {
        let before = rest[..start].chars().next_back();
        let len = rest[start..]
            .char_indices()
            .take_while(|&(i, c)| {
                c.is_ascii_digit()
                    || (matches!(c, '.' | ',')
                        && rest[start + i + 1..].starts_with(|d: char| d.is_ascii_digit()))
            })
            .map(|(i, c)| i + c.len_utf8())
            .last()
            .unwrap_or(0);
        let number = &rest[start..start + len];
        let month = rest[start + len..].starts_with('月');
        if !month && !before.is_some_and(|c| c.is_ascii_alphabetic() || c == '@' || c == '_') {
            out.push((number.to_string(), offset));
        }
        rest = &rest[start + len..];
    }
}

#[cfg(test)]
mod tests {
    use super::collect;

    #[test]
    fn numbers_are_whole_and_outside_words() {
        let mut out = Vec::new();
        collect(
            "38.5 °C, 49,883 reports, 2–3. IL-6 in kim2019 @x1 3.",
            40,
            &mut out,
        );
        let numbers = |out: &[(String, usize)]| -> Vec<String> {
            out.iter().map(|(n, _)| n.clone()).collect()
        };
        assert_eq!(numbers(&out), ["38.5", "49,883", "2", "3", "6", "3"]);
        assert!(out.iter().all(|&(_, offset)| offset == 40));
        out.clear();
        collect("发热≥38.5℃，8例中7例；2018年4月25日", 0, &mut out);
        assert_eq!(numbers(&out), ["38.5", "8", "7", "2018", "25"]);
    }
}
