#!/usr/bin/env bash
# The tissue after an occlusion, as `havoc run` reports it (docs/model.md, "Tissue"), each check with its
# figure:
#   - cases/clinical/nasal-tip.yaml without treatment: a necrotic zone in the nasal tip territory within
#     24 h, none in the forehead;
#   - cases/clinical/glabella-retrograde.yaml with 0.12 mL (gel in the central retinal artery): the retina
#     of that eye infarcts (at about 100 min), the other stays perfused;
#   - a small bolus that lodges in the left superior labial artery, whose upper lip is also fed across the
#     midline by the labial arcade: the lip keeps most of its flow and nothing becomes necrotic;
#   - the maps in result.h5; face maps of 64 x 83 and 1025 x 1323 cells run; bad input.
source "$(dirname "$0")/lib.bash"

nasal() { $havoc run cases/clinical/nasal-tip.yaml -o "$tmp/nasal" -tissue_t_end "24 h" -quiet >/dev/null 2>"$tmp/nasal.err"; }
retina() { $havoc run cases/clinical/glabella-retrograde.yaml -o "$tmp/retina" -bolus_volume 0.12mL -bolus_acute_time 4 -hemo_cycles 12 -tissue_t_end "4 h" -quiet >/dev/null 2>"$tmp/retina.err"; }
nasal & retina & wait
for r in nasal retina; do [[ -f "$tmp/$r/summary.json" ]] || { echo "  the $r run failed:"; cat "$tmp/$r.err"; status=1; }; done

s="$tmp/nasal/summary.json"
terr() { jq -r --arg t "$1" '.tissue.territories[] | select(.territory == $t)' "$s"; }
printf '  nasal tip: %s\n' "$(terr nasal_tip_l | jq -r '"area \(.area_cm2) cm^2, perfusion ratio \(.perfusion_ratio), necrotic at 1, 6, 24 h: \(.necrotic_cm2 | map(tostring) | join(", ")) cm^2, half necrotic at \(.half_necrosis_s / 3600) h"')"
check "nasal tip: necrotic within 24 h" jqe '.tissue.territories[] | select(.territory == "nasal_tip_l") | .necrotic_cm2[-1] > 0' "$s"
printf '  forehead: necrotic %s cm^2\n' "$(jq -r '[.tissue.territories[] | select(.territory | test("^forehead")) | .necrotic_cm2[-1]] | add' "$s")"
check "forehead: no necrosis" jqe '[.tissue.territories[] | select(.territory | test("^forehead")) | .necrotic_cm2[-1]] | all(. == 0)' "$s"
check "result.h5 has the maps at 1, 6, 24 h" bash -c "h5ls '$tmp/nasal/result.h5/tissue' | grep -q 'dead  *Dataset {3, [0-9]*, [0-9]*}'"

s="$tmp/retina/summary.json"
printf '  retina: %s\n' "$(jq -c '.retina' "$s")"
check "gel in the central retinal artery: retina_l infarcted" jqe '.retina.retina_l.state == "infarcted" and (.retina.retina_l.infarcted_after_minutes | . >= 90 and . <= 110)' "$s"
check "the other eye perfused" jqe '.retina.retina_r.state == "perfused"' "$s"

$havoc run cases/clinical/healthy-face.yaml -o "$tmp/labial" -bolus_vessel superior_labial_l -bolus_position 0.3 -bolus_volume 0.005mL \
  -bolus_rate 0.005mL/s -bolus_pressure_cap 20kPa -bolus_product restylane_l -bolus_acute_time 6 -tissue_t_end "24 h" -quiet >/dev/null 2>"$tmp/labial.err" || cat "$tmp/labial.err"
s="$tmp/labial/summary.json"
printf '  superior labial: %s; upper lip %s\n' "$(jq -r '[.bolus.lodged[] | "\(.volume_m3 * 1e9 | round) uL lodged in \(.vessel) (\(.lodged_by))"] | join(", ")' "$s")" \
  "$(jq -r '.tissue.territories[] | select(.territory == "upper_lip_l") | "perfusion ratio \(.perfusion_ratio), necrotic \(.necrotic_cm2[-1]) cm^2"' "$s")"
check "lodged in superior_labial_l" jqe '[.bolus.lodged[] | select(.vessel == "superior_labial_l")] | length > 0' "$s"
check "anastomosis: upper lip fed, no necrosis" jqe '(.bolus.terminals[] | select(.vessel == "upper_lip_l") | .supply_blocked and .flow_fraction > 0.5) and ([.tissue.territories[] | .necrotic_cm2[-1] // 0] | all(. == 0))' "$s"

for dx in 2.25mm 0.1406mm; do
  $havoc run cases/clinical/healthy-face.yaml -o "$tmp/map$dx" -run_phases steady -tissue_t_end "1 h" -tissue_dx $dx -quiet >/dev/null 2>"$tmp/map.err" || cat "$tmp/map.err"
  cells=$(jq -r '.tissue.map.cells | join(" x ")' "$tmp/map$dx/summary.json" 2>/dev/null)
  check "healthy face on a ${cells:-?} map (dx $dx): runs, nothing ischemic" jqe '[.tissue.territories[] | .ischemic_cm2[-1] // 0] | all(. == 0)' "$tmp/map$dx/summary.json"
done

expect_error "tissue without the steady phase" "needs the steady phase" $havoc run cases/clinical/healthy-face.yaml -o "$tmp/x" -run_phases pulsatile -tissue_t_end "1 h"
expect_error "tissue end time in the wrong unit" "tissue_t_end.*expected a time" $havoc run cases/clinical/healthy-face.yaml -o "$tmp/x" -tissue_t_end "5 m"
expect_error "report time in the wrong unit" "tissue_report_times.*expected a time" $havoc run cases/clinical/healthy-face.yaml -o "$tmp/x" -run_phases steady -tissue_t_end "1 h" -tissue_report_times "30 mm"
expect_error "negative map cell" "tissue_dx" $havoc run cases/clinical/healthy-face.yaml -o "$tmp/x" -tissue_t_end "1 h" -tissue_dx -1mm
expect_error "network without territories" "territories" $havoc run cases/benchmarks/boileau-cca.yaml -o "$tmp/x" -run_phases pulsatile,steady -hemo_cycles 1 -tissue_t_end "1 h"
check "no result left by the failed runs" test ! -e "$tmp/x/summary.json"

exit $status
