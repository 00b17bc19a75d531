#!/usr/bin/env bash
# The default face and its virtual patients from the command line: the network passes its checks, a
# sample is the same file for the same seed and another for another seed, a sampled face and the
# healthy-face case run, and `havoc mesh sample` reports its errors. Everything is written under $tmp.
source "$(dirname "$0")/lib.bash"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
face=meshes/face/default.yaml
inflow=$PWD/meshes/benchmarks/boileau2015/cca-inflow.dat
# has_lines FILE PATTERN...: every extended regular expression matches a line of FILE.
has_lines() {
  local f=$1
  shift
  for p in "$@"; do grep -Eq -- "$p" "$f" || return 1; done
}

groups="angular_artery_l angular_artery_r facial_termination_l facial_termination_r columellar_branch dorsal_nasal_artery"

# --- the default face
expect_ok "mesh check: the default face" "default.yaml: ok \(109 vessels, 96 nodes, 14 loops\)" $havoc mesh check $face -malloc_dump
expect_ok "mesh info: the default face" "territories: +46" $havoc mesh info $face -network_dx 2mm
check "  54 landmarks, 2 inlets, 46 outlets" has_lines "$tmp/out" "landmarks: +54" "inlets: +2" "outlets: +46"
check "  1716 cells at dx = 2 mm" has_lines "$tmp/out" "cells: +1716 at dx = 2 mm"
expect_ok "healthy-face case runs (0.05 s)" "results in" $havoc run cases/clinical/healthy-face.yaml -o "$tmp/healthy" -hemo_t_end 0.05s -quiet -malloc_dump

# --- virtual patients
expect_ok "mesh sample --seed 1 -o FILE" "p1.yaml: virtual patient, seed 1, from meshes/face/variants.yaml" $havoc mesh sample --seed 1 -o "$tmp/p1.yaml" -malloc_dump
missing=$(for g in $groups; do grep -Eq "^  $g +[a-z_]+ +\(prevalence [0-9.]+\)$" "$tmp/out" || printf '%s ' "$g"; done)
check "  prints the option of every group${missing:+ (missing: $missing)}" test -z "$missing"
expect_ok "mesh sample --seed 1 again" "seed 1" $havoc mesh sample --seed 1 -o "$tmp/p1-again.yaml"
check "  the same seed gives the same bytes" cmp -s "$tmp/p1.yaml" "$tmp/p1-again.yaml"
expect_ok "mesh sample --seed 1 to stdout" "^# A virtual patient: havoc mesh sample --seed 1" $havoc mesh sample --seed 1
check "  the same text as the file" cmp -s "$tmp/out" "$tmp/p1.yaml"
expect_ok "mesh sample --seed 2" "seed 2" $havoc mesh sample --seed 2 -o "$tmp/p2.yaml"
check "  another seed gives another network" test -n "$(cmp "$tmp/p1.yaml" "$tmp/p2.yaml")"
expect_ok "the sample passes mesh check" "p1.yaml: ok" $havoc mesh check "$tmp/p1.yaml"
printf 'mesh: p1.yaml\ninlet: {type: table, table: %s}\nhemo: {p0: 12 kPa}\nnetwork: {dx: 2 mm}\n' "$inflow" >"$tmp/sample-case.yaml"
expect_ok "the sample runs (0.05 s)" "results in" $havoc run "$tmp/sample-case.yaml" -o "$tmp/sample" -hemo_t_end 0.05s -quiet -malloc_dump
check "  and writes its results" test -s "$tmp/sample/result.h5" -a -s "$tmp/sample/summary.json"
cp meshes/face/variants.yaml "$tmp/variants.yaml"
sed -i "s|^network: default.yaml|network: $PWD/$face|" "$tmp/variants.yaml"
expect_ok "mesh sample -variants FILE" "seed 1, from $tmp/variants.yaml" $havoc mesh sample --seed 1 -variants "$tmp/variants.yaml" -o "$tmp/p1-elsewhere.yaml"
check "  the same network from a copy of the variants" diff -q <(grep -v '^#' "$tmp/p1.yaml") <(grep -v '^#' "$tmp/p1-elsewhere.yaml")

expect_ok "mesh sample from another directory" "seed 1, from .*meshes/face/variants.yaml" bash -c "cd '$tmp' && '$PWD/$havoc' mesh sample --seed 1 -o p1-outside.yaml"
check "  the shipped variants, found beside the program" diff -q <(grep -v '^#' "$tmp/p1.yaml") <(grep -v '^#' "$tmp/p1-outside.yaml")

# --- calibration
expect_ok "calibrate the default face" "calibrated network in $tmp/cal.yaml" $havoc calibrate meshes/face/calibration.yaml -o "$tmp/cal.yaml" -malloc_dump
check "  the report lists every terminal" test "$(grep -c ' [0-9.e+-]* *[0-9.e+-]* *[0-9.]*e[+-][0-9]* *[0-9.]*e[+-][0-9]* *[0-9.]*e[+-][0-9]*$' "$tmp/out")" -eq 46
check "  and passes every steady check" test "$(grep -c '  ok$' "$tmp/out")" -eq 8
check "  the file says how it was made" grep -q "^# Written by: havoc calibrate meshes/face/calibration.yaml -o $tmp/cal.yaml" "$tmp/cal.yaml"
expect_ok "  and is a valid network" "cal.yaml: ok \(109 vessels" $havoc mesh check "$tmp/cal.yaml"
expect_ok "calibrate a virtual patient" "calibrated network in $tmp/p7-cal.yaml" bash -c "$havoc mesh sample --seed 7 -o '$tmp/p7.yaml' >/dev/null && $havoc calibrate meshes/face/calibration.yaml -network '$tmp/p7.yaml' -o '$tmp/p7-cal.yaml'"
expect_ok "a steady run of the face" "results in" $havoc run cases/clinical/healthy-face.yaml -o "$tmp/steady" -run_phases steady -quiet
expect_ok "calibrate -check a summary" "all 8 checks pass" $havoc calibrate meshes/face/calibration.yaml -check "$tmp/steady/summary.json"
check "  a steady state skips the peak checks" test "$(grep -c 'not evaluated (pulsatile only)' "$tmp/out")" -eq 4
jq '(.vessels[] | select(.name == "ophthalmic_1_l") | .mean_flow_m3s) *= 2' "$tmp/steady/summary.json" >"$tmp/doubled.json"
expect_error "-check: a figure out of range" "1 of the 8 checks of meshes/face/calibration.yaml fail on $tmp/doubled.json" $havoc calibrate meshes/face/calibration.yaml -check "$tmp/doubled.json" -malloc_dump
expect_error "calibrate without -o" "missing -o FILE" $havoc calibrate meshes/face/calibration.yaml
expect_error "calibrate with -o and -check" "-o and -check exclude each other" $havoc calibrate meshes/face/calibration.yaml -o "$tmp/x.yaml" -check "$tmp/steady/summary.json"
expect_error "calibrate: missing file" "cannot open calibration file 'nowhere.yaml'" $havoc calibrate nowhere.yaml -o "$tmp/x.yaml"
expect_error "-check: missing summary" "cannot open run summary '$tmp/none.json'" $havoc calibrate meshes/face/calibration.yaml -check "$tmp/none.json" -malloc_dump
echo '{"format": "something else"}' >"$tmp/other.json"
expect_error "-check: not a summary" "other.json: not a havoc run summary" $havoc calibrate meshes/face/calibration.yaml -check "$tmp/other.json" -malloc_dump
printf 'format: havoc-calibration 1\nnetwork: %s\ninflow: 6.5 mL/s\npressure: 93 mmHg\ntargets:\n  - {vessel: nasal_tip_l, flow: 7 mL/s}\n' "$PWD/$face" >"$tmp/greedy.yaml"
expect_error "calibrate: targets above the inflow" "greedy.yaml: the targets of the terminals nearest inlet 'cca_l' ask for 7 mL/s, more than its 6.5 mL/s" $havoc calibrate "$tmp/greedy.yaml" -o "$tmp/x.yaml" -malloc_dump

# --- errors
expect_error "sample without --seed" "havoc mesh sample: missing --seed S" $havoc mesh sample -o "$tmp/x.yaml"
expect_error "sample with a negative seed" "--seed: expected an integer >= 0, got '-3'" $havoc mesh sample --seed -3
expect_error "sample with a seed that is no number" "--seed: expected an integer >= 0, got '1e3'" $havoc mesh sample --seed 1e3
expect_error "sample: missing variant file" "cannot open variant file 'nowhere.yaml'" $havoc mesh sample --seed 1 -variants nowhere.yaml
printf 'format: havoc-variants 1\nnetwork: %s\ngroups:\n  - name: g\n    source: none\n    options:\n      - {name: x, prevalence: 1, remove: [angular_x]}\n' "$PWD/$face" >"$tmp/bad.yaml"
expect_error "sample: a variant names no vessel" "bad.yaml:7: group 'g', option 'x': remove: no vessel 'angular_x'" $havoc mesh sample --seed 1 -variants "$tmp/bad.yaml"
expect_error "sample: an unused option" "unknown option -tree_seed|option -tree_seed" $havoc mesh sample --seed 1 -tree_seed 3
expect_error "check does not take --seed" "havoc mesh check: unexpected flag --seed" $havoc mesh check $face --seed 1
check "no file left by the failed samples" test ! -e "$tmp/x.yaml"
exit $status
