#!/usr/bin/env bash
# Runs the whole test suite: unit tests (Check), validation against analytic and published results, the
# command line and its error messages, and rank independence under MPI. One line per test, with the
# figures of every validation; a test fails if it exits non-zero, writes anything to stderr or prints a
# leak report of PETSc's -malloc_dump ("[ 0] 48 bytes PetscMalloc() at ...") on stdout.
#   tests/run.sh [--asan] [FILTER]     FILTER: run only tests whose name contains it
set -u
cd "$(dirname "$0")/.."
export BUILD=build BIN=bin
if [[ "${1:-}" == "--asan" ]]; then
  export BUILD=build-asan BIN=bin-asan
  # OpenMPI and PETSc keep allocations until exit: leaks are checked by PETSc's -malloc_dump instead.
  export ASAN_OPTIONS=detect_leaks=0
  shift
fi
filter=${1:-}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1

pass=0
fail=0
failed=()
t_start=$(date +%s)

leak='^\[ *[0-9]+\] [0-9]+ bytes '
run() {
  local name=$1 show=$2
  shift 2
  [[ -n "$filter" && "$name" != *"$filter"* ]] && return 0
  local out err rc t0 t1
  out=$(mktemp)
  err=$(mktemp)
  t0=$(date +%s%N)
  "$@" >"$out" 2>"$err"
  rc=$?
  t1=$(date +%s%N)
  if [[ $rc -eq 0 && ! -s "$err" ]] && ! grep -Eq "$leak" "$out"; then
    pass=$((pass + 1))
    printf 'PASS  %-40s %6.1f s\n' "$name" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')"
    case $show in
      figures) grep -E '^  ' "$out" ;;
      check) grep -E '^[0-9]+%: Checks' "$out" | sed 's/^/  /' ;;
    esac
  else
    fail=$((fail + 1))
    failed+=("$name")
    printf 'FAIL  %-40s (exit %d)\n' "$name" "$rc"
    sed 's/^/  | /' "$out" | tail -n 40
    if [[ -s "$err" ]]; then
      echo "  stderr:"
      sed 's/^/  ! /' "$err" | tail -n 20
    fi
  fi
  rm -f "$out" "$err"
}

echo "== unit tests"
for t in "$BUILD"/tests/unit/test_*; do
  [[ -x "$t" ]] && run "unit/$(basename "$t")" check "$t" -malloc_dump
done
echo "== validation"
for t in "$BUILD"/tests/validation/val_*; do
  [[ -x "$t" ]] && run "validation/$(basename "$t")" figures "$t" -malloc_dump
done
echo "== command line and bad input"
for t in tests/cli/*.sh; do
  run "cli/$(basename "$t" .sh)" figures "$t"
done
echo "== MPI"
for t in tests/mpi/*.sh; do
  run "mpi/$(basename "$t" .sh)" figures "$t"
done

echo
echo "$pass passed, $fail failed in $(($(date +%s) - t_start)) s"
if [[ $fail -gt 0 ]]; then
  printf '  failed: %s\n' "${failed[@]}"
  exit 1
fi
