#!/usr/bin/env bash
# make bench: every figure is a ratio against a baseline measured in the same command.
set -eu
cd "$(dirname "$0")/../.."
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
bench=build/tests/bench/bench
echo "havoc benchmarks ($(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'))"
$bench
one=$(mpiexec -n 1 $bench -bench_tree_only | awk '/tree_wall_per_cycle_s/ {print $2}')
two=$(mpiexec -n 2 $bench -bench_tree_only -petscpartitioner_type simple | awk '/tree_wall_per_cycle_s/ {print $2}')
awk -v a="$one" -v b="$two" 'BEGIN { printf "  tree, wall per cycle on 1 rank %.4f s, on 2 ranks %.4f s: speed-up %.2f\n", a, b, a / b }'
