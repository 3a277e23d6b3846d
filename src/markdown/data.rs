//! Data sets in Markdown: ```` ```data-table ```` and ```` ```data-chart ```` fences (TOML
//! bodies) and inline aggregates, an inline code span `` `data set="…", stat="…"` ``,
//! each computed from `content/data/` at build time (see docs/data.md).

use pulldown_cmark::Event;

use super::State;
use crate::data::DataSet;
use crate::data::chart::{self, ChartFence};
use crate::data::stats::{self, Query};
use crate::data::table::{self, TableFence};
use crate::diag::Code;
use crate::text::html::escape;

/// The fence an info string opens, if hpskb renders it: `calculator` (see
/// `calculators.rs`), `data-table` or `data-chart`.
pub(super) fn fence_kind(info: &str) -> Option<&'static str> {
    ["calculator", "data-table", "data-chart"]
        .into_iter()
        .find(|k| *k == info.trim())
}

/// Whether an inline code span is an aggregate: `data` then `set = …`.
pub(super) fn is_aggregate(code: &str) -> bool {
    code.strip_prefix("data ")
        .is_some_and(|rest| rest.trim_start().starts_with("set"))
}

impl<'p, 'c, 'a> State<'p, 'c, 'a> {
    /// The data set `name`, or an error at `offset` naming the known ones.
    fn data_set(&mut self, name: &str, offset: usize) -> Option<&'c DataSet> {
        let ctx = self.ctx;
        let found = ctx.data.get(name);
        if found.is_none() {
            let hint =
                match crate::text::suggest::closest(name, ctx.data.keys().map(String::as_str)) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None if ctx.data.is_empty() => {
                        "add content/data/<set>.csv and <set>.schema.toml".into()
                    }
                    None => format!(
                        "the data sets are {}",
                        ctx.data
                            .keys()
                            .map(|k| format!("`{k}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                };
            self.error(
                Code::DataFence,
                offset,
                format!("unknown data set `{name}`"),
                Some(hint),
            );
        }
        found
    }

    /// A fence's TOML body, or an error at the fence.
    fn fence_body<T: serde::de::DeserializeOwned>(
        &mut self,
        kind: &str,
        body: &str,
        offset: usize,
    ) -> Option<T> {
        match toml::from_str(body) {
            Ok(v) => Some(v),
            Err(e) => {
                self.error(Code::DataFence, offset,
                    format!("cannot read the ```{kind} fence: {}", e.message().trim()),
                    Some(match kind {
                        "data-table" => "write `set = \"<name>\"`, optionally `columns = [\"id\", …]` and `caption = \"…\"`".into(),
                        _ => "write `set = \"<name>\"`, `kind = \"strip\"` or `\"bars\"`, `column = \"…\"`, optionally `group`, `among`, `caption`".into(),
                    }),
                );
                None
            }
        }
    }

    /// A ```` ```data-table ```` or ```` ```data-chart ```` fence with body `body`.
    pub(super) fn data_fence(&mut self, kind: &str, body: &str, offset: usize) {
        if kind == "data-table" {
            let Some(fence) = self.fence_body::<TableFence>(kind, body, offset) else {
                return;
            };
            let Some(set) = self.data_set(&fence.set, offset) else {
                return;
            };
            let columns = match table::select_columns(set, fence.columns.as_deref()) {
                Ok(c) => c,
                Err((message, hint)) => {
                    return self.error(Code::DataFence, offset, message, Some(hint));
                }
            };
            let base = self.ctx.links.base_path.clone();
            let html = table::html(set, &columns, fence.caption.as_deref(), &base, &mut |key| {
                self.source_citation(key)
            });
            self.uses_data(&set.id, true);
            self.emit(Event::Html(html.into()));
        } else {
            let Some(fence) = self.fence_body::<ChartFence>(kind, body, offset) else {
                return;
            };
            let Some(set) = self.data_set(&fence.set, offset) else {
                return;
            };
            self.charts += 1;
            let id = format!("chart-{}", self.charts);
            match chart::html(set, &fence, &id) {
                Ok(html) => {
                    self.ids.insert(id);
                    self.uses_data(&set.id, false);
                    self.emit(Event::Html(html.into()));
                }
                Err((message, hint)) => self.error(Code::DataFence, offset, message, Some(hint)),
            }
        }
    }

    /// An inline aggregate `` `data set="…", stat="…", …` `` (`code` is the span's text).
    pub(super) fn aggregate(&mut self, code: &str, offset: usize) {
        let body = code.strip_prefix("data ").unwrap_or(code);
        // `key = value, …` is the body of a TOML inline table.
        #[derive(serde::Deserialize)]
        struct Inline {
            q: Query,
        }
        let query: Query = match toml::from_str::<Inline>(&format!("q = {{ {body} }}")) {
            Ok(q) => q.q,
            Err(e) => {
                return self.error(Code::DataFence, offset,
                    format!("cannot read the data aggregate: {}", e.message().trim()),
                    Some("write e.g. `data set = \"ici-cases\", stat = \"median_iqr\", column = \"onset_days\"` (stat: count, median_iqr, proportion; optional `where` and `among`)".into()),
                );
            }
        };
        let Some(set) = self.data_set(&query.set, offset) else {
            return;
        };
        match stats::aggregate(set, &query) {
            Ok(text) => {
                self.uses_data(&set.id, false);
                self.emit(Event::InlineHtml(
                    format!(
                        "<span class=\"data-value\" data-set=\"{}\">{}</span>",
                        escape(&set.id),
                        escape(&text)
                    )
                    .into(),
                ));
            }
            Err((message, hint)) => self.error(Code::DataFence, offset, message, Some(hint)),
        }
    }

    /// Records that the page shows `set` (and a sortable table of it).
    fn uses_data(&mut self, set: &str, table: bool) {
        if !self.data_sets.iter().any(|s| s == set) {
            self.data_sets.push(set.to_string());
        }
        self.data_tables |= table;
    }

    /// A table's source cell: a citation of `key`, numbered in the page's reference list.
    fn source_citation(&mut self, key: &str) -> String {
        // Keys were checked when the set was loaded; an alias cites its entry.
        let key = self
            .ctx
            .bibliography
            .get(key)
            .map_or_else(|| key.to_string(), |e| e.key.clone());
        let (occurrence, number) = self.cite(&key);
        format!(
            "<sup class=\"cite\"><a href=\"#ref-{key}\" id=\"{occurrence}\" role=\"doc-noteref\" aria-label=\"Reference {number}\" data-value=\"{number}\">{number}</a></sup>",
            key = escape(&key)
        )
    }
}
