#!/usr/bin/env bash
# Park et al. 2023 (PRS Glob Open 11:e5457), the ranking of fillers by their resistance to hyaluronidase:
# 0.2 mL aliquots, 20 U of rHuPH20 (Hylenex) every 30 min, 120 U over 3 h. Least resistant: Restylane
# Lyft, Restylane-L, RHA 1; most resistant, needing all 120 U: RHA 4, Voluma, Belotero Volume, Volux (the
# rest of the table's products were moderate, Profhilo was not tested). The same protocol through
# havoc assay for every product of the table: -enzyme_preset pulsed -enzyme_count 6 (no dose after the
# gel is dissolved), the table's susceptibilities (fitted to other data: docs/products.md, and
# tests/cli/products.sh), an in-vitro enzyme that stays active (the assay's default: a buffer has none of
# the uptake, proteolysis and serum inhibitors that set the 10-30 min half-life in tissue).
#
# 1. At the default digestion (3 ug per unit and minute, the scale of the in-vivo data the table is
#    fitted to). Checked: the order, Restylane-L, Lyft and RHA 1 dissolve before every most-resistant
#    product. Printed, not checked: the units the most resistant need. They need 40 U, not 120 U: the
#    in-vivo fit digests about 13 times faster than Park's unstirred aliquots on a slide.
# 2. At Park's in-vitro scale: one factor f on the digestion for every product, fitted to Park (Voluma,
#    the least concentrated of the most resistant, in the middle of its window for needing 120 U:
#    dissolved after the 6th dose, by 3 h). Checked: RHA 4, Belotero Volume and Volux need 120 U (they
#    dissolve only after the 6th dose, or not by 3 h), Restylane-L, Lyft and RHA 1 dissolve with fewer
#    units; Voluma's own check is the fit. The moderate group is printed beside Park's.
source "$(dirname "$0")/lib.bash"

least=(restylane_l restylane_lyft rha_1)
most=(juvederm_volux juvederm_voluma belotero_volume rha_4)
declare -A park=([restylane_l]=least [restylane_lyft]=least [rha_1]=least [juvederm_volbella]=moderate
  [belotero_balance]=moderate [juvederm_volift]=moderate [juvederm_ultra_xc]=moderate [restylane_kysse]=moderate
  [rha_4]=most [juvederm_voluma]=most [belotero_volume]=most [juvederm_volux]=most [profhilo]=untested)
protocol=(-assay_volume 0.2mL -enzyme_product hylenex -enzyme_units 20U -enzyme_interval 30min -enzyme_preset pulsed -enzyme_count 6 -assay_t_end 3h)
products=$($havoc assay -assay_product '?' 2>&1 | sed -n 's/.*expected one of: \([^)]*\)).*/\1/p' | tr -d ',')
check "the table has >= 13 products ($(wc -w <<<"$products"))" test "$(wc -w <<<"$products")" -ge 13

declare -A units time
# assay BETA: runs every product, fills units[] (given by dissolution, or 120 and time 1e30 if not
# dissolved by 3 h) and time[] [s], and prints them
assay() {
  local p line
  for p in $products; do
    line=$($havoc assay -assay_product "$p" "${protocol[@]}" -enzyme_digestion "$1" 2>&1 >/dev/null)
    if [[ $line == *": dissolved (HA below"* ]]; then
      time[$p]=$(sed -n 's/.* at t = \([0-9.e+]*\) s .*/\1/p' <<<"$line")
      units[$p]=$(sed -n 's/.*, \([0-9.e+]*\) U given by then.*/\1/p' <<<"$line")
    else
      time[$p]=1e30
      units[$p]=$(sed -n 's/.*, \([0-9.e+]*\) U given$/\1/p' <<<"$line")
    fi
    printf '  %-18s Park: %-9s %4s U  %s\n' "$p" "${park[$p]:-?}" "${units[$p]:-?}" \
      "$(awk -v t="${time[$p]:-1e30}" 'BEGIN { if (t >= 1e29) print "not dissolved by 3 h"; else printf "dissolved at %.1f min\n", t / 60 }')"
  done
}
# ordered: every least-resistant product dissolves before every most-resistant one
ordered() {
  local a b
  for a in "${least[@]}"; do
    for b in "${most[@]}"; do
      awk -v x="${time[$a]:-1e30}" -v y="${time[$b]:-0}" 'BEGIN { exit !(x < y) }' || return 1
    done
  done
}

beta=5e-11 # kg U^-1 s^-1: the default, 3 ug per unit and minute
echo "  1. default digestion $beta kg/U/s, the table's susceptibilities"
assay $beta
check "order: ${least[*]} before the most resistant" ordered
echo "  most resistant: $(for p in "${most[@]}"; do printf '%s U ' "${units[$p]}"; done)(Park: 120 U; not reproduced at this scale)"

# f: Voluma's susceptibility times f in the middle (geometric) of the window where 0.2 mL needs the 6th
# dose and dissolves by 3 h; zero order with a stable enzyme: digested = beta s f U sum_i (t - t_i)
line=$($havoc assay -assay_product juvederm_voluma "${protocol[@]}" 2>&1 >/dev/null)
s=$(sed -n 's/.*susceptibility \([0-9.e+]*\) of the product.*/\1/p' <<<"$line")
m0=$(sed -n 's/.*(\([0-9.e+]*\) mg HA.*/\1/p' <<<"$line")
f=$(awk -v s="${s:-0}" -v m="${m0:-0}" -v b=$beta 'BEGIN {
  need = 0.7 * m * 1e-6                            # kg to digest: down to 30 % HA
  hi = need / (b * 20 * (150 + 120 + 90 + 60 + 30) * 60) # s f below this: not dissolved before the 6th dose (t = 150 min)
  lo = need / (b * 20 * (180 + 150 + 120 + 90 + 60 + 30) * 60) # s f at least this: dissolved by 180 min
  printf "%.4g", sqrt(hi * lo) / s }')
beta_vitro=$(awk -v b=$beta -v f="$f" 'BEGIN { printf "%.4g", b * f }')
echo "  2. Park's in-vitro scale: f = $f from Voluma (s = $s, $m0 mg), digestion $beta_vitro kg/U/s"
assay "$beta_vitro"
check "order: ${least[*]} before the most resistant" ordered
for p in "${most[@]}"; do
  check "$p needs 120 U (${units[$p]:-?} U)" awk -v u="${units[$p]:-0}" 'BEGIN { exit !(u == 120) }'
done
for p in "${least[@]}"; do
  check "$p: fewer than 120 U (${units[$p]:-?} U)" awk -v u="${units[$p]:-120}" 'BEGIN { exit !(u < 120) }'
done
exit $status
