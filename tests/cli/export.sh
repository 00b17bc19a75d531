#!/usr/bin/env bash
# havoc export and the XDMF file a run writes beside result.h5 (docs/postproc.md, "ParaView and CSV"):
# - the healthy face with a 1 h tissue phase and network snapshots every 0.25 s: the run writes
#   result.xdmf; xmllint parses it; every HDF5 dataset it names exists in result.h5 with the stated
#   shape, every hyperslab lies inside its dataset and selects the shape its attribute states, the
#   temporal collections hold one grid per time of /fields/t and /tissue/times, with those times;
#   havoc export xdmf writes the same file;
# - CSV: a probe waveform equals havoc probe's, a map row has the map's width, the vessels table has a
#   row per vessel, a summary table has a row per territory, and their values are the file's;
# - bad input, each with its message; a failed export leaves no file behind.
source "$(dirname "$0")/lib.bash"

run=$tmp/face
$havoc run cases/clinical/healthy-face.yaml -o "$run" -tissue_t_end 1h -output_field_dt 0.25s >"$tmp/run.log" 2>&1 || {
  cat "$tmp/run.log"
  exit 1
}
x=$run/result.xdmf
check "the run wrote result.xdmf" test -s "$x"
check "xmllint: well-formed XML" xmllint --noout "$x"

# every DataItem in HDF format: its dataset exists with the stated dimensions
n=$(xmllint --xpath 'count(//DataItem[@Format="HDF"])' "$x")
bad=0
for ((i = 1; i <= n; i++)); do
  dims=$(xmllint --xpath "string((//DataItem[@Format='HDF'])[$i]/@Dimensions)" "$x")
  ref=$(xmllint --xpath "normalize-space((//DataItem[@Format='HDF'])[$i])" "$x")
  file=${ref%%:*} path=${ref#*:}
  [[ $file == result.h5 ]] || { echo "    item $i names file '$file'"; bad=$((bad + 1)); continue; }
  shape=$(h5ls "$run/$file$path" 2>/dev/null | sed -n 's/.*Dataset {\(.*\)}/\1/p' | sed 's|/Inf||g; s/,//g')
  [[ "$shape" == "$dims" ]] || { echo "    item $i: $path is {$shape}, the XDMF says {$dims}"; bad=$((bad + 1)); }
done
check "$n HDF datasets named, each in result.h5 with its shape ($bad wrong)" test "$n" -gt 0 -a "$bad" -eq 0

# every hyperslab: start + count inside the dataset, and the count is the slab's stated Dimensions
ns=$(xmllint --xpath 'count(//DataItem[@ItemType="HyperSlab"])' "$x")
bad=0
for ((i = 1; i <= ns; i++)); do
  slab="(//DataItem[@ItemType='HyperSlab'])[$i]"
  want=$(xmllint --xpath "string($slab/@Dimensions)" "$x")
  sel=$(xmllint --xpath "normalize-space($slab/DataItem[1])" "$x")
  full=$(xmllint --xpath "string($slab/DataItem[2]/@Dimensions)" "$x")
  awk -v sel="$sel" -v full="$full" -v want="$want" 'BEGIN {
    k = split(sel, s, " "); nd = k / 3; split(full, d, " "); c = ""
    for (j = 1; j <= nd; j++) { if (s[j] + s[2 * nd + j] > d[j] || s[nd + j] != 1) exit 1; if (s[2 * nd + j] != 1 || j == nd) c = c (c == "" ? "" : " ") s[2 * nd + j] }
    exit !(c == want) }' || { echo "    slab $i: select '$sel' of {$full} is not {$want}"; bad=$((bad + 1)); }
done
check "$ns hyperslabs inside their datasets, of the stated shape ($bad wrong)" test "$ns" -gt 0 -a "$bad" -eq 0

# the temporal collections: one grid per snapshot, at the snapshot's time (h5dump prints 6 digits)
times_of() { h5dump -y -A 0 -d "$2" "$1" | sed -n '/DATA {/,/}/p' | tr -s ' ,\n' '\n' | grep -E '^[-0-9.e+]+$'; }
for pair in network:/fields/t face:/tissue/times; do
  name=${pair%%:*} set=${pair#*:}
  xmllint --xpath "//Grid[@Name='$name' and @GridType='Collection']/Grid/Time/@Value" "$x" | tr ' ' '\n' | sed -n 's/Value="\(.*\)"/\1/p' >"$tmp/got"
  times_of "$run/result.h5" "$set" >"$tmp/want"
  check "$name: $(wc -l <"$tmp/got") grids at the $(wc -l <"$tmp/want") times of $set (to 6 digits)" \
    bash -c "[[ \$(wc -l <'$tmp/got') -eq \$(wc -l <'$tmp/want') ]] && paste -d' ' '$tmp/got' '$tmp/want' | awk '{ d = \$1 - \$2; if (d < 0) d = -d; if (d > 1e-5 * (\$2 < 0 ? -\$2 : \$2) + 1e-12) exit 1 }'"
done
cp "$x" "$tmp/run.xdmf"
rm "$x"
expect_ok "havoc export xdmf" "result.xdmf \(2 grids" $havoc export xdmf "$run"
check "havoc export xdmf writes the run's file" cmp -s "$x" "$tmp/run.xdmf"

# CSV
v=$($havoc export csv "$run" --table vessels | awk -F, 'NR == 7 { print $1 }') # vessel 5
$havoc export csv "$run" --table probe --vessel "$v" --cycle last >"$tmp/probe.csv" 2>"$tmp/err"
$havoc probe "$run/result.h5" "$v" --cycle last >"$tmp/probe_ref.csv"
rows=$(($(wc -l <"$tmp/probe.csv") - 1))
# p, q, a relative to havoc probe's; t absolute (both shift the cycle to start at 0)
worst=$(paste -d, "$tmp/probe.csv" "$tmp/probe_ref.csv" | awk -F, 'NR > 1 { d = $1 - $5; if (d < 0) d = -d; if (d > 1e-9) w = 1
  for (j = 2; j <= 4; j++) { d = $j - $(j + 4); if (d < 0) d = -d; s = $(j + 4) < 0 ? -$(j + 4) : $(j + 4); if (s > 0 && d / s > w) w = d / s } } END { printf "%.3g", w + 0 }')
check "probe $v, last cycle: $rows rows, header $(head -1 "$tmp/probe.csv"), vs havoc probe (12 digits): $worst (<= 1e-11)" \
  awk -v r="$rows" -v w="$worst" 'BEGIN { exit !(r > 100 && w <= 1e-11) }'
$havoc export csv "$run" --table map --field perfusion_ratio --row 150 >"$tmp/row.csv"
width=$(h5ls "$run/result.h5/tissue/zone" | sed -n 's/.*Dataset {[^,]*, [^,]*, \([0-9]*\)}.*/\1/p')
check "map row 150: $(($(wc -l <"$tmp/row.csv") - 2)) cells, the map is $width wide" test "$(($(wc -l <"$tmp/row.csv") - 2))" -eq "$width"
$havoc export csv "$run" --table vessels >"$tmp/vessels.csv"
nv=$(h5ls "$run/result.h5/network/vessel_name" | sed -n 's/.*Dataset {\([0-9]*\)}.*/\1/p')
q=$(awk -F, -v v="$v" '$1 == v { print $6 }' "$tmp/vessels.csv")
qref=$(h5dump -d "/steady/flow[5;1]" "$run/result.h5" | sed -n 's/.*(5): \(.*\)/\1/p')
check "vessels: $(($(wc -l <"$tmp/vessels.csv") - 1)) rows for $nv vessels; $v steady flow $q = $qref (h5dump's 6 digits)" \
  awk -v a="$(($(wc -l <"$tmp/vessels.csv") - 1))" -v b="$nv" -v q="$q" -v r="$qref" 'BEGIN { d = q - r; exit !(a == b && q != "" && d * d <= 1e-10 * r * r) }'
$havoc export csv "$run" --table territories -o "$tmp/terr.csv"
nt=$(jq '.tissue.territories | length' "$run/summary.json")
check "territories: $(($(wc -l <"$tmp/terr.csv") - 1)) rows for $nt, header with the report times" \
  bash -c "[[ \$(($(wc -l <"$tmp/terr.csv") - 1)) -eq $nt ]] && head -1 '$tmp/terr.csv' | grep -q 'necrotic_cm2@3600s'"

expect_error "missing run directory" "cannot open run directory '$tmp/nope'" $havoc export xdmf "$tmp/nope"
expect_error "no table" "--table NAME is required" $havoc export csv "$run"
expect_error "unknown table" "--table bogus: unknown table \(expected one of: probe" $havoc export csv "$run" --table bogus
expect_error "unknown vessel" "no vessel .nope." $havoc export csv "$run" --table probe --vessel nope
expect_error "probe fraction out of range" "--at 2: expected a fraction" $havoc export csv "$run" --table probe --vessel "$v" --at 2
expect_error "unknown map" "--field bogus: no such map" $havoc export csv "$run" --table map --field bogus
expect_error "time with a wrong unit" "--time 3mm: expected a time" $havoc export csv "$run" --table map --field zone --time 3mm
expect_error "row out of range" "--row 9999: expected a row index" $havoc export csv "$run" --table map --field zone --row 9999
expect_error "table the run lacks" "--table doses: .* has no treatment.doses" $havoc export csv "$run" --table doses
expect_error "unknown option" "bogus" $havoc export csv "$run" --table vessels -bogus 1
expect_error "wrong subcommand" "usage: havoc export" $havoc export pdf "$run"
rm -f "$tmp/fail.csv"
$havoc export csv "$run" --table map --field bogus -o "$tmp/fail.csv" >/dev/null 2>&1
check "a failed export leaves no file ($(ls "$tmp" | grep -c 'fail.csv') files)" test ! -e "$tmp/fail.csv" -a ! -e "$tmp/fail.csv.tmp"
exit $status
