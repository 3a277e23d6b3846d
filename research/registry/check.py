#!/usr/bin/env python3
"""Check the case-registry CSVs against FORMAT.md (issue #22).

Usage: python3 research/registry/check.py [path/to/content/references.bib]

Checks, for ici.csv, btk.csv and lamotrigine.csv in this folder:
- header exactly as FORMAT.md; every row has 21 fields (RFC 4180 quoting, LF line ends);
- ids `<prefix>-NNN`, unique and sequential from 001;
- enum columns hold only the allowed values; integers are plain digits in range;
- `setting` only in ici.csv; `hscore_recomputed` set iff `hscore` is set;
- treatment items from the allowed list, `;`-separated, no duplicates;
- `drug` lowercase, combinations joined with ' + ';
- no leading/trailing spaces in any cell, no empty `source`, `notes` not empty;
- every `source` key has an entry (key or `ids` alias) in references.bib or the
  trigger's .bib, and every entry in the trigger's .bib has a doi or pmid field and shares no
  doi/pmid with an entry of references.bib.
Exits 1 and prints file:line: message for each problem.
"""
import csv
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
HEADER = ["id", "source", "source_kind", "age", "sex", "indication", "drug", "dose",
          "setting", "onset_days", "hlh2004_met", "hscore", "hscore_recomputed",
          "ferritin_peak", "marrow_hemophagocytosis", "infection", "treatment", "icu",
          "outcome", "rechallenge", "notes"]
ENUMS = {
    "source_kind": {"full_text", "abstract", "review_table"},
    "sex": {"F", "M"},
    "setting": {"metastatic", "adjuvant", "neoadjuvant", "other"},
    "hscore_recomputed": {"no", "yes"},
    "marrow_hemophagocytosis": {"yes", "no", "not_done"},
    "icu": {"yes", "no"},
    "outcome": {"recovered", "died", "ongoing"},
    "rechallenge": {"none", "tolerated", "recurred"},
}
INTS = {"age": (0, 120), "onset_days": (0, 36500), "hlh2004_met": (0, 8),
        "hscore": (0, 337), "ferritin_peak": (0, 10_000_000)}
TREATMENTS = {"steroids", "etoposide", "ivig", "anakinra", "tocilizumab", "ruxolitinib",
              "emapalumab", "cyclosporine", "plasma_exchange", "rituximab", "infliximab",
              "mycophenolate", "other"}
FILES = {"ici.csv": "ici", "btk.csv": "btk", "lamotrigine.csv": "ltg"}


def bib_keys(path):
    """Return ({key: has_doi_or_pmid}, aliases, {identifier: key}) for a BibTeX file."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    entries = {}
    aliases = set()
    idents = {}
    for m in re.finditer(r"@\w+\{([^,\s]+),(.*?)\n\}", text, re.S):
        key, body = m.group(1), m.group(2)
        entries[key] = bool(re.search(r"^\s*(doi|pmid)\s*=", body, re.M))
        ids = re.search(r"^\s*ids\s*=\s*\{([^}]*)\}", body, re.M)
        if ids:
            aliases.update(k.strip() for k in ids.group(1).split(","))
        for f in re.finditer(r"^\s*(doi|pmid)\s*=\s*\{([^}]*)\}", body, re.M):
            idents[f.group(1) + ":" + f.group(2).strip().lower()] = key
    return entries, aliases, idents


def main():
    main_bib = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parents[1] / "content" / "references.bib"
    main_keys, main_alias, main_ids = bib_keys(main_bib)
    errors = []
    counts = {}
    for fname, prefix in FILES.items():
        path = HERE / fname
        local_keys, local_alias, local_ids = bib_keys(HERE / (fname[:-4] + ".bib"))
        for ident, key in local_ids.items():
            if ident in main_ids:
                errors.append(f"{fname[:-4]}.bib: {key} has the same {ident} as references.bib {main_ids[ident]}")
        for key, ok in local_keys.items():
            if not ok:
                errors.append(f"{fname[:-4]}.bib: entry {key} has no doi or pmid")
            if key in main_keys:
                errors.append(f"{fname[:-4]}.bib: entry {key} duplicates references.bib")
        known = set(main_keys) | main_alias | set(local_keys) | local_alias
        data = path.read_bytes()
        if b"\r" in data:
            errors.append(f"{fname}: contains CR characters (the registry uses LF line ends)")
        if not data.endswith(b"\n"):
            errors.append(f"{fname}: no newline at end of file")
        raw = data.decode("utf-8")
        rows = list(csv.reader(raw.splitlines()))
        if rows[0] != HEADER:
            errors.append(f"{fname}:1: header differs from FORMAT.md")
        counts[fname] = len(rows) - 1
        for n, row in enumerate(rows[1:], start=2):
            where = f"{fname}:{n}"
            if len(row) != len(HEADER):
                errors.append(f"{where}: {len(row)} fields, expected {len(HEADER)}")
                continue
            rec = dict(zip(HEADER, row))
            for col, val in rec.items():
                if val != val.strip():
                    errors.append(f"{where}: {col} has leading/trailing spaces")
            if rec["id"] != f"{prefix}-{n - 1:03d}":
                errors.append(f"{where}: id {rec['id']!r}, expected {prefix}-{n - 1:03d}")
            if not rec["source"]:
                errors.append(f"{where}: empty source")
            elif rec["source"] not in known:
                errors.append(f"{where}: source {rec['source']} not in any bibliography")
            for col, allowed in ENUMS.items():
                if rec[col] and rec[col] not in allowed:
                    errors.append(f"{where}: {col}={rec[col]!r} not in {sorted(allowed)}")
            if not rec["source_kind"]:
                errors.append(f"{where}: empty source_kind")
            for col, (lo, hi) in INTS.items():
                v = rec[col]
                if v and (not v.isdigit() or not lo <= int(v) <= hi):
                    errors.append(f"{where}: {col}={v!r} not an integer in {lo}..{hi}")
            if prefix != "ici" and rec["setting"]:
                errors.append(f"{where}: setting is for ICI records only")
            if bool(rec["hscore"]) != bool(rec["hscore_recomputed"]):
                errors.append(f"{where}: hscore and hscore_recomputed must be set together")
            if rec["treatment"]:
                items = rec["treatment"].split(";")
                bad = [t for t in items if t not in TREATMENTS]
                if bad or len(set(items)) != len(items):
                    errors.append(f"{where}: treatment {rec['treatment']!r} invalid")
            drug = rec["drug"]
            if drug and (drug != drug.lower() or any(p != p.strip() or not p for p in drug.split(" + "))):
                errors.append(f"{where}: drug {drug!r} not lowercase ' + '-joined")
            if not rec["notes"]:
                errors.append(f"{where}: empty notes")
    for e in errors:
        print(e)
    print("records: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
