# Helpers for the rank tests (sourced): set -eu, the top of the tree as working directory, the havoc
# binary ($bin), a scratch directory ($tmp) removed on exit,
# leaks LOG: copies the lines of PETSc's -malloc_dump report (memory still allocated at the end) in a
#   run's stdout to stderr, which fails the test, and
# run_ranks CASE OPTIONS...: the case on 1, 2 and 3 ranks (simple partitioner), into $tmp/r1, r2, r3.
set -eu
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
bin=${BIN:-bin}/havoc
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
leaks() {
  grep -E '^\[ *[0-9]+\] [0-9]+ bytes ' "$1" >&2 || true
}
run_ranks() {
  local case_file=$1
  shift
  for n in 1 2 3; do
    mpiexec -n $n $bin run "$case_file" -o "$tmp/r$n" -quiet -petscpartitioner_type simple -malloc_dump "$@" >"$tmp/r$n.log"
    leaks "$tmp/r$n.log"
  done
}
