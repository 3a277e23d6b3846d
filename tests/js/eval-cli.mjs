// Evaluates a batch of inputs with the browser evaluator, for the Rust ⇄ JS agreement test.
// Usage: node tests/js/eval-cli.mjs FILE, where FILE is {"specs": {id: spec}, "cases": [{calculator, input}]}.
// Prints a JSON array: {"ok": true, "result": …} or {"ok": false, "fields": [sorted ids with errors]}.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const calc = require('../../static/js/calculator.js');
const { specs, cases } = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const out = cases.map(({ calculator, input }) => {
  const r = calc.evaluate(specs[calculator], input);
  return r.ok ? { ok: true, result: r.result } : { ok: false, fields: [...new Set(r.errors.map((e) => e.field))].sort() };
});
process.stdout.write(JSON.stringify(out));
