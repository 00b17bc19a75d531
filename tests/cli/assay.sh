#!/usr/bin/env bash
# havoc assay, the in-vitro dissolution of a gel by hyaluronidase (docs/model.md, "Hyaluronidase"), against
# the closed form of the zero-order model, each check with its figure:
#   x(t) = 1 - (beta s / M0) sum over doses i given by t of U_i (1 - exp(-lambda (t - t_i))) / lambda
#   (U_i (t - t_i) for a stable enzyme), x >= 0; M0 = c_HA V.
# - 0.2 mL of Voluma (20 mg/mL), 5 U of Hylenex every 20 min, 6 doses, enzyme half-life 30 min,
#   susceptibility 0.8: the printed fractions and the time to 30 % against the closed form;
# - zero order: one dose of a stable enzyme, twice the units dissolve in half the time;
# - the susceptibility is the filler product's unless -enzyme_susceptibility is given: the product's
#   value given explicitly dissolves at the same time, half of it in twice the time;
# - on a slide (-assay_contact surface): one dose of a stable enzyme at concentration c0 diffusing into a
#   bead of exposed area A0 ~ (M/M0)^(2/3): M/M0 = (1 - 2 k t^1.5 / (9 M0))^3, k = beta s A0 2 c0 sqrt(D/pi),
#   the printed fractions and the time to 30 % against it;
# - bad input, each with its message.
source "$(dirname "$0")/lib.bash"

beta=5e-11 # kg U^-1 s^-1: the default, 3 ug per unit and minute
$havoc assay -assay_product juvederm_voluma -assay_volume 0.2mL -enzyme_preset repeated -enzyme_units 10U -enzyme_interval 20min \
  -enzyme_count 6 -enzyme_half_life 30min -enzyme_susceptibility 0.8 -assay_t_end 4h -assay_dt 1min >"$tmp/a.csv" 2>"$tmp/a.err"
cat "$tmp/a.err"
worst=$(awk -F, -v b=$beta 'NR > 1 {
  M0 = 20 * 0.2e-6; l = log(2) / 1800; x = 1
  for (i = 0; i < 6; i++) { ti = 1200 * i; if ($1 >= ti) x -= b * 0.8 / M0 * 10 * (1 - exp(-l * ($1 - ti))) / l }
  if (x < 0) x = 0; d = $2 - x; if (d < 0) d = -d; if (d > w) w = d } END { printf "%.3g", w }' "$tmp/a.csv")
rows=$(($(wc -l <"$tmp/a.csv") - 1))
check "$rows rows vs the closed form: largest difference $worst (<= 1e-12)" awk -v w="$worst" 'BEGIN { exit !(w <= 1e-12) }'
# the time to 30 % by bisection on the closed form
exact=$(awk -v b=$beta 'function x(t,   s, i, ti) { s = 1; for (i = 0; i < 6; i++) { ti = 1200 * i; if (t >= ti) s -= b * 0.8 / (20 * 0.2e-6) * 10 * (1 - exp(-log(2) / 1800 * (t - ti))) / (log(2) / 1800) } return s }
  BEGIN { lo = 0; hi = 14400; for (k = 0; k < 200; k++) { m = (lo + hi) / 2; if (x(m) > 0.3) lo = m; else hi = m } printf "%.15g", m }')
got=$(sed -n 's/.* at t = \([0-9.e+]*\) s .*/\1/p' "$tmp/a.err")
check "time to 30 %: ${got:-none} s vs closed form $exact s (within 1e-6 s)" awk -v a="${got:-0}" -v b="$exact" 'BEGIN { d = a - b; exit !(d < 1e-6 && d > -1e-6) }'

t1=$($havoc assay -assay_product restylane_l -enzyme_units 10U -enzyme_half_life 0 2>&1 >/dev/null | sed -n 's/.* at t = \([0-9.e+]*\) s .*/\1/p')
t2=$($havoc assay -assay_product restylane_l -enzyme_units 20U -enzyme_half_life 0 2>&1 >/dev/null | sed -n 's/.* at t = \([0-9.e+]*\) s .*/\1/p')
check "zero order: 10 U in ${t1:-?} s, 20 U in ${t2:-?} s (ratio 2 to 1e-9)" awk -v a="${t1:-0}" -v b="${t2:-1}" 'BEGIN { r = a / b - 2; exit !(r < 1e-9 && r > -1e-9) }'

line=$($havoc assay -assay_product restylane_l -enzyme_units 10U 2>&1 >/dev/null)
s=$(sed -n 's/.*susceptibility \([0-9.e+]*\) of the product.*/\1/p' <<<"$line")
t0=$(sed -n 's/.* at t = \([0-9.e+]*\) s .*/\1/p' <<<"$line")
t1=$($havoc assay -assay_product restylane_l -enzyme_units 10U -enzyme_susceptibility "${s:-1}" 2>&1 >/dev/null | sed -n 's/.* at t = \([0-9.e+]*\) s .*/\1/p')
t2=$($havoc assay -assay_product restylane_l -enzyme_units 10U -enzyme_susceptibility "$(awk -v s="${s:-1}" 'BEGIN { print s / 2 }')" 2>&1 >/dev/null | sed -n 's/.* at t = \([0-9.e+]*\) s .*/\1/p')
check "product's susceptibility ${s:-none}: ${t0:-?} s, given ${t1:-?} s, half ${t2:-?} s" \
  awk -v s="${s:-}" -v a="${t0:-0}" -v b="${t1:-1}" -v c="${t2:-0}" 'BEGIN { r = c / a - 2; exit !(s != "" && a == b && r < 1e-9 && r > -1e-9) }'

# on a slide: 0.2 mL of Voluma, 20 U of Hylenex (150 U/mL), susceptibility 4, D 3.5e-11 m^2/s
$havoc assay -assay_contact surface -assay_product juvederm_voluma -assay_volume 0.2mL -enzyme_product hylenex -enzyme_units 20U \
  -enzyme_susceptibility 4 -assay_t_end 3h -assay_dt 1min >"$tmp/s.csv" 2>"$tmp/s.err"
cat "$tmp/s.err"
closed='pi = 3.141592653589793; A = 2 * pi * (3 * 0.2e-6 / (2 * pi))^(2 / 3); M0 = 20 * 0.2e-6; k = b * 4 * A * 2 * 150e6 * sqrt(3.5e-11 / pi)'
worst=$(awk -F, -v b=$beta "NR > 1 { $closed"'; u = 1 - 2 * k * $1^1.5 / (9 * M0); if (u < 0) u = 0
  d = $2 - u^3; if (d < 0) d = -d; if (d > w) w = d } END { printf "%.3g", w }' "$tmp/s.csv")
check "on a slide: $(($(wc -l <"$tmp/s.csv") - 1)) rows vs the closed form: largest difference $worst (<= 1e-7)" awk -v w="$worst" 'BEGIN { exit !(w <= 1e-7) }'
exact=$(awk -v b=$beta "BEGIN { $closed"'; printf "%.12g", (9 * M0 * (1 - 0.3^(1 / 3)) / (2 * k))^(2 / 3) }')
got=$(sed -n 's/.* at t = \([0-9.e+]*\) s .*/\1/p' "$tmp/s.err")
check "on a slide, time to 30 %: ${got:-none} s vs closed form $exact s (within 1e-3 s)" awk -v a="${got:-0}" -v b="$exact" 'BEGIN { d = a - b; exit !(d < 1e-3 && d > -1e-3) }'

expect_error "negative units" "enzyme_units.*must be > 0" $havoc assay -enzyme_units -5U
expect_error "negative gel volume" "assay_volume.*must be > 0" $havoc assay -assay_volume -0.1mL
expect_error "units in the wrong unit" "enzyme_units.*expected" $havoc assay -enzyme_units 5mL
expect_error "unknown filler" "assay_product: unknown product 'voluma_xxl'" $havoc assay -assay_product voluma_xxl
expect_error "unknown enzyme" "enzyme_product: unknown product 'hyaluronase'" $havoc assay -enzyme_product hyaluronase
expect_error "unknown preset" "enzyme_preset" $havoc assay -enzyme_preset daily
expect_error "zero susceptibility" "enzyme_susceptibility.*must be > 0" $havoc assay -enzyme_susceptibility 0
expect_error "susceptibility with a unit" "enzyme_susceptibility" $havoc assay -enzyme_susceptibility 2U
expect_error "unknown contact" "assay_contact" $havoc assay -assay_contact stirred
expect_error "gel diffusivity in the wrong unit" "assay_gel_diffusivity.*expected" $havoc assay -assay_contact surface -assay_gel_diffusivity 3mL
exit $status
