#!/usr/bin/env bash
# havoc compare (docs/postproc.md, "Regression suite"), on a run of the single-vessel benchmark:
#   - a run and its copy are identical; a reduced reference (a few datasets, a CSV) compares too;
#   - one value of summary.json (jq) or of a dataset (/fields/p, rewritten with h5dump and h5import)
#     moved just above the tolerance fails, names the field and exits 1; just below it passes;
#   - per-field tolerances and --ignore; a missing field, a shape mismatch; bad input.
source "$(dirname "$0")/lib.bash"

$havoc run cases/benchmarks/single-vessel-pulse.yaml -o "$tmp/a" -quiet >/dev/null 2>"$tmp/run.err" || {
  cat "$tmp/run.err"
  exit 1
}
cp -r "$tmp/a" "$tmp/b"
$havoc probe "$tmp/a/result.h5" vessel >"$tmp/a/probe_vessel.csv"
cp "$tmp/a/probe_vessel.csv" "$tmp/b/"
expect_ok "identical runs" "within tolerance: all identical" $havoc compare "$tmp/a" "$tmp/b"
sed -n 's/^/    /p' "$tmp/out"

# summary.json: mean pressure of the vessel, scale its own magnitude, rtol 1e-9
field=summary.vessels[0].mean_pressure_Pa
perturb_json() { # FACTOR_OF_TOLERANCE
  jq --argjson f "$1" '.vessels[0].mean_pressure_Pa *= (1 + $f * 1e-9)' "$tmp/a/summary.json" >"$tmp/b/summary.json"
}
perturb_json 1.5
expect_error "summary 1.5x the tolerance" "summary\.vessels\[0\]\.mean_pressure_Pa: .*1\.5 of the tolerance" $havoc compare "$tmp/a" "$tmp/b"
perturb_json 0.5
expect_ok "summary 0.5x the tolerance" "within tolerance: worst summary.json summary.vessels\[0\]\.mean_pressure_Pa: .* 0\.5 of the tolerance" $havoc compare "$tmp/a" "$tmp/b"
perturb_json 5
expect_ok "per-field --rtol" "within tolerance" $havoc compare "$tmp/a" "$tmp/b" --rtol "$field=1e-8"
expect_ok "per-field pattern --rtol" "within tolerance" $havoc compare "$tmp/a" "$tmp/b" --rtol "summary.vessels[*].mean_*=1e-8"
expect_error "per-field rule of another field" "mean_pressure_Pa" $havoc compare "$tmp/a" "$tmp/b" --rtol "summary.vessels[0].mean_flow_m3s=1e-8"
expect_ok "--ignore" "within tolerance: all identical" $havoc compare "$tmp/a" "$tmp/b" --ignore "$field"
jq 'del(.vessels[0].mean_pressure_Pa)' "$tmp/a/summary.json" >"$tmp/b/summary.json"
expect_error "missing summary field" "summary\.vessels\[0\]\.mean_pressure_Pa: missing in B" $havoc compare "$tmp/a" "$tmp/b"
jq '.vessels[0].probes |= .[0:2]' "$tmp/a/summary.json" >"$tmp/b/summary.json"
expect_error "summary array length" "summary\.vessels\[0\]\.probes: 3 elements in A, 2 in B" $havoc compare "$tmp/a" "$tmp/b"
jq '.periodic.reached |= not' "$tmp/a/summary.json" >"$tmp/b/summary.json"
expect_error "summary bool" "summary\.periodic\.reached: (true|false) in A, (true|false) in B" $havoc compare "$tmp/a" "$tmp/b"
jq '.ranks = 7 | .created = "now" | .wall_time_s = 99' "$tmp/a/summary.json" >"$tmp/b/summary.json"
expect_ok "ignored by name (ranks, dates)" "within tolerance: all identical" $havoc compare "$tmp/a" "$tmp/b"
cp "$tmp/a/summary.json" "$tmp/b/summary.json"

# result.h5: /fields/p[0][k], tolerance 1e-9 of the largest |p| in the dataset. A reference holding only
# /fields/p (written by h5import, the text at 17 digits) is compared with the full run.
h5dump -d /fields/p -m %.17g -y -w 0 -o "$tmp/p.txt" "$tmp/a/result.h5" >/dev/null
n=$(tr ',' '\n' <"$tmp/p.txt" | grep -c '[0-9]')
cat >"$tmp/p.conf" <<CONF
PATH fields/p
INPUT-CLASS TEXTFP
INPUT-SIZE 64
RANK 2
DIMENSION-SIZES 1 $n
OUTPUT-CLASS FP
OUTPUT-SIZE 64
OUTPUT-ARCHITECTURE IEEE
OUTPUT-BYTE-ORDER LE
CONF
reference_h5() { # FACTOR_OF_TOLERANCE: /fields/p with element 123 moved by FACTOR x the tolerance
  rm -rf "$tmp/ref"
  mkdir -p "$tmp/ref"
  tr ',' '\n' <"$tmp/p.txt" | grep '[0-9]' | awk -v f="$1" '{ x[NR] = $1 + 0; m = (x[NR] < 0 ? -x[NR] : x[NR]); if (m > s) s = m }
    END { x[124] += f * 1e-9 * s; for (i = 1; i <= NR; i++) printf "%.17g\n", x[i] }' >"$tmp/p1.txt"
  h5import "$tmp/p1.txt" -c "$tmp/p.conf" -o "$tmp/ref/result.h5"
  cp "$tmp/a/probe_vessel.csv" "$tmp/ref/"
}
reference_h5 0
expect_ok "reduced reference, identical" "result.h5 +1 datasets, $n values \([0-9]+ only in B\): all identical" $havoc compare "$tmp/ref" "$tmp/a"
reference_h5 1.5
expect_error "dataset 1.5x the tolerance" "result.h5 /fields/p\[0\]\[123\]: .*1\.5 of the tolerance" $havoc compare "$tmp/ref" "$tmp/a"
expect_ok "dataset per-field --atol" "within tolerance" $havoc compare "$tmp/ref" "$tmp/a" --atol /fields/p=1e-6
reference_h5 0.5
expect_ok "dataset 0.5x the tolerance" "within tolerance: worst result.h5 /fields/p\[0\]\[123\]: .* 0\.5 of the tolerance" $havoc compare "$tmp/ref" "$tmp/a"

csv_moved() { # FACTOR_OF_TOLERANCE: line 51, p_Pa moved (scale: the largest |p| of the column)
  awk -F, -v f="$1" 'NR == 1 { print; next } { x[NR] = $0; m = ($2 < 0 ? -$2 : $2); if (m > s) s = m }
    END { for (i = 2; i <= NR; i++) { if (i == 51) { split(x[i], c, ","); printf "%s,%.12g,%s,%s\n", c[1], c[2] + f * 1e-9 * s, c[3], c[4] } else print x[i] } }' \
    "$tmp/a/probe_vessel.csv" >"$tmp/b/probe_vessel.csv"
}
csv_moved 1.5
expect_error "CSV 1.5x the tolerance" "probe_vessel\.csv line 51 column p_Pa: .*1\.5 of the tolerance" $havoc compare "$tmp/a" "$tmp/b"
csv_moved 0.5
expect_ok "CSV 0.5x the tolerance" "within tolerance: worst probe_vessel\.csv line 51 column p_Pa: .* 0\.[45][0-9]* of the tolerance" $havoc compare "$tmp/a" "$tmp/b"
head -n 40 "$tmp/a/probe_vessel.csv" >"$tmp/b/probe_vessel.csv"
expect_error "CSV rows" "probe_vessel\.csv: [0-9]+ rows x 4 columns in A, 39 x 4 in B" $havoc compare "$tmp/a" "$tmp/b"
rm "$tmp/b/probe_vessel.csv"
expect_error "file missing in B" "probe_vessel\.csv: missing in B" $havoc compare "$tmp/a" "$tmp/b"
cp "$tmp/a/probe_vessel.csv" "$tmp/b/"

# bad input
expect_error "missing directory" "$tmp/nope: No such file" $havoc compare "$tmp/nope" "$tmp/b"
expect_error "bad tolerance" "--rtol abc: expected a non-negative number" $havoc compare "$tmp/a" "$tmp/b" --rtol abc
expect_error "negative tolerance" "--atol -1: expected a non-negative number" $havoc compare "$tmp/a" "$tmp/b" --atol -1
expect_error "tolerance without field" "--atol =1: expected FIELD=NUMBER" $havoc compare "$tmp/a" "$tmp/b" --atol =1
expect_error "one argument" "usage: havoc compare" $havoc compare "$tmp/a"
mkdir "$tmp/empty"
expect_error "nothing to compare" "nothing to compare" $havoc compare "$tmp/empty" "$tmp/b"
echo '{"a": ' >"$tmp/b/summary.json"
expect_error "unreadable summary" "summary.json: cannot read" $havoc compare "$tmp/a" "$tmp/b"
expect_error "directory and file" "two directories or two files" $havoc compare "$tmp/a" "$tmp/a/summary.json"
exit $status
