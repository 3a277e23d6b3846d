//! Data sets: `content/data/<set>.csv` with `<set>.schema.toml` beside it, every record
//! checked against the schema and the bibliography ([`load`]); aggregates ([`stats`]), the
//! HTML table ([`table`]), SVG charts ([`chart`]) and the JSON download ([`DataSet::json`])
//! built from them. The format is in docs/data.md.

pub mod chart;
mod records;
pub mod schema;
pub mod stats;
pub mod table;

use std::path::{Path, PathBuf};

use crate::cite::Bibliography;
use crate::diag::Diagnostic;
pub use schema::{Column, ColumnType, Schema};

/// One cell's value, typed by its column.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// An empty cell: not stated in the source.
    Empty,
    /// Text, an enum value, a date (`YYYY-MM-DD`) or a citation key.
    Text(String),
    /// An integer.
    Integer(i64),
    /// A decimal number, with its text as written.
    Decimal(f64, String),
    /// A boolean.
    Boolean(bool),
}

impl Value {
    /// The value as a number (integer and decimal cells).
    pub fn number(&self) -> Option<f64> {
        match self {
            Self::Integer(i) => Some(*i as f64),
            Self::Decimal(n, _) => Some(*n),
            _ => None,
        }
    }

    /// The value as written in the CSV (empty for an empty cell).
    pub fn text(&self) -> String {
        match self {
            Self::Empty => String::new(),
            Self::Text(t) | Self::Decimal(_, t) => t.clone(),
            Self::Integer(i) => i.to_string(),
            Self::Boolean(b) => b.to_string(),
        }
    }

    /// The value as JSON: a number, a boolean, a string, or `null` when empty.
    pub fn json(&self) -> serde_json::Value {
        match self {
            Self::Empty => serde_json::Value::Null,
            Self::Text(t) => t.clone().into(),
            Self::Integer(i) => (*i).into(),
            Self::Decimal(n, _) => {
                serde_json::Number::from_f64(*n).map_or(serde_json::Value::Null, Into::into)
            }
            Self::Boolean(b) => (*b).into(),
        }
    }
}

/// One record (CSV row).
#[derive(Debug, Clone)]
pub struct Record {
    /// 1-based line of the record in the CSV.
    pub line: usize,
    /// One value per schema column.
    pub cells: Vec<Value>,
}

/// A data set, loaded and checked.
#[derive(Debug, Clone)]
pub struct DataSet {
    /// The set's name, the CSV's file stem (`ici-cases`).
    pub id: String,
    /// The CSV's display path (`content/data/ici-cases.csv`).
    pub file: PathBuf,
    /// The schema.
    pub schema: Schema,
    /// The records, in file order.
    pub records: Vec<Record>,
    /// The CSV as read, published unchanged as `/data/<set>.csv`.
    pub csv: String,
}

impl DataSet {
    /// The JSON download: the set's title, description and columns, and each record as an
    /// object of typed values (`null` for an empty cell), keys in column order.
    pub fn json(&self) -> String {
        let s = |v: &str| serde_json::Value::from(v).to_string();
        let columns: Vec<String> = self
            .schema
            .columns
            .iter()
            .map(|c| {
                let mut fields = vec![
                    format!("\"id\":{}", s(&c.id)),
                    format!("\"label\":{}", s(&c.label)),
                    format!("\"type\":{}", s(c.kind.name())),
                ];
                if let Some(u) = &c.unit {
                    fields.push(format!("\"unit\":{}", s(u)));
                }
                if let ColumnType::Enum(values) = &c.kind {
                    fields.push(format!(
                        "\"values\":{}",
                        serde_json::Value::from(values.clone())
                    ));
                }
                format!("    {{{}}}", fields.join(","))
            })
            .collect();
        let records: Vec<String> = self
            .records
            .iter()
            .map(|r| {
                let fields: Vec<String> = self
                    .schema
                    .columns
                    .iter()
                    .zip(&r.cells)
                    .map(|(c, v)| format!("{}:{}", s(&c.id), v.json()))
                    .collect();
                format!("    {{{}}}", fields.join(","))
            })
            .collect();
        format!(
            "{{\n  \"id\": {},\n  \"title\": {},\n  \"description\": {},\n  \"source_column\": {},\n  \"columns\": [\n{}\n  ],\n  \"records\": [\n{}\n  ]\n}}\n",
            s(&self.id),
            s(&self.schema.title),
            s(&self.schema.description),
            s(&self.schema.columns[self.schema.source].id),
            columns.join(",\n"),
            records.join(",\n")
        )
    }

    /// The bibliography keys the records cite, each once, in order of first use.
    pub fn sources(&self) -> Vec<&str> {
        let mut keys: Vec<&str> = Vec::new();
        for r in &self.records {
            if let Value::Text(k) = &r.cells[self.schema.source]
                && !keys.contains(&k.as_str())
            {
                keys.push(k);
            }
        }
        keys
    }
}

/// Loads one data set: `csv` (its display path and text) checked against the schema
/// `schema` (likewise) and the bibliography. Every problem is returned; the set only
/// when there is none.
pub fn load(
    csv: (&Path, String),
    schema: (&Path, &str),
    bibliography: &Bibliography,
) -> (Option<DataSet>, Vec<Diagnostic>) {
    let (file, text) = csv;
    let schema = match schema::parse(schema.0, schema.1) {
        Ok(s) => s,
        Err(d) => return (None, d),
    };
    let (records, diags) = records::read(file, &text, &schema, bibliography);
    let id = file
        .file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    let ok = !diags.iter().any(Diagnostic::is_error);
    let set = ok.then(|| DataSet {
        id,
        file: file.to_path_buf(),
        schema,
        records,
        csv: text,
    });
    (set, diags)
}
