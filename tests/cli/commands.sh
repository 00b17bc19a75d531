#!/usr/bin/env bash
# The front end as a user meets it: usage and exit codes, the version, `run -help` with every option and
# its unit, `mesh check|info|generate`, a two-cycle carotid run read back through `probe`, summary.json
# and result.h5, the same run on two ranks, and `make install`. Everything is written under $tmp.
source "$(dirname "$0")/lib.bash"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
cca_case=cases/benchmarks/boileau-cca.yaml
cca_mesh=meshes/benchmarks/boileau-cca.yaml

# expect_exit LABEL CODE PATTERN CMD...: exit code CODE, nothing on stderr, stdout matching PATTERN.
expect_exit() {
  local label=$1 code=$2 pattern=$3 rc
  shift 3
  "$@" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  if [[ $rc -eq $code && ! -s "$tmp/err" ]] && grep -Eq -- "$pattern" "$tmp/out"; then
    printf '  %-34s ok\n' "$label"
  else
    printf '  %-34s FAILED: exit %d (expected %d), expected output matching /%s/\n' "$label" "$rc" "$code" "$pattern"
    sed 's/^/      /' "$tmp/out" | head -n 10
    sed 's/^/    ! /' "$tmp/err" | head -n 10
    status=1
  fi
}

# expect_usage_error LABEL PATTERN CMD...: exit code 2, nothing on stdout and exactly one line on stderr,
# "havoc: error: ...", matching PATTERN.
expect_usage_error() {
  local label=$1 pattern=$2 rc
  shift 2
  "$@" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  if [[ $rc -eq 2 && ! -s "$tmp/out" && $(wc -l <"$tmp/err") -eq 1 ]] && grep -Eq "^havoc: error: .*($pattern)" "$tmp/err"; then
    printf '  %-34s %s\n' "$label" "$(cat "$tmp/err")"
  else
    printf '  %-34s FAILED: exit %d, expected exit 2 and one error matching /%s/, got:\n' "$label" "$rc" "$pattern"
    sed 's/^/      /' "$tmp/out" | head -n 10
    sed 's/^/    ! /' "$tmp/err" | head -n 10
    status=1
  fi
}

# csv_ok FILE [ROWS]: the exact probe header, then ROWS rows (at least one if not given) of four numbers.
csv_ok() {
  [[ $(head -n 1 "$1") == "t_s,p_Pa,q_m3s,a_m2" ]] &&
    awk -F, -v want="${2:-}" '
      NR > 1 {
        n++
        if (NF != 4) bad = 1
        for (i = 1; i <= NF; i++) if ($i !~ /^-?[0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)?$/) bad = 1
      }
      END { exit bad || n == 0 || (want != "" && n != want) }' "$1"
}

# expect_csv LABEL ROWS CMD...: exit 0, nothing on stderr, a probe table of ROWS rows ("" for any) on
# stdout, kept in $tmp/csv.
expect_csv() {
  local label=$1 rows=$2 rc
  shift 2
  "$@" >"$tmp/csv" 2>"$tmp/err"
  rc=$?
  if [[ $rc -eq 0 && ! -s "$tmp/err" ]] && csv_ok "$tmp/csv" "$rows"; then
    printf '  %-34s ok (%d rows)\n' "$label" "$(($(wc -l <"$tmp/csv") - 1))"
  else
    printf '  %-34s FAILED: exit %d, expected the header and %s rows of 4 numbers, got %d lines:\n' "$label" "$rc" "${rows:-some}" "$(wc -l <"$tmp/csv")"
    head -n 3 "$tmp/csv" | sed 's/^/      /'
    sed 's/^/    ! /' "$tmp/err" | head -n 10
    status=1
  fi
}

# all_lines FILE TEXT...: every TEXT starts a line of FILE, after spaces.
all_lines() {
  local f=$1
  shift
  for t in "$@"; do grep -Eq "^ *$(sed 's/[.[\*^$]/\\&/g' <<<"$t")" "$f" || return 1; done
}

# first_t FILE: the time of the first row of a probe table.
first_t() { sed -n '2p' "$1" | cut -d, -f1; }

# reader_leaves LABEL CMD...: the reader of stdout goes away at once (like `| head` that has what it
# needs); the command must stop quietly: nothing on stderr.
reader_leaves() {
  local label=$1
  shift
  { "$@" | true; } 2>"$tmp/err"
  if [[ ! -s "$tmp/err" ]]; then
    printf '  %-34s ok\n' "$label"
  else
    printf '  %-34s FAILED: wrote to stderr:\n' "$label"
    sed 's/^/      /' "$tmp/err" | head -n 5
    status=1
  fi
}

# Every check, one line each; run below with its output kept for the list of failures.
checks() {
# --- usage, version, unknown command
expect_exit "havoc --help" 0 "^usage:" $havoc --help
check "  names every command" all_lines "$tmp/out" "havoc run CASE.yaml" "havoc run -help" "havoc mesh check FILE" \
  "havoc mesh info FILE" "havoc mesh generate -o FILE" "havoc probe RESULT.h5 VESSEL" "havoc version"
$havoc >"$tmp/out" 2>&1
rc=$?
check "havoc alone: usage, exit 2" test $rc -eq 2 -a -n "$(grep '^usage:' "$tmp/out")"
expect_exit "havoc version" 0 "^havoc $(cat VERSION) \(.+\)$" $havoc version
check "version is one line" test "$(wc -l <"$tmp/out")" -eq 1
expect_usage_error "unknown command" "unknown command 'frobnicate'.*run, mesh, probe" $havoc frobnicate

# --- run -help: every option, with the unit of every quantity in brackets
expect_exit "havoc run -help" 0 "^havoc run:" $havoc run -help
cp "$tmp/out" "$tmp/help"
options="-mesh -o -case_name -case_description -quiet -output_field_dt -blood_density -blood_viscosity
  -hemo_flux -hemo_limiter -hemo_cfl -hemo_t_end -hemo_cycles -hemo_zeta -hemo_p0 -hemo_junction_pressure
  -hemo_junction_ptol -hemo_junction_qtol -hemo_junction_maxit -inlet_quantity -inlet_type -inlet_table
  -inlet_interpolation -inlet_period -inlet_value -inlet_ramp -inlet_amplitude -inlet_pulse_time
  -inlet_pulse_width -network_dx -network_min_cells -output_probe_dt -output_probe_fractions
  -hemo_periodic_tol -hemo_min_cycles -bolus_vessel -bolus_position -bolus_point -bolus_snap_tolerance
  -bolus_volume -bolus_rate -bolus_duration -bolus_pressure_cap -bolus_venous_pressure -bolus_start
  -bolus_product -bolus_concentration -bolus_storage_modulus -bolus_yield_stress -bolus_viscosity
  -bolus_fragment_size -bolus_permeability -bolus_min_fragment_volume -bolus_acute_time -bolus_settle_cycles
  -bolus_still_tolerance -bolus_bed_transit_time -bolus_record_dt -tissue_t_end -tissue_dx -tissue_dt
  -tissue_perfusion -tissue_skin_necrosis_time -tissue_retina_infarct_time -tissue_necrotic_fraction
  -tissue_ischemic_ratio -tissue_capillary_refill -tissue_capillary_refill_max -tissue_report_times
  -tissue_o2_solubility -tissue_o2_diffusivity -tissue_o2_consumption -tissue_o2_consumption_max
  -tissue_o2_consumption_half -tissue_o2_consumption_rate -tissue_o2_arterial -tissue_o2_hb_capacity
  -tissue_o2_blood_solubility -tissue_o2_p50 -tissue_o2_hill -tissue_o2_surface -tissue_o2_surface_pressure
  -tissue_o2_surface_conductance -tissue_o2_thickness"
missing=$(for o in $options; do grep -Eq -- "^  $o[ :<]" "$tmp/help" || printf '%s ' "$o"; done)
check "run -help lists all $(wc -w <<<"$options") options${missing:+ (missing: $missing)}" test -z "$missing"
unit_of() { # OPTION UNIT: the option's help line ends with "[UNIT] (...)"
  grep -E -- "^  $1 <" "$tmp/help" | grep -qF -- "[$2] ("
}
for ou in -hemo_t_end:s -hemo_p0:Pa "-blood_density:kg m^-3" "-blood_viscosity:Pa s" -network_dx:m \
  -output_probe_dt:s -output_field_dt:s -hemo_periodic_tol:Pa -inlet_value:"m^3 s^-1" -inlet_period:s \
  -inlet_ramp:s -hemo_junction_ptol:Pa "-hemo_junction_qtol:m^3 s^-1" "-bolus_volume:m^3" "-bolus_rate:m^3 s^-1" \
  -bolus_duration:s -bolus_pressure_cap:Pa -bolus_venous_pressure:Pa -bolus_start:s "-bolus_concentration:kg m^-3" \
  -bolus_storage_modulus:Pa -bolus_yield_stress:Pa "-bolus_viscosity:Pa s" -bolus_fragment_size:m -bolus_permeability:m^2 \
  -bolus_min_fragment_volume:m^3 -bolus_acute_time:s -bolus_still_tolerance:m -bolus_bed_transit_time:s -bolus_record_dt:s \
  -bolus_snap_tolerance:m -bolus_point:m -tissue_t_end:s -tissue_dx:m -tissue_dt:s -tissue_perfusion:s^-1 \
  -tissue_skin_necrosis_time:s -tissue_retina_infarct_time:s -tissue_capillary_refill:s "-tissue_o2_solubility:mol m^-3 Pa^-1" \
  "-tissue_o2_diffusivity:m^2 s^-1" "-tissue_o2_consumption_max:mol m^-3 s^-1" -tissue_o2_consumption_half:Pa \
  -tissue_o2_arterial:Pa "-tissue_o2_hb_capacity:mol m^-3" -tissue_o2_p50:Pa -tissue_o2_surface_pressure:Pa \
  "-tissue_o2_surface_conductance:mol m^-2 s^-1 Pa^-1" -tissue_o2_thickness:m; do
  check "  ${ou%%:*} [${ou#*:}]" unit_of "${ou%%:*}" "${ou#*:}"
done
check "-hemo_cfl is listed" grep -Eq -- "^  -hemo_cfl <now 0.9" "$tmp/help"
check "-inlet_type lists the waveforms" grep -Eq -- "^  -inlet_type <.*table constant pulse sine" "$tmp/help"
check "-inlet_table takes a file" grep -Eq -- "^  -inlet_table <.*file with two columns" "$tmp/help"
check "-quiet is a flag" grep -Eq -- "^  -quiet: <FALSE" "$tmp/help"
# The defaults shown are the ones in force: the probe fractions are 0, 0.5 and 1.
check "-output_probe_fractions default" grep -Eq -- "^  -output_probe_fractions <(now )?0,0.5,1" "$tmp/help"
check "no '(null)' in run -help" test -z "$(grep -F '(null)' "$tmp/help")"
reader_leaves "run -help | head: quiet stop" $havoc run -help

# --- mesh check, info, generate (every network file; meshes/ also holds variant files)
for f in $(grep -rlE --include='*.yaml' '^format: +havoc-network' meshes | sort); do
  expect_ok "mesh check ${f#meshes/}" "^$f: ok \(" $havoc mesh check "$f"
done
expect_ok "mesh info carotid" "vessels: +1$" $havoc mesh info $cca_mesh
cells=$(sed -nE 's/^ +cells: +([0-9]+) at dx = 1 mm.*/\1/p' "$tmp/out")
check "  126 cells at the default 1 mm" test "$cells" = 126
expect_ok "mesh info -network_dx 0.5mm" "cells: +[0-9]+ at dx = 0.5 mm" $havoc mesh info $cca_mesh -network_dx 0.5mm
check "  twice the cells" test "$(sed -nE 's/^ +cells: +([0-9]+) .*/\1/p' "$tmp/out")" = $((2 * cells))
# 30 tree vessels and 3 anastomoses
gen="-tree_vessels 30 -tree_loops 3 -tree_seed 7"
expect_ok "mesh generate" "gen-a.yaml: 33 vessels, .* 3 loops" $havoc mesh generate -o "$tmp/gen-a.yaml" $gen
expect_ok "  what it writes passes mesh check" "ok \(33 vessels, [0-9]+ nodes, 3 loops\)" $havoc mesh check "$tmp/gen-a.yaml"
$havoc mesh generate -o "$tmp/gen-b.yaml" $gen >/dev/null
check "  same seed, same bytes" cmp -s "$tmp/gen-a.yaml" "$tmp/gen-b.yaml"

# --- a short carotid run and everything that reads it
out=$tmp/cca
expect_ok "run carotid, 2 cycles" "^havoc: results in $out/ " $havoc run $cca_case -hemo_cycles 2 -o "$out" -quiet
check "  result.h5 and summary.json" test -s "$out/result.h5" -a -s "$out/summary.json"
h5=$out/result.h5
# two cycles of 1.1 s sampled every 1 ms, both ends included
expect_csv "probe (middle)" 2201 $havoc probe "$h5" common_carotid
check "  starts at t = 0" test "$(first_t "$tmp/csv")" = 0
expect_csv "probe --at 0" 2201 $havoc probe "$h5" common_carotid --at 0
cp "$tmp/csv" "$tmp/at0.csv"
expect_csv "probe --at 1" 2201 $havoc probe "$h5" common_carotid --at 1
check "  --at 0 and --at 1 differ" test -n "$(cmp "$tmp/csv" "$tmp/at0.csv")"
expect_csv "probe --cycle last" 1100 $havoc probe "$h5" common_carotid --cycle last
check "  starts at t = 0" test "$(first_t "$tmp/csv")" = 0
cp "$tmp/csv" "$tmp/last.csv"
expect_csv "probe --cycle 2" 1100 $havoc probe "$h5" common_carotid --cycle 2
check "  is the last cycle" cmp -s "$tmp/csv" "$tmp/last.csv"
expect_csv "probe --cycle 1" 1100 $havoc probe "$h5" common_carotid --cycle 1
check "  starts at t = 0" test "$(first_t "$tmp/csv")" = 0
reader_leaves "probe | head: quiet stop" $havoc probe "$h5" common_carotid
expect_error "probe --cycle 9" "--cycle 9: .*from 1 to 2" $havoc probe "$h5" common_carotid --cycle 9
expect_error "probe of an unknown vessel" "no vessel 'carotid' \(it has 1: common_carotid\)" $havoc probe "$h5" carotid
expect_error "probe --at 0.3" "no probe at fraction 0.3 .*recorded fractions: 0, 0.5, 1" $havoc probe "$h5" common_carotid --at 0.3
expect_error "probe of a missing result" "cannot open result file '$tmp/none/result.h5'" $havoc probe "$tmp/none/result.h5" common_carotid

json=$out/summary.json
js() { jq -e "$1" "$json" >/dev/null; }
check "summary.json is JSON" js "."
check "  its documented keys" js 'has("format") and has("format_version") and has("case") and has("version") and has("ranks") and has("wall_time_s") and has("run") and has("periodic") and has("mass_balance") and has("vessels")'
check "  format havoc-summary 1" js '.format == "havoc-summary" and .format_version == 1'
check "  mass balance error < 1e-12" js '.mass_balance.balance_rel_error >= 0 and .mass_balance.balance_rel_error < 1e-12'
check "  vessel common_carotid, with means" js '[.vessels[].name] == ["common_carotid"] and (.vessels[0] | has("mean_flow_m3s") and has("mean_pressure_Pa") and has("mean_velocity_ms"))'
check "  its mean flow is the inflow's (1 %)" js '(.vessels[0].mean_flow_m3s - 6.5e-6 | fabs) < 6.5e-8'
printf '      balance_rel_error %s\n' "$(jq .mass_balance.balance_rel_error "$json")"
h5ls -r "$h5" >"$tmp/h5ls"
for d in /network/vessel_name /probes/p /fields/p; do
  check "result.h5 has $d" grep -Eq "^$d +Dataset" "$tmp/h5ls"
done
check "  /probes/p units Pa" test "$(h5dump -a /probes/p/units "$h5" | sed -nE 's/^ *\(0\): "(.*)"$/\1/p')" = Pa

# --- the same run on two ranks: one result, announced once
out2=$tmp/cca-2
expect_ok "mpiexec -n 2 run carotid" "^havoc: results in $out2/ " mpiexec -n 2 $havoc run $cca_case -hemo_cycles 2 -o "$out2" -quiet
check "  results announced once" test "$(grep -c 'results in' "$tmp/out")" -eq 1
check "  every line once" test -z "$(sort "$tmp/out" | uniq -d)"
check "  summary says 2 ranks" jqe '.ranks == 2' "$out2/summary.json"
expect_csv "  probe --cycle last" 1100 $havoc probe "$out2/result.h5" common_carotid --cycle last

# --- progress: a line on a terminal (script gives the run one), none when stderr is a file or pipe
script -qfec "$havoc run $cca_case -network_dx 0.1mm -hemo_cycles 1 -o $tmp/progress" /dev/null >"$tmp/tty" 2>&1
check "progress on a terminal" grep -q "steps/s" "$tmp/tty"
check "  with the time left" grep -q "s left" "$tmp/tty"
$havoc run $cca_case -network_dx 0.1mm -hemo_cycles 1 -o "$tmp/progress" >/dev/null 2>"$tmp/notty"
check "  none when stderr is not a terminal" test ! -s "$tmp/notty"

# --- bad case paths
expect_error "a directory as the case" "case file '$tmp': Is a directory" $havoc run "$tmp"

# --- make install
make -s --no-print-directory install PREFIX="$tmp/inst" $([[ ${BIN:-bin} == bin-asan ]] && echo ASAN=1) >"$tmp/install.log" 2>&1
check "make install PREFIX=..." test $? -eq 0 -a -x "$tmp/inst/bin/havoc"
expect_ok "  installed havoc version" "^havoc $(cat VERSION) " "$tmp/inst/bin/havoc" version
return $status
}

# The failed checks again at the end, where a test runner that shows only the tail will see them.
checks | tee "$tmp/log"
status=${PIPESTATUS[0]}
sed -nE 's/^  ( *[^ ].*[^ ]) +FAILED.*/  failed: \1/p' "$tmp/log"
exit $status
