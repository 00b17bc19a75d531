#!/usr/bin/env bash
# The regression suite (docs/postproc.md, "Regression suite: havoc compare and make regress"): every case
# of cases/ on 1 and 2 ranks, compared with `havoc compare` against its reference in tests/regression/.
#   scripts/regress.sh [--replace] [NAME...]     NAME: only the cases whose name contains it
# --replace (make regress REPLACE=1) first regenerates each reference from the 1-rank run, then compares
# both runs with it as usual. A reference (tests/regression/CASE/) holds:
#   summary.json        the run's summary
#   result.h5           a reduced copy of its result.h5 (gzip): /steady/flow, /tissue/zone, /fields/p
#   probe_VESSEL.csv    the last cycle (the whole series without a periodic inlet), every 5th sample, at
#                       the middle of VESSEL (havoc probe); regenerating keeps the vessels of the
#                       existing files, a new reference takes the first vessel, the bolus's vessel and
#                       the last vessel
# Tolerances: havoc compare's defaults (rtol 1e-9 of each field's scale, atol 0), and the lines of
# tests/regression/tolerances ("CASE --rtol|--atol|--ignore VALUE"). Prints per case and rank count the
# worst difference and its field; exits 1 if any comparison failed.
set -u -o pipefail
cd "$(dirname "$0")/.."
bin=${BIN:-bin}/havoc
refs=tests/regression
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
replace=0
if [[ "${1:-}" == "--replace" ]]; then
  replace=1
  shift
fi
filters=("$@")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
[[ -x "$bin" ]] || {
  echo "regress: $bin not found (make first)" >&2
  exit 1
}
for t in jq h5copy h5repack; do
  command -v $t >/dev/null || {
    echo "regress: $t not found (make deps)" >&2
    exit 1
  }
done

status=0
t_start=$(date +%s)

# probes RUN_DIR REF_DIR: the CSVs of the reference, from the run (into RUN_DIR)
probes() {
  local run=$1 ref=$2 f v
  for f in "$ref"/probe_*.csv; do
    [[ -e "$f" ]] || continue
    v=$(basename "$f" .csv)
    v=${v#probe_}
    probe "$run/result.h5" "$v" >"$run/probe_$v.csv" 2>"$run/probe.err" || {
      echo "  $name: havoc probe $v: $(tail -n 1 "$run/probe.err")"
      return 1
    }
  done
}

# probe RESULT.h5 VESSEL: the last cycle at the middle of VESSEL (the whole series if not periodic),
# every 5th sample (5 ms at the default interval) to keep the references small
probe() {
  { $bin probe "$1" "$2" --cycle last 2>/dev/null || $bin probe "$1" "$2"; } | awk "NR == 1 || (NR - 2) % 5 == 0"
}

# make_reference RUN_DIR REF_DIR: writes the reference anew (a failure leaves the old one)
make_reference() {
  local run=$1 ref=$2 new=$tmp/new-ref vessels=() d f v
  for f in "$ref"/probe_*.csv; do
    [[ -e "$f" ]] && vessels+=("$(basename "$f" .csv | sed 's/^probe_//')")
  done
  # vessels the run no longer has are dropped (with none left, the automatic choice below)
  mapfile -t vessels < <(jq -r '[.vessels[].name] as $have | $ARGS.positional[] | select(. as $v | $have | index([$v]))' "$run/summary.json" --args "${vessels[@]}")
  if [[ ${#vessels[@]} -eq 0 ]]; then
    mapfile -t vessels < <(jq -r '[.vessels[0].name, (.bolus.tip.vessel // empty), .vessels[-1].name] | unique[]' "$run/summary.json")
  fi
  rm -rf "$new" "$tmp/reduced.h5"
  mkdir -p "$new"
  cp "$run/summary.json" "$new/summary.json"
  for d in /steady/flow /tissue/zone /fields/p; do
    if h5ls "$run/result.h5$d" >/dev/null 2>&1; then
      h5copy -p -i "$run/result.h5" -o "$tmp/reduced.h5" -s "$d" -d "$d" || return 1
    fi
  done
  if [[ -f "$tmp/reduced.h5" ]]; then
    h5repack -f GZIP=9 "$tmp/reduced.h5" "$new/result.h5" || return 1
  fi
  for v in "${vessels[@]}"; do
    probe "$run/result.h5" "$v" >"$new/probe_$v.csv" || return 1
  done
  # a file whose content did not change is kept as it was (no churn of dates, wall times, HDF5 headers)
  for f in "$new"/*; do
    d=$ref/$(basename "$f")
    if [[ -f "$d" ]] && $bin compare "$d" "$f" --rtol 0 >/dev/null 2>&1 && $bin compare "$f" "$d" --rtol 0 >/dev/null 2>&1; then
      cp -p "$d" "$f"
    fi
  done
  rm -rf "$ref"
  mkdir -p "$(dirname "$ref")"
  mv "$new" "$ref"
}

# the extra havoc compare arguments of a case, from tests/regression/tolerances
tolerances() {
  [[ -f $refs/tolerances ]] || return 0
  awk -v c="$1" '!/^[[:space:]]*(#|$)/ && $1 == c { print $2; print $3 }' $refs/tolerances
}

for case_file in cases/benchmarks/*.yaml cases/clinical/*.yaml; do
  name=$(basename "$case_file" .yaml)
  if [[ ${#filters[@]} -gt 0 ]]; then
    keep=0
    for f in "${filters[@]}"; do [[ "$name" == *"$f"* ]] && keep=1; done
    [[ $keep -eq 1 ]] || continue
  fi
  ref=$refs/$name
  mapfile -t extra < <(tolerances "$name")
  for n in 1 2; do
    run=$tmp/$name-$n
    t0=$(date +%s)
    if ! mpiexec -n $n $bin run "$case_file" -o "$run" -quiet >"$tmp/run.out" 2>"$tmp/run.err"; then
      echo "  $name, $n rank(s): the run failed: $(tail -n 1 "$tmp/run.err")"
      status=1
      break
    fi
    t_run=$(($(date +%s) - t0))
    if [[ $replace -eq 1 && $n -eq 1 ]]; then
      if ! make_reference "$run" "$ref" 2>"$tmp/ref.err"; then
        echo "  $name: could not write the reference: $(tail -n 1 "$tmp/ref.err")"
        status=1
        break
      fi
      echo "  $name: reference regenerated from the 1-rank run ($(du -sk "$ref" | cut -f1) kB)"
    fi
    if [[ ! -d "$ref" ]]; then
      echo "  $name: no reference in $ref (make regress REPLACE=1 writes it)"
      status=1
      break
    fi
    probes "$run" "$ref" || {
      status=1
      continue
    }
    if $bin compare "$ref" "$run" "${extra[@]}" >"$tmp/cmp.out" 2>"$tmp/cmp.err"; then
      worst=$(sed -nE 's/^  within tolerance: //p' "$tmp/cmp.out" |
        sed -E 's/^worst [^ ]+ ([^:]+): \|B - A\| = [^ ]+ \(([^ ]+) relative;.*\), ([^ ]+) of the tolerance \((.*)\)$/worst \1: \2 relative, \3 of the tolerance (\4)/')
      printf '  %-20s %d rank%s %4d s: %s\n' "$name" $n "$([[ $n -gt 1 ]] && echo s || echo ' ')" "$t_run" "$worst"
    else
      printf '  %-20s %d rank%s %4d s: FAILED: %s\n' "$name" $n "$([[ $n -gt 1 ]] && echo s || echo ' ')" "$t_run" "$(cat "$tmp/cmp.err")"
      grep -v 'all identical' "$tmp/cmp.out" | sed 's/^  /      /'
      status=1
    fi
    rm -rf "$run"
  done
done
echo "regress: $([[ $status -eq 0 ]] && echo passed || echo FAILED) in $(($(date +%s) - t_start)) s"
exit $status
