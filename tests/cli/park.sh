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
# 1. Well mixed (the assay's default contact), at the default digestion (3 ug per unit and minute, the
#    scale of the in-vivo data the table is fitted to). Checked: the order, Restylane-L, Lyft and RHA 1
#    dissolve before every most-resistant product. Printed, not checked: the units the most resistant
#    need, 40 U, not 120 U: well mixed, every unit acts on the gel at once.
# 2. On a slide (-assay_contact surface): a bead of 0.2 mL, the enzyme acting only where it has diffused
#    into the gel (D = 3.5e-11 m^2/s, the Ogston estimate of ha-enzyme-ischemia.md), the same digestion
#    and susceptibilities, nothing fitted to Park. Checked: the order; RHA 4, Voluma, Belotero Volume and
#    Volux need about 120 U (within one dose: 100 or 120 U, or not dissolved by 3 h); Restylane-L, Lyft
#    and RHA 1 need fewer units than every one of them. The moderate group is printed beside Park's, and
#    the most and least resistant at D = 3 and 4e-11 m^2/s (the estimate's range), not checked.
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
# assay OPTION...: runs every product with the protocol and the options, fills units[] (given by dissolution, or 120 and time 1e30 if not
# dissolved by 3 h) and time[] [s], and prints them
assay() {
  local p line
  for p in $products; do
    line=$($havoc assay -assay_product "$p" "${protocol[@]}" "$@" 2>&1 >/dev/null)
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
echo "  1. well mixed, digestion $beta kg/U/s, the table's susceptibilities"
assay -enzyme_digestion $beta
check "order: ${least[*]} before the most resistant" ordered
echo "  most resistant: $(for p in "${most[@]}"; do printf '%s U ' "${units[$p]}"; done)(Park: 120 U; well mixed digests faster than a bead)"

echo "  2. on a slide: -assay_contact surface, nothing fitted"
assay -assay_contact surface
check "order: ${least[*]} before the most resistant" ordered
fewest=120
for p in "${most[@]}"; do
  check "$p needs about 120 U (${units[$p]:-?} U; Park: 120 U, tolerance one dose)" awk -v u="${units[$p]:-0}" 'BEGIN { exit !(u >= 100) }'
  fewest=$(awk -v a="$fewest" -v b="${units[$p]:-0}" 'BEGIN { print (b < a) ? b : a }')
done
for p in "${least[@]}"; do
  check "$p: fewer units than the most resistant (${units[$p]:-?} U < $fewest U)" awk -v u="${units[$p]:-120}" -v f="$fewest" 'BEGIN { exit !(u < f) }'
done
for D in 3e-11 4e-11; do
  assay -assay_contact surface -assay_gel_diffusivity $D >/dev/null
  echo "  D = $D m^2/s: most resistant $(for p in "${most[@]}"; do printf '%s ' "${units[$p]}"; done)U, least $(for p in "${least[@]}"; do printf '%s ' "${units[$p]}"; done)U"
done
exit $status
