//! Reading input values: a JSON document (or the browser's form values, through the same
//! rules) → validated values, every problem a [`FieldError`] at its field.

use std::collections::BTreeMap;

use super::super::input::Json;
use super::super::num::{NumError, Rat, parse_decimal};
use super::super::quote;
use super::super::spec::{Input, InputKind, Spec, Test};
use super::logic::find_input;
use super::{FieldError, Val};

/// Longest text read as a number (characters): more is refused before it is parsed
/// (a decimal has at most 20 significant digits; see [`super::num::MAX_DIGITS`]).
const MAX_NUMBER_TEXT: usize = 64;

fn inputs_of(t: &Test, out: &mut Vec<String>) {
    match t {
        Test::Range { input, .. } | Test::Is { input, .. } => {
            if !out.contains(input) {
                out.push(input.clone());
            }
        }
        Test::All { of } | Test::Any { of } | Test::AtLeast { of, .. } => {
            for t in of {
                inputs_of(t, out);
            }
        }
    }
}

/// A number's literal digits, or a numeric string's text: both are read the same way.
fn number_text(v: &Json) -> Option<String> {
    match v {
        Json::Number(n) | Json::String(n) => Some(n.clone()),
        _ => None,
    }
}

fn parse_number(input: &Input, text: &str) -> Result<Rat, FieldError> {
    let id = input.id.as_str();
    if text.trim().is_empty() {
        return Err(FieldError::missing(
            id,
            format!("{} is missing", input.label),
        ));
    }
    if text.len() > MAX_NUMBER_TEXT {
        return Err(FieldError::new(
            id,
            format!(
                "{} is too long to be a value ({} characters)",
                quote(text),
                text.chars().count()
            ),
        ));
    }
    parse_decimal(text).map_err(|e| match e {
        NumError::NotANumber if text.contains(',') => FieldError::new(
            id,
            format!(
                "{} is not a number (write decimals with a point)",
                quote(text)
            ),
        ),
        NumError::NotANumber => FieldError::new(id, format!("{} is not a number", quote(text))),
        NumError::TooLarge => {
            FieldError::new(id, format!("{} is not a plausible value", quote(text)))
        }
    })
}

fn check_range(input: &Input, v: Rat, unit: usize, text: &str) -> Result<(), FieldError> {
    let id = input.id.as_str();
    let base = match input.units.get(unit) {
        Some(u) => u.to_base(v),
        None => Some(v),
    };
    let bad = |msg: String| Err(FieldError::new(id, msg));
    let Some(base) = base else {
        return bad(format!("{} is not a plausible value", v.display()));
    };
    if v.is_negative() && input.min.is_some_and(|m| !m.is_negative()) {
        return bad(format!("{} must not be negative", input.label));
    }
    if input.min.is_some_and(|m| base < m) || input.max.is_some_and(|m| base > m) {
        return bad(format!(
            "{} is outside the plausible range {}",
            text.trim(),
            input
                .ranges
                .get(unit)
                .or(input.ranges.first())
                .map_or("", String::as_str)
        ));
    }
    Ok(())
}

/// Reads one input's JSON value; `Ok(None)` when absent.
fn read_one(input: &Input, v: Option<&Json>) -> Result<Option<Val>, FieldError> {
    let id = input.id.as_str();
    let Some(v) = v else {
        return Ok(input.absent.map(Val::Bool));
    };
    if v.is_null() {
        return if input.nullable {
            Ok(Some(Val::Null))
        } else {
            Ok(None)
        };
    }
    match input.kind {
        InputKind::Boolean => match v {
            Json::Bool(b) => Ok(Some(Val::Bool(*b))),
            _ => Err(FieldError::new(id, "must be true or false")),
        },
        InputKind::Choice => match v {
            Json::String(s) if input.choices.iter().any(|c| &c.value == s) => {
                Ok(Some(Val::Choice(s.clone())))
            }
            _ => Err(FieldError::new(
                id,
                format!(
                    "must be one of: {}",
                    input
                        .choices
                        .iter()
                        .map(|c| c.value.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )),
        },
        InputKind::Count => {
            let Some(text) = number_text(v) else {
                return Err(FieldError::new(id, "must be a whole number"));
            };
            let n = parse_number(input, &text)?;
            if !n.is_integer() {
                return Err(FieldError::new(
                    id,
                    format!("{} is not a whole number", quote(&text)),
                ));
            }
            check_range(input, n, usize::MAX, &text)?;
            Ok(Some(Val::Num { value: n, unit: 0 }))
        }
        InputKind::Measured => {
            let Json::Object(entries) = v else {
                return Err(FieldError::new(
                    id,
                    "must be {\"value\": number, \"unit\": text}",
                ));
            };
            if let Some((k, _)) = entries.iter().find(|(k, _)| k != "value" && k != "unit") {
                return Err(FieldError::new(id, format!("unexpected key {}", quote(k))));
            }
            let units = input
                .units
                .iter()
                .map(|u| u.id.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            let unit = match v.get("unit") {
                Some(Json::String(u)) => match input.units.iter().position(|x| &x.id == u) {
                    Some(i) => i,
                    None => {
                        return Err(FieldError::new(
                            id,
                            format!("unit {} is not accepted; use one of: {units}", quote(u)),
                        ));
                    }
                },
                _ => {
                    return Err(FieldError::new(
                        id,
                        format!("unit is missing; use one of: {units}"),
                    ));
                }
            };
            let text = match v.get("value") {
                None | Some(Json::Null) => {
                    return Err(FieldError::missing(
                        id,
                        format!("{} is missing", input.label),
                    ));
                }
                Some(v) => {
                    number_text(v).ok_or_else(|| FieldError::new(id, "value must be a number"))?
                }
            };
            let n = parse_number(input, &text)?;
            check_range(input, n, unit, &text)?;
            Ok(Some(Val::Num { value: n, unit }))
        }
    }
}

/// Reads and checks every input; `Err` lists every bad field.
pub fn read(spec: &Spec, doc: &Json) -> Result<BTreeMap<String, Val>, Vec<FieldError>> {
    let Json::Object(entries) = doc else {
        return Err(vec![FieldError::new(
            "input",
            "the input must be a JSON object",
        )]);
    };
    let mut vals = BTreeMap::new();
    let mut errors = Vec::new();
    for input in &spec.inputs {
        match read_one(input, doc.get(&input.id)) {
            Ok(Some(v)) => {
                vals.insert(input.id.clone(), v);
            }
            Ok(None) => {}
            Err(e) => errors.push(e),
        }
    }
    for (k, _) in entries {
        if !spec.inputs.iter().any(|i| &i.id == k) {
            errors.push(FieldError::new(k, format!("unknown input {}", quote(k))));
        }
    }
    // Required inputs, and either/or items.
    let mut alternatives: Vec<String> = Vec::new();
    for item in &spec.items {
        if let (Some(x), false) = (&item.input, item.count.is_empty()) {
            let mut ys = Vec::new();
            for t in &item.count {
                inputs_of(t, &mut ys);
            }
            alternatives.push(x.clone());
            alternatives.extend(ys.iter().cloned());
            let bad = |errors: &Vec<FieldError>, id: &String| errors.iter().any(|e| &e.field == id);
            let given = |id: &String| doc.get(id).is_some_and(|v| !v.is_null());
            // A count input given as `null` (not done) is answered, not missing.
            let answered = |id: &String| {
                given(id)
                    || (doc.get(id).is_some_and(Json::is_null)
                        && find_input(spec, id).is_some_and(|i| i.nullable))
            };
            let ys_given: Vec<&String> = ys.iter().filter(|y| given(y)).collect();
            let label = |id: &str| {
                spec.inputs
                    .iter()
                    .find(|i| i.id == id)
                    .map_or(id.to_string(), |i| i.label.clone())
            };
            if given(x) {
                if !ys_given.is_empty() && !bad(&errors, x) {
                    errors.push(FieldError::new(
                        x,
                        format!(
                            "give either {} or the counts ({}), not both",
                            label(x),
                            ys.iter().map(|y| label(y)).collect::<Vec<_>>().join(", ")
                        ),
                    ));
                }
            } else if !ys.iter().any(answered) {
                errors.push(FieldError::missing(
                    x,
                    format!(
                        "{} is missing (or enter {})",
                        label(x),
                        ys.iter().map(|y| label(y)).collect::<Vec<_>>().join(", ")
                    ),
                ));
            } else {
                for y in &ys {
                    if !answered(y) && !bad(&errors, y) {
                        errors.push(FieldError::missing(
                            y,
                            format!("{} is missing (needed for the count)", label(y)),
                        ));
                    }
                }
            }
        }
    }
    for input in &spec.inputs {
        if alternatives.contains(&input.id)
            || vals.contains_key(&input.id)
            || errors.iter().any(|e| e.field == input.id)
        {
            continue;
        }
        errors.push(FieldError::missing(
            &input.id,
            format!("{} is missing", input.label),
        ));
    }
    if errors.is_empty() {
        Ok(vals)
    } else {
        let order = |f: &str| {
            spec.inputs
                .iter()
                .position(|i| i.id == f)
                .unwrap_or(usize::MAX)
        };
        errors.sort_by_key(|e| order(&e.field));
        Err(errors)
    }
}
