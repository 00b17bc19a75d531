#!/usr/bin/env bash
# The main job, cases/clinical/healthy-face.yaml, as shipped, on 1, 2 and 3 ranks:
#   - its periodic pulsatile state meets every check of meshes/face/calibration.yaml (carotid, ophthalmic
#     and central retinal flows, ophthalmic pressure ratio, Doppler velocities of the supratrochlear and
#     angular arteries), evaluated by `havoc calibrate -check` on its summary.json;
#   - the cycle means of the pulsatile solution are within 3 % of the steady network in every vessel that
#     carries more than 1 % of the inflow; the mass balance closes;
#   - summary.json is the same on 2 and 3 ranks as on 1, within 1e-10 of the largest magnitude of each
#     figure; a control run in another posture differs, so the comparison can fail.
source "$(dirname "$0")/lib.bash"
case=cases/clinical/healthy-face.yaml
status=0

for n in 1 2 3; do
  mpiexec -n $n $bin run $case -o "$tmp/face-$n" -quiet -malloc_dump >"$tmp/face-$n.log"
  leaks "$tmp/face-$n.log"
done
s1=$tmp/face-1/summary.json

# physiology of the healthy state
if $bin calibrate meshes/face/calibration.yaml -check "$s1" >"$tmp/checks.txt" 2>&1; then
  sed 's/^/  /' "$tmp/checks.txt"
else
  sed 's/^/  /' "$tmp/checks.txt"
  status=1
fi

# pulsatile against steady, periodic state, mass balance
jq -r '"  periodic state: \(.periodic.cycles) cycles, last cycle-to-cycle change \(.periodic.last_change_Pa) Pa (reached: \(.periodic.reached))",
       "  pulsatile cycle means vs steady network: largest difference \(.steady.max_rel_difference_vs_pulsatile * 100 | tostring | .[0:6]) % in \(.steady.max_rel_difference_at), over the \(.steady.compared_vessels) vessels above 1 % of the inflow (bound 3 %)",
       "  mass balance: relative error \(.mass_balance.balance_rel_error) (bound 1e-12)"' "$s1"
jq -e '.periodic.reached and .steady.max_rel_difference_vs_pulsatile < 0.03 and .steady.compared_vessels >= 20 and .mass_balance.balance_rel_error < 1e-12' "$s1" >/dev/null || {
  echo "  FAILED: periodic state, pulsatile vs steady or mass balance out of bounds"
  status=1
}

# compare A B: every number of every vessel (and its probes), relative to the largest magnitude of the same
# key over the whole summary; prints the worst and fails beyond 1e-10.
compare() {
  jq -n -r --slurpfile a "$1" --slurpfile b "$2" '
    def leaves: [paths(numbers) as $p | {path: $p, key: ($p | map(select(type == "string")) | last), v: getpath($p)}];
    ($a[0].vessels | leaves) as $la | ($b[0].vessels | leaves) as $lb |
    if ($la | length) != ($lb | length) then "different vessels or fields: \($la | length) vs \($lb | length) numbers" | halt_error(1) else . end |
    (reduce $la[] as $x ({}; .[$x.key] = ([.[$x.key] // 0, ($x.v | fabs)] | max))) as $big |
    [range(0; $la | length) as $i | {key: $la[$i].key, d: ((($la[$i].v - $lb[$i].v) | fabs) / (if $big[$la[$i].key] > 0 then $big[$la[$i].key] else 1 end))}] |
    max_by(.d) | "\(length) : largest difference \(.d) (\(.key))", (if .d <= 1e-10 then empty else "FAIL" end)' | sed 's/^[0-9]* : //'
}
for n in 2 3; do
  out=$(compare "$s1" "$tmp/face-$n/summary.json") || true
  echo "  summary, 1 rank vs $n ranks: ${out%%$'\n'FAIL} (bound 1e-10)"
  [[ $out != *FAIL* && $out == *largest* ]] || status=1
done
mpiexec -n 1 $bin run $case -o "$tmp/control" -quiet -patient_posture supine -run_phases pulsatile >/dev/null
jq 'del(.vessels[].steady_flow_m3s, .vessels[].steady_pressure_Pa, .vessels[].steady_pressure_0_Pa, .vessels[].steady_pressure_L_Pa)' "$s1" >"$tmp/pulsatile-only.json"
out=$(compare "$tmp/pulsatile-only.json" "$tmp/control/summary.json") || true
if [[ $out == *FAIL* ]]; then
  echo "  control: supine instead of reclined: ${out%%$'\n'FAIL}"
else
  echo "  control: a run in another posture compared equal: the comparison cannot fail ($out)"
  status=1
fi
exit $status
