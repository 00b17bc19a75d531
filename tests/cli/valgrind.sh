#!/usr/bin/env bash
# The serial unit tests under valgrind's memcheck: no invalid read or write, no use of an uninitialised
# value, no definite or indirect leak. tests/valgrind.supp hides the noise of OpenMPI, PMIx and the
# libraries they load, and nothing of havoc's. One line per program. The tests tagged "slow" (the largest
# generated tree, every pair of face variants: code the other tests run, repeated) are left out, which
# keeps this near 2 minutes on 2 cores (README.md, "Valgrind").
# No -malloc_dump: it keeps every PETSc allocation on a list, so that a leak would look reachable.
source "$(dirname "$0")/lib.bash"
build=${BUILD:-build}

if [[ "$build" == build-asan ]]; then
  printf '  %-34s skipped: ASAN and valgrind do not mix (run it on the normal build)\n' valgrind
  exit 0
fi
if ! command -v valgrind >/dev/null; then
  echo "valgrind is not installed: scripts/install-deps.sh installs it" >&2
  exit 1
fi

vg=(valgrind --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect,possible
  --errors-for-leak-kinds=definite,indirect --num-callers=30 --keep-debuginfo=yes
  --suppressions=tests/valgrind.supp)
[[ -r /usr/share/openmpi/openmpi-valgrind.supp ]] && vg+=(--suppressions=/usr/share/openmpi/openmpi-valgrind.supp)
# Check's fork mode would hide the tests from valgrind; hwloc's x86 backend refuses to run under
# valgrind and says so on stderr.
export CK_FORK=no CK_EXCLUDE_TAGS=slow HWLOC_COMPONENTS=-x86

# One program under valgrind: its log, output and stderr, its exit code and seconds, in $tmp.
memcheck() {
  local t=$1 name t0 t1
  name=$(basename "$t")
  t0=$(date +%s%N)
  "${vg[@]}" --log-file="$tmp/$name.vg" "$t" >"$tmp/$name.out" 2>"$tmp/$name.err"
  echo $? >"$tmp/$name.rc"
  t1=$(date +%s%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) / 1e9 }' >"$tmp/$name.s"
}

programs=()
for t in "$build"/tests/unit/test_*; do
  [[ -x "$t" && ! -d "$t" ]] && programs+=("$t")
done
if [[ ${#programs[@]} -eq 0 ]]; then
  echo "no unit tests in $build/tests/unit: run make build-tests" >&2
  exit 1
fi
# Two at a time (valgrind runs a program on one core), the slowest first so that both cores finish
# together.
order=()
for t in "$build"/tests/unit/test_variants "$build"/tests/unit/test_mesh "${programs[@]}"; do
  [[ -x "$t" && " ${order[*]} " != *" $t "* ]] && order+=("$t")
done
running=0
for t in "${order[@]}"; do
  memcheck "$t" &
  if ((++running >= 2)); then
    wait -n
    running=$((running - 1))
  fi
done
wait

# The figure of a valgrind log: the number after LABEL ("ERROR SUMMARY:", "definitely lost:"), 0 if the
# log has no such line (no leak at all).
figure() {
  local n
  n=$(grep -m1 -o "$1 [0-9,]*" "$2" | grep -o '[0-9,]*$' | tr -d ,)
  echo "${n:-0}"
}

for t in "${programs[@]}"; do
  name=$(basename "$t")
  log=$tmp/$name.vg
  rc=$(cat "$tmp/$name.rc")
  errors=$(figure "ERROR SUMMARY:" "$log")
  definite=$(figure "definitely lost:" "$log")
  indirect=$(figure "indirectly lost:" "$log")
  checks=$(grep -Eo '^[0-9]+%: Checks: [0-9]+' "$tmp/$name.out" | grep -Eo '[0-9]+$')
  if [[ $rc -eq 0 && $errors -eq 0 && $definite -eq 0 && $indirect -eq 0 && -n "$checks" && ! -s "$tmp/$name.err" ]] &&
    grep -Eq '^100%: Checks: [0-9]+, Failures: 0, Errors: 0' "$tmp/$name.out"; then
    printf '  %s: %d errors, %d bytes definitely lost, %d indirectly (%d checks) in %s s\n' "$name" "$errors" "$definite" "$indirect" "$checks" "$(cat "$tmp/$name.s")"
  else
    printf '  %s: FAILED (exit %d): %s errors, %s bytes definitely lost, %s indirectly\n' "$name" "$rc" "$errors" "$definite" "$indirect"
    grep -E '^[0-9]+%: Checks' "$tmp/$name.out" | sed 's/^/      /'
    sed 's/^/    ! /' "$tmp/$name.err" | head -n 10
    # the first errors and leaks, without valgrind's banner
    sed -e '1,/^==[0-9]*== Command:/d' -e '/^==[0-9]*== Parent PID:/d' -e 's/^==[0-9]*== //' -e '/^$/d' "$log" | head -n 60 | sed 's/^/      /'
    status=1
  fi
done
exit $status
