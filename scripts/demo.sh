#!/usr/bin/env bash
# make demo: the main job, the default clinical case (cases/clinical/nasal-tip.yaml): 0.15 mL of
# Restylane-L injected into the left lateral nasal artery. The blood flow in the face runs to its periodic
# state, the gel is injected and followed until it lodges, the network is solved with the occlusions, and
# the skin and retina are followed for 24 h. Then the pictures and the HTML report are made from the
# results, and the script says what was written and where.
set -euo pipefail
cd "$(dirname "$0")/.."
case=cases/clinical/nasal-tip.yaml
out=results/nasal-tip

bin/havoc run "$case" -o "$out"
bin/havoc render "$out" --what tree -o "$out/tree.png" >/dev/null
bin/havoc render "$out" --what zones --time 24h -o "$out/zones-24h.png" >/dev/null
bin/havoc render "$out" --what areas -o "$out/areas.png" >/dev/null
bin/havoc report "$out" -o "$out/report.html" >/dev/null
echo
echo "The nasal tip case: where the gel lodged (end of the acute phase)"
jq -r '.bolus.lodged[] | "  \(.vessel) at \(.position_m * 1000 | . * 10 | round / 10) mm: \(.volume_m3 * 1e9 | . * 100 | round / 100) uL, \(.state)"' "$out/summary.json" | head -8
echo "Necrotic skin at 24 h, per territory:"
jq -r '.tissue.territories[] | select(.on_map and .necrotic_cm2[-1] > 0) | "  \(.territory): \(.necrotic_cm2[-1] * 100 | round / 100) cm^2"' "$out/summary.json"
jq -r '.retina | to_entries[] | "Retina \(.key): \(.value.state)"' "$out/summary.json"
echo
echo "Results in $out/:"
echo "  report.html      open it in a browser: the tree and the zones over time (slider), key figures, plots"
echo "  tree.png         the arterial tree coloured by flow as a fraction of healthy flow, gel marked"
echo "  zones-24h.png    the skin at 24 h: normal, ischemic, at risk, necrotic"
echo "  areas.png        ischemic and necrotic area per territory over time"
echo "  result.h5        HDF5: network, waveforms, fields, gel trajectories, tissue maps (docs/formats.md)"
echo "  result.xdmf      open in ParaView: the network and the face map over time"
echo "  summary.json     the key figures (jq .bolus, .tissue, .retina)"
echo "More: bin/havoc export csv $out --table territories; bin/havoc render $out --what frames --frames 3;"
echo "      treat it: README.md, \"Hyaluronidase\"."
