# Helpers for the command-line tests (sourced). Every check prints one line; a failed check sets status.
set -u
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
havoc=${BIN:-bin}/havoc
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
# a line of PETSc's -malloc_dump report: memory still allocated at the end
leak='^\[ *[0-9]+\] [0-9]+ bytes '

# expect_error LABEL PATTERN CMD...: exit code 1 and exactly one line on stderr, "havoc: error: ...",
# matching the extended regular expression PATTERN. The command runs with -malloc_dump (in PETSC_OPTIONS),
# and memory that the engine (solver/) allocated and did not free on the way out fails the check: a sweep
# runs its cases, failed ones too, one after the other in the same process. Not counted: what is
# allocated where an error ends the process anyway: the post-processing commands (postproc/: render,
# export, compare, report) and the sweep's own table of cases (cmd_sweep.c: an error in the sweep file
# or its options); and PETSc's own copies of an options block's title and prefix (some tens of bytes,
# from src/sys/) when an error is raised inside the block.
own_leaks() {
  grep -E "$leak" "$1" | grep ' at solver/' | grep -v ' at solver/src/cmd_sweep\.c:'
}
expect_error() {
  local label=$1 pattern=$2 rc
  shift 2
  PETSC_OPTIONS="${PETSC_OPTIONS:-} -malloc_dump" "$@" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  if [[ $rc -eq 1 && $(wc -l <"$tmp/err") -eq 1 ]] && grep -Eq "^havoc: error: .*($pattern)" "$tmp/err" && ! own_leaks "$tmp/out" >/dev/null; then
    printf '  %-34s %s\n' "$label" "$(cat "$tmp/err")"
  else
    printf '  %-34s FAILED: exit %d, expected one error matching /%s/, got:\n' "$label" "$rc" "$pattern"
    sed 's/^/      /' "$tmp/err" | head -n 20
    own_leaks "$tmp/out" | head -n 5 | sed 's/^/      leak: /'
    status=1
  fi
}

# expect_ok LABEL PATTERN CMD...: exit code 0, nothing on stderr, stdout matching PATTERN and no leak
# report (with -malloc_dump).
expect_ok() {
  local label=$1 pattern=$2 rc
  shift 2
  "$@" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  if [[ $rc -eq 0 && ! -s "$tmp/err" ]] && grep -Eq -- "$pattern" "$tmp/out" && ! grep -Eq "$leak" "$tmp/out"; then
    printf '  %-34s ok\n' "$label"
  else
    printf '  %-34s FAILED: exit %d, expected output matching /%s/\n' "$label" "$rc" "$pattern"
    sed 's/^/      /' "$tmp/out" | head -n 10
    sed 's/^/    ! /' "$tmp/err" | head -n 10
    grep -E "$leak" "$tmp/out" | head -n 5 | sed 's/^/      leak: /'
    status=1
  fi
}

# check LABEL CONDITION-COMMAND...: a plain assertion.
check() {
  local label=$1
  shift
  if "$@"; then
    printf '  %-34s ok\n' "$label"
  else
    printf '  %-34s FAILED\n' "$label"
    status=1
  fi
}

# jqe FILTER FILE...: jq -e without printing the value (for check).
jqe() {
  jq -e "$@" >/dev/null
}
