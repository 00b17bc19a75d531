#!/usr/bin/env bash
# Retrograde embolization from the glabella (cases/clinical/glabella-retrograde.yaml: a firm push, 0.1 mL/s
# under a 100 kPa cap, into the left supratrochlear artery 18 mm from the ophthalmic artery), each check
# with its figure:
#   - reach against volume: the smallest bolus whose gel gets back to the origin of the central retinal
#     artery (it enters ophthalmic_1, or the central retinal artery that leaves at its distal end) lies
#     within the published 0.04-0.12 mL (Khan et al. 2017: supratrochlear path volume glabella -> orbital
#     apex 0.085 mL, range 0.04-0.12 mL), and a smaller bolus stops short of it;
#   - a weak push (cap 12 kPa, 90 mmHg: above the pressure at the tip, below the arterial pressure of the
#     ophthalmic artery): gel leaves the needle but none gets into any segment of the ophthalmic artery.
# The acute phase is cut at 4 s after the start of the injection (the gel's retrograde run ends with the
# push, well before), so each run takes ~10 s.
source "$(dirname "$0")/lib.bash"
case_file=cases/clinical/glabella-retrograde.yaml
fast=(-quiet -bolus_acute_time 4 -hemo_cycles 12 -tissue_t_end 0)
origin='.bolus.reached_ophthalmic or .bolus.reached_central_retinal'

run_volume() { $havoc run $case_file -o "$tmp/v$1" -bolus_volume "$1 mL" "${fast[@]}" >/dev/null 2>"$tmp/v$1.err"; }
volumes=(0.02 0.04 0.06 0.08 0.10 0.12)
for i in 0 2 4; do
  run_volume "${volumes[$i]}" & run_volume "${volumes[$((i + 1))]}" & wait
done
smallest=""
for v in "${volumes[@]}"; do
  s="$tmp/v$v/summary.json"
  [[ -f "$s" ]] || { echo "  volume $v mL: the run failed"; cat "$tmp/v$v.err"; status=1; continue; }
  printf '  %s mL: %s\n' "$v" "$(jq -r "\"reached the central retinal origin \($origin), peak tip pressure \(.bolus.peak_tip_pressure_Pa / 1000 | floor) kPa, most proximal: \(.bolus.most_proximal_reach.vessel) at \(.bolus.most_proximal_reach.position_m * 1000 | floor) mm\"" "$s")"
  if [[ -z "$smallest" ]] && jq -e "$origin" "$s" >/dev/null; then smallest=$v; fi
done
check "smallest bolus reaching the central retinal origin: ${smallest:-none} mL (0.04-0.12)" awk -v v="${smallest:-9}" 'BEGIN { exit !(v >= 0.04 && v <= 0.12) }'
check "0.02 mL stops short of it" jqe "($origin) | not" "$tmp/v0.02/summary.json"

$havoc run $case_file -o "$tmp/weak" -bolus_pressure_cap 12kPa -bolus_rate 0.02mL/s "${fast[@]}" >/dev/null 2>"$tmp/weak.err" || cat "$tmp/weak.err"
printf '  weak push (cap 12 kPa): %s\n' "$(jq -r '"injected \(.bolus.injected_volume_m3 * 1e6) mL, peak tip pressure \(.bolus.peak_tip_pressure_Pa / 1000) kPa, gel reached \(.bolus.reached_vessels | join(", "))"' "$tmp/weak/summary.json")"
check "weak push: gel injected, none in the ophthalmic artery" jqe '.bolus.injected_volume_m3 > 0 and (.bolus.reached_vessels | map(select(test("^(ophthalmic|central_retinal)"))) | length == 0)' "$tmp/weak/summary.json"

exit $status
