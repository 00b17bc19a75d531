#!/usr/bin/env bash
# PENDING (not run by make test: it fails today, see the issue notes). The HA bolus on the default face (cases/clinical/glabella-retrograde.yaml), each check with its figure:
#   - retrograde reach against volume with a firm push: the smallest bolus whose gel enters the ophthalmic
#     artery lies within the published 0.04-0.12 mL (Khan et al. 2017: 0.085 mL glabella -> orbital
#     apex); a smaller one stops short;
#   - a weak push (cap above the local pressure but below arterial pressure): nothing goes retrograde;
#   - gel volume is conserved to 1e-12 relative;
#   - occlusion: a terminal whose own vessel holds gel keeps under 5 % of its healthy flow in the chronic
#     network; a terminal whose supply path is blocked upstream and that still gets blood reports it as
#     collateral flow;
#   - bad input, each with its one-line message.
source "$(dirname "$0")/../cli/lib.bash"
case_file=cases/clinical/glabella-retrograde.yaml
fast=(-quiet -bolus_acute_time 4 -hemo_cycles 12)

run_volume() { $havoc run $case_file -o "$tmp/v$1" -bolus_volume "$1 mL" "${fast[@]}" >/dev/null 2>"$tmp/v$1.err"; }
volumes=(0.02 0.04 0.06 0.08 0.10 0.12)
for i in 0 2 4; do
  run_volume "${volumes[$i]}" & run_volume "${volumes[$((i + 1))]}" & wait
done
smallest=""
for v in "${volumes[@]}"; do
  s="$tmp/v$v/summary.json"
  [[ -f "$s" ]] || { echo "  volume $v mL: the run failed"; cat "$tmp/v$v.err"; status=1; continue; }
  printf '  %s mL: %s\n' "$v" "$(jq -r '"reached ophthalmic \(.bolus.reached_ophthalmic), central retinal \(.bolus.reached_central_retinal), peak tip pressure \(.bolus.peak_tip_pressure_Pa / 1000 | floor) kPa, most proximal \(.bolus.most_proximal_reach.vessel)"' "$s")"
  if [[ -z "$smallest" ]] && jq -e '.bolus.reached_ophthalmic' "$s" >/dev/null; then smallest=$v; fi
done
check "smallest volume reaching the OA: ${smallest:-none} mL (0.04-0.12)" awk -v v="${smallest:-9}" 'BEGIN { exit !(v >= 0.04 && v <= 0.12) }'
check "0.02 mL stops short of the OA" jq -e '.bolus.reached_ophthalmic | not' "$tmp/v0.02/summary.json"

# a weak push: the cap (12 kPa, 90 mmHg) is below the arterial pressure, so the flow at the tip never turns
$havoc run $case_file -o "$tmp/weak" -bolus_pressure_cap 12kPa -bolus_rate 0.02mL/s "${fast[@]}" >/dev/null 2>"$tmp/weak.err" || cat "$tmp/weak.err"
printf '  weak push: %s\n' "$(jq -r '"injected \(.bolus.injected_volume_m3 * 1e6) mL, reached \(.bolus.reached_vessels | join(", "))"' "$tmp/weak/summary.json")"
check "weak push: nothing retrograde" jq -e '(.bolus.reached_vessels | index("ophthalmic_3_l") | not) and .bolus.injected_volume_m3 > 0' "$tmp/weak/summary.json"

exit $status
