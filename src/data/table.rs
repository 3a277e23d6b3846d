//! A data set as an accessible HTML table (```` ```data-table ```` fence): caption, column
//! headers with units (`scope="col"`), the key column as row headers (`scope="row"`), each
//! source cell a citation, an empty cell read out as "not stated", and the downloads below.
//! `static/js/data-table.js` adds sorting and a filter box; without it the table is complete.

use serde::Deserialize;

use super::stats::{Problem, column_index};
use super::{ColumnType, DataSet, Value};
use crate::text::html::escape;

/// The fence's TOML body.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableFence {
    /// The data set.
    pub set: String,
    /// The columns shown, in this order (default: every column).
    pub columns: Option<Vec<String>>,
    /// The table's caption (default: the set's title).
    pub caption: Option<String>,
}

/// The indexes of the columns `wanted` names (every column when `None`).
pub fn select_columns(set: &DataSet, wanted: Option<&[String]>) -> Result<Vec<usize>, Problem> {
    match wanted {
        None => Ok((0..set.schema.columns.len()).collect()),
        Some([]) => Err((
            "`columns` is empty".into(),
            "leave `columns` out to show every column".into(),
        )),
        Some(ids) => ids.iter().map(|c| column_index(set, c)).collect(),
    }
}

/// The paragraph linking a set's downloads; `base` is the site's base path.
pub fn downloads(set: &DataSet, base: &str) -> String {
    format!(
        "<p class=\"data-downloads\">Download this data set ({n} records, each with its source): <a href=\"{base}/data/{id}.csv\" download>CSV</a> · <a href=\"{base}/data/{id}.json\" download>JSON</a>. An empty cell means the source does not state the value.</p>\n",
        n = set.records.len(),
        id = escape(&set.id),
    )
}

/// The table. `cite` writes a source cell's citation (and records it on the page);
/// `base` is the site's base path, for the download links.
pub fn html(
    set: &DataSet,
    columns: &[usize],
    caption: Option<&str>,
    base: &str,
    cite: &mut dyn FnMut(&str) -> String,
) -> String {
    let schema = &set.schema;
    let caption = caption.unwrap_or(&schema.title);
    let mut out = format!(
        "<figure class=\"data-set\">\n<table class=\"data-table\" data-set=\"{}\">\n<caption>{}</caption>\n<thead><tr>",
        escape(&set.id),
        escape(caption)
    );
    for &i in columns {
        let c = &schema.columns[i];
        let title = c
            .description
            .as_ref()
            .map(|d| format!(" title=\"{}\"", escape(d)))
            .unwrap_or_default();
        let num = if c.kind.is_numeric() {
            " class=\"num\""
        } else {
            ""
        };
        out.push_str(&format!(
            "<th scope=\"col\"{num}{title} data-type=\"{}\">{}</th>",
            c.kind.name(),
            escape(&c.heading())
        ));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    // A column with long text (notes) gets a minimum width, so that on a narrow screen its
    // cells do not wrap to a few words a line and make every row screens tall.
    let long: Vec<bool> = (0..schema.columns.len())
        .map(|i| {
            set.records
                .iter()
                .any(|r| r.cells[i].text().chars().count() > 80)
        })
        .collect();
    for r in &set.records {
        out.push_str("<tr>");
        for &i in columns {
            let c = &schema.columns[i];
            let v = &r.cells[i];
            let (open, close) = if i == schema.key {
                ("<th scope=\"row\"", "</th>")
            } else {
                ("<td", "</td>")
            };
            let cell = match v {
                Value::Empty => "<span aria-hidden=\"true\">–</span><span class=\"visually-hidden\">not stated</span>".to_string(),
                Value::Text(key) if c.kind == ColumnType::Citation => cite(key),
                Value::Text(t) if c.kind == ColumnType::Text && t.contains(';') => {
                    escape(&t.split(';').map(str::trim).collect::<Vec<_>>().join("; "))
                }
                v => escape(&v.text()),
            };
            let attrs = match v {
                Value::Empty => " class=\"empty\"".to_string(),
                v if c.kind.is_numeric() => format!(" class=\"num\" data-value=\"{}\"", v.text()),
                _ if long[i] => " class=\"long\"".to_string(),
                _ => String::new(),
            };
            out.push_str(&format!("{open}{attrs}>{cell}{close}"));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    out.push_str(&downloads(set, base));
    out.push_str("</figure>\n");
    out
}
