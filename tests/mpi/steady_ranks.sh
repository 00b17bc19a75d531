#!/usr/bin/env bash
# The steady network solver gives the same flows and end pressures on 1, 2 and 3 ranks, within 1e-10 of the
# largest magnitude, on a generated 50-vessel tree with 6 loops: rigid, compliant, and with occlusions
# (vessel v2 blocked, cutting off a subtree with outlets, and every vessel at node 9 blocked, isolating it).
# Every run checks inside SteadySetUp that each rank owns the same vessels as in the pulsatile network; the
# default partitioner (PT-Scotch) is run too, whose partition the steady network must copy as well.
source "$(dirname "$0")/lib.bash"
tool=${BUILD:-build}/tests/tools/steady_flows

$bin mesh generate -o "$tmp/tree.yaml" -tree_vessels 50 -tree_loops 6 -tree_seed 11 >/dev/null

# compare A B: the largest difference of each column (flow, pressure at x = 0, at x = L) relative to the
# largest magnitude of that column in A; exits 1 beyond 1e-10.
compare() {
  awk -v tol=1e-10 '
    FNR == 1 { file++ }
    /^#/ { next }
    file == 1 { for (c = 2; c <= 4; c++) { a[FNR, c] = $c; m = $c < 0 ? -$c : $c; if (m > big[c]) big[c] = m } }
    file == 2 { for (c = 2; c <= 4; c++) { d = $c - a[FNR, c]; d = d < 0 ? -d : d; if (d > worst[c]) worst[c] = d } n++ }
    END {
      bad = 0
      split("Q p0 pL", name, " ")
      line = sprintf("%d vessels:", n)
      for (c = 2; c <= 4; c++) {
        r = big[c] > 0 ? worst[c] / big[c] : worst[c]
        line = line sprintf(" %s %.1e", name[c - 1], r)
        if (!(r <= tol)) bad = 1
      }
      print line " (bound " tol ")"
      exit bad
    }' "$1" "$2"
}

status=0
run() { # name ranks partitioner options...
  local name=$1 n=$2 part=$3
  shift 3
  mpiexec -n "$n" "$tool" "$tmp/tree.yaml" -o "$tmp/$name-$n-$part.txt" -steady_inlet_value 5e-6 ${part:+-petscpartitioner_type $part} -malloc_dump "$@" >"$tmp/log"
  leaks "$tmp/log"
}
for variant in rigid compliant occluded; do
  case $variant in
    rigid) opts=() ;;
    compliant) opts=(-steady_compliant) ;;
    occluded) opts=(-block v2,v8,v32,v33,a4) ;;
  esac
  run "$variant" 1 simple "${opts[@]}"
  for n in 2 3; do
    for part in simple ptscotch; do
      run "$variant" $n $part "${opts[@]}"
      printf '  %-9s 1 vs %d ranks (%-8s) ' "$variant" $n "$part"
      compare "$tmp/$variant-1-simple.txt" "$tmp/$variant-$n-$part.txt" || status=1
    done
  done
done
grep -h 'rank' "$tmp/log" | sed 's/^/  /'
# The ownership check must be able to fail: a steady partition of its own (simple) against the pulsatile
# network's PT-Scotch partition is an internal error.
if mpiexec -n 3 "$tool" "$tmp/tree.yaml" -o "$tmp/own.txt" -steady_copy_petscpartitioner_type simple >"$tmp/own.log" 2>&1; then
  echo "  control: a steady partition other than the pulsatile one went unnoticed"
  status=1
elif grep -q "does not give every rank the vessels it owns" "$tmp/own.log"; then
  echo "  control: a steady partition other than the pulsatile one is an internal error"
else
  echo "  control: a steady partition other than the pulsatile one failed for another reason:"
  sed 's/^/    /' "$tmp/own.log" | head -5
  status=1
fi
# The comparison must be able to fail: another viscosity changes every flow beyond round-off.
run control 1 simple -steady_blood_viscosity 4.01e-3
if compare "$tmp/rigid-1-simple.txt" "$tmp/control-1-simple.txt" >"$tmp/cmp.txt"; then
  echo "  control: a run with another viscosity compared equal: the comparison cannot fail"
  status=1
else
  echo "  control: a run with another viscosity differs ($(cat "$tmp/cmp.txt"))"
fi
exit $status
