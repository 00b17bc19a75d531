#!/usr/bin/env bash
# The same case on 1, 2 and 3 ranks gives the same probe series and fields within 1e-12 relative: the
# carotid benchmark (one vessel, so two ranks hold none) and a generated 50-vessel tree with loops.
source "$(dirname "$0")/lib.bash"
cmp=${BUILD:-build}/tests/tools/compare_results

$bin mesh generate -o "$tmp/tree.yaml" -tree_vessels 50 -tree_loops 6 -tree_seed 11 >/dev/null
cat >"$tmp/tree-case.yaml" <<CASE
mesh: tree.yaml
inlet: {type: table, table: $PWD/meshes/benchmarks/boileau2015/cca-inflow.dat}
hemo: {p0: 12 kPa, t_end: 0.6 s}
output: {field_dt: 0.1 s}
CASE
cat >"$tmp/cca-case.yaml" <<CASE
mesh: $PWD/meshes/benchmarks/boileau-cca.yaml
inlet: {type: table, table: $PWD/meshes/benchmarks/boileau2015/cca-inflow.dat}
hemo: {p0: 10.9 kPa, t_end: 1.1 s}
output: {field_dt: 0.11 s}
CASE

status=0
for c in cca tree; do
  for n in 1 2 3; do
    mpiexec -n $n $bin run "$tmp/$c-case.yaml" -o "$tmp/$c-$n" -quiet -petscpartitioner_type simple -malloc_dump >"$tmp/$c-$n.log"
    leaks "$tmp/$c-$n.log"
  done
  for n in 2 3; do
    echo "  $c: 1 rank vs $n ranks"
    $cmp "$tmp/$c-1/result.h5" "$tmp/$c-$n/result.h5" 1e-12 || status=1
  done
done
# The comparison must be able to fail: a run with a different time step differs beyond round-off.
mpiexec -n 1 $bin run "$tmp/cca-case.yaml" -o "$tmp/cca-cfl" -quiet -hemo_cfl 0.8 >/dev/null
if $cmp "$tmp/cca-1/result.h5" "$tmp/cca-cfl/result.h5" 1e-12 >"$tmp/cmp.txt"; then
  echo "  control: a run with another CFL number compared equal: the comparison cannot fail"
  status=1
else
  echo "  control: a run with another CFL number differs ($(grep -m1 '/probes/p ' "$tmp/cmp.txt" | sed 's/^ *//'))"
fi
exit $status
