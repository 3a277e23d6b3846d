//! A data set's records, `content/data/<set>.csv`, read with the `csv` crate and checked
//! against the schema: each bad value reported at its line and column, with a hint.

use std::collections::HashMap;
use std::path::Path;

use super::schema::{ColumnType, Schema};
use super::{Record, Value};
use crate::cite::Bibliography;
use crate::diag::{Cap, Code, Diagnostic};
use crate::text::suggest::closest;

/// Reads and checks every record of `text` (the CSV file `file`) against `schema`.
/// Returns the records and every problem found (at most [`crate::diag::MAX_ERRORS_PER_PAGE`]
/// located, the rest counted).
pub(super) fn read(
    file: &Path,
    text: &str,
    schema: &Schema,
    bibliography: &Bibliography,
) -> (Vec<Record>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut cap = Cap::default();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = reader.records();
    let expected: Vec<&str> = schema.columns.iter().map(|c| c.id.as_str()).collect();
    match rows.next() {
        None => {
            diags.push(
                Diagnostic::new(
                    Code::DataRecord,
                    file,
                    "the data set is empty: it has no header row",
                )
                .with_hint(format!(
                    "the first line is the header: {}",
                    expected.join(",")
                )),
            );
            return (Vec::new(), diags);
        }
        Some(Err(e)) => {
            diags.push(csv_error(file, text, &e));
            return (Vec::new(), diags);
        }
        Some(Ok(header)) => {
            let got: Vec<&str> = header.iter().collect();
            if got != expected {
                let i = got
                    .iter()
                    .zip(&expected)
                    .position(|(a, b)| a != b)
                    .unwrap_or(got.len().min(expected.len()));
                let offsets = field_offsets(text, 0);
                let at = offsets.get(i).copied().unwrap_or(0);
                let message = match (got.get(i), expected.get(i)) {
                    (Some(g), Some(e)) => {
                        format!("header column {} is `{g}`, the schema's is `{e}`", i + 1)
                    }
                    (None, Some(e)) => format!("the header ends before the schema's column `{e}`"),
                    (Some(g), None) => {
                        format!("header column {} `{g}` is not in the schema", i + 1)
                    }
                    (None, None) => "the header does not match the schema".into(),
                };
                diags.push(
                    Diagnostic::new(Code::DataRecord, file, message)
                        .at_offset(text, at)
                        .with_hint(format!(
                            "the header is the schema's column ids in order: {}",
                            expected.join(",")
                        )),
                );
                // Every record would be read against the wrong columns.
                return (Vec::new(), diags);
            }
        }
    }
    let mut records = Vec::new();
    let mut ids: HashMap<String, usize> = HashMap::new();
    for row in rows {
        let row = match row {
            Ok(r) => r,
            Err(e) => {
                if !cap.full() {
                    diags.push(csv_error(file, text, &e));
                    cap.located();
                }
                break;
            }
        };
        let Some(pos) = row.position() else { continue };
        let start = usize::try_from(pos.byte()).unwrap_or(0);
        let line = usize::try_from(pos.line()).unwrap_or(0);
        let offsets = field_offsets(text, start);
        let mut problem = |offset: usize, message: String, hint: String| {
            if !cap.full() {
                diags.push(
                    Diagnostic::new(Code::DataRecord, file, message)
                        .at_offset(text, offset)
                        .with_hint(hint),
                );
                cap.located();
            }
        };
        if row.len() != schema.columns.len() {
            problem(
                start,
                format!(
                    "record has {} fields, the header {}",
                    row.len(),
                    schema.columns.len()
                ),
                "one field per column: quote a value that holds a comma (\"a, b\"), leave an empty field for a value not stated".into(),
            );
            continue;
        }
        let mut cells = Vec::with_capacity(row.len());
        for (i, (raw, column)) in row.iter().zip(&schema.columns).enumerate() {
            let at = offsets.get(i).copied().unwrap_or(start);
            match value(raw, &column.kind, bibliography) {
                Ok(Value::Empty) if i == schema.source => {
                    problem(
                        at,
                        "record has no source".into(),
                        format!(
                            "every record cites the bibliography key of its source in `{}`",
                            column.id
                        ),
                    );
                    cells.push(Value::Empty);
                }
                Ok(Value::Empty) if column.required => {
                    problem(
                        at,
                        format!("`{}` is required and empty", column.id),
                        format!("give every record a `{}`", column.id),
                    );
                    cells.push(Value::Empty);
                }
                Ok(v) => {
                    if let Some(n) = v.number() {
                        let low = column.min.is_some_and(|m| n < m);
                        let high = column.max.is_some_and(|m| n > m);
                        if low || high {
                            problem(
                                at,
                                format!("`{}` = {raw} is out of range", column.id),
                                format!("`{}` is {}", column.id, range(column.min, column.max)),
                            );
                        }
                    }
                    cells.push(v);
                }
                Err((message, hint)) => {
                    problem(at, format!("`{}`: {message}", column.id), hint);
                    cells.push(Value::Empty);
                }
            }
        }
        if let Value::Text(id) = &cells[schema.key] {
            if let Some(first) = ids.get(id) {
                problem(
                    offsets.get(schema.key).copied().unwrap_or(start),
                    format!("duplicate record id `{id}`"),
                    format!("ids are unique; `{id}` is also the id at line {first}"),
                );
            } else {
                ids.insert(id.clone(), line);
            }
        }
        records.push(Record { line, cells });
    }
    diags.extend(cap.not_shown(file, ("errors", "errors"), "data set"));
    (records, diags)
}

/// `min ≤ value ≤ max`, in words, for a hint.
fn range(min: Option<f64>, max: Option<f64>) -> String {
    match (min, max) {
        (Some(lo), Some(hi)) => format!("from {lo} to {hi}"),
        (Some(lo), None) => format!("at least {lo}"),
        (None, Some(hi)) => format!("at most {hi}"),
        (None, None) => "any number".into(),
    }
}

/// A cell's typed value, or what is wrong with it (message, hint).
fn value(
    raw: &str,
    kind: &ColumnType,
    bibliography: &Bibliography,
) -> Result<Value, (String, String)> {
    if raw.is_empty() {
        return Ok(Value::Empty);
    }
    if raw.trim() != raw {
        return Err((
            format!("`{raw}` has spaces around it"),
            "write the value without leading or trailing spaces".into(),
        ));
    }
    match kind {
        ColumnType::Text => Ok(Value::Text(raw.to_string())),
        ColumnType::Integer => raw.parse::<i64>().map(Value::Integer).map_err(|_| {
            (
                format!("`{raw}` is not an integer"),
                "write a whole number in digits, e.g. `42`; leave the field empty if the source does not state it".into(),
            )
        }),
        ColumnType::Decimal => match raw.parse::<f64>() {
            Ok(n) if n.is_finite() && raw.chars().all(|c| c.is_ascii_digit() || "-.".contains(c)) => {
                Ok(Value::Decimal(n, raw.to_string()))
            }
            _ => Err((
                format!("`{raw}` is not a decimal number"),
                "write digits with a point, e.g. `12.5`".into(),
            )),
        },
        ColumnType::Date => {
            iso_date(raw)
                .map(|_| Value::Text(raw.to_string()))
                .ok_or_else(|| {
                    (
                        format!("`{raw}` is not a date"),
                        "write a calendar date as YYYY-MM-DD, e.g. `2024-03-01`".into(),
                    )
                })
        }
        ColumnType::Boolean => match raw {
            "true" => Ok(Value::Boolean(true)),
            "false" => Ok(Value::Boolean(false)),
            _ => Err((
                format!("`{raw}` is not a boolean"),
                "write `true` or `false`".into(),
            )),
        },
        ColumnType::Enum(values) => {
            if values.iter().any(|v| v == raw) {
                Ok(Value::Text(raw.to_string()))
            } else {
                let allowed = format!("allowed values: {}", values.join(", "));
                let hint = match closest(raw, values.iter().map(String::as_str)) {
                    Some(v) => format!("did you mean `{v}`? {allowed}"),
                    None => allowed,
                };
                Err((format!("unknown value `{raw}`"), hint))
            }
        }
        ColumnType::Citation => match bibliography.get(raw) {
            Some(_) => Ok(Value::Text(raw.to_string())),
            None => {
                let hint = match bibliography.closest_key(raw) {
                    Some(k) => format!("did you mean `{k}`?"),
                    None => "add the reference to content/references.bib".into(),
                };
                Err((format!("unknown citation key `{raw}`"), hint))
            }
        },
    }
}

/// A calendar date written `YYYY-MM-DD`.
fn iso_date(raw: &str) -> Option<time::Date> {
    let mut parts = raw.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if parts.next().is_some() || !digits(y, 4) || !digits(m, 2) || !digits(d, 2) {
        return None;
    }
    let month = time::Month::try_from(m.parse::<u8>().ok()?).ok()?;
    time::Date::from_calendar_date(y.parse().ok()?, month, d.parse().ok()?).ok()
}

fn csv_error(file: &Path, text: &str, e: &csv::Error) -> Diagnostic {
    let d = Diagnostic::new(Code::DataRecord, file, format!("cannot read the CSV: {e}")).with_hint(
        "RFC 4180: quote a field holding a comma, quote or line break, and double a quote inside it (\"\")",
    );
    match e.position() {
        Some(p) => d.at_offset(text, usize::try_from(p.byte()).unwrap_or(0)),
        None => d,
    }
}

/// Byte offsets of the fields of the record starting at byte `start` of `text` (RFC 4180:
/// a quoted field may hold commas, doubled quotes and line breaks).
pub(super) fn field_offsets(text: &str, start: usize) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut offsets = vec![start];
    let mut i = start;
    let mut quoted = false;
    while i < bytes.len() {
        match bytes[i] {
            b'"' if quoted && bytes.get(i + 1) == Some(&b'"') => i += 1,
            b'"' => quoted = !quoted,
            b',' if !quoted => offsets.push(i + 1),
            b'\n' | b'\r' if !quoted => break,
            _ => {}
        }
        i += 1;
    }
    offsets
}

#[cfg(test)]
mod tests {
    use super::field_offsets;

    #[test]
    fn fields_are_found_past_quoted_commas_and_quotes() {
        let text = "a,b\n1,\"x, \"\"y\"\"\",z\n";
        assert_eq!(field_offsets(text, 4), [4, 6, 17]);
        assert_eq!(field_offsets(text, 0), [0, 2]);
    }
}
