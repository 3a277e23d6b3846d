//! `hpskb score`: results, bad fields, and JSON numbers read from their literal digits.

use super::*;

#[test]
fn cli_scores_and_reports_bad_fields() {
    let dir = tempfile::tempdir().unwrap();
    let score = |name: &str, doc: &Value| {
        let input = dir.path().join(name);
        std::fs::write(&input, doc.to_string()).unwrap();
        Command::new(env!("CARGO_BIN_EXE_hpskb"))
            .args(["score", "hscore", "--input"])
            .arg(&input)
            .arg("--root")
            .arg(root())
            .output()
            .unwrap()
    };
    let mut doc = base_input("hscore");
    doc["temperature"] = json!({"value": 102.92, "unit": "F"});
    let out = score("good.json", &doc);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["score"], 33);
    assert_eq!(v["items"]["temperature"], 33);
    assert_eq!(v["probability"], "<1%");
    assert_eq!(v["meets_cutoff_169"], false);

    doc["temperature"] = json!({"value": 55, "unit": "C"});
    doc["ferritin"] = json!({"value": 1e8, "unit": "ng/mL"});
    let out = score("bad.json", &doc);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 2, "{err}");
    assert!(
        err.contains("temperature:") && err.contains("ferritin:"),
        "{err}"
    );
}

/// The hscore input with `temperature` written as raw JSON text (`value` untouched by
/// any float).
fn with_raw_temperature(raw: &str) -> String {
    let doc = base_input("hscore").to_string();
    doc.replace(
        r#""temperature":{"unit":"C","value":37}"#,
        &format!(r#""temperature":{{"unit":"C","value":{raw}}}"#),
    )
}

#[test]
fn json_numbers_are_read_from_their_literal_digits_like_strings() {
    let c = load("hscore");
    let points = |raw: &str| {
        let doc = with_raw_temperature(raw);
        assert!(doc.contains(raw), "{doc}");
        let v: Value = serde_json::from_str(&c.score_json(&doc).unwrap()).unwrap();
        v["items"]["temperature"].clone()
    };
    // Just above the 39.4 °C edge; as a float it would be exactly 39.4 (33 points).
    assert_eq!(points("39.40000000000000001"), 49);
    assert_eq!(points(r#""39.40000000000000001""#), 49);
    assert_eq!(points("39.4"), 33);
    assert_eq!(points("3.94e1"), 33);
    assert_eq!(points("0.394E+2"), 33);
}

#[test]
fn a_key_given_twice_is_refused() {
    let c = load("hscore");
    let doc = base_input("hscore").to_string();
    let twice = doc.replacen('{', r#"{"ast":{"value":20,"unit":"U/L"},"#, 1);
    let errors = c.score_json(&twice).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("key `ast` is given twice"), "{errors:?}");
    // Inside a measured value too: which `value` was meant is not known.
    let inner = with_raw_temperature(r#"39, "value": 41"#);
    let errors = c.score_json(&inner).unwrap_err();
    assert!(
        errors[0].contains("key `value` is given twice"),
        "{errors:?}"
    );
}

#[test]
fn an_absurdly_long_value_is_refused_with_a_short_message() {
    let c = load("hscore");
    for raw in [
        format!("4{}", "0".repeat(300)),
        format!(r#""4{}""#, "0".repeat(300)),
        format!("0.{}1", "0".repeat(300)),
        "1e300".to_string(),
    ] {
        let errors = c.score_json(&with_raw_temperature(&raw)).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        let message = &errors[0];
        assert!(message.starts_with("temperature: `"), "{message}");
        assert!(message.chars().count() < 100, "{message}");
    }
    let errors = c
        .score_json(&with_raw_temperature(&"9".repeat(300)))
        .unwrap_err();
    assert_eq!(
        errors,
        ["temperature: `999999999999999999999999…` is too long to be a value (300 characters)"]
    );
    // An unknown key of any length is quoted short too.
    let long_key = "k".repeat(500);
    let doc = base_input("hscore")
        .to_string()
        .replacen('{', &format!(r#"{{"{long_key}":1,"#), 1);
    let errors = c.score_json(&doc).unwrap_err();
    assert!(errors.iter().all(|e| e.chars().count() < 100), "{errors:?}");
}
