#!/usr/bin/env bash
# havoc render (docs/postproc.md, "Pictures: havoc render"): pictures of finished runs, opened and looked
# into with tests/tools/png_probe, each check with its figure:
#   - the nasal tip case (untreated, 24 h of tissue), a treated restart of it and the bifurcation
#     benchmark (pulsatile only, field snapshots, no tissue);
#   - the PNG has the size asked for; the tree has vessel-coloured pixels; the zone map at 24 h shows the
#     nasal tip necrotic and the forehead not; the SVG is well-formed XML with an <svg> root and content;
#     the plots (flow, areas, HA, enzyme) draw; a frame sequence gives N files that are not all the same;
#   - bad input: one line each, exit 1, nothing left behind.
source "$(dirname "$0")/lib.bash"

probe=${BUILD:-build}/tests/tools/png_probe
[[ -x $probe ]] || {
  echo "  $probe missing (make build-tests)"
  exit 1
}
nt=$tmp/nt treated=$tmp/treated bif=$tmp/bif
$havoc run cases/clinical/nasal-tip.yaml -o "$nt" -quiet >/dev/null 2>"$tmp/nt.err" || cat "$tmp/nt.err" &
$havoc run cases/benchmarks/boileau-bifurcation.yaml -o "$bif" -output_field_dt 0.5s -quiet >/dev/null 2>"$tmp/bif.err" || cat "$tmp/bif.err" &
wait
$havoc run cases/clinical/nasal-tip.yaml -o "$treated" -run_phases steady -bolus_restart "$nt/summary.json" \
  -enzyme_preset pulsed -enzyme_units 500U -enzyme_start 1h -quiet >/dev/null 2>"$tmp/treated.err" || cat "$tmp/treated.err"
for d in "$nt" "$treated" "$bif"; do [[ -f $d/result.h5 ]] || status=1; done

pics=$tmp/pics
mkdir -p "$pics"
# render NAME RUN ARGS...: draws into $pics, stdout kept in $pics/NAME.out
render() {
  local name=$1 run=$2
  shift 2
  $havoc render "$run" "$@" >"$pics/$name.out" 2>"$pics/$name.err" || {
    sed 's/^/    ! /' "$pics/$name.err"
    status=1
  }
}
render tree "$nt" --what tree --time 24h --size 900x700 -o "$pics/tree.png"
render zones "$nt" --what zones --time 24h --size 900x700 -o "$pics/zones.png"
render zones1h "$nt" --what zones --time 1h --size 900x700 -o "$pics/zones1h.png"
render tree_svg "$nt" --what tree --color pressure -o "$pics/tree.svg"
render zones_svg "$nt" --what zones -o "$pics/zones.svg"
render areas "$nt" --what areas --size 800x500 -o "$pics/areas.png"
render flow "$nt" --what flow --vessels facial_2_l,nasal_tip_l -o "$pics/flow.png"
render ha "$treated" --what ha --time 2h -o "$pics/ha.png"
render enzyme "$treated" --what enzyme -o "$pics/enzyme.svg"
render tree_treated "$treated" --what tree --time 6h --size 600x500 -o "$pics/tree_treated.png"
render bif_tree "$bif" --what tree --color velocity --time 10s -o "$pics/bif_tree.png"
render bif_fraction "$bif" --what tree -o "$pics/bif_fraction.png"
render bif_flow "$bif" --what flow -o "$pics/bif_flow.png"
render frames "$nt" --what frames --frames 3 --size 600x450 -o "$pics/frames"
mkdir -p "$pics/bif"
render bif_frames "$bif" --what tree --frames 4 --size 400x300 -o "$pics/bif/f.png"

size() { $probe size "$1" 2>&1; }
colored() { # FILE: coloured pixels left of the panel, below the title
  local w h
  read -r w h < <($probe size "$1")
  $probe colored "$1" 0 70 $((w - 230)) "$h" 2>&1
}
gt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a > b) }'; }

s=$(size "$pics/tree.png")
check "tree PNG: $s px (asked 900x700)" test "$s" = "900 700"
s=$(size "$pics/areas.png")
check "area plot PNG: $s px (asked 800x500)" test "$s" = "800 500"
s=$(size "$pics/tree_treated.png")
check "treated tree PNG: $s px (asked 600x500)" test "$s" = "600 500"
c=$(colored "$pics/tree.png")
check "tree: $c vessel-coloured pixels" gt "$c" 2000
c=$(colored "$pics/tree_treated.png")
check "treated tree at 6 h: $c coloured px" gt "$c" 1000
c=$(colored "$pics/bif_tree.png")
check "bifurcation tree (velocity): $c px" gt "$c" 2000
c=$(colored "$pics/bif_fraction.png")
check "bifurcation flow / own mean: $c px" gt "$c" 2000

forehead=forehead_medial_l,forehead_central_l,forehead_lateral_l,forehead_medial_r,forehead_central_r,forehead_lateral_r
read -r cells nec < <($probe zone "$pics/zones.png" "$nt" nasal_tip_l,nasal_sidewall_l 3 2>&1)
check "24 h: nasal tip+sidewall necrotic $nec of $cells cells" gt "$nec" "$((cells / 2))"
read -r fcells fnec < <($probe zone "$pics/zones.png" "$nt" "$forehead" 3 2>&1)
read -r _ fnormal < <($probe zone "$pics/zones.png" "$nt" "$forehead" 0 2>&1)
check "24 h: forehead necrotic $fnec, normal $fnormal of $fcells" bash -c "[[ $fnec -eq 0 && $fnormal -gt $((fcells / 2)) ]]"
read -r _ nec1 < <($probe zone "$pics/zones1h.png" "$nt" nasal_tip_l,nasal_sidewall_l 3 2>&1)
read -r _ risk1 < <($probe zone "$pics/zones1h.png" "$nt" nasal_tip_l,nasal_sidewall_l 2 2>&1)
check "1 h: nasal tip necrotic $nec1, at risk $risk1" bash -c "[[ $nec1 -eq 0 && $risk1 -gt $((cells / 2)) ]]"

for f in tree zones enzyme; do
  n=$(grep -c '<path' "$pics/$f.svg")
  check "$f.svg: well-formed, <svg>, $n paths" bash -c "xmllint --noout '$pics/$f.svg' 2>/dev/null && head -c 400 '$pics/$f.svg' | grep -q '<svg' && [[ $n -gt 20 ]]"
done
for f in areas flow ha bif_flow; do
  c=$(colored "$pics/$f.png")
  check "plot $f: $c coloured px" gt "$c" 300
done

n=$(ls "$pics/frames" | grep -c '^frame_000[1-3]\.png$')
d=$(md5sum "$pics"/frames/frame_*.png | awk '{ print $1 }' | sort -u | wc -l)
check "--frames 3: $n files, $d distinct" bash -c "[[ $n -eq 3 && $(ls "$pics/frames" | wc -l) -eq 3 && $d -gt 1 ]]"
n=$(ls "$pics/bif" | grep -c '^f_000[1-4]\.png$')
d=$(md5sum "$pics"/bif/f_*.png | awk '{ print $1 }' | sort -u | wc -l)
check "bifurcation --frames 4: $n files, $d distinct" bash -c "[[ $n -eq 4 && $d -gt 1 ]]"
check "no temporary file left" bash -c "! find '$pics' -name '.*.tmp' | grep -q ."

mkdir -p "$tmp/empty"
expect_error "missing DIR" "cannot open run directory" $havoc render "$tmp/nowhere" -o "$tmp/x.png"
expect_error "DIR without result.h5" "result.h5" $havoc render "$tmp/empty" -o "$tmp/x.png"
expect_error "unknown --what" "--what pie: expected tree" $havoc render "$nt" --what pie -o "$tmp/x.png"
expect_error "unknown --color" "--color red: expected" $havoc render "$nt" --color red -o "$tmp/x.png"
expect_error "zones without /tissue" "no /tissue/zone.*tissue_t_end" $havoc render "$bif" --what zones -o "$tmp/x.png"
expect_error "areas without tissue" "no tissue.territories" $havoc render "$bif" --what areas -o "$tmp/x.png"
expect_error "ha without /treatment" "no /treatment/ha_fraction.*enzyme" $havoc render "$nt" --what ha -o "$tmp/x.png"
expect_error "flow without /probes" "no /probes/q.*pulsatile" $havoc render "$treated" --what flow -o "$tmp/x.png"
expect_error "bad --size" "--size 900: expected WIDTHxHEIGHT" $havoc render "$nt" --size 900 -o "$tmp/x.png"
expect_error "tiny --size" "--size 10x10" $havoc render "$nt" --size 10x10 -o "$tmp/x.png"
expect_error "bad --time" "--time 5 parsecs" $havoc render "$nt" --time "5 parsecs" -o "$tmp/x.png"
expect_error "unknown vessel" "no vessel 'aorta'.*cca_l" $havoc render "$nt" --what flow --vessels facial_2_l,aorta -o "$tmp/x.png"
expect_error "bad --frames" "--frames 0" $havoc render "$nt" --frames 0 -o "$tmp/fr"
expect_error "output not .png/.svg" "x.jpg: expected a file name ending in .png or .svg" $havoc render "$nt" -o "$tmp/x.jpg"
expect_error "unwritable output" "cannot write '$tmp/no/such/dir/x.png'" $havoc render "$nt" -o "$tmp/no/such/dir/x.png"
expect_error "unknown option" "render_bogus" $havoc render "$nt" -render_bogus 1 -o "$tmp/x.png"
check "no picture left by the errors" bash -c "! ls -A '$tmp' | grep -qE '^(x\.|\.x\.)'"
exit $status
