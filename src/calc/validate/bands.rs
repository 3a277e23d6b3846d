//! Band coverage: an item's bands cover the plausible range of its input with no gap, no
//! overlap and no unreachable band.

use super::Ctx;
use super::schema::{RawBand, S};
use crate::calc::num::Rat;
use crate::calc::spec::Band;

fn edge_text(v: Rat, unit: &str) -> String {
    format!("{}{unit}", v.display())
}

pub(super) fn validate_bands(
    cx: &mut Ctx<'_>,
    id: &str,
    raw: &[S<RawBand>],
    range: (Option<Rat>, Option<Rat>),
    unit: &str,
) -> Option<Vec<Band>> {
    let mut bands = Vec::new();
    let mut ok = true;
    let mut spans = Vec::new();
    for rb in raw {
        let b = rb.get_ref();
        let min = b.min.as_ref().and_then(|n| cx.num(n, "band edge"));
        let max = b.max.as_ref().and_then(|n| cx.num(n, "band edge"));
        if (b.min.is_some() && min.is_none()) || (b.max.is_some() && max.is_none()) {
            ok = false;
            continue;
        }
        if b.min.is_some() != b.min_inclusive.is_some()
            || b.max.is_some() != b.max_inclusive.is_some()
        {
            cx.err_hint(
                rb.span(),
                format!("item `{id}`: every band edge needs an explicit inclusive flag, and a flag needs an edge"),
                "write min = …, min_inclusive = true|false (and the same for max)",
            );
            ok = false;
            continue;
        }
        if *b.points.get_ref() < 0 {
            cx.err(
                b.points.span(),
                format!("item `{id}`: points must not be negative"),
            );
            ok = false;
        }
        if let (Some(lo), Some(hi)) = (min, max) {
            let empty = lo > hi
                || (lo == hi && !(b.min_inclusive == Some(true) && b.max_inclusive == Some(true)));
            if empty {
                cx.err(rb.span(), format!("item `{id}`: band is empty"));
                ok = false;
                continue;
            }
        }
        bands.push(Band {
            min,
            min_inclusive: b.min_inclusive.unwrap_or(false),
            max,
            max_inclusive: b.max_inclusive.unwrap_or(false),
            points: *b.points.get_ref(),
        });
        spans.push(rb.span());
    }
    if !ok {
        return None;
    }
    if bands.is_empty() {
        return None;
    }
    // Consecutive bands must meet exactly, one side inclusive.
    for i in 1..bands.len() {
        let (a, b) = (&bands[i - 1], &bands[i]);
        let span = spans[i].clone();
        match (a.max, b.min) {
            (None, _) => {
                cx.err(
                    span,
                    format!("item `{id}`: overlap: the previous band has no upper edge"),
                );
                ok = false;
            }
            (_, None) => {
                cx.err(
                    span,
                    format!(
                        "item `{id}`: overlap: this band has no lower edge but is not the first"
                    ),
                );
                ok = false;
            }
            (Some(hi), Some(lo)) => {
                if lo > hi {
                    cx.err(
                        span,
                        format!(
                            "item `{id}`: gap between {} and {}",
                            edge_text(hi, unit),
                            edge_text(lo, unit)
                        ),
                    );
                    ok = false;
                } else if lo < hi {
                    cx.err(
                        span,
                        format!(
                            "item `{id}`: overlap between {} and {} (bands must be in ascending order)",
                            edge_text(lo, unit),
                            edge_text(hi, unit)
                        ),
                    );
                    ok = false;
                } else if a.max_inclusive && b.min_inclusive {
                    cx.err_hint(
                        span,
                        format!(
                            "item `{id}`: overlap: {} belongs to two bands",
                            edge_text(lo, unit)
                        ),
                        "make exactly one side of the shared edge inclusive",
                    );
                    ok = false;
                } else if !a.max_inclusive && !b.min_inclusive {
                    cx.err_hint(
                        span,
                        format!(
                            "item `{id}`: gap: {} belongs to no band",
                            edge_text(lo, unit)
                        ),
                        "make exactly one side of the shared edge inclusive",
                    );
                    ok = false;
                }
            }
        }
    }
    // The bands must cover the plausible range and each must be reachable in it.
    let (rmin, rmax) = range;
    if let (Some(first), Some(rmin)) = (bands.first(), rmin)
        && let Some(lo) = first.min
    {
        {
            if lo > rmin || (lo == rmin && !first.min_inclusive) {
                cx.err(
                    spans[0].clone(),
                    format!(
                        "item `{id}`: gap: values from {} (the plausible minimum) up to {} score nothing",
                        edge_text(rmin, unit),
                        edge_text(lo, unit)
                    ),
                );
                ok = false;
            }
        }
    }
    if let (Some(last), Some(rmax)) = (bands.last(), rmax)
        && let Some(hi) = last.max
    {
        {
            if hi < rmax || (hi == rmax && !last.max_inclusive) {
                cx.err(
                    spans[spans.len() - 1].clone(),
                    format!(
                        "item `{id}`: gap: values above {} up to {} (the plausible maximum) score nothing",
                        edge_text(hi, unit),
                        edge_text(rmax, unit)
                    ),
                );
                ok = false;
            }
        }
    }
    for (b, span) in bands.iter().zip(&spans) {
        let below = match (b.max, rmin) {
            (Some(hi), Some(rmin)) => hi < rmin || (hi == rmin && !b.max_inclusive),
            _ => false,
        };
        let above = match (b.min, rmax) {
            (Some(lo), Some(rmax)) => lo > rmax || (lo == rmax && !b.min_inclusive),
            _ => false,
        };
        if below || above {
            cx.err_hint(
                span.clone(),
                format!("item `{id}`: band is unreachable: it lies outside the plausible range"),
                "widen the input's min/max or remove the band",
            );
            ok = false;
        }
    }
    ok.then_some(bands)
}
