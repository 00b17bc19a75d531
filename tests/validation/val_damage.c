/* Validation: the three-state tissue damage model (docs/model.md "Tissue", solver/include/damage.h).
   - Integrator: HavocDamageStep at dt = 60 s and 600 s against classical RK4 at dt = 0.05 s, which
     switches the death term on and off by the sign of T - T_d in every stage, over 24 h at scale 0.1
     (skin-like) and, for V = 0.8, at scale 1. The reference itself is good to about 1e-7 in D: RK4 is
     only first order across the switch.
   - Calibration: the scales that make total ischaemia kill 80 % of skin at 9 h (pig flap CIT50) and of
     retina at 100 min (Hayreh), checked by stepping the model to D = 0.8.
   - Viability threshold: with the skin scale, 70 % of normal supply (V = 0.3) keeps T under T_d for 24 h.
   - Bad input is an error. */
#include "damage.h"
#include "valtest.h"

#define HOUR   3600.0
#define DT_REF 0.05 /* s */

static const PetscReal sample_times[] = {1 * HOUR, 6 * HOUR, 24 * HOUR};
#define NSAMPLE ((PetscInt)(sizeof(sample_times) / sizeof(sample_times[0])))

static void Rhs(const HavocDamage *d, PetscReal V, PetscReal T, PetscReal D, PetscReal *dT, PetscReal *dD)
{
  const PetscReal A = 1 - D;

  *dT = d->scale * (d->kt * V * (1 - T) - d->kc * (1 - V) * A * T);
  *dD = T > d->Td ? d->scale * d->kf * A * T : 0;
}

/* T and D at the sample times by RK4 at DT_REF. */
static void Reference(const HavocDamage *d, PetscReal V, PetscReal T_ref[], PetscReal D_ref[])
{
  PetscReal T = 0, D = 0;
  PetscInt  step = 0;

  for (PetscInt k = 0; k < NSAMPLE; k++) {
    const PetscInt n = (PetscInt)PetscFloorReal(sample_times[k] / DT_REF + 0.5);
    for (; step < n; step++) {
      const PetscReal h = DT_REF;
      PetscReal       t1, d1, t2, d2, t3, d3, t4, d4;
      Rhs(d, V, T, D, &t1, &d1);
      Rhs(d, V, T + 0.5 * h * t1, D + 0.5 * h * d1, &t2, &d2);
      Rhs(d, V, T + 0.5 * h * t2, D + 0.5 * h * d2, &t3, &d3);
      Rhs(d, V, T + h * t3, D + h * d3, &t4, &d4);
      T += h / 6 * (t1 + 2 * t2 + 2 * t3 + t4);
      D += h / 6 * (d1 + 2 * d2 + 2 * d3 + d4);
    }
    T_ref[k] = T;
    D_ref[k] = D;
  }
}

/* T and D at the sample times by HavocDamageStep at dt (a divisor of every sample time); *T_max is the
   largest T on the way. */
static void Stepped(const HavocDamage *d, PetscReal V, PetscReal dt, PetscReal T_out[], PetscReal D_out[], PetscReal *T_max)
{
  PetscReal T = 0, D = 0;
  PetscInt  step = 0;

  *T_max = 0;
  for (PetscInt k = 0; k < NSAMPLE; k++) {
    const PetscInt n = (PetscInt)PetscFloorReal(sample_times[k] / dt + 0.5);
    for (; step < n; step++) {
      HavocDamageStep(d, V, dt, &T, &D);
      *T_max = ValMax(*T_max, T);
    }
    T_out[k] = T;
    D_out[k] = D;
  }
}

/* One (scale, V) case: the reference, then HavocDamageStep at 60 s and 600 s against it. */
static PetscErrorCode Compare(const HavocDamage *d, PetscReal V)
{
  const PetscReal dts[] = {60, 600}, bounds[] = {2e-3, 2e-2};
  PetscReal       T_ref[NSAMPLE], D_ref[NSAMPLE];

  PetscFunctionBeginUser;
  Reference(d, V, T_ref, D_ref);
  printf("  scale %.1f, V = %.2f reference: T = %.5f %.5f %.5f, D = %.5f %.5f %.5f\n", (double)d->scale, (double)V, (double)T_ref[0], (double)T_ref[1], (double)T_ref[2], (double)D_ref[0], (double)D_ref[1], (double)D_ref[2]);
  for (size_t j = 0; j < sizeof(dts) / sizeof(dts[0]); j++) {
    PetscReal T[NSAMPLE], D[NSAMPLE], T_max, eT = 0, eD = 0;
    char      what[64];
    Stepped(d, V, dts[j], T, D, &T_max);
    for (PetscInt k = 0; k < NSAMPLE; k++) {
      eT = ValMax(eT, PetscAbsReal(T[k] - T_ref[k]));
      eD = ValMax(eD, PetscAbsReal(D[k] - D_ref[k]));
    }
    PetscCall(PetscSNPrintf(what, sizeof(what), "scale %.1f, V = %.2f, dt = %3.0f s vs reference", (double)d->scale, (double)V, (double)dts[j]));
    ValCheck((PetscBool)(eD <= bounds[j] && eT <= bounds[j]), what, "max |D - D_ref| %.2e, max |T - T_ref| %.2e (<= %.0e)", (double)eD, (double)eT, (double)bounds[j]);
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode Integrator(void)
{
  const PetscReal Vs[] = {1, 0.8, 0.6, 0.45};
  HavocDamage     d;

  PetscFunctionBeginUser;
  HavocDamageDefaults(&d);
  printf("  integrator: HavocDamageStep vs RK4 at dt = %g s, largest differences at t = 1, 6, 24 h\n", DT_REF);
  d.scale = 0.1;
  for (size_t i = 0; i < sizeof(Vs) / sizeof(Vs[0]); i++)
    PetscCall(Compare(&d, Vs[i]));
  /* The fastest tissue the step is meant for, with death and clearance both active. */
  d.scale = 1;
  PetscCall(Compare(&d, 0.8));
  PetscFunctionReturn(0);
}

static PetscErrorCode Calibration(PetscReal *s_skin)
{
  const char     *names[]   = {"skin", "retina"};
  const PetscReal targets[] = {9 * HOUR, 100 * 60.0};
  HavocDamage     d;

  PetscFunctionBeginUser;
  for (PetscInt i = 0; i < 2; i++) {
    PetscReal s, t;
    char      what[64];
    HavocDamageDefaults(&d);
    PetscCall(HavocDamageCalibrate(&d, targets[i], 0.8, &s));
    d.scale = s;
    PetscCall(HavocDamageTimeTo(&d, 1, 0.8, 48 * HOUR, 10, &t));
    PetscCall(PetscSNPrintf(what, sizeof(what), "%s: D = 0.8 at %.0f min under V = 1", names[i], (double)(targets[i] / 60)));
    ValCheck((PetscBool)(PetscAbsReal(t - targets[i]) <= 60), what, "scale %.6f: stepped (dt 10 s) to D = 0.8 in %.2f min (%+.2f s, within 60 s)", (double)s, (double)(t / 60), (double)(t - targets[i]));
    if (i == 0) *s_skin = s;
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode Threshold(PetscReal s_skin)
{
  const PetscReal Vs[] = {0, 0.3, 0.5, 0.7, 1};
  HavocDamage     d;
  PetscReal       V_crit, T[NSAMPLE], D[NSAMPLE], T_max;

  PetscFunctionBeginUser;
  HavocDamageDefaults(&d);
  d.scale = s_skin;
  /* The V at which the steady T of a fully alive cell equals T_d: no cell dies below it. */
  V_crit = d.Td * d.kc / (d.Td * d.kc + d.kt * (1 - d.Td));
  printf("  skin (scale %.6f), dt 60 s: steady T of a living cell reaches T_d at V = %.4f\n", (double)s_skin, (double)V_crit);
  for (size_t i = 0; i < sizeof(Vs) / sizeof(Vs[0]); i++) {
    Stepped(&d, Vs[i], 60, T, D, &T_max);
    printf("  V = %.1f: D(24 h) = %.6f, T(24 h) = %.6f, largest T %.6f\n", (double)Vs[i], (double)D[NSAMPLE - 1], (double)T[NSAMPLE - 1], (double)T_max);
    if (Vs[i] == 0.3) ValCheck((PetscBool)(T_max < d.Td && D[NSAMPLE - 1] < 0.8), "skin, V = 0.3 (70 % supply): no necrosis", "largest T %.5f (< T_d = %g), D(24 h) = %.3g (< 0.8)", (double)T_max, (double)d.Td, (double)D[NSAMPLE - 1]);
    if (Vs[i] == 1) ValCheck((PetscBool)(D[NSAMPLE - 1] > 0.8), "skin, V = 1 (no supply): necrosis by 24 h", "D(24 h) = %.5f (> 0.8)", (double)D[NSAMPLE - 1]);
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode BadInput(void)
{
  HavocDamage    d;
  PetscReal      s;
  PetscErrorCode e1, e2, e3;

  PetscFunctionBeginUser;
  HavocDamageDefaults(&d);
  PetscCall(PetscPushErrorHandler(PetscReturnErrorHandler, NULL));
  e1 = HavocDamageCalibrate(&d, 0, 0.8, &s);
  e2 = HavocDamageCalibrate(&d, -HOUR, 0.8, &s);
  e3 = HavocDamageCalibrate(&d, HOUR, 1, &s);
  PetscCall(PetscPopErrorHandler());
  ValCheck((PetscBool)(e1 && e2 && e3), "calibration rejects bad targets", "error codes %d (t = 0), %d (t < 0), %d (D = 1) (all non-zero)", (int)e1, (int)e2, (int)e3);
  PetscFunctionReturn(0);
}

static PetscErrorCode Body(void)
{
  PetscReal s_skin = 0;

  PetscFunctionBeginUser;
  PetscCall(Integrator());
  PetscCall(Calibration(&s_skin));
  PetscCall(Threshold(s_skin));
  PetscCall(BadInput());
  PetscFunctionReturn(0);
}

VAL_MAIN("validation: three-state tissue damage (alive/toxic/dead)", Body)
