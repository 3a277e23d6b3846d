//! Charts of a data set as static SVG written at build time (```` ```data-chart ````
//! fence): a strip plot of a numeric column (`kind = "strip"`, optionally one row per
//! `group`) and bars counting a column's values (`kind = "bars"`, optionally split by
//! `group`). Small SVG is written by hand rather than with plotters: two chart kinds need
//! a few dozen lines, the output stays a few kilobytes, byte-identical across builds, and
//! its colours are CSS custom properties (classes styled in `style.css`) so the light,
//! dark and print schemes apply. Each chart has `role="img"`, a `<title>` and `<desc>`
//! (the text alternative) and its numbers in a `<details>` table.

use std::fmt::Write;

use serde::Deserialize;

use super::stats::{Filter, Problem, column_index, counts, numbers, population, quantile, show};
use super::{ColumnType, DataSet, Record};
use crate::text::html::escape;

/// The fence's TOML body.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChartFence {
    /// The data set.
    pub set: String,
    /// `strip` or `bars`.
    pub kind: String,
    /// The column drawn: numeric for `strip`, any for `bars`.
    pub column: String,
    /// One row (strip) or block of bars (bars) per value of this column.
    pub group: Option<String>,
    /// `column=value`: the records drawn (default: all).
    pub among: Option<String>,
    /// The figure's caption (default: one made from the column names).
    pub caption: Option<String>,
}

/// Width of the drawing, in SVG units; text is 14 units high.
const WIDTH: f64 = 400.0;
const LEFT: f64 = 12.0;
const RIGHT: f64 = 388.0;

/// The chart's `<figure>`; `id` is unique on the page and prefixes the ids inside.
pub fn html(set: &DataSet, fence: &ChartFence, id: &str) -> Result<String, Problem> {
    let among = fence
        .among
        .as_deref()
        .map(|a| Filter::parse(set, a))
        .transpose()?;
    let records = population(set, among.as_ref());
    let column = column_index(set, &fence.column)?;
    let group = fence
        .group
        .as_deref()
        .map(|g| column_index(set, g))
        .transpose()?;
    let groups: Vec<(String, Vec<&Record>)> = match group {
        None => vec![("All records".into(), records.clone())],
        Some(g) => counts(set, &records, g)
            .into_iter()
            .map(|(value, _)| {
                let members = records
                    .iter()
                    .filter(|r| r.cells[g].text() == value.clone().unwrap_or_default())
                    .copied()
                    .collect();
                (value.unwrap_or_else(|| "not stated".into()), members)
            })
            .collect(),
    };
    let c = &set.schema.columns[column];
    let by = group
        .map(|g| format!(" by {}", set.schema.columns[g].label.to_lowercase()))
        .unwrap_or_default();
    let (svg_body, height, desc, table) = match fence.kind.as_str() {
        "strip" => {
            if !c.kind.is_numeric() {
                return Err((
                    format!("`{}` is {}, not a number column", c.id, c.kind.name()),
                    "a strip chart draws an integer or decimal column; count values with `kind = \"bars\"`".into(),
                ));
            }
            strip(&groups, column, &c.heading(), c.kind == ColumnType::Integer)
        }
        "bars" => bars(set, &groups, column, group.is_some()),
        other => {
            return Err((
                format!("unknown chart kind `{other}`"),
                "the kinds are `strip` (values of a number column) and `bars` (counts of a column's values)".into(),
            ));
        }
    };
    let caption = fence
        .caption
        .clone()
        .unwrap_or_else(|| match fence.kind.as_str() {
            "strip" => format!("{}{by}: each dot is one record", c.heading()),
            _ => format!("{}{by}: number of records", c.label),
        });
    let mut out = String::new();
    let _ = write!(
        out,
        "<figure class=\"chart\" id=\"{id}\">\n<figcaption>{title}. <span class=\"chart-source\">Computed from the data set <code>{set}</code> ({n} records).</span></figcaption>\n<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" viewBox=\"0 0 {WIDTH} {height}\" width=\"{WIDTH}\" height=\"{height}\" class=\"chart-{kind}\">\n<title id=\"{id}-title\">{title}</title>\n<desc id=\"{id}-desc\">{desc}</desc>\n{svg_body}</svg>\n<details class=\"chart-numbers\"><summary>The numbers behind this chart</summary>\n{table}</details>\n</figure>\n",
        kind = escape(&fence.kind),
        title = escape(&caption),
        desc = escape(&desc),
        set = escape(&set.id),
        n = records.len(),
    );
    Ok(out)
}

/// Tick marks for a scale from `lo` to `hi`: about five round steps (1, 2 or 5 × 10ⁿ;
/// at least 1 for `whole` numbers).
fn ticks(lo: f64, hi: f64, whole: bool) -> Vec<f64> {
    let lo = lo.min(0.0);
    let span = (hi - lo).max(1.0);
    let raw = span / 5.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude)
        .max(if whole { 1.0 } else { 0.0 });
    let start = (lo / step).floor() * step;
    let end = (hi / step).ceil().max(1.0) * step;
    let count = ((end - start) / step).round() as usize;
    (0..=count.min(50))
        .map(|i| start + i as f64 * step)
        .collect()
}

/// One number formatted for SVG coordinates.
fn n(v: f64) -> String {
    format!("{v:.1}")
}

type Drawn = (String, f64, String, String);

fn strip(groups: &[(String, Vec<&Record>)], column: usize, heading: &str, whole: bool) -> Drawn {
    let values: Vec<Vec<f64>> = groups.iter().map(|(_, r)| numbers(r, column)).collect();
    let all: Vec<f64> = values.iter().flatten().copied().collect();
    let max = all.iter().copied().fold(0.0, f64::max);
    let min = all.iter().copied().fold(0.0, f64::min);
    let ticks = ticks(min, max, whole);
    let (t0, t1) = (ticks[0], *ticks.last().unwrap_or(&1.0));
    let x = |v: f64| LEFT + (v - t0) / (t1 - t0).max(f64::EPSILON) * (RIGHT - LEFT);
    let mut svg = String::new();
    let mut desc = Vec::new();
    let mut table = format!(
        "<table><thead><tr><th scope=\"col\">Group</th><th scope=\"col\" class=\"num\">n</th><th scope=\"col\">Median (IQR)</th><th scope=\"col\">Range</th><th scope=\"col\">Values ({})</th></tr></thead><tbody>\n",
        escape(heading)
    );
    let mut y = 0.0;
    for ((name, _), vals) in groups.iter().zip(&values) {
        let summary = match (
            quantile(vals, 0.25),
            quantile(vals, 0.5),
            quantile(vals, 0.75),
        ) {
            (Some(q1), Some(m), Some(q3)) => {
                format!("median {} (IQR {}–{})", show(m), show(q1), show(q3))
            }
            _ => "no values".into(),
        };
        let label = format!("{name}: n = {}, {summary}", vals.len());
        let _ = writeln!(
            svg,
            "<text class=\"label\" x=\"{LEFT}\" y=\"{}\">{}</text>",
            n(y + 16.0),
            escape(&label)
        );
        let row = y + 34.0;
        let _ = writeln!(
            svg,
            "<line class=\"guide\" x1=\"{LEFT}\" x2=\"{RIGHT}\" y1=\"{0}\" y2=\"{0}\"/>",
            n(row)
        );
        let mut placed: Vec<f64> = Vec::new();
        for &v in vals {
            let cx = x(v);
            let k = placed.iter().filter(|p| (*p - cx).abs() < 8.0).count();
            placed.push(cx);
            // Equal values stack above and below the line, up to two dots each way.
            let dy = match k % 5 {
                0 => 0.0,
                1 => -6.0,
                2 => 6.0,
                3 => -12.0,
                _ => 12.0,
            };
            let _ = writeln!(
                svg,
                "<circle class=\"dot\" cx=\"{}\" cy=\"{}\" r=\"5\"/>",
                n(cx),
                n(row + dy)
            );
        }
        if let Some(m) = quantile(vals, 0.5) {
            let _ = writeln!(
                svg,
                "<line class=\"median\" x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\"/>",
                n(x(m)),
                n(row - 14.0),
                n(row + 14.0)
            );
        }
        desc.push(label);
        let range = match (vals.first(), vals.last()) {
            (Some(a), Some(b)) => format!("{}–{}", show(*a), show(*b)),
            _ => String::new(),
        };
        let list: Vec<String> = vals.iter().map(|v| show(*v)).collect();
        let _ = writeln!(
            table,
            "<tr><th scope=\"row\">{}</th><td class=\"num\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(name),
            vals.len(),
            escape(summary.trim_start_matches("median ")),
            range,
            list.join(", ")
        );
        y += 52.0;
    }
    table.push_str("</tbody></table>\n");
    let axis = y + 8.0;
    let _ = writeln!(
        svg,
        "<line class=\"axis\" x1=\"{LEFT}\" x2=\"{RIGHT}\" y1=\"{0}\" y2=\"{0}\"/>",
        n(axis)
    );
    for t in &ticks {
        let tx = x(*t);
        let anchor = if tx <= LEFT + 1.0 {
            "start"
        } else if tx >= RIGHT - 1.0 {
            "end"
        } else {
            "middle"
        };
        let _ = writeln!(
            svg,
            "<line class=\"axis\" x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\"/><text class=\"tick\" x=\"{0}\" y=\"{3}\" text-anchor=\"{anchor}\">{4}</text>",
            n(tx),
            n(axis),
            n(axis + 5.0),
            n(axis + 20.0),
            show(*t)
        );
    }
    let _ = writeln!(
        svg,
        "<text class=\"label\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
        n(WIDTH / 2.0),
        n(axis + 40.0),
        escape(heading)
    );
    let desc = format!(
        "Dot plot of {heading}, one dot per record; the vertical mark is the median. {}.",
        desc.join("; ")
    );
    (svg, axis + 50.0, desc, table)
}

fn bars(set: &DataSet, groups: &[(String, Vec<&Record>)], column: usize, grouped: bool) -> Drawn {
    let everyone: Vec<&Record> = groups.iter().flat_map(|(_, r)| r.iter().copied()).collect();
    let values: Vec<Option<String>> = counts(set, &everyone, column)
        .into_iter()
        .map(|(v, _)| v)
        .collect();
    let name = |v: &Option<String>| v.clone().unwrap_or_else(|| "not stated".into());
    let per_group: Vec<Vec<(Option<String>, usize)>> =
        groups.iter().map(|(_, r)| counts(set, r, column)).collect();
    let max = per_group
        .iter()
        .flatten()
        .map(|(_, c)| *c)
        .max()
        .unwrap_or(1)
        .max(1);
    let mut svg = String::new();
    let mut desc = Vec::new();
    let mut y = 0.0;
    for ((group, members), counted) in groups.iter().zip(&per_group) {
        if grouped {
            let _ = writeln!(
                svg,
                "<text class=\"group\" x=\"{LEFT}\" y=\"{}\">{} (n = {})</text>",
                n(y + 16.0),
                escape(group),
                members.len()
            );
            y += 22.0;
        }
        let mut parts = Vec::new();
        for (value, count) in counted {
            let index = values.iter().position(|v| v == value).unwrap_or(0);
            let class = if value.is_none() {
                "bar ns".to_string()
            } else {
                format!("bar c{}", index % 4 + 1)
            };
            let w = (*count as f64 / max as f64) * (RIGHT - LEFT - 40.0);
            let _ = writeln!(
                svg,
                "<text class=\"label\" x=\"{LEFT}\" y=\"{}\">{}</text>",
                n(y + 14.0),
                escape(&name(value))
            );
            let _ = writeln!(
                svg,
                "<rect class=\"{class}\" x=\"{LEFT}\" y=\"{}\" width=\"{}\" height=\"14\"/><text class=\"count\" x=\"{}\" y=\"{}\">{count}</text>",
                n(y + 19.0),
                n(w.max(1.0)),
                n(LEFT + w + 6.0),
                n(y + 31.0)
            );
            parts.push(format!("{} {count}", name(value)));
            y += 38.0;
        }
        desc.push(if grouped {
            format!("{group}: {}", parts.join(", "))
        } else {
            parts.join(", ")
        });
        y += 6.0;
    }
    let mut table = String::from("<table><thead><tr><th scope=\"col\">Group</th>");
    for v in &values {
        let _ = write!(
            table,
            "<th scope=\"col\" class=\"num\">{}</th>",
            escape(&name(v))
        );
    }
    table.push_str("<th scope=\"col\" class=\"num\">Total</th></tr></thead><tbody>\n");
    for ((group, members), counted) in groups.iter().zip(&per_group) {
        let _ = write!(table, "<tr><th scope=\"row\">{}</th>", escape(group));
        for v in &values {
            let c = counted.iter().find(|(k, _)| k == v).map_or(0, |(_, c)| *c);
            let _ = write!(table, "<td class=\"num\">{c}</td>");
        }
        let _ = writeln!(table, "<td class=\"num\">{}</td></tr>", members.len());
    }
    table.push_str("</tbody></table>\n");
    let label = &set.schema.columns[column].label;
    let desc = format!(
        "Bar chart of the number of records per {}: {}.",
        label.to_lowercase(),
        desc.join("; ")
    );
    (svg, y.max(20.0), desc, table)
}

#[cfg(test)]
mod tests {
    use super::ticks;

    #[test]
    fn ticks_are_round_steps_covering_the_values() {
        assert_eq!(ticks(0.0, 47.0, true), [0.0, 10.0, 20.0, 30.0, 40.0, 50.0]);
        assert_eq!(ticks(0.0, 0.0, true), [0.0, 1.0]);
        assert_eq!(ticks(0.0, 0.0, false), [0.0, 0.2]);
        assert_eq!(ticks(0.0, 3.0, true), [0.0, 1.0, 2.0, 3.0]);
        assert_eq!(ticks(-3.0, 8.0, false), [-5.0, 0.0, 5.0, 10.0]);
    }
}
