#!/usr/bin/env bash
# Slug paths do not depend on the rank count: the glabella bolus (cases/clinical/glabella-retrograde.yaml,
# a short acute phase) on 1, 2 and 3 ranks gives the same slugs (vessel, span, volume, state), the same
# gel in every terminal bed and the same vessels reached, to 1e-9 relative. The slug list itself is
# replicated and updated identically on every rank; what differs is round-off from the baseline steady
# solve (its parallel Krylov sums, ~1e-16 relative), which sets the beds' capillary volumes, carried
# through a few thousand steps of plugs that start and stop at a threshold.
source "$(dirname "$0")/lib.bash"
run_ranks cases/clinical/glabella-retrograde.yaml -hemo_cycles 6 -bolus_acute_time 2.5 -tissue_t_end 0
status=0
jq -r '"  1 rank: \(.bolus.lodged | length) slugs, \(.bolus.terminal_beds | length) embolized beds, reached \(.bolus.reached_vessels | length) vessels, \(.bolus.injected_volume_m3 * 1e6) mL injected"' "$tmp/r1/summary.json"
for n in 2 3; do
  worst=$(jq -n -r --slurpfile a "$tmp/r1/summary.json" --slurpfile b "$tmp/r$n/summary.json" '
    def rel(x; y): if x == y then 0 else ((x - y) | fabs) / ([(x | fabs), (y | fabs)] | max) end;
    ($a[0].bolus) as $p | ($b[0].bolus) as $q |
    if ($p.lodged | map([.vessel, .state, .lodged_by])) != ($q.lodged | map([.vessel, .state, .lodged_by]))
       or $p.reached_vessels != $q.reached_vessels
       or ($p.terminal_beds | map(.vessel)) != ($q.terminal_beds | map(.vessel)) then "different slugs or paths"
    else [ ([$p.lodged, $q.lodged] | transpose[] | rel(.[0].from_m; .[1].from_m), rel(.[0].to_m; .[1].to_m), rel(.[0].volume_m3; .[1].volume_m3)),
           ([$p.terminal_beds, $q.terminal_beds] | transpose[] | rel(.[0].volume_m3; .[1].volume_m3)) ] | (max // 0) end')
  echo "  1 rank vs $n ranks: largest relative difference of slug spans, volumes and bed volumes: $worst (bound 1e-9)"
  if [[ "$worst" == different* ]] || ! awk -v w="$worst" 'BEGIN { exit !(w <= 1e-9) }'; then status=1; fi
done
exit $status
