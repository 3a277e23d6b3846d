//! The unit symbols a spec may use, with their display labels.
//!
//! Conversions themselves live in each spec (`factor`, `offset`), so they are data and
//! the browser reads the same numbers. This registry only rejects unknown or misspelt
//! symbols (`mg/dl`, `°C`) at build time.

/// `(symbol, label)`: the symbol is what `hpskb score` input JSON and the form use, the
/// label is what people read.
pub const KNOWN_UNITS: &[(&str, &str)] = &[
    ("C", "°C"),
    ("F", "°F"),
    ("ng/mL", "ng/mL"),
    ("ug/L", "µg/L"),
    ("pmol/L", "pmol/L"),
    ("mmol/L", "mmol/L"),
    ("mg/dL", "mg/dL"),
    ("g/L", "g/L"),
    ("g/dL", "g/dL"),
    ("U/L", "U/L"),
    ("ukat/L", "µkat/L"),
    ("U/mL", "U/mL"),
    ("10^9/L", "×10⁹/L"),
    ("/mm3", "/mm³"),
];

/// The display label of a known unit symbol.
pub fn label(symbol: &str) -> Option<&'static str> {
    KNOWN_UNITS
        .iter()
        .find(|(s, _)| *s == symbol)
        .map(|(_, l)| *l)
}

/// Every known symbol, for hints.
pub fn known_list() -> String {
    KNOWN_UNITS
        .iter()
        .map(|(s, _)| *s)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn labels() {
        assert_eq!(super::label("ukat/L"), Some("µkat/L"));
        assert_eq!(super::label("mg/dl"), None);
    }
}
