//! Heading slugs. Anchors are public URLs: this algorithm must not change.

/// Lowercases `text`, keeps letters and digits, turns every other run of characters into
/// one `-`, and trims `-` at both ends. Empty results become `section`.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_dash = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            out.extend(c.to_lowercase());
        } else {
            pending_dash = true;
        }
    }
    if out.is_empty() {
        out.push_str("section");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::slugify;

    #[test]
    fn slugs_are_stable() {
        assert_eq!(
            slugify("Clinical features and time to onset"),
            "clinical-features-and-time-to-onset"
        );
        assert_eq!(
            slugify("  HLH-2004: criteria (2007) "),
            "hlh-2004-criteria-2007"
        );
        assert_eq!(
            slugify("Réactions à l'ibrutinib"),
            "réactions-à-l-ibrutinib"
        );
        assert_eq!(slugify("!!!"), "section");
        assert_eq!(slugify("sCD25 ≥ 2400 U/mL"), "scd25-2400-u-ml");
    }
}
