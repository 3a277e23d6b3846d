//! The result rule: maximum, cut-off and probability table (scores), or the number
//! required and sufficient inputs (criteria), each checked for reachability.

use std::collections::BTreeSet;

use super::schema::{RawResult, S};
use super::{Ctx, find};
use crate::calc::spec::{Criterion, Input, InputKind, Item, Kind, ResultRule, Row};

pub(super) fn validate_result(
    cx: &mut Ctx<'_>,
    rr: &S<RawResult>,
    kind: Kind,
    scored: (&[Item], bool),
    criteria: &[Criterion],
    inputs: &[Input],
    used: &mut BTreeSet<String>,
) -> ResultRule {
    // `items_ok` is false when an item failed validation: totals would be misleading.
    let (items, items_ok) = scored;
    let r = rr.get_ref();
    let mut out = ResultRule {
        max: 0,
        cutoff: None,
        probability: Vec::new(),
        suffix: r.suffix.clone().unwrap_or_default(),
        required: 0,
        sufficient: Vec::new(),
    };
    match kind {
        Kind::Score => {
            let item_max: i64 = items
                .iter()
                .map(|i| {
                    i.bands
                        .iter()
                        .map(|b| b.points)
                        .chain(i.points.0.iter().map(|p| p.1))
                        .max()
                        .unwrap_or(0)
                })
                .sum();
            match &r.max {
                Some(m) => {
                    if items_ok && *m.get_ref() != item_max {
                        cx.err_hint(
                            m.span(),
                            format!(
                                "max = {} but the items' highest points add up to {item_max}",
                                m.get_ref()
                            ),
                            "fix the points or the declared maximum",
                        );
                    }
                    out.max = *m.get_ref();
                }
                None => {
                    cx.err(
                        rr.span(),
                        "a score needs `max` (the highest possible score)",
                    );
                }
            }
            if let Some(c) = &r.cutoff {
                if items_ok && (*c.get_ref() <= 0 || *c.get_ref() > item_max) {
                    cx.err(
                        c.span(),
                        format!(
                            "cut-off {} is unreachable (scores run 0–{item_max})",
                            c.get_ref()
                        ),
                    );
                }
                out.cutoff = Some(*c.get_ref());
            }
            let rows = r.probability.as_deref().unwrap_or_default();
            let mut prev: Option<i64> = None;
            for row in rows {
                let s = *row.get_ref().score.get_ref();
                if prev.is_some_and(|p| s <= p) {
                    cx.err(
                        row.get_ref().score.span(),
                        "probability rows must be in strictly ascending score order",
                    );
                }
                if s < 0 || (items_ok && s > item_max) {
                    cx.err(
                        row.get_ref().score.span(),
                        format!("probability row {s} is unreachable (scores run 0–{item_max})"),
                    );
                }
                if row.get_ref().text.trim().is_empty() {
                    cx.err(row.span(), "probability row needs text");
                }
                prev = Some(s);
                out.probability.push(Row {
                    score: s,
                    text: row.get_ref().text.clone(),
                });
            }
            if rows.len() == 1 {
                cx.err(rr.span(), "a probability table needs at least two rows");
            }
            if r.required.is_some() || r.sufficient.is_some() {
                cx.err(
                    rr.span(),
                    "`required`/`sufficient` belong to kind = \"criteria\"",
                );
            }
        }
        Kind::Criteria => {
            match &r.required {
                Some(n) => {
                    if *n.get_ref() == 0 || *n.get_ref() as usize > criteria.len() {
                        cx.err(
                            n.span(),
                            format!(
                                "required = {} is unreachable with {} criteria",
                                n.get_ref(),
                                criteria.len()
                            ),
                        );
                    }
                    out.required = *n.get_ref();
                }
                None => cx.err(rr.span(), "a criteria calculator needs `required`"),
            }
            out.max = criteria.len() as i64;
            for s in r.sufficient.iter().flatten() {
                match find(inputs, s.get_ref()) {
                    Some(i) if i.kind == InputKind::Boolean && !i.nullable => {
                        used.insert(i.id.clone());
                        out.sufficient.push(i.id.clone());
                    }
                    Some(_) => cx.err(
                        s.span(),
                        "`sufficient` must name boolean inputs that are not nullable",
                    ),
                    None => cx.err(s.span(), format!("unknown input `{}`", s.get_ref())),
                }
            }
            if r.max.is_some() || r.cutoff.is_some() || r.probability.is_some() {
                cx.err(
                    rr.span(),
                    "`max`/`cutoff`/`probability` belong to kind = \"score\"",
                );
            }
        }
    }
    out
}
