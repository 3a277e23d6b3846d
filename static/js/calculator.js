/* hpskb: generic exact calculator evaluator (BigInt rationals) for the embedded spec JSON;
   rules as src/calc/eval.rs. API: evaluate, parseDecimal, formToInput, init, initAll */
((root) => {
'use strict';
const Z = 0n, I = 1n;
const abs = (a) => (a < Z ? -a : a);
const gcd = (a, b) => { a = abs(a); b = abs(b); while (b) [a, b] = [b, a % b]; return a; };
const R = (n, d) => {
  if (d < Z) { n = -n; d = -d; }
  const g = gcd(n, d);
  return g > I ? { n: n / g, d: d / g } : { n, d };
};
const add = (a, b) => R(a.n * b.d + b.n * a.d, a.d * b.d);
const mul = (a, b) => R(a.n * b.n, a.d * b.d);
const cmp = (a, b) => { const x = a.n * b.d - b.n * a.d; return x < Z ? -1 : x > Z ? 1 : 0; };
const rat = (s) => { const p = String(s).split('/'); return R(BigInt(p[0]), BigInt(p[1] || 1)); };
const DIG = /^[0-9]*$/;

/* Same rules as num::parse_decimal: a rational, or 'nan' / 'big'. */
function parseDecimal(text) {
  let s = String(text).trim(), neg = false, exp = 0, m = s;
  if (s[0] === '-' || s[0] === '+') { neg = s[0] === '-'; s = m = s.slice(1); }
  const e = s.search(/[eE]/);
  if (e >= 0) {
    m = s.slice(0, e);
    const es = s.slice(e + 1), ed = es.replace(/^[+-]/, '');
    if (!ed || !DIG.test(ed)) return 'nan';
    if (ed.replace(/^0+/, '').length > 6) return 'big';
    exp = parseInt(es, 10);
  }
  const dot = m.indexOf('.'), ip = dot < 0 ? m : m.slice(0, dot), fp = dot < 0 ? '' : m.slice(dot + 1);
  if ((!ip && !fp) || !DIG.test(ip) || !DIG.test(fp)) return 'nan';
  const sig = (ip + fp).replace(/^0+/, '');
  if (!sig) return R(Z, I);
  const t = sig.replace(/0+$/, ''), k = exp - fp.length + (sig.length - t.length);
  if (t.length > 20 || k < -24 || t.length + k > 24) return 'big';
  const n = neg ? -BigInt(t) : BigInt(t), p = 10n ** BigInt(Math.abs(k));
  return k >= 0 ? R(n * p, I) : R(n, p);
}

/* Words of messages and result sentences: the page's (the `js_calc_` UI strings base.html
   hands the scripts as JSON), else these English ones, which `evaluate` always uses
   outside a page (they are `hpskb score`'s). Messages about a JSON document's shape
   (only the API sees those) stay in English. */
const ENGLISH = {
  calc_missing: '{label} is missing', calc_not_number: '`{text}` is not a number',
  calc_not_number_comma: '`{text}` is not a number (write decimals with a point)',
  calc_implausible: '`{text}` is not a plausible value', calc_not_whole: '`{text}` is not a whole number',
  calc_negative: '{label} must not be negative', calc_out_of_range: '{text} is outside the plausible range {range}',
  calc_either: 'give either {label} or the counts ({counts}), not both',
  calc_missing_or_counts: '{label} is missing (or enter {counts})',
  calc_missing_for_count: '{label} is missing (needed for the count)', calc_list_separator: ', ',
  calc_range: '{from} to {to}', calc_score_status: 'Score {score} of {max}{probability}{partial}.',
  calc_probability_part: ': probability {probability}', calc_partial_part: '; {n} not measured, cut-off {cutoff} {state}',
  calc_criteria_status: '{met} of {total} criteria met{partial}{verdict}', calc_criteria_partial: '; {n} not measured',
  calc_fulfilled_verdict: '; criteria fulfilled.', calc_not_fulfilled_verdict: '; criteria not fulfilled.',
  calc_never_verdict: ' \u2014 not fulfilled even if every test not done were positive.',
  calc_if_verdict: ' \u2014 the criteria would be fulfilled if {who} positive.',
  calc_who_it: 'it is', calc_who_both: 'both are', calc_who_all: 'all {n} are', calc_who_either: 'either is',
  calc_who_any: 'any one is', calc_who_some: '{k} of them are', calc_met: 'met', calc_not_met: 'not met',
  calc_criterion_met: 'met', calc_criterion_not_met: 'not met', calc_undetermined: 'undetermined',
  calc_not_measured: 'not measured', calc_points: '{points} points', calc_yes: 'yes', calc_no: 'no',
  calc_no_result: 'No result yet.', calc_still_needed: ' Still needed: {list}.',
  calc_fix_one: ' {n} value needs correcting.', calc_fix_many: ' {n} values need correcting.',
};
let words = {};
const T = (key, fill) => Object.keys(fill || {}).reduce((s, k) => s.split('{' + k + '}').join(fill[k]), words[key] || ENGLISH[key]);
const list = (xs) => xs.join(T('calc_list_separator'));
const own = (o, k) => Object.prototype.hasOwnProperty.call(o, k);
const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const E = (field, message, missing) => ({ field, message, missing: !!missing });
const input = (spec, id) => spec.inputs.find((i) => i.id === id);
const lab = (spec, id) => (input(spec, id) || { label: id }).label;
const toBase = (u, v) => mul(add(v, rat(u.offset)), rat(u.factor));
const fromBase = (u, v) => { const f = rat(u.factor), o = rat(u.offset); return add(mul(v, R(f.d, f.n)), R(-o.n, o.d)); };
const numText = (v) => (typeof v === 'number' ? String(v) : typeof v === 'string' ? v : null);

function parseNum(inp, t) {
  if (!t.trim()) return E(inp.id, T('calc_missing', { label: inp.label }), true);
  const r = parseDecimal(t);
  if (r === 'nan') return E(inp.id, T(t.includes(',') ? 'calc_not_number_comma' : 'calc_not_number', { text: t }));
  if (r === 'big') return E(inp.id, T('calc_implausible', { text: t }));
  return r;
}
function checkRange(inp, v, u, t) {
  const unit = inp.units[u], b = unit ? toBase(unit, v) : v;
  if (v.n < Z && inp.min != null && rat(inp.min).n >= Z) return E(inp.id, T('calc_negative', { label: inp.label }));
  if ((inp.min != null && cmp(b, rat(inp.min)) < 0) || (inp.max != null && cmp(b, rat(inp.max)) > 0))
    return E(inp.id, T('calc_out_of_range', { text: t.trim(), range: inp.ranges[Math.max(u, 0)] }));
  return null;
}
function readOne(inp, v) {
  const id = inp.id;
  if (v === undefined) return inp.absent != null ? { val: { b: inp.absent } } : {};
  if (v === null) return inp.nullable ? { val: { nul: 1 } } : {};
  if (inp.type === 'boolean') return typeof v === 'boolean' ? { val: { b: v } } : { err: E(id, 'must be true or false') };
  if (inp.type === 'choice') {
    const vs = inp.choices.map((c) => c.value);
    return typeof v === 'string' && vs.includes(v) ? { val: { c: v } } : { err: E(id, 'must be one of: ' + vs.join(', ')) };
  }
  let t, u = -1;
  if (inp.type === 'count') {
    t = numText(v);
    if (t === null) return { err: E(id, 'must be a whole number') };
  } else {
    if (!isObj(v)) return { err: E(id, 'must be {"value": number, "unit": text}') };
    const ks = Object.keys(v).filter((k) => k !== 'value' && k !== 'unit'), ids = inp.units.map((x) => x.id).join(', ');
    if (ks.length) return { err: E(id, 'unexpected key `' + ks[0] + '`') };
    if (typeof v.unit !== 'string') return { err: E(id, 'unit is missing; use one of: ' + ids) };
    u = inp.units.findIndex((x) => x.id === v.unit);
    if (u < 0) return { err: E(id, 'unit `' + v.unit + '` is not accepted; use one of: ' + ids) };
    if (!own(v, 'value') || v.value === null) return { err: E(id, T('calc_missing', { label: inp.label }), true) };
    t = numText(v.value);
    if (t === null) return { err: E(id, 'value must be a number') };
  }
  const n = parseNum(inp, t);
  if (n.field) return { err: n };
  if (u < 0 && n.d !== I) return { err: E(id, T('calc_not_whole', { text: t })) };
  const e = checkRange(inp, n, u, t);
  return e ? { err: e } : { val: { v: n, u: Math.max(u, 0) } };
}
const inputsOf = (t, out) => {
  if (t.input !== undefined) { if (!out.includes(t.input)) out.push(t.input); } else t.of.forEach((x) => inputsOf(x, out));
  return out;
};

function read(spec, doc) {
  if (!isObj(doc)) return { errors: [E('input', 'the input must be a JSON object')] };
  const vals = {}, errs = [], alt = [];
  const bad = (id) => errs.some((e) => e.field === id);
  const given = (id) => own(doc, id) && doc[id] !== null, ans = (id) => given(id) || (own(doc, id) && input(spec, id).nullable);
  for (const inp of spec.inputs) {
    const r = readOne(inp, own(doc, inp.id) ? doc[inp.id] : undefined);
    if (r.err) errs.push(r.err); else if (r.val) vals[inp.id] = r.val;
  }
  for (const k of Object.keys(doc)) if (!input(spec, k)) errs.push(E(k, 'unknown input `' + k + '`'));
  for (const item of spec.items) {
    if (item.input == null || !item.count.length) continue;
    const x = item.input, ys = [];
    item.count.forEach((t) => inputsOf(t, ys));
    alt.push(x, ...ys);
    const yg = ys.filter(given), yl = list(ys.map((y) => lab(spec, y)));
    if (given(x)) { if (yg.length && !bad(x)) errs.push(E(x, T('calc_either', { label: lab(spec, x), counts: yl }))); }
    else if (!ys.some(ans)) errs.push(E(x, T('calc_missing_or_counts', { label: lab(spec, x), counts: yl }), true));
    else for (const y of ys) if (!ans(y) && !bad(y)) errs.push(E(y, T('calc_missing_for_count', { label: lab(spec, y) }), true));
  }
  for (const inp of spec.inputs)
    if (!alt.includes(inp.id) && !own(vals, inp.id) && !bad(inp.id)) errs.push(E(inp.id, T('calc_missing', { label: inp.label }), true));
  const pos = (f) => { const i = spec.inputs.findIndex((x) => x.id === f); return i < 0 ? 1e9 : i; };
  errs.sort((a, b) => pos(a.field) - pos(b.field));
  return errs.length ? { errors: errs } : { vals };
}

const edgeIn = (inp, u, e, over) => {
  const unit = inp && inp.units[u];
  return unit && u > 0 ? (over && own(over, unit.id) ? rat(over[unit.id]) : fromBase(unit, rat(e))) : rat(e);
};
function within(inp, v, u, min, minI, max, maxI, over) {
  let c;
  if (min != null) { c = cmp(v, edgeIn(inp, u, min, over)); if (c < 0 || (c === 0 && !minI)) return false; }
  if (max != null) { c = cmp(v, edgeIn(inp, u, max, over)); if (c > 0 || (c === 0 && !maxI)) return false; }
  return true;
}
/* Three-valued: true, false, or null (depends on a test not done) */
const tri = (lo, hi, n) => (lo >= n ? true : hi < n ? false : null);
/* [held, unknown] of some tests */
const tally = (spec, ts, vals) => ts.map((t) => test(spec, t, vals)).reduce(([h, u], x) => [h + (x === true), u + (x === null)], [0, 0]);
const decide = (n, [h, u]) => tri(h, h + u, n);
function test(spec, t, vals) {
  const x = vals[t.input], f = (of) => tally(spec, of, vals);
  if (x && x.nul) return null;
  switch (t.op) {
    case 'range': return !!(x && x.v) && within(input(spec, t.input), x.v, x.u, t.min, t.min_inclusive, t.max, t.max_inclusive, t.unit_thresholds);
    case 'is': return !!x && (typeof t.value === 'boolean' ? x.b === t.value : x.c === t.value);
    case 'all': return decide(t.of.length, f(t.of));
    case 'any': return decide(1, f(t.of));
    case 'at_least': return decide(t.n, f(t.of));
  }
  return false;
}
const bandPoints = (bands, inp, v, u) => {
  const b = bands.find((b) => within(inp, v, u, b.min, b.min_inclusive, b.max, b.max_inclusive, null));
  return b ? b.points : 0;
};
const span = (ps) => (ps.length ? [Math.min(...ps), Math.max(...ps)] : [0, 0]);
/* → [lowest, highest] points the answers allow */
function itemPoints(spec, item, vals) {
  const inp = item.input != null ? input(spec, item.input) : null, x = inp ? vals[item.input] : null, one = (p) => [p, p];
  if (x && x.b !== undefined) return one(item.points[x.b ? 'yes' : 'no'] || 0);
  if (x && x.c !== undefined) return one(item.points[x.c] || 0);
  if (x && x.v) return one(bandPoints(item.bands, inp.type === 'measured' ? inp : null, x.v, x.u));
  if (x && x.nul) return span([...Object.values(item.points), ...item.bands.map((b) => b.points)]);
  const [h, u] = tally(spec, item.count, vals), ps = [];
  for (let n = h; n <= h + u; n++) ps.push(bandPoints(item.bands, null, R(BigInt(n), I), 0));
  return span(ps);
}
/* Published table only: ≤ first row, ≥ last, a row, or the range between two rows. */
function probability(rows, sfx, s) {
  if (!rows.length) return null;
  const L = rows[rows.length - 1], sg = (t) => /^[<>]/.test(t);
  if (s <= rows[0].score) return rows[0].text + sfx;
  if (s >= L.score) return L.text + sfx;
  for (let i = 0; i + 1 < rows.length; i++) {
    const a = rows[i].text, b = rows[i + 1].text;
    if (s === rows[i].score) return a + sfx;
    if (s < rows[i + 1].score) return sg(a) || sg(b) ? a + sfx + ' to ' + b + sfx : a + '\u2013' + b + sfx;
  }
  return null;
}
const unknown = (o) => Object.keys(o).filter((k) => o[k] === null);
/* → {ok:true, result} (exactly what `hpskb score` prints) | {ok:false, errors:[{field, message, missing}]} */
function evaluate(spec, doc) {
  const r = read(spec, doc);
  if (r.errors) return { ok: false, errors: r.errors };
  const vals = r.vals, res = spec.result, out = { calculator: spec.id };
  if (spec.kind === 'score') {
    const items = {};
    let lo = 0, hi = 0;
    for (const it of spec.items) {
      const [a, b] = itemPoints(spec, it, vals);
      lo += a; hi += b;
      items[it.id] = a === b ? a : null;
    }
    out.score = lo;
    if (lo !== hi) out.score_range = [lo, hi];
    out.max = res.max;
    const p = probability(res.probability, res.suffix, lo), q = probability(res.probability, res.suffix, hi);
    if (p !== null) out.probability = p === q ? p : p + ' to ' + q;
    if (res.cutoff != null) out['meets_cutoff_' + res.cutoff] = tri(lo, hi, res.cutoff);
    out.items = items;
    const nm = unknown(items);
    if (nm.length) out.not_measured = nm;
  } else {
    const crit = {};
    for (const c of spec.criteria) crit[c.id] = test(spec, c.rule, vals);
    const nm = unknown(crit), met = Object.values(crit).filter((x) => x === true).length;
    out.criteria = crit;
    out.criteria_met = met;
    out.criteria_not_measured = nm;
    out.fulfilled = res.sufficient.some((k) => vals[k] && vals[k].b === true) || tri(met, met + nm.length, res.required);
  }
  return { ok: true, result: out };
}

/* Browser: form ⇄ input, results, URL fragment (data only) */
const el = (form, name) => form.elements.namedItem(name), LINKED = 'calc-linked-unit';
function formToInput(form, spec) {
  const doc = {};
  for (const inp of spec.inputs) {
    const id = inp.id;
    if (inp.type === 'boolean' || inp.type === 'choice') {
      const c = form.querySelector('input[name="' + id + '"]:checked');
      if (c) doc[id] = c.value === 'not_done' ? null : inp.type === 'boolean' ? c.value === 'yes' : c.value;
      continue;
    }
    const nd = el(form, id + '.not_done');
    if (nd && nd.checked) { doc[id] = null; continue; }
    const t = el(form, id).value;
    const u = el(form, id + '.unit'), linked = !!u && u.selectedOptions[0]?.className === LINKED;
    if (t.trim() || linked) doc[id] = inp.type === 'count' ? t : { value: t, unit: u.value };
  }
  return doc;
}
const hashParams = () => { const h = location.hash.slice(1); return new URLSearchParams(h.includes('=') ? h : ''); };
const controls = (form) => [...form.elements].filter((e) => e.name);
function writeHash(form) {
  const p = hashParams(), cs = controls(form);
  for (const c of cs) p.delete(c.name);
  for (const c of cs) {
    if ((c.type === 'radio' || c.type === 'checkbox') && !c.checked) continue;
    if (c.tagName === 'SELECT' ? !(el(form, c.name.replace(/\.unit$/, '')) || {}).value : !c.value) continue;
    p.set(c.name, c.value);
  }
  const s = p.toString();
  history.replaceState(null, '', s ? '#' + s : location.pathname + location.search);
}
function readHash(form) {
  const p = hashParams();
  let any = false;
  for (const c of controls(form)) {
    // `<id>.not_done=1` also answers "Not done" for a yes/no or choice input.
    const nd = c.type === 'radio' && p.get(c.name + '.not_done') ? 'not_done' : null;
    if (!p.has(c.name) && !nd) continue;
    const v = nd || p.get(c.name);
    any = true;
    if (c.type === 'radio' || c.type === 'checkbox') c.checked = c.value === v;
    else if (c.tagName === 'SELECT') {
      // A linked unit the page does not offer is kept and refused at its field.
      if (![...c.options].some((o) => o.value === v)) c.add(Object.assign(new Option(v.slice(0, 40)), { className: LINKED }));
      c.value = v.slice(0, 40);
    } else c.value = v.slice(0, 40);
  }
  return any;
}
/* A probability as `evaluate` writes it (`99% to >99%`), its range in the page's words */
const inWords = (p) => { const [a, b] = p.split(' to '); return b === undefined ? a : T('calc_range', { from: a, to: b }); };
/* The clinician's sentence for a result */
function reading(spec, res) {
  const sr = res.score_range;
  if (spec.kind === 'score') {
    const c = res['meets_cutoff_' + spec.result.cutoff];
    return T('calc_score_status', {
      score: sr ? sr.join('\u2013') : res.score, max: res.max,
      probability: res.probability ? T('calc_probability_part', { probability: inWords(res.probability) }) : '',
      partial: sr ? T('calc_partial_part', { n: res.not_measured.length, cutoff: spec.result.cutoff,
        state: T(c === null ? 'calc_undetermined' : c ? 'calc_met' : 'calc_not_met') }) : '',
    });
  }
  const f = res.fulfilled, n = res.criteria_not_measured.length, k = spec.result.required - res.criteria_met;
  const who = k === n ? (n < 2 ? T('calc_who_it') : n < 3 ? T('calc_who_both') : T('calc_who_all', { n }))
    : k < 2 ? (n < 3 ? T('calc_who_either') : T('calc_who_any')) : T('calc_who_some', { k });
  return T('calc_criteria_status', {
    met: res.criteria_met, total: spec.criteria.length, partial: n ? T('calc_criteria_partial', { n }) : '',
    verdict: f === null ? T('calc_if_verdict', { who })
      : T(f ? 'calc_fulfilled_verdict' : n ? 'calc_never_verdict' : 'calc_not_fulfilled_verdict'),
  });
}
function render(sec, spec, r, st) {
  const form = sec.querySelector('form'), by = {}, res = r.ok ? r.result : null, D = '\u2013';
  const out = (k, f) => sec.querySelectorAll('[data-result="' + k + '"]').forEach((o) => { o.textContent = res ? f() : D; });
  if (!res) r.errors.forEach((e) => { by[e.field] = e; });
  for (const p of sec.querySelectorAll('[data-error-for]')) {
    const f = p.dataset.errorFor, e = by[f], show = !!e && (!e.missing || st.all || !!st.touched[f]);
    p.textContent = show ? e.message : '';
    for (const c of controls(form)) if (c.name === f) show ? c.setAttribute('aria-invalid', 'true') : c.removeAttribute('aria-invalid');
  }
  if (spec.kind === 'score') {
    const c = () => res['meets_cutoff_' + spec.result.cutoff];
    out('score', () => (res.score_range || [res.score]).join(D));
    out('probability', () => (res.probability ? inWords(res.probability) : D));
    out('cutoff', () => T(c() === null ? 'calc_undetermined' : c() ? 'calc_met' : 'calc_not_met'));
    for (const it of spec.items) out('item:' + it.id, () => (res.items[it.id] === null ? T('calc_not_measured') : T('calc_points', { points: res.items[it.id] })));
  } else {
    const met = (b) => T(b === null ? 'calc_not_measured' : b ? 'calc_criterion_met' : 'calc_criterion_not_met');
    out('criteria_met', () => res.criteria_met);
    out('fulfilled', () => T(res.fulfilled === null ? 'calc_undetermined' : res.fulfilled ? 'calc_yes' : 'calc_no'));
    for (const c of spec.criteria) out('criterion:' + c.id, () => met(res.criteria[c.id]));
  }
  const miss = res ? [] : r.errors.filter((e) => e.missing), n = res ? 0 : r.errors.length - miss.length;
  const status = res ? reading(spec, res) : T('calc_no_result') + (miss.length ? T('calc_still_needed', { list: list(miss.map((e) => lab(spec, e.field))) }) : '') +
    (n ? T(n > 1 ? 'calc_fix_many' : 'calc_fix_one', { n }) : '');
  sec.querySelectorAll('[data-result="status"]').forEach((s) => { s.textContent = status; });
  sec.classList.toggle('calc-has-result', !!res);
  out('date', () => new Date().toISOString().slice(0, 10));
}
function init(sec) {
  const s = sec.querySelector('script.calculator-spec'), form = sec.querySelector('form');
  if (!s || !form || sec.dataset.ready) return;
  const spec = JSON.parse(s.textContent);
  let st = { touched: {}, all: false };
  sec.dataset.ready = 1;
  const update = (write) => { render(sec, spec, evaluate(spec, formToInput(form, spec)), st); if (write) writeHash(form); };
  const undo = sec.querySelector('.calc-undo');
  let saved = '';
  const touch = (e) => { if (e.target.name) st.touched[e.target.name.split('.')[0]] = true; if (undo) undo.hidden = true; update(true); };
  form.addEventListener('input', touch);
  form.addEventListener('change', touch);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    st.all = true;
    update(true);
    const bad = form.querySelector('[aria-invalid="true"]');
    if (bad) bad.focus();
  });
  /* Clear can be undone: the answers are kept in the fragment they were written to. */
  form.addEventListener('reset', () => {
    saved = location.hash;
    setTimeout(() => { st = { touched: {}, all: false }; update(true); if (undo) undo.hidden = !saved; }, 0);
  });
  if (undo) undo.addEventListener('click', () => { history.replaceState(null, '', saved); st.all = readHash(form); update(false); undo.hidden = true; });
  st.all = readHash(form);
  update(false);
}
const initAll = (r) => (r || document).querySelectorAll('.calculator[data-calculator]').forEach(init);

const api = { evaluate, parseDecimal, formToInput, init, initAll };
if (typeof module !== 'undefined' && module.exports) module.exports = api;
else root.HpskbCalculator = api;
if (typeof document !== 'undefined') {
  try { words = JSON.parse(document.getElementById('ui-strings').textContent) || {}; } catch (e) { words = {}; }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => initAll());
  else initAll();
}
})(typeof window !== 'undefined' ? window : globalThis);
