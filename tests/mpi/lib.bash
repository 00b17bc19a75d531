# Helpers for the rank tests (sourced): set -eu, the top of the tree as working directory, the havoc
# binary ($bin), a scratch directory ($tmp) removed on exit, and
# run_ranks CASE OPTIONS...: the case on 1, 2 and 3 ranks (simple partitioner), into $tmp/r1, r2, r3.
set -eu
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
bin=${BIN:-bin}/havoc
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
run_ranks() {
  local case_file=$1
  shift
  for n in 1 2 3; do
    mpiexec -n $n $bin run "$case_file" -o "$tmp/r$n" -quiet -petscpartitioner_type simple -malloc_dump "$@" >/dev/null
  done
}
