//! Aggregates of a data set computed at build time: count, median with IQR, proportion
//! (numerator/denominator, percent), and the counts and groups charts draw. Empty cells
//! ("not stated") are left out of every denominator.

use serde::Deserialize;

use super::{ColumnType, DataSet, Record, Value};

/// A problem with a query: message and hint.
pub type Problem = (String, String);

/// `column=value`: records whose `column` is `value` (for text, also one of its
/// `;`-separated items).
#[derive(Debug, Clone)]
pub struct Filter {
    column: usize,
    value: String,
}

impl Filter {
    /// Reads `column=value` against the set's schema.
    pub fn parse(set: &DataSet, text: &str) -> Result<Self, Problem> {
        let Some((column, value)) = text.split_once('=') else {
            return Err((
                format!("filter `{text}` is not `column=value`"),
                "e.g. `where = \"outcome=died\"`".into(),
            ));
        };
        let (column, value) = (column.trim(), value.trim());
        let index = column_index(set, column)?;
        if let ColumnType::Enum(values) = &set.schema.columns[index].kind
            && !values.iter().any(|v| v == value)
        {
            let hint = match crate::text::suggest::closest(value, values.iter().map(String::as_str))
            {
                Some(v) => format!("did you mean `{v}`?"),
                None => format!("`{column}` is one of {}", values.join(", ")),
            };
            return Err((format!("`{value}` is not a value of `{column}`"), hint));
        }
        Ok(Self {
            column: index,
            value: value.to_string(),
        })
    }

    /// Whether `record` matches.
    pub fn matches(&self, record: &Record) -> bool {
        let text = record.cells[self.column].text();
        text == self.value
            || (text.contains(';') && text.split(';').any(|t| t.trim() == self.value))
    }

    /// Whether `record` states a value in the filter's column.
    fn stated(&self, record: &Record) -> bool {
        record.cells[self.column] != Value::Empty
    }
}

/// The index of `column`, or an error with a "did you mean".
pub fn column_index(set: &DataSet, column: &str) -> Result<usize, Problem> {
    set.schema.index(column).ok_or_else(|| {
        (
            format!("data set `{}` has no column `{column}`", set.id),
            set.schema.column_hint(column),
        )
    })
}

/// What an inline aggregate asks for (`` `data set="…", stat="…"` ``).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Query {
    /// The data set.
    pub set: String,
    /// `count`, `median_iqr` or `proportion`.
    pub stat: String,
    /// The numeric column, for `median_iqr`.
    pub column: Option<String>,
    /// `column=value`: what `count` counts, and the numerator of `proportion`.
    #[serde(rename = "where")]
    pub filter: Option<String>,
    /// `column=value`: the records the statistic is computed over (default: all).
    pub among: Option<String>,
}

/// The records `among` selects (all when `None`).
pub fn population<'s>(set: &'s DataSet, among: Option<&Filter>) -> Vec<&'s Record> {
    set.records
        .iter()
        .filter(|r| among.is_none_or(|f| f.matches(r)))
        .collect()
}

/// The sorted numbers of column `index` among `records`, empty cells left out.
pub fn numbers(records: &[&Record], index: usize) -> Vec<f64> {
    let mut n: Vec<f64> = records
        .iter()
        .filter_map(|r| r.cells[index].number())
        .collect();
    n.sort_by(f64::total_cmp);
    n
}

/// The `p` quantile of sorted `values` (0 ≤ p ≤ 1), by linear interpolation between
/// order statistics (Hyndman–Fan type 7, the default of R and NumPy).
pub fn quantile(values: &[f64], p: f64) -> Option<f64> {
    let last = values.len().checked_sub(1)?;
    let h = p * last as f64;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(last);
    Some(values[lo] + (h - lo as f64) * (values[hi] - values[lo]))
}

/// A number as shown: at most two decimals, no trailing zeros.
pub fn show(n: f64) -> String {
    let s = format!("{n:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.to_string() }
}

/// `7/51, 14%` (percent rounded half up; `0/0 (not stated in any record)` when no record
/// states the value).
pub fn proportion_text(numerator: usize, denominator: usize) -> String {
    if denominator == 0 {
        return "0/0 (not stated in any record)".into();
    }
    let percent = (200 * numerator + denominator) / (2 * denominator);
    format!("{numerator}/{denominator}, {percent}%")
}

/// The inline aggregate's text, e.g. `21 days (IQR 14–42, n = 12)`.
pub fn aggregate(set: &DataSet, q: &Query) -> Result<String, Problem> {
    let among = q
        .among
        .as_deref()
        .map(|a| Filter::parse(set, a))
        .transpose()?;
    let filter = q
        .filter
        .as_deref()
        .map(|w| Filter::parse(set, w))
        .transpose()?;
    let records = population(set, among.as_ref());
    match q.stat.as_str() {
        "count" => Ok(records
            .iter()
            .filter(|r| filter.as_ref().is_none_or(|f| f.matches(r)))
            .count()
            .to_string()),
        "median_iqr" => {
            let Some(column) = &q.column else {
                return Err((
                    "`median_iqr` needs a `column`".into(),
                    "name a numeric column, e.g. `column = \"onset_days\"`".into(),
                ));
            };
            let index = column_index(set, column)?;
            let c = &set.schema.columns[index];
            if !c.kind.is_numeric() {
                return Err((
                    format!("`{column}` is {}, not a number column", c.kind.name()),
                    "a median needs an integer or decimal column".into(),
                ));
            }
            let records: Vec<&Record> = records
                .into_iter()
                .filter(|r| filter.as_ref().is_none_or(|f| f.matches(r)))
                .collect();
            let values = numbers(&records, index);
            let unit = c.unit.as_ref().map(|u| format!(" {u}")).unwrap_or_default();
            Ok(
                match (
                    quantile(&values, 0.25),
                    quantile(&values, 0.5),
                    quantile(&values, 0.75),
                ) {
                    (Some(q1), Some(m), Some(q3)) => format!(
                        "{}{unit} (IQR {}–{}, n = {})",
                        show(m),
                        show(q1),
                        show(q3),
                        values.len()
                    ),
                    _ => "not stated in any record (n = 0)".into(),
                },
            )
        }
        "proportion" => {
            let Some(filter) = filter else {
                return Err((
                    "`proportion` needs `where`".into(),
                    "say what the numerator counts, e.g. `where = \"outcome=died\"`".into(),
                ));
            };
            let stated: Vec<&&Record> = records.iter().filter(|r| filter.stated(r)).collect();
            let numerator = stated.iter().filter(|r| filter.matches(r)).count();
            Ok(proportion_text(numerator, stated.len()))
        }
        other => Err((
            format!("unknown statistic `{other}`"),
            match crate::text::suggest::closest(other, STATS.into_iter()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("the statistics are {}", STATS.join(", ")),
            },
        )),
    }
}

const STATS: [&str; 3] = ["count", "median_iqr", "proportion"];

/// The values of column `index` among `records` with how many records have each: an enum's
/// values in schema order, other values in order of first appearance; records that leave the
/// cell empty last, as `None`. Values no record has are left out.
pub fn counts(set: &DataSet, records: &[&Record], index: usize) -> Vec<(Option<String>, usize)> {
    let mut out: Vec<(Option<String>, usize)> = Vec::new();
    if let ColumnType::Enum(values) = &set.schema.columns[index].kind {
        out.extend(values.iter().map(|v| (Some(v.clone()), 0)));
    }
    let mut empty = 0;
    for r in records {
        match &r.cells[index] {
            Value::Empty => empty += 1,
            v => {
                let text = v.text();
                match out
                    .iter_mut()
                    .find(|(k, _)| k.as_deref() == Some(text.as_str()))
                {
                    Some((_, n)) => *n += 1,
                    None => out.push((Some(text), 1)),
                }
            }
        }
    }
    out.retain(|(_, n)| *n > 0);
    if empty > 0 {
        out.push((None, empty));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{proportion_text, quantile, show};

    #[test]
    fn quartiles_interpolate_between_order_statistics() {
        let v = [1.0, 2.0, 4.0, 7.0];
        assert_eq!(quantile(&v, 0.25), Some(1.75));
        assert_eq!(quantile(&v, 0.5), Some(3.0));
        assert_eq!(quantile(&v, 0.75), Some(4.75));
        assert_eq!(quantile(&[5.0], 0.75), Some(5.0));
        assert_eq!(quantile(&[], 0.5), None);
        assert_eq!(show(4.75), "4.75");
        assert_eq!(show(31.0), "31");
    }

    #[test]
    fn percentages_round_half_up_and_an_empty_denominator_says_so() {
        assert_eq!(proportion_text(7, 51), "7/51, 14%");
        assert_eq!(proportion_text(1, 8), "1/8, 13%");
        assert_eq!(proportion_text(0, 0), "0/0 (not stated in any record)");
    }
}
