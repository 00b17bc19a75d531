#!/usr/bin/env bash
# Bad input to `havoc run`: one clear error naming the file, line or option and what is expected, a
# non-zero exit, and no result left behind.
source "$(dirname "$0")/lib.bash"
cca=meshes/benchmarks/boileau-cca.yaml
inflow=$PWD/meshes/benchmarks/boileau2015/cca-inflow.dat
good() { # a valid case with extra YAML lines appended
  printf 'mesh: %s\ninlet: {type: table, table: %s}\nhemo: {p0: 10.9 kPa, t_end: 0.01 s}\n%s' "$PWD/$cca" "$inflow" "$1" >"$tmp/case.yaml"
}

good ""
expect_ok "a valid case runs (no leaks)" "results in" $havoc run "$tmp/case.yaml" -o "$tmp/ok" -quiet -malloc_dump
check "it writes result.h5 and summary.json" test -s "$tmp/ok/result.h5" -a -s "$tmp/ok/summary.json"

expect_error "missing case file" "cannot open case file '$tmp/nope.yaml'" $havoc run "$tmp/nope.yaml"
expect_error "no case file" "usage: havoc run CASE.yaml" $havoc run
expect_error "unknown choice of an option" "Unknown option foo for -hemo_limiter. Available options: minmod" $havoc run cases/clinical/healthy-face.yaml -o "$tmp/x" -hemo_limiter foo
good "hemo_cfll: 0.5"
expect_error "unknown option in the case" "case.yaml:4: unknown option -hemo_cfll" $havoc run "$tmp/case.yaml" -o "$tmp/x"
good ""
expect_error "unknown option on the command line" "unknown option -hemo_cfll" $havoc run "$tmp/case.yaml" -o "$tmp/x" -hemo_cfll 0.5
good "blood: {density: 1060 m}"
expect_error "wrong unit" "option -blood_density: expected .*got 'm'" $havoc run "$tmp/case.yaml" -o "$tmp/x"
good "blood: {viscosity: -1 Pa s}"
expect_error "non-physical value" "option -blood_viscosity: .*must be >= 0" $havoc run "$tmp/case.yaml" -o "$tmp/x"
good ""
expect_error "unknown phase" "option -run_phases: unknown phase 'transient'" $havoc run "$tmp/case.yaml" -o "$tmp/x" -run_phases pulsatile,transient
expect_error "phases out of order" "option -run_phases: pulsatile must come before steady" $havoc run "$tmp/case.yaml" -o "$tmp/x" -run_phases steady,pulsatile
expect_error "CFL out of range" "option -hemo_cfl: 1.5 is outside" $havoc run "$tmp/case.yaml" -o "$tmp/x" -hemo_cfl 1.5
good "blood: {density: abc}"
expect_error "not a number" "option -blood_density: 'abc'" $havoc run "$tmp/case.yaml" -o "$tmp/x"
printf 'mesh: %s\nhemo: [1, 2\n' "$PWD/$cca" >"$tmp/case.yaml"
expect_error "malformed case YAML" "case.yaml:[0-9]+: YAML syntax error" $havoc run "$tmp/case.yaml"
printf 'hemo: {t_end: 1 s}\n' >"$tmp/case.yaml"
expect_error "case without a network" "no network: set 'mesh: FILE'" $havoc run "$tmp/case.yaml"
printf 'mesh: nowhere.yaml\n' >"$tmp/case.yaml"
expect_error "missing network file" "cannot open network file '$tmp/nowhere.yaml'" $havoc run "$tmp/case.yaml"
printf 'mesh: %s\ninlet: {type: table, table: missing.dat}\n' "$PWD/$cca" >"$tmp/case.yaml"
expect_error "missing inlet table" "cannot open table '$tmp/missing.dat'" $havoc run "$tmp/case.yaml" -o "$tmp/x"
printf '0 1\n0.5 2\n0.4 3\n' >"$tmp/bad.dat"
printf 'mesh: %s\ninlet: {type: table, table: bad.dat}\n' "$PWD/$cca" >"$tmp/case.yaml"
expect_error "malformed inlet table" "bad.dat:3: times must increase" $havoc run "$tmp/case.yaml" -o "$tmp/x"
printf 'mesh: %s\ninlet: {type: pulse, amplitude: 1 mL/s}\n' "$PWD/$cca" >"$tmp/case.yaml"
expect_error "no end time for a pulse" "option -hemo_t_end: the inlet waveform 'pulse' is not periodic" $havoc run "$tmp/case.yaml" -o "$tmp/x"
good $'patient: {posture: 45}\n'
expect_error "posture without a unit" "option -patient_posture: expected supine .* got '45'" $havoc run "$tmp/case.yaml" -o "$tmp/x"
good $'patient: {posture: 100 deg}\n'
expect_error "posture out of range" "option -patient_posture: an elevation of 100 deg is outside \[-90, 90\]" $havoc run "$tmp/case.yaml" -o "$tmp/x"
good $'patient: {gravity: -9.8}\n'
expect_error "negative gravity" "option -patient_gravity: -9.8 m s\^-2 is outside" $havoc run "$tmp/case.yaml" -o "$tmp/x"
good $'patient: {posture: 30 deg}\n'
expect_ok "posture as an angle" "results in" $havoc run "$tmp/case.yaml" -o "$tmp/ok30" -quiet

printf 'mesh: %s\ninlet: {type: table, table: %s}\nhemo: {p0: -200 kPa}\n' "$PWD/$cca" "$inflow" >"$tmp/case.yaml"
expect_error "initial pressure collapses a vessel" "option -hemo_p0: .*collapses vessel 'common_carotid'" $havoc run "$tmp/case.yaml" -o "$tmp/x"

# A numerical fault: suction at the inlet collapses the carotid. The message names the vessel, where
# and when, and the output directory holds no result, not even a temporary file.
printf 'mesh: %s\ninlet: {type: constant, value: -50 mL/s}\nhemo: {p0: 10.9 kPa, t_end: 0.2 s}\n' "$PWD/$cca" >"$tmp/case.yaml"
mkdir -p "$tmp/fault"
expect_error "numerical fault is located" "vessel 'common_carotid' \(line [0-9]+ of .*\).* t = [0-9.e-]+ s" $havoc run "$tmp/case.yaml" -o "$tmp/fault" -quiet
check "a failed run leaves no result behind" test -z "$(ls -A "$tmp/fault" | grep -v '^checkpoint')"
# ... but a checkpoint for diagnosis: the state and the fields at the fault; it cannot be continued
check "fault: checkpoint for diagnosis" jqe '.fault == true and (.reason | test("numerical fault: vessel .common_carotid."))' "$tmp/fault/checkpoint/manifest.json"
check "fault: the fields at the fault in it" test "$(h5dump -H -d /fields/t "$tmp/fault/checkpoint/result.h5" | grep -Eo 'DATASPACE +SIMPLE \{ \( [0-9]+' | grep -Eo '[0-9]+$')" -ge 1
expect_error "restart of a fault's checkpoint" "written at a numerical fault, for diagnosis" $havoc run --restart "$tmp/fault"
expect_error "a cell size that gives too many cells" "the network would have more than 100000000 cells at -network_dx 1e-09 mm \(vessel 'vessel', line 12" $havoc run cases/benchmarks/single-vessel-pulse.yaml -network_dx 1e-9mm -o "$tmp/huge"
exit $status
