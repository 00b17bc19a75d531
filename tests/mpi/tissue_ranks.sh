#!/usr/bin/env bash
# The tissue does not depend on the rank count: the nasal tip case (short acute phase, 12 h of tissue on a
# 1 mm map) on 1, 2 and 3 ranks gives the same areas per territory and zone, the same necrosis times and
# the same maps (po2, toxic, dead to 1e-8 relative, zones and territories exactly).
source "$(dirname "$0")/lib.bash"
run_ranks cases/clinical/nasal-tip.yaml -hemo_cycles 8 -bolus_acute_time 3 -tissue_t_end "12 h" -tissue_dx 1mm
status=0
jq -r '"  1 rank: \(.tissue.map.cells | join(" x ")) cells; necrotic at 12 h: \([.tissue.territories[] | select(.on_map and .necrotic_cm2[-1] > 0) | "\(.territory) \(.necrotic_cm2[-1]) cm^2"] | join(", "))"' "$tmp/r1/summary.json"
for n in 2 3; do
  if cmp -s <(jq -S '.tissue, .retina' "$tmp/r1/summary.json") <(jq -S '.tissue, .retina' "$tmp/r$n/summary.json"); then
    echo "  1 rank vs $n ranks: tissue and retina objects of summary.json identical"
  else
    echo "  1 rank vs $n ranks: tissue objects differ:"
    diff <(jq -S '.tissue, .retina' "$tmp/r1/summary.json") <(jq -S '.tissue, .retina' "$tmp/r$n/summary.json") | head -20
    status=1
  fi
  for m in po2 toxic dead; do
    if ! out=$(h5diff -p 1e-8 "$tmp/r1/result.h5" "$tmp/r$n/result.h5" /tissue/$m 2>&1); then
      echo "  1 rank vs $n ranks: /tissue/$m differs beyond 1e-8 relative:"; echo "$out" | head -8; status=1
    fi
  done
  for m in zone territory; do
    if ! out=$(h5diff "$tmp/r1/result.h5" "$tmp/r$n/result.h5" /tissue/$m 2>&1); then
      echo "  1 rank vs $n ranks: /tissue/$m differs:"; echo "$out" | head -8; status=1
    fi
  done
  [[ $status -eq 0 ]] && echo "  1 rank vs $n ranks: maps po2, toxic, dead within 1e-8 relative, zone and territory identical"
done
exit $status
