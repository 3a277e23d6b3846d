// Writes the examples of the npm package commonmark-spec (the `tests` it exports) as JSON
// on stdout, in the shape of gfm.json: example (number), section, markdown, html, with "→"
// replaced by a tab as the spec's own test runner does (the package keeps the arrow).
//
//   npm pack commonmark-spec@0.31.2 && tar xzf commonmark-spec-0.31.2.tgz
//   node commonmark_to_json.js ./package > commonmark.json
"use strict";

const path = require("path");
const spec = require(path.resolve(process.argv[2] || "./package"));
const tab = (s) => s.replace(/→/g, "\t");
const out = spec.tests.map((t) => ({
  example: t.number,
  section: t.section,
  markdown: tab(t.markdown),
  html: tab(t.html),
  extensions: [],
}));
process.stdout.write(JSON.stringify(out, null, 1) + "\n");
