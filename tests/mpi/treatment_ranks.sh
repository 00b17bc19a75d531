#!/usr/bin/env bash
# The treatment does not depend on the rank count: the nasal tip case (short acute phase, 12 h of tissue on
# a 1 mm map) is run once untreated; its gel, restored, is treated with 500 U hourly from 1 h on 1, 2 and
# 3 ranks: the treatment and tissue objects of summary.json agree (every number to 1e-8 relative or 1e-12
# absolute, every string and count exactly).
source "$(dirname "$0")/lib.bash"
quick=(-tissue_t_end "12 h" -tissue_dx 1mm)
$bin run cases/clinical/nasal-tip.yaml -o "$tmp/acute" -quiet -hemo_cycles 8 -bolus_acute_time 3 "${quick[@]}" >/dev/null
run_ranks cases/clinical/nasal-tip.yaml -run_phases steady -bolus_restart "$tmp/acute/summary.json" "${quick[@]}" -enzyme_preset pulsed -enzyme_units 500U -enzyme_start 1h
printf '  1 rank: %s (untreated: %s cm^2)\n' "$(jq -r '"\(.treatment.total_units) U, \(.treatment.recanalized_slugs) of \(.treatment.slugs | length) slugs recanalized, necrotic at 12 h \(.treatment.necrotic_area_cm2) cm^2"' "$tmp/r1/summary.json")" "$(jq -r '[.tissue.territories[] | select(.on_map) | .necrotic_cm2[-1]] | add' "$tmp/acute/summary.json")"
python3 - "$tmp" <<'PY'
import json, sys
tmp = sys.argv[1]
def load(n):
    d = json.load(open(f"{tmp}/r{n}/summary.json"))
    return {"treatment": d["treatment"], "tissue": d["tissue"]}
def diff(a, b, path, out):
    if isinstance(a, dict):
        if set(a) != set(b): out.append((path, "keys", 1.0)); return
        for k in a: diff(a[k], b[k], f"{path}.{k}", out)
    elif isinstance(a, list):
        if len(a) != len(b): out.append((path, "length", 1.0)); return
        for i, (x, y) in enumerate(zip(a, b)): diff(x, y, f"{path}[{i}]", out)
    elif isinstance(a, float) or isinstance(b, float):
        if a is None or b is None: out.append((path, f"{a} vs {b}", 1.0)); return
        # round-off residuals (relative errors, units left near zero) compare in absolute terms
        rel = 0.0 if abs(a - b) <= 1e-12 else abs(a - b) / max(abs(a), abs(b), 1e-300)
        out.append((path, f"{a} vs {b}", rel))
    elif a != b: out.append((path, f"{a} vs {b}", 1.0))
base = load(1)
status = 0
for n in (2, 3):
    out = []
    diff(base, load(n), "", out)
    worst = max(out, key=lambda r: r[2]) if out else ("", "", 0.0)
    ok = worst[2] <= 1e-8
    print(f"  1 rank vs {n} ranks: treatment and tissue objects, largest relative difference {worst[2]:.1e} (<= 1e-8)" + ("" if ok else f" at {worst[0]}: {worst[1]}"))
    status |= not ok
sys.exit(status)
PY
