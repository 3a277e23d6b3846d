"""Whether two builds' outputs are the same (`scripts/bench` with HPSKB_AB): every file
byte for byte, except Pagefind's gzip-compressed files (`.pf_*`), compared once
decompressed (what readers' browsers get), and `sw.js`, which names the version of each
file it caches. Exits non-zero at the first difference.

    python3 benches/same_output.py <output A> <output B>
"""
import gzip
import os
import sys


def files(root):
    return sorted(
        os.path.relpath(os.path.join(d, f), root) for d, _, fs in os.walk(root) for f in fs
    )


def main(a, b):
    fa, fb = files(a), files(b)
    if fa != fb:
        sys.exit(f"different files: {sorted(set(fa) ^ set(fb))[:10]}")
    recompressed = 0
    for rel in fa:
        with open(os.path.join(a, rel), "rb") as x, open(os.path.join(b, rel), "rb") as y:
            x, y = x.read(), y.read()
        if x == y or rel == "sw.js":
            continue
        if ".pf_" not in rel or gzip.decompress(x) != gzip.decompress(y):
            sys.exit(f"{rel} differs")
        recompressed += 1
    print(f"same output: {len(fa)} files ({recompressed} compressed differently, the same once decompressed)")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
