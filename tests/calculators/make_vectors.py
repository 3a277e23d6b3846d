#!/usr/bin/env python3
"""Regenerates vectors.json. Every expected value here is written by hand from the
published rules (clinical dossier sections 2, 3, 5); nothing is computed by either
evaluator. Run: python3 tests/calculators/make_vectors.py > tests/calculators/vectors.json"""
import copy, itertools, json

def m(v, u):
    return {"value": v, "unit": u}

H_BASE = {
    "known_immunosuppression": False, "temperature": m(37, "C"), "organomegaly": "none",
    "cytopenia_lineages": 0, "ferritin": m(100, "ng/mL"), "triglycerides": m(1.0, "mmol/L"),
    "fibrinogen": m(3.0, "g/L"), "ast": m(20, "U/L"), "marrow_hemophagocytosis": False,
}
H_ZERO_ITEMS = {k: 0 for k in ["known_immunosuppression", "temperature", "organomegaly", "cytopenias",
                               "ferritin", "triglycerides", "fibrinogen", "ast", "marrow_hemophagocytosis"]}

def prob(score):
    rows = [(90, "<1"), (100, "1"), (110, "3"), (120, "5"), (130, "9"), (140, "16"), (150, "25"), (160, "40"),
            (170, "54"), (180, "70"), (190, "80"), (200, "88"), (210, "93"), (220, "96"), (230, "98"),
            (240, "99"), (250, ">99")]
    if score <= 90: return "<1%"
    if score >= 250: return ">99%"
    for (a, ta), (b, tb) in zip(rows, rows[1:]):
        if score == a: return ta + "%"
        if a < score < b:
            # A row with a sign reads "99% to >99%", never "99–>99%".
            return f"{ta}% to {tb}%" if tb[0] in "<>" or ta[0] in "<>" else f"{ta}–{tb}%"

cases = []

def hscore(name, changes, items, remove=()):
    inp = copy.deepcopy(H_BASE)
    for k in remove: inp.pop(k)
    inp.update(changes)
    it = dict(H_ZERO_ITEMS); it.update(items)
    s = sum(it.values())
    cases.append({"name": name, "calculator": "hscore", "input": inp,
                  "expect": {"calculator": "hscore", "score": s, "max": 337, "probability": prob(s),
                             "meets_cutoff_169": s >= 169, "items": it}})

def hscore_nd(name, changes, items, low, high, cutoff, prob_text, remove=()):
    """Tests not done: `items` has None for each item not measured; the score spans low..high."""
    inp = copy.deepcopy(H_BASE)
    for k in remove: inp.pop(k)
    inp.update(changes)
    it = dict(H_ZERO_ITEMS); it.update(items)
    exp = {"calculator": "hscore", "score": low, "max": 337, "probability": prob_text,
           "meets_cutoff_169": cutoff, "items": it}
    nm = [k for k, v in it.items() if v is None]
    if nm:
        exp["score_range"] = [low, high]
        exp["not_measured"] = nm
    cases.append({"name": name, "calculator": "hscore", "input": inp, "expect": exp})

def hscore_err(name, changes, fields, remove=()):
    inp = copy.deepcopy(H_BASE)
    for k in remove: inp.pop(k)
    inp.update(changes)
    cases.append({"name": name, "calculator": "hscore", "input": inp, "errors": fields})

# Temperature: < 38.4 → 0; 38.4–39.4 inclusive → 33; > 39.4 → 49.
for v, u, p in [(38.39, "C", 0), (38.4, "C", 33), (39.4, "C", 33), (39.41, "C", 49),
                (101.11, "F", 0), (101.1, "F", 0), (101.12, "F", 33), (102.92, "F", 33), (102.93, "F", 49),
                ("102.92", "F", 33), (45, "C", 49), (30, "C", 0), (113, "F", 49)]:
    hscore(f"hscore temperature {v} {u}", {"temperature": m(v, u)}, {"temperature": p})
# Ferritin: < 2000 → 0; 2000–6000 → 35; > 6000 → 50 (ng/mL = µg/L; pmol/L = ×2.247).
for v, u, p in [(1999.99, "ng/mL", 0), (2000, "ng/mL", 35), (6000, "ng/mL", 35), (6000.01, "ng/mL", 50),
                (1999, "ug/L", 0), (2000, "ug/L", 35), (6000, "ug/L", 35), (6001, "ug/L", 50),
                (4493.99, "pmol/L", 0), (4494, "pmol/L", 35), (13482, "pmol/L", 35), (13482.01, "pmol/L", 50)]:
    hscore(f"hscore ferritin {v} {u}", {"ferritin": m(v, u)}, {"ferritin": p})
# Triglycerides: < 1.5 → 0; 1.5–4 → 44; > 4 → 64 (mg/dL = mmol/L × 88.57: 132.855, 354.28).
for v, u, p in [(1.49, "mmol/L", 0), (1.5, "mmol/L", 44), (4, "mmol/L", 44), (4.01, "mmol/L", 64),
                (132.85, "mg/dL", 0), (132.7, "mg/dL", 0), (132.855, "mg/dL", 44), (354.28, "mg/dL", 44),
                (354.29, "mg/dL", 64), (354, "mg/dL", 44)]:
    hscore(f"hscore triglycerides {v} {u}", {"triglycerides": m(v, u)}, {"triglycerides": p})
# Fibrinogen: ≤ 2.5 g/L → 30; > 2.5 → 0 (mg/dL = ×100).
for v, u, p in [(2.5, "g/L", 30), (2.51, "g/L", 0), (0, "g/L", 30), (250, "mg/dL", 30), (250.01, "mg/dL", 0)]:
    hscore(f"hscore fibrinogen {v} {u}", {"fibrinogen": m(v, u)}, {"fibrinogen": p})
# AST: < 30 → 0; ≥ 30 → 19 (µkat/L = U/L ÷ 60).
for v, u, p in [(29.99, "U/L", 0), (30, "U/L", 19), (0.5, "ukat/L", 19), (0.49, "ukat/L", 0), (0.4999, "ukat/L", 0)]:
    hscore(f"hscore ast {v} {u}", {"ast": m(v, u)}, {"ast": p})
hscore("hscore immunosuppression", {"known_immunosuppression": True}, {"known_immunosuppression": 18})
hscore("hscore marrow", {"marrow_hemophagocytosis": True}, {"marrow_hemophagocytosis": 35})
hscore("hscore organomegaly one", {"organomegaly": "hepato_or_spleno"}, {"organomegaly": 23})
hscore("hscore organomegaly both", {"organomegaly": "both"}, {"organomegaly": 38})
for n, p in [(0, 0), (1, 0), (2, 24), (3, 34), ("2", 24)]:
    hscore(f"hscore lineages {n!r}", {"cytopenia_lineages": n}, {"cytopenias": p})
# Cytopenias from counts: Hb ≤ 9.2 g/dL (92 g/L; 5.70952 mmol/L), WBC ≤ 5 ×10^9/L, platelets ≤ 110 ×10^9/L.
counts_ok = {"hemoglobin": m(14, "g/dL"), "wbc": m(7, "10^9/L"), "platelets": m(250, "10^9/L")}
def cyto(name, changes, p):
    c = dict(counts_ok); c.update(changes)
    hscore(f"hscore cytopenias {name}", c, {"cytopenias": p}, remove=["cytopenia_lineages"])
for v, u, cy in [(9.2, "g/dL", True), (9.21, "g/dL", False), (92, "g/L", True), (92.1, "g/L", False),
                 (5.70952, "mmol/L", True), (5.70953, "mmol/L", False), (5.71, "mmol/L", False)]:
    cyto(f"hb {v} {u} with low platelets", {"hemoglobin": m(v, u), "platelets": m(50, "10^9/L")}, 24 if cy else 0)
for v, u, cy in [(5, "10^9/L", True), (5.01, "10^9/L", False), (5000, "/mm3", True), (5001, "/mm3", False)]:
    cyto(f"wbc {v} {u} with low hb", {"wbc": m(v, u), "hemoglobin": m(8, "g/dL")}, 24 if cy else 0)
for v, u, cy in [(110, "10^9/L", True), (110.01, "10^9/L", False), (110000, "/mm3", True), (110001, "/mm3", False)]:
    cyto(f"platelets {v} {u} with low hb", {"platelets": m(v, u), "hemoglobin": m(8, "g/dL")}, 24 if cy else 0)
cyto("none", {}, 0)
cyto("one", {"hemoglobin": m(8, "g/dL")}, 0)
cyto("three", {"hemoglobin": m(8, "g/dL"), "wbc": m(1, "10^9/L"), "platelets": m(20, "10^9/L")}, 34)

# Totals that hit chosen scores (probability mapping): brute force over item options.
opts = {"known_immunosuppression": [(False, 0), (True, 18)],
        "temperature": [(m(37, "C"), 0), (m(39, "C"), 33), (m(40, "C"), 49)],
        "organomegaly": [("none", 0), ("hepato_or_spleno", 23), ("both", 38)],
        "cytopenia_lineages": [(0, 0), (2, 24), (3, 34)],
        "ferritin": [(m(100, "ng/mL"), 0), (m(3000, "ng/mL"), 35), (m(9000, "ng/mL"), 50)],
        "triglycerides": [(m(1, "mmol/L"), 0), (m(2, "mmol/L"), 44), (m(5, "mmol/L"), 64)],
        "fibrinogen": [(m(3, "g/L"), 0), (m(2, "g/L"), 30)],
        "ast": [(m(20, "U/L"), 0), (m(40, "U/L"), 19)],
        "marrow_hemophagocytosis": [(False, 0), (True, 35)]}
item_of = {"cytopenia_lineages": "cytopenias"}
keys = list(opts)
for target in [0, 90, 91, 100, 168, 169, 170, 223, 240, 241, 249, 250, 337]:
    for combo in itertools.product(*(opts[k] for k in keys)):
        if sum(p for _, p in combo) == target:
            hscore(f"hscore total {target}", {k: v for k, (v, _) in zip(keys, combo)},
                   {item_of.get(k, k): p for k, (_, p) in zip(keys, combo)})
            break
    else:
        raise SystemExit(f"no combination for {target}")

# Tests not done. None: exactly today's output.
hscore_nd("hscore not done: none", {}, {}, 0, 0, False, "<1%")
# Marrow pending: 35 points either way. 162 known → 162–197: 40–54% to 80–88%, cut-off undetermined.
high = {"temperature": m(39, "C"), "organomegaly": "both", "ferritin": m(3000, "ng/mL"), "ast": m(40, "U/L"),
        "cytopenia_lineages": 2, "known_immunosuppression": True}  # 33 + 38 + 35 + 19 + 24 + 18 = 167
hscore_nd("hscore not done: marrow, undetermined", {**high, "marrow_hemophagocytosis": None, "ast": m(20, "U/L")},
          {"temperature": 33, "organomegaly": 38, "ferritin": 35, "cytopenias": 24, "known_immunosuppression": 18,
           "marrow_hemophagocytosis": None}, 148, 183, None, "16–25% to 70–80%")
# Enough to decide: 167 + fibrinogen 30 → 197 ≥ 169 whatever the marrow shows.
hscore_nd("hscore not done: marrow, cut-off met anyway", {**high, "fibrinogen": m(2, "g/L"), "marrow_hemophagocytosis": None},
          {"temperature": 33, "organomegaly": 38, "ferritin": 35, "ast": 19, "cytopenias": 24, "known_immunosuppression": 18,
           "fibrinogen": 30, "marrow_hemophagocytosis": None}, 197, 232, True, "80–88% to 98–99%")
# Enough to decide the other way: 0 known, marrow and AST pending → 0–54 < 169.
hscore_nd("hscore not done: marrow and ast, cut-off not met", {"marrow_hemophagocytosis": None, "ast": None},
          {"marrow_hemophagocytosis": None, "ast": None}, 0, 54, False, "<1%")
# Every test pending: ferritin 0–50, triglycerides 0–64, fibrinogen 0–30, AST 0–19, marrow 0–35, organomegaly 0–38,
# counts 0–34 → 0–270 (known items 0).
hscore_nd("hscore not done: every test", {k: None for k in ["organomegaly", "hemoglobin", "wbc", "platelets", "ferritin",
          "triglycerides", "fibrinogen", "ast", "marrow_hemophagocytosis"]},
          {k: None for k in ["organomegaly", "cytopenias", "ferritin", "triglycerides", "fibrinogen", "ast",
                             "marrow_hemophagocytosis"]}, 0, 270, None, "<1% to >99%", remove=["cytopenia_lineages"])
# Counts: two low, one pending → 24–34; one low, one pending, one normal → 0–24; none low, one pending → 0 (decided).
hscore_nd("hscore not done: platelets with two low", {"hemoglobin": m(8, "g/dL"), "wbc": m(2, "10^9/L"), "platelets": None},
          {"cytopenias": None}, 24, 34, False, "<1%", remove=["cytopenia_lineages"])
hscore_nd("hscore not done: platelets with one low", {"hemoglobin": m(8, "g/dL"), "wbc": m(7, "10^9/L"), "platelets": None},
          {"cytopenias": None}, 0, 24, False, "<1%", remove=["cytopenia_lineages"])
hscore_nd("hscore not done: platelets with none low", {"hemoglobin": m(14, "g/dL"), "wbc": m(7, "10^9/L"), "platelets": None},
          {"cytopenias": 0}, 0, 0, False, "<1%", remove=["cytopenia_lineages"])
hscore_nd("hscore not done: organomegaly", {"organomegaly": None}, {"organomegaly": None}, 0, 38, False, "<1%")
# Probability between a plain row and a signed row.
hscore("hscore total 245 reads 99% to >99%", {"known_immunosuppression": True, "temperature": m(40, "C"),
       "organomegaly": "both", "cytopenia_lineages": 3, "ferritin": m(3000, "ng/mL"), "triglycerides": m(2, "mmol/L"),
       "fibrinogen": m(3, "g/L"), "ast": m(20, "U/L")},
       {"known_immunosuppression": 18, "temperature": 49, "organomegaly": 38, "cytopenias": 34, "ferritin": 35,
        "triglycerides": 44})

# HScore errors: one message per bad field.
hscore_err("hscore temperature 55 C", {"temperature": m(55, "C")}, ["temperature"])
hscore_err("hscore temperature 113.1 F", {"temperature": m(113.1, "F")}, ["temperature"])
hscore_err("hscore ferritin 1e8", {"ferritin": m(1e8, "ng/mL")}, ["ferritin"])
hscore_err("hscore negative ast", {"ast": m(-1, "U/L")}, ["ast"])
hscore_err("hscore not a number", {"triglycerides": m("abc", "mmol/L")}, ["triglycerides"])
hscore_err("hscore comma decimal", {"triglycerides": m("1,5", "mmol/L")}, ["triglycerides"])
hscore_err("hscore empty value", {"fibrinogen": m("", "g/L")}, ["fibrinogen"])
hscore_err("hscore null value", {"fibrinogen": m(None, "g/L")}, ["fibrinogen"])
hscore_err("hscore temperature null", {"temperature": None}, ["temperature"])
hscore_err("hscore immunosuppression null (always known)", {"known_immunosuppression": None}, ["known_immunosuppression"])
hscore_err("hscore bad unit", {"triglycerides": m(1.5, "mg/dl")}, ["triglycerides"])
hscore_err("hscore unit of another quantity", {"triglycerides": m(1.5, "g/L")}, ["triglycerides"])
hscore_err("hscore missing unit", {"ast": {"value": 30}}, ["ast"])
hscore_err("hscore bare number", {"ast": 30}, ["ast"])
hscore_err("hscore boolean as string", {"known_immunosuppression": "yes"}, ["known_immunosuppression"])
hscore_err("hscore unknown choice", {"organomegaly": "large"}, ["organomegaly"])
hscore_err("hscore lineages 4", {"cytopenia_lineages": 4}, ["cytopenia_lineages"])
hscore_err("hscore lineages 2.5", {"cytopenia_lineages": 2.5}, ["cytopenia_lineages"])
hscore_err("hscore lineages -1", {"cytopenia_lineages": -1}, ["cytopenia_lineages"])
hscore_err("hscore unknown key", {"foo": 1}, ["foo"])
hscore_err("hscore missing items", {}, ["known_immunosuppression", "ferritin"], remove=["known_immunosuppression", "ferritin"])
hscore_err("hscore lineages and counts", {"hemoglobin": m(8, "g/dL")}, ["cytopenia_lineages"])
hscore_err("hscore no cytopenia data", {}, ["cytopenia_lineages"], remove=["cytopenia_lineages"])
hscore_err("hscore partial counts", {"hemoglobin": m(8, "g/dL")}, ["wbc", "platelets"], remove=["cytopenia_lineages"])
hscore_err("hscore several bad fields", {"temperature": m(55, "C"), "ferritin": m(1e8, "ng/mL"), "ast": m("x", "U/L")},
           ["temperature", "ferritin", "ast"])
cases.append({"name": "hscore input not an object", "calculator": "hscore", "input": [1, 2], "errors": ["input"]})

# HLH-2004.
L_BASE = {"molecular_diagnosis_consistent_with_hlh": False, "family_history_consistent_with_hlh": False,
          "infant_under_4_weeks": False,
          "temperature": m(37, "C"), "splenomegaly": False, "hemoglobin": m(130, "g/L"),
          "platelets": m(250, "10^9/L"), "neutrophils": m(4, "10^9/L"),
          "triglycerides_fasting": m(1.0, "mmol/L"), "fibrinogen": m(3.0, "g/L"),
          "hemophagocytosis_marrow_spleen_or_lymph_node": False, "nk_activity_low_or_absent": False,
          "ferritin": m(100, "ug/L"), "scd25": m(500, "U/mL")}
CRIT = ["fever", "splenomegaly", "cytopenias", "hypertriglyceridemia_or_hypofibrinogenemia",
        "hemophagocytosis", "nk_activity", "ferritin", "scd25"]

def hlh(name, changes, met, fulfilled=None, unknown=()):
    """`unknown`: criteria not measured; `fulfilled` must then be given (True, False or None)."""
    inp = copy.deepcopy(L_BASE); inp.update(changes)
    crit = {c: (None if c in unknown else c in met) for c in CRIT}
    n = len(met)
    if fulfilled is None and not unknown: fulfilled = n >= 5
    cases.append({"name": name, "calculator": "hlh-2004", "input": inp,
                  "expect": {"calculator": "hlh-2004", "criteria": crit, "criteria_met": n,
                             "criteria_not_measured": [c for c in CRIT if c in unknown], "fulfilled": fulfilled}})

def hlh_err(name, changes, fields, remove=()):
    inp = copy.deepcopy(L_BASE)
    for k in remove: inp.pop(k)
    inp.update(changes)
    cases.append({"name": name, "calculator": "hlh-2004", "input": inp, "errors": fields})

hlh("hlh-2004 nothing", {}, [])
for v, u, ok in [(38.5, "C", True), (38.49, "C", False), (101.3, "F", True), (101.29, "F", False), ("38.5", "C", True)]:
    hlh(f"hlh-2004 fever {v} {u}", {"temperature": m(v, u)}, ["fever"] if ok else [])
low_plt = {"platelets": m(50, "10^9/L")}
for v, u, ok in [(89.9, "g/L", True), (90, "g/L", False), (8.99, "g/dL", True), (9, "g/dL", False),
                 (5.5853, "mmol/L", True), (5.5854, "mmol/L", False)]:
    hlh(f"hlh-2004 hb {v} {u} with low platelets", {**low_plt, "hemoglobin": m(v, u)}, ["cytopenias"] if ok else [])
hlh("hlh-2004 infant hb 99 g/L", {**low_plt, "infant_under_4_weeks": True, "hemoglobin": m(99, "g/L")}, ["cytopenias"])
hlh("hlh-2004 infant hb 100 g/L", {**low_plt, "infant_under_4_weeks": True, "hemoglobin": m(100, "g/L")}, [])
hlh("hlh-2004 infant hb 9.99 g/dL", {**low_plt, "infant_under_4_weeks": True, "hemoglobin": m(9.99, "g/dL")}, ["cytopenias"])
hlh("hlh-2004 non-infant hb 99 g/L", {**low_plt, "hemoglobin": m(99, "g/L")}, [])
low_hb = {"hemoglobin": m(80, "g/L")}
for v, u, ok in [(99.9, "10^9/L", True), (100, "10^9/L", False), (99999, "/mm3", True), (100000, "/mm3", False)]:
    hlh(f"hlh-2004 platelets {v} {u} with low hb", {**low_hb, "platelets": m(v, u)}, ["cytopenias"] if ok else [])
for v, u, ok in [(0.99, "10^9/L", True), (1.0, "10^9/L", False), (999, "/mm3", True), (1000, "/mm3", False)]:
    hlh(f"hlh-2004 neutrophils {v} {u} with low platelets", {**low_plt, "neutrophils": m(v, u)}, ["cytopenias"] if ok else [])
hlh("hlh-2004 one lineage only", low_plt, [])
hlh("hlh-2004 three lineages", {**low_plt, **low_hb, "neutrophils": m(0.5, "10^9/L")}, ["cytopenias"])
HT = "hypertriglyceridemia_or_hypofibrinogenemia"
for v, u, ok in [(3.0, "mmol/L", True), (2.99, "mmol/L", False), (265, "mg/dL", True), (264.99, "mg/dL", False),
                 (265.7, "mg/dL", True)]:
    hlh(f"hlh-2004 triglycerides {v} {u}", {"triglycerides_fasting": m(v, u)}, [HT] if ok else [])
for v, u, ok in [(1.5, "g/L", True), (1.51, "g/L", False), (150, "mg/dL", True), (150.01, "mg/dL", False)]:
    hlh(f"hlh-2004 fibrinogen {v} {u}", {"fibrinogen": m(v, u)}, [HT] if ok else [])
hlh("hlh-2004 both triglycerides and fibrinogen", {"fibrinogen": m(1, "g/L"), "triglycerides_fasting": m(4, "mmol/L")}, [HT])
for v, u, ok in [(500, "ug/L", True), (499.99, "ug/L", False), (500, "ng/mL", True), (1123.5, "pmol/L", True),
                 (1123.49, "pmol/L", False)]:
    hlh(f"hlh-2004 ferritin {v} {u}", {"ferritin": m(v, u)}, ["ferritin"] if ok else [])
for v, ok in [(2400, True), (2399.9, False)]:
    hlh(f"hlh-2004 scd25 {v}", {"scd25": m(v, "U/mL")}, ["scd25"] if ok else [])
hlh("hlh-2004 booleans", {"splenomegaly": True, "hemophagocytosis_marrow_spleen_or_lymph_node": True,
                          "nk_activity_low_or_absent": True}, ["splenomegaly", "hemophagocytosis", "nk_activity"])
# Tests not done: every test pending → 0 met, 7 not measured, fever known (not met) → undetermined.
ALL_TESTS = ["splenomegaly", "hemoglobin", "platelets", "neutrophils", "triglycerides_fasting", "fibrinogen",
             "hemophagocytosis_marrow_spleen_or_lymph_node", "nk_activity_low_or_absent", "ferritin", "scd25"]
hlh("hlh-2004 not done: every test", {k: None for k in ALL_TESTS}, [], fulfilled=None, unknown=CRIT[1:])
hlh("hlh-2004 not done: every test, molecular diagnosis", {**{k: None for k in ALL_TESTS},
    "molecular_diagnosis_consistent_with_hlh": True}, [], fulfilled=True, unknown=CRIT[1:])
hlh("hlh-2004 family history alone", {"family_history_consistent_with_hlh": True}, [], fulfilled=True)
five = {"temperature": m(39, "C"), "splenomegaly": True, **low_plt, **low_hb, "ferritin": m(800, "ug/L"),
        "scd25": m(5000, "U/mL")}
hlh("hlh-2004 five criteria", five, ["fever", "splenomegaly", "cytopenias", "ferritin", "scd25"])
hlh("hlh-2004 four criteria", {**five, "scd25": m(100, "U/mL")}, ["fever", "splenomegaly", "cytopenias", "ferritin"])
# 4 met, NK and sCD25 pending: fulfilled if either is positive → undetermined.
hlh("hlh-2004 not done: 4 met, 2 pending", {**five, "scd25": None, "nk_activity_low_or_absent": None},
    ["fever", "splenomegaly", "cytopenias", "ferritin"], fulfilled=None, unknown=["nk_activity", "scd25"])
# 5 met, NK pending: enough to decide (fulfilled).
hlh("hlh-2004 not done: 5 met, NK pending", {**five, "nk_activity_low_or_absent": None},
    ["fever", "splenomegaly", "cytopenias", "ferritin", "scd25"], fulfilled=True, unknown=["nk_activity"])
# 2 met, 2 pending: cannot reach 5 → not fulfilled.
hlh("hlh-2004 not done: 2 met, 2 pending", {"temperature": m(39, "C"), "splenomegaly": True, "scd25": None,
    "hemophagocytosis_marrow_spleen_or_lymph_node": None}, ["fever", "splenomegaly"], fulfilled=False,
    unknown=["hemophagocytosis", "scd25"])
# One count pending: one low and one pending → cytopenias unknown; two low and one pending → met; none low → not met.
hlh("hlh-2004 not done: neutrophils, one low", {**low_plt, "neutrophils": None}, [], fulfilled=False, unknown=["cytopenias"])
hlh("hlh-2004 not done: neutrophils, two low", {**low_plt, **low_hb, "neutrophils": None}, ["cytopenias"])
hlh("hlh-2004 not done: neutrophils, none low", {"neutrophils": None}, [])
# Triglycerides pending, fibrinogen low → met; fibrinogen normal → unknown.
hlh("hlh-2004 not done: triglycerides, low fibrinogen", {"triglycerides_fasting": None, "fibrinogen": m(1, "g/L")}, [HT])
hlh("hlh-2004 not done: triglycerides, normal fibrinogen", {"triglycerides_fasting": None}, [], fulfilled=False, unknown=[HT])
hlh("hlh-2004 molecular diagnosis alone", {"molecular_diagnosis_consistent_with_hlh": True}, [], fulfilled=True)
hlh("hlh-2004 all eight", {**five, "triglycerides_fasting": m(3.5, "mmol/L"), "nk_activity_low_or_absent": True,
                           "hemophagocytosis_marrow_spleen_or_lymph_node": True}, CRIT)
hlh_err("hlh-2004 temperature 55 C", {"temperature": m(55, "C")}, ["temperature"])
hlh_err("hlh-2004 ferritin 1e8", {"ferritin": m(1e8, "ug/L")}, ["ferritin"])
hlh_err("hlh-2004 temperature null (always known)", {"temperature": None}, ["temperature"])
hlh_err("hlh-2004 molecular diagnosis null", {"molecular_diagnosis_consistent_with_hlh": None},
        ["molecular_diagnosis_consistent_with_hlh"])
hlh_err("hlh-2004 missing key", {}, ["scd25"], remove=["scd25"])
hlh_err("hlh-2004 scd25 wrong unit", {"scd25": m(2400, "U/L")}, ["scd25"])
hlh_err("hlh-2004 negative platelets", {"platelets": m(-5, "10^9/L")}, ["platelets"])
hlh_err("hlh-2004 extra key in measurement", {"ferritin": {"value": 500, "unit": "ug/L", "x": 1}}, ["ferritin"])

# OHI index: sCD25 > 3900 U/mL and ferritin > 1000 ng/mL, both strict (abstract and Key Points).
O_BASE = {"scd25": m(500, "U/mL"), "ferritin": m(100, "ng/mL")}

def ohi(name, changes, met, fulfilled=None, unknown=()):
    inp = dict(O_BASE); inp.update(changes)
    crit = {c: (None if c in unknown else c in met) for c in ["scd25", "ferritin"]}
    if fulfilled is None and not unknown: fulfilled = len(met) == 2
    cases.append({"name": name, "calculator": "ohi", "input": inp,
                  "expect": {"calculator": "ohi", "criteria": crit, "criteria_met": len(met),
                             "criteria_not_measured": [c for c in ["scd25", "ferritin"] if c in unknown],
                             "fulfilled": fulfilled}})

for v, ok in [(3900, False), (3900.01, True), (3899.99, False), ("3900.0001", True)]:
    ohi(f"ohi scd25 {v}", {"scd25": m(v, "U/mL")}, ["scd25"] if ok else [])
for v, u, ok in [(1000, "ng/mL", False), (1000.01, "ng/mL", True), (1000, "ug/L", False), (1001, "ug/L", True),
                 (2247, "pmol/L", False), (2247.01, "pmol/L", True)]:
    ohi(f"ohi ferritin {v} {u}", {"ferritin": m(v, u)}, ["ferritin"] if ok else [])
ohi("ohi both above", {"scd25": m(5000, "U/mL"), "ferritin": m(1500, "ng/mL")}, ["scd25", "ferritin"])
ohi("ohi both exactly on the threshold", {"scd25": m(3900, "U/mL"), "ferritin": m(1000, "ng/mL")}, [])
ohi("ohi not done: sCD25 pending, ferritin high", {"scd25": None, "ferritin": m(1500, "ng/mL")}, ["ferritin"],
    fulfilled=None, unknown=["scd25"])
ohi("ohi not done: sCD25 pending, ferritin low", {"scd25": None}, [], fulfilled=False, unknown=["scd25"])
ohi("ohi not done: both pending", {"scd25": None, "ferritin": None}, [], fulfilled=None, unknown=["scd25", "ferritin"])
cases.append({"name": "ohi ferritin missing", "calculator": "ohi", "input": {"scd25": m(5000, "U/mL")}, "errors": ["ferritin"]})
cases.append({"name": "ohi scd25 wrong unit", "calculator": "ohi", "input": {**O_BASE, "scd25": m(5000, "U/L")}, "errors": ["scd25"]})

doc = {"_doc": ("Shared calculator vectors. Each case: calculator id, input (the JSON given to `hpskb score`), "
                "and either `expect` (the exact output object; compare as JSON values, key order free) or "
                "`errors` (the exact set of input ids with an error; messages are free text). "
                "Generated by make_vectors.py with hand-written expectations."),
       "cases": cases}
print(json.dumps(doc, ensure_ascii=False, indent=1))
