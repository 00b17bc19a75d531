#!/usr/bin/env bash
# make demo: the main job, the healthy default face (cases/clinical/healthy-face.yaml): pulsatile flow in
# both hemifaces to the periodic state, then the steady network; it prints the healthy state of the
# vessels that matter for filler embolism, checks it against the published ranges of the calibration file,
# and shows what was written and where.
set -euo pipefail
cd "$(dirname "$0")/.."
case=cases/clinical/healthy-face.yaml
out=results/healthy-face

bin/havoc run "$case" -o "$out"
echo
echo "The healthy face, left side (cycle means of the periodic state; PSV: peak centreline velocity):"
jq -r '["vessel", "flow [mL/min]", "pressure [mmHg]", "mean u [cm/s]", "PSV [cm/s]"],
       (.vessels[] | select(.name | test("^(cca|ica|eca|facial_1|facial_3|superior_labial|angular|ophthalmic_1|central_retinal|supratrochlear|dorsal_nasal|supraorbital)_l$"))
        | [.name, (.mean_flow_m3s * 6e7), (.mean_pressure_Pa / 133.322), (.mean_velocity_ms * 100), (.peak_centreline_velocity_ms * 100)])
       | @tsv' "$out/summary.json" |
  awk -F'\t' 'NR == 1 { printf "  %-18s %14s %16s %14s %11s\n", $1, $2, $3, $4, $5; next }
              { printf "  %-18s %14.4g %16.1f %14.2f %11.2f\n", $1, $2, $3, $4, $5 }'
echo
bin/havoc calibrate meshes/face/calibration.yaml -check "$out/summary.json"
echo
echo "Results:"
echo "  $out/result.h5      HDF5: the network (vessels, nodes, terminal territories), probe series (p, Q, A"
echo "                      at 0, 0.5 and 1 of every vessel), fields of every cell, the steady state"
echo "  $out/summary.json   run, periodic state, mass balance, steady state, per-vessel statistics"
echo "Look at them with:"
echo "  bin/havoc probe $out/result.h5 ophthalmic_1_l --cycle last > ophthalmic.csv"
echo "  jq '.vessels[] | {name, mean_flow_m3s}' $out/summary.json"
echo "  h5ls -r $out/result.h5"
