// Runs the shared vectors (tests/calculators/vectors.json) through the browser evaluator.
// Run: node --test tests/js/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const here = new URL('.', import.meta.url);
const calc = require('../../static/js/calculator.js');
const read = (p) => JSON.parse(readFileSync(new URL(p, here), 'utf8'));
const specs = Object.fromEntries(['hscore', 'hlh-2004', 'ohi'].map((id) => [id, read(`../calculators/specs/${id}.json`)]));
const { cases } = read('../calculators/vectors.json');

test('there are shared vectors', () => assert.ok(cases.length > 100));

for (const c of cases) {
  test(c.name, () => {
    const r = calc.evaluate(specs[c.calculator], c.input);
    if (c.expect) {
      assert.ok(r.ok, JSON.stringify(r.errors));
      assert.deepStrictEqual(r.result, c.expect);
    } else {
      assert.ok(!r.ok, 'expected errors, got ' + JSON.stringify(r.result));
      assert.deepStrictEqual([...new Set(r.errors.map((e) => e.field))].sort(), [...c.errors].sort());
      for (const e of r.errors) assert.ok(e.message.length > 0);
    }
  });
}

test('parseDecimal is exact and strict', () => {
  const eq = (s, n, d) => assert.deepStrictEqual(calc.parseDecimal(s), { n: BigInt(n), d: BigInt(d) });
  eq('102.92', 2573, 25);
  eq('-0', 0, 1);
  eq('.5', 1, 2);
  eq('1e3', 1000, 1);
  eq('1.5E-1', 3, 20);
  eq('1e+21', 10n ** 21n, 1);
  for (const bad of ['', '-', '.', 'e5', '1e', '1,5', 'NaN', 'Infinity', '0x10', '1..2', '--1', '1 2']) {
    assert.equal(calc.parseDecimal(bad), 'nan', bad);
  }
  for (const big of ['1e25', '1e-25', '123456789012345678901', '1e9999999']) assert.equal(calc.parseDecimal(big), 'big', big);
});

test('102.92 °F scores exactly like 39.4 °C', () => {
  const base = cases.find((c) => c.name === 'hscore temperature 39.4 C').input;
  const f = calc.evaluate(specs.hscore, { ...base, temperature: { value: 102.92, unit: 'F' } });
  assert.equal(f.result.items.temperature, 33);
});

test('calculator.js stays small and makes no network requests', () => {
  const path = new URL('../../static/js/calculator.js', here);
  // 24 KB: the evaluator plus its English messages (other languages come with the page).
  assert.ok(statSync(path).size < 24 * 1024, 'calculator.js must stay under 24 KB');
  const src = readFileSync(path, 'utf8');
  for (const word of ['fetch(', 'XMLHttpRequest', 'import(', 'innerHTML', 'eval(', 'new Function']) {
    assert.ok(!src.includes(word), word);
  }
});

test('a decimal comma is refused with a hint to use a point (the Rust wording)', () => {
  const input = { ...cases.find((c) => c.calculator === 'hscore' && c.expect).input };
  input.triglycerides = { value: '1,5', unit: 'mmol/L' };
  const r = calc.evaluate(specs.hscore, input);
  assert.deepStrictEqual(r.errors.map((e) => e.message),
    ['`1,5` is not a number (write decimals with a point)']);
  input.triglycerides = { value: '1.5x', unit: 'mmol/L' };
  assert.deepStrictEqual(calc.evaluate(specs.hscore, input).errors.map((e) => e.message), ['`1.5x` is not a number']);
});

test('a unit the calculator does not offer is an error at its field, never a default unit', () => {
  for (const c of ['hscore', 'hlh-2004']) {
    const input = { ...cases.find((v) => v.calculator === c && v.expect).input };
    for (const unit of ['K', 'c', '', 'mmol/l']) {
      const r = calc.evaluate(specs[c], { ...input, temperature: { value: '39', unit } });
      assert.ok(!r.ok, `${c} ${unit}: ${JSON.stringify(r.result)}`);
      assert.deepStrictEqual(r.errors.map((e) => e.field), ['temperature']);
      assert.match(r.errors[0].message, /not accepted; use one of: C, F/);
    }
  }
});

test('an HLH-2004 input without the later family-history question scores as a no', () => {
  const full = cases.find((c) => c.calculator === 'hlh-2004' && c.expect && c.input.family_history_consistent_with_hlh === false);
  assert.ok(full, 'a vector that answers no to family history');
  const old = { ...full.input };
  delete old.family_history_consistent_with_hlh;
  assert.deepStrictEqual(calc.evaluate(specs['hlh-2004'], old), calc.evaluate(specs['hlh-2004'], full.input));
  assert.equal(calc.evaluate(specs['hlh-2004'], { ...old, family_history_consistent_with_hlh: true }).result.fulfilled, true);
});
