#!/usr/bin/env python3
"""Writes the examples of a GFM (or CommonMark) spec.txt, read on stdin, as JSON on stdout.

The extraction is cmark-gfm's own (test/spec_tests.py, get_tests): an example is the text
between a line of 32 backticks followed by " example" (and its extensions) and a line of 32
backticks, split at a line holding ".", with "→" standing for a tab; examples marked
"disabled" are left out, as cmark-gfm's runner leaves them out. Each example is written in
the shape of commonmark.json: example (number), section, markdown, html, plus the
extensions it needs ("table", "strikethrough", ...).

    git show HEAD:test/spec.txt | python3 gfm_to_json.py > gfm.json
"""

import json
import re
import sys

FENCE = "`" * 32


def examples(lines):
    number = 0
    state = 0  # 0 text, 1 markdown, 2 html
    extensions = []
    section = ""
    markdown, html = [], []
    header = re.compile("#+ ")
    for line in lines:
        stripped = line.strip()
        if stripped.startswith(FENCE + " example"):
            state = 1
            extensions = stripped[len(FENCE + " example"):].split()
        elif stripped == FENCE:
            state = 0
            number += 1
            if "disabled" not in extensions:
                yield {
                    "example": number,
                    "section": section,
                    "markdown": "".join(markdown).replace("→", "\t"),
                    "html": "".join(html).replace("→", "\t"),
                    "extensions": extensions,
                }
            markdown, html = [], []
        elif stripped == "." and state == 1:
            state = 2
        elif state == 1:
            markdown.append(line)
        elif state == 2:
            html.append(line)
        elif state == 0 and header.match(line):
            section = header.sub("", line).strip()


def main():
    text = sys.stdin.read().replace("\r\n", "\n")
    out = list(examples(text.splitlines(keepends=True)))
    json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
