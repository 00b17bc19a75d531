#!/usr/bin/env bash
# Fuzzing the readers of untrusted text (tests/fuzz): the network-file reader (fuzz_mesh) and the case-file,
# unit and quantity parsers (fuzz_case), libFuzzer targets built with clang, address and undefined-behaviour
# sanitizers (make fuzz-build, in build-fuzz/). Every input of tests/fuzz/regressions/TARGET/ is replayed,
# then each target is fuzzed for its share of FUZZ_SECONDS (default 60) from the seed corpus of meshes/
# and cases/ and the corpus kept in build-fuzz/corpus/TARGET, into which the inputs that add coverage are
# merged. A crash, a sanitizer report, a leak, a PETSc error that is not a user-input error or an input
# that takes more than 10 s fails the test with the path of the reproducer: fix the parser, then add the
# input to tests/fuzz/regressions/TARGET/.
source "$(dirname "${BASH_SOURCE[0]}")/lib.bash"

seconds=${FUZZ_SECONDS:-60}
out=build-fuzz
targets=(fuzz_mesh fuzz_case)
share=$((seconds / ${#targets[@]}))
((share >= 1)) || share=1

export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 # also when run by make fuzz
# The test suite may run under --asan, which turns leak checking off for OpenMPI; the targets keep it on
# (they ignore what MPI_Init allocates).
export ASAN_OPTIONS=detect_leaks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

if ! make --no-print-directory fuzz-build >"$tmp/build.log" 2>&1; then
  echo "  make fuzz-build FAILED:"
  sed 's/^/      /' "$tmp/build.log" | tail -n 30
  exit 1
fi

# Seeds: the shipped files, and quantities, units and points for the first line of fuzz_case.
mkdir -p "$tmp/seeds/fuzz_mesh" "$tmp/seeds/fuzz_case"
cp meshes/*/*.yaml "$tmp/seeds/fuzz_mesh/"
cp cases/*/*.yaml "$tmp/seeds/fuzz_case/"
i=0
for q in '126 mm' '10.9 kPa' '2.4875e8 Pa s m^-3' '45 uL/min|m^3/s' '0.15 mL' '9 h|s' '4 mPa s' '6,12,4 mm' \
  '6 mm, 12 mm, 4 mm' '1.2e-10 m^3 Pa^-1' '30 deg|rad' '100 U/mL|U m^-3' '3.3 s'; do
  printf '%s\n' "$q" >"$tmp/seeds/fuzz_case/quantity$((i++))"
done

# replay TARGET FILE...: runs each input once; a crash fails.
replay() {
  local target=$1
  shift
  if "$out/tests/fuzz/$target" -timeout=10 "$@" >"$tmp/$target.replay.log" 2>&1; then
    printf '  %s: replayed %d regression input%s, 0 crashes\n' "$target" $# "$([[ $# -eq 1 ]] || echo s)"
  else
    printf '  %s: a regression input fails again:\n' "$target"
    grep -E 'Running:|ERROR|runtime error|SUMMARY|fuzz_[a-z]+:|fuzz:' "$tmp/$target.replay.log" | head -n 20 | sed 's/^/      /'
    status=1
  fi
}

for target in "${targets[@]}"; do
  shopt -s nullglob
  inputs=(tests/fuzz/regressions/"$target"/*)
  shopt -u nullglob
  ((${#inputs[@]})) && replay "$target" "${inputs[@]}"
done

for target in "${targets[@]}"; do
  corpus=$out/corpus/$target
  artifacts=$out/artifacts/$target
  log=$tmp/$target.log
  mkdir -p "$corpus" "$artifacts" "$tmp/new/$target"
  # New inputs go to a scratch directory; those that add coverage are merged into the kept corpus after.
  timeout $((share + 120)) "$out/tests/fuzz/$target" -max_total_time="$share" -max_len=8192 -timeout=10 \
    -rss_limit_mb=2048 -dict=tests/fuzz/havoc.dict -print_final_stats=1 -artifact_prefix="$artifacts/" \
    "$tmp/new/$target" "$corpus" "$tmp/seeds/$target" >"$log" 2>&1
  rc=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -n 1 | grep -oE '[0-9]+')
  if [[ $rc -eq 0 ]]; then
    log=$tmp/$target.merge.log
    timeout 300 "$out/tests/fuzz/$target" -merge=1 -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
      -artifact_prefix="$artifacts/" "$corpus" "$tmp/new/$target" >"$log" 2>&1
    rc=$?
  fi
  ninputs=$(find "$corpus" -type f | wc -l)
  if [[ $rc -eq 0 ]]; then
    printf '  %s: %s runs in %d s, coverage %s edges, corpus %d inputs, 0 crashes\n' "$target" "${runs:-0}" "$share" "${cov:-?}" "$ninputs"
  else
    reproducer=$(sed -n 's/.*Test unit written to //p' "$log" | tail -n 1)
    printf '  %s: FAILED (exit %d) after %s runs; reproducer: %s\n' "$target" "$rc" "${runs:-?}" "${reproducer:-none written}"
    grep -E 'ERROR|runtime error|SUMMARY|ALARM|fuzz_[a-z]+:|fuzz:|out-of-memory' "$log" | head -n 20 | sed 's/^/      /'
    echo "      replay: $out/tests/fuzz/$target ${reproducer:-INPUT}; once fixed, copy it into tests/fuzz/regressions/$target/"
    status=1
  fi
done
exit $status
