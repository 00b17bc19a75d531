#!/usr/bin/env bash
# make demo: the main job. Until the face network exists it is the common carotid artery of the Boileau
# et al. (2015) benchmark, run to its periodic state; then it shows what was written and where.
set -euo pipefail
cd "$(dirname "$0")/.."
case=cases/benchmarks/boileau-cca.yaml
out=results/boileau-cca

bin/havoc run "$case" -o "$out"
echo
echo "Pressure and flow at the midpoint of the carotid over the last cardiac cycle (every 100 ms):"
bin/havoc probe "$out/result.h5" common_carotid --at 0.5 --cycle last |
  awk -F, 'NR == 1 { printf "  %8s %12s %12s\n", "t [s]", "p [mmHg]", "Q [mL/s]"; next }
           (NR - 2) % 100 == 0 { printf "  %8.3f %12.2f %12.3f\n", $1, $2 / 133.322, $3 * 1e6 }'
echo
echo "Results:"
echo "  $out/result.h5      HDF5: network, probe series (p, Q, A at 0, 0.5, 1 of every vessel), fields"
echo "  $out/summary.json   run, periodic state, mass balance, per-vessel statistics of the last cycle"
echo "Look at them with:"
echo "  bin/havoc probe $out/result.h5 common_carotid --cycle last > waveform.csv"
echo "  h5ls -r $out/result.h5"
