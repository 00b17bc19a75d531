#!/usr/bin/env bash
# havoc report (docs/postproc.md, "HTML report: havoc report"), checked in a real browser:
#   - the nasal tip case (bolus, 24 h of tissue) and a treated restart of it (500 U from 1 h), whose
#     description holds markup that must come out escaped;
#   - each report is one self-contained file: pictures inline, no address outside the page, no temporary
#     files left behind; one slider frame per tissue report time; the sections the run has no data for
#     are left out with a note;
#   - Debian's chromium, headless, loads the page with no console error, and moving the slider (the
#     page's '#slider=last', which sets the slider and dispatches a real 'input' event) changes the
#     picture: two screenshots that differ, neither blank;
#   - bad input: a missing run directory, a missing file, an unwritable output, an unknown option.
source "$(dirname "$0")/lib.bash"

command -v chromium >/dev/null || scripts/install-deps.sh >/dev/null
command -v chromium >/dev/null || {
  echo "  chromium not found (scripts/install-deps.sh installs it)"
  exit 1
}

case=cases/clinical/nasal-tip.yaml
desc='<b>nasal tip</b> & "treated" <script>alert(1)</script>'
$havoc run $case -o "$tmp/none" -quiet >/dev/null 2>"$tmp/none.err" || { cat "$tmp/none.err"; exit 1; }
$havoc run $case -o "$tmp/treated" -run_phases steady -bolus_restart "$tmp/none/summary.json" -enzyme_preset pulsed -enzyme_units 500U -enzyme_start 1h -case_description "$desc" -quiet >/dev/null 2>"$tmp/treated.err" || { cat "$tmp/treated.err"; exit 1; }

mkdir -p "$tmp/tmpdir"
export TMPDIR=$tmp/tmpdir
expect_ok "report of the untreated run" "report in .*/none/report.html" $havoc report "$tmp/none"
expect_ok "report of the treated run (-o)" "report in .*/treated.html" $havoc report "$tmp/treated" -o "$tmp/treated.html"
none=$tmp/none/report.html
treated=$tmp/treated.html
[[ -s "$none" && -s "$treated" ]] || { echo "  no report written"; exit 1; }

frames() { grep -o 'class="frame"' "$1" | wc -l; }
times() { jq '.tissue.report_times_s | length' "$1/summary.json"; }
printf '  HTML: untreated %d kB, %d slider frames; treated %d kB, %d slider frames\n' $(($(stat -c %s "$none") / 1024)) "$(frames "$none")" $(($(stat -c %s "$treated") / 1024)) "$(frames "$treated")"
check "one frame per tissue report time" test "$(frames "$none")" -eq "$(times "$tmp/none")" -a "$(frames "$treated")" -eq "$(times "$tmp/treated")"
check "self-contained: pictures inline" grep -q 'src="data:image/png;base64,' "$treated"
check "self-contained: no outside address" bash -c "! grep -Eiq '(src|href|url)[=(]\"?(https?:|//|file:)|<link rel=\"stylesheet|<script src' '$none' '$treated'"
check "no temporary files left" bash -c "[[ -z \$(ls -A '$tmp/tmpdir') ]] && ! ls -A '$tmp' '$tmp/none' | grep -q '\.tmp[0-9]'"
pics() { grep -o 'src="data:image/png;base64,[^"]*"' "$1" | sort | uniq -c | awk '$1 > 1 { d++ } END { print NR, d + 0 }'; }
read -r npics ndup <<<"$(pics "$treated")"
printf '  treated: %d distinct pictures (%d tree and zone maps, the plots), %d repeated\n' "$npics" $((2 * $(frames "$treated"))) "$ndup"
check "every picture differs" test "$ndup" -eq 0 -a "$npics" -ge $((2 * $(frames "$treated") + 3))
check "text from the run is escaped" bash -c "grep -Fq '&lt;b&gt;nasal tip&lt;/b&gt; &amp; &quot;treated&quot; &lt;script&gt;alert(1)&lt;/script&gt;' '$treated' && ! grep -Fq '<b>nasal tip' '$treated' && ! grep -Fq 'alert(1)</script>' '$treated'"
check "untreated: lodging, reach, areas" bash -c "grep -q 'Where the gel lodged' '$none' && grep -q 'Retrograde reach' '$none' && grep -q 'Ischemic and necrotic areas' '$none'"
check "untreated: no treatment, noted" grep -q 'class="note">No treatment in this run' "$none"
check "treated: outcome and its plots" bash -c "grep -q 'Treatment with hyaluronidase' '$treated' && grep -q 'alt=\"HA remaining in the gel\"' '$treated' && grep -q 'alt=\"Enzyme at the gel\"' '$treated'"

# the browser: console errors on stderr (--enable-logging), errors of the page's script also in the
# attribute data-errors of <html>, the frame shown in data-frame
browse() { # NAME URL [chromium options...]
  local name=$1 url=$2
  shift 2
  timeout 120 chromium --headless --no-sandbox --disable-gpu --no-first-run --hide-scrollbars --mute-audio \
    --user-data-dir="$tmp/profile-$name" --enable-logging=stderr --v=0 --virtual-time-budget=3000 "$@" "$url" >"$tmp/$name.out" 2>"$tmp/$name.log"
}
url="file://$(realpath "$treated")"
last=$(($(frames "$treated") - 1))
# each with its own profile, so they may run together
browse dom "$url#slider=last" --dump-dom &
browse first "$url" --window-size=1280,900 --screenshot="$tmp/first.png" &
browse last "$url#slider=last" --window-size=1280,900 --screenshot="$tmp/last.png" &
browse blank "about:blank" --window-size=1280,900 --screenshot="$tmp/blank.png" &
browse untreated "file://$(realpath "$none")#slider=last" --dump-dom &
wait
for f in first last blank; do [[ -s "$tmp/$f.png" ]] || echo "  no screenshot $f.png: $(grep -v dbus "$tmp/$f.log" | tail -n 3)"; done
size() { stat -c %s "$1" 2>/dev/null || echo 0; }
printf '  screenshots 1280 x 900: first frame %d B, last frame %d B, blank page %d B; %d bytes differ\n' "$(size "$tmp/first.png")" "$(size "$tmp/last.png")" "$(size "$tmp/blank.png")" "$(cmp -l "$tmp/first.png" "$tmp/last.png" 2>/dev/null | wc -l)"
check "the page loads: no console error" bash -c "! grep -hE 'CONSOLE|Uncaught' '$tmp'/{dom,first,last,untreated}.log"
check "the page's script ran, no error" bash -c "grep -q '<html lang=\"en\" data-frame=\"$last\">' '$tmp/dom.out' && grep -q '<html lang=\"en\" data-frame=\"$(($(frames "$none") - 1))\">' '$tmp/untreated.out'"
check "the slider changes the picture" bash -c "[[ -s '$tmp/first.png' && -s '$tmp/last.png' ]] && ! cmp -s '$tmp/first.png' '$tmp/last.png'"
check "screenshots are not blank" bash -c "(( $(size "$tmp/first.png") > 3 * $(size "$tmp/blank.png") && $(size "$tmp/last.png") > 3 * $(size "$tmp/blank.png") ))"

mkdir -p "$tmp/half"
cp "$tmp/none/result.h5" "$tmp/half/"
touch "$tmp/file"
expect_error "missing run directory" "cannot open run directory" $havoc report "$tmp/nowhere"
expect_error "missing summary.json" "summary.json" $havoc report "$tmp/half"
expect_error "unwritable output" "cannot write report" $havoc report "$tmp/none" -o "$tmp/file/report.html"
expect_error "unknown option" "unknown option -report_colour" $havoc report "$tmp/none" -report_colour red
exit $status
