//! Inputs: ids, types, choices, units (known symbols, exact factors) and plausible ranges.

use std::collections::BTreeSet;

use super::schema::RawInput;
use super::{Ctx, valid_id};
use crate::calc::num::Rat;
use crate::calc::spec::{Choice, Input, InputKind, Unit};
use crate::calc::units;

pub(super) fn validate_input(cx: &mut Ctx<'_>, r: &RawInput) -> Option<Input> {
    let id = r.id.get_ref().clone();
    let mut ok = true;
    if !valid_id(&id) || id.contains('-') {
        cx.err(
            r.id.span(),
            format!("input id `{id}` must use a-z, 0-9 and `_` only"),
        );
        ok = false;
    }
    let kind = match r.kind.get_ref().as_str() {
        "boolean" => InputKind::Boolean,
        "choice" => InputKind::Choice,
        "count" => InputKind::Count,
        "measured" => InputKind::Measured,
        other => {
            cx.err_hint(
                r.kind.span(),
                format!("unknown input type `{other}`"),
                "use boolean, choice, count or measured",
            );
            return None;
        }
    };
    let mut choices = Vec::new();
    if kind == InputKind::Choice {
        let raw = r.choices.as_deref().unwrap_or_default();
        if raw.len() < 2 {
            cx.err(
                r.kind.span(),
                format!("choice input `{id}` needs at least two choices"),
            );
            ok = false;
        }
        let mut seen = BTreeSet::new();
        for c in raw {
            if !valid_id(c.value.get_ref()) || !seen.insert(c.value.get_ref().clone()) {
                cx.err(
                    c.value.span(),
                    format!(
                        "choice value `{}` is invalid or repeated",
                        c.value.get_ref()
                    ),
                );
                ok = false;
            }
            choices.push(Choice {
                value: c.value.get_ref().clone(),
                label: c.label.clone(),
            });
        }
    } else if r.choices.is_some() {
        cx.err(
            r.kind.span(),
            format!("only choice inputs have choices (`{id}`)"),
        );
        ok = false;
    }
    let mut unit_list = Vec::new();
    if kind == InputKind::Measured {
        let raw = r.units.as_deref().unwrap_or_default();
        if raw.is_empty() {
            cx.err_hint(
                r.kind.span(),
                format!("measured input `{id}` needs units"),
                "units = [ { id = \"g/L\" }, … ]; the first is the base unit",
            );
            ok = false;
        }
        let mut seen = BTreeSet::new();
        for (i, u) in raw.iter().enumerate() {
            let u = u.get_ref();
            let sym = u.id.get_ref();
            let Some(label) = units::label(sym) else {
                cx.err_hint(
                    u.id.span(),
                    format!("unknown unit `{sym}`"),
                    format!("known units: {}", units::known_list()),
                );
                ok = false;
                continue;
            };
            if !seen.insert(sym.clone()) {
                cx.err(u.id.span(), format!("unit `{sym}` is listed twice"));
                ok = false;
            }
            let factor = match &u.factor {
                Some(f) => cx.num(f, "factor"),
                None => Some(Rat::ONE),
            };
            let offset = match &u.offset {
                Some(o) => cx.num(o, "offset"),
                None => Some(Rat::ZERO),
            };
            let (Some(factor), Some(offset)) = (factor, offset) else {
                ok = false;
                continue;
            };
            if i == 0 && (factor != Rat::ONE || offset != Rat::ZERO) {
                cx.err_hint(
                    u.id.span(),
                    format!(
                        "the first unit of `{id}` is its base unit and takes no factor or offset"
                    ),
                    "put the unit the thresholds are written in first",
                );
                ok = false;
            }
            if factor <= Rat::ZERO {
                cx.err(
                    u.id.span(),
                    format!("factor of unit `{sym}` must be positive"),
                );
                ok = false;
            }
            unit_list.push(Unit {
                id: sym.clone(),
                label: label.to_string(),
                factor,
                offset,
            });
        }
    } else if r.units.is_some() {
        cx.err(
            r.kind.span(),
            format!("only measured inputs have units (`{id}`)"),
        );
        ok = false;
    }
    let default_unit = match &r.default_unit {
        None => 0,
        Some(d) if kind != InputKind::Measured => {
            cx.err(
                d.span(),
                format!("only measured inputs have a default unit (`{id}`)"),
            );
            ok = false;
            0
        }
        Some(d) => match unit_list.iter().position(|u| &u.id == d.get_ref()) {
            Some(i) => i,
            None => {
                let listed: Vec<&str> = unit_list.iter().map(|u| u.id.as_str()).collect();
                cx.err_hint(
                    d.span(),
                    format!("default unit `{}` is not a unit of `{id}`", d.get_ref()),
                    format!("use one of: {}", listed.join(", ")),
                );
                ok = false;
                0
            }
        },
    };
    let (mut min, mut max) = (None, None);
    if matches!(kind, InputKind::Count | InputKind::Measured) {
        min = r.min.as_ref().and_then(|n| cx.num(n, "min"));
        max = r.max.as_ref().and_then(|n| cx.num(n, "max"));
        match (min, max) {
            (Some(lo), Some(hi)) if lo >= hi => {
                cx.err(
                    r.id.span(),
                    format!("plausible range of `{id}` is empty (min ≥ max)"),
                );
                ok = false;
            }
            (Some(lo), Some(hi)) => {
                if kind == InputKind::Count && (!lo.is_integer() || !hi.is_integer()) {
                    cx.err(
                        r.id.span(),
                        format!("range of count `{id}` must be whole numbers"),
                    );
                    ok = false;
                }
            }
            _ => {
                cx.err_hint(
                    r.id.span(),
                    format!("input `{id}` needs a plausible range"),
                    "add min = … and max = … (inclusive, in the base unit)",
                );
                ok = false;
            }
        }
    } else if r.min.is_some() || r.max.is_some() {
        cx.err(
            r.id.span(),
            format!("only counts and measurements have a range (`{id}`)"),
        );
        ok = false;
    }
    let nullable = r.nullable.as_ref().is_some_and(|n| *n.get_ref());
    if nullable && kind == InputKind::Count {
        if let Some(n) = &r.nullable {
            cx.err(
                n.span(),
                format!("only measured, boolean and choice inputs may be nullable (`{id}`)"),
            );
        }
        ok = false;
    }
    // `absent`: the answer taken when the key is left out of the input, so that a
    // yes/no question added to a calculator keeps earlier inputs valid.
    let absent = r.absent.as_ref().map(|a| *a.get_ref());
    if let (Some(a), false) = (&r.absent, kind == InputKind::Boolean) {
        cx.err(
            a.span(),
            format!("only boolean inputs may have an `absent` answer (`{id}`)"),
        );
        ok = false;
    }
    let ranges = match (min, max) {
        (Some(lo), Some(hi)) if unit_list.is_empty() => {
            vec![format!("{}–{}", lo.display(), hi.display())]
        }
        (Some(lo), Some(hi)) => unit_list
            .iter()
            .map(|u| {
                let c = |v: Rat| u.from_base(v).map_or_else(|| "?".into(), |x| x.display());
                format!("{}–{} {}", c(lo), c(hi), u.label)
            })
            .collect(),
        _ => Vec::new(),
    };
    // Returned even when invalid (the errors are recorded) so later checks do not
    // report the input as unknown.
    let _ = ok;
    Some(Input {
        id,
        ranges,
        label: r.label.clone(),
        help: r.help.clone(),
        kind,
        choices,
        units: unit_list,
        default_unit,
        min,
        max,
        nullable,
        absent,
    })
}
