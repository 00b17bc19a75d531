/* Validation: hyaluronidase through the wall of an artery into the gel inside it (docs/model.md,
   "Hyaluronidase"; solver/src/treatment.c, TreatmentMembraneStep).
   - The exact step of dE/dt = rate (V c - E) - lambda E and of the integral of E (the digestion) against
     a classical Runge-Kutta integration with 10^5 steps, over 2 h with a 20 min half-life: 1e-9.
   - The published outcomes of enzyme around a filled artery. DeLorenzi 2014 (Dermatol Surg 40:832):
     fresh cadaver facial artery segments filled with monophasic HA and immersed in hyaluronidase showed
     degraded gel at 4 h and at 24 h. The rabbit study of the reference (isolated aorta, high-concentration
     extravascular enzyme): no change in the luminal HA at 90 min. Model: a facial artery of radius 1 mm,
     wall 0.3 mm, filled with a 24 mg/mL monophasic gel (susceptibility 1), immersed in 150 U/mL of a
     stable enzyme (in vitro), the havoc defaults for the wall (K 0.15, D_w 2.7e-12 m^2/s) and the
     digestion (3 ug/U/min): HA left above 95 % at 90 min (no change), below 95 % at 4 h (a measurable
     degradation), below the dissolved fraction 0.3 at 24 h. */
#include "treatment.h"
#include "valtest.h"

static PetscReal HaLeft(PetscReal t_end, PetscReal rate, PetscReal c, PetscReal beta, PetscReal c_ha)
{
  PetscReal E = 0, integ, taken;
  TreatmentMembraneStep(&E, 1, rate, 0, c, t_end, &integ, &taken);
  return 1 - beta * integ / c_ha;
}

static PetscErrorCode Body(void)
{
  /* the exact step against RK4 */
  const PetscReal V = 2e-8, rate = 3e-4, lambda = PetscLogReal(2.0) / 1200, c = 4e8, T = 7200, E0 = 0.5;
  const PetscInt  n = 100000;
  PetscReal       E = E0, integ, taken, e = E0, ie = 0, h = T / n, err_E, err_I, err_B;

  PetscFunctionBeginUser;
  TreatmentMembraneStep(&E, V, rate, lambda, c, T, &integ, &taken);
  for (PetscInt k = 0; k < n; k++) {
    /* y = (E, integral of E) */
    const PetscReal k1 = rate * (V * c - e) - lambda * e, k2 = rate * (V * c - (e + 0.5 * h * k1)) - lambda * (e + 0.5 * h * k1);
    const PetscReal k3 = rate * (V * c - (e + 0.5 * h * k2)) - lambda * (e + 0.5 * h * k2), k4 = rate * (V * c - (e + h * k3)) - lambda * (e + h * k3);
    ie += h / 6 * (e + 2 * (e + 0.5 * h * k1) + 2 * (e + 0.5 * h * k2) + (e + h * k3));
    e += h / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
  }
  err_E = PetscAbsReal(E - e) / e;
  err_I = PetscAbsReal(integ - ie) / ie;
  err_B = PetscAbsReal(taken - (E - E0) - lambda * integ) / taken; /* units in = change + decayed */
  printf("  rate %.1e 1/s, half-life 20 min, 4e8 U/m^3 outside, 2 h: E %.6g U, integral %.6g U s, taken %.6g U\n", (double)rate, (double)E, (double)integ, (double)taken);
  ValCheck((PetscBool)(err_E <= 1e-9 && err_I <= 1e-9), "exact step vs RK4 (1e5 steps)", "E %.1e, integral %.1e relative (<= 1e-9)", (double)err_E, (double)err_I);
  ValCheck((PetscBool)(err_B <= 1e-12), "units: taken = change + decayed", "residual %.1e of the taken (<= 1e-12)", (double)err_B);
  {
    const PetscReal r = 1e-3, hw = 0.3e-3, P = 0.15 * 2.7e-12 / hw, rt = 2 * P / r, cb = 150e6, beta = 3e-9 / 60, c_ha = 24;
    const PetscReal x90 = HaLeft(5400, rt, cb, beta, c_ha), x4 = HaLeft(4 * 3600, rt, cb, beta, c_ha), x24 = HaLeft(24 * 3600, rt, cb, beta, c_ha);
    printf("  facial artery r 1 mm, wall 0.3 mm (P %.2e m/s), 24 mg/mL gel in 150 U/mL: HA left %.3f at 90 min, %.3f at 4 h, %.3f at 24 h\n", (double)P, (double)x90, (double)x4, (double)PetscMax(x24, 0));
    ValCheck((PetscBool)(x90 > 0.95), "90 min: no change (rabbit aorta)", "HA left %.3f (> 0.95)", (double)x90);
    ValCheck((PetscBool)(x4 < 0.95), "4 h: degraded (DeLorenzi 2014)", "HA left %.3f (< 0.95)", (double)x4);
    ValCheck((PetscBool)(x24 < 0.3), "24 h: dissolved (DeLorenzi 2014)", "HA left %.3f (< 0.3)", (double)PetscMax(x24, 0));
  }
  PetscFunctionReturn(0);
}

VAL_MAIN("validation: hyaluronidase through an artery's wall into its gel (exact step, DeLorenzi 2014, rabbit aorta)", Body)
