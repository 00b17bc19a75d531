#!/usr/bin/env bash
# Hyaluronidase treatment in `havoc run` (docs/model.md, "Hyaluronidase"), each check with its figure:
#   - the nasal tip case (0.15 mL Restylane-L), once untreated; its gel is then restored
#     (-bolus_restart) for the treated runs, so that every run starts from the same occlusion;
#   - 500 U hourly from 1 h (the high-dose protocol, a realistic delay): less necrosis than untreated;
#     from 10 h (late, past the skin's critical ischemia time) it is not prevented;
#   - a dose x delay grid, 10 U or 50 U hourly from 4 h or 8 h: more units or an earlier start never
#     gives more necrosis;
#   - the enzyme's units: injected = on the map + decayed + in gel + decayed in gel + left with blood, and
#     the gel's volume: injected = in slugs + in beds + dissolved, both at round-off;
#   - an intra-arterial dose reaches the gel; vasodilation runs and is reported;
#   - bad input.
source "$(dirname "$0")/lib.bash"

case=cases/clinical/nasal-tip.yaml
$havoc run $case -o "$tmp/none" -quiet >/dev/null 2>"$tmp/none.err" || { cat "$tmp/none.err"; exit 1; }
restart=(-run_phases steady -bolus_restart "$tmp/none/summary.json")
treat() { # NAME UNITS START [options...]
  local name=$1 units=$2 start=$3
  shift 3
  $havoc run $case -o "$tmp/$name" "${restart[@]}" -enzyme_preset pulsed -enzyme_units "$units" -enzyme_start "$start" -quiet "$@" >/dev/null 2>"$tmp/$name.err" || cat "$tmp/$name.err"
}
treat u500_1h 500U 1h &
treat u500_10h 500U 10h &
wait
treat u10_4h 10U 4h &
treat u10_8h 10U 8h &
wait
treat u50_4h 50U 4h &
treat u50_8h 50U 8h &
wait
$havoc run $case -o "$tmp/restored" "${restart[@]}" -quiet >/dev/null 2>"$tmp/restored.err" || cat "$tmp/restored.err"
wait

nec() { jq -r '[.tissue.territories[] | select(.on_map) | .necrotic_cm2[-1]] | add' "$tmp/$1/summary.json"; }
declare -A N
for r in none restored u500_1h u500_10h u10_4h u10_8h u50_4h u50_8h; do
  if [[ -f "$tmp/$r/summary.json" ]]; then N[$r]=$(nec $r); else
    N[$r]=nan
    status=1
  fi
done
printf '  necrotic skin at 24 h [cm^2]: untreated %s (restored from its summary: %s)\n' "${N[none]}" "${N[restored]}"
printf '  500 U/h from 1 h: %s cm^2; from 10 h: %s cm^2\n' "${N[u500_1h]}" "${N[u500_10h]}"
printf '  %-10s %10s %10s\n' "" "from 4 h" "from 8 h"
printf '  %-10s %10s %10s\n' "10 U/h" "${N[u10_4h]}" "${N[u10_8h]}" "50 U/h" "${N[u50_4h]}" "${N[u50_8h]}"
le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b + 1e-9) }'; }
lt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }
check "restored gel: same necrosis" awk -v a="${N[none]}" -v b="${N[restored]}" 'BEGIN { exit !(a == b) }'
check "more units: never more necrosis" bash -c "$(declare -f le); le ${N[u50_4h]} ${N[u10_4h]} && le ${N[u50_8h]} ${N[u10_8h]}"
check "earlier: never more necrosis" bash -c "$(declare -f le); le ${N[u10_4h]} ${N[u10_8h]} && le ${N[u50_4h]} ${N[u50_8h]} && le ${N[u10_8h]} ${N[none]}"
check "the grid is not flat" lt "${N[u50_4h]}" "${N[u10_8h]}"
check "treated from 1 h: less than untreated" lt "${N[u500_1h]}" "${N[none]}"
check "treated from 10 h: not prevented" lt "$(awk -v a="${N[none]}" 'BEGIN { print 0.5 * a }')" "${N[u500_10h]}"

s="$tmp/u500_1h/summary.json"
printf '  500 U/h from 1 h: %s\n' "$(jq -r '.treatment | "\(.doses | length) doses, \(.total_units) U, stopped at \(.stopped_reperfused_s / 3600) h (reperfused); \(.recanalized_slugs) of \(.slugs | length) slugs recanalized; HA left at 1, 6, 24 h: \(.ha_remaining_fraction | map(. * 1000 | round / 1000 | tostring) | join(", "))"' "$s")"
printf '  units: %s\n' "$(jq -c '.treatment.enzyme_balance' "$s")"
check "enzyme units balance at round-off" jqe '.treatment.enzyme_balance.relative_error < 1e-12' "$s"
printf '  gel: dissolved %s uL, volume balance %s\n' "$(jq -r '.bolus.dissolved_volume_m3 * 1e9' "$s")" "$(jq -r '.bolus.volume_balance_rel_error' "$s")"
check "gel volume balance at round-off" jqe '.bolus.volume_balance_rel_error < 1e-12 and .bolus.dissolved_volume_m3 > 0' "$s"
check "nasal tip slug dissolved" jqe '[.treatment.slugs[] | select(.vessel == "nasal_tip_l") | .recanalized_s != null] | all' "$s"

treat ia 150U 30min -enzyme_preset single -enzyme_vessel lateral_nasal_l -enzyme_position 0.2
s="$tmp/ia/summary.json"
printf '  intra-arterial 150 U at 30 min into lateral_nasal_l: %s; its slug recanalized at %s s\n' "$(jq -c '.treatment.enzyme_balance | {in_gel_U: (.in_gel_U + .gel_decayed_U), blood_U}' "$s")" "$(jq -r '[.treatment.slugs[] | select(.vessel == "lateral_nasal_l") | .recanalized_s] | join(", ")' "$s")"
check "intra-arterial: dissolves the gel it is in" jqe '([.treatment.slugs[] | select(.vessel == "lateral_nasal_l") | .recanalized_s] | all(. != null and . < 1800 + 600)) and .treatment.enzyme_balance.relative_error < 1e-12' "$s"

$havoc run $case -o "$tmp/vaso" "${restart[@]}" -vasodilation_start 0 -vasodilation_duration 24h -vasodilation_factor 0.5 -quiet >/dev/null 2>"$tmp/vaso.err" || cat "$tmp/vaso.err"
printf '  vasodilation alone (peripheral resistance x 0.5 for 24 h): necrotic %s cm^2\n' "$(nec vaso)"
check "vasodilation: reported, no more necrosis" bash -c "$(declare -f le); jq -e '.treatment.vasodilation.resistance_factor == 0.5' '$tmp/vaso/summary.json' >/dev/null && le $(nec vaso) ${N[none]}"

bad=("${restart[@]}" -o "$tmp/bad")
expect_error "negative units" "enzyme_units.*must be > 0" $havoc run $case "${bad[@]}" -enzyme_units -5U
expect_error "negative volume" "enzyme_volume.*must be > 0" $havoc run $case "${bad[@]}" -enzyme_units 5U -enzyme_volume -1mL
expect_error "units in the wrong unit" "enzyme_units" $havoc run $case "${bad[@]}" -enzyme_units 5mL
expect_error "unknown vessel" "enzyme_vessel: no vessel 'nope'" $havoc run $case "${bad[@]}" -enzyme_units 5U -enzyme_vessel nope
expect_error "unknown product" "enzyme_product: unknown product 'nope'" $havoc run $case "${bad[@]}" -enzyme_units 5U -enzyme_product nope
expect_error "unknown preset" "enzyme_preset" $havoc run $case "${bad[@]}" -enzyme_preset weekly
expect_error "point and vessel" "one site" $havoc run $case "${bad[@]}" -enzyme_units 5U -enzyme_vessel nasal_tip_l -enzyme_point 1,2mm
expect_error "malformed point" "enzyme_point" $havoc run $case "${bad[@]}" -enzyme_units 5U -enzyme_point 1,2,3mm
expect_error "unknown territory" "vasodilation_territories: no territory 'chin'" $havoc run $case "${bad[@]}" -vasodilation_start 0 -vasodilation_territories chin
expect_error "treatment without a bolus" "a treatment needs a bolus" $havoc run cases/clinical/healthy-face.yaml -o "$tmp/bad" -run_phases steady -tissue_t_end 1h -enzyme_units 5U
expect_error "restart: missing file" "bolus_restart: $tmp/nope.json" $havoc run $case -o "$tmp/bad" -run_phases steady -bolus_restart "$tmp/nope.json"
printf 'not json' >"$tmp/bad.json"
expect_error "restart: not JSON" "bolus_restart: $tmp/bad.json" $havoc run $case -o "$tmp/bad" -run_phases steady -bolus_restart "$tmp/bad.json"
expect_error "restart: treated summary" "summary of a treated run" $havoc run $case -o "$tmp/bad" -run_phases steady -bolus_restart "$tmp/u500_1h/summary.json"
expect_error "restart with the acute phase" "run the chronic network alone" $havoc run $case -o "$tmp/bad" -bolus_restart "$tmp/none/summary.json"
check "no result left by the failed runs" test ! -e "$tmp/bad/summary.json"
exit $status
