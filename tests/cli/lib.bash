# Helpers for the command-line tests (sourced). Every check prints one line; a failed check sets status.
set -u
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
havoc=${BIN:-bin}/havoc
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0

# expect_error LABEL PATTERN CMD...: exit code 1 and exactly one line on stderr, "havoc: error: ...",
# matching the extended regular expression PATTERN.
expect_error() {
  local label=$1 pattern=$2 rc
  shift 2
  "$@" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  if [[ $rc -eq 1 && $(wc -l <"$tmp/err") -eq 1 ]] && grep -Eq "^havoc: error: .*($pattern)" "$tmp/err"; then
    printf '  %-34s %s\n' "$label" "$(cat "$tmp/err")"
  else
    printf '  %-34s FAILED: exit %d, expected one error matching /%s/, got:\n' "$label" "$rc" "$pattern"
    sed 's/^/      /' "$tmp/err" | head -n 20
    status=1
  fi
}

# expect_ok LABEL PATTERN CMD...: exit code 0, nothing on stderr, stdout matching PATTERN.
expect_ok() {
  local label=$1 pattern=$2 rc
  shift 2
  "$@" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  if [[ $rc -eq 0 && ! -s "$tmp/err" ]] && grep -Eq -- "$pattern" "$tmp/out"; then
    printf '  %-34s ok\n' "$label"
  else
    printf '  %-34s FAILED: exit %d, expected output matching /%s/\n' "$label" "$rc" "$pattern"
    sed 's/^/      /' "$tmp/out" | head -n 10
    sed 's/^/    ! /' "$tmp/err" | head -n 10
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
