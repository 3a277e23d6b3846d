//! A data set's schema, `content/data/<set>.schema.toml`: its columns, their types, units
//! and allowed values, read and checked (unknown type, enum without values, a key or
//! source column the schema does not declare…), each problem at its line and column.

use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use crate::diag::{Code, Diagnostic};
use crate::text::suggest::closest;

/// The type of a column's values.
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnType {
    /// Any text.
    Text,
    /// A whole number, optionally within `min`..=`max`.
    Integer,
    /// A decimal number (`12.5`), optionally within `min`..=`max`.
    Decimal,
    /// A calendar date, `YYYY-MM-DD`.
    Date,
    /// One of the listed values.
    Enum(Vec<String>),
    /// A key (or alias) of `content/references.bib`.
    Citation,
    /// `true` or `false`.
    Boolean,
}

impl ColumnType {
    /// The type's name as written in a schema.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Integer => "integer",
            Self::Decimal => "decimal",
            Self::Date => "date",
            Self::Enum(_) => "enum",
            Self::Citation => "citation",
            Self::Boolean => "boolean",
        }
    }

    /// Whether values are numbers (integer or decimal).
    pub fn is_numeric(&self) -> bool {
        matches!(self, Self::Integer | Self::Decimal)
    }
}

const TYPES: [&str; 7] = [
    "text", "integer", "decimal", "date", "enum", "citation", "boolean",
];

/// One column of a data set.
#[derive(Debug, Clone)]
pub struct Column {
    /// Column id: the CSV header and the name fences and aggregates use.
    pub id: String,
    /// Human label (defaults to the id).
    pub label: String,
    /// Type of the values.
    pub kind: ColumnType,
    /// Unit of the values (`years`, `µg/L`), shown in headers.
    pub unit: Option<String>,
    /// Smallest allowed value (numbers only), inclusive.
    pub min: Option<f64>,
    /// Largest allowed value (numbers only), inclusive.
    pub max: Option<f64>,
    /// Whether every record must give a value.
    pub required: bool,
    /// Longer explanation (a tooltip on the table header).
    pub description: Option<String>,
}

impl Column {
    /// The label with its unit, `Age (years)`, for table headers and chart axes.
    pub fn heading(&self) -> String {
        match &self.unit {
            Some(u) => format!("{} ({u})", self.label),
            None => self.label.clone(),
        }
    }
}

/// A data set's schema, validated.
#[derive(Debug, Clone)]
pub struct Schema {
    /// Title of the data set.
    pub title: String,
    /// Plain-text description.
    pub description: String,
    /// Columns in CSV order.
    pub columns: Vec<Column>,
    /// Index of the column whose values are unique record ids.
    pub key: usize,
    /// Index of the citation column every record must fill.
    pub source: usize,
}

impl Schema {
    /// The index of column `id`.
    pub fn index(&self, id: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.id == id)
    }

    /// "did you mean" for an unknown column id, or the list of columns.
    pub fn column_hint(&self, id: &str) -> String {
        let ids = || self.columns.iter().map(|c| c.id.as_str());
        let near =
            closest(id, ids()).or_else(|| ids().find(|c| !id.is_empty() && c.starts_with(id)));
        match near {
            Some(c) => format!("did you mean `{c}`?"),
            None => format!(
                "the columns are {}",
                self.columns
                    .iter()
                    .map(|c| format!("`{}`", c.id))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SchemaFile {
    title: String,
    #[serde(default)]
    description: String,
    key: Spanned<String>,
    source: Spanned<String>,
    #[serde(default)]
    column: Vec<ColumnFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ColumnFile {
    id: Spanned<String>,
    label: Option<String>,
    #[serde(rename = "type")]
    kind: Spanned<String>,
    unit: Option<String>,
    min: Option<Spanned<toml::Value>>,
    max: Option<Spanned<toml::Value>>,
    values: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    required: bool,
    description: Option<String>,
}

/// Parses and checks a schema; every problem is reported, each at its place.
pub fn parse(file: &Path, text: &str) -> Result<Schema, Vec<Diagnostic>> {
    let parsed: SchemaFile = toml::from_str(text).map_err(|e| {
        let d = Diagnostic::new(Code::DataSchema, file, format!("invalid data-set schema: {}", e.message().trim()))
            .with_hint("a schema has `title`, `key`, `source` and one `[[column]]` per CSV column (id, type, …): see docs/data.md");
        vec![match e.span() {
            Some(s) => d.at_offset(text, s.start),
            None => d,
        }]
    })?;
    let mut diags = Vec::new();
    let at = |span: std::ops::Range<usize>, message: String, hint: String| {
        Diagnostic::new(Code::DataSchema, file, message)
            .at_offset(text, span.start)
            .with_hint(hint)
    };
    let mut columns: Vec<Column> = Vec::new();
    for c in parsed.column {
        let id = c.id.get_ref().clone();
        if id.is_empty()
            || !id
                .chars()
                .all(|ch| ch.is_ascii_alphanumeric() || ch == '_' || ch == '-')
        {
            diags.push(at(
                c.id.span(),
                format!("column id `{id}` is not a plain name"),
                "use letters, digits, `_` and `-`, e.g. `onset_days`".into(),
            ));
        }
        if columns.iter().any(|k| k.id == id) {
            diags.push(at(
                c.id.span(),
                format!("column `{id}` is declared twice"),
                "give each column one `[[column]]` table".into(),
            ));
        }
        let kind = match c.kind.get_ref().as_str() {
            "text" => ColumnType::Text,
            "integer" => ColumnType::Integer,
            "decimal" => ColumnType::Decimal,
            "date" => ColumnType::Date,
            "citation" => ColumnType::Citation,
            "boolean" => ColumnType::Boolean,
            "enum" => match &c.values {
                Some(v) if !v.get_ref().is_empty() => ColumnType::Enum(v.get_ref().clone()),
                _ => {
                    diags.push(at(
                        c.kind.span(),
                        format!("enum column `{id}` has no `values`"),
                        "list the allowed values, e.g. `values = [\"yes\", \"no\"]`".into(),
                    ));
                    ColumnType::Enum(Vec::new())
                }
            },
            other => {
                let hint = match closest(other, TYPES.into_iter()) {
                    Some(t) => format!("did you mean `{t}`?"),
                    None => format!("the types are {}", TYPES.join(", ")),
                };
                diags.push(at(
                    c.kind.span(),
                    format!("unknown column type `{other}` for column `{id}`"),
                    hint,
                ));
                ColumnType::Text
            }
        };
        if let Some(v) = &c.values
            && !matches!(kind, ColumnType::Enum(_))
        {
            diags.push(at(
                v.span(),
                format!("`values` is for enum columns; `{id}` is {}", kind.name()),
                "remove `values`, or write `type = \"enum\"`".into(),
            ));
        }
        let mut bound = |b: &Option<Spanned<toml::Value>>, name: &str| -> Option<f64> {
            let b = b.as_ref()?;
            let n = match b.get_ref() {
                toml::Value::Integer(i) => Some(*i as f64),
                toml::Value::Float(f) if f.is_finite() => Some(*f),
                _ => None,
            };
            if n.is_none() {
                diags.push(at(
                    b.span(),
                    format!("`{name}` of column `{id}` is not a number"),
                    format!("write a number, e.g. `{name} = 0`"),
                ));
            } else if !kind.is_numeric() {
                diags.push(at(
                    b.span(),
                    format!(
                        "`{name}` is for integer and decimal columns; `{id}` is {}",
                        kind.name()
                    ),
                    format!("remove `{name}`"),
                ));
            }
            n
        };
        let min = bound(&c.min, "min");
        let max = bound(&c.max, "max");
        if let (Some(lo), Some(hi), Some(m)) = (min, max, &c.max)
            && lo > hi
        {
            diags.push(at(
                m.span(),
                format!("column `{id}`: `max` ({hi}) is below `min` ({lo})"),
                "swap them".into(),
            ));
        }
        columns.push(Column {
            label: c.label.unwrap_or_else(|| id.clone()),
            id,
            kind,
            unit: c.unit,
            min,
            max,
            required: c.required,
            description: c.description,
        });
    }
    if columns.is_empty() {
        diags.push(
            Diagnostic::new(Code::DataSchema, file, "the schema declares no columns")
                .with_hint("add one `[[column]]` table per CSV column, in CSV order"),
        );
    }
    let mut named = |name: &str, value: &Spanned<String>| {
        let i = columns.iter().position(|c| &c.id == value.get_ref());
        if i.is_none() && !columns.is_empty() {
            let hint = match closest(value.get_ref(), columns.iter().map(|c| c.id.as_str())) {
                Some(c) => format!("did you mean `{c}`?"),
                None => format!("`{name}` names one of the `[[column]]` ids"),
            };
            diags.push(at(
                value.span(),
                format!(
                    "`{name} = \"{}\"` is not a column of the schema",
                    value.get_ref()
                ),
                hint,
            ));
        }
        i
    };
    let key = named("key", &parsed.key);
    let source = named("source", &parsed.source);
    if let Some(s) = source
        && columns[s].kind != ColumnType::Citation
    {
        diags.push(at(
            parsed.source.span(),
            format!(
                "the source column `{}` is of type {}, not citation",
                columns[s].id,
                columns[s].kind.name()
            ),
            "give it `type = \"citation\"`: every record cites a bibliography key".into(),
        ));
    }
    match (key, source) {
        (Some(key), Some(source)) if diags.is_empty() => Ok(Schema {
            title: parsed.title,
            description: parsed.description,
            columns,
            key,
            source,
        }),
        _ => Err(diags),
    }
}
